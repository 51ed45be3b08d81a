/*
 * Half precision (FEAT_FP16): _Float16 arithmetic and the <arm_neon.h> /
 * <arm_fp16.h> float16 intrinsics on a grid of values (zeros, ones,
 * thirds, the largest normal, denormals, the smallest normal, infinities,
 * quiet and signalling NaNs), printed as bit patterns with the FPSR flags
 * each operation raised, under every rounding mode (fesetround), with
 * FPCR.FZ16 off and on, with FPCR.DN, and with FPCR.AHP (which only the
 * conversions between precisions observe).  Operands pass through empty
 * asm statements so nothing is folded at compile time and each operation
 * sits between the FPSR clear and read.  The expected output comes from
 * qemu-aarch64-static -cpu max.
 */
#pragma GCC target("arch=armv8.2-a+fp16")
#pragma GCC optimize("rounding-math", "trapping-math", "no-fast-math")
#include <arm_fp16.h>
#include <arm_neon.h>
#include <fenv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const uint16_t grid_bits[] = {
    0x0000, 0x8000, 0x3c00, 0xc248, 0x3555, 0x7bff, 0x0001, 0x83ff, 0x7c00, 0x7e00, 0xfd01,
};
#define N_GRID (int)(sizeof(grid_bits) / sizeof(grid_bits[0]))

static float16_t grid[N_GRID];

#define FPCR_AHP  (1u << 26)
#define FPCR_DN   (1u << 25)
#define FPCR_FZ16 (1u << 19)

static uint64_t get_fpcr(void) { uint64_t v; __asm__ volatile("mrs %0, fpcr" : "=r"(v)); return v; }
static void set_fpcr(uint64_t v) { __asm__ volatile("msr fpcr, %0" :: "r"(v)); }
static uint64_t get_fpsr(void) { uint64_t v; __asm__ volatile("mrs %0, fpsr" : "=r"(v)); return v; }
static void clear_fpsr(void) { __asm__ volatile("msr fpsr, xzr"); }

static uint16_t hb(float16_t h) { uint16_t u; memcpy(&u, &h, 2); return u; }

/* Keep a value in a register, opaque to the optimiser. */
#define OPAQUE(x) __asm__ volatile("" : "+w"(x))
#define OPAQUE_R(x) __asm__ volatile("" : "+r"(x))

/* FPSR flags of one operation: IOC DZC OFC UFC IXC in bits 0..4, IDC 7. */
static unsigned last_flags;

typedef float16_t (*BinFn)(float16_t, float16_t);
typedef float16_t (*UnFn)(float16_t);

#define BIN(name, expr) \
    static float16_t name(float16_t a, float16_t b) \
    { \
        float16_t r; \
        clear_fpsr(); OPAQUE(a); OPAQUE(b); \
        r = (expr); \
        OPAQUE(r); last_flags = (unsigned)get_fpsr(); \
        return r; \
    }
BIN(op_add, a + b)
BIN(op_sub, a - b)
BIN(op_mul, a * b)
BIN(op_div, a / b)
BIN(op_max, vmaxh_f16(a, b))
BIN(op_min, vminh_f16(a, b))
BIN(op_maxnm, vmaxnmh_f16(a, b))
BIN(op_minnm, vminnmh_f16(a, b))
BIN(op_mulx, vmulxh_f16(a, b))
BIN(op_abd, vabdh_f16(a, b))
BIN(op_recps, vrecpsh_f16(a, b))
BIN(op_rsqrts, vrsqrtsh_f16(a, b))
BIN(op_nmul, -(a * b))

#define UN(name, expr) \
    static float16_t name(float16_t a) \
    { \
        float16_t r; \
        clear_fpsr(); OPAQUE(a); \
        r = (expr); \
        OPAQUE(r); last_flags = (unsigned)get_fpsr(); \
        return r; \
    }
UN(op_sqrt, vsqrth_f16(a))
UN(op_rintn, vrndnh_f16(a))
UN(op_rintp, vrndph_f16(a))
UN(op_rintm, vrndmh_f16(a))
UN(op_rintz, vrndh_f16(a))
UN(op_rinta, vrndah_f16(a))
UN(op_rintx, vrndxh_f16(a))
UN(op_rinti, vrndih_f16(a))
UN(op_recpe, vrecpeh_f16(a))
UN(op_rsqrte, vrsqrteh_f16(a))
UN(op_recpx, vrecpxh_f16(a))
UN(op_abs, vabsh_f16(a))
UN(op_neg, vnegh_f16(a))

