/*
 * AdvSIMD instructions translated inline that the hot loops of compiled
 * code use: vector FP arithmetic (FADD FSUB FMUL FDIV FMLA FMLS FMAX FMIN
 * FMAXNM FMINNM FABS FNEG FSQRT), FP compares (FCMEQ/FCMGE/FCMGT/FACGE/
 * FACGT, with #0), FCVT[NMPZ]S and SCVTF on single lanes, FCVTL/FCVTN
 * between single and double; by element: FMUL/FMLA/FMLS and
 * SMULL/UMULL/SMLAL/UMLAL/SMLSL/UMLSL; and TBL/TBX.  Whatever these refuse
 * goes to the helper-based translations (simd-fp-ext.c, simd-int-ext.c).
 * The lowering (host/x86_64/lower-vec-fp.c) keeps Arm's results exact.
 */
#include "target/aarch64/simd.h"

static uint32_t fp_regs(uint32_t insn, bool q)
{
    return va_pack((int)extract32(insn, 0, 5), (int)extract32(insn, 5, 5),
                   (int)extract32(insn, 16, 5), 0) | q_flag(q);
}

static bool host_fma(void) { return host_cpu()->fma; }

/* Three same, FP opcodes (bits 15:11 >= 0x18), vector forms. */
bool inline_fp_3same(DisasContext *s, uint32_t insn)
{
    bool q = extract32(insn, 30, 1), u = extract32(insn, 29, 1);
    int a = (int)extract32(insn, 23, 1), sz = (int)extract32(insn, 22, 1);
    int key = (u << 4) | (a << 3) | (int)extract32(insn, 11, 3);
    uint32_t extra = 0;
    IROp op;
    if (sz && !q) {
        return false;
    }
    switch (key) {
    case 0x00: op = IR_VFMAXNM; break;
    case 0x08: op = IR_VFMINNM; break;
    case 0x06: op = IR_VFMAX; break;
    case 0x0e: op = IR_VFMIN; break;
    case 0x01: op = IR_VFMLA; break;
    case 0x09: op = IR_VFMLA; extra = VA_NEG; break;
    case 0x02: op = IR_VFADD; break;
    case 0x0a: op = IR_VFSUB; break;
    case 0x13: op = IR_VFMUL; break;
    case 0x17: op = IR_VFDIV; break;
    case 0x04: op = IR_VFCMEQ; break;
    case 0x14: op = IR_VFCMGE; break;
    case 0x1c: op = IR_VFCMGT; break;
    case 0x15: op = IR_VFACGE; break;
    case 0x1d: op = IR_VFACGT; break;
    default: return false;
    }
    if (op == IR_VFMLA && !host_fma()) {
        return false;
    }
    vec_emit(s, op, fp_regs(insn, q) | extra, sz ? MO_64 : MO_32, IR_NONE);
    return true;
}

