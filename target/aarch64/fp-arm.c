/*
 * Arm FP arithmetic to the bit on raw bit patterns (see fp-arm.h): NaN
 * rules, flush-to-zero, default NaN, exact FPSR flags.  Add, multiply,
 * divide, square root and fused multiply-add run on the host SSE unit
 * (inline asm, so no compiler reordering against the MXCSR accesses) and
 * are then corrected for Arm's underflow rule; conversions, rounding to
 * integral and the estimates are computed in integers from the Arm ARM
 * pseudo-code (FPRoundBase, FPToFixed, FPRoundInt, FPRecipEstimate,
 * FPRSqrtEstimate, FPRecpX).
 */
#include <math.h>
#include <string.h>
#include <xmmintrin.h>

#include "host/x86_64/host-cpu.h"
#include "target/aarch64/fp-arm.h"

/* ---- formats ---------------------------------------------------------------- */

typedef struct Fmt {
    int e, f;                   /* exponent and fraction widths */
} Fmt;

static Fmt fmt_of(FpFmt f)
{
    switch (f) {
    case FMT_H: return (Fmt){ 5, 10 };
    case FMT_S: return (Fmt){ 8, 23 };
    default:    return (Fmt){ 11, 52 };
    }
}

static uint64_t f_sign(Fmt t) { return 1ull << (t.e + t.f); }
static uint64_t f_expm(Fmt t) { return ((1ull << t.e) - 1) << t.f; }
static uint64_t f_fracm(Fmt t) { return (1ull << t.f) - 1; }
static uint64_t f_quiet(Fmt t) { return 1ull << (t.f - 1); }
static int f_bias(Fmt t) { return (1 << (t.e - 1)) - 1; }
static uint64_t f_exp(Fmt t, uint64_t x) { return (x & f_expm(t)) >> t.f; }
static bool is_nan(Fmt t, uint64_t x) { return (x & f_expm(t)) == f_expm(t) && (x & f_fracm(t)); }
static bool is_snan(Fmt t, uint64_t x) { return is_nan(t, x) && !(x & f_quiet(t)); }
static bool is_inf(Fmt t, uint64_t x) { return (x & ~f_sign(t)) == f_expm(t); }
static bool is_zero(Fmt t, uint64_t x) { return (x & ~f_sign(t)) == 0; }
static bool is_denormal(Fmt t, uint64_t x) { return !(x & f_expm(t)) && (x & f_fracm(t)); }
static uint64_t default_nan(Fmt t) { return f_expm(t) | f_quiet(t); }
static uint64_t max_normal(Fmt t, bool s) { return (s ? f_sign(t) : 0) | (f_expm(t) - (1ull << t.f)) | f_fracm(t); }
static uint64_t infinity(Fmt t, bool s) { return (s ? f_sign(t) : 0) | f_expm(t); }
static bool sign_of(Fmt t, uint64_t x) { return (x & f_sign(t)) != 0; }

static double d_of(uint64_t x) { double d; memcpy(&d, &x, 8); return d; }
static uint64_t bits_d(double d) { uint64_t x; memcpy(&x, &d, 8); return x; }
static float s_of(uint64_t x) { uint32_t u = (uint32_t)x; float s; memcpy(&s, &u, 4); return s; }
static uint64_t bits_s(float s) { uint32_t u; memcpy(&u, &s, 4); return u; }

/* Half <-> host double: exact for every half value (NaNs keep their
 * payload); the way back only for values a half represents exactly. */
static double h_to_d(uint64_t x)
{
    uint64_t sgn = (x & 0x8000) << 48, e = (x >> 10) & 31, fr = x & 0x3ff;
    if (e == 31) {
        return d_of(sgn | 0x7ff0000000000000ull | fr << 42);
    }
    double mag = e ? ldexp((double)(fr | 0x400), (int)e - 25) : ldexp((double)fr, -24);
    return d_of(sgn | bits_d(mag));
}
static uint64_t d_to_h_exact(double v)
{
    uint64_t x = bits_d(v), sgn = (x >> 48) & 0x8000;
    double mag = fabs(v);
    if (mag == 0) {
        return sgn;
    }
    if (mag < 0x1p-14) {
        return sgn | (uint64_t)ldexp(mag, 24);
    }
    int e = (int)((x >> 52) & 0x7ff) - 1023 + 15;
    return sgn | (uint64_t)e << 10 | ((x >> 42) & 0x3ff);
}

/* Value as a host double (exact). */
static double to_host(FpFmt f, uint64_t x)
{
    return f == FMT_D ? d_of(x) : f == FMT_S ? (double)s_of(x) : h_to_d(x);
}

/* ---- state -------------------------------------------------------------------- */

