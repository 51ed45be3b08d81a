/*
 * Lowering of the integer AdvSIMD ops: lanewise arithmetic, logic and
 * compares, bit selects, pairwise and across-lane reductions, permutes
 * (ZIP/UZP/TRN/EXT/REV), shifts by immediate (also rounding), narrowing
 * and widening, CNT.
 * Shuffle masks live in one read-only table built at start-up.
 */
#include <stdalign.h>
#include <string.h>

#include "host/x86_64/lower-vec.h"

/* ---- constant shuffle/mask tables ---------------------------------------- */

enum { N_ESZ = 4 };    /* element sizes 1, 2, 4, 8 (index = log2) */

typedef struct VecTables {
    alignas(16) uint8_t even_lo[N_ESZ][16];   /* even elements of a vector -> low half */
    alignas(16) uint8_t odd_lo[N_ESZ][16];
    alignas(16) uint8_t even_hi[N_ESZ][16];   /* ... -> high half */
    alignas(16) uint8_t odd_hi[N_ESZ][16];
    alignas(16) uint8_t odd_mask[N_ESZ][16];  /* all-ones in odd elements */
    alignas(16) uint8_t narrow[N_ESZ][16];    /* low half of each 2e lane -> low 8 bytes */
    alignas(16) uint8_t rev[4][N_ESZ][16];    /* [log2 container][log2 elem] */
    alignas(16) uint8_t nibble_mask[16];
    alignas(16) uint8_t popcnt_lut[16];
} VecTables;

static VecTables tables;

__attribute__((constructor)) static void build_tables(void)
{
    VecTables *t = &tables;
    memset(t, 0x80, sizeof(*t));
    for (int l = 0; l < N_ESZ; l++) {
        int e = 1 << l, half = 8 / e;
        for (int j = 0; j < half; j++) {
            for (int b = 0; b < e; b++) {
                t->even_lo[l][j * e + b] = (uint8_t)(2 * j * e + b);
                t->odd_lo[l][j * e + b] = (uint8_t)((2 * j + 1) * e + b);
                t->even_hi[l][8 + j * e + b] = (uint8_t)(2 * j * e + b);
                t->odd_hi[l][8 + j * e + b] = (uint8_t)((2 * j + 1) * e + b);
            }
        }
        for (int i = 0; i < 16; i++) {
            t->odd_mask[l][i] = ((i / e) & 1) ? 0xff : 0;
        }
        if (l < 3) {
            for (int j = 0; j < half; j++) {
                for (int b = 0; b < e; b++) {
                    t->narrow[l][j * e + b] = (uint8_t)(j * 2 * e + b);
                }
            }
        }
        for (int c = l + 1; c < N_ESZ; c++) {
            int cb = 1 << c;
            for (int i = 0; i < 16; i++) {
                int base = i / cb * cb, in_c = i % cb;
                int elt = in_c / e, byte = in_c % e;
                t->rev[c][l][i] = (uint8_t)(base + (cb / e - 1 - elt) * e + byte);
            }
        }
    }
    for (int i = 0; i < 16; i++) {
        t->nibble_mask[i] = 0x0f;
        t->popcnt_lut[i] = (uint8_t)__builtin_popcount((unsigned)i);
    }
}

/* rax = &tables; returns the memory operand of one 16-byte row. */
static X86Operand table_row(CodeBuf *cb, const uint8_t *row)
{
    x86_mov_addr(cb, X86_RAX, (uintptr_t)row);
    return x86_m(X86_RAX, 0);
}

/* ---- lanewise ops by element size ---------------------------------------- */

