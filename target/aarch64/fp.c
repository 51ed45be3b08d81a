/*
 * Scalar FP (single and double; the half-precision forms go to fp16.c,
 * except FCSEL and FCVT between precisions): arithmetic, FMA, compares
 * (NZCV through an FCMP op that yields Arm NZCV in a temp), conditional
 * select and compare, conversions between precisions and to/from integers
 * (also fixed-point), round to integral, FMOV immediate; and the FPCR/FPSR
 * helpers that keep the host MXCSR in step with the guest's FPCR.
 */
#include <math.h>
#include <string.h>
#include <xmmintrin.h>

#include "target/aarch64/fp-arm.h"
#include "target/aarch64/simd-helpers.h"
#include "target/aarch64/simd.h"
#include "host/x86_64/host-cpu.h"
#include "tcg/exec.h"

/* type field -> precision mop, or -1 (half precision, which fp16.c
 * translates, and reserved). */
static int fp_type_mop(uint32_t insn)
{
    switch (extract32(insn, 22, 2)) {
    case 0: return MO_32;
    case 1: return MO_64;
    default: return -1;
    }
}

static uint32_t regs3(uint32_t insn)
{
    return va_pack((int)extract32(insn, 0, 5), (int)extract32(insn, 5, 5),
                   (int)extract32(insn, 16, 5), 0);
}

/* ---- FP <-> integer ------------------------------------------------------- */

static const uint8_t rmode_round[4] = { FPROUND_NEAREST, FPROUND_UP, FPROUND_DOWN, FPROUND_ZERO };

/* FP -> integer: IR_FCVT_TO_S/U, inline with Arm's saturation, NaN and
 * flag rules (the lowering's rare path is helper_fp_to_int). */
static void gen_fp_to_int(DisasContext *s, int sf, int mop, bool is_unsigned, int round,
                          int fbits, int rn, int rd)
{
    IRTemp r = vec_emit_result(s, is_unsigned ? IR_FCVT_TO_U : IR_FCVT_TO_S, sf ? 64 : 32,
                               va_pack(0, rn, 0, 0), mop, (uint64_t)round);
    s->b->blk.insns[s->b->blk.n_insns - 1].imm2 = (uint64_t)fbits;
    write_x(s, rd, r, sf);
}

/* FJCVTZS Wd, Dn: Z is set when the conversion was exact, N, C, V clear. */
static bool gen_fjcvtzs(DisasContext *s, int rn, int rd)
{
    IRTemp r = ir_call(s->b, helper_fjcvtzs, cst(s, (uint64_t)rn), cst(s, 0), cst(s, 0));
    write_x(s, rd, r, 0);
    ir_flags_from(s->b, ir_shli(s->b, 64, ir_shri(s->b, 64, r, 32), 30));
    return true;
}

static void gen_int_to_fp(DisasContext *s, int sf, int mop, bool is_unsigned, int fbits,
                          int rn, int rd)
{
    IRInsn *in = ir_emit(s->b, is_unsigned ? IR_FCVT_FROM_U : IR_FCVT_FROM_S, sf ? 64 : 32,
                         IR_NONE, read_x(s, rn, sf), IR_NONE, IR_NONE);
    in->aux = va_pack(rd, 0, 0, 0);
    in->mop = (uint8_t)mop;
    in->imm2 = (uint64_t)fbits;
}

