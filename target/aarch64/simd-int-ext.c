/*
 * AdvSIMD integer instructions translated to calls of helper_vint
 * (vec-int-helpers.c): whatever the inline translators (simd-int.c)
 * refuse in the three-same, three-different, two-register misc, across
 * lanes, shift by immediate, by element and three-same extra (dot product,
 * SQRDMLAH) classes, vector and scalar.  Each function
 * decodes per the Arm ARM tables and refuses unallocated encodings.
 */
#include "target/aarch64/simd-helpers.h"
#include "target/aarch64/simd.h"

void gen_vhelper(DisasContext *s, IRHelper fn, uint32_t regs, uint64_t desc, uint64_t imm)
{
    ir_call(s->b, fn, cst(s, regs), cst(s, desc), cst(s, imm));
}

static uint32_t regs_of(uint32_t insn)
{
    return va_pack((int)extract32(insn, 0, 5), (int)extract32(insn, 5, 5),
                   (int)extract32(insn, 16, 5), 0);
}

static void gen_vint(DisasContext *s, uint32_t regs, int op, int size, VShape shape, bool sgn,
                     bool scalar, uint64_t imm)
{
    uint64_t desc = VD_OP(op) | VD_SIZE(size) | VD_SHAPE(shape) | (sgn ? VD_SIGNED : 0) |
                    (scalar ? VD_SCALAR : 0);
    gen_vhelper(s, helper_vint, regs, desc, imm);
}

/* ---- three same ------------------------------------------------------------ */

/* Integer three-same opcode (bits 15:11) -> op; *rule: size limits. */
enum { SZ_ANY, SZ_NO64, SZ_HS, SZ_B, SZ_ONLY64 };

static int int_3same_op(int opcode, bool u, int *rule)
{
    *rule = SZ_ANY;
    switch (opcode) {
    case 0x00: *rule = SZ_NO64; return VI_HADD;
    case 0x01: return VI_QADD;
    case 0x02: *rule = SZ_NO64; return VI_RHADD;
    case 0x04: *rule = SZ_NO64; return VI_HSUB;
    case 0x05: return VI_QSUB;
    case 0x06: return VI_CMGT;
    case 0x07: return VI_CMGE;
    case 0x08: return VI_SHL;
    case 0x09: return VI_QSHL;
    case 0x0a: return VI_RSHL;
    case 0x0b: return VI_QRSHL;
    case 0x0c: *rule = SZ_NO64; return VI_MAX;
    case 0x0d: *rule = SZ_NO64; return VI_MIN;
    case 0x0e: *rule = SZ_NO64; return VI_ABD;
    case 0x0f: *rule = SZ_NO64; return VI_ABA;
    case 0x10: return u ? VI_SUB : VI_ADD;
    case 0x11: return u ? VI_CMEQ : VI_CMTST;
    case 0x12: *rule = SZ_NO64; return u ? VI_MLS : VI_MLA;
    case 0x13: *rule = u ? SZ_B : SZ_NO64; return u ? VI_PMUL : VI_MUL;
    case 0x14: *rule = SZ_NO64; return VI_MAX;
    case 0x15: *rule = SZ_NO64; return VI_MIN;
    case 0x16: *rule = SZ_HS; return u ? VI_QRDMULH : VI_QDMULH;
    case 0x17: return u ? -1 : VI_ADD;
    default: return -1;
    }
}

static bool size_ok(int rule, int size, bool q)
{
    switch (rule) {
    case SZ_NO64: return size != 3;
    case SZ_HS: return size == 1 || size == 2;
    case SZ_B: return size == 0;
    default: return size != 3 || q;
    }
}

bool ext_simd_3same(DisasContext *s, uint32_t insn)
{
    bool q = extract32(insn, 30, 1), u = extract32(insn, 29, 1);
    int size = (int)extract32(insn, 22, 2), opcode = (int)extract32(insn, 11, 5);
    if (opcode >= 0x18) {
        return ext_fp_3same(s, insn, false);
    }
    int rule, op = int_3same_op(opcode, u, &rule);
    if (op < 0 || opcode == 0x03 || !size_ok(rule, size, q)) {
        return false;
    }
    VShape shape = (opcode == 0x14 || opcode == 0x15 || opcode == 0x17) ? VSH_PAIR : VSH_SAME;
    gen_vint(s, regs_of(insn) | q_flag(q), op, size, shape, !u, false, 0);
    return true;
}