void vec_lane_op(CodeBuf *cb, LaneOp op, int l, int x, X86Operand rm)
{
    static const uint8_t add[4] = { 0xfc, 0xfd, 0xfe, 0xd4 };
    static const uint8_t sub[4] = { 0xf8, 0xf9, 0xfa, 0xfb };
    static const uint8_t eq[3] = { 0x74, 0x75, 0x76 };
    static const uint8_t gt[3] = { 0x64, 0x65, 0x66 };
    static const uint8_t lo[4] = { 0x60, 0x61, 0x62, 0x6c };
    static const uint8_t hi[4] = { 0x68, 0x69, 0x6a, 0x6d };
    switch (op) {
    case L_ADD: sse66(cb, add[l], x, rm); break;
    case L_SUB: sse66(cb, sub[l], x, rm); break;
    case L_CMEQ: if (l == 3) sse66_38(cb, 0x29, x, rm); else sse66(cb, eq[l], x, rm); break;
    case L_CMGT: if (l == 3) sse66_38(cb, 0x37, x, rm); else sse66(cb, gt[l], x, rm); break;
    case L_UMAX: if (l == 0) sse66(cb, 0xde, x, rm); else sse66_38(cb, l == 1 ? 0x3e : 0x3f, x, rm); break;
    case L_UMIN: if (l == 0) sse66(cb, 0xda, x, rm); else sse66_38(cb, l == 1 ? 0x3a : 0x3b, x, rm); break;
    case L_PUNPCKL: sse66(cb, lo[l], x, rm); break;
    case L_PUNPCKH: sse66(cb, hi[l], x, rm); break;
    case L_SMAX: if (l == 1) sse66(cb, 0xee, x, rm); else sse66_38(cb, l == 0 ? 0x3c : 0x3d, x, rm); break;
    case L_SMIN: if (l == 1) sse66(cb, 0xea, x, rm); else sse66_38(cb, l == 0 ? 0x38 : 0x39, x, rm); break;
    case L_MUL: if (l == 1) sse66(cb, 0xd5, x, rm); else sse66_38(cb, 0x40, x, rm); break;   /* 16, 32 */
    }
}

static void lane_op(CodeBuf *cb, LaneOp op, int l, int x, X86Operand rm) { vec_lane_op(cb, op, l, x, rm); }

static int lg(const IRInsn *in) { return in->mop & MO_SIZE; }
static bool q_of(const IRInsn *in) { return (in->aux & VA_Q) != 0; }

static void bitwise_not(CodeBuf *cb, int x)
{
    all_ones(cb, 15);
    pxor(cb, x, xr(15));
}

/* The m operand: V[m] in memory, or a zeroed xmm for the #0 forms. */
static X86Operand m_operand(CodeBuf *cb, const IRInsn *in, int scratch)
{
    if (in->aux & VA_ZERO_M) {
        pxor_rr(cb, scratch, scratch);
        return xr(scratch);
    }
    return vreg(va_m(in->aux));
}

static void load_m(CodeBuf *cb, const IRInsn *in, int x)
{
    if (in->aux & VA_ZERO_M) {
        pxor_rr(cb, x, x);
    } else {
        load_v(cb, x, va_m(in->aux), true);
    }
}

/* xmm x ^= sign bit of every 64-bit lane (unsigned -> signed order). */
static void bias64(CodeBuf *cb, int x)
{
    vec_load_const64(cb, 14, 1ull << 63);
    punpcklqdq(cb, 14, xr(14));
    pxor(cb, x, xr(14));
}

