/*
 * AdvSIMD through <arm_neon.h> across the instruction groups compilers
 * and codecs use: integer multiply-accumulate, min/max, saturating
 * add/subtract, shifts by register and accumulate, long/wide forms,
 * rounding narrow, absolute value, across-lane min/max, TBL/TBX with 1-4
 * tables, structure lane loads and replicates, and vector FP (arithmetic,
 * fused multiply-add by element, min/max with NaNs, sqrt, compares,
 * conversions) with the FPSR cumulative flags after each group, also with
 * FPCR.FZ/DN and with rounding towards +infinity.  Results
 * are printed in hex; the expected output comes from qemu-aarch64-static.
 */
#include <arm_neon.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint8_t pat[64];

static void show(const char *name, uint8x16_t v)
{
    uint8_t b[16];
    vst1q_u8(b, v);
    printf("%-12s", name);
    for (int i = 15; i >= 0; i--) {
        printf("%02x", b[i]);
    }
    printf("\n");
}

static uint64_t fpsr_take(void)
{
    uint64_t r;
    __asm__ volatile("mrs %0, fpsr" : "=r"(r));
    __asm__ volatile("msr fpsr, xzr");
    return r;
}

static void flags(const char *group)
{
    printf("%-12sFPSR %08llx\n", group, (unsigned long long)fpsr_take());
}

/* A pattern vector with a seed, so every operand differs. */
static uint8x16_t pv(int seed)
{
    return vld1q_u8(pat + (seed & 31));
}

