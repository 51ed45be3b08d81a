/*
 * The W^X code buffer (see code-buffer.h): shared anonymous memory seen
 * through two views, placement of the executable view within rel32 reach
 * of ferry's text, and un-sharing after fork.  The executable view is a
 * second mapping of the writable one's pages (mremap with old size 0), so
 * ferry needs no file descriptor at all: none in the guest's table, where
 * the guest could write through it, dup2() over it, or find a descriptor
 * it did not open.  Being anonymous memory to the kernel, the code is also
 * what `perf` attributes through /tmp/perf-PID.map (-perfmap).  Where
 * anonymous memory cannot be aliased (a kernel or a tool such as valgrind
 * that refuses mremap of size 0), the memory is a memfd mapped twice, its
 * descriptor closed as soon as both views exist.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tcg/code-buffer.h"

/* Provided by the GNU linker: the extent of ferry's own image. */
extern char __executable_start[], etext[];

#define MIB (1ull << 20)
#define REL32_REACH (2048ull * MIB)
#define PLACEMENT_STEP (128 * MIB)

static uintptr_t align_up(uintptr_t v, uintptr_t a) { return (v + a - 1) & ~(a - 1); }

/* Does every byte of [start, start+size) reach every byte of ferry's text
 * (and back) with a rel32? Leave 16 MiB of slack for rounding. */
static bool reaches_text(uintptr_t start, size_t size)
{
    uintptr_t text_lo = (uintptr_t)__executable_start, text_hi = (uintptr_t)etext;
    uintptr_t lo = start < text_lo ? start : text_lo;
    uintptr_t hi = start + size > text_hi ? start + size : text_hi;
    return hi - lo < REL32_REACH - 16 * MIB;
}

/* The shared memory behind the views: anonymous (fd -1) or a memfd. */
typedef struct Backing {
    uint8_t *w;             /* the writable view */
    int fd;
} Backing;

static bool backing_create(Backing *b, size_t size, bool use_memfd)
{
    b->fd = -1;
    if (use_memfd) {
        b->fd = memfd_create("ferry-code", MFD_CLOEXEC);
        if (b->fd < 0 || ftruncate(b->fd, (off_t)size) != 0) {
            goto fail;
        }
    }
    void *w = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_SHARED | (use_memfd ? 0 : MAP_ANONYMOUS | MAP_NORESERVE), b->fd, 0);
    if (w == MAP_FAILED) {
        goto fail;
    }
    b->w = w;
    return true;
fail:
    if (b->fd >= 0) {
        close(b->fd);
    }
    return false;
}

/* The views keep the memory alive: the descriptor can go. */
static void backing_release_fd(Backing *b)
{
    if (b->fd >= 0) {
        int e = errno;
        close(b->fd);
        errno = e;
        b->fd = -1;
    }
}

/* A second, executable view of the backing's pages, at `where`: replaces
 * whatever is mapped there when `fixed` -- in one step, already
 * executable, since other threads may be running the code it replaces
 * (a copy with the same bytes, tb.c's thaw). */
static void *alias_exec(const Backing *b, size_t size, void *where, bool fixed)
{
    if (b->fd >= 0) {
        void *x = mmap(where, size, PROT_READ | PROT_EXEC,
                       MAP_SHARED | (fixed ? MAP_FIXED : 0), b->fd, 0);
        return x == MAP_FAILED ? NULL : x;
    }
    void *x = mremap(b->w, 0, size, MREMAP_MAYMOVE);
    if (x == MAP_FAILED) {
        return NULL;
    }
    if (mprotect(x, size, PROT_READ | PROT_EXEC) != 0) {
        munmap(x, size);
        return NULL;
    }
    if (fixed) {
        void *moved = mremap(x, size, size, MREMAP_MAYMOVE | MREMAP_FIXED, where);
        if (moved == MAP_FAILED) {
            munmap(x, size);
            return NULL;
        }
        x = moved;
    }
    return x;
}

/* Map the executable view exactly at `addr`, or fail without disturbing
 * anything already mapped there: reserve the range first, then put the
 * alias over the reservation. */