static void lower_compare(CodeBuf *cb, const IRInsn *in)
{
    int l = lg(in), n = va_n(in->aux);
    int out = 0;
    switch (in->op) {
    case IR_VCMEQ:
        load_v(cb, 0, n, true);
        lane_op(cb, L_CMEQ, l, 0, m_operand(cb, in, 1));
        break;
    case IR_VCMGT:
        load_v(cb, 0, n, true);
        lane_op(cb, L_CMGT, l, 0, m_operand(cb, in, 1));
        break;
    case IR_VCMGE:                              /* !(m > n) */
        load_m(cb, in, 0);
        lane_op(cb, L_CMGT, l, 0, vreg(n));
        bitwise_not(cb, 0);
        break;
    case IR_VCMHS:                              /* n >= m unsigned */
        if (l == 3) {
            load_v(cb, 0, n, true);
            load_m(cb, in, 1);
            bias64(cb, 0);
            bias64(cb, 1);
            lane_op(cb, L_CMGT, 3, 1, xr(0));
            bitwise_not(cb, 1);
            out = 1;
        } else {
            load_v(cb, 0, n, true);
            lane_op(cb, L_UMAX, l, 0, m_operand(cb, in, 1));
            lane_op(cb, L_CMEQ, l, 0, vreg(n));
        }
        break;
    case IR_VCMHI:                              /* n > m unsigned */
        if (l == 3) {
            load_v(cb, 0, n, true);
            load_m(cb, in, 1);
            bias64(cb, 0);
            bias64(cb, 1);
            lane_op(cb, L_CMGT, 3, 0, xr(1));
        } else {
            load_m(cb, in, 0);
            movaps_rr(cb, 1, 0);
            lane_op(cb, L_UMAX, l, 0, vreg(n));
            lane_op(cb, L_CMEQ, l, 0, xr(1));
            bitwise_not(cb, 0);
        }
        break;
    case IR_VCMTST:
        load_v(cb, 0, n, true);
        pand(cb, 0, vreg(va_m(in->aux)));
        pxor_rr(cb, 1, 1);
        lane_op(cb, L_CMEQ, l, 0, xr(1));
        bitwise_not(cb, 0);
        break;
    case IR_VCMLE0:                             /* !(n > 0) */
        load_v(cb, 0, n, true);
        pxor_rr(cb, 1, 1);
        lane_op(cb, L_CMGT, l, 0, xr(1));
        bitwise_not(cb, 0);
        break;
    default: /* IR_VCMLT0: 0 > n */
        pxor_rr(cb, 0, 0);
        lane_op(cb, L_CMGT, l, 0, vreg(n));
        break;
    }
    store_v(cb, va_d(in->aux), out, q_of(in));
}

static void lower_logic(CodeBuf *cb, const IRInsn *in)
{
    int d = va_d(in->aux), n = va_n(in->aux), m = va_m(in->aux);
    int out = 0;
    switch (in->op) {
    case IR_VAND: load_v(cb, 0, n, true); pand(cb, 0, vreg(m)); break;
    case IR_VORR: load_v(cb, 0, n, true); por(cb, 0, vreg(m)); break;
    case IR_VEOR: load_v(cb, 0, n, true); pxor(cb, 0, vreg(m)); break;
    case IR_VBIC: load_v(cb, 0, m, true); pandn(cb, 0, vreg(n)); break;
    case IR_VORN: load_v(cb, 0, m, true); bitwise_not(cb, 0); por(cb, 0, vreg(n)); break;
    case IR_VBSL:                               /* m ^ ((m ^ n) & d) */
        load_v(cb, 0, n, true);
        pxor(cb, 0, vreg(m));
        pand(cb, 0, vreg(d));
        pxor(cb, 0, vreg(m));
        break;
    case IR_VBIT:                               /* d ^ ((d ^ n) & m) */
        load_v(cb, 0, d, true);
        pxor(cb, 0, vreg(n));
        pand(cb, 0, vreg(m));
        pxor(cb, 0, vreg(d));
        break;
    default: /* IR_VBIF: d ^ ((d ^ n) & ~m) */
        load_v(cb, 0, d, true);
        pxor(cb, 0, vreg(n));
        load_v(cb, 1, m, true);
        pandn(cb, 1, xr(0));
        pxor(cb, 1, vreg(d));
        out = 1;
        break;
    }
    store_v(cb, d, out, q_of(in));
}

