/*
 * AdvSIMD integer arithmetic inline: the three-same class (ADD/SUB, MUL,
 * MLA/MLS, logic, bit selects, compares, SMAX/SMIN/UMAX/UMIN, UMAXP/UMINP,
 * ADDP, SQADD/UQADD/SQSUB/UQSUB on 8/16-bit lanes, SSHL/USHL on 32/64-bit
 * lanes with AVX2), three-different (SADDL/UADDL/SSUBL/USUBL and the wide
 * forms, SMULL/UMULL/SMLAL/UMLAL/SMLSL/UMLSL, ADDHN), two-register misc
 * (REV*, CNT, NOT, NEG, ABS, XTN, compares with zero), across lanes
 * (UMAXV/UMINV/SMAXV/SMINV/ADDV/UADDLV/SADDLV), shifts by immediate (SHL, USHR,
 * SSHR, USRA, SSRA, SHRN, RSHRN, USHLL/SSHLL) and scalar ADDP.  Also
 * halving adds and subtracts, absolute differences (also long), SQADD/UQADD/SQSUB/UQSUB
 * on every lane size, SMAXP/SMINP, SQDMULH/SQRDMULH (also by element),
 * pairwise long adds, SQXTN/UQXTN/SQXTUN, SQ[R]SHRN/UQ[R]SHRN/SQ[R]SHRUN,
 * [SU]RSHR/[SU]RSRA, SHLL,
 * MUL/MLA/MLS by element, SQDMULL/SQDMLAL/SQDMLSL(2) (also by element),
 * CLZ/CLS (8/16/32), RBIT, SRI/SLI, SQABS/SQNEG, [R]ADDHN/[R]SUBHN and
 * SDOT/UDOT (also by element), SQSHL/UQSHL/SQSHLU by immediate, and the
 * scalar D forms of ADD/SUB, compares, ABS/NEG, SQABS/SQNEG, SQADD/UQADD/
 * SQSUB/UQSUB and the shifts by register.  The FP opcodes of these classes go to simd-fp.c
 * first.
 */
#include "target/aarch64/simd.h"

static uint32_t vregs(uint32_t insn, bool q)
{
    return va_pack((int)extract32(insn, 0, 5), (int)extract32(insn, 5, 5),
                   (int)extract32(insn, 16, 5), 0) | q_flag(q);
}

/* The logic ops (opcode 00011): size selects the operation. */
static IROp logic_op(bool u, int size)
{
    static const IROp plain[4] = { IR_VAND, IR_VBIC, IR_VORR, IR_VORN };
    static const IROp with_u[4] = { IR_VEOR, IR_VBSL, IR_VBIT, IR_VBIF };
    return u ? with_u[size] : plain[size];
}

/* Three same, vector; scalar: the D forms whose vector op works on one
 * 64-bit lane (the caller picks the opcodes). */