/* Scalar three-same: 01 U 11110 size 1 Rm opcode 1 Rn Rd. */
bool ext_simd_scalar_3same(DisasContext *s, uint32_t insn)
{
    bool u = extract32(insn, 29, 1);
    int size = (int)extract32(insn, 22, 2), opcode = (int)extract32(insn, 11, 5);
    if (opcode >= 0x18) {
        return ext_fp_3same(s, insn, true);
    }
    int rule, op = int_3same_op(opcode, u, &rule);
    switch (opcode) {
    case 0x01: case 0x05: case 0x09: case 0x0b:
        break;                                          /* saturating: any size */
    case 0x06: case 0x07: case 0x08: case 0x0a: case 0x10: case 0x11:
        if (size != 3) {
            return false;
        }
        break;
    case 0x16:
        if (size != 1 && size != 2) {
            return false;
        }
        break;
    default:
        return false;
    }
    gen_vint(s, regs_of(insn), op, size, VSH_SAME, !u, true, 0);
    return true;
}

/* Three-same extra: SQRDMLAH/SQRDMLSH, SDOT/UDOT. */
bool ext_simd_3same_extra(DisasContext *s, uint32_t insn)
{
    bool q = extract32(insn, 30, 1), u = extract32(insn, 29, 1);
    int size = (int)extract32(insn, 22, 2), opcode = (int)extract32(insn, 11, 4);
    bool scalar = extract32(insn, 28, 1);
    if (opcode == 2 && !scalar) {
        if (size != 2 || !cpu_model_has(s->model, FEAT_DOTPROD)) {
            return false;
        }
        gen_vint(s, regs_of(insn) | q_flag(q), VI_DOT, 2, VSH_SAME, !u, false, 0);
        return true;
    }
    if (u && (opcode == 0 || opcode == 1) && (size == 1 || size == 2) &&
        cpu_model_has(s->model, FEAT_RDM)) {
        gen_vint(s, regs_of(insn) | q_flag(q && !scalar), opcode ? VI_QRDMLSH : VI_QRDMLAH, size,
                 VSH_SAME, true, scalar, 0);
        return true;
    }
    return false;
}

/* ---- three different ---------------------------------------------------------- */

static bool gen_3diff(DisasContext *s, uint32_t insn, bool scalar)
{
    bool q = extract32(insn, 30, 1) && !scalar, u = extract32(insn, 29, 1);
    int size = (int)extract32(insn, 22, 2), opcode = (int)extract32(insn, 12, 4);
    uint32_t regs = regs_of(insn) | (q ? VA_HIGH : 0);
    static const int8_t long_ops[16] = {
        VI_ADD, VI_ADD, VI_SUB, VI_SUB, VI_ADDHN, VI_ABA, VI_SUBHN, VI_ABD,
        VI_MLA, VI_QDMLAL, VI_MLS, VI_QDMLSL, VI_MUL, VI_QDMULL, VI_PMUL, -1,
    };
    int op = long_ops[opcode];
    if (op < 0 || size == 3) {
        return false;
    }
    bool sat = opcode == 9 || opcode == 11 || opcode == 13;
    if (sat && (u || size == 0)) {
        return false;
    }
    if (scalar && !sat) {
        return false;
    }
    if (opcode == 14 && (u || size != 0)) {
        return false;
    }
    VShape shape = VSH_LONG;
    if (opcode == 1 || opcode == 3) {
        shape = VSH_WIDE;
    } else if (opcode == 4 || opcode == 6) {
        shape = VSH_NARROW;
        if (u) {
            op = opcode == 4 ? VI_RADDHN : VI_RSUBHN;
        }
    }
    gen_vint(s, regs, op, size, shape, !u, scalar, 0);
    return true;
}

bool ext_simd_3diff(DisasContext *s, uint32_t insn) { return gen_3diff(s, insn, false); }
bool trans_simd_scalar_3diff(DisasContext *s, uint32_t insn) { return gen_3diff(s, insn, true); }