/* Even elements of (n, m) in xmm0, odd ones in xmm1 (the UZP halves). */
static void split_even_odd(CodeBuf *cb, const IRInsn *in)
{
    int l = lg(in), n = va_n(in->aux), m = va_m(in->aux);
    if (q_of(in)) {
        load_v(cb, 0, n, true);
        load_v(cb, 1, m, true);
        movaps_rr(cb, 2, 0);
        movaps_rr(cb, 3, 1);
        sse66_38(cb, 0x00, 0, table_row(cb, tables.even_lo[l]));
        sse66_38(cb, 0x00, 1, table_row(cb, tables.even_hi[l]));
        por(cb, 0, xr(1));
        sse66_38(cb, 0x00, 2, table_row(cb, tables.odd_lo[l]));
        sse66_38(cb, 0x00, 3, table_row(cb, tables.odd_hi[l]));
        por(cb, 2, xr(3));
        movaps_rr(cb, 1, 2);
    } else {
        load_v(cb, 0, n, false);
        punpcklqdq(cb, 0, vreg(m));
        movaps_rr(cb, 1, 0);
        sse66_38(cb, 0x00, 0, table_row(cb, tables.even_lo[l]));
        sse66_38(cb, 0x00, 1, table_row(cb, tables.odd_lo[l]));
    }
}

static void lower_pairwise(CodeBuf *cb, const IRInsn *in)
{
    int l = lg(in);
    split_even_odd(cb, in);
    int out = 0;
    switch (in->op) {
    case IR_VUMAXP: lane_op(cb, L_UMAX, l, 0, xr(1)); break;
    case IR_VUMINP: lane_op(cb, L_UMIN, l, 0, xr(1)); break;
    case IR_VSMAXP: lane_op(cb, L_SMAX, l, 0, xr(1)); break;
    case IR_VSMINP: lane_op(cb, L_SMIN, l, 0, xr(1)); break;
    case IR_VADDP:  lane_op(cb, L_ADD, l, 0, xr(1)); break;
    case IR_VUZP2:  out = 1; break;
    default: break;                             /* IR_VUZP1 */
    }
    store_v(cb, va_d(in->aux), out, q_of(in));
}

static void lower_permute(CodeBuf *cb, const IRInsn *in)
{
    int l = lg(in), e = 1 << l, n = va_n(in->aux), m = va_m(in->aux);
    bool q = q_of(in);
    switch (in->op) {
    case IR_VZIP1:
    case IR_VZIP2:
        load_v(cb, 0, n, q);
        if (q) {
            lane_op(cb, in->op == IR_VZIP1 ? L_PUNPCKL : L_PUNPCKH, l, 0, vreg(m));
        } else {
            load_v(cb, 1, m, false);
            lane_op(cb, L_PUNPCKL, l, 0, xr(1));
            if (in->op == IR_VZIP2) {
                psrldq(cb, 0, 8);
            }
        }
        break;
    case IR_VTRN1:                              /* n even | m even shifted up */
    case IR_VTRN2:                              /* n odd shifted down | m odd */
        load_v(cb, 0, n, true);
        load_v(cb, 1, m, true);
        if (in->op == IR_VTRN1) {
            pslldq(cb, 1, (uint8_t)e);
        } else {
            psrldq(cb, 0, (uint8_t)e);
        }
        x86_movdqu_load(cb, 2, table_row(cb, tables.odd_mask[l]));
        pand(cb, 1, xr(2));
        pandn(cb, 2, xr(0));
        por(cb, 1, xr(2));
        movaps_rr(cb, 0, 1);
        break;
    default: /* IR_VEXT */
        if (q) {
            load_v(cb, 0, m, true);
            sse66_3a(cb, 0x0f, 0, vreg(n), (uint8_t)in->imm);     /* palignr */
        } else {
            load_v(cb, 0, n, false);
            load_v(cb, 1, m, false);
            punpcklqdq(cb, 0, xr(1));
            psrldq(cb, 0, (uint8_t)in->imm);
        }
        break;
    }
    store_v(cb, va_d(in->aux), 0, q);
}

/* ---- unary, shifts, narrowing/widening -------------------------------- */