static const uint32_t rc_field[4] = { 0u << 13, 2u << 13, 1u << 13, 3u << 13 };  /* RN RP RM RZ */

void fpst_begin(FpSt *st, const CPUState *env)
{
    st->fpcr = env->fpcr;
    st->flags = 0;
    st->saved_csr = _mm_getcsr();
}

void fpst_end(FpSt *st, CPUState *env)
{
    _mm_setcsr(st->saved_csr);
    env->fpsr |= st->flags;
}

int fpst_rmode(const FpSt *st) { return (int)((st->fpcr >> 22) & 3); }

/* Flush-to-zero in force for the format: FZ16 for half, FZ otherwise. */
static bool fz_on(const FpSt *st, Fmt t)
{
    return (st->fpcr & (t.f == 10 ? FPCR_FZ16 : FPCR_FZ)) != 0;
}

/* FPUnpack's flushing of a denormal input; for half it raises no IDC. */
static uint64_t flush_in(FpSt *st, Fmt t, uint64_t x)
{
    if (fz_on(st, t) && is_denormal(t, x)) {
        if (t.f != 10) {
            st->flags |= FPSR_IDC;
        }
        return x & f_sign(t);
    }
    return x;
}

static uint64_t nan_result(FpSt *st, Fmt t, uint64_t x)
{
    if (is_snan(t, x)) {
        st->flags |= FPSR_IOC;
    }
    x |= f_quiet(t);
    return (st->fpcr & FPCR_DN) ? default_nan(t) : x;
}

/* FPProcessNaNs / FPProcessNaNs3: first signalling NaN, else first quiet. */
static bool process_nans(FpSt *st, Fmt t, const uint64_t *ops, int n, uint64_t *out)
{
    for (int i = 0; i < n; i++) {
        if (is_snan(t, ops[i])) {
            *out = nan_result(st, t, ops[i]);
            return true;
        }
    }
    for (int i = 0; i < n; i++) {
        if (is_nan(t, ops[i])) {
            *out = nan_result(st, t, ops[i]);
            return true;
        }
    }
    return false;
}

/* ---- host arithmetic ------------------------------------------------------------ */

enum { H_ADD, H_SUB, H_MUL, H_DIV, H_SQRT, H_FMA };

/* Run one op with MXCSR = all masked, rounding rc, no FTZ/DAZ; return the
 * result bits and the x86 flags (IE DE ZE OE UE PE). */
static uint64_t host_arith(FpFmt f, int op, uint64_t a, uint64_t b, uint64_t c, int rmode,
                           uint32_t *xf)
{
    _mm_setcsr(0x1f80u | rc_field[rmode & 3]);
    uint64_t r;
    if (f == FMT_D) {
        double x = d_of(a), y = d_of(b), z = d_of(c);
        switch (op) {
        case H_ADD: __asm__ volatile("addsd %1, %0" : "+x"(x) : "x"(y)); break;
        case H_SUB: __asm__ volatile("subsd %1, %0" : "+x"(x) : "x"(y)); break;
        case H_MUL: __asm__ volatile("mulsd %1, %0" : "+x"(x) : "x"(y)); break;
        case H_DIV: __asm__ volatile("divsd %1, %0" : "+x"(x) : "x"(y)); break;
        case H_SQRT: __asm__ volatile("sqrtsd %0, %0" : "+x"(x)); break;
        default:
            if (host_cpu()->fma) {
                __asm__ volatile("vfmadd231sd %1, %2, %0" : "+x"(z) : "x"(x), "x"(y));
            } else {
                __asm__ volatile("" : "+x"(z) : "x"(x), "x"(y));
                z = fma(x, y, z);
            }
            x = z;
            break;
        }
        r = bits_d(x);
    } else {
        float x = s_of(a), y = s_of(b), z = s_of(c);
        switch (op) {
        case H_ADD: __asm__ volatile("addss %1, %0" : "+x"(x) : "x"(y)); break;
        case H_SUB: __asm__ volatile("subss %1, %0" : "+x"(x) : "x"(y)); break;
        case H_MUL: __asm__ volatile("mulss %1, %0" : "+x"(x) : "x"(y)); break;
        case H_DIV: __asm__ volatile("divss %1, %0" : "+x"(x) : "x"(y)); break;
        case H_SQRT: __asm__ volatile("sqrtss %0, %0" : "+x"(x)); break;
        default:
            if (host_cpu()->fma) {
                __asm__ volatile("vfmadd231ss %1, %2, %0" : "+x"(z) : "x"(x), "x"(y));
            } else {
                __asm__ volatile("" : "+x"(z) : "x"(x), "x"(y));
                z = fmaf(x, y, z);
            }
            x = z;
            break;
        }
        r = bits_s(x);
    }
    *xf = _mm_getcsr() & 0x3fu;
    return r;
}