static bool gen_3same(DisasContext *s, uint32_t insn, bool scalar)
{
    bool q = extract32(insn, 30, 1) && !scalar, u = extract32(insn, 29, 1);
    int size = (int)extract32(insn, 22, 2), opcode = (int)extract32(insn, 11, 5);
    IROp op;
    bool no_64 = false;                         /* .2d and .1d not allowed */
    int mop = size;
    uint32_t extra = 0;
    if (opcode >= 0x18) {
        return !scalar && inline_fp_3same(s, insn);
    }
    switch (opcode) {
    case 0x01: case 0x05:                       /* SQADD UQADD SQSUB UQSUB */
        op = opcode == 1 ? IR_VQADD : IR_VQSUB;
        mop |= u ? 0 : MO_SIGN;
        break;
    case 0x00: case 0x02: case 0x04:            /* SHADD UHADD SRHADD URHADD SHSUB UHSUB */
        op = IR_VHADD;
        no_64 = true;
        mop |= u ? 0 : MO_SIGN;
        extra = opcode == 2 ? VA_ROUND : opcode == 4 ? VA_NEG : 0;
        break;
    case 0x0e: case 0x0f:                       /* SABD UABD SABA UABA */
        op = IR_VABD;
        no_64 = true;
        mop |= u ? 0 : MO_SIGN;
        extra = opcode == 0x0f ? VA_ACC : 0;
        break;
    case 0x16:                                  /* SQDMULH SQRDMULH */
        if (size != 1 && size != 2) {
            return false;
        }
        op = IR_VQDMULH;
        extra = u ? VA_ROUND : 0;
        break;
    case 0x08: case 0x0a:                       /* SSHL USHL SRSHL URSHL: with AVX2 */
        if (!host_has_avx2()) {
            return false;
        }
        op = IR_VSHLV;
        mop |= u ? 0 : MO_SIGN;
        extra = opcode == 0x0a ? VA_ROUND : 0;
        break;
    case 0x12: op = IR_VMLA; no_64 = true; extra = u ? VA_NEG : 0; break;
    case 0x03:
        vec_emit(s, logic_op(u, size), vregs(insn, q), 0, IR_NONE);
        return true;
    case 0x10: op = u ? IR_VSUB : IR_VADD; break;
    case 0x06: op = u ? IR_VCMHI : IR_VCMGT; break;
    case 0x07: op = u ? IR_VCMHS : IR_VCMGE; break;
    case 0x11: op = u ? IR_VCMEQ : IR_VCMTST; break;
    case 0x13: if (u) return gen_pmul(s, insn); op = IR_VMUL; no_64 = true; break;
    case 0x0c: op = u ? IR_VUMAX : IR_VSMAX; no_64 = true; break;
    case 0x0d: op = u ? IR_VUMIN : IR_VSMIN; no_64 = true; break;
    case 0x14: op = u ? IR_VUMAXP : IR_VSMAXP; no_64 = true; break;
    case 0x15: op = u ? IR_VUMINP : IR_VSMINP; no_64 = true; break;
    case 0x17: if (u) return false; op = IR_VADDP; break;
    default: return false;
    }
    if (size == 3 && ((!q && !scalar) || no_64)) {
        return false;
    }
    vec_emit(s, op, vregs(insn, q) | extra, mop, IR_NONE);
    return true;
}

static bool inline_simd_3same(DisasContext *s, uint32_t insn) { return gen_3same(s, insn, false); }

/* Three different: long and wide add/subtract, long multiplies with and
 * without accumulation, ADDHN/ADDHN2, PMULL/PMULL2. */
static bool inline_simd_3diff(DisasContext *s, uint32_t insn)
{
    bool q = extract32(insn, 30, 1), u = extract32(insn, 29, 1);
    int size = (int)extract32(insn, 22, 2), opcode = (int)extract32(insn, 12, 4);
    if (!u && opcode == 14) {
        return gen_pmull(s, insn);
    }
    if (size == 3) {
        return false;
    }
    uint32_t regs = vregs(insn, true) | (q ? VA_HIGH : 0);
    int mop = size | (u ? 0 : MO_SIGN);
    switch (opcode) {
    case 0: vec_emit(s, IR_VADDL, regs, mop, IR_NONE); return true;              /* [SU]ADDL */
    case 1: vec_emit(s, IR_VADDL, regs | VA_WIDE, mop, IR_NONE); return true;    /* [SU]ADDW */
    case 2: vec_emit(s, IR_VADDL, regs | VA_NEG, mop, IR_NONE); return true;     /* [SU]SUBL */
    case 3: vec_emit(s, IR_VADDL, regs | VA_WIDE | VA_NEG, mop, IR_NONE); return true;
    case 8: vec_emit(s, IR_VMULL, regs | VA_ACC, mop, IR_NONE); return true;     /* [SU]MLAL */
    case 10: vec_emit(s, IR_VMULL, regs | VA_ACC | VA_NEG, mop, IR_NONE); return true;
    case 12: vec_emit(s, IR_VMULL, regs, mop, IR_NONE); return true;            /* [SU]MULL */
    case 5: vec_emit(s, IR_VABDL, regs | VA_ACC, mop, IR_NONE); return true;      /* [SU]ABAL */
    case 7: vec_emit(s, IR_VABDL, regs, mop, IR_NONE); return true;               /* [SU]ABDL */
    case 9: case 11: case 13:                                                     /* SQDML[AS]L, SQDMULL */
        if (u || size == 0) {
            return false;
        }
        vec_emit(s, IR_VQDMULL, regs | (opcode == 13 ? 0 : VA_ACC) | (opcode == 11 ? VA_NEG : 0),
                 size, IR_NONE);
        return true;
    default: break;
    }
    if (opcode == 4 || opcode == 6) {           /* [R]ADDHN, [R]SUBHN (2) */
        IRInsn *in = vec_emit(s, IR_VADDHN, vregs(insn, false) | (q ? VA_HIGH : 0) |
                              (opcode == 6 ? VA_NEG : 0) | (u ? VA_ROUND : 0), size, IR_NONE);
        in->imm = (uint64_t)(8 << size);
        return true;
    }
    return false;
}