static const uint8_t shift_group[4] = { 0x71, 0x71, 0x72, 0x73 };   /* bytes use words */

/* Replicate a byte into a 128-bit mask in xmm x. */
static void byte_mask(CodeBuf *cb, int x, uint8_t b)
{
    vec_load_const64(cb, x, 0x0101010101010101ull * b);
    punpcklqdq(cb, x, xr(x));
}

static void lower_shift(CodeBuf *cb, const IRInsn *in)
{
    int l = lg(in), bits = 8 << l;
    unsigned sh = (unsigned)in->imm;
    load_v(cb, 0, va_n(in->aux), true);
    if (in->op == IR_VSHL) {
        sse_shift_imm(cb, shift_group[l], 6, 0, (uint8_t)sh);
        if (l == 0) {
            byte_mask(cb, 1, (uint8_t)(0xff << sh));
            pand(cb, 0, xr(1));
        }
    } else if (in->op == IR_VUSHR) {
        sse_shift_imm(cb, shift_group[l], 2, 0, (uint8_t)(sh >= (unsigned)bits ? 64 : sh));
        if (l == 0) {
            byte_mask(cb, 1, (uint8_t)(0xff >> sh));
            pand(cb, 0, xr(1));
        }
    } else if (l == 0) {                        /* SSHR bytes: odd and even bytes apart */
        movaps_rr(cb, 1, 0);
        sse_shift_imm(cb, 0x71, 6, 1, 8);
        sse_shift_imm(cb, 0x71, 4, 1, (uint8_t)(8 + sh > 15 ? 15 : 8 + sh));
        vec_load_const64(cb, 2, 0x00ff00ff00ff00ffull);
        punpcklqdq(cb, 2, xr(2));
        pand(cb, 1, xr(2));
        sse_shift_imm(cb, 0x71, 4, 0, (uint8_t)sh);
        vec_load_const64(cb, 2, 0xff00ff00ff00ff00ull);
        punpcklqdq(cb, 2, xr(2));
        pand(cb, 0, xr(2));
        por(cb, 0, xr(1));
    } else if (l < 3) {
        sse_shift_imm(cb, shift_group[l], 4, 0, (uint8_t)sh);
    } else {                                    /* SSHR 64-bit: sign mask fills in */
        pxor_rr(cb, 1, 1);
        sse66_38(cb, 0x37, 1, xr(0));           /* pcmpgtq: 0 > x */
        if (sh >= 64) {
            movaps_rr(cb, 0, 1);
        } else {
            psrlq(cb, 0, (uint8_t)sh);
            if (sh) {
                psllq(cb, 1, (uint8_t)(64 - sh));
                por(cb, 0, xr(1));
            }
        }
    }
    if (in->aux & VA_ROUND) {                   /* SRSHR/URSHR: + the last bit shifted out */
        static const uint64_t one[4] = { 0x0101010101010101ull, 0x0001000100010001ull,
                                         0x0000000100000001ull, 1 };
        load_v(cb, 3, va_n(in->aux), true);
        sse_shift_imm(cb, shift_group[l], 2, 3, (uint8_t)(sh - 1));
        vec_load_const64(cb, 4, one[l]);
        punpcklqdq(cb, 4, xr(4));
        pand(cb, 3, xr(4));
        lane_op(cb, L_ADD, l, 0, xr(3));
    }
    if (in->aux & VA_ACC) {                     /* SSRA / USRA */
        lane_op(cb, L_ADD, l, 0, vreg(va_d(in->aux)));
    }
    store_v(cb, va_d(in->aux), 0, q_of(in));
}

