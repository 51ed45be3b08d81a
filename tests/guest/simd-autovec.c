/*
 * Loops that gcc -O3 auto-vectorises (the whole file is compiled at O3
 * through the pragma): sums, dot products, saxpy, min/max, abs,
 * conversions, narrowing and widening, saturation by clamping, shifts by
 * a per-element amount, over int8..int64, float and double arrays whose
 * lengths leave vector remainders.  Prints checksums and a few elements;
 * the expected output comes from qemu-aarch64-static.
 */
#pragma GCC optimize("O3", "no-math-errno")
#include <stdint.h>
#include <stdio.h>

#define N 1003

static int8_t i8a[N], i8b[N];
static uint8_t u8a[N], u8b[N];
static int16_t i16a[N], i16b[N];
static uint16_t u16a[N];
static int32_t i32a[N], i32b[N], i32c[N];
static uint32_t u32a[N];
static int64_t i64a[N], i64b[N];
static float fa[N], fb[N], fc[N];
static double da[N], db[N], dc[N];

static uint64_t mix(uint64_t h, uint64_t v) { return (h ^ v) * 0x100000001b3ull; }

__attribute__((noinline)) static int32_t sum8(void) { int32_t s = 0; for (int i = 0; i < N; i++) s += i8a[i]; return s; }
__attribute__((noinline)) static uint32_t sumu8(void) { uint32_t s = 0; for (int i = 0; i < N; i++) s += u8a[i]; return s; }
__attribute__((noinline)) static int64_t sum32(void) { int64_t s = 0; for (int i = 0; i < N; i++) s += i32a[i]; return s; }
__attribute__((noinline)) static int64_t sum64(void) { int64_t s = 0; for (int i = 0; i < N; i++) s += i64a[i]; return s; }
__attribute__((noinline)) static int32_t dot16(void) { int32_t s = 0; for (int i = 0; i < N; i++) s += i16a[i] * i16b[i]; return s; }
__attribute__((noinline)) static int64_t dot32(void) { int64_t s = 0; for (int i = 0; i < N; i++) s += (int64_t)i32a[i] * i32b[i]; return s; }
__attribute__((noinline)) static int32_t dot8(void) { int32_t s = 0; for (int i = 0; i < N; i++) s += i8a[i] * i8b[i]; return s; }
__attribute__((noinline)) static void saxpy(float k) { for (int i = 0; i < N; i++) fc[i] = k * fa[i] + fb[i]; }
__attribute__((noinline)) static void daxpy(double k) { for (int i = 0; i < N; i++) dc[i] = k * da[i] + db[i]; }
__attribute__((noinline)) static void fdivs(void) { for (int i = 0; i < N; i++) fc[i] = fa[i] / fb[i]; }
__attribute__((noinline)) static void dsqrt(void) { for (int i = 0; i < N; i++) dc[i] = __builtin_sqrt(da[i]); }
__attribute__((noinline)) static void fmaxs(void) { for (int i = 0; i < N; i++) fc[i] = fa[i] > fb[i] ? fa[i] : fb[i]; }
__attribute__((noinline)) static int8_t max8(void) { int8_t m = -128; for (int i = 0; i < N; i++) m = i8a[i] > m ? i8a[i] : m; return m; }
__attribute__((noinline)) static uint16_t minu16(void) { uint16_t m = 0xffff; for (int i = 0; i < N; i++) m = u16a[i] < m ? u16a[i] : m; return m; }
__attribute__((noinline)) static int32_t max32(void) { int32_t m = INT32_MIN; for (int i = 0; i < N; i++) m = i32a[i] > m ? i32a[i] : m; return m; }
__attribute__((noinline)) static void abs32(void) { for (int i = 0; i < N; i++) i32c[i] = i32a[i] < 0 ? -i32a[i] : i32a[i]; }
__attribute__((noinline)) static void mla32(void) { for (int i = 0; i < N; i++) i32c[i] += i32a[i] * i32b[i]; }
__attribute__((noinline)) static void mul16(void) { for (int i = 0; i < N; i++) i16a[i] = (int16_t)(i16a[i] * i16b[i] + 3); }
__attribute__((noinline)) static void f2i(void) { for (int i = 0; i < N; i++) i32c[i] = (int32_t)fa[i]; }
__attribute__((noinline)) static void i2f(void) { for (int i = 0; i < N; i++) fc[i] = (float)i32a[i]; }
__attribute__((noinline)) static void f2d(void) { for (int i = 0; i < N; i++) dc[i] = fa[i]; }
__attribute__((noinline)) static void d2f(void) { for (int i = 0; i < N; i++) fc[i] = (float)da[i]; }
__attribute__((noinline)) static void d2i64(void) { for (int i = 0; i < N; i++) i64b[i] = (int64_t)da[i]; }
__attribute__((noinline)) static void narrow(void) { for (int i = 0; i < N; i++) i8b[i] = (int8_t)(i16a[i] >> 4); }
__attribute__((noinline)) static void widen(void) { for (int i = 0; i < N; i++) i32c[i] = u8a[i] + i16b[i]; }
__attribute__((noinline)) static void clamp8(void) { for (int i = 0; i < N; i++) { int v = u8a[i] + i8b[i]; u8b[i] = v > 255 ? 255 : v < 0 ? 0 : v; } }
__attribute__((noinline)) static void avg8(void) { for (int i = 0; i < N; i++) u8b[i] = (uint8_t)((u8a[i] + u8b[i] + 1) >> 1); }
__attribute__((noinline)) static void varshift(void) { for (int i = 0; i < N; i++) u32a[i] = u32a[i] >> (i32b[i] & 31); }
__attribute__((noinline)) static void varshl64(void) { for (int i = 0; i < N; i++) i64b[i] = i64a[i] << (i & 63); }
__attribute__((noinline)) static void mul64(void) { for (int i = 0; i < N; i++) i64b[i] = i64a[i] * i64b[i]; }
__attribute__((noinline)) static float fsum(void) { float s = 0; for (int i = 0; i < N; i++) s += fa[i] * fb[i]; return s; }

