/*
 * <fenv.h>: every rounding mode (fesetround) for + - * / sqrt, fma and the
 * conversions (double->float, double->int with lrint/rint, int->float)
 * on operands that round differently, and fetestexcept for each exception
 * after an operation that raises it (and none after exact ones).  Built
 * with rounding-math semantics (pragma) and volatile operands so nothing
 * is folded at compile time; the expected output comes from
 * qemu-aarch64-static.
 */
#pragma GCC optimize("rounding-math", "trapping-math", "no-fast-math")
#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static volatile double va = 1.0, vb = 3.0, vc = -1e-300, vd = 0x1.0000000000001p0, vz = 0.0;
static volatile double vbig = 0x1.fffffffffffffp1023, vtiny = 0x1p-1022, vneg = -2.0;
static volatile float fa = 1.0f, fb = 3.0f;
static volatile int64_t iv = 0x7ffffffffffffe01ll;
static volatile int32_t i32 = 16777217;

static uint64_t db(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static uint32_t fbits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

static void rounding(const char *name, int mode)
{
    fesetround(mode);
    printf("%-8s add %016llx sub %016llx mul %016llx div %016llx\n", name,
           (unsigned long long)db(va + vc), (unsigned long long)db(vc - va),
           (unsigned long long)db(vd * vd), (unsigned long long)db(va / vb));
    printf("%-8s sqrt %016llx fma %016llx fdiv %08x fsub %08x\n", name,
           (unsigned long long)db(sqrt(vb)), (unsigned long long)db(fma(vd, vd, -va)),
           fbits(fa / fb), fbits(fa - fb * 1e-8f));
    printf("%-8s d2f %08x %08x rint %016llx lrint %ld %ld i2f %08x i2d %016llx\n", name,
           fbits((float)(va / vb)), fbits((float)(-(va / vb))), (unsigned long long)db(rint(vb / 2.0)),
           lrint(-2.5 * va), lrint(vb * 0.5), fbits((float)i32), (unsigned long long)db((double)iv));
    fesetround(FE_TONEAREST);
}

static void show_flags(const char *op)
{
    int e = fetestexcept(FE_ALL_EXCEPT);
    printf("%-12s%s%s%s%s%s%s\n", op, e & FE_INVALID ? " invalid" : "", e & FE_DIVBYZERO ? " divbyzero" : "",
           e & FE_OVERFLOW ? " overflow" : "", e & FE_UNDERFLOW ? " underflow" : "",
           e & FE_INEXACT ? " inexact" : "", e ? "" : " none");
    feclearexcept(FE_ALL_EXCEPT);
}

static volatile double sink;
static volatile float fsink;
static volatile long lsink;

static void exceptions(void)
{
    feclearexcept(FE_ALL_EXCEPT);
    sink = va + vb; show_flags("exact-add");
    sink = va / vb; show_flags("div-inexact");
    sink = va / vz; show_flags("div-by-zero");
    sink = vz / vz; show_flags("0/0");
    sink = sqrt(vneg); show_flags("sqrt(-2)");
    sink = vbig * vb; show_flags("overflow");
    sink = vtiny * vtiny; show_flags("underflow");
    sink = vtiny / 3.0; show_flags("subnormal");
    sink = vtiny * 0.5; show_flags("exact-subn");
    fsink = (float)vbig; show_flags("d2f-ovf");
    fsink = (float)vtiny; show_flags("d2f-unf");
    lsink = (long)(vbig); show_flags("d2l-inval");
    lsink = (long)(va / vb * 10.0); show_flags("d2l-inexact");
    sink = fma(vbig, vb, -vbig); show_flags("fma-ovf");
    sink = (double)iv; show_flags("i2d-inexact");
    sink = __builtin_nan("") + va; show_flags("qnan-add");
    volatile double snan = __builtin_nans("");
    sink = snan + va; show_flags("snan-add");
    sink = (va < __builtin_nan("")) ? 1 : 0; show_flags("qnan-lt");
    sink = __builtin_isless(va, __builtin_nan("")) ? 1 : 0; show_flags("qnan-isless");
    sink = (va == snan) ? 1 : 0; show_flags("snan-eq");
    feraiseexcept(FE_OVERFLOW | FE_INEXACT); show_flags("feraise");
}

int main(void)
{
    rounding("nearest", FE_TONEAREST);
    rounding("upward", FE_UPWARD);
    rounding("downward", FE_DOWNWARD);
    rounding("zero", FE_TOWARDZERO);
    exceptions();
    printf("round %d\n", fegetround() == FE_TONEAREST);
    return 0;
}