static void lower_narrow_widen(CodeBuf *cb, const IRInsn *in)
{
    int l = lg(in), d = va_d(in->aux), n = va_n(in->aux);
    bool high = (in->aux & VA_HIGH) != 0;
    if (in->op == IR_VSHRN || in->op == IR_VADDHN) {
        load_v(cb, 0, n, true);
        if (in->op == IR_VADDHN) {
            lane_op(cb, (in->aux & VA_NEG) ? L_SUB : L_ADD, l + 1, 0, vreg(va_m(in->aux)));
        }
        if ((in->aux & VA_ROUND) && in->imm) {  /* RSHRN, RADDHN: + 1 << (imm - 1), wrapping is harmless */
            uint64_t r = 1ull << (in->imm - 1);
            uint64_t pat = l == 0 ? r * 0x0001000100010001ull : l == 1 ? r * 0x0000000100000001ull : r;
            vec_load_const64(cb, 1, pat);
            punpcklqdq(cb, 1, xr(1));
            lane_op(cb, L_ADD, l + 1, 0, xr(1));
        }
        if (in->imm) {
            sse_shift_imm(cb, shift_group[l + 1], 2, 0, (uint8_t)in->imm);
        }
        sse66_38(cb, 0x00, 0, table_row(cb, tables.narrow[l]));
        if (high) {
            x86_movq_store(cb, vreg_at(d, 8), 0);
        } else {
            x86_movdqa_store(cb, vreg(d), 0);
        }
        return;
    }
    static const uint8_t zx[3] = { 0x30, 0x33, 0x35 }, sx[3] = { 0x20, 0x23, 0x25 };
    sse66_38(cb, in->op == IR_VUXTL ? zx[l] : sx[l], 0, vreg_at(n, high ? 8 : 0));
    if (in->imm) {
        sse_shift_imm(cb, shift_group[l + 1], 6, 0, (uint8_t)in->imm);
    }
    x86_movdqa_store(cb, vreg(d), 0);
}

static void lower_unary(CodeBuf *cb, const IRInsn *in)
{
    int l = lg(in), n = va_n(in->aux);
    int out = 0;
    switch (in->op) {
    case IR_VNOT:
        load_v(cb, 0, n, true);
        bitwise_not(cb, 0);
        break;
    case IR_VNEG:
        pxor_rr(cb, 0, 0);
        lane_op(cb, L_SUB, l, 0, vreg(n));
        break;
    case IR_VABS:
        if (l < 3) {
            static const uint8_t pabs[3] = { 0x1c, 0x1d, 0x1e };
            sse66_38(cb, pabs[l], 0, vreg(n));
        } else {                                /* (x ^ s) - s, s = x < 0 */
            load_v(cb, 0, n, true);
            pxor_rr(cb, 1, 1);
            sse66_38(cb, 0x37, 1, xr(0));
            pxor(cb, 0, xr(1));
            lane_op(cb, L_SUB, 3, 0, xr(1));
        }
        break;
    case IR_VCNT:
        load_v(cb, 0, n, true);
        movaps_rr(cb, 1, 0);
        sse_shift_imm(cb, 0x71, 2, 1, 4);
        x86_movdqu_load(cb, 2, table_row(cb, tables.nibble_mask));
        pand(cb, 0, xr(2));
        pand(cb, 1, xr(2));
        x86_movdqu_load(cb, 2, table_row(cb, tables.popcnt_lut));
        movaps_rr(cb, 3, 2);
        sse66_38(cb, 0x00, 2, xr(0));
        sse66_38(cb, 0x00, 3, xr(1));
        lane_op(cb, L_ADD, 0, 2, xr(3));
        out = 2;
        break;
    default: { /* IR_VREV: imm = container bytes */
        int c = __builtin_ctz((unsigned)in->imm);
        load_v(cb, 0, n, true);
        sse66_38(cb, 0x00, 0, table_row(cb, tables.rev[c][l]));
        break;
    }
    }
    store_v(cb, va_d(in->aux), out, q_of(in));
}

/* ---- across lanes -------------------------------------------------------- */

