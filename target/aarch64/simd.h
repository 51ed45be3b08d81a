/*
 * Shared by the FP/AdvSIMD translate files (simd-ldst.c, simd-move.c,
 * simd-int.c, fp.c): emitting the vector IR ops of tcg/ir-ops-vec.def and
 * the checks every FP/SIMD instruction makes.
 */
#ifndef FERRY_TARGET_AARCH64_SIMD_H
#define FERRY_TARGET_AARCH64_SIMD_H

#include "target/aarch64/translate.h"
#include <string.h>

#include "host/x86_64/host-cpu.h"
#include "tcg/ir-vec.h"

/* Emit a vector op; the returned insn is valid until the next emit. */
static inline IRInsn *vec_emit(DisasContext *s, IROp op, uint32_t aux, int mop,
                               IRTemp src0)
{
    IRInsn *in = ir_emit(s->b, op, 64, IR_NONE, src0, IR_NONE, IR_NONE);
    in->aux = aux;
    in->mop = (uint8_t)mop;
    return in;
}

/* Emit a vector op with a result temp of `bits` (32 or 64). */
static inline IRTemp vec_emit_result(DisasContext *s, IROp op, int bits, uint32_t aux,
                                     int mop, uint64_t imm)
{
    IRTemp d = ir_new_temp(s->b);
    IRInsn *in = ir_emit(s->b, op, bits, d, IR_NONE, IR_NONE, IR_NONE);
    in->aux = aux;
    in->mop = (uint8_t)mop;
    in->imm = imm;
    s->b->blk.temps[d].zext32 = bits == 32;
    return d;
}

/* V[d] lanes: read lane `idx` (mop) as a temp / write a whole scalar. */
static inline IRTemp vec_get_lane(DisasContext *s, int n, int idx, int mop, int bits)
{
    return vec_emit_result(s, IR_VGET, bits, va_pack(0, n, 0, 0), mop, (uint64_t)idx);
}
static inline void vec_set_scalar(DisasContext *s, int d, IRTemp val, int mop)
{
    vec_emit(s, IR_VSET_ZX, va_pack(d, 0, 0, 0), mop, val);
}

static inline uint32_t q_flag(int q) { return q ? VA_Q : 0; }

/* simd-move.c */
bool gen_fmov_general(DisasContext *s, int sf, int type, int rmode, bool to_fp, int rn, int rd);
uint64_t vfp_expand_imm(uint32_t imm8, int bits);

/* simd-int.c: scalar two-register misc on D registers (compares with
 * zero, ABS, NEG, SQABS, SQNEG). */
bool gen_scalar_int_2misc(DisasContext *s, uint32_t insn);

/* simd-crypto.c: the polynomial multiplies inside the three-different
 * (PMULL, PMULL2) and three-same (PMUL) classes. */
bool gen_pmull(DisasContext *s, uint32_t insn);
bool gen_pmul(DisasContext *s, uint32_t insn);

/* FPCR -> host MXCSR (rounding mode, flush-to-zero); call after any change
 * of env->fpcr.  And the FP helpers the system-register translation calls
 * through ir_call (fp.c). */
void fp_sync_fpcr(CPUState *env);
uint64_t helper_fpcr_write(void *env, uint64_t val, uint64_t unused1, uint64_t unused2);
uint64_t helper_fpsr_read(void *env, uint64_t unused0, uint64_t unused1, uint64_t unused2);
uint64_t helper_fpsr_write(void *env, uint64_t val, uint64_t unused1, uint64_t unused2);

/* Try an inline translation; if it refuses the encoding, drop what it
 * emitted and let the helper-based translation (simd-*-ext.c) have it. */
