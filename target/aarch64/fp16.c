/*
 * Scalar half-precision FP (FEAT_FP16, the type = 11 forms of the scalar
 * FP classes): fp.c hands these encodings here (FCSEL and FCVT between
 * precisions it translates itself).  Moves, absolute value and negation
 * are inline lane operations; everything that rounds, compares or raises
 * flags is a call of the FP helpers (helper_vfp on one H lane,
 * helper_fcmp, helper_fp_to_int, helper_fp_from_int), which compute with
 * fp-arm.c under FPCR (FZ16, DN, rounding mode).  Half precision is rare
 * in real programs, so no inline fast path.
 */
#include "target/aarch64/fp-arm.h"
#include "target/aarch64/simd-helpers.h"
#include "target/aarch64/simd.h"

static bool fp16_allowed(DisasContext *s)
{
    return cpu_model_has(s->model, FEAT_FPHP);
}

/* One H lane through helper_vfp; the rest of V[d] is zeroed. */
static void gen_half_op(DisasContext *s, uint32_t regs, int op, uint64_t flags, uint64_t imm)
{
    gen_vhelper(s, helper_vfp, regs, VD_OP(op) | VD_SIZE(1) | VD_SHAPE(VSH_SAME) | VD_SCALAR | flags,
                imm);
}

static uint32_t regs_dnm(uint32_t insn)
{
    return va_pack((int)extract32(insn, 0, 5), (int)extract32(insn, 5, 5),
                   (int)extract32(insn, 16, 5), 0);
}

/* ---- FP <-> integer ------------------------------------------------------- */

/* FCVT*S/U Wd/Xd, Hn (rounding mode as Arm's RM_*), also #fbits. */
static void gen_half_to_int(DisasContext *s, int sf, bool is_unsigned, int rmode, int fbits,
                            int rn, int rd)
{
    uint64_t desc = VD_SIZE(1) | (is_unsigned ? 0 : VD_SIGNED) | (sf ? VD_FLAG(1) : 0);
    IRTemp r = ir_call(s->b, helper_fp_to_int, cst(s, (uint64_t)rn), cst(s, desc),
                       cst(s, (uint64_t)(rmode | fbits << 8)));
    write_x(s, rd, r, sf);
}

/* SCVTF/UCVTF Hd, Wn/Xn, also #fbits. */
static void gen_int_to_half(DisasContext *s, int sf, bool is_unsigned, int fbits, int rn, int rd)
{
    uint64_t desc = VD_SIZE(1) | (is_unsigned ? 0 : VD_SIGNED) | (sf ? VD_FLAG(1) : 0);
    ir_call(s->b, helper_fp_from_int, read_x(s, rn, sf), cst(s, desc),
            cst(s, (uint64_t)(rd | fbits << 8)));
}

bool fp16_int_conv(DisasContext *s, uint32_t insn)
{
    int sf = (int)extract32(insn, 31, 1), rmode = (int)extract32(insn, 19, 2);
    int opcode = (int)extract32(insn, 16, 3);
    int rn = (int)extract32(insn, 5, 5), rd = (int)extract32(insn, 0, 5);
    if (!fp16_allowed(s)) {
        return false;
    }
    switch (opcode) {
    case 0: case 1:                             /* FCVT[NPMZ][SU]: rmode is Arm's order */
        gen_half_to_int(s, sf, opcode == 1, rmode, 0, rn, rd);
        return true;
    case 2: case 3:                             /* SCVTF / UCVTF */
        if (rmode) {
            return false;
        }
        gen_int_to_half(s, sf, opcode == 3, 0, rn, rd);
        return true;
    case 4: case 5:                             /* FCVTA[SU] */
        if (rmode) {
            return false;
        }
        gen_half_to_int(s, sf, opcode == 5, RM_TIEAWAY, 0, rn, rd);
        return true;
    default:                                    /* FMOV Wd/Xd <-> Hn */
        return rmode == 0 && gen_fmov_general(s, sf, 3, 0, opcode == 7, rn, rd);
    }
}

bool fp16_fixed_conv(DisasContext *s, uint32_t insn)
{
    int sf = (int)extract32(insn, 31, 1), rmode = (int)extract32(insn, 19, 2);
    int opcode = (int)extract32(insn, 16, 3), scale = (int)extract32(insn, 10, 6);
    int rn = (int)extract32(insn, 5, 5), rd = (int)extract32(insn, 0, 5);
    if (!fp16_allowed(s) || (!sf && scale < 32)) {
        return false;
    }
    int fbits = 64 - scale;
    if (rmode == 0 && (opcode == 2 || opcode == 3)) {
        gen_int_to_half(s, sf, opcode == 3, fbits, rn, rd);
        return true;
    }
    if (rmode == 3 && (opcode == 0 || opcode == 1)) {
        gen_half_to_int(s, sf, opcode == 1, RM_ZERO, fbits, rn, rd);
        return true;
    }
    return false;
}

/* ---- one, two and three sources ------------------------------------------ */

