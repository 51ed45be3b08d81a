/*
 * The W^X code buffer (see code-buffer.h): shared anonymous memory seen
 * through two views, placement of the executable view within rel32 reach
 * of ferry's text, and un-sharing after fork.  The executable view is a
 * second mapping of the writable one's pages (mremap with old size 0), so
 * ferry needs no file descriptor at all: none in the guest's table, where
 * the guest could write through it, dup2() over it, or find a descriptor
 * it did not open.  Being anonymous memory to the kernel, the code is also
 * what `perf` attributes through /tmp/perf-PID.map (-perfmap).
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

/* A second, executable view of the shared pages at w, at `where`: replaces
 * whatever is mapped there (a reservation of ours) when `fixed`. */
static void *alias_exec(uint8_t *w, size_t size, void *where, bool fixed)
{
    void *x = mremap(w, 0, size, MREMAP_MAYMOVE | (fixed ? MREMAP_FIXED : 0), where);
    if (x == MAP_FAILED) {
        return NULL;
    }
    if (mprotect(x, size, PROT_READ | PROT_EXEC) != 0) {
        munmap(x, size);
        return NULL;
    }
    return x;
}

/* Map the executable view exactly at `addr`, or fail without disturbing
 * anything already mapped there: reserve the range first, then put the
 * alias over the reservation. */
static void *map_exec_at(uint8_t *w, size_t size, uintptr_t addr)
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
    void *x = alias_exec(w, size, r, true);
    if (!x) {
        munmap(r, size);
    }
    return x;
}

/* Try addresses above the image first (leaving room for the host heap),
 * then below the text; finally anywhere (helpers then need absolute calls). */
static void *map_exec_view(uint8_t *w, size_t size)
{
    uintptr_t text_lo = (uintptr_t)__executable_start, text_hi = (uintptr_t)etext;
    for (uintptr_t a = align_up(text_hi, 2 * MIB) + 256 * MIB;
         reaches_text(a, size); a += PLACEMENT_STEP) {
        void *p = map_exec_at(w, size, a);
        if (p) {
            return p;
        }
    }
    for (uintptr_t a = (text_lo & ~(2 * MIB - 1)) - size - 64 * MIB;
         a < text_lo && a > (1ull << 32) && reaches_text(a, size); a -= PLACEMENT_STEP) {
        void *p = map_exec_at(w, size, a);
        if (p) {
            return p;
        }
    }
    return alias_exec(w, size, NULL, false);
}

static uint8_t *map_shared_memory(size_t size)
{
    void *w = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return w == MAP_FAILED ? NULL : w;
}

bool code_buffer_init(CodeBuffer *buf, size_t size)
{
    memset(buf, 0, sizeof(*buf));
    size = align_up(size ? size : CODE_BUFFER_DEFAULT_SIZE, 64 << 10);
    uint8_t *w = map_shared_memory(size);
    if (!w) {
        return false;
    }
    uint8_t *x = map_exec_view(w, size);
    if (!x) {
        int e = errno;
        munmap(w, size);
        errno = e;
        return false;
    }
    buf->wbase = w;
    buf->xbase = x;
    buf->size = size;
    buf->owner = getpid();
    return true;
}

void code_buffer_destroy(CodeBuffer *buf)
{
    if (buf->wbase) {
        munmap(buf->wbase, buf->size);
        munmap(buf->xbase, buf->size);
    }
    memset(buf, 0, sizeof(*buf));
}

/* Map the copied code into both views in one call each: the child rewrites
 * every chained exit (a write to every page of the copy) and runs much of
 * it, and one fault per 4 KiB page costs more than populating the range.
 * Best effort: an older kernel without MADV_POPULATE_* just faults. */
static void prefault_copied_code(CodeBuffer *buf, size_t used)
{
#if defined(MADV_POPULATE_WRITE) && defined(MADV_POPULATE_READ)
    size_t len = (used + 4095) & ~(size_t)4095;
    if (len) {
        madvise(buf->wbase, len, MADV_POPULATE_WRITE);
        madvise(buf->xbase, len, MADV_POPULATE_READ);
    }
#else
    (void)buf;
    (void)used;
#endif
}

bool code_buffer_unshare(CodeBuffer *buf, size_t used)
{
    if (buf->owner == getpid() || !buf->wbase) {
        return true;
    }
    uint8_t *fresh = map_shared_memory(buf->size);
    if (!fresh) {
        return false;
    }
    memcpy(fresh, buf->wbase, used);
    /* Replace both views in place: same addresses, new private memory. */
    if (mremap(fresh, buf->size, buf->size, MREMAP_MAYMOVE | MREMAP_FIXED, buf->wbase) == MAP_FAILED) {
        munmap(fresh, buf->size);
        return false;
    }
    if (!alias_exec(buf->wbase, buf->size, buf->xbase, true)) {
        return false;
    }
    prefault_copied_code(buf, used);
    buf->owner = getpid();
    return true;
}