/* xmm0 = lane 0 of xmm0 (size bytes), zero-extended to 128 bits. */
static void keep_lane0(CodeBuf *cb, int size)
{
    if (size == 8) {
        movq_rr(cb, 0, 0);
        return;
    }
    x86_movd_store(cb, x86_r(X86_RAX), 0);
    if (size < 4) {
        x86_movzx(cb, 4, size, X86_RAX, x86_r(X86_RAX));
    }
    x86_movd_load(cb, 0, x86_r(X86_RAX));
}

/* Fold xmm0 down to lane 0 with a lanewise op, from `bytes` wide. */
static void fold(CodeBuf *cb, LaneOp op, int l, int bytes)
{
    for (int step = bytes / 2; step >= (1 << l); step /= 2) {
        movaps_rr(cb, 1, 0);
        psrldq(cb, 1, (uint8_t)step);
        lane_op(cb, op, l, 0, xr(1));
    }
}

static void lower_across(CodeBuf *cb, const IRInsn *in)
{
    int l = lg(in), n = va_n(in->aux);
    bool q = q_of(in);
    int bytes = q ? 16 : 8;
    int rsize = 1 << l;
    switch (in->op) {
    case IR_VUMAXV: load_v(cb, 0, n, q); fold(cb, L_UMAX, l, bytes); break;
    case IR_VUMINV: load_v(cb, 0, n, q); fold(cb, L_UMIN, l, bytes); break;
    case IR_VSMAXV: load_v(cb, 0, n, q); fold(cb, L_SMAX, l, bytes); break;
    case IR_VSMINV: load_v(cb, 0, n, q); fold(cb, L_SMIN, l, bytes); break;
    case IR_VADDV:
        load_v(cb, 0, n, q);
        if (l == 0) {
            pxor_rr(cb, 1, 1);
            sse66(cb, 0xf6, 0, xr(1));          /* psadbw: two 64-bit sums */
            fold(cb, L_ADD, 3, bytes);
        } else {
            fold(cb, L_ADD, l, bytes);
        }
        break;
    default: /* IR_VUADDLV; MO_SIGN: SADDLV */
        rsize = 2 << l;
        if (l == 0) {                           /* signed bytes: psadbw of x + 128, less 128 each */
            bool sgn = (in->mop & MO_SIGN) != 0;
            load_v(cb, 0, n, q);
            if (sgn) {
                byte_mask(cb, 1, 0x80);
                pxor(cb, 0, xr(1));
            }
            pxor_rr(cb, 1, 1);
            sse66(cb, 0xf6, 0, xr(1));
            fold(cb, L_ADD, 3, bytes);
            if (sgn) {
                vec_load_const64(cb, 1, (uint64_t)(128 * bytes));
                lane_op(cb, L_SUB, 3, 0, xr(1));
            }
        } else {
            static const uint8_t zx[3] = { 0x30, 0x33, 0x35 }, sx[3] = { 0x20, 0x23, 0x25 };
            const uint8_t *ext = (in->mop & MO_SIGN) ? sx : zx;
            sse66_38(cb, ext[l], 0, vreg(n));
            if (q) {
                sse66_38(cb, ext[l], 2, vreg_at(n, 8));
                lane_op(cb, L_ADD, l + 1, 0, xr(2));
            }
            fold(cb, L_ADD, l + 1, 16);
        }
        break;
    }
    keep_lane0(cb, rsize);
    x86_movdqa_store(cb, vreg(va_d(in->aux)), 0);
}

/* MUL and MLA/MLS: pmullw / pmulld (by element: m lane imm broadcast
 * first); bytes multiply the even and odd bytes as words. */
