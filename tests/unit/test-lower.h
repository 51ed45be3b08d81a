/*
 * Shared by the lowering unit tests: the harness that runs lowered blocks
 * on a CPUState (test-lower-harness.c), independent reference semantics
 * from the Arm ARM, and host instruction counting (test-lower-disasm.c).
 */
#ifndef FERRY_TESTS_UNIT_TEST_LOWER_H
#define FERRY_TESTS_UNIT_TEST_LOWER_H

#include <check.h>
#include <stdint.h>
#include <stdio.h>

#include "host/x86_64/lower-internal.h"
#include "target/aarch64/cpu.h"
#include "tcg/exec.h"

typedef struct Block {
    IRBuilder b;
    TranslationBlock tb;
    uint16_t insn_host_off[TB_MAX_GUEST_INSNS];
    uint8_t *code;
} Block;

/* feature_sets[0]: the host's; [1]: none (fallback paths). */
extern const X86Features *feature_sets[2];

void harness_setup(void);
void harness_teardown(void);
void block_begin(Block *blk);                   /* builder at 0x1000 + INSN_START */
uint8_t *block_lower(Block *blk, const X86Features *feat);   /* liveness + lowering */
uint64_t run(Block *blk, CPUState *env);         /* returns the exit's code */
void env_init(CPUState *env);
uint8_t *harness_body_end(void);                 /* where the last block's end code began */
uint8_t *harness_code_end(void);

int test_count_host_insns(const uint8_t *start, const uint8_t *end, FILE *listing);

/* Reference semantics. */
uint64_t wmask(int bits);
uint32_t ref_add_with_carry(int bits, uint64_t x, uint64_t y, int carry, uint64_t *res);
bool ref_cond(uint32_t nzcv, IRCond c);
uint64_t ref_op2(IROp op, int bits, uint64_t a, uint64_t b);
uint64_t ref_rbit(uint64_t x, int bits);

#define N_EDGE 20
extern const uint64_t edge_values[N_EDGE];

void add_random_block_tests(TCase *tc);

#endif
