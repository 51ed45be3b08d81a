/*
 * C helpers for the FP AdvSIMD instructions and the scalar FP ones that
 * need Arm's exact flags (see simd-helpers.h): lanewise arithmetic,
 * fused multiply-add, compares, estimates, rounding and conversions, by
 * element, pairwise and across lanes, each lane computed by fp-arm.c.
 */
#include <string.h>

#include "target/aarch64/fp-arm.h"
#include "target/aarch64/simd-helpers.h"
#include "tcg/ir-vec.h"

static uint64_t lane(const CPUState *env, int r, int idx, int lg)
{
    uint64_t v = 0;
    memcpy(&v, (const uint8_t *)env->v[r] + (idx << lg), (size_t)1 << lg);
    return v;
}

static void put(uint64_t *out, int idx, int lg, uint64_t v)
{
    memcpy((uint8_t *)out + (idx << lg), &v, (size_t)1 << lg);
}

static FpFmt fmt_of_size(int lg) { return lg == 3 ? FMT_D : lg == 2 ? FMT_S : FMT_H; }

/* One lane of a binary or unary op. */
static uint64_t fp_lane(FpSt *st, FpFmt f, int op, uint64_t a, uint64_t b, uint64_t acc,
                        uint64_t desc, uint64_t imm)
{
    uint64_t sgn = f == FMT_D ? 1ull << 63 : f == FMT_S ? 1ull << 31 : 1ull << 15;
    uint64_t all = f == FMT_D ? ~0ull : f == FMT_S ? 0xffffffffull : 0xffff;
    bool with_zero = (desc >> 20) & 1;
    if (with_zero) {
        b = 0;
    }
    switch (op) {
    case VF_ADD: case VF_SUB: case VF_MUL: case VF_DIV: case VF_MULX: case VF_MAX:
    case VF_MIN: case VF_MAXNM: case VF_MINNM: case VF_ABD: case VF_RECPS: case VF_RSQRTS: {
        static const FpOp ops[] = { FOP_ADD, FOP_SUB, FOP_MUL, FOP_DIV, FOP_MULX, FOP_MAX,
                                    FOP_MIN, FOP_MAXNM, FOP_MINNM, FOP_ABD, FOP_RECPS,
                                    FOP_RSQRTS };
        return fpa_binop(st, f, ops[op], a, b);
    }
    case VF_NMUL: return fpa_binop(st, f, FOP_NMUL, a, b);
    case VF_MADD: return fpa_muladd(st, f, (imm & 2) ? acc ^ sgn : acc, (imm & 1) ? a ^ sgn : a, b);
    case VF_MLA: return fpa_muladd(st, f, acc, a, b);
    case VF_MLS: return fpa_muladd(st, f, acc, a ^ sgn, b);
    case VF_CMEQ: return fpa_cmp_lane(st, f, 0, false, a, b) ? all : 0;
    case VF_CMGE: return fpa_cmp_lane(st, f, 1, false, a, b) ? all : 0;
    case VF_CMGT: return fpa_cmp_lane(st, f, 2, false, a, b) ? all : 0;
    case VF_ACGE: return fpa_cmp_lane(st, f, 1, true, a, b) ? all : 0;
    case VF_ACGT: return fpa_cmp_lane(st, f, 2, true, a, b) ? all : 0;
    case VF_CMLE0: return fpa_cmp_lane(st, f, 1, false, 0, a) ? all : 0;
    case VF_CMLT0: return fpa_cmp_lane(st, f, 2, false, 0, a) ? all : 0;
    case VF_ABS: return a & ~sgn;
    case VF_NEG: return a ^ sgn;
    case VF_SQRT: return fpa_sqrt(st, f, a);
    case VF_RECPE: return fpa_recip_estimate(st, f, a);
    case VF_RSQRTE: return fpa_rsqrt_estimate(st, f, a);
    case VF_RECPX: return fpa_recpx(st, f, a);
    case VF_RINT: {
        int rm = (int)(imm & 7);
        return fpa_round_int(st, f, a, rm == 7 ? fpst_rmode(st) : rm, (desc >> 20) & 1,
                             (int)((desc >> 21) & 127));
    }
    case VF_TO_INT: {
        int rm = (int)(imm & 7);
        int width = f == FMT_D ? 64 : f == FMT_S ? 32 : 16;
        return fpa_to_fixed(st, f, a, (int)(imm >> 8), !(desc & VD_SIGNED),
                            rm == 7 ? fpst_rmode(st) : rm, width);
    }
    case VF_FROM_INT: {
        int width = f == FMT_D ? 64 : f == FMT_S ? 32 : 16;
        return fpa_from_fixed(st, f, a, (int)imm, !(desc & VD_SIGNED), width, fpst_rmode(st));
    }
    default:
        return 0;
    }
}

