/*
 * AdvSIMD FP instructions (vector and scalar forms) translated to calls
 * of helper_vfp (vec-fp-helpers.c): three-same, two-register misc, by
 * element, across lanes, pairwise, fixed-point shifts; and the scalar FP
 * conversions that need Arm's exact flags (FCVT between precisions incl.
 * half, FCVT*S/U to general registers, FJCVTZS).  Half precision
 * (FEAT_FP16): the three-same and two-register misc FP16 classes decode
 * like the single/double ones with the element size fixed at H; by
 * element, across lanes, scalar pairwise and the fixed-point shifts have
 * their H forms inside the common classes.
 */
#include "target/aarch64/fp-arm.h"
#include "target/aarch64/simd-helpers.h"
#include "target/aarch64/simd.h"

static void gen_vfp(DisasContext *s, uint32_t regs, int op, int lg, VShape shape, uint64_t flags,
                    bool scalar, uint64_t imm)
{
    uint64_t desc = VD_OP(op) | VD_SIZE(lg) | VD_SHAPE(shape) | flags | (scalar ? VD_SCALAR : 0);
    gen_vhelper(s, helper_vfp, regs, desc, imm);
}

static uint32_t regs_of(uint32_t insn)
{
    return va_pack((int)extract32(insn, 0, 5), (int)extract32(insn, 5, 5),
                   (int)extract32(insn, 16, 5), 0);
}

static bool fp16_vec_allowed(DisasContext *s)
{
    return cpu_model_has(s->model, FEAT_ASIMDHP);
}

/* ---- three same ------------------------------------------------------------- */

/* lg: log2 of the element size (1 for the FP16 class, else from sz). */
static bool gen_fp_3same(DisasContext *s, uint32_t insn, bool scalar, int lg)
{
    static const int8_t ops[32] = {
        /* U0 a0 */ VF_MAXNM, VF_MLA, VF_ADD, VF_MULX, VF_CMEQ, -1, VF_MAX, VF_RECPS,
        /* U0 a1 */ VF_MINNM, VF_MLS, VF_SUB, -1, -1, -1, VF_MIN, VF_RSQRTS,
        /* U1 a0 */ VF_MAXNM, -1, VF_ADD, VF_MUL, VF_CMGE, VF_ACGE, VF_MAX, VF_DIV,
        /* U1 a1 */ VF_MINNM, -1, VF_ABD, -1, VF_CMGT, VF_ACGT, VF_MIN, -1,
    };
    bool q = extract32(insn, 30, 1) && !scalar, u = extract32(insn, 29, 1);
    int a = (int)extract32(insn, 23, 1);
    int key = (u << 4) | (a << 3) | (int)extract32(insn, 11, 3);
    int op = ops[key];
    if (op < 0 || (!scalar && lg == 3 && !q)) {
        return false;
    }
    bool pairwise = u && !a ? (key & 7) == 0 || (key & 7) == 2 || (key & 7) == 6
                            : u && a && ((key & 7) == 0 || (key & 7) == 6);
    if (scalar) {
        switch (op) {
        case VF_MULX: case VF_CMEQ: case VF_RECPS: case VF_RSQRTS: case VF_CMGE:
        case VF_ACGE: case VF_ABD: case VF_CMGT: case VF_ACGT:
            break;
        default:
            return false;
        }
    }
    gen_vfp(s, regs_of(insn) | q_flag(q), op, lg, pairwise ? VSH_PAIR : VSH_SAME, 0, scalar, 0);
    return true;
}

bool ext_fp_3same(DisasContext *s, uint32_t insn, bool scalar)
{
    return gen_fp_3same(s, insn, scalar, extract32(insn, 22, 1) ? 3 : 2);
}

/* Three same (FP16): 0 Q U 01110 a 10 Rm 00 opcode 1 Rn Rd, and scalar. */
bool trans_simd_fp16_3same(DisasContext *s, uint32_t insn)
{
    return fp16_vec_allowed(s) && gen_fp_3same(s, insn, false, 1);
}

bool trans_simd_scalar_fp16_3same(DisasContext *s, uint32_t insn)
{
    return fp16_vec_allowed(s) && gen_fp_3same(s, insn, true, 1);
}

/* ---- two-register misc ------------------------------------------------------- */

enum { RM_FPCR = 7 };