bool trans_fp_int_conv(DisasContext *s, uint32_t insn)
{
    if (extract32(insn, 22, 2) == 3) {
        return fp16_int_conv(s, insn);  /* half precision: fp16.c */
    }
    int sf = (int)extract32(insn, 31, 1), type = (int)extract32(insn, 22, 2);
    int rmode = (int)extract32(insn, 19, 2), opcode = (int)extract32(insn, 16, 3);
    int rn = (int)extract32(insn, 5, 5), rd = (int)extract32(insn, 0, 5);
    if (sf == 0 && type == 1 && rmode == 3 && opcode == 6 &&
        cpu_model_has(s->model, FEAT_JSCVT)) {
        return gen_fjcvtzs(s, rn, rd);
    }
    if (opcode >= 6) {
        return gen_fmov_general(s, sf, type, rmode, opcode == 7, rn, rd);
    }
    int mop = fp_type_mop(insn);
    if (mop < 0) {
        return false;
    }
    switch (opcode) {
    case 0: case 1:                             /* FCVT[NPMZ][SU] */
        gen_fp_to_int(s, sf, mop, opcode == 1, rmode_round[rmode], 0, rn, rd);
        return true;
    case 2: case 3:                             /* SCVTF / UCVTF */
        if (rmode) {
            return false;
        }
        gen_int_to_fp(s, sf, mop, opcode == 3, 0, rn, rd);
        return true;
    default:                                    /* FCVTA[SU] */
        if (rmode) {
            return false;
        }
        gen_fp_to_int(s, sf, mop, opcode == 5, FPROUND_AWAY, 0, rn, rd);
        return true;
    }
}

bool trans_fp_fixed_conv(DisasContext *s, uint32_t insn)
{
    if (extract32(insn, 22, 2) == 3) {
        return fp16_fixed_conv(s, insn);  /* half precision: fp16.c */
    }
    int sf = (int)extract32(insn, 31, 1), rmode = (int)extract32(insn, 19, 2);
    int opcode = (int)extract32(insn, 16, 3), scale = (int)extract32(insn, 10, 6);
    int mop = fp_type_mop(insn);
    int rn = (int)extract32(insn, 5, 5), rd = (int)extract32(insn, 0, 5);
    if (mop < 0 || (!sf && scale < 32)) {
        return false;
    }
    int fbits = 64 - scale;
    if (rmode == 0 && (opcode == 2 || opcode == 3)) {
        gen_int_to_fp(s, sf, mop, opcode == 3, fbits, rn, rd);
        return true;
    }
    if (rmode == 3 && (opcode == 0 || opcode == 1)) {
        gen_fp_to_int(s, sf, mop, opcode == 1, FPROUND_ZERO, fbits, rn, rd);
        return true;
    }
    return false;
}

/* ---- one, two and three sources ----------------------------------------- */

/* FCVT between half, single and double: single <-> double inline (IR_FCVT,
 * exact through its slow path), half through helper_fcvt (FZ, DN, AHP). */
static bool gen_fcvt_precision(DisasContext *s, uint32_t insn, int opcode)
{
    static const int8_t type_lg[4] = { MO_32, MO_64, -1, MO_16 };
    int from = type_lg[extract32(insn, 22, 2)];
    int to = opcode == 4 ? MO_32 : opcode == 5 ? MO_64 : MO_16;
    if (from < 0 || from == to) {
        return false;
    }
    uint32_t regs = (uint32_t)(extract32(insn, 0, 5) | extract32(insn, 5, 5) << 5);
    if (from != MO_16 && to != MO_16) {
        IRInsn *in = vec_emit(s, IR_FCVT, regs, to, IR_NONE);
        in->imm = (uint64_t)from;
        return true;
    }
    ir_call(s->b, helper_fcvt, cst(s, regs), cst(s, (uint64_t)(to << 4 | from)), cst(s, 0));
    return true;
}

bool trans_fp_1src(DisasContext *s, uint32_t insn)
{
    if (extract32(insn, 22, 2) == 3 && (extract32(insn, 15, 6) == 4 || extract32(insn, 15, 6) == 5)) {
        return gen_fcvt_precision(s, insn, (int)extract32(insn, 15, 6));
    }
    if (extract32(insn, 22, 2) == 3) {
        return fp16_1src(s, insn);  /* half precision: fp16.c */
    }
    int mop = fp_type_mop(insn);
    int opcode = (int)extract32(insn, 15, 6);
    uint32_t regs = regs3(insn) & ~(31u << 10);
    if (mop < 0) {
        return false;
    }
    switch (opcode) {
    case 0: vec_emit(s, IR_VMOV, regs, mop, IR_NONE); return true;
    case 1: vec_emit(s, IR_FABS, regs, mop, IR_NONE); return true;
    case 2: vec_emit(s, IR_FNEG, regs, mop, IR_NONE); return true;
    case 3: vec_emit(s, IR_FSQRT, regs, mop, IR_NONE); return true;
    case 4: case 5: case 7:                     /* FCVT to S / D / H */
        return gen_fcvt_precision(s, insn, opcode);
    case 8: case 9: case 10: case 11: case 12: case 14: case 15: {   /* FRINT[NPMZAXI] */
        static const uint8_t mode[8] = { FPROUND_NEAREST, FPROUND_UP, FPROUND_DOWN, FPROUND_ZERO,
                                         FPROUND_AWAY, 0, FPROUND_FPCR | FPROUND_EXACT,
                                         FPROUND_FPCR };
        vec_emit(s, IR_FRINT, regs, mop, IR_NONE)->imm = mode[opcode - 8];
        return true;
    }
    default:
        return false;
    }
}