/* FMOV / FABS / FNEG Hd, Hn: bit operations, no flags, NaNs untouched. */
static void gen_half_bits(DisasContext *s, int opcode, int rn, int rd)
{
    IRTemp v = vec_get_lane(s, rn, 0, MO_16, 32);
    if (opcode == 1) {
        v = ir_and(s->b, 32, v, cst(s, 0x7fff));
    } else if (opcode == 2) {
        v = ir_xor(s->b, 32, v, cst(s, 0x8000));
    }
    vec_set_scalar(s, rd, v, MO_16);
}

/* opcode: bits 20..15 (FCVT to S/D is fp.c's). */
bool fp16_1src(DisasContext *s, uint32_t insn)
{
    static const int8_t frint_rm[8] = { RM_TIEEVEN, RM_POSINF, RM_NEGINF, RM_ZERO,
                                        RM_TIEAWAY, -1, 7, 7 };     /* 7: FPCR */
    int opcode = (int)extract32(insn, 15, 6);
    int rn = (int)extract32(insn, 5, 5), rd = (int)extract32(insn, 0, 5);
    uint32_t regs = va_pack(rd, rn, 0, 0);
    if (!fp16_allowed(s)) {
        return false;
    }
    switch (opcode) {
    case 0: case 1: case 2:                     /* FMOV, FABS, FNEG */
        gen_half_bits(s, opcode, rn, rd);
        return true;
    case 3:
        gen_half_op(s, regs, VF_SQRT, 0, 0);
        return true;
    case 8: case 9: case 10: case 11: case 12: case 14: case 15:    /* FRINT[NPMZAXI] */
        gen_half_op(s, regs, VF_RINT, opcode == 14 ? VD_FLAG(1) : 0,
                    (uint64_t)frint_rm[opcode - 8]);
        return true;
    default:
        return false;
    }
}

bool fp16_2src(DisasContext *s, uint32_t insn)
{
    static const int8_t ops[9] = { VF_MUL, VF_DIV, VF_ADD, VF_SUB, VF_MAX, VF_MIN,
                                   VF_MAXNM, VF_MINNM, VF_NMUL };
    int opcode = (int)extract32(insn, 12, 4);
    if (!fp16_allowed(s) || opcode > 8) {
        return false;
    }
    gen_half_op(s, regs_dnm(insn), ops[opcode], 0, 0);
    return true;
}

/* FMADD/FMSUB/FNMADD/FNMSUB Hd, Hn, Hm, Ha: one rounding (fp-arm.c). */
bool fp16_3src(DisasContext *s, uint32_t insn)
{
    if (!fp16_allowed(s)) {
        return false;
    }
    int o1 = (int)extract32(insn, 21, 1), o0 = (int)extract32(insn, 15, 1);
    uint64_t variant = (uint64_t)((o0 != o1 ? 1 : 0) | (o1 ? 2 : 0));
    gen_half_op(s, regs_dnm(insn) | va_pack(0, 0, 0, (int)extract32(insn, 10, 5)), VF_MADD, 0,
                variant);
    return true;
}

/* ---- compares and selects ------------------------------------------------ */

/* helper_fcmp's desc: half | signalling << 2 | with zero << 3 | NZCV. */
bool fp16_cmp(DisasContext *s, uint32_t insn)
{
    int opc = (int)extract32(insn, 3, 2);       /* bit 3: with zero, bit 4: FCMPE */
    if (!fp16_allowed(s) || extract32(insn, 14, 2)) {
        return false;
    }
    uint64_t regs = extract32(insn, 5, 5) | extract32(insn, 16, 5) << 5;
    uint64_t desc = 1 | (uint64_t)((opc & 2) != 0) << 2 | (uint64_t)(opc & 1) << 3;
    ir_flags_from(s->b, ir_call(s->b, helper_fcmp, cst(s, regs), cst(s, desc), cst(s, 1)));
    return true;
}

bool fp16_ccmp(DisasContext *s, uint32_t insn)
{
    if (!fp16_allowed(s)) {
        return false;
    }
    IRCond cond = (IRCond)extract32(insn, 12, 4);
    IRTemp holds = cond >= COND_AL ? cst(s, 1) : ir_setcc(s->b, cond);
    uint64_t regs = extract32(insn, 5, 5) | extract32(insn, 16, 5) << 5;
    uint64_t desc = 1 | (uint64_t)extract32(insn, 4, 1) << 2 | (uint64_t)extract32(insn, 0, 4) << 28;
    ir_flags_from(s->b, ir_call(s->b, helper_fcmp, cst(s, regs), cst(s, desc), holds));
    return true;
}

bool fp16_imm(DisasContext *s, uint32_t insn)
{
    if (!fp16_allowed(s)) {
        return false;
    }
    IRInsn *in = vec_emit(s, IR_VMOVI, va_pack((int)extract32(insn, 0, 5), 0, 0, 0), 0, IR_NONE);
    in->imm = vfp_expand_imm(extract32(insn, 13, 8), 16);
    return true;
}