static bool gen_fp_2misc(DisasContext *s, uint32_t insn, bool scalar, int lg)
{
    bool q = extract32(insn, 30, 1) && !scalar, u = extract32(insn, 29, 1);
    int a = (int)extract32(insn, 23, 1), sz = (int)extract32(insn, 22, 1);
    int opcode = (int)extract32(insn, 12, 5);
    uint32_t regs = va_pack((int)extract32(insn, 0, 5), (int)extract32(insn, 5, 5), 0, 0);
    int op, rm = 0;
    uint64_t flags = 0;
    bool vector_only = false;
    switch ((u << 6) | (a << 5) | opcode) {
    case 0x16: case 0x17: case 0x56:                 /* FCVTN, FCVTL, FCVTXN */
        if ((scalar && !u) || (u && !sz) || lg == 1) {
            return false;
        }
        op = opcode == 0x17 ? VF_CVTL : u ? VF_CVTXN : VF_CVTN;
        gen_vfp(s, regs | (q ? VA_HIGH : 0), op, lg, op == VF_CVTL ? VSH_LONG_IMM : VSH_NARROW_IMM,
                0, scalar, 0);
        return true;
    case 0x18: op = VF_RINT; rm = RM_TIEEVEN; vector_only = true; break;
    case 0x19: op = VF_RINT; rm = RM_NEGINF; vector_only = true; break;
    case 0x38: op = VF_RINT; rm = RM_POSINF; vector_only = true; break;
    case 0x39: op = VF_RINT; rm = RM_ZERO; vector_only = true; break;
    case 0x58: op = VF_RINT; rm = RM_TIEAWAY; vector_only = true; break;
    case 0x59: op = VF_RINT; rm = RM_FPCR; flags = VD_FLAG(1); vector_only = true; break;
    case 0x79: op = VF_RINT; rm = RM_FPCR; vector_only = true; break;
    case 0x1a: case 0x5a: op = VF_TO_INT; rm = RM_TIEEVEN; break;
    case 0x1b: case 0x5b: op = VF_TO_INT; rm = RM_NEGINF; break;
    case 0x1c: case 0x5c: op = VF_TO_INT; rm = RM_TIEAWAY; break;
    case 0x3a: case 0x7a: op = VF_TO_INT; rm = RM_POSINF; break;
    case 0x3b: case 0x7b: op = VF_TO_INT; rm = RM_ZERO; break;
    case 0x1d: case 0x5d: op = VF_FROM_INT; break;
    case 0x2c: op = VF_CMGT; flags = VD_FLAG(1); break;
    case 0x2d: op = VF_CMEQ; flags = VD_FLAG(1); break;
    case 0x2e: op = VF_CMLT0; break;
    case 0x6c: op = VF_CMGE; flags = VD_FLAG(1); break;
    case 0x6d: op = VF_CMLE0; break;
    case 0x2f: op = VF_ABS; vector_only = true; break;
    case 0x6f: op = VF_NEG; vector_only = true; break;
    case 0x7f: op = VF_SQRT; vector_only = true; break;
    case 0x3d: op = VF_RECPE; break;
    case 0x7d: op = VF_RSQRTE; break;
    case 0x3f: if (!scalar) return false; op = VF_RECPX; break;
    default: return false;
    }
    if ((vector_only && scalar) || (!scalar && lg == 3 && !q)) {
        return false;
    }
    if (op == VF_TO_INT || op == VF_FROM_INT) {
        flags |= u ? 0 : VD_SIGNED;
    }
    gen_vfp(s, regs | q_flag(q), op, lg, VSH_IMM, flags, scalar, (uint64_t)rm);
    return true;
}

bool ext_fp_2misc(DisasContext *s, uint32_t insn, bool scalar)
{
    return gen_fp_2misc(s, insn, scalar, extract32(insn, 22, 1) ? 3 : 2);
}

/* Two-register misc (FP16): 0 Q U 01110 a 1111 00 opcode 10 Rn Rd, and scalar. */
bool trans_simd_fp16_2misc(DisasContext *s, uint32_t insn)
{
    return fp16_vec_allowed(s) && gen_fp_2misc(s, insn, false, 1);
}

bool trans_simd_scalar_fp16_2misc(DisasContext *s, uint32_t insn)
{
    return fp16_vec_allowed(s) && gen_fp_2misc(s, insn, true, 1);
}

/* ---- fixed-point conversions (shift by immediate class) ---------------------------- */