static uint64_t arith_half(FpSt *st, int op, uint64_t a, uint64_t b, uint64_t c);

/* The host result with Arm's rules applied: default NaN for invalid ops,
 * underflow detected before rounding, FZ flushing of tiny results. */
static uint64_t arith(FpSt *st, FpFmt f, int op, uint64_t a, uint64_t b, uint64_t c)
{
    if (f == FMT_H) {
        return arith_half(st, op, a, b, c);
    }
    Fmt t = fmt_of(f);
    int rm = fpst_rmode(st);
    uint32_t xf;
    uint64_t r = host_arith(f, op, a, b, c, rm, &xf);
    if (is_nan(t, r)) {
        st->flags |= FPSR_IOC;
        return default_nan(t);
    }
    uint64_t mag = r & ~f_sign(t), min_normal = 1ull << t.f;
    bool inexact = xf & 0x20;
    bool tiny = false;
    if (mag != 0 && mag < min_normal) {
        tiny = true;
    } else if (mag == 0) {
        tiny = inexact;
    } else if (mag == min_normal && inexact) {
        uint32_t xz;
        uint64_t rz = host_arith(f, op, a, b, c, RM_ZERO, &xz);
        tiny = (rz & ~f_sign(t)) < min_normal;
    }
    if (tiny && (st->fpcr & FPCR_FZ)) {
        st->flags |= FPSR_UFC;
        return r & f_sign(t);
    }
    if (xf & 0x01) st->flags |= FPSR_IOC;
    if (xf & 0x04) st->flags |= FPSR_DZC;
    if (xf & 0x08) st->flags |= FPSR_OFC;
    if (tiny && inexact) st->flags |= FPSR_UFC;
    if (inexact) st->flags |= FPSR_IXC;
    return r;
}

static uint64_t round_pack(FpSt *st, FpFmt f, bool sign, int exp, uint64_t mant, bool sticky,
                           int rmode);
static void unpack_norm(Fmt t, uint64_t x, int *exp, uint64_t *mant);

/* Half precision.  Halves are exact in double, and so are their sums,
 * differences and products; the host computes the op in double, and when
 * that was inexact (divide, square root, a fused multiply-add with a
 * long sum) again truncated toward zero, whose 53 bits plus a sticky bit
 * (the inexact flag) round_pack rounds once into half in the guest's
 * mode: one correct rounding, tininess judged before rounding. */
static uint64_t arith_half(FpSt *st, int op, uint64_t a, uint64_t b, uint64_t c)
{
    Fmt t = fmt_of(FMT_H), td = fmt_of(FMT_D);
    int rm = fpst_rmode(st);
    uint32_t xf;
    uint64_t r = host_arith(FMT_D, op, bits_d(h_to_d(a)), bits_d(h_to_d(b)), bits_d(h_to_d(c)),
                            rm, &xf);
    bool sign = sign_of(td, r);
    if (is_nan(td, r)) {
        st->flags |= FPSR_IOC;
        return default_nan(t);
    }
    if (xf & 0x04) {
        st->flags |= FPSR_DZC;
    }
    if (is_inf(td, r)) {
        return infinity(t, sign);
    }
    bool inexact = xf & 0x20;
    if (inexact) {
        r = host_arith(FMT_D, op, bits_d(h_to_d(a)), bits_d(h_to_d(b)), bits_d(h_to_d(c)),
                       RM_ZERO, &xf);
    } else if (is_zero(td, r)) {
        return sign ? f_sign(t) : 0;            /* exact zero: the host's sign rule */
    }
    int exp;
    uint64_t mant;
    unpack_norm(td, r, &exp, &mant);
    uint32_t fpcr = st->fpcr;
    st->fpcr &= ~FPCR_AHP;                      /* FPRound: AHP only for FCVT */
    r = round_pack(st, FMT_H, sign, exp, mant, inexact, rm);
    st->fpcr = fpcr;
    return r;
}

/* ---- arithmetic --------------------------------------------------------------- */

static uint64_t fp_const(FpFmt f, double v)
{
    return f == FMT_D ? bits_d(v) : f == FMT_S ? bits_s((float)v) : d_to_h_exact(v);
}

static uint64_t minmax(Fmt t, FpFmt f, bool is_max, uint64_t a, uint64_t b)
{
    if (is_zero(t, a) && is_zero(t, b)) {
        bool s = is_max ? (sign_of(t, a) && sign_of(t, b)) : (sign_of(t, a) || sign_of(t, b));
        return s ? f_sign(t) : 0;
    }
    double x = to_host(f, a), y = to_host(f, b);
    return (is_max ? x > y : x < y) ? a : b;
}

