/*
 * The rare path of the translated scalar FP ops (see fp-nan.h): taken when
 * the x86 result is a NaN (or, for FMIN/FMAX, an input is) or FPCR.FZ is
 * set; recomputes the op with Arm's rules (fp-arm.c: NaN propagation,
 * default NaN, FMINNM's "number wins", flush-to-zero, exact flags).
 */
#include "target/aarch64/fp-arm.h"
#include "target/aarch64/fp-nan.h"

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