/* ---- two-register misc ---------------------------------------------------------- */

static bool gen_2misc(DisasContext *s, uint32_t insn, bool scalar)
{
    bool q = extract32(insn, 30, 1) && !scalar, u = extract32(insn, 29, 1);
    int size = (int)extract32(insn, 22, 2), opcode = (int)extract32(insn, 12, 5);
    uint32_t regs = va_pack((int)extract32(insn, 0, 5), (int)extract32(insn, 5, 5), 0, 0);
    int op;
    VShape shape = VSH_SAME;
    bool need64 = scalar;            /* compares, ABS/NEG: scalar forms are D only */
    switch (opcode | (u << 5)) {
    case 0x02: case 0x22: op = VI_ADDLP; shape = VSH_PAIR_LONG; need64 = false; break;
    case 0x06: case 0x26: op = VI_ADALP; shape = VSH_PAIR_LONG; need64 = false; break;
    case 0x03: op = VI_SUQADD; need64 = false; break;
    case 0x23: op = VI_USQADD; need64 = false; break;
    case 0x04: op = VI_CLS; break;
    case 0x24: op = VI_CLZ; break;
    case 0x05: op = VI_CNT; break;
    case 0x25: op = size ? VI_RBIT : VI_NOT; break;
    case 0x07: op = VI_QABS; need64 = false; break;
    case 0x27: op = VI_QNEG; need64 = false; break;
    case 0x08: op = VI_CMGT; regs |= VA_ZERO_M; break;
    case 0x28: op = VI_CMGE; regs |= VA_ZERO_M; u = false; break;
    case 0x09: op = VI_CMEQ; regs |= VA_ZERO_M; break;
    case 0x29: op = VI_CMLE0; break;
    case 0x0a: op = VI_CMLT0; break;
    case 0x0b: op = VI_ABS; break;
    case 0x2b: op = VI_NEG; break;
    case 0x12: op = VI_XTN; shape = VSH_NARROW_IMM; break;
    case 0x14: op = VI_QXTN; shape = VSH_NARROW_IMM; need64 = false; break;
    case 0x34: op = VI_QXTN; shape = VSH_NARROW_IMM; need64 = false; break;
    case 0x32: op = VI_QXTUN; shape = VSH_NARROW_IMM; need64 = false; break;
    case 0x33: op = VI_SHLI; shape = VSH_LONG_IMM; break;     /* SHLL */
    case 0x1c: case 0x3c:                                     /* URECPE, URSQRTE */
        if (size < 2) {
            return ext_fp_2misc(s, insn, scalar);
        }
        op = u ? VI_URSQRTE : VI_URECPE;
        break;
    default:
        if (opcode >= 0x0c) {
            return ext_fp_2misc(s, insn, scalar);
        }
        return false;
    }
    if (op == VI_URECPE || op == VI_URSQRTE) {
        if (scalar || size != 2) {
            return false;
        }
        gen_vint(s, regs | q_flag(q), op, 2, VSH_SAME, false, false, 0);
        return true;
    }
    if (op == VI_CNT || op == VI_NOT || op == VI_RBIT) {
        if (scalar || size > 1 || (op == VI_CNT && size)) {
            return false;
        }
        gen_vint(s, regs | q_flag(q), op, 0, VSH_SAME, false, false, 0);
        return true;
    }
    if (shape == VSH_NARROW_IMM || shape == VSH_LONG_IMM) {
        if (size == 3 || (scalar && (op == VI_XTN || shape == VSH_LONG_IMM))) {
            return false;
        }
        gen_vint(s, regs | (q ? VA_HIGH : 0), op, size, shape, !u, scalar,
                 shape == VSH_LONG_IMM ? (uint64_t)(8 << size) : 0);
        return true;
    }
    if (shape == VSH_PAIR_LONG) {
        if (size == 3 || scalar) {
            return false;
        }
        gen_vint(s, regs | q_flag(q), op, size, shape, !u, false, 0);
        return true;
    }
    if (op == VI_CLS || op == VI_CLZ) {
        if (size == 3 || scalar) {
            return false;
        }
    } else if (need64 ? size != 3 : (size == 3 && !q && !scalar)) {
        return false;
    }
    gen_vint(s, regs | q_flag(q), op, size, shape, !u, scalar, 0);
    return true;
}