static void *map_exec_at(const Backing *b, size_t size, uintptr_t addr)
{
    void *r = mmap((void *)addr, size, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
    if (r == MAP_FAILED) {
        return NULL;
    }
    if ((uintptr_t)r != addr) {         /* kernel without MAP_FIXED_NOREPLACE */
        munmap(r, size);
        return NULL;
    }
    void *x = alias_exec(b, size, r, true);
    if (!x) {
        munmap(r, size);
    }
    return x;
}

/* The first choice is a fixed distance below the start of ferry's image,
 * wherever that was loaded: translated code depends on that distance only
 * (tcg/tcache.c keeps code from one run for the next), and below the image
 * nothing else is mapped (the host heap starts at a random point up to
 * 1 GiB above it).  Then addresses above the image (leaving room for the
 * heap), then further below; finally anywhere (helpers then need absolute
 * calls). */
static void *map_exec_view(const Backing *b, size_t size)
{
    uintptr_t text_lo = (uintptr_t)__executable_start, text_hi = (uintptr_t)etext;
    uintptr_t first = text_lo - align_up(size, 2 * MIB) - 64 * MIB;
    if (first < text_lo && first > (1ull << 32) && reaches_text(first, size)) {
        void *p = map_exec_at(b, size, first);
        if (p) {
            return p;
        }
    }
    for (uintptr_t a = align_up(text_hi, 2 * MIB) + 256 * MIB;
         reaches_text(a, size); a += PLACEMENT_STEP) {
        void *p = map_exec_at(b, size, a);
        if (p) {
            return p;
        }
    }
    for (uintptr_t a = (text_lo & ~(2 * MIB - 1)) - size - 64 * MIB;
         a < text_lo && a > (1ull << 32) && reaches_text(a, size); a -= PLACEMENT_STEP) {
        void *p = map_exec_at(b, size, a);
        if (p) {
            return p;
        }
    }
    return alias_exec(b, size, NULL, false);
}

bool code_buffer_init(CodeBuffer *buf, size_t size)
{
    memset(buf, 0, sizeof(*buf));
    size = align_up(size ? size : CODE_BUFFER_DEFAULT_SIZE, 64 << 10);
    for (int use_memfd = 0; use_memfd < 2; use_memfd++) {
        Backing b;
        if (!backing_create(&b, size, use_memfd)) {
            return false;
        }
        uint8_t *x = map_exec_view(&b, size);
        backing_release_fd(&b);
        if (x) {
            buf->wbase = b.w;
            buf->xbase = x;
            buf->size = size;
            buf->memfd = use_memfd;
            buf->owner = getpid();
            return true;
        }
        int e = errno;
        munmap(b.w, size);
        errno = e;
    }
    return false;
}

void code_buffer_show_to_perf(CodeBuffer *buf)
{
    if (buf->xbase && mprotect(buf->xbase, buf->size, PROT_READ) == 0) {
        mprotect(buf->xbase, buf->size, PROT_READ | PROT_EXEC);
    }
}

void code_buffer_destroy(CodeBuffer *buf)
{
    if (buf->wbase) {
        munmap(buf->wbase, buf->size);
        munmap(buf->xbase, buf->size);
    }
    memset(buf, 0, sizeof(*buf));
}

void memory_populate(void *p, size_t len, bool write)
{
#if defined(MADV_POPULATE_WRITE) && defined(MADV_POPULATE_READ)
    uintptr_t a = (uintptr_t)p & ~(uintptr_t)4095;
    len = ((uintptr_t)p + len - a + 4095) & ~(size_t)4095;
    if (len) {
        madvise((void *)a, len, write ? MADV_POPULATE_WRITE : MADV_POPULATE_READ);
    }
#else
    (void)p;
    (void)len;
    (void)write;
#endif
}

/* Map the copied code into both views in one call each: the process runs
 * much of it at once, and one fault per 4 KiB page costs more than
 * populating the range. */
static void prefault_copied_code(CodeBuffer *buf, size_t used)
{
    memory_populate(buf->wbase, used, true);
    memory_populate(buf->xbase, used, false);
}

/* Replace [from, size) of both views, at the same addresses, by fresh
 * memory holding a copy of its first `copy` bytes. */
static bool replace_range(CodeBuffer *buf, size_t from, size_t copy)
{
    if (!buf->wbase || from >= buf->size) {
        return true;
    }
    size_t len = buf->size - from;
    Backing fresh;
    if (!backing_create(&fresh, len, buf->memfd)) {
        return false;
    }
    uint8_t *w = buf->wbase + from, *x = buf->xbase + from;
    memcpy(fresh.w, w, copy);
    void *placed = fresh.fd >= 0
        ? mmap(w, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fresh.fd, 0)
        : mremap(fresh.w, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, w);
    if (placed == MAP_FAILED) {
        backing_release_fd(&fresh);
        munmap(fresh.w, len);
        return false;
    }
    if (fresh.fd >= 0) {
        munmap(fresh.w, len);           /* its temporary view */
    }
    fresh.w = placed;
    bool ok = alias_exec(&fresh, len, x, true) != NULL;
    backing_release_fd(&fresh);
    buf->owner = getpid();
    return ok;
}

bool code_buffer_unshare(CodeBuffer *buf, size_t used)
{
    if (!replace_range(buf, 0, used)) {
        return false;
    }
    prefault_copied_code(buf, used);
    return true;
}

bool code_buffer_fresh_range(CodeBuffer *buf, size_t from)
{
    return replace_range(buf, from, 0);
}
