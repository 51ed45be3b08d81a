/*
 * Arm's NaN results for the scalar FP ops, computed in C on the rare path:
 * translated code runs the x86 instruction and comes here only when the
 * result (or, for FMIN/FMAX, an input) is a NaN.  FP_NAN_DESC packs what
 * to recompute: the op, the precision and the V registers.
 */
#ifndef FERRY_TARGET_AARCH64_FP_NAN_H
#define FERRY_TARGET_AARCH64_FP_NAN_H

#include <stdint.h>
#include "target/aarch64/cpu.h"

typedef enum FpNanOp {
    FPN_ARITH,      /* FADD FSUB FMUL FDIV FSQRT: NaN propagation / default NaN */
    FPN_NMUL,       /* FNMUL: as FMUL, then negated */
    FPN_MINMAX,     /* FMIN FMAX: propagation */
    FPN_MINNM,      /* FMINNM */
    FPN_MAXNM,      /* FMAXNM */
    FPN_FMA,        /* FMADD & co: addend a, operands n, m (n already negated as asked) */
    FPN_FMA_NEGP,   /* ... with the product negated (operand n negated) */
    FPN_FMA_NEGA,   /* ... with the addend negated */
    FPN_FMA_NEGPA,  /* ... both */
} FpNanOp;

/* desc: op (bits 0..3), double (bit 4), one source only (bit 5), then
 * d, n, m, a (5 bits each from bit 6). */
static inline uint32_t fp_nan_desc(FpNanOp op, int dbl, int unary, int d, int n, int m, int a)
{
    return (uint32_t)op | (uint32_t)dbl << 4 | (uint32_t)unary << 5 | (uint32_t)d << 6 |
           (uint32_t)n << 11 | (uint32_t)m << 16 | (uint32_t)a << 21;
}

/* The arithmetic behind FPN_ARITH / FPN_MINMAX (desc bits 26..28). */
enum { FPK_ADD, FPK_SUB, FPK_MUL, FPK_DIV, FPK_SQRT, FPK_MAX, FPK_MIN };
static inline uint32_t fp_nan_kind(int kind) { return (uint32_t)kind << 26; }

/* Compute the whole op with Arm's rules (fp-arm.c) and store V[d] (upper
 * bits zeroed) and the FPSR flags. */
void fp_nan_slow(CPUState *env, uint32_t desc);

#endif
