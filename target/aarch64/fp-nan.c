/*
 * The rare path of the translated scalar FP ops (see fp-nan.h): taken when
 * the x86 result is a NaN (or, for FMIN/FMAX, an input is) or FPCR.FZ is
 * set; recomputes the op with Arm's rules (fp-arm.c: NaN propagation,
 * default NaN, FMINNM's "number wins", flush-to-zero, exact flags).
 * Likewise for the vector FP ops, FCMP and FCVT between single and double.
 */
#include "target/aarch64/fp-arm.h"
#include "target/aarch64/fp-nan.h"
#include "target/aarch64/simd-helpers.h"
#include "tcg/ir.h"
#include "tcg/ir-vec.h"

static uint64_t read_scalar(const CPUState *env, int r, bool dbl)
{
    return dbl ? env->v[r][0] : (env->v[r][0] & 0xffffffffull);
}

void fp_nan_slow(CPUState *env, uint32_t desc)
{
    FpNanOp op = (FpNanOp)(desc & 15);
    bool dbl = (desc >> 4) & 1;
    int d = (desc >> 6) & 31, rn = (desc >> 11) & 31, rm = (desc >> 16) & 31, ra = (desc >> 21) & 31;
    int kind = (desc >> 26) & 7;
    FpFmt f = dbl ? FMT_D : FMT_S;
    uint64_t sign = dbl ? 1ull << 63 : 1ull << 31;
    uint64_t n = read_scalar(env, rn, dbl), m = read_scalar(env, rm, dbl), r;
    FpSt st;
    fpst_begin(&st, env);
    switch (op) {
    case FPN_ARITH: {
        static const FpOp ops[4] = { FOP_ADD, FOP_SUB, FOP_MUL, FOP_DIV };
        r = kind == FPK_SQRT ? fpa_sqrt(&st, f, n) : fpa_binop(&st, f, ops[kind & 3], n, m);
        break;
    }
    case FPN_NMUL: r = fpa_binop(&st, f, FOP_NMUL, n, m); break;
    case FPN_MINMAX: r = fpa_binop(&st, f, kind == FPK_MAX ? FOP_MAX : FOP_MIN, n, m); break;
    case FPN_MINNM: r = fpa_binop(&st, f, FOP_MINNM, n, m); break;
    case FPN_MAXNM: r = fpa_binop(&st, f, FOP_MAXNM, n, m); break;
    default: {
        uint64_t a = read_scalar(env, ra, dbl);
        if (op == FPN_FMA_NEGP || op == FPN_FMA_NEGPA) {
            n ^= sign;
        }
        if (op == FPN_FMA_NEGA || op == FPN_FMA_NEGPA) {
            a ^= sign;
        }
        r = fpa_muladd(&st, f, a, n, m);
        break;
    }
    }
    env->v[d][0] = r;
    env->v[d][1] = 0;
    fpst_end(&st, env);
}

/* The helper_vfp operation behind a vector FP IR op. */
static int vec_fp_helper_op(IROp op, bool neg)
{
    switch (op) {
    case IR_VFADD: return VF_ADD;
    case IR_VFSUB: return VF_SUB;
    case IR_VFMUL: return VF_MUL;
    case IR_VFDIV: return VF_DIV;
    case IR_VFMAX: return VF_MAX;
    case IR_VFMIN: return VF_MIN;
    case IR_VFMAXNM: return VF_MAXNM;
    case IR_VFMINNM: return VF_MINNM;
    case IR_VFMLA: return neg ? VF_MLS : VF_MLA;
    case IR_VFSQRT: return VF_SQRT;
    case IR_VFABS: return VF_ABS;
    case IR_VFNEG: return VF_NEG;
    case IR_VFCMEQ: return VF_CMEQ;
    case IR_VFCMGE: return VF_CMGE;
    case IR_VFCMGT: return VF_CMGT;
    case IR_VFCMLE0: return VF_CMLE0;
    case IR_VFCMLT0: return VF_CMLT0;
    case IR_VFACGE: return VF_ACGE;
    case IR_VFACGT: return VF_ACGT;
    case IR_VFCVT_TO_S: return VF_TO_INT;
    case IR_VFCVT_FROM_S: return VF_FROM_INT;
    case IR_VFCVTL: return VF_CVTL;
    case IR_VFRINT: return VF_RINT;
    default: return VF_CVTN;
    }
}