static void integer_groups(void)
{
    int8x16_t a8 = vreinterpretq_s8_u8(pv(1)), b8 = vreinterpretq_s8_u8(pv(7));
    int16x8_t a16 = vreinterpretq_s16_u8(pv(2)), b16 = vreinterpretq_s16_u8(pv(9));
    int32x4_t a32 = vreinterpretq_s32_u8(pv(3)), b32 = vreinterpretq_s32_u8(pv(11));
    int64x2_t a64 = vreinterpretq_s64_u8(pv(4)), b64 = vreinterpretq_s64_u8(pv(13));
    show("mla16", vreinterpretq_u8_s16(vmlaq_s16(a16, b16, a16)));
    show("mls32", vreinterpretq_u8_s32(vmlsq_s32(a32, b32, a32)));
    show("mla8", vreinterpretq_u8_s8(vmlaq_s8(a8, b8, a8)));
    show("smax8", vreinterpretq_u8_s8(vmaxq_s8(a8, b8)));
    show("smin16", vreinterpretq_u8_s16(vminq_s16(a16, b16)));
    show("smax32", vreinterpretq_u8_s32(vmaxq_s32(a32, b32)));
    show("umin32", vreinterpretq_u8_u32(vminq_u32(vreinterpretq_u32_s32(a32), vreinterpretq_u32_s32(b32))));
    flags("int-basic");
    show("sqadd8", vreinterpretq_u8_s8(vqaddq_s8(a8, b8)));
    flags("sqadd8");
    show("uqadd8", vqaddq_u8(pv(1), pv(7)));
    flags("uqadd8");
    show("sqsub16", vreinterpretq_u8_s16(vqsubq_s16(a16, b16)));
    show("uqsub16", vreinterpretq_u8_u16(vqsubq_u16(vreinterpretq_u16_s16(a16), vreinterpretq_u16_s16(b16))));
    flags("qsub16");
    show("sqadd8d", vcombine_u8(vreinterpret_u8_s8(vqadd_s8(vdup_n_s8(1), vdup_n_s8(2))), vdup_n_u8(0)));
    flags("sqadd8d");
    show("sqadd32", vreinterpretq_u8_s32(vqaddq_s32(a32, b32)));
    show("sqadd64", vreinterpretq_u8_s64(vqaddq_s64(a64, b64)));
    flags("qadd32/64");
    int32x4_t sh32 = { 3, -5, 40, -200 };
    int64x2_t sh64 = { -63, 70 };
    int32x4_t sh32b = { 0, 31, -31, -32 };
    show("sshl32", vreinterpretq_u8_s32(vshlq_s32(a32, sh32)));
    show("sshl32b", vreinterpretq_u8_s32(vshlq_s32(a32, sh32b)));
    show("ushl32", vreinterpretq_u8_u32(vshlq_u32(vreinterpretq_u32_s32(a32), sh32b)));
    show("sshl64", vreinterpretq_u8_s64(vshlq_s64(a64, sh64)));
    show("ushl64", vreinterpretq_u8_u64(vshlq_u64(vreinterpretq_u64_s64(a64), (int64x2_t){ -1, 0x7f })));
    show("sshl16", vreinterpretq_u8_s16(vshlq_s16(a16, (int16x8_t){ 1, -1, 15, -15, 16, -16, 0, 100 })));
    show("ssra32", vreinterpretq_u8_s32(vsraq_n_s32(a32, b32, 7)));
    show("usra8", vsraq_n_u8(pv(5), pv(6), 8));
    show("rshrn16", vcombine_u8(vrshrn_n_u16(vreinterpretq_u16_s16(a16), 3), vrshrn_n_u16(vreinterpretq_u16_s16(b16), 8)));
    show("rshrn2_32", vreinterpretq_u8_u16(vrshrn_high_n_u32(vrshrn_n_u32(vreinterpretq_u32_s32(a32), 16),
                                                           vreinterpretq_u32_s32(b32), 1)));
    show("smull16", vreinterpretq_u8_s32(vmull_s16(vget_low_s16(a16), vget_low_s16(b16))));
    show("umull2_32", vreinterpretq_u8_u64(vmull_high_u32(vreinterpretq_u32_s32(a32), vreinterpretq_u32_s32(b32))));
    show("smull8", vreinterpretq_u8_s16(vmull_s8(vget_high_s8(a8), vget_low_s8(b8))));
    show("smlal32", vreinterpretq_u8_s64(vmlal_s32(a64, vget_low_s32(a32), vget_high_s32(b32))));
    show("umlsl2_16", vreinterpretq_u8_u32(vmlsl_high_u16(vreinterpretq_u32_s32(a32), vreinterpretq_u16_s16(a16),
                                                          vreinterpretq_u16_s16(b16))));
    show("smlal_lane", vreinterpretq_u8_s32(vmlal_laneq_s16(a32, vget_low_s16(a16), b16, 5)));
    show("umull_lane", vreinterpretq_u8_u64(vmull_laneq_u32(vget_high_u32(vreinterpretq_u32_s32(a32)),
                                                            vreinterpretq_u32_s32(b32), 3)));
    show("saddl8", vreinterpretq_u8_s16(vaddl_s8(vget_low_s8(a8), vget_low_s8(b8))));
    show("uaddw2_16", vreinterpretq_u8_u32(vaddw_high_u16(vreinterpretq_u32_s32(a32), vreinterpretq_u16_s16(b16))));
    show("ssubl2_32", vreinterpretq_u8_s64(vsubl_high_s32(a32, b32)));
    show("usubw8", vreinterpretq_u8_u16(vsubw_u8(vreinterpretq_u16_s16(a16), vget_low_u8(pv(3)))));
    show("abs8", vreinterpretq_u8_s8(vabsq_s8(a8)));
    show("abs64", vreinterpretq_u8_s64(vabsq_s64(a64)));
    show("abs_min", vreinterpretq_u8_s32(vabsq_s32(vdupq_n_s32(INT32_MIN))));
    printf("%-12s%d %d %d %u\n", "acrossv", vmaxvq_s8(a8), vminvq_s16(b16), vmaxv_s32(vget_low_s32(a32)),
           vminvq_u8(pv(9)));
    flags("int-rest");
}

static void table_groups(void)
{
    uint8x16_t idx = vld1q_u8(pat + 20);            /* indices 0..255 spread */
    uint8x16x4_t t4 = { { pv(0), pv(16), pv(8), pv(24) } };
    uint8x16x2_t t2 = { { pv(2), pv(3) } };
    uint8x16x3_t t3 = { { pv(4), pv(5), pv(6) } };
    uint8x16_t small = vandq_u8(idx, vdupq_n_u8(0x3f));
    show("tbl1", vqtbl1q_u8(pv(1), small));
    show("tbl2", vqtbl2q_u8(t2, small));
    show("tbl3", vqtbl3q_u8(t3, small));
    show("tbl4", vqtbl4q_u8(t4, small));
    show("tbl4big", vqtbl4q_u8(t4, idx));
    show("tbx1", vqtbx1q_u8(pv(30), pv(1), small));
    show("tbx2", vqtbx2q_u8(pv(30), t2, small));
    show("tbx3", vqtbx3q_u8(pv(30), t3, idx));
    show("tbx4", vqtbx4q_u8(pv(30), t4, small));
    show("tbl1d", vcombine_u8(vqtbl1_u8(pv(1), vget_low_u8(small)), vdup_n_u8(0)));
    show("tbx2d", vcombine_u8(vqtbx2_u8(vget_low_u8(pv(8)), t2, vget_high_u8(small)), vdup_n_u8(0)));
}

