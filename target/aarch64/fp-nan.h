/*
 * Arm's NaN results for the scalar FP ops, computed in C on the rare path:
 * translated code runs the x86 instruction and comes here only when the
 * result (or, for FMIN/FMAX, an input) is a NaN.  FP_NAN_DESC packs what
 * to recompute: the op, the precision and the V registers.
 */
#ifndef FERRY_TARGET_AARCH64_FP_NAN_H
#define FERRY_TARGET_AARCH64_FP_NAN_H

#include <stdbool.h>
#include <stdint.h>
#include "target/aarch64/cpu.h"
#include "tcg/ir-vec.h"

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

/* The rare paths of the vector FP ops and of scalar FCMP/FCVT: the
 * lowering calls fn(env, desc) through a register-saving thunk; the value
 * returned goes to the op's result temp (FCMP: NZCV).
 *
 * Vector ops (IR_VFADD .. IR_VFRINT): desc = the op's aux bits 0..14
 * (d, n, m) | VA_Q -> bit 15 | VA_HIGH 16 | VA_ELEM 17 | VA_ZERO_M 18 |
 * VA_NEG 19 | double 20 | (op - IR_VFADD) << 21 | imm (lane index or
 * FPROUND_*) << 26.  Recomputed by helper_vfp. */
static inline uint32_t fp_vec_slow_desc(int op_index, uint32_t aux, bool dbl, uint32_t imm)
{
    return (aux & 0x7fff) | (uint32_t)((aux & VA_Q) != 0) << 15 |
           (uint32_t)((aux & VA_HIGH) != 0) << 16 | (uint32_t)((aux & VA_ELEM) != 0) << 17 |
           (uint32_t)((aux & VA_ZERO_M) != 0) << 18 | (uint32_t)((aux & VA_NEG) != 0) << 19 |
           (uint32_t)dbl << 20 | (uint32_t)op_index << 21 | (imm & 7) << 26;
}
uint64_t fp_vec_slow(CPUState *env, uint32_t desc);

/* FCMP/FCMPE with FPCR.FZ: desc = n | m << 5 | double << 10 | signalling
 * << 11 | with zero << 12; returns NZCV in bits 31..28. */
uint64_t fp_fcmp_slow(CPUState *env, uint32_t desc);

/* FCVT between single and double (NaN result, FZ, or a narrowed result at
 * the smallest normal): desc = d | n << 5 | to-double << 10. */
uint64_t fp_fcvt_slow(CPUState *env, uint32_t desc);

/* FCVT[NPMZA][SU] Wd/Xd, Sn/Dn off the inline fast path: desc = n |
 * double << 5 | unsigned << 6 | 64-bit result << 7 | FPROUND_* << 8 |
 * fixed-point fraction bits << 11; returns the (saturated) integer. */
static inline uint32_t fp_cvt_int_desc(int n, bool dbl, bool is_unsigned, bool sf, int mode,
                                       int fbits)
{
    return (uint32_t)n | (uint32_t)dbl << 5 | (uint32_t)is_unsigned << 6 | (uint32_t)sf << 7 |
           (uint32_t)mode << 8 | (uint32_t)fbits << 11;
}
uint64_t fp_cvt_int_slow(CPUState *env, uint32_t desc);

/* FRINT* with FPCR.FZ or DN (FRINTA: also a NaN): desc = d | n << 5 | double << 10 |
 * imm (FPROUND_* | FPROUND_EXACT) << 11. */
uint64_t fp_frint_slow(CPUState *env, uint32_t desc);

#endif
