/*
 * Scalar FP instructions on special values (zeros, denormals, infinities,
 * quiet and signalling NaNs with payloads, values near the integer
 * limits).  Each group of results prints one hash line; with any argument
 * every result is printed as a hex bit pattern (to find a difference).
 * The expected output comes from running it under qemu-aarch64-static.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const uint64_t dvals[] = {
    0x0000000000000000, 0x8000000000000000, 0x3ff0000000000000, 0xbff0000000000000,
    0x3ff8000000000000, 0x4004000000000000, 0xc004000000000000, 0x3fe0000000000000,
    0x7e37e43c8800759c, 0xfe37e43c8800759c, 0x0010000000000000, 0x0000000000000001,
    0x800fffffffffffff, 0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000,
    0xfff8000000000123, 0x7ff0000000000001, 0xfff4000000000abc, 0x3fd5555555555555,
    0x43e0000000000000, 0xc3e0000000000000, 0x43f0000000000000, 0x41efffffffff0000,
    0xbfe0000000000000, 0x41dfffffffc00000, 0xc1e0000000200000, 0x4330000000000001,
};
static const uint32_t svals[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3fc00000, 0x40200000, 0xc0200000,
    0x3f000000, 0x7f7fffff, 0xff7fffff, 0x00800000, 0x00000001, 0x807fffff, 0x7f800000,
    0xff800000, 0x7fc00000, 0xffc00123, 0x7f800001, 0xffa00abc, 0x3eaaaaab, 0x5f000000,
    0xdf000000, 0x4f800000, 0xbf000000, 0x4effffff,
};
#define ND (sizeof(dvals) / sizeof(dvals[0]))
#define NS (sizeof(svals) / sizeof(svals[0]))

static double d_of(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }
static uint64_t u_of(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static float s_of(uint32_t u) { float f; memcpy(&f, &u, 4); return f; }
static uint32_t v_of(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

#define D2(name, insn) static uint64_t name(uint64_t a, uint64_t b) { double r; \
    __asm__ volatile(insn " %d0, %d1, %d2" : "=w"(r) : "w"(d_of(a)), "w"(d_of(b))); return u_of(r); }
#define S2(name, insn) static uint32_t name(uint32_t a, uint32_t b) { float r; \
    __asm__ volatile(insn " %s0, %s1, %s2" : "=w"(r) : "w"(s_of(a)), "w"(s_of(b))); return v_of(r); }
D2(dadd, "fadd") D2(dsub, "fsub") D2(dmul, "fmul") D2(ddiv, "fdiv") D2(dnmul, "fnmul")
D2(dmin, "fmin") D2(dmax, "fmax") D2(dminnm, "fminnm") D2(dmaxnm, "fmaxnm")
S2(sadd, "fadd") S2(ssub, "fsub") S2(smul, "fmul") S2(sdiv, "fdiv") S2(snmul, "fnmul")
S2(smin, "fmin") S2(smax, "fmax") S2(sminnm, "fminnm") S2(smaxnm, "fmaxnm")

#define D1(name, insn) static uint64_t name(uint64_t a) { double r; \
    __asm__ volatile(insn " %d0, %d1" : "=w"(r) : "w"(d_of(a))); return u_of(r); }
#define S1(name, insn) static uint32_t name(uint32_t a) { float r; \
    __asm__ volatile(insn " %s0, %s1" : "=w"(r) : "w"(s_of(a))); return v_of(r); }
D1(dsqrt, "fsqrt") D1(dabs, "fabs") D1(dneg, "fneg") D1(drintn, "frintn") D1(drintm, "frintm")
D1(drintp, "frintp") D1(drintz, "frintz") D1(drinta, "frinta") D1(drinti, "frinti")
S1(ssqrt, "fsqrt") S1(srinta, "frinta") S1(srintm, "frintm")

#define CVT(name, insn, rt, reg, in_t, conv, fmt) static uint64_t name(in_t a) { rt r; \
    __asm__ volatile(insn " %" reg "0, %" fmt "1" : "=r"(r) : "w"(conv(a))); return (uint64_t)r; }
CVT(d2xs, "fcvtzs", int64_t, "x", uint64_t, d_of, "d") CVT(d2ws, "fcvtzs", int32_t, "w", uint64_t, d_of, "d")
CVT(d2xu, "fcvtzu", uint64_t, "x", uint64_t, d_of, "d") CVT(d2wu, "fcvtzu", uint32_t, "w", uint64_t, d_of, "d")
CVT(d2xs_m, "fcvtms", int64_t, "x", uint64_t, d_of, "d") CVT(d2ws_p, "fcvtps", int32_t, "w", uint64_t, d_of, "d")
CVT(d2xs_n, "fcvtns", int64_t, "x", uint64_t, d_of, "d") CVT(d2xs_a, "fcvtas", int64_t, "x", uint64_t, d_of, "d")
CVT(d2xu_a, "fcvtau", uint64_t, "x", uint64_t, d_of, "d")
CVT(s2xs, "fcvtzs", int64_t, "x", uint32_t, s_of, "s") CVT(s2wu, "fcvtzu", uint32_t, "w", uint32_t, s_of, "s")
CVT(s2ws, "fcvtzs", int32_t, "w", uint32_t, s_of, "s")

static uint64_t dfma(uint64_t a, uint64_t n, uint64_t m, int v)
{
    double r, x = d_of(a), y = d_of(n), z = d_of(m);
    switch (v) {
    case 0: __asm__ volatile("fmadd %d0, %d1, %d2, %d3" : "=w"(r) : "w"(y), "w"(z), "w"(x)); break;
    case 1: __asm__ volatile("fmsub %d0, %d1, %d2, %d3" : "=w"(r) : "w"(y), "w"(z), "w"(x)); break;
    case 2: __asm__ volatile("fnmadd %d0, %d1, %d2, %d3" : "=w"(r) : "w"(y), "w"(z), "w"(x)); break;
    default: __asm__ volatile("fnmsub %d0, %d1, %d2, %d3" : "=w"(r) : "w"(y), "w"(z), "w"(x)); break;
    }
    return u_of(r);
}

static unsigned fcmp_d(uint64_t a, uint64_t b)
{
    uint64_t f;
    __asm__ volatile("fcmp %d1, %d2\n mrs %0, nzcv" : "=r"(f) : "w"(d_of(a)), "w"(d_of(b)));
    return (unsigned)(f >> 28);
}
static unsigned fcmpe_s0(uint32_t a)
{
    uint64_t f;
    __asm__ volatile("fcmpe %s1, #0.0\n mrs %0, nzcv" : "=r"(f) : "w"(s_of(a)));
    return (unsigned)(f >> 28);
}
static unsigned fccmp_d(uint64_t a, uint64_t b, uint64_t x)
{
    uint64_t f;
    __asm__ volatile("cmp %3, #1\n fccmp %d1, %d2, #5, eq\n mrs %0, nzcv" : "=r"(f)
                     : "w"(d_of(a)), "w"(d_of(b)), "r"(x) : "cc");
    return (unsigned)(f >> 28);
}
static uint64_t fcsel_d(uint64_t a, uint64_t b, uint64_t x)
{
    double r;
    __asm__ volatile("cmp %3, #1\n fcsel %d0, %d1, %d2, gt" : "=w"(r)
                     : "w"(d_of(a)), "w"(d_of(b)), "r"(x) : "cc");
    return u_of(r);
}

static uint64_t hash = 1469598103934665603ull;
static int verbose;
static void out(const char *what, uint64_t v)
{
    if (verbose) {
        printf("%s %llx\n", what, (unsigned long long)v);
    }
    hash = (hash ^ v) * 1099511628211ull;
}

/* End a group: print its hash and start the next. */
static void group(const char *name)
{
    printf("%-8s %016llx\n", name, (unsigned long long)hash);
    hash = 1469598103934665603ull;
}