static void structure_groups(void)
{
    uint32x4x2_t s2 = { { vreinterpretq_u32_u8(pv(1)), vreinterpretq_u32_u8(pv(2)) } };
    s2 = vld2q_lane_u32((const uint32_t *)(pat + 8), s2, 3);
    show("ld2lane0", vreinterpretq_u8_u32(s2.val[0]));
    show("ld2lane1", vreinterpretq_u8_u32(s2.val[1]));
    uint16x8x3_t s3 = { { vreinterpretq_u16_u8(pv(3)), vreinterpretq_u16_u8(pv(4)), vreinterpretq_u16_u8(pv(5)) } };
    s3 = vld3q_lane_u16((const uint16_t *)(pat + 2), s3, 6);
    show("ld3lane2", vreinterpretq_u8_u16(s3.val[2]));
    uint8x16x4_t s4 = vld4q_dup_u8(pat + 33);
    show("ld4r3", s4.val[3]);
    uint64x2x2_t r2 = vld2q_dup_u64((const uint64_t *)(pat + 16));
    show("ld2r1", vreinterpretq_u8_u64(r2.val[1]));
    uint32x2x3_t r3 = vld3_dup_u32((const uint32_t *)(pat + 4));
    show("ld3r2", vcombine_u8(vreinterpret_u8_u32(r3.val[2]), vdup_n_u8(0)));
    uint8_t out[64];
    memset(out, 0xee, sizeof(out));
    vst4q_lane_u8(out + 3, s4, 9);
    vst3q_lane_u16((uint16_t *)(out + 10), s3, 1);
    vst2q_lane_u32((uint32_t *)(out + 20), s2, 2);
    show("st-lanes0", vld1q_u8(out));
    show("st-lanes1", vld1q_u8(out + 16));
}

static float32x4_t f4(float a, float b, float c, float d) { return (float32x4_t){ a, b, c, d }; }

