/*
 * FP/AdvSIMD moves: FMOV between general and FP registers, MOVI/MVNI and
 * ORR/BIC (vector, immediate) and FMOV (vector, immediate), DUP (element
 * and general), INS (element and general), UMOV/SMOV, scalar DUP (MOV
 * Bd/Hd/Sd/Dd, Vn.T[i]), EXT, ZIP/UZP/TRN.
 */
#include "target/aarch64/simd.h"

/* FMOV between a general register and S/D/upper-D: called from the
 * FP <-> integer conversion class (fp.c) for opcode 110/111. */
bool gen_fmov_general(DisasContext *s, int sf, int type, int rmode, bool to_fp, int rn, int rd)
{
    int lane = 0, mop;
    if (sf == 0 && type == 0 && rmode == 0) {
        mop = MO_32;
    } else if (sf == 1 && type == 1 && rmode == 0) {
        mop = MO_64;
    } else if (sf == 1 && type == 2 && rmode == 1) {
        mop = MO_64;
        lane = 1;
    } else if (type == 3 && rmode == 0 && cpu_model_has(s->model, FEAT_FPHP)) {
        mop = MO_16;                            /* Wd/Xd <-> Hn, zero-extended */
    } else {
        return false;
    }
    if (to_fp) {
        IRTemp v = read_x(s, rn, sf);
        if (lane) {
            IRInsn *in = vec_emit(s, IR_VSET, va_pack(rd, 0, 0, 0), mop, v);
            in->imm = 1;
        } else {
            vec_set_scalar(s, rd, v, mop);
        }
    } else {
        write_x(s, rd, vec_get_lane(s, rn, lane, mop, sf ? 64 : 32), sf);
    }
    return true;
}

/* ---- immediates ---------------------------------------------------------- */

/* VFPExpandImm for half (bits 16), single (bits 32) or double (bits 64). */
uint64_t vfp_expand_imm(uint32_t imm8, int bits)
{
    uint64_t sign = (imm8 >> 7) & 1, b6 = (imm8 >> 6) & 1, top = (imm8 >> 4) & 3;
    uint64_t frac = imm8 & 15;
    if (bits == 16) {
        uint64_t exp = ((b6 ^ 1) << 4) | ((b6 ? 3ull : 0) << 2) | top;
        return sign << 15 | exp << 10 | frac << 6;
    }
    if (bits == 64) {
        uint64_t exp = ((b6 ^ 1) << 10) | ((b6 ? 0xffull : 0) << 2) | top;
        return sign << 63 | exp << 52 | frac << 48;
    }
    uint64_t exp = ((b6 ^ 1) << 7) | ((b6 ? 0x1full : 0) << 2) | top;
    return sign << 31 | exp << 23 | frac << 19;
}

static uint64_t replicate(uint64_t v, int bits)
{
    for (int w = bits; w < 64; w *= 2) {
        v |= v << w;
    }
    return v;
}

/* AdvSIMDExpandImm: the 64-bit pattern for op, cmode, imm8. */
static uint64_t simd_expand_imm(int op, int cmode, uint64_t imm8)
{
    switch (cmode >> 1) {
    case 0: case 1: case 2: case 3:
        return replicate(imm8 << (8 * (cmode >> 1)), 32);
    case 4: case 5:
        return replicate(imm8 << (8 * ((cmode >> 1) & 1)), 16);
    case 6:
        return replicate(cmode & 1 ? (imm8 << 16) | 0xffff : (imm8 << 8) | 0xff, 32);
    default:
        if (!(cmode & 1) && !op) {
            return replicate(imm8, 8);
        }
        if (!(cmode & 1)) {
            uint64_t r = 0;
            for (int i = 0; i < 8; i++) {
                if ((imm8 >> i) & 1) {
                    r |= 0xffull << (8 * i);
                }
            }
            return r;
        }
        return op ? vfp_expand_imm((uint32_t)imm8, 64) : replicate(vfp_expand_imm((uint32_t)imm8, 32), 32);
    }
}

/* ORR / BIC (vector, immediate): each 64-bit half through the integer side. */
static void orr_bic_imm(DisasContext *s, int rd, bool q, bool bic, uint64_t imm)
{
    for (int half = 0; half < (q ? 2 : 1); half++) {
        IRTemp v = vec_get_lane(s, rd, half, MO_64, 64);
        IRTemp r = bic ? ir_and(s->b, 64, v, cst(s, ~imm)) : ir_or(s->b, 64, v, cst(s, imm));
        if (half == 0 && !q) {
            vec_set_scalar(s, rd, r, MO_64);
        } else {
            IRInsn *in = vec_emit(s, IR_VSET, va_pack(rd, 0, 0, 0), MO_64, r);
            in->imm = (uint64_t)half;
        }
    }
}