static void fill(void)
{
    uint32_t x = 12345;
    for (int i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        i8a[i] = (int8_t)(x >> 8); i8b[i] = (int8_t)(x >> 16); u8a[i] = (uint8_t)(x >> 24); u8b[i] = (uint8_t)(x >> 3);
        i16a[i] = (int16_t)(x >> 5); i16b[i] = (int16_t)(x >> 13); u16a[i] = (uint16_t)(x >> 11) | 0x100;
        i32a[i] = (int32_t)(x ^ (x << 7)); i32b[i] = (int32_t)(x >> 9) - 4000000; i32c[i] = (int32_t)x;
        u32a[i] = x * 3;
        i64a[i] = ((int64_t)i32a[i] << 17) ^ x; i64b[i] = (int64_t)x * 77 - (1ll << 40);
        fa[i] = (float)((int32_t)x % 100000) / 7.0f; fb[i] = (float)(i + 1) * 0.37f - 150.0f;
        da[i] = (double)(x % 1000003) / 3.0 + 0.5; db[i] = -(double)i * 1.25;
    }
    fa[5] = 3e9f; fa[6] = -3e9f; da[7] = 1e19; da[8] = -1e300;
}

static uint64_t hash_bytes(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h = mix(h, b[i]);
    }
    return h;
}

static void report(const char *name, const void *p, size_t n)
{
    printf("%-10s %016llx\n", name, (unsigned long long)hash_bytes(p, n));
}

int main(void)
{
    fill();
    printf("sums %d %u %lld %lld\n", sum8(), sumu8(), (long long)sum32(), (long long)sum64());
    printf("dots %d %lld %d\n", dot16(), (long long)dot32(), dot8());
    printf("minmax %d %u %d\n", max8(), minu16(), max32());
    saxpy(1.75f); report("saxpy", fc, sizeof(fc));
    daxpy(-0.3); report("daxpy", dc, sizeof(dc));
    fdivs(); report("fdiv", fc, sizeof(fc));
    dsqrt(); report("dsqrt", dc, sizeof(dc));
    fmaxs(); report("fmax", fc, sizeof(fc));
    union { float f; uint32_t u; } fs = { .f = fsum() };
    printf("fsum %08x\n", fs.u);
    abs32(); report("abs32", i32c, sizeof(i32c));
    mla32(); report("mla32", i32c, sizeof(i32c));
    mul16(); report("mul16", i16a, sizeof(i16a));
    f2i(); report("f2i", i32c, sizeof(i32c));
    i2f(); report("i2f", fc, sizeof(fc));
    f2d(); report("f2d", dc, sizeof(dc));
    d2f(); report("d2f", fc, sizeof(fc));
    d2i64(); report("d2i64", i64b, sizeof(i64b));
    narrow(); report("narrow", i8b, sizeof(i8b));
    widen(); report("widen", i32c, sizeof(i32c));
    clamp8(); report("clamp8", u8b, sizeof(u8b));
    avg8(); report("avg8", u8b, sizeof(u8b));
    varshift(); report("varshift", u32a, sizeof(u32a));
    varshl64(); report("varshl64", i64b, sizeof(i64b));
    mul64(); report("mul64", i64b, sizeof(i64b));
    printf("elems %d %d %08x %d\n", i32c[3], i8b[N - 1], (unsigned)u32a[N - 2], u8b[500]);
    return 0;
}
