/*
 * AdvSIMD integer instructions on every pair of a set of edge-valued
 * vectors (lanes of 0, 1, the signed and unsigned limits and their
 * neighbours, at each lane size): pairwise long adds, absolute
 * differences, halving adds, pairwise max/min, saturating add/subtract,
 * doubling multiplies (vector and by element), MUL/MLA/MLS by element,
 * saturating narrows, SHLL, CLZ/CLS/RBIT, SRI/SLI, SQABS/SQNEG, the
 * high-narrow adds and SDOT/UDOT, in 64- and 128-bit forms.  For each
 * instruction it prints a hash of all results and how many runs set
 * FPSR.QC; the expected output comes from qemu-aarch64-static.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct { uint64_t lo, hi; } Vec;

enum { N_VEC = 96 };
static Vec vecs[N_VEC];

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Lane value k of the edge set at `bits`. */
static uint64_t edge(int k, int bits)
{
    uint64_t mask = bits == 64 ? ~0ull : (1ull << bits) - 1, top = 1ull << (bits - 1);
    switch (k % 10) {
    case 0: return 0;
    case 1: return 1;
    case 2: return top - 1;
    case 3: return top;
    case 4: return top + 1;
    case 5: return mask;
    case 6: return mask - 1;
    case 7: return top >> 1;
    case 8: return (top >> 1) | top;
    default: return rng() & mask;
    }
}

static void build_vectors(void)
{
    for (int v = 0; v < N_VEC; v++) {
        int lg = v & 3, bits = 8 << lg, lanes = 128 / bits;
        uint8_t bytes[16];
        for (int j = 0; j < lanes; j++) {
            uint64_t x = edge((v >> 2) + j * (1 + (v >> 4)), bits);
            memcpy(bytes + j * (bits / 8), &x, (size_t)bits / 8);
        }
        memcpy(&vecs[v], bytes, 16);
    }
}

/* d = insn(n, m, d) with v2 = d, v0 = n, v1 = m; returns FPSR after. */
typedef uint64_t (*TestFn)(Vec *d, const Vec *n, const Vec *m);

#define TEST(name, insn)                                                           \
    static uint64_t t_##name(Vec *d, const Vec *n, const Vec *m)                   \
    {                                                                              \
        uint64_t fpsr;                                                             \
        __asm__ volatile("ldr q0, [%1]\n\tldr q1, [%2]\n\tldr q2, [%3]\n\t"        \
                         "msr fpsr, xzr\n\t" insn "\n\tstr q2, [%3]\n\t"           \
                         "mrs %0, fpsr"                                            \
                         : "=&r"(fpsr) : "r"(n), "r"(m), "r"(d) : "v0", "v1", "v2", "memory"); \
        return fpsr;                                                               \
    }

#define DOT ".arch armv8.2-a+dotprod\n\t"