static bool inline_simd_2misc(DisasContext *s, uint32_t insn)
{
    bool q = extract32(insn, 30, 1), u = extract32(insn, 29, 1);
    int size = (int)extract32(insn, 22, 2), opcode = (int)extract32(insn, 12, 5);
    uint32_t regs = va_pack((int)extract32(insn, 0, 5), (int)extract32(insn, 5, 5), 0, 0) | q_flag(q);
    IROp op;
    uint64_t imm = 0;
    if (opcode >= 0x0c && (opcode < 0x12 || opcode > 0x14)) {
        return inline_fp_2misc(s, insn);
    }
    switch (opcode | (u << 5)) {
    case 0x00: op = IR_VREV; imm = 8; if (size == 3) return false; break;   /* REV64 */
    case 0x20: op = IR_VREV; imm = 4; if (size >= 2) return false; break;   /* REV32 */
    case 0x01: op = IR_VREV; imm = 2; if (size >= 1) return false; break;   /* REV16 */
    case 0x05: op = IR_VCNT; if (size) return false; break;
    case 0x25: if (size > 1) return false; op = size ? IR_VRBIT : IR_VNOT; size = 0; break;
    case 0x04: op = IR_VCLS; if (size == 3) return false; break;
    case 0x24: op = IR_VCLZ; if (size == 3) return false; break;
    case 0x2b: op = IR_VNEG; break;
    case 0x0b: op = IR_VABS; break;
    case 0x07: op = IR_VQABS; break;                                        /* SQABS */
    case 0x27: op = IR_VQABS; regs |= VA_NEG; break;                        /* SQNEG */
    case 0x08: op = IR_VCMGT; regs |= VA_ZERO_M; break;
    case 0x28: op = IR_VCMGE; regs |= VA_ZERO_M; break;
    case 0x09: op = IR_VCMEQ; regs |= VA_ZERO_M; break;
    case 0x29: op = IR_VCMLE0; break;
    case 0x0a: op = IR_VCMLT0; break;
    case 0x12:                                  /* XTN, XTN2 */
        if (size == 3) {
            return false;
        }
        vec_emit(s, IR_VSHRN, (regs & ~VA_Q) | (q ? VA_HIGH : 0), size, IR_NONE);
        return true;
    case 0x14: case 0x34: case 0x32: {          /* SQXTN UQXTN SQXTUN (2) */
        if (size > 2) {
            return false;
        }
        IRInsn *in = vec_emit(s, IR_VQXTN, (regs & ~VA_Q) | (q ? VA_HIGH : 0),
                              size | (opcode == 0x14 && u ? 0 : MO_SIGN), IR_NONE);
        in->imm = opcode == 0x12 ? 1 : 0;
        return true;
    }
    case 0x33: {                                /* SHLL (2): widen, shift by the lane size */
        if (size == 3) {
            return false;
        }
        IRInsn *in = vec_emit(s, IR_VUXTL, (regs & ~VA_Q) | (q ? VA_HIGH : 0), size, IR_NONE);
        in->imm = (uint64_t)(8 << size);
        return true;
    }
    case 0x02: case 0x22: case 0x06: case 0x26:    /* [SU]ADDLP, [SU]ADALP */
        if (size == 3) {
            return false;
        }
        vec_emit(s, IR_VADDLP, regs | (opcode == 0x06 ? VA_ACC : 0), size | (u ? 0 : MO_SIGN),
                 IR_NONE);
        return true;
    default:
        return false;
    }
    if (size == 3 && !q) {
        return false;
    }
    IRInsn *in = vec_emit(s, op, regs, size, IR_NONE);
    in->imm = imm;
    return true;
}