bool trans_fp_2src(DisasContext *s, uint32_t insn)
{
    if (extract32(insn, 22, 2) == 3) {
        return fp16_2src(s, insn);  /* half precision: fp16.c */
    }
    static const IROp ops[9] = { IR_FMUL, IR_FDIV, IR_FADD, IR_FSUB, IR_FMAX, IR_FMIN,
                                 IR_FMAXNM, IR_FMINNM, IR_FNMUL };
    int mop = fp_type_mop(insn);
    int opcode = (int)extract32(insn, 12, 4);
    if (mop < 0 || opcode > 8) {
        return false;
    }
    vec_emit(s, ops[opcode], regs3(insn), mop, IR_NONE);
    return true;
}

/* Fused multiply-add without host FMA3: one correctly rounded libm call. */
static uint64_t helper_fma_soft(void *envp, uint64_t regs, uint64_t variant, uint64_t dbl)
{
    CPUState *env = envp;
    int d = va_d((uint32_t)regs), n = va_n((uint32_t)regs), m = va_m((uint32_t)regs);
    int a = va_a((uint32_t)regs);
    uint64_t r;
    if (dbl) {
        double x, y, z, res;
        memcpy(&x, &env->v[n][0], 8);
        memcpy(&y, &env->v[m][0], 8);
        memcpy(&z, &env->v[a][0], 8);
        res = fma(variant & FMA_NEG_PRODUCT ? -x : x, y, variant & FMA_NEG_ADDEND ? -z : z);
        memcpy(&r, &res, 8);
    } else {
        float x, y, z, res;
        memcpy(&x, &env->v[n][0], 4);
        memcpy(&y, &env->v[m][0], 4);
        memcpy(&z, &env->v[a][0], 4);
        res = fmaf(variant & FMA_NEG_PRODUCT ? -x : x, y, variant & FMA_NEG_ADDEND ? -z : z);
        uint32_t r32;
        memcpy(&r32, &res, 4);
        r = r32;
    }
    env->v[d][0] = r;
    env->v[d][1] = 0;
    return 0;
}

bool trans_fp_3src(DisasContext *s, uint32_t insn)
{
    if (extract32(insn, 22, 2) == 3) {
        return fp16_3src(s, insn);  /* half precision: fp16.c */
    }
    int mop = fp_type_mop(insn);
    if (mop < 0) {
        return false;
    }
    int o1 = (int)extract32(insn, 21, 1), o0 = (int)extract32(insn, 15, 1);
    uint64_t variant = (uint64_t)((o1 ? FMA_NEG_ADDEND : 0) | (o0 != o1 ? FMA_NEG_PRODUCT : 0));
    uint32_t regs = regs3(insn) | va_pack(0, 0, 0, (int)extract32(insn, 10, 5));
    if (!host_cpu()->fma) {
        ir_call(s->b, helper_fma_soft, cst(s, regs), cst(s, variant), cst(s, mop == MO_64));
        return true;
    }
    IRInsn *in = vec_emit(s, IR_FMA, regs, mop, IR_NONE);
    in->imm = variant;
    return true;
}

/* ---- compares and selects ------------------------------------------------ */