static const struct { const char *name; BinFn fn; bool rounding; } binops[] = {
    { "add", op_add, true }, { "sub", op_sub, true }, { "mul", op_mul, true },
    { "div", op_div, true }, { "nmul", op_nmul, false }, { "max", op_max, false },
    { "min", op_min, false }, { "maxnm", op_maxnm, false }, { "minnm", op_minnm, false },
    { "mulx", op_mulx, false }, { "abd", op_abd, false }, { "recps", op_recps, false },
    { "rsqrts", op_rsqrts, false },
};
static const struct { const char *name; UnFn fn; } unops[] = {
    { "sqrt", op_sqrt }, { "rintn", op_rintn }, { "rintp", op_rintp }, { "rintm", op_rintm },
    { "rintz", op_rintz }, { "rinta", op_rinta }, { "rintx", op_rintx }, { "rinti", op_rinti },
    { "recpe", op_recpe }, { "rsqrte", op_rsqrte }, { "recpx", op_recpx }, { "abs", op_abs },
    { "neg", op_neg },
};

/* FMADD-family and FMLA with an addend, fused. */
static float16_t op_fma(float16_t a, float16_t b, float16_t c)
{
    float16_t r;
    clear_fpsr(); OPAQUE(a); OPAQUE(b); OPAQUE(c);
    r = vfmah_f16(c, a, b);
    OPAQUE(r); last_flags = (unsigned)get_fpsr();
    return r;
}

static float16_t op_fms(float16_t a, float16_t b, float16_t c)
{
    float16_t r;
    clear_fpsr(); OPAQUE(a); OPAQUE(b); OPAQUE(c);
    r = vfmsh_f16(c, a, b);
    OPAQUE(r); last_flags = (unsigned)get_fpsr();
    return r;
}

/* Conversions to and from integers (general registers, W and X, and the
 * AdvSIMD scalar H forms), also fixed-point. */
#define CVT(name, type, expr) \
    static long long name(float16_t a) \
    { \
        type r; \
        clear_fpsr(); OPAQUE(a); \
        r = (expr); \
        OPAQUE_R(r); last_flags = (unsigned)get_fpsr(); \
        return (long long)r; \
    }
CVT(cvt_zs32, int32_t, vcvth_s32_f16(a))
CVT(cvt_zu32, uint32_t, vcvth_u32_f16(a))
CVT(cvt_ns32, int32_t, vcvtnh_s32_f16(a))
CVT(cvt_ps64, int64_t, vcvtph_s64_f16(a))
CVT(cvt_ms32, int32_t, vcvtmh_s32_f16(a))
CVT(cvt_as32, int32_t, vcvtah_s32_f16(a))
CVT(cvt_au64, uint64_t, vcvtah_u64_f16(a))
CVT(cvt_zs32_n4, int32_t, vcvth_n_s32_f16(a, 4))
CVT(cvt_zu64_n20, uint64_t, vcvth_n_u64_f16(a, 20))
CVT(cvt_zs16, int16_t, vcvth_s16_f16(a))
CVT(cvt_nu16, uint16_t, vcvtnh_u16_f16(a))

static const struct { const char *name; long long (*fn)(float16_t); } cvts[] = {
    { "fcvtzs.w", cvt_zs32 }, { "fcvtzu.w", cvt_zu32 }, { "fcvtns.w", cvt_ns32 },
    { "fcvtps.x", cvt_ps64 }, { "fcvtms.w", cvt_ms32 }, { "fcvtas.w", cvt_as32 },
    { "fcvtau.x", cvt_au64 }, { "fcvtzs.w#4", cvt_zs32_n4 }, { "fcvtzu.x#20", cvt_zu64_n20 },
    { "fcvtzs.h", cvt_zs16 }, { "fcvtnu.h", cvt_nu16 },
};

static const int64_t ints[] = { 0, 1, -1, 3, 2049, 4097, 65504, 65519, 65520, -70000,
                                0x7fffffff, -0x7fffffffffffffffll - 1 };
#define N_INTS (int)(sizeof(ints) / sizeof(ints[0]))

#define FROM(name, type, expr) \
    static float16_t name(int64_t v) \
    { \
        type x = (type)v; \
        float16_t r; \
        clear_fpsr(); OPAQUE_R(x); \
        r = (expr); \
        OPAQUE(r); last_flags = (unsigned)get_fpsr(); \
        return r; \
    }