typedef bool (*SimdTransFn)(DisasContext *s, uint32_t insn);
static inline bool simd_inline_or(DisasContext *s, uint32_t insn, SimdTransFn inline_fn,
                                  SimdTransFn fallback)
{
    IRBuilder *b = s->b;
    uint32_t n_insns = b->blk.n_insns, n_temps = b->blk.n_temps;
    IRTemp cache[32];
    memcpy(cache, b->reg_cache, sizeof(cache));
    if (inline_fn(s, insn)) {
        return true;
    }
    b->blk.n_insns = n_insns;
    b->blk.n_temps = n_temps;
    memcpy(b->reg_cache, cache, sizeof(cache));
    return fallback(s, insn);
}

/* simd-fp.c: inline vector FP (three same, two-register misc); false
 * for what they leave to the helpers. */
bool inline_fp_3same(DisasContext *s, uint32_t insn);
bool inline_fp_2misc(DisasContext *s, uint32_t insn);

/* The m register and lane index of an integer by-element form (H:L:M and
 * Rm<3:0> for 16-bit lanes, H:L and Rm for 32-bit); false for other sizes. */
static inline bool simd_elem_operand(uint32_t insn, int size, int *rm, int *idx)
{
    int h = (int)extract32(insn, 11, 1), l = (int)extract32(insn, 21, 1), mbit = (int)extract32(insn, 20, 1);
    if (size == 1) {
        *rm = (int)extract32(insn, 16, 4);
        *idx = (h << 2) | (l << 1) | mbit;
        return true;
    }
    if (size == 2) {
        *rm = (int)extract32(insn, 16, 5);
        *idx = (h << 1) | l;
        return true;
    }
    return false;
}

/* simd-int.c: the integer by-element forms it lowers inline. */
bool inline_int_indexed(DisasContext *s, uint32_t insn);

/* AVX2 on the host (variable shifts). */
static inline bool host_has_avx2(void) { return host_cpu()->avx2; }

/* fp16.c: the half-precision (type = 11) forms of the scalar FP classes. */
bool fp16_int_conv(DisasContext *s, uint32_t insn);
bool fp16_fixed_conv(DisasContext *s, uint32_t insn);
bool fp16_1src(DisasContext *s, uint32_t insn);
bool fp16_2src(DisasContext *s, uint32_t insn);
bool fp16_3src(DisasContext *s, uint32_t insn);
bool fp16_cmp(DisasContext *s, uint32_t insn);
bool fp16_ccmp(DisasContext *s, uint32_t insn);
bool fp16_imm(DisasContext *s, uint32_t insn);

/* Helper-based translations (simd-int-ext.c, simd-fp-ext.c). */
bool ext_simd_indexed(DisasContext *s, uint32_t insn);
bool ext_simd_3same(DisasContext *s, uint32_t insn);
bool ext_simd_3diff(DisasContext *s, uint32_t insn);
bool ext_simd_3same_extra(DisasContext *s, uint32_t insn);
bool ext_simd_scalar_3same(DisasContext *s, uint32_t insn);
bool ext_simd_2misc(DisasContext *s, uint32_t insn);
bool ext_simd_across(DisasContext *s, uint32_t insn);
bool ext_simd_shift_imm(DisasContext *s, uint32_t insn);
bool ext_simd_scalar_shift_imm(DisasContext *s, uint32_t insn);
bool ext_simd_scalar_pair(DisasContext *s, uint32_t insn);
bool ext_simd_scalar_2misc(DisasContext *s, uint32_t insn);
bool ext_fp_3same(DisasContext *s, uint32_t insn, bool scalar);
bool ext_fp_2misc(DisasContext *s, uint32_t insn, bool scalar);
bool ext_fp_shift_imm(DisasContext *s, uint32_t insn, bool scalar);
bool ext_fp_indexed(DisasContext *s, uint32_t insn, bool scalar);
bool ext_fp_across(DisasContext *s, uint32_t insn);
bool ext_fp_scalar_pair(DisasContext *s, uint32_t insn);
void gen_vhelper(DisasContext *s, IRHelper fn, uint32_t regs, uint64_t desc, uint64_t imm);

#endif