bool ext_simd_2misc(DisasContext *s, uint32_t insn) { return gen_2misc(s, insn, false); }
bool ext_simd_scalar_2misc(DisasContext *s, uint32_t insn) { return gen_2misc(s, insn, true); }

/* ---- across lanes, scalar pairwise ------------------------------------------------- */

bool ext_simd_across(DisasContext *s, uint32_t insn)
{
    bool q = extract32(insn, 30, 1), u = extract32(insn, 29, 1);
    int size = (int)extract32(insn, 22, 2), opcode = (int)extract32(insn, 12, 5);
    int op;
    switch (opcode) {
    case 0x03: op = VI_ADDLV; break;
    case 0x0a: op = VI_MAXV; break;
    case 0x1a: op = VI_MINV; break;
    case 0x1b: if (u) return false; op = VI_ADDV; break;
    case 0x0c: case 0x0f: return ext_fp_across(s, insn);
    default: return false;
    }
    if (size == 3 || (size == 2 && !q)) {
        return false;
    }
    gen_vint(s, va_pack((int)extract32(insn, 0, 5), (int)extract32(insn, 5, 5), 0, 0) | q_flag(q),
             op, size, VSH_ACROSS, !u, false, 0);
    return true;
}

bool ext_simd_scalar_pair(DisasContext *s, uint32_t insn)
{
    return ext_fp_scalar_pair(s, insn);
}

/* ---- shifts by immediate ------------------------------------------------------------- */

static bool gen_shift(DisasContext *s, uint32_t insn, bool scalar)
{
    bool q = extract32(insn, 30, 1) && !scalar, u = extract32(insn, 29, 1);
    int immh = (int)extract32(insn, 19, 4), immb = (int)extract32(insn, 16, 3);
    int opcode = (int)extract32(insn, 11, 5);
    if (immh == 0) {
        return false;
    }
    if (opcode == 0x1c || opcode == 0x1f) {
        return ext_fp_shift_imm(s, insn, scalar);
    }
    int lg = 31 - __builtin_clz((unsigned)immh), esize = 8 << lg, immhb = (immh << 3) | immb;
    int right = 2 * esize - immhb, left = immhb - esize;
    uint32_t regs = va_pack((int)extract32(insn, 0, 5), (int)extract32(insn, 5, 5), 0, 0);
    int op;
    switch (opcode | (u << 5)) {
    case 0x00: case 0x20: op = VI_SHR; break;
    case 0x02: case 0x22: op = VI_SRA; break;
    case 0x04: case 0x24: op = VI_RSHR; break;
    case 0x06: case 0x26: op = VI_RSRA; break;
    case 0x28: op = VI_SRI; break;
    case 0x0a: op = VI_SHLI; break;
    case 0x2a: op = VI_SLI; break;
    case 0x2c: op = VI_QSHLUI; break;
    case 0x0e: case 0x2e: op = VI_QSHLI; break;
    case 0x10: op = VI_SHRN; break;
    case 0x11: op = VI_RSHRN; break;
    case 0x30: op = VI_QSHRUN; break;
    case 0x31: op = VI_QRSHRUN; break;
    case 0x12: case 0x32: op = VI_QSHRN; break;
    case 0x13: case 0x33: op = VI_QRSHRN; break;
    case 0x14: case 0x34:
        if (lg == 3 || scalar) {
            return false;
        }
        gen_vint(s, regs | (q ? VA_HIGH : 0), VI_SHLI, lg, VSH_LONG_IMM, !u, false, (uint64_t)left);
        return true;
    default:
        return false;
    }
    if (opcode >= 0x10) {                            /* narrowing: lg is the wide size */
        if (lg == 3 || (scalar && (op == VI_SHRN || op == VI_RSHRN))) {
            return false;
        }
        gen_vint(s, regs | (q ? VA_HIGH : 0), op, lg, VSH_NARROW_IMM, !u, scalar,
                 (uint64_t)right);
        return true;
    }
    bool saturating_left = op == VI_QSHLI || op == VI_QSHLUI;
    if (scalar ? (lg != 3 && !saturating_left) : (lg == 3 && !q)) {
        return false;
    }
    bool is_left = op == VI_SHLI || op == VI_SLI || saturating_left;
    gen_vint(s, regs | q_flag(q), op, lg, VSH_IMM, !u, scalar, (uint64_t)(is_left ? left : right));
    return true;
}

