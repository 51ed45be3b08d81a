/*
 * Lowering of the bit-level integer AdvSIMD ops: CLZ and CLS on 8-, 16- and
 * 32-bit lanes (a pshufb nibble table for bytes, wider lanes built from
 * their halves), RBIT on bytes (two nibble tables) and the shift-and-insert
 * ops SRI/SLI.  The nibble tables are one read-only struct built at
 * start-up.
 */
#include <stdalign.h>

#include "host/x86_64/lower-vec.h"

typedef struct BitTables {
    alignas(16) uint8_t clz4[16];        /* leading zeros of a nibble (4 for 0) */
    alignas(16) uint8_t rev4[16];        /* the nibble reversed */
    alignas(16) uint8_t rev4_hi[16];     /* ... in the high nibble */
} BitTables;

static BitTables bit_tables;

__attribute__((constructor)) static void build_bit_tables(void)
{
    for (int i = 0; i < 16; i++) {
        int clz = i ? __builtin_clz((unsigned)i) - 28 : 4, rev = 0;
        for (int b = 0; b < 4; b++) {
            rev |= ((i >> b) & 1) << (3 - b);
        }
        bit_tables.clz4[i] = (uint8_t)clz;
        bit_tables.rev4[i] = (uint8_t)rev;
        bit_tables.rev4_hi[i] = (uint8_t)(rev << 4);
    }
}

static int lg_of(const IRInsn *in) { return in->mop & MO_SIZE; }
static bool q_of(const IRInsn *in) { return (in->aux & VA_Q) != 0; }

/* xmm x = a lane pattern of log2 size l (0..3) in every lane. */
static void splat_lanes(CodeBuf *cb, int x, int l, uint64_t v)
{
    static const uint64_t mul[4] = { 0x0101010101010101ull, 0x0001000100010001ull,
                                     0x0000000100000001ull, 1 };
    uint64_t pat = l == 3 ? v : (v & ((1ull << (8 << l)) - 1)) * mul[l];
    vec_load_const64(cb, x, pat);
    punpcklqdq(cb, x, xr(x));
}

/* Split the bytes of xmm0 into low nibbles (xmm0) and high nibbles (xmm1). */
static void split_nibbles(CodeBuf *cb)
{
    movaps_rr(cb, 1, 0);
    sse_shift_imm(cb, 0x71, 2, 1, 4);           /* psrlw 4 */
    splat_lanes(cb, 2, 0, 0x0f);
    pand(cb, 0, xr(2));
    pand(cb, 1, xr(2));
}

/* xmm0 = leading zeros of each lane of xmm0 (log2 size l < 3). */
static void count_leading_zeros(CodeBuf *cb, int l)
{
    split_nibbles(cb);
    vec_load_table(cb, 3, bit_tables.clz4);
    movaps_rr(cb, 2, 3);
    sse66_38(cb, 0x00, 2, xr(0));               /* pshufb: clz of the low nibble */
    sse66_38(cb, 0x00, 3, xr(1));               /* ... of the high nibble */
    pxor_rr(cb, 0, 0);
    vec_lane_op(cb, L_CMEQ, 0, 0, xr(1));       /* high nibble zero: add the low's */
    pand(cb, 0, xr(2));
    vec_lane_op(cb, L_ADD, 0, 0, xr(3));
    for (int k = 1; k <= l; k++) {              /* two halves of 2^(k-1) bytes */
        int half_bits = 4 << k;
        uint8_t group = k == 1 ? 0x71 : 0x72;
        movaps_rr(cb, 1, 0);
        sse_shift_imm(cb, group, 2, 1, (uint8_t)half_bits);        /* high half's count */
        sse_shift_imm(cb, group, 6, 0, (uint8_t)half_bits);
        sse_shift_imm(cb, group, 2, 0, (uint8_t)half_bits);        /* low half's count */
        splat_lanes(cb, 2, k, (uint64_t)half_bits);
        vec_lane_op(cb, L_CMEQ, k, 2, xr(1));   /* high half all zero */
        pand(cb, 0, xr(2));
        vec_lane_op(cb, L_ADD, k, 0, xr(1));
    }
}

static void lower_clz_cls(CodeBuf *cb, const IRInsn *in)
{
    int l = lg_of(in);
    load_v(cb, 0, va_n(in->aux), true);
    if (in->op == IR_VCLS) {                    /* CLS(x) = CLZ(x ^ (x >> 1, arithmetic)) - 1 */
        movaps_rr(cb, 1, 0);
        if (l == 0) {                           /* bytes: logical word shift, top bit masked off */
            sse_shift_imm(cb, 0x71, 2, 1, 1);
            pxor(cb, 0, xr(1));
            splat_lanes(cb, 1, 0, 0x7f);
            pand(cb, 0, xr(1));
        } else {
            sse_shift_imm(cb, l == 1 ? 0x71 : 0x72, 4, 1, 1);
            pxor(cb, 0, xr(1));
        }
    }
    count_leading_zeros(cb, l);
    if (in->op == IR_VCLS) {
        all_ones(cb, 1);
        vec_lane_op(cb, L_ADD, l, 0, xr(1));
    }
    store_v(cb, va_d(in->aux), 0, q_of(in));
}

/* RBIT on bytes: reversed low nibble to the top, reversed high to the bottom. */
static void lower_rbit(CodeBuf *cb, const IRInsn *in)
{
    load_v(cb, 0, va_n(in->aux), true);
    split_nibbles(cb);
    vec_load_table(cb, 2, bit_tables.rev4_hi);
    sse66_38(cb, 0x00, 2, xr(0));
    vec_load_table(cb, 0, bit_tables.rev4);
    sse66_38(cb, 0x00, 0, xr(1));
    por(cb, 0, xr(2));
    store_v(cb, va_d(in->aux), 0, q_of(in));
}

/* SRI/SLI #imm: the shifted n where the lane mask is set, d elsewhere.
 * SRI by the lane size leaves d as it is (an empty mask). */
static void lower_shift_insert(CodeBuf *cb, const IRInsn *in)
{
    static const uint8_t group[4] = { 0x71, 0x71, 0x72, 0x73 };   /* bytes shift as words */
    int l = lg_of(in), bits = 8 << l, sh = (int)in->imm;
    uint64_t ones = l == 3 ? ~0ull : (1ull << bits) - 1;
    bool right = in->op == IR_VSRI;
    uint64_t mask = right ? (sh >= bits ? 0 : ones >> sh) : (ones << sh) & ones;
    load_v(cb, 0, va_n(in->aux), true);
    sse_shift_imm(cb, group[l], right ? 2 : 6, 0, (uint8_t)(sh >= bits ? 64 : sh));
    splat_lanes(cb, 1, l, mask);
    pand(cb, 0, xr(1));
    pandn(cb, 1, vreg(va_d(in->aux)));
    por(cb, 0, xr(1));
    store_v(cb, va_d(in->aux), 0, q_of(in));
}

bool lower_vec_bits(const VecOp *v)
{
    switch (v->in->op) {
    case IR_VCLZ: case IR_VCLS: lower_clz_cls(v->cb, v->in); return true;
    case IR_VRBIT: lower_rbit(v->cb, v->in); return true;
    case IR_VSRI: case IR_VSLI: lower_shift_insert(v->cb, v->in); return true;
    default: return false;
    }
}