static void reduce(FpSt *st, FpFmt f, int op, const CPUState *env, int n, int lg, int lanes,
                   uint64_t *out)
{
    /* Arm reduces pairwise as a tree: (0 op 1) op (2 op 3). */
    uint64_t v[8];
    for (int i = 0; i < lanes; i++) {
        v[i] = lane(env, n, i, lg);
    }
    while (lanes > 1) {
        for (int i = 0; i < lanes / 2; i++) {
            v[i] = fp_lane(st, f, op, v[2 * i], v[2 * i + 1], 0, 0, 0);
        }
        lanes /= 2;
    }
    put(out, 0, lg, v[0]);
}

uint64_t helper_vfp(void *envp, uint64_t regs, uint64_t desc, uint64_t imm)
{
    CPUState *env = envp;
    int op = vd_op(desc), lg = vd_size(desc), shape = vd_shape(desc);
    int d = va_d((uint32_t)regs), n = va_n((uint32_t)regs), m = va_m((uint32_t)regs);
    bool q = regs & VA_Q, high = regs & VA_HIGH, scalar = desc & VD_SCALAR;
    FpFmt f = fmt_of_size(lg);
    int lanes = scalar ? 1 : (q ? 16 : 8) >> lg;
    uint64_t out[2] = { 0, 0 };
    bool keep_upper = q && !scalar;
    FpSt st;
    fpst_begin(&st, env);
    switch (shape) {
    case VSH_SAME: case VSH_ELEM: case VSH_IMM:
        for (int i = 0; i < lanes; i++) {
            uint64_t b = shape == VSH_SAME ? lane(env, m, i, lg) :
                         shape == VSH_ELEM ? lane(env, m, (int)imm, lg) : 0;
            int acc = op == VF_MADD ? va_a((uint32_t)regs) : d;
            put(out, i, lg, fp_lane(&st, f, op, lane(env, n, i, lg), b, lane(env, acc, i, lg),
                                    desc, imm));
        }
        break;
    case VSH_PAIR:
        if (scalar) {
            put(out, 0, lg, fp_lane(&st, f, op, lane(env, n, 0, lg), lane(env, n, 1, lg), 0,
                                    desc, imm));
            break;
        }
        for (int i = 0; i < lanes; i++) {
            int src = i < lanes / 2 ? n : m, j = (i % (lanes / 2)) * 2;
            put(out, i, lg, fp_lane(&st, f, op, lane(env, src, j, lg), lane(env, src, j + 1, lg),
                                    0, desc, imm));
        }
        break;
    case VSH_ACROSS:
        reduce(&st, f, op, env, n, lg, (q ? 16 : 8) >> lg, out);
        keep_upper = false;
        break;
    case VSH_LONG_IMM: {                 /* FCVTL: lg is the wider format */
        int part = high ? 8 >> (lg - 1) : 0;
        lanes = 8 >> (lg - 1);
        for (int i = 0; i < lanes; i++) {
            put(out, i, lg, fpa_convert(&st, f, fmt_of_size(lg - 1), lane(env, n, part + i, lg - 1),
                                        fpst_rmode(&st)));
        }
        keep_upper = true;
        break;
    }
    default: {                           /* VSH_NARROW_IMM: FCVTN, FCVTXN */
        int part = high ? 8 >> (lg - 1) : 0;
        lanes = scalar ? 1 : 8 >> (lg - 1);
        if (high) {
            out[0] = env->v[d][0];
        }
        for (int i = 0; i < lanes; i++) {
            int rm = op == VF_CVTXN ? RM_ODD : fpst_rmode(&st);
            put(out, part + i, lg - 1, fpa_convert(&st, fmt_of_size(lg - 1), f,
                                                   lane(env, n, i, lg), rm));
        }
        keep_upper = high && !scalar;
        break;
    }
    }
    env->v[d][0] = out[0];
    env->v[d][1] = keep_upper ? out[1] : 0;
    fpst_end(&st, env);
    return 0;
}