/* FCMP/FCMPE inline (IR_FCMP: ucomis/comis give Arm's flags exactly). */
bool trans_fp_cmp(DisasContext *s, uint32_t insn)
{
    if (extract32(insn, 22, 2) == 3) {
        return fp16_cmp(s, insn);  /* half precision: fp16.c */
    }
    int opc = (int)extract32(insn, 3, 2);       /* bit 3: with zero, bit 4: FCMPE */
    int mop = fp_type_mop(insn);
    if (mop < 0 || extract32(insn, 14, 2)) {
        return false;
    }
    uint32_t regs = va_pack(0, (int)extract32(insn, 5, 5), (int)extract32(insn, 16, 5), 0) |
                    ((opc & 1) ? VA_ZERO_M : 0);
    ir_flags_from(s->b, vec_emit_result(s, IR_FCMP, 32, regs, mop, (uint64_t)((opc & 2) != 0)));
    return true;
}

/* FCCMP/FCCMPE inline (IR_FCCMP: the FCMP compare when the condition
 * holds, else the immediate NZCV). */
bool trans_fp_ccmp(DisasContext *s, uint32_t insn)
{
    if (extract32(insn, 22, 2) == 3) {
        return fp16_ccmp(s, insn);  /* half precision: fp16.c */
    }
    int mop = fp_type_mop(insn);
    if (mop < 0) {
        return false;
    }
    IRCond cond = (IRCond)extract32(insn, 12, 4);
    IRTemp holds = cond >= COND_AL ? cst(s, 1) : ir_setcc(s->b, cond);
    IRTemp nzcv = ir_new_temp(s->b);
    IRInsn *in = ir_emit(s->b, IR_FCCMP, 32, nzcv, holds, IR_NONE, IR_NONE);
    in->aux = va_pack(0, (int)extract32(insn, 5, 5), (int)extract32(insn, 16, 5), 0);
    in->mop = (uint8_t)mop;
    in->imm = extract32(insn, 4, 1);
    in->imm2 = (uint64_t)extract32(insn, 0, 4) << 28;
    s->b->blk.temps[nzcv].zext32 = true;
    ir_flags_from(s->b, nzcv);
    return true;
}

bool trans_fp_csel(DisasContext *s, uint32_t insn)
{
    bool half = extract32(insn, 22, 2) == 3 && cpu_model_has(s->model, FEAT_FPHP);
    int mop = half ? MO_16 : fp_type_mop(insn);
    if (mop < 0) {
        return false;
    }
    IRCond cond = (IRCond)extract32(insn, 12, 4);
    IRTemp n = vec_get_lane(s, (int)extract32(insn, 5, 5), 0, mop, 64);
    IRTemp m = vec_get_lane(s, (int)extract32(insn, 16, 5), 0, mop, 64);
    vec_set_scalar(s, (int)extract32(insn, 0, 5), ir_csel(s->b, 64, cond, n, m), mop);
    return true;
}

bool trans_fp_imm(DisasContext *s, uint32_t insn)
{
    if (extract32(insn, 22, 2) == 3) {
        return fp16_imm(s, insn);  /* half precision: fp16.c */
    }
    int mop = fp_type_mop(insn);
    if (mop < 0) {
        return false;
    }
    IRInsn *in = vec_emit(s, IR_VMOVI, va_pack((int)extract32(insn, 0, 5), 0, 0, 0), 0, IR_NONE);
    in->imm = vfp_expand_imm(extract32(insn, 13, 8), mop == MO_64 ? 64 : 32);
    return true;
}

/* ---- FPCR / FPSR ---------------------------------------------------------
 * The guest's FPCR rounding mode and flush-to-zero go into the host MXCSR
 * (all x86 exceptions stay masked, as Arm's traps are disabled).  The
 * cumulative FPSR flags are gathered from MXCSR when FPSR is read. */

#define FPCR_FZ     (1u << 24)
#define FPCR_RMODE  22
#define MXCSR_FLAGS 0x3fu
#define MXCSR_DAZ   (1u << 6)
#define MXCSR_MASKS 0x1f80u
#define MXCSR_FTZ   (1u << 15)

void fp_sync_fpcr(CPUState *env)
{
    static const uint32_t rc[4] = { 0u << 13, 2u << 13, 1u << 13, 3u << 13 };  /* RN RP RM RZ */
    uint32_t mx = _mm_getcsr() & MXCSR_FLAGS;
    mx |= MXCSR_MASKS | rc[(env->fpcr >> FPCR_RMODE) & 3];
    if (env->fpcr & FPCR_FZ) {
        mx |= MXCSR_FTZ | MXCSR_DAZ;
    }
    _mm_setcsr(mx);
}