bool ext_simd_shift_imm(DisasContext *s, uint32_t insn) { return gen_shift(s, insn, false); }
bool ext_simd_scalar_shift_imm(DisasContext *s, uint32_t insn) { return gen_shift(s, insn, true); }

/* ---- by element ---------------------------------------------------------------------- */

static bool gen_indexed(DisasContext *s, uint32_t insn, bool scalar)
{
    bool q = extract32(insn, 30, 1) && !scalar, u = extract32(insn, 29, 1);
    int size = (int)extract32(insn, 22, 2), opcode = (int)extract32(insn, 12, 4);
    int h = (int)extract32(insn, 11, 1), l = (int)extract32(insn, 21, 1), mbit = (int)extract32(insn, 20, 1);
    int rm = (int)extract32(insn, 16, 4);
    int op;
    VShape shape = VSH_ELEM;
    switch (opcode | (u << 4)) {
    case 0x02: case 0x12: op = VI_MLA; shape = VSH_LONG_ELEM; break;
    case 0x06: case 0x16: op = VI_MLS; shape = VSH_LONG_ELEM; break;
    case 0x0a: case 0x1a: op = VI_MUL; shape = VSH_LONG_ELEM; break;
    case 0x03: op = VI_QDMLAL; shape = VSH_LONG_ELEM; break;
    case 0x07: op = VI_QDMLSL; shape = VSH_LONG_ELEM; break;
    case 0x0b: op = VI_QDMULL; shape = VSH_LONG_ELEM; break;
    case 0x08: op = VI_MUL; break;
    case 0x10: op = VI_MLA; break;
    case 0x14: op = VI_MLS; break;
    case 0x0c: op = VI_QDMULH; break;
    case 0x0d: op = VI_QRDMULH; break;
    case 0x1d: op = VI_QRDMLAH; break;
    case 0x1f: op = VI_QRDMLSH; break;
    case 0x0e: case 0x1e: op = VI_DOT; break;
    case 0x01: case 0x05: case 0x09: case 0x19:
        return ext_fp_indexed(s, insn, scalar);
    default:
        return false;
    }
    if ((op == VI_DOT && !cpu_model_has(s->model, FEAT_DOTPROD)) ||
        ((op == VI_QRDMLAH || op == VI_QRDMLSH) && !cpu_model_has(s->model, FEAT_RDM))) {
        return false;
    }
    bool sat = op == VI_QDMLAL || op == VI_QDMLSL || op == VI_QDMULL || op == VI_QDMULH ||
               op == VI_QRDMULH || op == VI_QRDMLAH || op == VI_QRDMLSH;
    if (scalar && !sat) {
        return false;
    }
    int index;
    if (op == VI_DOT) {
        if (size != 2) {
            return false;
        }
        index = (h << 1) | l;
        rm |= mbit << 4;
    } else if (size == 1) {
        index = (h << 2) | (l << 1) | mbit;
    } else if (size == 2) {
        index = (h << 1) | l;
        rm |= mbit << 4;
    } else {
        return false;
    }
    uint32_t regs = va_pack((int)extract32(insn, 0, 5), (int)extract32(insn, 5, 5), rm, 0);
    if (shape == VSH_LONG_ELEM) {
        regs |= q ? VA_HIGH : 0;
    } else {
        regs |= q_flag(q);
    }
    gen_vint(s, regs, op, size, shape, !u || sat, scalar, (uint64_t)index);
    return true;
}

bool ext_simd_indexed(DisasContext *s, uint32_t insn) { return gen_indexed(s, insn, false); }
bool trans_simd_scalar_indexed(DisasContext *s, uint32_t insn) { return gen_indexed(s, insn, true); }