/* Two-register misc, FP opcodes, vector forms. */
bool inline_fp_2misc(DisasContext *s, uint32_t insn)
{
    bool q = extract32(insn, 30, 1), u = extract32(insn, 29, 1);
    int a = (int)extract32(insn, 23, 1), sz = (int)extract32(insn, 22, 1);
    int opcode = (int)extract32(insn, 12, 5);
    uint32_t regs = va_pack((int)extract32(insn, 0, 5), (int)extract32(insn, 5, 5), 0, 0);
    int mop = sz ? MO_64 : MO_32;
    uint64_t imm = 0;
    IROp op;
    switch ((u << 6) | (a << 5) | opcode) {
    case 0x17:                                  /* FCVTL(2) .2d, .2s/.4s */
    case 0x16:                                  /* FCVTN(2) .2s/.4s, .2d */
        if (!sz) {
            return false;
        }
        vec_emit(s, opcode == 0x17 ? IR_VFCVTL : IR_VFCVTN, regs | (q ? VA_HIGH : 0), MO_64, IR_NONE);
        return true;
    case 0x2f: op = IR_VFABS; break;
    case 0x6f: op = IR_VFNEG; break;
    case 0x7f: op = IR_VFSQRT; break;
    case 0x2c: op = IR_VFCMGT; regs |= VA_ZERO_M; break;
    case 0x2d: op = IR_VFCMEQ; regs |= VA_ZERO_M; break;
    case 0x6c: op = IR_VFCMGE; regs |= VA_ZERO_M; break;
    case 0x6d: op = IR_VFCMLE0; break;
    case 0x2e: op = IR_VFCMLT0; break;
    case 0x1d: op = IR_VFCVT_FROM_S; if (sz) return false; break;   /* SCVTF .s */
    case 0x1a: op = IR_VFCVT_TO_S; imm = FPROUND_NEAREST; if (sz) return false; break;
    case 0x1b: op = IR_VFCVT_TO_S; imm = FPROUND_DOWN; if (sz) return false; break;
    case 0x3a: op = IR_VFCVT_TO_S; imm = FPROUND_UP; if (sz) return false; break;
    case 0x3b: op = IR_VFCVT_TO_S; imm = FPROUND_ZERO; if (sz) return false; break;
    case 0x18: op = IR_VFRINT; imm = FPROUND_NEAREST; break;
    case 0x19: op = IR_VFRINT; imm = FPROUND_DOWN; break;
    case 0x38: op = IR_VFRINT; imm = FPROUND_UP; break;
    case 0x39: op = IR_VFRINT; imm = FPROUND_ZERO; break;
    case 0x59: op = IR_VFRINT; imm = FPROUND_FPCR; regs |= VA_NEG; break;     /* FRINTX */
    case 0x79: op = IR_VFRINT; imm = FPROUND_FPCR; break;                     /* FRINTI */
    default: return false;
    }
    if (sz && !q) {
        return false;
    }
    IRInsn *in = vec_emit(s, op, regs | q_flag(q), mop, IR_NONE);
    in->imm = imm;
    return true;
}

/* By element: FMUL/FMLA/FMLS (vector) and the long integer multiplies. */
static bool inline_simd_indexed(DisasContext *s, uint32_t insn)
{
    bool q = extract32(insn, 30, 1), u = extract32(insn, 29, 1);
    int size = (int)extract32(insn, 22, 2), opcode = (int)extract32(insn, 12, 4);
    int h = (int)extract32(insn, 11, 1), l = (int)extract32(insn, 21, 1);
    int rd = (int)extract32(insn, 0, 5), rn = (int)extract32(insn, 5, 5);
    switch (opcode | (u << 4)) {
    case 0x01: case 0x05: case 0x09: {          /* FMLA, FMLS, FMUL */
        if (size < 2 || (size == 3 && (l || !q)) || (opcode != 9 && !host_fma())) {
            return false;
        }
        int idx = size == 3 ? h : (h << 1) | l;
        uint32_t regs = va_pack(rd, rn, (int)extract32(insn, 16, 5), 0) | q_flag(q) | VA_ELEM |
                        (opcode == 5 ? VA_NEG : 0);
        IRInsn *in = vec_emit(s, opcode == 9 ? IR_VFMUL : IR_VFMLA, regs, size == 3 ? MO_64 : MO_32,
                              IR_NONE);
        in->imm = (uint64_t)idx;
        return true;
    }
    case 0x02: case 0x12: case 0x06: case 0x16: case 0x0a: case 0x1a: {   /* [SU]ML[AS]L, [SU]MULL */
        int rm, idx;
        if (!simd_elem_operand(insn, size, &rm, &idx)) {
            return false;
        }
        uint32_t acc = opcode == 0x2 ? VA_ACC : opcode == 0x6 ? VA_ACC | VA_NEG : 0;
        IRInsn *in = vec_emit(s, IR_VMULL, va_pack(rd, rn, rm, 0) | VA_ELEM | acc | (q ? VA_HIGH : 0),
                              size | (u ? 0 : MO_SIGN), IR_NONE);
        in->imm = (uint64_t)idx;
        return true;
    }
    default:
        return inline_int_indexed(s, insn);
    }
}

bool trans_simd_indexed(DisasContext *s, uint32_t insn)
{
    return simd_inline_or(s, insn, inline_simd_indexed, ext_simd_indexed);
}

/* TBL/TBX with 1-4 table registers. */
bool trans_simd_tbl(DisasContext *s, uint32_t insn)
{
    bool q = extract32(insn, 30, 1);
    IRInsn *in = vec_emit(s, IR_VTBL, fp_regs(insn, q) | (extract32(insn, 12, 1) ? VA_ACC : 0), 0,
                          IR_NONE);
    in->imm = extract32(insn, 13, 2) + 1;
    return true;
}
