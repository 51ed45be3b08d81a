/*
 * AdvSIMD integer instructions through <arm_neon.h>: lanewise arithmetic,
 * logic, bit selects, compares (register and zero forms), pairwise and
 * across-lane reductions, shifts, narrowing/widening, permutes, lane moves
 * and the structure loads/stores, on patterned inputs.  Every result vector
 * is printed in hex; the expected output comes from qemu-aarch64-static.
 */
#include <arm_neon.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint8_t src[256];

static void p128(const char *name, uint8x16_t v)
{
    uint8_t b[16];
    vst1q_u8(b, v);
    printf("%-10s", name);
    for (int i = 15; i >= 0; i--) printf("%02x", b[i]);
    printf("\n");
}
static void p64(const char *name, uint8x8_t v)
{
    uint8_t b[8];
    vst1_u8(b, v);
    printf("%-10s", name);
    for (int i = 7; i >= 0; i--) printf("%02x", b[i]);
    printf("\n");
}
#define Q(name, expr) p128(name, vreinterpretq_u8_u64(vreinterpretq_u64_u8((uint8x16_t)(expr))))
#define D(name, expr) p64(name, (uint8x8_t)(expr))

/* Keep inputs opaque to the compiler. */
static uint8x16_t load(int off) { uint8x16_t v; __asm__ volatile("ldr %q0, [%1]" : "=w"(v) : "r"(src + off)); return v; }

__attribute__((noinline, optimize("no-tree-vectorize"))) static void init(void)
{
    for (int i = 0; i < 256; i++) src[i] = (uint8_t)(i * 37 + (i >> 3) * 101);
}