/* FCVT[NPMZA][SU] to a general register, also with #fbits:
 * desc = log2 of the FP size | VD_SIGNED | VD_FLAG(64-bit result);
 * imm = rounding mode | fbits << 8. */
uint64_t helper_fp_to_int(void *envp, uint64_t rn, uint64_t desc, uint64_t imm)
{
    CPUState *env = envp;
    FpSt st;
    fpst_begin(&st, env);
    int lg = vd_size(desc);
    int width = (desc >> 20) & 1 ? 64 : 32;
    int rm = (int)(imm & 7);
    uint64_t r = fpa_to_fixed(&st, fmt_of_size(lg), lane(env, (int)rn, 0, lg), (int)(imm >> 8),
                              !(desc & VD_SIGNED), rm == 7 ? fpst_rmode(&st) : rm, width);
    fpst_end(&st, env);
    return r;
}

/* SCVTF/UCVTF Hd/Sd/Dd, Wn/Xn, also with #fbits: value is the integer;
 * desc = log2 of the FP size | VD_SIGNED | VD_FLAG(64-bit source);
 * imm = d | fbits << 8. */
uint64_t helper_fp_from_int(void *envp, uint64_t value, uint64_t desc, uint64_t imm)
{
    CPUState *env = envp;
    FpSt st;
    fpst_begin(&st, env);
    int d = (int)(imm & 31);
    env->v[d][0] = fpa_from_fixed(&st, fmt_of_size(vd_size(desc)), value, (int)(imm >> 8),
                                  !(desc & VD_SIGNED), (desc >> 20) & 1 ? 64 : 32,
                                  fpst_rmode(&st));
    env->v[d][1] = 0;
    fpst_end(&st, env);
    return 0;
}

/* FJCVTZS Wd, Dn: returns the result, bit 32 set when exact (Z flag). */
uint64_t helper_fjcvtzs(void *envp, uint64_t rn, uint64_t unused1, uint64_t unused2)
{
    CPUState *env = envp;
    FpSt st;
    bool exact;
    fpst_begin(&st, env);
    uint32_t r = fpa_jcvt(&st, env->v[rn][0], &exact);
    fpst_end(&st, env);
    return r | (uint64_t)exact << 32;
}

/* FCVT Dd/Sd/Hd, Dn/Sn/Hn: regs = d | n << 5, lgs = to << 4 | from. */
uint64_t helper_fcvt(void *envp, uint64_t regs, uint64_t lgs, uint64_t unused)
{
    CPUState *env = envp;
    FpSt st;
    int d = (int)(regs & 31), n = (int)((regs >> 5) & 31);
    int to = (int)(lgs >> 4), from = (int)(lgs & 15);
    fpst_begin(&st, env);
    uint64_t r = fpa_convert(&st, fmt_of_size(to), fmt_of_size(from), lane(env, n, 0, from),
                             fpst_rmode(&st));
    env->v[d][0] = r;
    env->v[d][1] = 0;
    fpst_end(&st, env);
    return 0;
}

/* FCMP/FCMPE/FCCMP/FCCMPE: regs = n | m << 5; desc = log2 size | signalling
 * << 2 | compare with zero << 3 | the FCCMP fallback NZCV (bits 31..28);
 * cond_true = 0 returns that fallback without comparing.  Returns NZCV. */
uint64_t helper_fcmp(void *envp, uint64_t regs, uint64_t desc, uint64_t cond_true)
{
    CPUState *env = envp;
    if (!cond_true) {
        return desc & 0xf0000000u;
    }
    int lg = (int)(desc & 3), n = (int)(regs & 31), m = (int)((regs >> 5) & 31);
    FpSt st;
    fpst_begin(&st, env);
    uint32_t r = fpa_compare(&st, fmt_of_size(lg), lane(env, n, 0, lg),
                             (desc & 8) ? 0 : lane(env, m, 0, lg), (desc & 4) != 0);
    fpst_end(&st, env);
    return r;
}