uint64_t helper_fpcr_write(void *env, uint64_t val, uint64_t unused1, uint64_t unused2)
{
    ((CPUState *)env)->fpcr = (uint32_t)val;
    fp_sync_fpcr(env);
    exec_note_fpcr(env);
    return 0;
}

/* MXCSR IE DE ZE OE UE PE -> FPSR IOC IDC DZC OFC UFC IXC. */
static uint32_t mxcsr_to_fpsr(uint32_t mx)
{
    uint32_t r = 0;
    if (mx & 0x01) r |= 1u << 0;
    if (mx & 0x04) r |= 1u << 1;
    if (mx & 0x08) r |= 1u << 2;
    if (mx & 0x10) r |= 1u << 3;
    if (mx & 0x20) r |= 1u << 4;
    return r;
}

uint64_t helper_fpsr_read(void *envp, uint64_t unused0, uint64_t unused1, uint64_t unused2)
{
    CPUState *env = envp;
    env->fpsr |= mxcsr_to_fpsr(_mm_getcsr());
    return env->fpsr;
}

uint64_t helper_fpsr_write(void *envp, uint64_t val, uint64_t unused1, uint64_t unused2)
{
    CPUState *env = envp;
    env->fpsr = (uint32_t)val;
    _mm_setcsr(_mm_getcsr() & ~MXCSR_FLAGS);
    return 0;
}

/* AdvSIMD scalar two-register misc FCVT[NPMZA][SU] Sd/Dd and SCVTF/UCVTF
 * Sd/Dd: the general-register conversions with the integer in V[n]/V[d]. */
static bool gen_scalar_fp_int_conv(DisasContext *s, uint32_t insn)
{
    bool u = extract32(insn, 29, 1), o2 = extract32(insn, 23, 1);
    int opcode = (int)extract32(insn, 12, 5);
    int mop = extract32(insn, 22, 1) ? MO_64 : MO_32, bits = mop == MO_64 ? 64 : 32;
    int rn = (int)extract32(insn, 5, 5), rd = (int)extract32(insn, 0, 5);
    int round;
    switch (opcode | o2 << 5) {
    case 0x1a: round = FPROUND_NEAREST; break;
    case 0x1b: round = FPROUND_DOWN; break;
    case 0x1c: round = FPROUND_AWAY; break;
    case 0x3a: round = FPROUND_UP; break;
    case 0x3b: round = FPROUND_ZERO; break;
    case 0x1d: {                                /* SCVTF / UCVTF */
        IRInsn *in = ir_emit(s->b, u ? IR_FCVT_FROM_U : IR_FCVT_FROM_S, bits, IR_NONE,
                             vec_get_lane(s, rn, 0, mop, 64), IR_NONE, IR_NONE);
        in->aux = va_pack(rd, 0, 0, 0);
        in->mop = (uint8_t)mop;
        in->imm2 = 0;
        return true;
    }
    default:
        return false;
    }
    IRTemp r = vec_emit_result(s, u ? IR_FCVT_TO_U : IR_FCVT_TO_S, bits, va_pack(0, rn, 0, 0),
                               mop, (uint64_t)round);
    s->b->blk.insns[s->b->blk.n_insns - 1].imm2 = 0;
    vec_set_scalar(s, rd, r, mop);
    return true;
}

static bool inline_simd_scalar_2misc(DisasContext *s, uint32_t insn)
{
    return gen_scalar_int_2misc(s, insn) || gen_scalar_fp_int_conv(s, insn);
}

/* AdvSIMD scalar two-register misc: integer compares with zero, ABS, NEG,
 * SQABS, SQNEG (D) and the FP <-> integer conversions inline, the rest
 * (estimates, other saturating ops) through helpers. */
bool trans_simd_scalar_2misc(DisasContext *s, uint32_t insn)
{
    return simd_inline_or(s, insn, inline_simd_scalar_2misc, ext_simd_scalar_2misc);
}