#define TESTS(X) \
    X(uaddlp_8h, "uaddlp v2.8h, v0.16b") X(saddlp_8h, "saddlp v2.8h, v0.16b") \
    X(uaddlp_4s, "uaddlp v2.4s, v0.8h") X(saddlp_4s, "saddlp v2.4s, v0.8h") \
    X(uaddlp_2d, "uaddlp v2.2d, v0.4s") X(saddlp_2d, "saddlp v2.2d, v0.4s") \
    X(uaddlp_4h, "uaddlp v2.4h, v0.8b") X(saddlp_1d, "saddlp v2.1d, v0.2s") \
    X(uadalp_8h, "uadalp v2.8h, v0.16b") X(sadalp_8h, "sadalp v2.8h, v0.16b") \
    X(uadalp_4s, "uadalp v2.4s, v0.8h") X(sadalp_4s, "sadalp v2.4s, v0.8h") \
    X(uadalp_2d, "uadalp v2.2d, v0.4s") X(sadalp_2d, "sadalp v2.2d, v0.4s") \
    X(uadalp_2s, "uadalp v2.2s, v0.4h") X(sadalp_4h, "sadalp v2.4h, v0.8b") \
    X(addp_16b, "addp v2.16b, v0.16b, v1.16b") X(umaxp_8h, "umaxp v2.8h, v0.8h, v1.8h") \
    X(smaxp_16b, "smaxp v2.16b, v0.16b, v1.16b") X(smaxp_8h, "smaxp v2.8h, v0.8h, v1.8h") \
    X(smaxp_4s, "smaxp v2.4s, v0.4s, v1.4s") X(sminp_16b, "sminp v2.16b, v0.16b, v1.16b") \
    X(sminp_4h, "sminp v2.4h, v0.4h, v1.4h") X(sminp_2s, "sminp v2.2s, v0.2s, v1.2s") \
    X(sabd_16b, "sabd v2.16b, v0.16b, v1.16b") X(uabd_16b, "uabd v2.16b, v0.16b, v1.16b") \
    X(sabd_8h, "sabd v2.8h, v0.8h, v1.8h") X(uabd_8h, "uabd v2.8h, v0.8h, v1.8h") \
    X(sabd_4s, "sabd v2.4s, v0.4s, v1.4s") X(uabd_4s, "uabd v2.4s, v0.4s, v1.4s") \
    X(uabd_8b, "uabd v2.8b, v0.8b, v1.8b") X(saba_16b, "saba v2.16b, v0.16b, v1.16b") \
    X(uaba_8h, "uaba v2.8h, v0.8h, v1.8h") X(saba_2s, "saba v2.2s, v0.2s, v1.2s") \
    X(uaba_4s, "uaba v2.4s, v0.4s, v1.4s") \
    X(sabdl_8h, "sabdl v2.8h, v0.8b, v1.8b") X(uabdl2_8h, "uabdl2 v2.8h, v0.16b, v1.16b") \
    X(sabdl2_4s, "sabdl2 v2.4s, v0.8h, v1.8h") X(uabdl_4s, "uabdl v2.4s, v0.4h, v1.4h") \
    X(sabdl_2d, "sabdl v2.2d, v0.2s, v1.2s") X(uabdl2_2d, "uabdl2 v2.2d, v0.4s, v1.4s") \
    X(uabal_8h, "uabal v2.8h, v0.8b, v1.8b") X(uabal2_8h, "uabal2 v2.8h, v0.16b, v1.16b") \
    X(sabal_4s, "sabal v2.4s, v0.4h, v1.4h") X(sabal2_2d, "sabal2 v2.2d, v0.4s, v1.4s") \
    X(shadd_16b, "shadd v2.16b, v0.16b, v1.16b") X(uhadd_16b, "uhadd v2.16b, v0.16b, v1.16b") \
    X(srhadd_16b, "srhadd v2.16b, v0.16b, v1.16b") X(urhadd_16b, "urhadd v2.16b, v0.16b, v1.16b") \
    X(shadd_8h, "shadd v2.8h, v0.8h, v1.8h") X(uhadd_8h, "uhadd v2.8h, v0.8h, v1.8h") \
    X(srhadd_8h, "srhadd v2.8h, v0.8h, v1.8h") X(urhadd_4h, "urhadd v2.4h, v0.4h, v1.4h") \
    X(shadd_4s, "shadd v2.4s, v0.4s, v1.4s") X(uhadd_2s, "uhadd v2.2s, v0.2s, v1.2s") \
    X(srhadd_4s, "srhadd v2.4s, v0.4s, v1.4s") X(urhadd_4s, "urhadd v2.4s, v0.4s, v1.4s") \
    X(sqadd_4s, "sqadd v2.4s, v0.4s, v1.4s") X(uqadd_4s, "uqadd v2.4s, v0.4s, v1.4s") \
    X(sqsub_4s, "sqsub v2.4s, v0.4s, v1.4s") X(uqsub_4s, "uqsub v2.4s, v0.4s, v1.4s") \
    X(sqadd_2d, "sqadd v2.2d, v0.2d, v1.2d") X(uqadd_2d, "uqadd v2.2d, v0.2d, v1.2d") \
    X(sqsub_2d, "sqsub v2.2d, v0.2d, v1.2d") X(uqsub_2d, "uqsub v2.2d, v0.2d, v1.2d") \
    X(sqadd_2s, "sqadd v2.2s, v0.2s, v1.2s") X(uqsub_2s, "uqsub v2.2s, v0.2s, v1.2s") \
    X(sqdmulh_8h, "sqdmulh v2.8h, v0.8h, v1.8h") X(sqrdmulh_8h, "sqrdmulh v2.8h, v0.8h, v1.8h") \
    X(sqdmulh_4s, "sqdmulh v2.4s, v0.4s, v1.4s") X(sqrdmulh_4s, "sqrdmulh v2.4s, v0.4s, v1.4s") \
    X(sqdmulh_4h, "sqdmulh v2.4h, v0.4h, v1.4h") X(sqrdmulh_2s, "sqrdmulh v2.2s, v0.2s, v1.2s") \
    X(sqdmulh_e8h, "sqdmulh v2.8h, v0.8h, v1.h[7]") X(sqrdmulh_e4h, "sqrdmulh v2.4h, v0.4h, v1.h[3]") \
    X(sqdmulh_e4s, "sqdmulh v2.4s, v0.4s, v1.s[2]") X(sqrdmulh_e2s, "sqrdmulh v2.2s, v0.2s, v1.s[1]") \
    X(mul_e8h, "mul v2.8h, v0.8h, v1.h[5]") X(mul_e4s, "mul v2.4s, v0.4s, v1.s[3]") \
    X(mul_e4h, "mul v2.4h, v0.4h, v1.h[0]") X(mla_e8h, "mla v2.8h, v0.8h, v1.h[6]") \
    X(mla_e2s, "mla v2.2s, v0.2s, v1.s[1]") X(mls_e4s, "mls v2.4s, v0.4s, v1.s[0]") \
    X(mls_e4h, "mls v2.4h, v0.4h, v1.h[2]") \
    X(sqxtn_8b, "sqxtn v2.8b, v0.8h") X(sqxtn2_16b, "sqxtn2 v2.16b, v0.8h") \
    X(sqxtn_4h, "sqxtn v2.4h, v0.4s") X(sqxtn2_8h, "sqxtn2 v2.8h, v0.4s") \
    X(uqxtn_8b, "uqxtn v2.8b, v0.8h") X(uqxtn2_16b, "uqxtn2 v2.16b, v0.8h") \
    X(uqxtn_4h, "uqxtn v2.4h, v0.4s") X(uqxtn2_8h, "uqxtn2 v2.8h, v0.4s") \
    X(sqxtun_8b, "sqxtun v2.8b, v0.8h") X(sqxtun2_16b, "sqxtun2 v2.16b, v0.8h") \
    X(sqxtun_4h, "sqxtun v2.4h, v0.4s") X(sqxtun2_8h, "sqxtun2 v2.8h, v0.4s") \
    X(sqxtn_2s, "sqxtn v2.2s, v0.2d") X(uqxtn2_4s, "uqxtn2 v2.4s, v0.2d") \
    X(shll_8h, "shll v2.8h, v0.8b, #8") X(shll2_8h, "shll2 v2.8h, v0.16b, #8") \
    X(shll_4s, "shll v2.4s, v0.4h, #16") X(shll2_2d, "shll2 v2.2d, v0.4s, #32") \
    X(clz_16b, "clz v2.16b, v0.16b") X(clz_8h, "clz v2.8h, v0.8h") X(clz_4s, "clz v2.4s, v0.4s") \
    X(clz_2s, "clz v2.2s, v0.2s") X(cls_16b, "cls v2.16b, v0.16b") X(cls_4h, "cls v2.4h, v0.4h") \
    X(cls_8h, "cls v2.8h, v0.8h") X(cls_4s, "cls v2.4s, v0.4s") \
    X(rbit_16b, "rbit v2.16b, v0.16b") X(rbit_8b, "rbit v2.8b, v0.8b") \
    X(sri_16b_3, "sri v2.16b, v0.16b, #3") X(sri_8b_8, "sri v2.8b, v0.8b, #8") \
    X(sri_8h_16, "sri v2.8h, v0.8h, #16") X(sri_4s_1, "sri v2.4s, v0.4s, #1") \
    X(sri_2d_64, "sri v2.2d, v0.2d, #64") X(sri_2d_17, "sri v2.2d, v0.2d, #17") \
    X(sri_d_40, "sri d2, d0, #40") X(sli_16b_0, "sli v2.16b, v0.16b, #0") \
    X(sli_16b_7, "sli v2.16b, v0.16b, #7") X(sli_4h_9, "sli v2.4h, v0.4h, #9") \
    X(sli_4s_31, "sli v2.4s, v0.4s, #31") X(sli_2d_63, "sli v2.2d, v0.2d, #63") \
    X(sli_d_5, "sli d2, d0, #5") \
    X(sqxtn2_4s, "sqxtn2 v2.4s, v0.2d") X(sqxtun_2s, "sqxtun v2.2s, v0.2d") \
    X(uqxtn_2s, "uqxtn v2.2s, v0.2d") X(sqxtun2_4s, "sqxtun2 v2.4s, v0.2d") \
    X(srshr_16b_3, "srshr v2.16b, v0.16b, #3") X(urshr_16b_8, "urshr v2.16b, v0.16b, #8") \
    X(srshr_8h_16, "srshr v2.8h, v0.8h, #16") X(urshr_4h_1, "urshr v2.4h, v0.4h, #1") \
    X(srshr_4s_9, "srshr v2.4s, v0.4s, #9") X(urshr_2d_64, "urshr v2.2d, v0.2d, #64") \
    X(srshr_2d_33, "srshr v2.2d, v0.2d, #33") X(srshr_d_64, "srshr d2, d0, #64") \
    X(srsra_16b_1, "srsra v2.16b, v0.16b, #1") X(ursra_8h_5, "ursra v2.8h, v0.8h, #5") \
    X(srsra_2s_32, "srsra v2.2s, v0.2s, #32") X(ursra_d_7, "ursra d2, d0, #7") \
    X(sqshrn_8b_3, "sqshrn v2.8b, v0.8h, #3") X(sqshrn2_16b_8, "sqshrn2 v2.16b, v0.8h, #8") \
    X(sqrshrn_4h_1, "sqrshrn v2.4h, v0.4s, #1") X(sqrshrn2_8h_16, "sqrshrn2 v2.8h, v0.4s, #16") \
    X(uqshrn_8b_1, "uqshrn v2.8b, v0.8h, #1") X(uqrshrn2_16b_4, "uqrshrn2 v2.16b, v0.8h, #4") \
    X(uqshrn_4h_7, "uqshrn v2.4h, v0.4s, #7") X(uqrshrn_4h_16, "uqrshrn v2.4h, v0.4s, #16") \
    X(sqshrun_8b_2, "sqshrun v2.8b, v0.8h, #2") X(sqrshrun2_16b_8, "sqrshrun2 v2.16b, v0.8h, #8") \
    X(sqshrun_4h_12, "sqshrun v2.4h, v0.4s, #12") X(sqrshrun_4h_1, "sqrshrun v2.4h, v0.4s, #1") \
    X(sqdmull_4s, "sqdmull v2.4s, v0.4h, v1.4h") X(sqdmull2_4s, "sqdmull2 v2.4s, v0.8h, v1.8h") \
    X(sqdmull_2d, "sqdmull v2.2d, v0.2s, v1.2s") X(sqdmull2_2d, "sqdmull2 v2.2d, v0.4s, v1.4s") \
    X(sqdmlal_4s, "sqdmlal v2.4s, v0.4h, v1.4h") X(sqdmlal2_2d, "sqdmlal2 v2.2d, v0.4s, v1.4s") \
    X(sqdmlsl2_4s, "sqdmlsl2 v2.4s, v0.8h, v1.8h") X(sqdmlsl_2d, "sqdmlsl v2.2d, v0.2s, v1.2s") \
    X(sqdmull_e4s, "sqdmull v2.4s, v0.4h, v1.h[7]") X(sqdmull2_e2d, "sqdmull2 v2.2d, v0.4s, v1.s[3]") \
    X(sqdmlal2_e4s, "sqdmlal2 v2.4s, v0.8h, v1.h[2]") X(sqdmlsl_e2d, "sqdmlsl v2.2d, v0.2s, v1.s[1]") \
    X(sqabs_16b, "sqabs v2.16b, v0.16b") X(sqabs_4h, "sqabs v2.4h, v0.4h") \
    X(sqabs_4s, "sqabs v2.4s, v0.4s") X(sqabs_2d, "sqabs v2.2d, v0.2d") \
    X(sqneg_8b, "sqneg v2.8b, v0.8b") X(sqneg_8h, "sqneg v2.8h, v0.8h") \
    X(sqneg_2s, "sqneg v2.2s, v0.2s") X(sqneg_2d, "sqneg v2.2d, v0.2d") \
    X(addhn_8b, "addhn v2.8b, v0.8h, v1.8h") X(raddhn_4h, "raddhn v2.4h, v0.4s, v1.4s") \
    X(raddhn2_4s, "raddhn2 v2.4s, v0.2d, v1.2d") X(subhn_8b, "subhn v2.8b, v0.8h, v1.8h") \
    X(subhn2_8h, "subhn2 v2.8h, v0.4s, v1.4s") X(rsubhn_2s, "rsubhn v2.2s, v0.2d, v1.2d") \
    X(rsubhn2_16b, "rsubhn2 v2.16b, v0.8h, v1.8h") \
    X(sdot_4s, DOT "sdot v2.4s, v0.16b, v1.16b") X(udot_4s, DOT "udot v2.4s, v0.16b, v1.16b") \
    X(sdot_2s, DOT "sdot v2.2s, v0.8b, v1.8b") X(udot_e4s, DOT "udot v2.4s, v0.16b, v1.4b[3]") \
    X(sdot_e2s, DOT "sdot v2.2s, v0.8b, v1.4b[1]") \
    X(saddlv_16b, "saddlv h2, v0.16b") X(saddlv_8b, "saddlv h2, v0.8b") \
    X(saddlv_8h, "saddlv s2, v0.8h") X(saddlv_4h, "saddlv s2, v0.4h") \
    X(saddlv_4s, "saddlv d2, v0.4s") X(uaddlv_16b, "uaddlv h2, v0.16b") \
    X(sqshl_16b_0, "sqshl v2.16b, v0.16b, #0") X(sqshl_16b_3, "sqshl v2.16b, v0.16b, #3") \
    X(sqshl_8h_15, "sqshl v2.8h, v0.8h, #15") X(sqshl_2s_1, "sqshl v2.2s, v0.2s, #1") \
    X(sqshl_2d_40, "sqshl v2.2d, v0.2d, #40") X(sqshl_d_63, "sqshl d2, d0, #63") \
    X(uqshl_16b_7, "uqshl v2.16b, v0.16b, #7") X(uqshl_4h_4, "uqshl v2.4h, v0.4h, #4") \
    X(uqshl_4s_0, "uqshl v2.4s, v0.4s, #0") X(uqshl_2d_1, "uqshl v2.2d, v0.2d, #1") \
    X(sqshlu_16b_0, "sqshlu v2.16b, v0.16b, #0") X(sqshlu_8b_5, "sqshlu v2.8b, v0.8b, #5") \
    X(sqshlu_8h_1, "sqshlu v2.8h, v0.8h, #1") X(sqshlu_4s_31, "sqshlu v2.4s, v0.4s, #31") \
    X(sqshlu_2d_0, "sqshlu v2.2d, v0.2d, #0") X(sqshlu_2d_33, "sqshlu v2.2d, v0.2d, #33") \
    X(sqshlu_d_2, "sqshlu d2, d0, #2") X(uqshl_d_63, "uqshl d2, d0, #63") \
    X(shsub_16b, "shsub v2.16b, v0.16b, v1.16b") X(uhsub_16b, "uhsub v2.16b, v0.16b, v1.16b") \
    X(shsub_8h, "shsub v2.8h, v0.8h, v1.8h") X(uhsub_4h, "uhsub v2.4h, v0.4h, v1.4h") \
    X(shsub_2s, "shsub v2.2s, v0.2s, v1.2s") X(uhsub_4s, "uhsub v2.4s, v0.4s, v1.4s") \
    X(sshl_16b, "sshl v2.16b, v0.16b, v1.16b") X(ushl_16b, "ushl v2.16b, v0.16b, v1.16b") \
    X(sshl_8b, "sshl v2.8b, v0.8b, v1.8b") X(ushl_8h, "ushl v2.8h, v0.8h, v1.8h") \
    X(sshl_8h, "sshl v2.8h, v0.8h, v1.8h") X(ushl_4h, "ushl v2.4h, v0.4h, v1.4h") \
    X(sshl_4s, "sshl v2.4s, v0.4s, v1.4s") X(ushl_2d, "ushl v2.2d, v0.2d, v1.2d") \
    X(srshl_16b, "srshl v2.16b, v0.16b, v1.16b") X(urshl_8b, "urshl v2.8b, v0.8b, v1.8b") \
    X(srshl_8h, "srshl v2.8h, v0.8h, v1.8h") X(urshl_8h, "urshl v2.8h, v0.8h, v1.8h") \
    X(srshl_4s, "srshl v2.4s, v0.4s, v1.4s") X(urshl_2s, "urshl v2.2s, v0.2s, v1.2s") \
    X(srshl_2d, "srshl v2.2d, v0.2d, v1.2d") X(urshl_2d, "urshl v2.2d, v0.2d, v1.2d") \
    X(add_d, "add d2, d0, d1") X(sub_d, "sub d2, d0, d1") X(cmgt_d, "cmgt d2, d0, d1") \
    X(cmhs_d, "cmhs d2, d0, d1") X(cmtst_d, "cmtst d2, d0, d1") X(cmeq_d, "cmeq d2, d0, d1") \
    X(sqadd_d, "sqadd d2, d0, d1") X(uqsub_d, "uqsub d2, d0, d1") X(sshl_d, "sshl d2, d0, d1") \
    X(urshl_d, "urshl d2, d0, d1") X(abs_d, "abs d2, d0") X(neg_d, "neg d2, d0") \
    X(sqabs_d, "sqabs d2, d0") X(sqneg_d, "sqneg d2, d0") X(sqadd_s, "sqadd s2, s0, s1") \
    X(sqshrn_2s_1, "sqshrn v2.2s, v0.2d, #1") X(sqrshrn2_4s_32, "sqrshrn2 v2.4s, v0.2d, #32") \
    X(uqshrn_2s_17, "uqshrn v2.2s, v0.2d, #17") X(uqrshrn2_4s_3, "uqrshrn2 v2.4s, v0.2d, #3") \
    X(sqshrun_2s_31, "sqshrun v2.2s, v0.2d, #31") X(sqrshrun_2s_9, "sqrshrun v2.2s, v0.2d, #9")

TESTS(TEST)

static const struct { const char *name; TestFn fn; } tests[] = {
#define ENTRY(name, insn) { #name, t_##name },
    TESTS(ENTRY)
#undef ENTRY
};

int main(void)
{
    build_vectors();
    for (size_t t = 0; t < sizeof(tests) / sizeof(tests[0]); t++) {
        uint64_t hash = 0xcbf29ce484222325ull;
        int qc = 0;
        for (int i = 0; i < N_VEC; i++) {
            for (int j = 0; j < N_VEC; j++) {
                Vec d = vecs[(i * 7 + j) % N_VEC];
                uint64_t fpsr = tests[t].fn(&d, &vecs[i], &vecs[j]);
                qc += (fpsr >> 27) & 1;
                hash = (hash ^ d.lo) * 0x100000001b3ull;
                hash = (hash ^ d.hi) * 0x100000001b3ull;
            }
        }
        printf("%-14s %016llx qc %d\n", tests[t].name, (unsigned long long)hash, qc);
    }
    return 0;
}