uint64_t fpa_binop(FpSt *st, FpFmt f, FpOp op, uint64_t a, uint64_t b)
{
    Fmt t = fmt_of(f);
    uint64_t sgn = f_sign(t), r;
    a = flush_in(st, t, a);
    b = flush_in(st, t, b);
    if (op == FOP_RECPS || op == FOP_RSQRTS) {
        a ^= sgn;
    }
    if (op == FOP_MAXNM || op == FOP_MINNM) {
        bool qa = is_nan(t, a) && !is_snan(t, a), qb = is_nan(t, b) && !is_snan(t, b);
        if (qa && !is_nan(t, b)) {
            a = infinity(t, op == FOP_MAXNM);
        } else if (qb && !is_nan(t, a)) {
            b = infinity(t, op == FOP_MAXNM);
        }
    }
    uint64_t ops[2] = { a, b };
    if (process_nans(st, t, ops, 2, &r)) {
        if (op == FOP_NMUL) {
            r ^= sgn;
        } else if (op == FOP_ABD) {
            r &= ~sgn;
        }
        return r;
    }
    bool inf_zero = (is_inf(t, a) && is_zero(t, b)) || (is_zero(t, a) && is_inf(t, b));
    switch (op) {
    case FOP_ADD: return arith(st, f, H_ADD, a, b, 0);
    case FOP_SUB: return arith(st, f, H_SUB, a, b, 0);
    case FOP_MUL: return arith(st, f, H_MUL, a, b, 0);
    case FOP_NMUL: return arith(st, f, H_MUL, a, b, 0) ^ sgn;
    case FOP_DIV: return arith(st, f, H_DIV, a, b, 0);
    case FOP_ABD: return arith(st, f, H_SUB, a, b, 0) & ~sgn;
    case FOP_MULX:
        if (inf_zero) {
            return fp_const(f, 2.0) | ((a ^ b) & sgn);
        }
        return arith(st, f, H_MUL, a, b, 0);
    case FOP_MAX: case FOP_MAXNM: return minmax(t, f, true, a, b);
    case FOP_MIN: case FOP_MINNM: return minmax(t, f, false, a, b);
    case FOP_RECPS:
        if (inf_zero) {
            return fp_const(f, 2.0);
        }
        if (is_inf(t, a) || is_inf(t, b)) {
            return infinity(t, sign_of(t, a ^ b));
        }
        return arith(st, f, H_FMA, a, b, fp_const(f, 2.0));
    default: /* FOP_RSQRTS */
        if (inf_zero) {
            return fp_const(f, 1.5);
        }
        if (is_inf(t, a) || is_inf(t, b)) {
            return infinity(t, sign_of(t, a ^ b));
        }
    {
        /* (3 + a*b) / 2 rounded once: halve an operand whose exponent
         * allows it exactly, and add 1.5; with both operands that tiny the
         * sum is 3 + (almost nothing), which halves exactly. */
        if (f_exp(t, a) > 1) {
            return arith(st, f, H_FMA, a - (1ull << t.f), b, fp_const(f, 1.5));
        }
        if (f_exp(t, b) > 1) {
            return arith(st, f, H_FMA, a, b - (1ull << t.f), fp_const(f, 1.5));
        }
        r = arith(st, f, H_FMA, a, b, fp_const(f, 3.0));
        return r - (1ull << t.f);               /* a normal near 3: halve it */
    }
    }
}

uint64_t fpa_muladd(FpSt *st, FpFmt f, uint64_t a, uint64_t n, uint64_t m)
{
    Fmt t = fmt_of(f);
    a = flush_in(st, t, a);
    n = flush_in(st, t, n);
    m = flush_in(st, t, m);
    bool inf_zero = (is_inf(t, n) && is_zero(t, m)) || (is_zero(t, n) && is_inf(t, m));
    if (is_nan(t, a) && !is_snan(t, a) && inf_zero) {
        st->flags |= FPSR_IOC;
        return default_nan(t);
    }
    uint64_t ops[3] = { a, n, m }, r;
    if (process_nans(st, t, ops, 3, &r)) {
        return r;
    }
    return arith(st, f, H_FMA, n, m, a);
}

uint64_t fpa_sqrt(FpSt *st, FpFmt f, uint64_t a)
{
    Fmt t = fmt_of(f);
    a = flush_in(st, t, a);
    if (is_nan(t, a)) {
        return nan_result(st, t, a);
    }
    return arith(st, f, H_SQRT, a, 0, 0);
}

/* ---- compares ----------------------------------------------------------------- */

