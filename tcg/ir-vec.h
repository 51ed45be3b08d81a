/*
 * Operand packing for the vector / FP IR ops (tcg/ir-ops-vec.def), shared by
 * the A64 SIMD/FP translators and the x86-64 vector lowering.
 *
 * Guest V registers are not IR temps: a vector op names them in IRInsn.aux
 * and works on env->v[] directly.  IR temps only carry values that cross to
 * the integer side (addresses, lane values, NZCV, converted integers).
 *
 *   aux bits  0..4   d   destination V register
 *             5..9   n   first source
 *            10..14  m   second source
 *            15..19  a   third source (FMA addend)
 *            20      VA_ZERO_M   m reads as all-zero (compare-with-zero forms)
 *            21      VA_Q        128-bit vector (else 64-bit: upper half of d zeroed)
 *            22      VA_HIGH     "2" variants: write/read the upper half (SHRN2, XTN2)
 *            23      VA_ACC      accumulate into d (SSRA/USRA, MLA, UMLAL, FMLA)
 *            24      VA_NEG      ... subtracting (MLS, UMLSL, FMLS); ADDL: subtract
 *            25      VA_ROUND    rounding form (RSHRN)
 *            26      VA_WIDE     ADDL: n is already wide (SADDW/UADDW)
 *            27      VA_ELEM     m is lane imm of V[m], broadcast (by-element forms)
 *   mop      element size (MO_8..MO_64), FP precision (MO_32 single, MO_64
 *            double), or memory access size for loads and stores
 */
#ifndef FERRY_TCG_IR_VEC_H
#define FERRY_TCG_IR_VEC_H

#include <stdint.h>

enum {
    VA_ZERO_M = 1u << 20,
    VA_Q      = 1u << 21,
    VA_HIGH   = 1u << 22,
    VA_ACC    = 1u << 23,
    VA_NEG    = 1u << 24,
    VA_ROUND  = 1u << 25,
    VA_WIDE   = 1u << 26,
    VA_ELEM   = 1u << 27,
};

static inline uint32_t va_pack(int d, int n, int m, int a)
{
    return (uint32_t)(d & 31) | (uint32_t)(n & 31) << 5 | (uint32_t)(m & 31) << 10 |
           (uint32_t)(a & 31) << 15;
}
static inline int va_d(uint32_t aux) { return aux & 31; }
static inline int va_n(uint32_t aux) { return (aux >> 5) & 31; }
static inline int va_m(uint32_t aux) { return (aux >> 10) & 31; }
static inline int va_a(uint32_t aux) { return (aux >> 15) & 31; }

/* Rounding for FP -> integer and round-to-integral ops (IRInsn.imm). */
enum {
    FPROUND_NEAREST = 0,   /* ties to even (N) */
    FPROUND_DOWN    = 1,   /* towards -inf (M) */
    FPROUND_UP      = 2,   /* towards +inf (P) */
    FPROUND_ZERO    = 3,   /* towards zero (Z) */
    FPROUND_FPCR    = 4,   /* current mode (FRINTI/FRINTX) */
    FPROUND_AWAY    = 5,   /* ties away from zero (A) */
    FPROUND_EXACT   = 8,   /* flag: raise Inexact (FRINTX) */
};

/* FMA variants (IRInsn.imm): bit 0 negates the product, bit 1 the addend.
 * FMADD = 0, FMSUB = 1, FNMADD = 3, FNMSUB = 2. */
enum { FMA_NEG_PRODUCT = 1, FMA_NEG_ADDEND = 2 };

#endif
