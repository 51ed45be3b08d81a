/*
 * The code buffer: shared memory mapped twice, a writable view for the emitter
 * and an executable view for the CPU (W^X: no page is both).  Placed near
 * ferry's own text when possible so translated code reaches ferry's C
 * helpers with rel32 calls.
 */
#ifndef FERRY_TCG_CODE_BUFFER_H
#define FERRY_TCG_CODE_BUFFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CODE_BUFFER_DEFAULT_SIZE (256u << 20)

typedef struct CodeBuffer {
    uint8_t *wbase;         /* writable view (PROT_READ|PROT_WRITE) */
    uint8_t *xbase;         /* executable view (PROT_READ|PROT_EXEC) */
    size_t size;
    bool memfd;             /* backed by a memfd: anonymous memory could not be aliased */
    pid_t owner;            /* process the mapping belongs to (see fork) */
} CodeBuffer;

/* Map a buffer of `size` bytes (0 = default).  False (errno set) on failure. */
bool code_buffer_init(CodeBuffer *buf, size_t size);
/* Make `perf` record the executable view where it is now: it learns of
 * executable mappings from mmap and mprotect, not from the mremap that
 * moved the view into place. */
void code_buffer_show_to_perf(CodeBuffer *buf);
void code_buffer_destroy(CodeBuffer *buf);

/* executable address = writable address + delta */
static inline intptr_t code_buffer_exec_delta(const CodeBuffer *buf)
{
    return (intptr_t)(buf->xbase - buf->wbase);
}

static inline bool code_buffer_contains_exec(const CodeBuffer *buf, uintptr_t xaddr)
{
    return xaddr >= (uintptr_t)buf->xbase && xaddr < (uintptr_t)buf->xbase + buf->size;
}

/* Replace the memory behind both views by a private copy of its first
 * `used` bytes, mapped at the same two addresses (after a fork the memory
 * is shared with the other process). */
bool code_buffer_unshare(CodeBuffer *buf, size_t used);

/* Replace [from, size) of both views by fresh memory of this process's own
 * (from page aligned), leaving [0, from) as it is: shared with whatever
 * process shares it.  The buffer then belongs to this process. */
bool code_buffer_fresh_range(CodeBuffer *buf, size_t from);

/* Fault in [p, p + len) (whole pages) in one call, for writing or for
 * reading.  Best effort: a kernel without MADV_POPULATE_* faults later. */
void memory_populate(void *p, size_t len, bool write);

#endif