uint32_t fpa_compare(FpSt *st, FpFmt f, uint64_t a, uint64_t b, bool signalling)
{
    Fmt t = fmt_of(f);
    a = flush_in(st, t, a);
    b = flush_in(st, t, b);
    if (is_nan(t, a) || is_nan(t, b)) {
        if (signalling || is_snan(t, a) || is_snan(t, b)) {
            st->flags |= FPSR_IOC;
        }
        return 0x30000000u;
    }
    double x = to_host(f, a), y = to_host(f, b);
    return x == y ? 0x60000000u : x < y ? 0x80000000u : 0x20000000u;
}

bool fpa_cmp_lane(FpSt *st, FpFmt f, int op, bool abs_args, uint64_t a, uint64_t b)
{
    Fmt t = fmt_of(f);
    a = flush_in(st, t, a);
    b = flush_in(st, t, b);
    if (abs_args) {
        a &= ~f_sign(t);
        b &= ~f_sign(t);
    }
    if (is_nan(t, a) || is_nan(t, b)) {
        if (op != 0 || is_snan(t, a) || is_snan(t, b)) {
            st->flags |= FPSR_IOC;
        }
        return false;
    }
    double x = to_host(f, a), y = to_host(f, b);
    return op == 0 ? x == y : op == 1 ? x >= y : x > y;
}

/* ---- rounding a value into a format (FPRoundBase) ----------------------------
 * value = mant * 2^(exp - 63), mant normalised (bit 63 set), sticky: lower
 * bits were lost (non-zero). */

static uint64_t round_pack(FpSt *st, FpFmt f, bool sign, int exp, uint64_t mant, bool sticky,
                           int rmode)
{
    Fmt t = fmt_of(f);
    int bias = f_bias(t), emin = 1 - bias;
    bool ahp = f == FMT_H && (st->fpcr & FPCR_AHP);
    uint64_t sgn = sign ? f_sign(t) : 0;
    if (exp < emin && fz_on(st, t)) {
        st->flags |= FPSR_UFC;
        return sgn;
    }
    int biased = exp < emin ? 0 : exp - emin + 1;
    int scale = (exp < emin ? emin : exp) - t.f;  /* value of the integer's bit 0 */
    int drop = 63 - (exp - scale);                /* bits of mant below that */
    uint64_t int_mant, rest;                      /* rest: dropped bits, top-aligned */
    if (drop >= 64) {
        int_mant = 0;
        rest = drop == 64 ? mant : 0;
        sticky |= drop > 64;                      /* below one half, not zero */
    } else {
        int_mant = mant >> drop;
        rest = drop ? mant << (64 - drop) : 0;
    }
    bool half = rest >> 63, below = (rest << 1) != 0 || sticky;
    bool error = half || below;
    if (biased == 0 && error) {
        st->flags |= FPSR_UFC;
    }
    bool up = false;
    switch (rmode) {
    case RM_TIEEVEN: up = half && (below || (int_mant & 1)); break;
    case RM_POSINF:  up = error && !sign; break;
    case RM_NEGINF:  up = error && sign; break;
    case RM_TIEAWAY: up = half; break;
    case RM_ODD:     if (error) int_mant |= 1; break;
    default: break;
    }
    if (up) {
        int_mant++;
        if (int_mant == (2ull << t.f)) {
            int_mant >>= 1;
            biased++;
        }
    }
    if (biased == 0 && int_mant >= (1ull << t.f)) {
        biased = 1;
    }
    if (!ahp && biased >= (1 << t.e) - 1) {
        bool to_inf = rmode == RM_TIEEVEN || rmode == RM_TIEAWAY ||
                      (rmode == RM_POSINF && !sign) || (rmode == RM_NEGINF && sign);
        st->flags |= FPSR_OFC | FPSR_IXC;
        return to_inf ? infinity(t, sign) : max_normal(t, sign);
    }
    if (ahp && biased >= (1 << t.e)) {
        st->flags |= FPSR_IOC;
        return sgn | 0x7fff;
    }
    if (error) {
        st->flags |= FPSR_IXC;
    }
    return sgn | (uint64_t)biased << t.f | (int_mant & f_fracm(t));
}

/* Unpack a finite non-zero value into (exp, normalised mant). */
static void unpack_norm(Fmt t, uint64_t x, int *exp, uint64_t *mant)
{
    int be = (int)f_exp(t, x);
    uint64_t m = x & f_fracm(t);
    if (be == 0) {
        be = 1;
    } else {
        m |= 1ull << t.f;
    }
    int lz = __builtin_clzll(m);
    *mant = m << lz;
    /* exponent of the leading bit: (be - bias) - (t.f - its position) */
    *exp = be - f_bias(t) - (t.f - (63 - lz));
}

