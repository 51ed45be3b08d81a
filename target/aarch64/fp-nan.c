/*
 * Arm NaN rules for the scalar FP ops (FPProcessNaNs, FPProcessNaNs3,
 * the default NaN, FMINNM/FMAXNM's "number wins", FPCR.DN), used on the
 * rare path of the translated FP code (see fp-nan.h).
 */
#include <string.h>

#include "target/aarch64/fp-nan.h"

#define FPCR_DN   (1u << 25)
#define FPSR_IOC  1u

typedef struct FpFormat {
    uint64_t sign, exp, quiet;      /* masks */
} FpFormat;

static const FpFormat fmt_single = { 1ull << 31, 0x7f800000ull, 1ull << 22 };
static const FpFormat fmt_double = { 1ull << 63, 0x7ff0000000000000ull, 1ull << 51 };

static bool is_nan(const FpFormat *f, uint64_t x)
{
    return (x & f->exp) == f->exp && (x & ~(f->sign | f->exp)) != 0;
}
static bool is_snan(const FpFormat *f, uint64_t x) { return is_nan(f, x) && !(x & f->quiet); }
static bool is_inf(const FpFormat *f, uint64_t x) { return (x & ~f->sign) == f->exp; }
static bool is_zero(const FpFormat *f, uint64_t x) { return (x & ~f->sign) == 0; }
static uint64_t default_nan(const FpFormat *f) { return f->exp | f->quiet; }

/* FPProcessNaNs over 1-3 operands in Arm's order: the first signalling
 * NaN, else the first quiet NaN, quietened.  Returns false if none. */
static bool process_nans(const FpFormat *f, const uint64_t *ops, int n_ops, uint64_t *out,
                         bool *invalid)
{
    for (int i = 0; i < n_ops; i++) {
        if (is_snan(f, ops[i])) {
            *out = ops[i] | f->quiet;
            *invalid = true;
            return true;
        }
    }
    for (int i = 0; i < n_ops; i++) {
        if (is_nan(f, ops[i])) {
            *out = ops[i];
            return true;
        }
    }
    return false;
}

static uint64_t read_scalar(const CPUState *env, int r, bool dbl)
{
    return dbl ? env->v[r][0] : (env->v[r][0] & 0xffffffffull);
}

void fp_nan_slow(CPUState *env, uint32_t desc)
{
    FpNanOp op = (FpNanOp)(desc & 15);
    bool dbl = (desc >> 4) & 1, unary = (desc >> 5) & 1;
    int d = (desc >> 6) & 31, rn = (desc >> 11) & 31, rm = (desc >> 16) & 31, ra = (desc >> 21) & 31;
    const FpFormat *f = dbl ? &fmt_double : &fmt_single;
    uint64_t n = read_scalar(env, rn, dbl), m = read_scalar(env, rm, dbl), r;
    bool invalid = false;

    if (op >= FPN_FMA) {
        uint64_t a = read_scalar(env, ra, dbl);
        if (op == FPN_FMA_NEGP || op == FPN_FMA_NEGPA) {
            n ^= f->sign;
        }
        if (op == FPN_FMA_NEGA || op == FPN_FMA_NEGPA) {
            a ^= f->sign;
        }
        uint64_t ops[3] = { a, n, m };
        bool inf_times_zero = (is_inf(f, n) && is_zero(f, m)) || (is_zero(f, n) && is_inf(f, m));
        if (is_nan(f, a) && !is_snan(f, a) && inf_times_zero) {
            r = default_nan(f);
            invalid = true;
        } else if (!process_nans(f, ops, 3, &r, &invalid)) {
            r = default_nan(f);
            invalid = true;
        }
    } else {
        uint64_t ops[2] = { n, m };
        int n_ops = unary ? 1 : 2;
        bool one_qnan = !unary && !is_snan(f, n) && !is_snan(f, m) && (is_nan(f, n) != is_nan(f, m));
        if ((op == FPN_MINNM || op == FPN_MAXNM) && one_qnan) {
            r = is_nan(f, n) ? m : n;      /* the number wins */
        } else if (!process_nans(f, ops, n_ops, &r, &invalid)) {
            r = default_nan(f);
            invalid = true;
        }
    }
    if ((env->fpcr & FPCR_DN) && is_nan(f, r)) {
        r = default_nan(f);
    }
    if (op == FPN_NMUL) {
        r ^= f->sign;
    }
    if (invalid) {
        env->fpsr |= FPSR_IOC;
    }
    env->v[d][0] = r;
    env->v[d][1] = 0;
}