static void lower_mul(CodeBuf *cb, const IRInsn *in)
{
    int l = lg(in);
    X86Operand m = vreg(va_m(in->aux));
    if (in->aux & VA_ELEM) {
        vec_broadcast_elem(cb, 1, va_m(in->aux), l, (int)in->imm);
        m = xr(1);
    }
    load_v(cb, 0, va_n(in->aux), true);
    if (l == 1) {
        sse66(cb, 0xd5, 0, m);
    } else if (l == 2) {
        sse66_38(cb, 0x40, 0, m);
    } else {
        load_v(cb, 1, va_m(in->aux), true);
        movaps_rr(cb, 2, 0);
        movaps_rr(cb, 3, 1);
        sse66(cb, 0xd5, 0, xr(1));              /* even bytes in the low byte of each word */
        sse_shift_imm(cb, 0x71, 2, 2, 8);
        sse_shift_imm(cb, 0x71, 2, 3, 8);
        sse66(cb, 0xd5, 2, xr(3));              /* odd bytes */
        sse_shift_imm(cb, 0x71, 6, 2, 8);
        vec_load_const64(cb, 4, 0x00ff00ff00ff00ffull);
        punpcklqdq(cb, 4, xr(4));
        pand(cb, 0, xr(4));
        por(cb, 0, xr(2));
    }
    int out = 0;
    if (in->op == IR_VMLA) {
        if (in->aux & VA_NEG) {
            load_v(cb, 1, va_d(in->aux), true);
            lane_op(cb, L_SUB, l, 1, xr(0));
            out = 1;
        } else {
            lane_op(cb, L_ADD, l, 0, vreg(va_d(in->aux)));
        }
    }
    store_v(cb, va_d(in->aux), out, q_of(in));
}

bool lower_vec_arith(const VecOp *v)
{
    CodeBuf *cb = v->cb;
    const IRInsn *in = v->in;
    switch (in->op) {
    case IR_VADD: case IR_VSUB: case IR_VUMAX: case IR_VUMIN: case IR_VSMAX: case IR_VSMIN: {
        LaneOp op = in->op == IR_VADD ? L_ADD : in->op == IR_VSUB ? L_SUB :
                    in->op == IR_VUMAX ? L_UMAX : in->op == IR_VUMIN ? L_UMIN :
                    in->op == IR_VSMAX ? L_SMAX : L_SMIN;
        load_v(cb, 0, va_n(in->aux), true);
        lane_op(cb, op, lg(in), 0, vreg(va_m(in->aux)));
        store_v(cb, va_d(in->aux), 0, q_of(in));
        return true;
    }
    case IR_VMUL: case IR_VMLA:
        lower_mul(cb, in);
        return true;
    case IR_VAND: case IR_VORR: case IR_VEOR: case IR_VBIC: case IR_VORN:
    case IR_VBSL: case IR_VBIT: case IR_VBIF:
        lower_logic(cb, in);
        return true;
    case IR_VCMEQ: case IR_VCMGT: case IR_VCMGE: case IR_VCMHI: case IR_VCMHS:
    case IR_VCMTST: case IR_VCMLE0: case IR_VCMLT0:
        lower_compare(cb, in);
        return true;
    case IR_VUMAXP: case IR_VUMINP: case IR_VSMAXP: case IR_VSMINP: case IR_VADDP:
    case IR_VUZP1: case IR_VUZP2:
        lower_pairwise(cb, in);
        return true;
    case IR_VZIP1: case IR_VZIP2: case IR_VTRN1: case IR_VTRN2: case IR_VEXT:
        lower_permute(cb, in);
        return true;
    case IR_VSHL: case IR_VUSHR: case IR_VSSHR:
        lower_shift(cb, in);
        return true;
    case IR_VSHRN: case IR_VADDHN: case IR_VUXTL: case IR_VSXTL:
        lower_narrow_widen(cb, in);
        return true;
    case IR_VNOT: case IR_VNEG: case IR_VABS: case IR_VCNT: case IR_VREV:
        lower_unary(cb, in);
        return true;
    case IR_VUMAXV: case IR_VUMINV: case IR_VSMAXV: case IR_VSMINV: case IR_VADDV: case IR_VUADDLV:
        lower_across(cb, in);
        return true;
    default:
        return false;
    }
}