FROM(from_s32, int32_t, vcvth_f16_s32(x))
FROM(from_u32, uint32_t, vcvth_f16_u32(x))
FROM(from_s64, int64_t, vcvth_f16_s64(x))
FROM(from_s32_n3, int32_t, vcvth_n_f16_s32(x, 3))
FROM(from_u64_n40, uint64_t, vcvth_n_f16_u64(x, 40))

static const struct { const char *name; float16_t (*fn)(int64_t); } froms[] = {
    { "scvtf.w", from_s32 }, { "ucvtf.w", from_u32 }, { "scvtf.x", from_s64 },
    { "scvtf.w#3", from_s32_n3 }, { "ucvtf.x#40", from_u64_n40 },
};

/* FCMP / FCMPE: NZCV; FCVT to single and double (AHP matters here). */
static unsigned op_fcmp(float16_t a, float16_t b, bool signalling)
{
    uint64_t nzcv;
    clear_fpsr(); OPAQUE(a); OPAQUE(b);
    if (signalling) {
        __asm__ volatile("fcmpe %h1, %h2\n\tmrs %0, nzcv" : "=r"(nzcv) : "w"(a), "w"(b));
    } else {
        __asm__ volatile("fcmp %h1, %h2\n\tmrs %0, nzcv" : "=r"(nzcv) : "w"(a), "w"(b));
    }
    last_flags = (unsigned)get_fpsr();
    return (unsigned)(nzcv >> 28);
}

/* ---- printing ----------------------------------------------------------- */

static void print_bin_row(const char *cfg, const char *name, BinFn fn, int i)
{
    printf("%s %-6s %04x:", cfg, name, hb(grid[i]));
    for (int j = 0; j < N_GRID; j++) {
        float16_t r = fn(grid[i], grid[j]);
        printf(" %04x%02x", hb(r), last_flags);
    }
    printf("\n");
}

/* What a configuration prints. */
enum {
    S_BIN_ALL = 1, S_BIN_ROUND = 2, S_UNARY = 4, S_CVT = 8, S_FMA = 16, S_CMP = 32,
    S_VEC = 64, S_FCVT = 128,
};

static void binary_tables(const char *cfg, bool all_ops)
{
    for (unsigned k = 0; k < sizeof(binops) / sizeof(binops[0]); k++) {
        if (!all_ops && !binops[k].rounding) {
            continue;
        }
        for (int i = 0; i < N_GRID; i++) {
            print_bin_row(cfg, binops[k].name, binops[k].fn, i);
        }
    }
}

static void unary_table(const char *cfg)
{
    for (unsigned k = 0; k < sizeof(unops) / sizeof(unops[0]); k++) {
        printf("%s %-6s:", cfg, unops[k].name);
        for (int i = 0; i < N_GRID; i++) {
            float16_t r = unops[k].fn(grid[i]);
            printf(" %04x%02x", hb(r), last_flags);
        }
        printf("\n");
    }
}

static void conversion_tables(const char *cfg)
{
    for (unsigned k = 0; k < sizeof(cvts) / sizeof(cvts[0]); k++) {
        printf("%s %-11s:", cfg, cvts[k].name);
        for (int i = 0; i < N_GRID; i++) {
            long long r = cvts[k].fn(grid[i]);
            printf(" %llx/%02x", (unsigned long long)r, last_flags);
        }
        printf("\n");
    }
    for (unsigned k = 0; k < sizeof(froms) / sizeof(froms[0]); k++) {
        printf("%s %-10s:", cfg, froms[k].name);
        for (int i = 0; i < N_INTS; i++) {
            float16_t r = froms[k].fn(ints[i]);
            printf(" %04x%02x", hb(r), last_flags);
        }
        printf("\n");
    }
}

/* Fused multiply-add: every a, b of the grid with addends that make the
 * product's low bits matter (one rounding, not two); 256 plus a product
 * of denormals needs more than double's 53 bits. */