static bool inline_simd_across(DisasContext *s, uint32_t insn)
{
    bool q = extract32(insn, 30, 1), u = extract32(insn, 29, 1);
    int size = (int)extract32(insn, 22, 2), opcode = (int)extract32(insn, 12, 5);
    IROp op;
    int sign = 0;
    switch (opcode | (u << 5)) {
    case 0x2a: op = IR_VUMAXV; break;
    case 0x3a: op = IR_VUMINV; break;
    case 0x0a: op = IR_VSMAXV; break;
    case 0x1a: op = IR_VSMINV; break;
    case 0x1b: op = IR_VADDV; break;
    case 0x23: op = IR_VUADDLV; break;
    case 0x03: op = IR_VUADDLV; sign = MO_SIGN; break;      /* SADDLV */
    default: return false;
    }
    if (size == 3 || (size == 2 && !q)) {
        return false;
    }
    vec_emit(s, op, va_pack((int)extract32(insn, 0, 5), (int)extract32(insn, 5, 5), 0, 0) | q_flag(q),
             size | sign, IR_NONE);
    return true;
}

static bool gen_shift_imm(DisasContext *s, uint32_t insn, bool scalar)
{
    bool q = extract32(insn, 30, 1) && !scalar, u = extract32(insn, 29, 1);
    int immh = (int)extract32(insn, 19, 4), immb = (int)extract32(insn, 16, 3);
    int opcode = (int)extract32(insn, 11, 5);
    int lg = 31 - __builtin_clz((unsigned)immh);          /* element size of the source */
    int esize = 8 << lg, immhb = (immh << 3) | immb;
    uint32_t regs = va_pack((int)extract32(insn, 0, 5), (int)extract32(insn, 5, 5), 0, 0);
    IROp op;
    uint64_t sh;
    switch (opcode | (u << 5)) {
    case 0x00: op = IR_VSSHR; sh = (uint64_t)(2 * esize - immhb); break;
    case 0x20: op = IR_VUSHR; sh = (uint64_t)(2 * esize - immhb); break;
    case 0x02: op = IR_VSSHR; sh = (uint64_t)(2 * esize - immhb); regs |= VA_ACC; break;  /* SSRA */
    case 0x22: op = IR_VUSHR; sh = (uint64_t)(2 * esize - immhb); regs |= VA_ACC; break;  /* USRA */
    case 0x04: op = IR_VSSHR; sh = (uint64_t)(2 * esize - immhb); regs |= VA_ROUND; break;          /* SRSHR */
    case 0x24: op = IR_VUSHR; sh = (uint64_t)(2 * esize - immhb); regs |= VA_ROUND; break;          /* URSHR */
    case 0x06: op = IR_VSSHR; sh = (uint64_t)(2 * esize - immhb); regs |= VA_ROUND | VA_ACC; break; /* SRSRA */
    case 0x26: op = IR_VUSHR; sh = (uint64_t)(2 * esize - immhb); regs |= VA_ROUND | VA_ACC; break; /* URSRA */
    case 0x0a: op = IR_VSHL;  sh = (uint64_t)(immhb - esize); break;
    case 0x28: op = IR_VSRI;  sh = (uint64_t)(2 * esize - immhb); break;
    case 0x2a: op = IR_VSLI;  sh = (uint64_t)(immhb - esize); break;
    case 0x0e: case 0x2e: case 0x2c:            /* SQSHL UQSHL SQSHLU #imm */
        if ((lg == 3 && !q) != scalar) {
            return false;
        }
        {
            IRInsn *in = vec_emit(s, IR_VQSHLI, regs | q_flag(q),
                                  lg | (u && opcode == 0x0e ? 0 : MO_SIGN), IR_NONE);
            in->imm = (uint64_t)(immhb - esize);
            in->imm2 = (uint64_t)(opcode == 0x0c);
        }
        return true;
    case 0x10: case 0x11:                       /* SHRN, RSHRN (2): narrow to lg */
        if (lg == 3 || scalar) {
            return false;
        }
        sh = (uint64_t)(2 * esize - immhb);
        {
            IRInsn *in = vec_emit(s, IR_VSHRN, regs | (q ? VA_HIGH : 0) |
                                  (opcode == 0x11 ? VA_ROUND : 0), lg, IR_NONE);
            in->imm = sh;
        }
        return true;
    case 0x12: case 0x32: case 0x13: case 0x33: case 0x30: case 0x31: {
        /* SQ[R]SHRN, UQ[R]SHRN, SQ[R]SHRUN (2) */
        if (lg > 2 || scalar) {
            return false;
        }
        bool unsigned_in = u && opcode >= 0x12;
        IRInsn *in = vec_emit(s, IR_VQSHRN, regs | (q ? VA_HIGH : 0) | (opcode & 1 ? VA_ROUND : 0),
                              lg | (unsigned_in ? 0 : MO_SIGN), IR_NONE);
        in->imm = (uint64_t)(2 * esize - immhb);
        in->imm2 = (uint64_t)(u && opcode < 0x12);
        return true;
    }
    case 0x14: case 0x34:                       /* SSHLL/USHLL (SXTL/UXTL) */
        if (lg == 3 || scalar) {
            return false;
        }
        {
            IRInsn *in = vec_emit(s, u ? IR_VUXTL : IR_VSXTL, regs | (q ? VA_HIGH : 0), lg, IR_NONE);
            in->imm = (uint64_t)(immhb - esize);
        }
        return true;
    default:
        return false;
    }
    if ((lg == 3 && !q) != scalar) {
        return false;                           /* scalar forms: D registers only */
    }
    IRInsn *in = vec_emit(s, op, regs | q_flag(q), lg, IR_NONE);
    in->imm = sh;
    return true;
}