int main(void)
{
    init();
    src[5] = 0; src[17] = 0x80; src[18] = 0x7f; src[33] = 0xff; src[40] = 0;
    uint8x16_t a = load(0), b = load(16), c = load(32);
    uint8x16_t e = vbslq_u8(vcgtq_u8(a, b), a, a);      /* a copy with equal lanes */

    for (int s = 0; s < 4; s++) {
        char n[16];
        switch (s) {
        case 0: Q("add8", vaddq_u8(a, b)); Q("sub8", vsubq_u8(a, b)); Q("cmeq8", vceqq_u8(a, e));
            Q("cmgt8", vcgtq_s8((int8x16_t)a, (int8x16_t)b)); Q("cmge8", vcgeq_s8((int8x16_t)a, (int8x16_t)e));
            Q("cmhi8", vcgtq_u8(a, b)); Q("cmhs8", vcgeq_u8(a, b)); Q("cmtst8", vtstq_u8(a, b));
            Q("umax8", vmaxq_u8(a, b)); Q("umin8", vminq_u8(a, b)); Q("umaxp8", vpmaxq_u8(a, b));
            Q("uminp8", vpminq_u8(a, b)); Q("addp8", vpaddq_u8(a, b)); D("umaxp8d", vpmax_u8(vget_low_u8(a), vget_low_u8(b)));
            D("uminp8d", vpmin_u8(vget_low_u8(a), vget_high_u8(b))); D("add8d", vadd_u8(vget_low_u8(a), vget_low_u8(c)));
            Q("cmeq0", vceqzq_u8(a)); Q("cmgt0", vcgtzq_s8((int8x16_t)a)); Q("cmge0", vcgezq_s8((int8x16_t)a));
            Q("mul8", vmulq_u8(a, b)); Q("mul16", vmulq_u16((uint16x8_t)a, (uint16x8_t)c));
            Q("mul32", vmulq_u32((uint32x4_t)a, (uint32x4_t)b));
            Q("cmle0", vclezq_s8((int8x16_t)a)); Q("cmlt0", vcltzq_s8((int8x16_t)a)); Q("neg8", vnegq_s8((int8x16_t)a));
            break;
        case 1: Q("add16", vaddq_u16((uint16x8_t)a, (uint16x8_t)b)); Q("cmhi16", vcgtq_u16((uint16x8_t)a, (uint16x8_t)b));
            Q("cmhs16", vcgeq_u16((uint16x8_t)a, (uint16x8_t)b)); Q("umaxp16", vpmaxq_u16((uint16x8_t)a, (uint16x8_t)b));
            Q("umin16", vminq_u16((uint16x8_t)a, (uint16x8_t)b)); Q("addp16", vpaddq_u16((uint16x8_t)a, (uint16x8_t)b));
            Q("cmgt16", vcgtq_s16((int16x8_t)a, (int16x8_t)b)); Q("cmeq16", vceqq_u16((uint16x8_t)a, (uint16x8_t)e));
            break;
        case 2: Q("add32", vaddq_u32((uint32x4_t)a, (uint32x4_t)b)); Q("cmhi32", vcgtq_u32((uint32x4_t)a, (uint32x4_t)b));
            Q("umaxp32", vpmaxq_u32((uint32x4_t)a, (uint32x4_t)b)); Q("uminp32", vpminq_u32((uint32x4_t)a, (uint32x4_t)b));
            Q("addp32", vpaddq_u32((uint32x4_t)a, (uint32x4_t)b)); Q("sub32", vsubq_u32((uint32x4_t)a, (uint32x4_t)c));
            D("umaxp32d", vpmax_u32(vget_low_u32((uint32x4_t)a), vget_low_u32((uint32x4_t)b)));
            break;
        case 3: Q("add64", vaddq_u64((uint64x2_t)a, (uint64x2_t)b)); Q("sub64", vsubq_u64((uint64x2_t)a, (uint64x2_t)b));
            Q("cmhi64", vcgtq_u64((uint64x2_t)a, (uint64x2_t)b)); Q("cmhs64", vcgeq_u64((uint64x2_t)a, (uint64x2_t)b));
            Q("cmgt64", vcgtq_s64((int64x2_t)a, (int64x2_t)b)); Q("cmeq64", vceqq_u64((uint64x2_t)a, (uint64x2_t)e));
            Q("addp64", vpaddq_u64((uint64x2_t)a, (uint64x2_t)b)); Q("cmtst64", vtstq_u64((uint64x2_t)a, (uint64x2_t)b));
            break;
        }
        (void)n;
    }
    Q("and", vandq_u8(a, b)); Q("orr", vorrq_u8(a, b)); Q("eor", veorq_u8(a, b)); Q("bic", vbicq_u8(a, b));
    Q("orn", vornq_u8(a, b)); Q("bsl", vbslq_u8(c, a, b)); Q("not", vmvnq_u8(a)); D("eor_d", veor_u8(vget_low_u8(a), vget_low_u8(b)));
    uint8x16_t t;
    t = c; __asm__("bit %0.16b, %1.16b, %2.16b" : "+w"(t) : "w"(a), "w"(b)); Q("bit", t);
    t = c; __asm__("bif %0.16b, %1.16b, %2.16b" : "+w"(t) : "w"(a), "w"(b)); Q("bif", t);
    /* across lanes */
    printf("umaxv %x %x %x\n", vmaxvq_u8(a), vmaxvq_u16((uint16x8_t)a), vmaxvq_u32((uint32x4_t)a));
    printf("uminv %x %x %x %x\n", vminvq_u8(a), vminvq_u16((uint16x8_t)b), vminvq_u32((uint32x4_t)c), vminv_u8(vget_low_u8(b)));
    printf("addv %x %x %x %x\n", vaddvq_u8(a), vaddvq_u16((uint16x8_t)a), vaddvq_u32((uint32x4_t)a), vaddv_u8(vget_low_u8(a)));
    printf("uaddlv %x %x %x\n", vaddlvq_u8(a), vaddlvq_u16((uint16x8_t)b), (unsigned)vaddlvq_u32((uint32x4_t)c));
    printf("addp_d %llx\n", (unsigned long long)vpaddd_u64((uint64x2_t)a));
    /* shifts, narrowing, widening */
    Q("ushr8", vshrq_n_u8(a, 3)); Q("sshr8", vshrq_n_s8((int8x16_t)a, 3)); Q("shl8", vshlq_n_u8(a, 5));
    Q("ushr16", vshrq_n_u16((uint16x8_t)a, 9)); Q("sshr16", vshrq_n_s16((int16x8_t)a, 15)); Q("shl32", vshlq_n_u32((uint32x4_t)a, 7));
    Q("ushr64", vshrq_n_u64((uint64x2_t)a, 33)); Q("sshr64", vshrq_n_s64((int64x2_t)a, 63)); Q("sshr64b", vshrq_n_s64((int64x2_t)a, 4));
    Q("ushr8x8", vshrq_n_u8(a, 8)); Q("sshr8x8", vshrq_n_s8((int8x16_t)a, 8)); Q("shl64", vshlq_n_u64((uint64x2_t)a, 12));
    D("shrn8", vshrn_n_u16((uint16x8_t)a, 4)); D("shrn16", vshrn_n_u32((uint32x4_t)a, 12)); D("shrn32", vshrn_n_u64((uint64x2_t)a, 20));
    Q("shrn2", vshrn_high_n_u16(vget_low_u8(b), (uint16x8_t)a, 3)); D("xtn8", vmovn_u16((uint16x8_t)a));
    Q("xtn2", vmovn_high_u32(vget_low_u16((uint16x8_t)c), (uint32x4_t)a));
    Q("uxtl8", vmovl_u8(vget_low_u8(a))); Q("uxtl2", vmovl_high_u8(a)); Q("sxtl16", vmovl_s16(vget_low_s16((int16x8_t)a)));
    Q("ushll", vshll_n_u8(vget_high_u8(a), 3)); Q("sxtl32", vmovl_high_s32((int32x4_t)a));
    Q("uaddw", vaddw_u8((uint16x8_t)b, vget_low_u8(a))); Q("uaddw2", vaddw_high_u8((uint16x8_t)b, a));
    /* bits and permutes */
    Q("cnt", vcntq_u8(a)); Q("rev64b", vrev64q_u8(a)); Q("rev64h", vrev64q_u16((uint16x8_t)a)); Q("rev64s", vrev64q_u32((uint32x4_t)a));
    Q("rev32b", vrev32q_u8(a)); Q("rev32h", vrev32q_u16((uint16x8_t)a)); Q("rev16b", vrev16q_u8(a)); D("rev64d", vrev64_u8(vget_low_u8(a)));
    Q("ext3", vextq_u8(a, b, 3)); Q("ext15", vextq_u8(a, b, 15)); D("ext5d", vext_u8(vget_low_u8(a), vget_low_u8(b), 5));
    Q("zip1b", vzip1q_u8(a, b)); Q("zip2b", vzip2q_u8(a, b)); Q("zip1s", vzip1q_u32((uint32x4_t)a, (uint32x4_t)b));
    Q("zip2d", vzip2q_u64((uint64x2_t)a, (uint64x2_t)b)); D("zip1bd", vzip1_u8(vget_low_u8(a), vget_low_u8(b))); D("zip2bd", vzip2_u8(vget_low_u8(a), vget_low_u8(b)));
    Q("uzp1b", vuzp1q_u8(a, b)); Q("uzp2b", vuzp2q_u8(a, b)); Q("uzp1h", vuzp1q_u16((uint16x8_t)a, (uint16x8_t)b));
    Q("uzp2s", vuzp2q_u32((uint32x4_t)a, (uint32x4_t)b)); D("uzp1bd", vuzp1_u8(vget_low_u8(a), vget_low_u8(b)));
    Q("trn1b", vtrn1q_u8(a, b)); Q("trn2b", vtrn2q_u8(a, b)); Q("trn1h", vtrn1q_u16((uint16x8_t)a, (uint16x8_t)b)); Q("trn2s", vtrn2q_u32((uint32x4_t)a, (uint32x4_t)b));
    /* moves */
    volatile uint64_t g = 0x1122334455667788ull;
    Q("dupb", vdupq_n_u8((uint8_t)g)); Q("duph", vdupq_n_u16((uint16_t)g)); Q("dups", vdupq_n_u32((uint32_t)g)); Q("dupd", vdupq_n_u64(g));
    D("dupbd", vdup_n_u8((uint8_t)g)); Q("dupelb", vdupq_laneq_u8(a, 13)); Q("dupelh", vdupq_laneq_u16((uint16x8_t)a, 5));
    Q("dupels", vdupq_laneq_u32((uint32x4_t)a, 3)); Q("dupeld", vdupq_laneq_u64((uint64x2_t)a, 1));
    Q("insb", vsetq_lane_u8((uint8_t)g, a, 9)); Q("insd", vsetq_lane_u64(g, (uint64x2_t)a, 1));
    Q("inselt", vcopyq_laneq_u16((uint16x8_t)a, 6, (uint16x8_t)b, 1));
    printf("umov %x %x %x %llx\n", vgetq_lane_u8(a, 11), vgetq_lane_u16((uint16x8_t)a, 3), vgetq_lane_u32((uint32x4_t)a, 2),
           (unsigned long long)vgetq_lane_u64((uint64x2_t)a, 1));
    printf("smov %d %d %lld\n", vgetq_lane_s8((int8x16_t)a, 1), (int)vgetq_lane_s16((int16x8_t)a, 7), (long long)vgetq_lane_s32((int32x4_t)a, 1));
    Q("movi", vdupq_n_u32(0x00ab0000)); Q("mvni", vdupq_n_u16(0xff5a)); Q("movi64", vdupq_n_u64(0xff00ff0000ffff00ull));
    Q("orrimm", vorrq_u32((uint32x4_t)a, vdupq_n_u32(0x4400))); Q("bicimm", vbicq_u16((uint16x8_t)a, vdupq_n_u16(0x0f)));
    Q("fmov", vdupq_n_f64(-2.5)); Q("fmovs", vdupq_n_f32(0.125f));
    /* structure loads and stores */
    uint8x16x2_t l2 = vld2q_u8(src + 3); Q("ld2a", l2.val[0]); Q("ld2b", l2.val[1]);
    uint16x8x3_t l3 = vld3q_u16((uint16_t *)(src + 64)); Q("ld3a", l3.val[0]); Q("ld3c", l3.val[2]);
    uint32x4x4_t l4 = vld4q_u32((uint32_t *)(src + 100)); Q("ld4b", l4.val[1]); Q("ld4d", l4.val[3]);
    uint8x8x2_t l2d = vld2_u8(src + 7); D("ld2d", l2d.val[1]);
    uint8x16x4_t l1x4 = vld1q_u8_x4(src + 9); Q("ld1x4", l1x4.val[3]);
    uint8x16x3_t l1x3 = vld1q_u8_x3(src + 1); Q("ld1x3", l1x3.val[2]);
    Q("ld1r", vld1q_dup_u32((uint32_t *)(src + 44))); D("ld1rb", vld1_dup_u8(src + 45));
    Q("ld1lane", vld1q_lane_u16((uint16_t *)(src + 50), (uint16x8_t)a, 6));
    uint8_t out[64];
    memset(out, 0, sizeof(out));
    vst2q_u8(out, l2); vst1q_lane_u32((uint32_t *)(out + 40), (uint32x4_t)b, 2);
    vst3_u8(out + 44, (uint8x8x3_t){ { vget_low_u8(a), vget_low_u8(b), vget_high_u8(c) } });
    for (int i = 0; i < 64; i += 16) { uint8x16_t o; memcpy(&o, out + i, 16); Q("st", o); }
    return 0;
}
