/*
 * FP/AdvSIMD loads and stores: LDR/STR of B/H/S/D/Q registers in every
 * addressing mode (unsigned offset, unscaled, pre/post-index, register
 * offset, literal), LDP/STP/LDNP/STNP of S/D/Q, and the structure forms
 * LD1/ST1 (1-4 registers), LD2-4/ST2-4 of whole registers, LD1-4/ST1-4
 * of a single lane and LD1R-LD4R, all with post-index.
 */
#include "target/aarch64/simd.h"

/* Load or store V[t] (size 1 << lg bytes) at addr + disp. */
static void vec_ldst(DisasContext *s, bool load, int t, int lg, IRTemp addr, int64_t disp)
{
    IRInsn *in = vec_emit(s, load ? IR_VLD : IR_VST, va_pack(t, 0, 0, 0), lg, addr);
    in->imm2 = (uint64_t)disp;
}

/* size/opc of the single-register forms -> log2 of the access, or -1. */
static int fp_ldst_size(uint32_t insn)
{
    int size = (int)extract32(insn, 30, 2);
    int opc = (int)extract32(insn, 22, 2);
    if (opc & 2) {
        return size == 0 ? 4 : -1;
    }
    return size;
}

bool trans_fp_ldst_uimm(DisasContext *s, uint32_t insn)
{
    int lg = fp_ldst_size(insn);
    if (lg < 0) {
        return false;
    }
    int64_t off = (int64_t)extract32(insn, 10, 12) << lg;
    IRTemp base = read_xsp(s, (int)extract32(insn, 5, 5), 1);
    vec_ldst(s, extract32(insn, 22, 1), (int)extract32(insn, 0, 5), lg, base, off);
    return true;
}

bool trans_fp_ldst_imm9(DisasContext *s, uint32_t insn)
{
    int lg = fp_ldst_size(insn);
    int mode = (int)extract32(insn, 10, 2);      /* 0 unscaled, 1 post, 3 pre */
    if (lg < 0 || mode == 2) {
        return false;
    }
    int rn = (int)extract32(insn, 5, 5);
    int64_t off = sextract64(insn, 12, 9);
    IRTemp base = read_xsp(s, rn, 1);
    IRTemp wb = ir_addi(s->b, 64, base, (uint64_t)off);
    bool load = extract32(insn, 22, 1);
    if (mode == 1) {
        vec_ldst(s, load, (int)extract32(insn, 0, 5), lg, base, 0);
    } else {
        vec_ldst(s, load, (int)extract32(insn, 0, 5), lg, mode == 3 ? wb : base,
                 mode == 3 ? 0 : off);
    }
    if (mode != 0) {
        write_xsp(s, rn, wb, 1);
    }
    return true;
}

/* The register offset Rm extended by option and shifted by S * size. */
static IRTemp ldst_reg_offset(DisasContext *s, uint32_t insn, int lg)
{
    int rm = (int)extract32(insn, 16, 5);
    int option = (int)extract32(insn, 13, 3);
    int shift = extract32(insn, 12, 1) ? lg : 0;
    IRTemp off = read_x(s, rm, 1);
    switch (option) {
    case 2: off = ir_zext(s->b, 64, off, 32); break;           /* UXTW */
    case 6: off = ir_sext(s->b, 64, off, 32); break;           /* SXTW */
    case 3: case 7: break;                                     /* LSL / SXTX */
    default: return IR_NONE;
    }
    return shift ? ir_shli(s->b, 64, off, (unsigned)shift) : off;
}

bool trans_fp_ldst_reg(DisasContext *s, uint32_t insn)
{
    int lg = fp_ldst_size(insn);
    if (lg < 0) {
        return false;
    }
    IRTemp off = ldst_reg_offset(s, insn, lg);
    if (off == IR_NONE) {
        return false;
    }
    IRTemp addr = ir_add(s->b, 64, read_xsp(s, (int)extract32(insn, 5, 5), 1), off);
    vec_ldst(s, extract32(insn, 22, 1), (int)extract32(insn, 0, 5), lg, addr, 0);
    return true;
}

bool trans_fp_ldst_pair(DisasContext *s, uint32_t insn)
{
    int opc = (int)extract32(insn, 30, 2);
    int mode = (int)extract32(insn, 23, 2);      /* 0 no-alloc, 1 post, 2 offset, 3 pre */
    bool load = extract32(insn, 22, 1);
    if (opc == 3) {
        return false;
    }
    int lg = 2 + opc;
    int rt = (int)extract32(insn, 0, 5), rt2 = (int)extract32(insn, 10, 5);
    int rn = (int)extract32(insn, 5, 5);
    if (load && rt == rt2) {
        return false;                            /* CONSTRAINED UNPREDICTABLE: refuse */
    }
    int64_t off = sextract64(insn, 15, 7) << lg;
    IRTemp base = read_xsp(s, rn, 1);
    IRTemp wb = ir_addi(s->b, 64, base, (uint64_t)off);
    int64_t disp = mode == 1 ? 0 : off;
    if (mode == 3) {
        base = wb;
        disp = 0;
    }
    vec_ldst(s, load, rt, lg, base, disp);
    vec_ldst(s, load, rt2, lg, base, disp + (1 << lg));
    if (mode == 1 || mode == 3) {
        write_xsp(s, rn, wb, 1);
    }
    return true;
}