static bool inline_simd_shift_imm(DisasContext *s, uint32_t insn)
{
    return gen_shift_imm(s, insn, false);
}

/* Scalar SSHR/USHR/SHL Dd, Dn, #imm: the vector forms on one 64-bit lane. */
static bool inline_simd_scalar_shift_imm(DisasContext *s, uint32_t insn)
{
    return gen_shift_imm(s, insn, true);
}

/* Scalar CMGT/CMGE/CMEQ/CMLE/CMLT Dd, Dn, #0, ABS, NEG, SQABS, SQNEG Dd, Dn:
 * the vector ops on one 64-bit lane. */
bool gen_scalar_int_2misc(DisasContext *s, uint32_t insn)
{
    bool u = extract32(insn, 29, 1);
    int opcode = (int)extract32(insn, 12, 5);
    uint32_t regs = va_pack((int)extract32(insn, 0, 5), (int)extract32(insn, 5, 5), 0, 0);
    IROp op;
    switch (opcode | (u << 5)) {
    case 0x08: op = IR_VCMGT; regs |= VA_ZERO_M; break;
    case 0x28: op = IR_VCMGE; regs |= VA_ZERO_M; break;
    case 0x09: op = IR_VCMEQ; regs |= VA_ZERO_M; break;
    case 0x29: op = IR_VCMLE0; break;
    case 0x0a: op = IR_VCMLT0; break;
    case 0x0b: op = IR_VABS; break;
    case 0x2b: op = IR_VNEG; break;
    case 0x07: op = IR_VQABS; break;
    case 0x27: op = IR_VQABS; regs |= VA_NEG; break;
    default: return false;
    }
    if (extract32(insn, 22, 2) != 3) {
        return false;
    }
    vec_emit(s, op, regs, MO_64, IR_NONE);
    return true;
}

/* Scalar three-same on D registers: the vector ops on one 64-bit lane
 * (ADD, SUB, the compares, SQADD/UQADD/SQSUB/UQSUB, and with AVX2
 * SSHL/USHL/SRSHL/URSHL); the other sizes and ops go to the helpers. */
static bool inline_simd_scalar_3same(DisasContext *s, uint32_t insn)
{
    switch (extract32(insn, 11, 5)) {
    case 0x01: case 0x05: case 0x06: case 0x07: case 0x08: case 0x0a: case 0x10: case 0x11:
        return extract32(insn, 22, 2) == 3 && gen_3same(s, insn, true);
    default:
        return false;
    }
}

/* ADDP Dd, Vn.2D. */
static bool inline_simd_scalar_pair(DisasContext *s, uint32_t insn)
{
    int size = (int)extract32(insn, 22, 2), opcode = (int)extract32(insn, 12, 5);
    if (extract32(insn, 29, 1) || opcode != 0x1b || size != 3) {
        return false;
    }
    int rn = (int)extract32(insn, 5, 5);
    IRTemp sum = ir_add(s->b, 64, vec_get_lane(s, rn, 0, MO_64, 64), vec_get_lane(s, rn, 1, MO_64, 64));
    vec_set_scalar(s, (int)extract32(insn, 0, 5), sum, MO_64);
    return true;
}