uint64_t fp_vec_slow(CPUState *env, uint32_t desc)
{
    static const uint8_t arm_rmode[4] = { RM_TIEEVEN, RM_NEGINF, RM_POSINF, RM_ZERO };
    IROp op = (IROp)(IR_VFADD + ((desc >> 21) & 31));
    int vf = vec_fp_helper_op(op, (desc >> 19) & 1);
    uint64_t regs = (desc & 0x7fff) | ((desc >> 15) & 1 ? VA_Q : 0) | ((desc >> 16) & 1 ? VA_HIGH : 0);
    uint64_t imm = (desc >> 26) & 7;
    int lg = (desc >> 20) & 1 ? 3 : 2;
    VShape shape = VSH_SAME;
    uint64_t flags = 0;
    switch (vf) {
    case VF_SQRT: case VF_ABS: case VF_NEG: case VF_CMLE0: case VF_CMLT0:
        shape = VSH_IMM;
        break;
    case VF_TO_INT:
        shape = VSH_IMM;
        flags = VD_SIGNED;
        imm = arm_rmode[imm & 3];
        break;
    case VF_FROM_INT:
        shape = VSH_IMM;
        flags = VD_SIGNED;
        imm = 0;
        break;
    case VF_RINT: {
        static const uint8_t rint_rmode[8] = { RM_TIEEVEN, RM_NEGINF, RM_POSINF, RM_ZERO, 7, 7, 7, 7 };
        shape = VSH_IMM;
        flags = (desc >> 19) & 1 ? VD_FLAG(1) : 0;          /* VA_NEG: FRINTX */
        imm = rint_rmode[imm];
        break;
    }
    case VF_CVTL: shape = VSH_LONG_IMM; lg = 3; break;
    case VF_CVTN: shape = VSH_NARROW_IMM; lg = 3; break;
    default:
        if ((desc >> 17) & 1) {
            shape = VSH_ELEM;
        }
        if ((desc >> 18) & 1) {
            flags = VD_FLAG(1);                 /* compare with zero */
        }
        break;
    }
    return helper_vfp(env, regs, VD_OP(vf) | VD_SIZE(lg) | VD_SHAPE(shape) | flags, imm);
}

uint64_t fp_fcmp_slow(CPUState *env, uint32_t desc)
{
    uint64_t regs = desc & 0x3ff;
    uint64_t hdesc = ((desc >> 10) & 1 ? 3 : 2) | ((desc >> 11) & 1) << 2 | ((desc >> 12) & 1) << 3;
    return helper_fcmp(env, regs, hdesc, 1);
}

uint64_t fp_fcvt_slow(CPUState *env, uint32_t desc)
{
    int to_dbl = (desc >> 10) & 1;
    return helper_fcvt(env, desc & 0x3ff, to_dbl ? (3 << 4 | 2) : (2 << 4 | 3), 0);
}

/* FCVT[NPMZA][SU] to a general register, outside the inline fast path's
 * range (NaN, out of range, near the limits) or with FPCR.FZ. */
uint64_t fp_cvt_int_slow(CPUState *env, uint32_t desc)
{
    static const uint8_t arm_rmode[6] = { RM_TIEEVEN, RM_NEGINF, RM_POSINF, RM_ZERO, 7, RM_TIEAWAY };
    int lg = (desc >> 5) & 1 ? 3 : 2;
    bool is_unsigned = (desc >> 6) & 1, sf = (desc >> 7) & 1;
    uint32_t fbits = (desc >> 11) & 127;
    uint64_t hdesc = VD_SIZE(lg) | (is_unsigned ? 0 : VD_SIGNED) | VD_FLAG(sf ? 1 : 0);
    uint64_t r = helper_fp_to_int(env, desc & 31, hdesc, arm_rmode[(desc >> 8) & 7] | fbits << 8);
    return sf ? r : (uint32_t)r;
}

/* FRINT[NPMZAXI] with FPCR.FZ or DN (FRINTA: also of a NaN). */
uint64_t fp_frint_slow(CPUState *env, uint32_t desc)
{
    static const uint8_t arm_rmode[6] = { RM_TIEEVEN, RM_NEGINF, RM_POSINF, RM_ZERO, 7, RM_TIEAWAY };
    uint32_t mode = (desc >> 11) & 15;
    uint64_t hdesc = VD_OP(VF_RINT) | VD_SIZE((desc >> 10) & 1 ? 3 : 2) | VD_SHAPE(VSH_IMM) |
                     VD_SCALAR | (mode & FPROUND_EXACT ? VD_FLAG(1) : 0);
    return helper_vfp(env, desc & 0x3ff, hdesc, arm_rmode[mode & 7]);
}
