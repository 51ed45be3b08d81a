/*
 * Shared by test-golden.c and test-golden-disasm.c: one decoded host
 * instruction of a translated block.
 */
#ifndef FERRY_TESTS_UNIT_TEST_GOLDEN_H
#define FERRY_TESTS_UNIT_TEST_GOLDEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct GoldenInsn {
    uint64_t addr;          /* executable address */
    bool nop;               /* alignment padding */
    bool jmp;               /* unconditional jmp (direct or indirect) */
    uint64_t target;        /* a direct jump's target, else 0 */
    char text[96];
} GoldenInsn;

/* Decode len bytes at code (running at addr); returns the count or -1. */
int golden_disasm(const uint8_t *code, size_t len, uint64_t addr, GoldenInsn *out, int max);

#endif