static bool ahp_input(const FpSt *st, FpFmt f) { return f == FMT_H && (st->fpcr & FPCR_AHP); }

static uint64_t convert(FpSt *st, FpFmt to, FpFmt from, uint64_t a, int rmode);

/* FCVT between precisions: FPUnpackCV / FPRoundCV ignore FZ16. */
uint64_t fpa_convert(FpSt *st, FpFmt to, FpFmt from, uint64_t a, int rmode)
{
    uint32_t fpcr = st->fpcr;
    st->fpcr &= ~FPCR_FZ16;
    uint64_t r = convert(st, to, from, a, rmode);
    st->fpcr = fpcr;
    return r;
}

static uint64_t convert(FpSt *st, FpFmt to, FpFmt from, uint64_t a, int rmode)
{
    Fmt tf = fmt_of(from), tt = fmt_of(to);
    bool sign = sign_of(tf, a);
    bool ahp_in = ahp_input(st, from), ahp_out = ahp_input(st, to);
    if (from != FMT_H) {
        a = flush_in(st, tf, a);
    }
    if (!ahp_in && is_nan(tf, a)) {
        if (is_snan(tf, a) || ahp_out) {
            st->flags |= FPSR_IOC;
        }
        if (ahp_out) {
            return sign ? f_sign(tt) : 0;
        }
        if (st->fpcr & FPCR_DN) {
            return default_nan(tt);
        }
        uint64_t payload = a & f_fracm(tf);
        payload = tt.f >= tf.f ? payload << (tt.f - tf.f) : payload >> (tf.f - tt.f);
        return (sign ? f_sign(tt) : 0) | f_expm(tt) | f_quiet(tt) | payload;
    }
    if (!ahp_in && is_inf(tf, a)) {
        if (ahp_out) {
            st->flags |= FPSR_IOC;
            return (sign ? f_sign(tt) : 0) | 0x7fff;
        }
        return infinity(tt, sign);
    }
    if (is_zero(tf, a)) {
        return sign ? f_sign(tt) : 0;
    }
    int exp;
    uint64_t mant;
    unpack_norm(tf, a, &exp, &mant);
    return round_pack(st, to, sign, exp, mant, false, rmode);
}

uint64_t fpa_from_fixed(FpSt *st, FpFmt f, uint64_t a, int fbits, bool is_unsigned,
                        int width, int rmode)
{
    if (width < 64) {
        int sh = 64 - width;
        a = is_unsigned ? a << sh >> sh : (uint64_t)((int64_t)(a << sh) >> sh);
    }
    bool sign = !is_unsigned && (int64_t)a < 0;
    uint64_t mag = sign ? -a : a;
    if (mag == 0) {
        return 0;
    }
    int lz = __builtin_clzll(mag);
    uint32_t fpcr = st->fpcr;
    st->fpcr &= ~FPCR_AHP;                      /* FPRound: AHP only for FCVT */
    uint64_t r = round_pack(st, f, sign, 63 - lz - fbits, mag << lz, false, rmode);
    st->fpcr = fpcr;
    return r;
}

/* Split |x| * 2^fbits into integer part and the dropped bits (rest, top-
 * aligned; sticky below).  Returns false when the integer part needs more
 * than 64 bits (then *ip is unusable). */
static bool split_int(Fmt t, uint64_t x, int fbits, uint64_t *ip, uint64_t *rest, bool *sticky)
{
    int exp;
    uint64_t mant;
    unpack_norm(t, x, &exp, &mant);
    exp += fbits;                   /* value = mant * 2^(exp - 63) */
    *sticky = false;
    if (exp >= 64) {
        return false;
    }
    if (exp < 0) {
        *ip = 0;
        if (exp == -1) {
            *rest = mant;
        } else {
            *rest = 0;
            *sticky = true;         /* below one half, not zero */
            if (exp > -64) {
                *rest = mant >> (-exp - 1);
                *sticky = (mant << (64 + exp + 1)) != 0;
            }
        }
        return true;
    }
    *ip = exp == 63 ? mant : mant >> (63 - exp);
    *rest = exp == 63 ? 0 : mant << (exp + 1);
    return true;
}

/* Round the split value: true when the integer part goes up by one. */
static bool round_up(int rmode, bool sign, uint64_t ip, uint64_t rest, bool sticky)
{
    bool half = rest >> 63, below = (rest << 1) != 0 || sticky, error = half || below;
    switch (rmode) {
    case RM_TIEEVEN: return half && (below || (ip & 1));
    case RM_POSINF:  return error && !sign;
    case RM_NEGINF:  return error && sign;
    case RM_TIEAWAY: return half;
    default:         return false;
    }
}