bool trans_fp_ldr_lit(DisasContext *s, uint32_t insn)
{
    int opc = (int)extract32(insn, 30, 2);
    if (opc == 3) {
        return false;
    }
    uint64_t addr = s->pc + (uint64_t)(sextract64(insn, 5, 19) << 2);
    vec_ldst(s, true, (int)extract32(insn, 0, 5), 2 + opc, cst(s, addr), 0);
    return true;
}

/* Post-index write-back of the structure forms: Rm = 31 means "by the
 * transfer size". */
static void ldst_post_index(DisasContext *s, uint32_t insn, int rn, IRTemp base, int bytes)
{
    if (!extract32(insn, 23, 1)) {
        return;
    }
    int rm = (int)extract32(insn, 16, 5);
    IRTemp inc = rm == 31 ? cst(s, (uint64_t)bytes) : read_x(s, rm, 1);
    write_xsp(s, rn, ir_add(s->b, 64, base, inc), 1);
}

/* LD2/3/4, ST2/3/4 (multiple structures, interleaved). */
static void ldst_interleaved(DisasContext *s, bool load, int rt, int nregs, int lg, bool q,
                             IRTemp base)
{
    int esz = 1 << lg, lanes = (q ? 16 : 8) / esz;
    if (load) {
        for (int r = 0; r < nregs; r++) {
            vec_emit(s, IR_VMOVI, va_pack((rt + r) % 32, 0, 0, 0), 0, IR_NONE);
        }
    }
    for (int e = 0; e < lanes; e++) {
        for (int r = 0; r < nregs; r++) {
            IRInsn *in = vec_emit(s, load ? IR_VLD_LANE : IR_VST_LANE,
                                  va_pack((rt + r) % 32, 0, 0, 0), lg, base);
            in->imm = (uint64_t)e;
            in->imm2 = (uint64_t)((e * nregs + r) * esz);
        }
    }
}

bool trans_simd_ldst_multi(DisasContext *s, uint32_t insn)
{
    bool q = extract32(insn, 30, 1), load = extract32(insn, 22, 1);
    int opcode = (int)extract32(insn, 12, 4), lg = (int)extract32(insn, 10, 2);
    int rt = (int)extract32(insn, 0, 5), rn = (int)extract32(insn, 5, 5);
    int nregs, interleave;
    switch (opcode) {
    case 0x7: nregs = 1; interleave = 1; break;
    case 0xa: nregs = 2; interleave = 1; break;
    case 0x6: nregs = 3; interleave = 1; break;
    case 0x2: nregs = 4; interleave = 1; break;
    case 0x8: nregs = 2; interleave = 2; break;
    case 0x4: nregs = 3; interleave = 3; break;
    case 0x0: nregs = 4; interleave = 4; break;
    default: return false;
    }
    if (interleave > 1 && lg == 3 && !q) {
        return false;
    }
    int bytes = (q ? 16 : 8) * nregs;
    IRTemp base = read_xsp(s, rn, 1);
    if (interleave > 1) {
        ldst_interleaved(s, load, rt, nregs, lg, q, base);
    } else {
        for (int r = 0; r < nregs; r++) {
            vec_ldst(s, load, (rt + r) % 32, q ? 4 : 3, base, r * (q ? 16 : 8));
        }
    }
    ldst_post_index(s, insn, rn, base, bytes);
    return true;
}

/* LD1-LD4/ST1-ST4 (single structure: one lane of 1-4 consecutive
 * registers) and LD1R-LD4R (replicate), with post-index. */
bool trans_simd_ldst_single(DisasContext *s, uint32_t insn)
{
    bool q = extract32(insn, 30, 1), load = extract32(insn, 22, 1);
    int opc = (int)extract32(insn, 13, 3), sbit = (int)extract32(insn, 12, 1);
    int size = (int)extract32(insn, 10, 2);
    int rt = (int)extract32(insn, 0, 5), rn = (int)extract32(insn, 5, 5);
    int selem = (int)(((opc & 1) << 1) | extract32(insn, 21, 1)) + 1;
    if (opc >= 6) {                              /* LDnR */
        if (!load || sbit) {
            return false;
        }
        IRTemp base = read_xsp(s, rn, 1);
        for (int k = 0; k < selem; k++) {
            IRInsn *in = vec_emit(s, IR_VLD_DUP, va_pack((rt + k) % 32, 0, 0, 0) | q_flag(q), size, base);
            in->imm2 = (uint64_t)(k << size);
        }
        ldst_post_index(s, insn, rn, base, selem << size);
        return true;
    }
    int lg = opc >> 1, index;
    switch (lg) {
    case 0: index = (q << 3) | (sbit << 2) | size; break;
    case 1:
        if (size & 1) {
            return false;
        }
        index = (q << 2) | (sbit << 1) | (size >> 1);
        break;
    default:
        if (size == 0) {
            index = (q << 1) | sbit;
        } else if (size == 1 && !sbit) {
            lg = 3;
            index = q;
        } else {
            return false;
        }
        break;
    }
    IRTemp base = read_xsp(s, rn, 1);
    for (int k = 0; k < selem; k++) {
        IRInsn *in = vec_emit(s, load ? IR_VLD_LANE : IR_VST_LANE, va_pack((rt + k) % 32, 0, 0, 0),
                              lg, base);
        in->imm = (uint64_t)index;
        in->imm2 = (uint64_t)(k << lg);
    }
    ldst_post_index(s, insn, rn, base, selem << lg);
    return true;
}