static void fma_table(const char *cfg)
{
    static const uint16_t addends[] = { 0x1001, 0x8001, 0x5c00 };
    for (unsigned c = 0; c < sizeof(addends) / sizeof(addends[0]); c++) {
        float16_t z;
        memcpy(&z, &addends[c], 2);
        for (int i = 0; i < N_GRID; i++) {
            printf("%s fma+%04x %04x:", cfg, addends[c], hb(grid[i]));
            for (int j = 0; j < N_GRID; j++) {
                float16_t r = op_fma(grid[i], grid[j], z);
                printf(" %04x%02x", hb(r), last_flags);
            }
            printf("\n");
        }
    }
    /* Products near ties: (1 + 2^-10)(1 - 2^-10) = 1 - 2^-20, minus 1. */
    static const uint16_t tie_a[] = { 0x3c01, 0x3bff, 0x3c03, 0x4001, 0x0401, 0x1401 };
    printf("%s fms-ties:", cfg);
    for (unsigned i = 0; i < sizeof(tie_a) / sizeof(tie_a[0]); i++) {
        for (unsigned j = 0; j < sizeof(tie_a) / sizeof(tie_a[0]); j++) {
            float16_t a, b, one = (float16_t)1.0;
            memcpy(&a, &tie_a[i], 2);
            memcpy(&b, &tie_a[j], 2);
            float16_t r = op_fms(a, b, one);
            printf(" %04x%02x", hb(r), last_flags);
        }
    }
    printf("\n");
}

static void compare_table(const char *cfg)
{
    for (int i = 0; i < N_GRID; i++) {
        printf("%s fcmp %04x:", cfg, hb(grid[i]));
        for (int j = 0; j < N_GRID; j++) {
            unsigned q = op_fcmp(grid[i], grid[j], false), qf = last_flags;
            unsigned e = op_fcmp(grid[i], grid[j], true);
            printf(" %x%x/%02x%02x", q, e, qf, last_flags);
        }
        printf("\n");
    }
}

/* FCVT Sd/Dd, Hn: the one place FPCR.AHP matters (alternative half). */
static void fcvt_row(const char *cfg)
{
    printf("%s fcvt:", cfg);
    for (int i = 0; i < N_GRID; i++) {
        float16_t h = grid[i];
        float f;
        double d;
        clear_fpsr(); OPAQUE(h);
        f = (float)h;
        d = (double)h;
        uint32_t fb;
        uint64_t db;
        memcpy(&fb, &f, 4);
        memcpy(&db, &d, 8);
        printf(" %08x/%llx/%02x", fb, (unsigned long long)db, (unsigned)get_fpsr());
    }
    printf("\n");
}

/* ---- AdvSIMD ------------------------------------------------------------- */

static void print_vec(const char *cfg, const char *name, float16x8_t v)
{
    uint16_t lanes[8];
    memcpy(lanes, &v, 16);
    printf("%s v.%-10s", cfg, name);
    for (int i = 0; i < 8; i++) {
        printf(" %04x", lanes[i]);
    }
    printf(" /%02x\n", (unsigned)get_fpsr());
}

static void print_uvec(const char *cfg, const char *name, uint16x8_t v)
{
    print_vec(cfg, name, vreinterpretq_f16_u16(v));
}

#define VOP(name, expr) do { clear_fpsr(); float16x8_t r_ = (expr); OPAQUE(r_); print_vec(cfg, name, r_); } while (0)
#define UOP(name, expr) do { clear_fpsr(); uint16x8_t r_ = (expr); OPAQUE(r_); print_uvec(cfg, name, r_); } while (0)
#define SOP(name, expr) do { clear_fpsr(); float16_t r_ = (expr); OPAQUE(r_); \
                             printf("%s v.%-10s %04x /%02x\n", cfg, name, hb(r_), (unsigned)get_fpsr()); } while (0)