uint64_t fpa_to_fixed(FpSt *st, FpFmt f, uint64_t a, int fbits, bool is_unsigned, int rmode,
                      int width)
{
    Fmt t = fmt_of(f);
    a = flush_in(st, t, a);
    bool sign = sign_of(t, a);
    uint64_t max_pos = is_unsigned ? (width == 64 ? ~0ull : (1ull << width) - 1)
                                   : (1ull << (width - 1)) - 1;
    uint64_t min_neg = is_unsigned ? 0 : -(1ull << (width - 1));   /* as two's complement */
    if (is_nan(t, a)) {
        st->flags |= FPSR_IOC;
        return 0;
    }
    if (is_zero(t, a)) {
        return 0;
    }
    uint64_t ip = 0, rest = 0;
    bool sticky = false, big = is_inf(t, a) || !split_int(t, a, fbits, &ip, &rest, &sticky);
    bool error = rest || sticky;
    if (!big && round_up(rmode, sign, ip, rest, sticky)) {
        ip++;
        big = ip == 0;
    }
    uint64_t res;
    bool overflow;
    if (!sign) {
        overflow = big || ip > max_pos;
        res = overflow ? max_pos : ip;
    } else if (is_unsigned) {
        overflow = big || ip != 0;
        res = 0;
    } else {
        overflow = big || ip > (1ull << (width - 1));
        res = overflow ? min_neg : -ip;
    }
    if (overflow) {
        st->flags |= FPSR_IOC;
    } else if (error) {
        st->flags |= FPSR_IXC;
    }
    return width == 32 ? (uint32_t)res : res;
}

uint64_t fpa_round_int(FpSt *st, FpFmt f, uint64_t a, int rmode, bool exact, int int_bits)
{
    Fmt t = fmt_of(f);
    a = flush_in(st, t, a);
    if (is_nan(t, a)) {
        return nan_result(st, t, a);
    }
    bool sign = sign_of(t, a);
    if (is_inf(t, a) || is_zero(t, a)) {
        if (int_bits && is_inf(t, a)) {
            st->flags |= FPSR_IOC;
            return fp_const(f, -ldexp(1.0, int_bits - 1));
        }
        return a;
    }
    uint64_t ip = 0, rest = 0;
    bool sticky = false;
    if (!split_int(t, a, 0, &ip, &rest, &sticky)) {
        if (int_bits) {
            st->flags |= FPSR_IOC;
            return fp_const(f, -ldexp(1.0, int_bits - 1));
        }
        return a;                   /* already integral */
    }
    bool error = rest || sticky;
    if (round_up(rmode, sign, ip, rest, sticky)) {
        ip++;
    }
    if (int_bits) {
        uint64_t lim = 1ull << (int_bits - 1);
        if (sign ? ip > lim : ip >= lim) {
            st->flags |= FPSR_IOC;
            return fp_const(f, -ldexp(1.0, int_bits - 1));
        }
    }
    if (exact && error) {
        st->flags |= FPSR_IXC;
    }
    return fp_const(f, (double)ip) | (sign ? f_sign(t) : 0);
}

uint32_t fpa_jcvt(FpSt *st, uint64_t a, bool *exact)
{
    Fmt t = fmt_of(FMT_D);
    a = flush_in(st, t, a);
    *exact = false;
    if (is_nan(t, a) || is_inf(t, a)) {
        st->flags |= FPSR_IOC;
        return 0;
    }
    if (is_zero(t, a)) {
        *exact = !sign_of(t, a);
        return 0;
    }
    bool sign = sign_of(t, a);
    int exp;
    uint64_t mant;
    unpack_norm(t, a, &exp, &mant);
    uint64_t low;                        /* low 64 bits of the truncated integer */
    bool error, overflow;
    if (exp >= 64) {
        low = exp - 63 >= 64 ? 0 : mant << (exp - 63);
        error = false;
        overflow = true;
    } else {
        uint64_t ip = 0, rest = 0;
        bool sticky = false;
        split_int(t, a, 0, &ip, &rest, &sticky);
        low = ip;
        error = rest || sticky;
        overflow = sign ? ip > (1ull << 31) : ip > 0x7fffffffull;
    }
    uint32_t r = (uint32_t)(sign ? -low : low);
    if (overflow) {
        st->flags |= FPSR_IOC;
    } else if (error) {
        st->flags |= FPSR_IXC;
    } else {
        *exact = true;
    }
    return r;
}

/* ---- estimates ------------------------------------------------------------------ */

static int recip_estimate(int a)
{
    a = a * 2 + 1;
    int b = (1 << 19) / a;
    return (b + 1) >> 1;
}