bool trans_simd_modimm(DisasContext *s, uint32_t insn)
{
    bool q = extract32(insn, 30, 1);
    int op = (int)extract32(insn, 29, 1), cmode = (int)extract32(insn, 12, 4);
    int rd = (int)extract32(insn, 0, 5);
    uint64_t imm8 = (extract32(insn, 16, 3) << 5) | extract32(insn, 5, 5);
    if (extract32(insn, 11, 1)) {               /* o2: FMOV Vd.4H/8H, #imm (FEAT_FP16) */
        if (op || cmode != 15 || !cpu_model_has(s->model, FEAT_ASIMDHP)) {
            return false;
        }
        uint64_t imm = vfp_expand_imm((uint32_t)imm8, 16) * 0x0001000100010001ull;
        IRInsn *in = vec_emit(s, IR_VMOVI, va_pack(rd, 0, 0, 0), 0, IR_NONE);
        in->imm = imm;
        in->imm2 = q ? imm : 0;
        return true;
    }
    if (op && cmode == 15 && !q) {
        return false;
    }
    uint64_t imm = simd_expand_imm(op, cmode, imm8);
    bool shifted = cmode < 12;
    if (shifted && (cmode & 1)) {               /* ORR / BIC */
        orr_bic_imm(s, rd, q, op, imm);
        return true;
    }
    if (op && cmode < 14) {                     /* MVNI */
        imm = ~imm;
    }
    IRInsn *in = vec_emit(s, IR_VMOVI, va_pack(rd, 0, 0, 0), 0, IR_NONE);
    in->imm = imm;
    in->imm2 = q ? imm : 0;
    return true;
}

/* ---- DUP / INS / UMOV / SMOV --------------------------------------------- */

bool trans_simd_copy(DisasContext *s, uint32_t insn)
{
    bool q = extract32(insn, 30, 1), op = extract32(insn, 29, 1);
    int imm5 = (int)extract32(insn, 16, 5), imm4 = (int)extract32(insn, 11, 4);
    int rn = (int)extract32(insn, 5, 5), rd = (int)extract32(insn, 0, 5);
    if ((imm5 & 15) == 0) {
        return false;
    }
    int lg = __builtin_ctz((unsigned)imm5);
    int index = imm5 >> (lg + 1);
    if (op) {                                   /* INS (element) */
        if (!q) {
            return false;
        }
        IRInsn *in = vec_emit(s, IR_VINS_ELT, va_pack(rd, rn, 0, 0), lg, IR_NONE);
        in->imm = (uint64_t)index;
        in->imm2 = (uint64_t)(imm4 >> lg);
        return true;
    }
    switch (imm4) {
    case 0: {                                   /* DUP (element) */
        if (lg == 3 && !q) {
            return false;
        }
        IRInsn *in = vec_emit(s, IR_VDUP_ELT, va_pack(rd, rn, 0, 0) | q_flag(q), lg, IR_NONE);
        in->imm = (uint64_t)index;
        return true;
    }
    case 1:                                     /* DUP (general) */
        if (lg == 3 && !q) {
            return false;
        }
        vec_emit(s, IR_VDUP, va_pack(rd, 0, 0, 0) | q_flag(q), lg, read_x(s, rn, lg == 3));
        return true;
    case 3: {                                   /* INS (general) */
        if (!q) {
            return false;
        }
        IRInsn *in = vec_emit(s, IR_VSET, va_pack(rd, 0, 0, 0), lg, read_x(s, rn, lg == 3));
        in->imm = (uint64_t)index;
        return true;
    }
    case 5:                                     /* SMOV */
        if (lg >= (q ? 3 : 2)) {
            return false;
        }
        write_x(s, rd, vec_get_lane(s, rn, index, lg | MO_SIGN, q ? 64 : 32), q);
        return true;
    case 7:                                     /* UMOV */
        if ((lg == 3) != q) {
            return false;
        }
        write_x(s, rd, vec_get_lane(s, rn, index, lg, q ? 64 : 32), q);
        return true;
    default:
        return false;
    }
}

/* DUP (element, scalar): MOV Bd/Hd/Sd/Dd, Vn.T[i]. */
bool trans_simd_scalar_dup(DisasContext *s, uint32_t insn)
{
    int imm5 = (int)extract32(insn, 16, 5);
    if (extract32(insn, 29, 1) || extract32(insn, 11, 4) != 0 || (imm5 & 15) == 0) {
        return false;
    }
    int lg = __builtin_ctz((unsigned)imm5);
    IRTemp v = vec_get_lane(s, (int)extract32(insn, 5, 5), imm5 >> (lg + 1), lg, 64);
    vec_set_scalar(s, (int)extract32(insn, 0, 5), v, lg);
    return true;
}

/* ---- permutes ------------------------------------------------------------ */

bool trans_simd_permute(DisasContext *s, uint32_t insn)
{
    static const IROp ops[8] = { 0, IR_VUZP1, IR_VTRN1, IR_VZIP1, 0, IR_VUZP2, IR_VTRN2, IR_VZIP2 };
    bool q = extract32(insn, 30, 1);
    int size = (int)extract32(insn, 22, 2), opcode = (int)extract32(insn, 12, 3);
    if (!ops[opcode] || (size == 3 && !q)) {
        return false;
    }
    vec_emit(s, ops[opcode], va_pack((int)extract32(insn, 0, 5), (int)extract32(insn, 5, 5),
                                     (int)extract32(insn, 16, 5), 0) | q_flag(q), size, IR_NONE);
    return true;
}

bool trans_simd_ext(DisasContext *s, uint32_t insn)
{
    bool q = extract32(insn, 30, 1);
    int imm4 = (int)extract32(insn, 11, 4);
    if (!q && imm4 >= 8) {
        return false;
    }
    IRInsn *in = vec_emit(s, IR_VEXT, va_pack((int)extract32(insn, 0, 5), (int)extract32(insn, 5, 5),
                                              (int)extract32(insn, 16, 5), 0) | q_flag(q), 0, IR_NONE);
    in->imm = (uint64_t)imm4;
    return true;
}