/* By element, vector: MUL, MLA, MLS, SQDMULH, SQRDMULH on 16/32-bit lanes,
 * SQDMULL/SQDMLAL/SQDMLSL (2) from them. */
bool inline_int_indexed(DisasContext *s, uint32_t insn)
{
    bool q = extract32(insn, 30, 1), u = extract32(insn, 29, 1);
    int size = (int)extract32(insn, 22, 2), opcode = (int)extract32(insn, 12, 4);
    IROp op;
    uint32_t extra = 0;
    switch (opcode | (u << 4)) {
    case 0x08: op = IR_VMUL; break;
    case 0x10: op = IR_VMLA; break;
    case 0x14: op = IR_VMLA; extra = VA_NEG; break;
    case 0x0c: op = IR_VQDMULH; break;
    case 0x0d: op = IR_VQDMULH; extra = VA_ROUND; break;
    case 0x03: op = IR_VQDMULL; extra = VA_ACC; break;
    case 0x07: op = IR_VQDMULL; extra = VA_ACC | VA_NEG; break;
    case 0x0b: op = IR_VQDMULL; break;
    case 0x0e: case 0x1e:                       /* SDOT UDOT */
        if (size != 2 || !cpu_model_has(s->model, FEAT_DOTPROD)) {
            return false;
        }
        op = IR_VDOT;
        break;
    default: return false;
    }
    int rm, idx;
    if (!simd_elem_operand(insn, size, &rm, &idx)) {
        return false;
    }
    uint32_t shape = op == IR_VQDMULL ? (q ? VA_HIGH : 0) : q_flag(q);
    int mop = op == IR_VDOT ? (u ? 0 : MO_SIGN) : size;
    IRInsn *in = vec_emit(s, op, va_pack((int)extract32(insn, 0, 5), (int)extract32(insn, 5, 5), rm, 0) |
                          shape | VA_ELEM | extra, mop, IR_NONE);
    in->imm = (uint64_t)idx;
    return true;
}

/* SDOT/UDOT (vector); the rest of the three-same extra class (SQRDMLAH,
 * SQRDMLSH, the scalar forms) goes to the helpers. */
static bool inline_simd_3same_extra(DisasContext *s, uint32_t insn)
{
    bool q = extract32(insn, 30, 1), u = extract32(insn, 29, 1);
    if (extract32(insn, 11, 4) != 2 || extract32(insn, 28, 1) || extract32(insn, 22, 2) != 2 ||
        !cpu_model_has(s->model, FEAT_DOTPROD)) {
        return false;
    }
    vec_emit(s, IR_VDOT, vregs(insn, q), u ? 0 : MO_SIGN, IR_NONE);
    return true;
}

/* ---- the table's entry points: inline when possible, else a helper ------ */

bool trans_simd_3same(DisasContext *s, uint32_t insn) { return simd_inline_or(s, insn, inline_simd_3same, ext_simd_3same); }
bool trans_simd_3diff(DisasContext *s, uint32_t insn) { return simd_inline_or(s, insn, inline_simd_3diff, ext_simd_3diff); }
bool trans_simd_2misc(DisasContext *s, uint32_t insn) { return simd_inline_or(s, insn, inline_simd_2misc, ext_simd_2misc); }
bool trans_simd_across(DisasContext *s, uint32_t insn) { return simd_inline_or(s, insn, inline_simd_across, ext_simd_across); }
bool trans_simd_shift_imm(DisasContext *s, uint32_t insn) { return simd_inline_or(s, insn, inline_simd_shift_imm, ext_simd_shift_imm); }
bool trans_simd_scalar_shift_imm(DisasContext *s, uint32_t insn) { return simd_inline_or(s, insn, inline_simd_scalar_shift_imm, ext_simd_scalar_shift_imm); }
bool trans_simd_scalar_pair(DisasContext *s, uint32_t insn) { return simd_inline_or(s, insn, inline_simd_scalar_pair, ext_simd_scalar_pair); }
bool trans_simd_3same_extra(DisasContext *s, uint32_t insn) { return simd_inline_or(s, insn, inline_simd_3same_extra, ext_simd_3same_extra); }
bool trans_simd_scalar_3same(DisasContext *s, uint32_t insn) { return simd_inline_or(s, insn, inline_simd_scalar_3same, ext_simd_scalar_3same); }