bool ext_fp_shift_imm(DisasContext *s, uint32_t insn, bool scalar)
{
    bool q = extract32(insn, 30, 1) && !scalar, u = extract32(insn, 29, 1);
    int immh = (int)extract32(insn, 19, 4), immhb = (int)extract32(insn, 16, 7);
    int opcode = (int)extract32(insn, 11, 5);
    int lg;
    if (immh & 8) {
        lg = 3;
    } else if (immh & 4) {
        lg = 2;
    } else if (immh & 2 && fp16_vec_allowed(s)) {
        lg = 1;
    } else {
        return false;                               /* reserved */
    }
    if (!scalar && lg == 3 && !q) {
        return false;
    }
    int fbits = 2 * (8 << lg) - immhb;
    uint32_t regs = va_pack((int)extract32(insn, 0, 5), (int)extract32(insn, 5, 5), 0, 0) | q_flag(q);
    uint64_t flags = u ? 0 : VD_SIGNED;
    if (opcode == 0x1c) {
        gen_vfp(s, regs, VF_FROM_INT, lg, VSH_IMM, flags, scalar, (uint64_t)fbits);
    } else {
        gen_vfp(s, regs, VF_TO_INT, lg, VSH_IMM, flags, scalar, (uint64_t)(RM_ZERO | fbits << 8));
    }
    return true;
}

/* ---- by element ------------------------------------------------------------------------ */

bool ext_fp_indexed(DisasContext *s, uint32_t insn, bool scalar)
{
    bool q = extract32(insn, 30, 1) && !scalar, u = extract32(insn, 29, 1);
    int size = (int)extract32(insn, 22, 2), opcode = (int)extract32(insn, 12, 4);
    int h = (int)extract32(insn, 11, 1), l = (int)extract32(insn, 21, 1);
    int rm = (int)extract32(insn, 16, 5);
    int op;
    switch (opcode | (u << 4)) {
    case 0x01: op = VF_MLA; break;
    case 0x05: op = VF_MLS; break;
    case 0x09: op = VF_MUL; break;
    case 0x19: op = VF_MULX; break;
    default: return false;
    }
    if (size == 1 || (size == 0 && !fp16_vec_allowed(s))) {
        return false;
    }
    int sz = size & 1, index, lg = size == 0 ? 1 : sz ? 3 : 2;
    if (size == 0) {                                /* H: index H:L:M, Vm in V0-V15 */
        index = (h << 2) | (l << 1) | (int)extract32(insn, 20, 1);
        rm &= 15;
    } else if (sz) {
        if (l || (!scalar && !q)) {
            return false;
        }
        index = h;
    } else {
        index = (h << 1) | l;
    }
    uint32_t regs = va_pack((int)extract32(insn, 0, 5), (int)extract32(insn, 5, 5), rm, 0) | q_flag(q);
    gen_vfp(s, regs, op, lg, VSH_ELEM, 0, scalar, (uint64_t)index);
    return true;
}

/* ---- across lanes and scalar pairwise ------------------------------------------------------ */

static int fp_minmax_op(int opcode, int a)
{
    switch (opcode) {
    case 0x0c: return a ? VF_MINNM : VF_MAXNM;
    case 0x0f: return a ? VF_MIN : VF_MAX;
    case 0x0d: return a ? -1 : VF_ADD;
    default: return -1;
    }
}

bool ext_fp_across(DisasContext *s, uint32_t insn)
{
    bool q = extract32(insn, 30, 1), u = extract32(insn, 29, 1);
    int a = (int)extract32(insn, 23, 1), sz = (int)extract32(insn, 22, 1);
    int op = fp_minmax_op((int)extract32(insn, 12, 5), a);
    bool half = !u;                                 /* FP16 forms: U = 0, .4H / .8H */
    if (sz || (!half && !q) || (half && !fp16_vec_allowed(s)) || op < 0 || op == VF_ADD) {
        return false;
    }
    gen_vfp(s, va_pack((int)extract32(insn, 0, 5), (int)extract32(insn, 5, 5), 0, 0) | q_flag(q),
            op, half ? 1 : 2, VSH_ACROSS, 0, false, 0);
    return true;
}

bool ext_fp_scalar_pair(DisasContext *s, uint32_t insn)
{
    bool u = extract32(insn, 29, 1);
    int a = (int)extract32(insn, 23, 1), sz = (int)extract32(insn, 22, 1);
    int op = fp_minmax_op((int)extract32(insn, 12, 5), a);
    bool half = !u;                                 /* FP16 forms: U = 0, sz = 0 */
    if (op < 0 || (half && (sz || !fp16_vec_allowed(s)))) {
        return false;
    }
    gen_vfp(s, va_pack((int)extract32(insn, 0, 5), (int)extract32(insn, 5, 5), 0, 0), op,
            half ? 1 : sz ? 3 : 2, VSH_PAIR, 0, true, 0);
    return true;
}
