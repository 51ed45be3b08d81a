/*
 * The W^X code buffer (see code-buffer.h): memfd creation, the two views,
 * placement of the executable view within rel32 reach of ferry's text, and
 * un-sharing after fork.  The memfd's descriptor is closed as soon as both
 * views are mapped: ferry keeps no descriptor in the guest's table, where
 * the guest could write through it, dup2() over it, or find a descriptor
 * it did not open (and where ferry would later close one of the guest's).
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

/* Map the executable view exactly at `addr`, or fail without disturbing
 * anything already mapped there. */
static void *map_exec_at(int fd, size_t size, uintptr_t addr)
{
    void *p = mmap((void *)addr, size, PROT_READ | PROT_EXEC,
                   MAP_SHARED | MAP_FIXED_NOREPLACE, fd, 0);
    if (p == MAP_FAILED) {
        return NULL;
    }
    if ((uintptr_t)p != addr) {         /* kernel without MAP_FIXED_NOREPLACE */
        munmap(p, size);
        return NULL;
    }
    return p;
}

/* Try addresses above the image first (leaving room for the host heap),
 * then below the text; finally anywhere (helpers then need absolute calls). */
static void *map_exec_view(int fd, size_t size)
{
    uintptr_t text_lo = (uintptr_t)__executable_start, text_hi = (uintptr_t)etext;
    for (uintptr_t a = align_up(text_hi, 2 * MIB) + 256 * MIB;
         reaches_text(a, size); a += PLACEMENT_STEP) {
        void *p = map_exec_at(fd, size, a);
        if (p) {
            return p;
        }
    }
    for (uintptr_t a = (text_lo & ~(2 * MIB - 1)) - size - 64 * MIB;
         a < text_lo && a > (1ull << 32) && reaches_text(a, size); a -= PLACEMENT_STEP) {
        void *p = map_exec_at(fd, size, a);
        if (p) {
            return p;
        }
    }
    void *p = mmap(NULL, size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
    return p == MAP_FAILED ? NULL : p;
}

static bool map_views(CodeBuffer *buf, int fd, size_t size)
{
    if (ftruncate(fd, (off_t)size) != 0) {
        return false;
    }
    uint8_t *x = map_exec_view(fd, size);
    if (!x) {
        return false;
    }
    void *w = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (w == MAP_FAILED) {
        munmap(x, size);
        return false;
    }
    buf->wbase = w;
    buf->xbase = x;
    buf->size = size;
    buf->owner = getpid();
    return true;
}

bool code_buffer_init(CodeBuffer *buf, size_t size)
{
    memset(buf, 0, sizeof(*buf));
    buf->fd = -1;
    size = align_up(size ? size : CODE_BUFFER_DEFAULT_SIZE, 64 << 10);
    int fd = memfd_create("ferry-code", MFD_CLOEXEC);
    if (fd < 0) {
        return false;
    }
    bool ok = map_views(buf, fd, size);
    int e = errno;
    close(fd);              /* the two mappings keep the memory alive */
    errno = e;
    return ok;
}

void code_buffer_destroy(CodeBuffer *buf)
{
    if (buf->wbase) {
        munmap(buf->wbase, buf->size);
        munmap(buf->xbase, buf->size);
    }
    memset(buf, 0, sizeof(*buf));
    buf->fd = -1;
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
    int fd = memfd_create("ferry-code", MFD_CLOEXEC);
    if (fd < 0 || ftruncate(fd, (off_t)buf->size) != 0) {
        goto fail;
    }
    if (used && pwrite(fd, buf->wbase, used, 0) != (ssize_t)used) {
        goto fail;
    }
    /* Replace both views in place: same addresses, new private memory. */
    if (mmap(buf->wbase, buf->size, PROT_READ | PROT_WRITE,
             MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED ||
        mmap(buf->xbase, buf->size, PROT_READ | PROT_EXEC,
             MAP_SHARED | MAP_FIXED, fd, 0) == MAP_FAILED) {
        goto fail;
    }
    close(fd);
    prefault_copied_code(buf, used);
    buf->owner = getpid();
    return true;
fail:
    if (fd >= 0) {
        close(fd);
    }
    return false;
}