static int rsqrt_estimate(int a)
{
    if (a < 256) {
        a = a * 2 + 1;
    } else {
        a = (a >> 1) << 1;
        a = (a + 1) * 2;
    }
    int b = 512;
    while (a * (b + 1) * (b + 1) < (1 << 28)) {
        b++;
    }
    return (b + 1) / 2;
}

uint64_t fpa_recip_estimate(FpSt *st, FpFmt f, uint64_t a)
{
    Fmt t = fmt_of(f);
    a = flush_in(st, t, a);
    bool sign = sign_of(t, a);
    uint64_t sgn = sign ? f_sign(t) : 0;
    if (is_nan(t, a)) {
        return nan_result(st, t, a);
    }
    if (is_inf(t, a)) {
        return sgn;
    }
    if (is_zero(t, a)) {
        st->flags |= FPSR_DZC;
        return infinity(t, sign);
    }
    uint64_t mag = a & ~sgn;
    if (mag < (1ull << (t.f - 2))) {                /* |value| < 2^-(bias+1) */
        int rm = fpst_rmode(st);
        bool to_inf = rm == RM_TIEEVEN || (rm == RM_POSINF && !sign) || (rm == RM_NEGINF && sign);
        st->flags |= FPSR_OFC | FPSR_IXC;
        return to_inf ? infinity(t, sign) : max_normal(t, sign);
    }
    int exp = (int)f_exp(t, a);
    int exp_off = 2 * f_bias(t) - 1;                /* 253 / 2045 */
    if (fz_on(st, t) && exp >= exp_off) {
        st->flags |= FPSR_UFC;
        return sgn;
    }
    uint64_t frac = (a & f_fracm(t)) << (52 - t.f);
    if (exp == 0) {
        if (!((frac >> 51) & 1)) {
            exp = -1;
            frac <<= 2;
        } else {
            frac <<= 1;
        }
    }
    int scaled = 256 | (int)((frac >> 44) & 0xff);
    int est = recip_estimate(scaled);
    int rexp = exp_off - exp;
    uint64_t rfrac = (uint64_t)(est & 0xff) << 44;
    if (rexp == 0) {
        rfrac = (rfrac >> 1) | (1ull << 51);
    } else if (rexp == -1) {
        rfrac = (rfrac >> 2) | (1ull << 50);
        rexp = 0;
    }
    return sgn | ((uint64_t)rexp << t.f & f_expm(t)) | ((rfrac >> (52 - t.f)) & f_fracm(t));
}

uint64_t fpa_rsqrt_estimate(FpSt *st, FpFmt f, uint64_t a)
{
    Fmt t = fmt_of(f);
    a = flush_in(st, t, a);
    bool sign = sign_of(t, a);
    if (is_nan(t, a)) {
        return nan_result(st, t, a);
    }
    if (is_zero(t, a)) {
        st->flags |= FPSR_DZC;
        return infinity(t, sign);
    }
    if (sign) {
        st->flags |= FPSR_IOC;
        return default_nan(t);
    }
    if (is_inf(t, a)) {
        return 0;
    }
    int exp = (int)f_exp(t, a);
    uint64_t frac = (a & f_fracm(t)) << (52 - t.f);
    if (exp == 0) {
        while (!((frac >> 51) & 1)) {
            frac <<= 1;
            exp--;
        }
        frac = (frac << 1) & ((1ull << 52) - 1);
    }
    int scaled = (exp & 1) ? (128 | (int)((frac >> 45) & 0x7f)) : (256 | (int)((frac >> 44) & 0xff));
    int est = rsqrt_estimate(scaled);
    int exp_off = 3 * f_bias(t) - 1;           /* 44 / 380 / 3068 */
    int rexp = (exp_off - exp) / 2;
    return ((uint64_t)rexp << t.f & f_expm(t)) | ((uint64_t)(est & 0xff) << (t.f - 8));
}

uint64_t fpa_recpx(FpSt *st, FpFmt f, uint64_t a)
{
    Fmt t = fmt_of(f);
    a = flush_in(st, t, a);
    if (is_nan(t, a)) {
        return nan_result(st, t, a);
    }
    uint64_t sgn = a & f_sign(t), exp = f_exp(t, a);
    uint64_t maxe = (1ull << t.e) - 1;
    return sgn | ((exp == 0 ? maxe - 1 : (~exp & maxe)) << t.f);
}

uint32_t fpa_urecpe(uint32_t a)
{
    if (!(a >> 31)) {
        return 0xffffffffu;
    }
    return (uint32_t)recip_estimate((int)(a >> 23) & 0x1ff) << 23;
}

uint32_t fpa_ursqrte(uint32_t a)
{
    if (!(a >> 30)) {
        return 0xffffffffu;
    }
    return (uint32_t)rsqrt_estimate((int)(a >> 23) & 0x1ff) << 23;
}