static void fp_groups(void)
{
    float nan = __builtin_nanf(""), snan = __builtin_nansf(""), inf = __builtin_inff();
    float tiny = 1.1754944e-38f, den = 1e-41f;
    float32x4_t x = f4(1.5f, -2.25f, 1e30f, den), y = f4(3.0f, 0.0f, 1e10f, tiny);
    fpsr_take();
    show("fadd", vreinterpretq_u8_f32(vaddq_f32(x, y)));
    flags("fadd");
    show("fmul", vreinterpretq_u8_f32(vmulq_f32(x, y)));
    flags("fmul");
    show("fdiv", vreinterpretq_u8_f32(vdivq_f32(x, y)));
    flags("fdiv");
    show("fdiv0/0", vreinterpretq_u8_f32(vdivq_f32(f4(0, 1, -1, 0), f4(0, 0, 0, inf))));
    flags("fdiv0/0");
    show("fadd-nan", vreinterpretq_u8_f32(vaddq_f32(f4(nan, 1, snan, inf), f4(2, snan, nan, -inf))));
    flags("fadd-nan");
    show("fdiv-2s", vcombine_u8(vreinterpret_u8_f32(vdiv_f32(vget_low_f32(x), vget_low_f32(y))), vdup_n_u8(0)));
    flags("fdiv-2s");
    show("fmla", vreinterpretq_u8_f32(vfmaq_f32(x, y, f4(3, -1, 1e-20f, 0.5f))));
    show("fmls-lane", vreinterpretq_u8_f32(vfmsq_laneq_f32(x, y, f4(3, -1, 1e-20f, 0.5f), 2)));
    show("fmul-lane2s", vcombine_u8(vreinterpret_u8_f32(vmul_laneq_f32(vget_low_f32(x), f4(inf, 2, 0, 0), 1)),
                                    vdup_n_u8(0)));
    flags("fmla");
    show("fmla-underfl", vreinterpretq_u8_f32(vfmaq_f32(f4(0, 0, 0, 0), f4(tiny, 1e-20f, -tiny, 0.5f),
                                                        f4(0.99999994f, 1e-20f, 0.5f, tiny))));
    flags("fmla-uf");
    show("fmul-minnorm", vreinterpretq_u8_f32(vmulq_f32(f4(1.1754942e-38f, 0, 0, 0), f4(1.0000001f, 0, 0, 0))));
    flags("fmul-minnorm");
    show("fmax", vreinterpretq_u8_f32(vmaxq_f32(f4(0.0f, -0.0f, nan, 1), f4(-0.0f, 0.0f, 1, snan))));
    flags("fmax");
    show("fminnm", vreinterpretq_u8_f32(vminnmq_f32(f4(0.0f, -0.0f, nan, 1), f4(-0.0f, 0.0f, 1, snan))));
    flags("fminnm");
    show("fmin", vreinterpretq_u8_f32(vminq_f32(x, y)));
    flags("fmin");
    float64x2_t dx = { 2.0, -1.0 }, dy = { 1e-310, 0x1p-1022 };
    show("fsqrt2d", vreinterpretq_u8_f64(vsqrtq_f64(dx)));
    flags("fsqrt2d");
    show("fmul2d", vreinterpretq_u8_f64(vmulq_f64(dy, (float64x2_t){ 1e300, 0.9999999999999999 })));
    flags("fmul2d");
    show("fcmgt", vreinterpretq_u8_u32(vcgtq_f32(x, y)));
    show("fcmeq-nan", vreinterpretq_u8_u32(vceqq_f32(f4(nan, 1, 0, -0.0f), f4(nan, 1, -0.0f, 0))));
    flags("fcmeq-qnan");
    show("fcmge-nan", vreinterpretq_u8_u32(vcgeq_f32(f4(nan, 1, 0, -0.0f), f4(nan, 1, -0.0f, 0))));
    flags("fcmge-qnan");
    show("fcmeq-snan", vreinterpretq_u8_u32(vceqq_f32(f4(snan, 1, 0, 0), f4(1, 1, 0, 0))));
    flags("fcmeq-snan");
    show("fcagt", vreinterpretq_u8_u32(vcagtq_f32(x, f4(-3, 2.25f, 1e30f, 0))));
    show("fcmlt0", vreinterpretq_u8_u32(vcltzq_f32(f4(-0.0f, -den, den, -1))));
    show("fcmle0", vreinterpretq_u8_u32(vclezq_f32(f4(-0.0f, -den, den, -1))));
    flags("fcm-rest");
    show("fcvtzs", vreinterpretq_u8_s32(vcvtq_s32_f32(f4(2.9f, -2.9f, 3e9f, nan))));
    flags("fcvtzs");
    show("fcvtzs-neg", vreinterpretq_u8_s32(vcvtq_s32_f32(f4(-2147483648.0f, -3e9f, -inf, inf))));
    flags("fcvtzs-neg");
    show("fcvtns", vreinterpretq_u8_s32(vcvtnq_s32_f32(f4(2.5f, 3.5f, -2.5f, 0.49999997f))));
    show("fcvtms", vreinterpretq_u8_s32(vcvtmq_s32_f32(f4(2.5f, -3.5f, -0.1f, 7))));
    show("fcvtps", vreinterpretq_u8_s32(vcvtpq_s32_f32(f4(2.5f, -3.5f, -0.1f, 7))));
    flags("fcvt-round");
    show("scvtf", vreinterpretq_u8_f32(vcvtq_f32_s32((int32x4_t){ 16777217, -7, INT32_MIN, INT32_MAX })));
    flags("scvtf");
    show("fcvtl2", vreinterpretq_u8_f64(vcvt_high_f64_f32(f4(1, 2, den, snan))));
    flags("fcvtl2");
    show("fcvtn", vreinterpretq_u8_f32(vcombine_f32(vcvt_f32_f64((float64x2_t){ 1e300, 0x1.fffffe8p-127 }),
                                                    vdup_n_f32(0))));
    flags("fcvtn");
    show("fcvtn2", vreinterpretq_u8_f32(vcvt_high_f32_f64(vget_low_f32(x), (float64x2_t){ 1.0 / 3, -1e-50 })));
    flags("fcvtn2");
    show("fabs-fneg", vreinterpretq_u8_f32(vnegq_f32(vabsq_f32(f4(-nan, -0.0f, snan, -inf)))));
    flags("fabs");
}

static void set_fpcr(uint64_t v)
{
    __asm__ volatile("msr fpcr, %0" : : "r"(v));
}

int main(void)
{
    for (int i = 0; i < 64; i++) {
        pat[i] = (uint8_t)(i * 37 + 11) ^ (uint8_t)(i << 5);
    }
    integer_groups();
    table_groups();
    structure_groups();
    fp_groups();
    printf("-- FPCR: FZ DN\n");
    set_fpcr(3u << 24);
    fp_groups();
    printf("-- FPCR: round up\n");
    set_fpcr(1u << 22);
    fp_groups();
    set_fpcr(0);
    return 0;
}