static void vector_tests(const char *cfg)
{
    float16x8_t a, b, c;
    memcpy(&a, &grid[0], 16);
    memcpy(&b, &grid[3], 16);
    memcpy(&c, &grid[2], 16);
    OPAQUE(a); OPAQUE(b); OPAQUE(c);
    float16x4_t a4 = vget_low_f16(a), b4 = vget_high_f16(b);
    int16x8_t iv = { 0, 1, -1, 2047, -2049, 4097, 32767, -32768 };
    OPAQUE(iv);
    VOP("add", vaddq_f16(a, b));
    VOP("sub", vsubq_f16(c, a));
    VOP("mul", vmulq_f16(b, c));
    VOP("div", vdivq_f16(a, c));
    VOP("fma", vfmaq_f16(a, b, c));
    VOP("fms", vfmsq_f16(c, a, b));
    VOP("fma.lane", vfmaq_laneq_f16(a, b, c, 5));
    VOP("fms.lane", vfmsq_lane_f16(b, c, a4, 2));
    VOP("mul.lane", vmulq_laneq_f16(c, b, 3));
    VOP("mulx.lane", vmulxq_lane_f16(b, b4, 1));
    VOP("mulx", vmulxq_f16(a, b));
    VOP("abd", vabdq_f16(b, c));
    VOP("max", vmaxq_f16(a, c));
    VOP("minnm", vminnmq_f16(b, c));
    VOP("recps", vrecpsq_f16(a, b));
    VOP("rsqrts", vrsqrtsq_f16(c, b));
    VOP("addp", vpaddq_f16(a, b));
    VOP("maxp", vpmaxq_f16(b, c));
    VOP("minnmp", vpminnmq_f16(a, c));
    VOP("sqrt", vsqrtq_f16(b));
    VOP("abs", vabsq_f16(c));
    VOP("neg", vnegq_f16(b));
    VOP("rintn", vrndnq_f16(c));
    VOP("rinta", vrndaq_f16(b));
    VOP("rintx", vrndxq_f16(c));
    VOP("recpe", vrecpeq_f16(b));
    VOP("rsqrte", vrsqrteq_f16(c));
    VOP("scvtf", vcvtq_f16_s16(iv));
    VOP("ucvtf#3", vcvtq_n_f16_u16(vreinterpretq_u16_s16(iv), 3));
    UOP("fcvtzs", vreinterpretq_u16_s16(vcvtq_s16_f16(c)));
    UOP("fcvtau", vcvtaq_u16_f16(b));
    UOP("fcvtzs#2", vreinterpretq_u16_s16(vcvtq_n_s16_f16(c, 2)));
    UOP("fcmge", vcgeq_f16(a, c));
    UOP("fcmeq", vceqq_f16(b, c));
    UOP("facgt", vcagtq_f16(a, c));
    UOP("fcmlt0", vcltzq_f16(c));
    UOP("fcmge0", vcgezq_f16(b));
    SOP("maxnmv", vmaxnmvq_f16(b));
    SOP("minv", vminvq_f16(c));
    SOP("maxv.4h", vmaxv_f16(a4));
    SOP("minnmv.4h", vminnmv_f16(b4));
    clear_fpsr();
    float16x8_t imm = vdupq_n_f16((float16_t)-0.1875);
    OPAQUE(imm);
    print_vec(cfg, "fmov.imm", imm);
}

/* ---- configurations ------------------------------------------------------- */

static void configure(int round, uint64_t extra)
{
    fesetround(round);
    set_fpcr((get_fpcr() & ~(uint64_t)(FPCR_AHP | FPCR_DN | FPCR_FZ16)) | extra);
}

int main(void)
{
    memcpy(grid, grid_bits, sizeof(grid_bits));
    static const struct { const char *name; int round; uint64_t fpcr; unsigned show; } cfgs[] = {
        { "rn", FE_TONEAREST, 0, S_BIN_ALL | S_UNARY | S_CVT | S_FMA | S_CMP | S_VEC | S_FCVT },
        { "rn.fz16", FE_TONEAREST, FPCR_FZ16, S_BIN_ALL | S_UNARY | S_CVT | S_FMA | S_CMP | S_VEC },
        { "rp", FE_UPWARD, 0, S_BIN_ROUND | S_UNARY | S_CVT | S_FMA | S_VEC },
        { "rm", FE_DOWNWARD, 0, S_BIN_ROUND | S_UNARY | S_CVT },
        { "rz", FE_TOWARDZERO, 0, S_BIN_ROUND | S_CVT },
        { "rz.fz16", FE_TOWARDZERO, FPCR_FZ16, S_BIN_ROUND | S_UNARY | S_FMA | S_VEC | S_FCVT },
        { "rn.dn", FE_TONEAREST, FPCR_DN, S_BIN_ROUND | S_UNARY | S_VEC },
        { "rn.ahp", FE_TONEAREST, FPCR_AHP, S_UNARY | S_VEC | S_FCVT },
    };
    for (unsigned k = 0; k < sizeof(cfgs) / sizeof(cfgs[0]); k++) {
        const char *name = cfgs[k].name;
        unsigned show = cfgs[k].show;
        configure(cfgs[k].round, cfgs[k].fpcr);
        if (show & (S_BIN_ALL | S_BIN_ROUND)) binary_tables(name, show & S_BIN_ALL);
        if (show & S_UNARY) unary_table(name);
        if (show & S_CVT) conversion_tables(name);
        if (show & S_FMA) fma_table(name);
        if (show & S_CMP) compare_table(name);
        if (show & S_FCVT) fcvt_row(name);
        if (show & S_VEC) vector_tests(name);
    }
    configure(FE_TONEAREST, 0);
    return 0;
}