int main(int argc, char **argv)
{
    (void)argv;
    verbose = argc > 1;
    static uint64_t (*const dops[])(uint64_t, uint64_t) = { dadd, dsub, dmul, ddiv, dnmul, dmin, dmax, dminnm, dmaxnm };
    static const char *const names[] = { "add", "sub", "mul", "div", "nmul", "min", "max", "minnm", "maxnm" };
    static uint32_t (*const sops[])(uint32_t, uint32_t) = { sadd, ssub, smul, sdiv, snmul, smin, smax, sminnm, smaxnm };
    char buf[64];
    for (unsigned o = 0; o < 9; o++) {
        for (unsigned i = 0; i < ND; i++) {
            for (unsigned j = 0; j < ND; j++) {
                snprintf(buf, sizeof(buf), "d%s %u %u", names[o], i, j);
                out(buf, dops[o](dvals[i], dvals[j]));
            }
        }
        for (unsigned i = 0; i < NS; i++) {
            for (unsigned j = 0; j < NS; j++) {
                snprintf(buf, sizeof(buf), "s%s %u %u", names[o], i, j);
                out(buf, sops[o](svals[i], svals[j]));
            }
        }
        group(names[o]);
    }
    static uint64_t (*const d1[])(uint64_t) = { dsqrt, dabs, dneg, drintn, drintm, drintp, drintz, drinta, drinti,
        d2xs, d2ws, d2xu, d2wu, d2xs_m, d2ws_p, d2xs_n, d2xs_a, d2xu_a };
    for (unsigned o = 0; o < sizeof(d1) / sizeof(d1[0]); o++) {
        for (unsigned i = 0; i < ND; i++) {
            snprintf(buf, sizeof(buf), "d1 %u %u", o, i);
            out(buf, d1[o](dvals[i]));
        }
    }
    group("unary");
    static uint64_t (*const s1[])(uint32_t) = { s2xs, s2wu, s2ws };
    for (unsigned i = 0; i < NS; i++) {
        snprintf(buf, sizeof(buf), "s1 %u", i);
        out(buf, ssqrt(svals[i]));
        out(buf, srinta(svals[i]));
        out(buf, srintm(svals[i]));
        for (unsigned o = 0; o < 3; o++) {
            out(buf, s1[o](svals[i]));
        }
        double d = (double)s_of(svals[i]);              /* fcvt s -> d */
        out(buf, u_of(d));
        out(buf, fcmpe_s0(svals[i]));
    }
    group("single");
    for (unsigned i = 0; i < ND; i++) {
        float f = (float)d_of(dvals[i]);                /* fcvt d -> s */
        snprintf(buf, sizeof(buf), "cvt %u", i);
        out(buf, v_of(f));
    }
    group("fcvt");
    for (unsigned i = 0; i < ND; i++) {
        for (unsigned j = 0; j < ND; j++) {
            snprintf(buf, sizeof(buf), "cmp %u %u", i, j);
            out(buf, fcmp_d(dvals[i], dvals[j]) | fccmp_d(dvals[i], dvals[j], j & 1) << 4 |
                     (fcsel_d(dvals[i], dvals[j], i & 3) == dvals[i]) << 8);
        }
    }
    group("compare");
    for (unsigned i = 0; i < ND; i += 2) {
        for (unsigned j = 0; j < ND; j += 3) {
            for (unsigned k = 0; k < ND; k += 2) {
                for (int v = 0; v < 4; v++) {
                    snprintf(buf, sizeof(buf), "fma %u %u %u %d", i, j, k, v);
                    out(buf, dfma(dvals[i], dvals[j], dvals[k], v));
                }
            }
        }
    }
    group("fma");
    static const int64_t ints[] = { 0, 1, -1, 3, 0x7fffffff, -0x80000000ll, 0x7fffffffffffffffll,
        (int64_t)0x8000000000000000ull, 0x20000000000001ll, 0x1000001, (int64_t)0xffffffffffffffffull,
        (int64_t)0xfffffffffffff801ull, 0x123456789abcdefll };
    for (unsigned i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
        int64_t x = ints[i];
        snprintf(buf, sizeof(buf), "int %u", i);
        out(buf, u_of((double)x));
        out(buf, u_of((double)(uint64_t)x));
        out(buf, v_of((float)x));
        out(buf, v_of((float)(uint64_t)x));
        out(buf, u_of((double)(int32_t)x));
        out(buf, u_of((double)(uint32_t)x));
        out(buf, v_of((float)(uint32_t)x));
    }
    group("int2fp");
    return 0;
}
