/*
 * libm on a grid of about 1000 inputs per function, special values
 * included (zeros, subnormals, the smallest normal, huge values,
 * infinities, NaNs): sin cos tan exp log pow sqrt cbrt fma atan2 in double
 * and sinf expf logf powf in single.  The bit patterns of the results are
 * folded into one hash per block of 50 inputs (a mismatch names its
 * block), plus a few results printed in full; the expected output comes
 * from qemu-aarch64-static.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum { NIN = 1000, BLOCK = 50 };
static double in[NIN];

static uint64_t dbits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static uint32_t fbits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

static void build_inputs(void)
{
    static const double special[] = {
        0.0, -0.0, 0x1p-1074, -0x1p-1074, 0x1p-1022, 0x1.fffffffffffffp-1023, 1.0, -1.0,
        0.5, 2.0, 3.141592653589793, 1.5707963267948966, 0x1.fffffffffffffp1023, -0x1p1023,
        710.0, -745.2, 88.7, -103.9, 1e-300, 1e300, 1e22, 0x1p52 + 0.5,
    };
    int n = 0;
    for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++) {
        in[n++] = special[i];
    }
    in[n++] = INFINITY;
    in[n++] = -INFINITY;
    in[n++] = NAN;
    uint64_t x = 0x9e3779b97f4a7c15ull;
    while (n < NIN) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        double v;
        switch (n % 4) {
        case 0: v = (double)(int64_t)(x >> 11) * 0x1p-42; break;         /* |v| < 2^11 */
        case 1: v = (double)(x >> 11) * 0x1p-53 * 20.0 - 10.0; break;    /* [-10, 10) */
        case 2: { uint64_t b = (x & 0x800fffffffffffffull) | ((uint64_t)(900 + (x >> 52) % 250) << 52);
                  memcpy(&v, &b, 8); break; }                            /* wide exponents */
        default: v = (double)(x >> 11) * 0x1p-53; break;                 /* [0, 1) */
        }
        in[n++] = v;
    }
}

typedef double (*Fn1)(double);
typedef double (*Fn2)(double, double);

static uint64_t mix(uint64_t h, uint64_t v) { return (h ^ v) * 0x100000001b3ull + (v >> 29); }

static void run1(const char *name, Fn1 f)
{
    for (int b = 0; b < NIN / BLOCK; b++) {
        uint64_t h = 0;
        for (int i = b * BLOCK; i < (b + 1) * BLOCK; i++) {
            h = mix(h, dbits(f(in[i])));
        }
        printf("%-6s %2d %016llx\n", name, b, (unsigned long long)h);
    }
    printf("%-6s f(0.7)=%016llx f(-3.3)=%016llx\n", name, (unsigned long long)dbits(f(0.7)),
           (unsigned long long)dbits(f(-3.3)));
}

static void run2(const char *name, Fn2 f)
{
    for (int b = 0; b < NIN / BLOCK; b++) {
        uint64_t h = 0;
        for (int i = b * BLOCK; i < (b + 1) * BLOCK; i++) {
            h = mix(h, dbits(f(in[i], in[(i * 7 + 3) % NIN])));
            h = mix(h, dbits(f(fabs(in[i]), in[(i * 13 + 1) % NIN] * 0.01)));
        }
        printf("%-6s %2d %016llx\n", name, b, (unsigned long long)h);
    }
}

static void run_fma(void)
{
    for (int b = 0; b < NIN / BLOCK; b++) {
        uint64_t h = 0;
        for (int i = b * BLOCK; i < (b + 1) * BLOCK; i++) {
            h = mix(h, dbits(fma(in[i], in[(i * 7 + 3) % NIN], in[(i * 11 + 5) % NIN])));
            h = mix(h, dbits(fma(in[i], -in[i], in[i] * in[i])));      /* the rounding error */
        }
        printf("%-6s %2d %016llx\n", "fma", b, (unsigned long long)h);
    }
}

typedef float (*Fnf)(float);

static void runf(const char *name, Fnf f)
{
    for (int b = 0; b < NIN / BLOCK; b++) {
        uint64_t h = 0;
        for (int i = b * BLOCK; i < (b + 1) * BLOCK; i++) {
            h = mix(h, fbits(f((float)in[i])));
        }
        printf("%-6s %2d %016llx\n", name, b, (unsigned long long)h);
    }
}

static float powf_half(float x) { return powf(x, 0.37f); }
static double sqrt_fn(double x) { return sqrt(x); }

int main(void)
{
    build_inputs();
    run1("sin", sin);
    run1("cos", cos);
    run1("tan", tan);
    run1("exp", exp);
    run1("log", log);
    run1("sqrt", sqrt_fn);
    run1("cbrt", cbrt);
    run2("pow", pow);
    run2("atan2", atan2);
    run_fma();
    runf("sinf", sinf);
    runf("expf", expf);
    runf("logf", logf);
    runf("powf", powf_half);
    return 0;
}
