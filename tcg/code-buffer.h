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

/* After fork() both processes would share the memory, so each one's new
 * translations would overwrite the other's.  In the child, replace the
 * shared memory by a private copy of its first `used` bytes, mapped at the
 * same two addresses (the caller checks that the parent did not change
 * them during the copy).  No-op if the buffer already belongs to this
 * process. */
bool code_buffer_unshare(CodeBuffer *buf, size_t used);

#endif
