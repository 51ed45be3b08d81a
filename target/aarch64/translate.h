/*
 * What every A64 translate file sees: the per-instruction context, the
 * encoding table's entry type, field extraction, and guest-register access
 * with the XZR/SP and 32-bit rules applied once here.
 *
 * A translate function gets the raw encoding and emits IR for it through
 * s->b.  It returns false when the encoding is unallocated (or not yet
 * implemented): the caller then reports it and raises SIGILL.
 */
#ifndef FERRY_TARGET_AARCH64_TRANSLATE_H
#define FERRY_TARGET_AARCH64_TRANSLATE_H

#include <stdbool.h>
#include <stdint.h>
#include "tcg/ir.h"
#include "target/aarch64/cpu.h"
#include "target/aarch64/cpu-model.h"

typedef struct DisasContext {
    IRBuilder *b;
    uint64_t pc;            /* address of the instruction being translated */
    uint32_t insn;
    const CPUModel *model;  /* -cpu: feature bits and ID register values */
} DisasContext;

typedef bool A64TransFn(DisasContext *s, uint32_t insn);

typedef struct A64InsnDef {
    const char *name;
    uint32_t mask, match;   /* (insn & mask) == match */
    A64TransFn *trans;
} A64InsnDef;

/* The one encoding table (a64.def and the class tables it includes). */
extern const A64InsnDef a64_insns[];
extern const unsigned a64_n_insns;
const A64InsnDef *a64_decode(uint32_t insn);

/* Declarations of every translate function named in the table. */
#define A64_INSN(name, mask, match, fn) A64TransFn fn;
#include "target/aarch64/a64.def"
#undef A64_INSN

/* Field extraction. */
static inline uint32_t extract32(uint32_t v, int lo, int len) { return (v >> lo) & (len == 32 ? ~0u : ((1u << len) - 1)); }
static inline int64_t sextract64(uint64_t v, int lo, int len) { return (int64_t)(v << (64 - lo - len)) >> (64 - len); }

/* Guest registers.  sf = 1 for X (64-bit), 0 for W (32-bit).
 * read_x: register 31 is XZR (constant 0).  read_xsp: register 31 is SP.
 * write_x: register 31 discards; W writes zero the upper half.
 * write_xsp: register 31 is SP. */
IRTemp read_x(DisasContext *s, int reg, int sf);
IRTemp read_xsp(DisasContext *s, int reg, int sf);
void write_x(DisasContext *s, int reg, IRTemp val, int sf);
void write_xsp(DisasContext *s, int reg, IRTemp val, int sf);

static inline IRTemp cst(DisasContext *s, uint64_t v) { return ir_const(s->b, v); }
static inline int sf_bits(int sf) { return sf ? 64 : 32; }

/* End the block with a trap to C (SVC/BRK/HLT/UDF-style exits). */
void gen_exit(DisasContext *s, int reason, uint64_t pc, uint32_t info);

/* Translate one block starting at pc into b (initialised once with
 * ir_builder_init; its arrays are reused).  With loop_blocks, a loop that
 * spans several blocks becomes one block with side exits; without, the
 * block ends at its first branch (a look-ahead wants the plain block).
 * Returns false if the first instruction could not even be fetched (the
 * block then raises a fault). */
bool a64_translate_block(IRBuilder *b, uint64_t pc, const CPUModel *model, unsigned max_insns,
                         bool loop_blocks);

#endif
