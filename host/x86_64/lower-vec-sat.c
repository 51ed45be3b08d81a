/*
 * Lowering of the saturating integer AdvSIMD ops that need more than one
 * x86 saturating instruction: SQADD/UQADD/SQSUB/UQSUB on 32- and 64-bit
 * lanes, the saturating narrows SQXTN/UQXTN/SQXTUN(2) and shift-right
 * narrows SQ[R]SHRN/UQ[R]SHRN/SQ[R]SHRUN(2), SQDMULH/SQRDMULH on 16- and 32-bit lanes and SQDMULL/SQDMLAL/
 * SQDMLSL(2) from them (vector and by element), SQABS/SQNEG, and the
 * saturating shifts left by immediate SQSHL/UQSHL/SQSHLU.  Each
 * computes which lanes saturated and ORs FPSR.QC when any did (a test and
 * a jcc: these ops change EFLAGS).
 */
#include "host/x86_64/lower-vec.h"
#include "target/aarch64/fp-arm.h"

static int lg_of(const IRInsn *in) { return in->mop & MO_SIZE; }
static bool is_signed(const IRInsn *in) { return (in->mop & MO_SIGN) != 0; }
static bool q_of(const IRInsn *in) { return (in->aux & VA_Q) != 0; }

/* xmm x = a lane pattern of log2 size l in every lane. */
static void splat_lanes(CodeBuf *cb, int x, int l, uint64_t v)
{
    static const uint64_t mul[3] = { 0x0101010101010101ull, 0x0001000100010001ull,
                                     0x0000000100000001ull };
    uint64_t pat = l == 3 ? v : (v & ((1ull << (8 << l)) - 1)) * mul[l];
    vec_load_const64(cb, x, pat);
    punpcklqdq(cb, x, xr(x));
}

/* FPSR.QC |= (some byte of xmm x is non-zero). */
static void qc_if_any(CodeBuf *cb, int x)
{
    x86_sse(cb, 0x66, X86_MAP_0F, 0xd7, X86_RAX, xr(x), false);     /* pmovmskb eax */
    x86_test(cb, 4, x86_r(X86_RAX), x86_r(X86_RAX));
    uint8_t *none = x86_jcc8(cb, X86_CC_E);
    x86_alu(cb, X86_OR, 4, x86_m(X86_R15, ENV_OFF(fpsr)), x86_i(FPSR_QC));
    x86_bind_rel8(cb, none);
}

/* FPSR.QC |= (some byte of xmm x is zero): x is a lanewise "equal" mask. */
static void qc_unless_all_equal(CodeBuf *cb, int x)
{
    x86_sse(cb, 0x66, X86_MAP_0F, 0xd7, X86_RAX, xr(x), false);
    x86_alu(cb, X86_CMP, 4, x86_r(X86_RAX), x86_i(0xffff));
    uint8_t *same = x86_jcc8(cb, X86_CC_E);
    x86_alu(cb, X86_OR, 4, x86_m(X86_R15, ENV_OFF(fpsr)), x86_i(FPSR_QC));
    x86_bind_rel8(cb, same);
}

/* xmm dst = all-ones in the lanes of xmm src that are negative (l 2, 3). */
static void sign_mask(CodeBuf *cb, int l, int dst, int src)
{
    if (l == 2) {
        movaps_rr(cb, dst, src);
        sse_shift_imm(cb, 0x72, 4, dst, 31);    /* psrad */
    } else {
        pxor_rr(cb, dst, dst);
        vec_lane_op(cb, L_CMGT, 3, dst, xr(src));   /* pcmpgtq: 0 > src */
    }
}

/* SQADD/UQADD/SQSUB/UQSUB, 32- and 64-bit lanes: the wrapping result in
 * xmm2, a mask of the lanes that overflowed in xmm3, the bound blended in. */
/* xmm2 = xmm0 +- xmm1 saturated signed (lanes of log2 size l, 2 or 3).
 * Overflow: sign of (a^r)&(b^r), or (a^b)&(a^r) for a subtraction. */
static void signed_sat_addsub(CodeBuf *cb, int l, bool sub)
{
    movaps_rr(cb, 2, 0);
    vec_lane_op(cb, sub ? L_SUB : L_ADD, l, 2, xr(1));
    movaps_rr(cb, 3, 0);
    pxor(cb, 3, xr(sub ? 1 : 2));
    movaps_rr(cb, 4, sub ? 0 : 1);
    pxor(cb, 4, xr(2));
    pand(cb, 3, xr(4));
    sign_mask(cb, l, 5, 3);
    sign_mask(cb, l, 4, 0);                     /* bound: a < 0 ? MIN : MAX */
    splat_lanes(cb, 3, l, l == 2 ? 0x7fffffffull : 0x7fffffffffffffffull);
    pxor(cb, 4, xr(3));
    qc_if_any(cb, 5);
    pxor(cb, 4, xr(2));
    pand(cb, 4, xr(5));
    pxor(cb, 2, xr(4));
}

static void lower_qaddsub_wide(CodeBuf *cb, const IRInsn *in)
{
    int l = lg_of(in), out = 2;
    bool sub = in->op == IR_VQSUB, q = q_of(in);
    load_v(cb, 0, va_n(in->aux), q);            /* 64-bit vectors: the upper half cannot saturate */
    load_v(cb, 1, va_m(in->aux), q);
    if (is_signed(in)) {
        signed_sat_addsub(cb, l, sub);
    } else {
        movaps_rr(cb, 2, 0);
        vec_lane_op(cb, sub ? L_SUB : L_ADD, l, 2, xr(1));                                    /* carry: a >u r; borrow: b >u a */
        splat_lanes(cb, 5, l, 1ull << ((8 << l) - 1));
        movaps_rr(cb, 3, sub ? 1 : 0);
        pxor(cb, 3, xr(5));
        movaps_rr(cb, 4, sub ? 0 : 2);
        pxor(cb, 4, xr(5));
        vec_lane_op(cb, L_CMGT, l, 3, xr(4));
        qc_if_any(cb, 3);
        if (sub) {
            pandn(cb, 3, xr(2));                /* 0 where it borrowed */
            out = 3;
        } else {
            por(cb, 2, xr(3));                  /* all-ones where it carried */
        }
    }
    store_v(cb, va_d(in->aux), out, q);
}

/* xmm0 (lanes of log2 size l + 1) saturated to l-sized lanes in V[d]
 * (VA_HIGH: its upper half), FPSR.QC if any lane saturated.  x86's packs
 * saturate signed input to signed (packss) or unsigned (packus) lanes;
 * unsigned input is first clamped with pminu.  A lane saturated iff
 * extending it back differs from the input, `wide` (V[n] in memory, or
 * xmm0 itself: then kept in xmm4). */
static void narrow_saturate(CodeBuf *cb, const IRInsn *in, bool sgn, bool signed_out, X86Operand wide)
{
    static const uint8_t sx[2] = { 0x20, 0x23 }, zx[2] = { 0x30, 0x33 };   /* pmovsx/zx bw, wd */
    int l = lg_of(in);
    if (wide.kind == X86_OP_REG) {
        movaps_rr(cb, 4, wide.reg);
        wide = xr(4);
    }
    if (!sgn) {
        splat_lanes(cb, 1, l + 1, l == 0 ? 0xff : 0xffff);
        vec_lane_op(cb, L_UMIN, l + 1, 0, xr(1));
    }
    if (signed_out) {
        sse66(cb, l == 0 ? 0x63 : 0x6b, 0, xr(0));      /* packsswb / packssdw */
    } else if (l == 0) {
        sse66(cb, 0x67, 0, xr(0));                      /* packuswb */
    } else {
        sse66_38(cb, 0x2b, 0, xr(0));                   /* packusdw */
    }
    sse66_38(cb, signed_out ? sx[l] : zx[l], 1, xr(0));
    vec_lane_op(cb, L_CMEQ, l + 1, 1, wide);
    qc_unless_all_equal(cb, 1);
}

/* The same from 64-bit lanes: compare with the bounds (pcmpgtq), clamp,
 * keep the low dwords. */
static void narrow_saturate64(CodeBuf *cb, bool sgn, bool signed_out)
{
    if (!sgn) {                                 /* x >u 0xffffffff: biased signed compare */
        splat_lanes(cb, 1, 3, 1ull << 63);
        pxor(cb, 1, xr(0));
        splat_lanes(cb, 2, 3, 0x80000000ffffffffull);
        vec_lane_op(cb, L_CMGT, 3, 1, xr(2));
        por(cb, 0, xr(1));
        qc_if_any(cb, 1);
    } else {
        uint64_t hi = signed_out ? 0x7fffffffull : 0xffffffffull;
        uint64_t lo = signed_out ? 0xffffffff80000000ull : 0;
        splat_lanes(cb, 2, 3, hi);
        movaps_rr(cb, 1, 0);
        vec_lane_op(cb, L_CMGT, 3, 1, xr(2));   /* x > hi */
        splat_lanes(cb, 3, 3, lo);
        movaps_rr(cb, 5, 3);
        vec_lane_op(cb, L_CMGT, 3, 5, xr(0));   /* lo > x */
        pxor(cb, 2, xr(0));                     /* x ^= (x ^ bound) & mask, both bounds */
        pand(cb, 2, xr(1));
        pxor(cb, 0, xr(2));
        pxor(cb, 3, xr(0));
        pand(cb, 3, xr(5));
        pxor(cb, 0, xr(3));
        por(cb, 1, xr(5));
        qc_if_any(cb, 1);
    }
    x86_sse_imm(cb, 0x66, X86_MAP_0F, 0x70, 0, xr(0), false, 0x08);   /* pshufd: dwords 0, 2 low */
}

static void store_narrow(CodeBuf *cb, const IRInsn *in)
{
    int d = va_d(in->aux);
    if (in->aux & VA_HIGH) {
        x86_movq_store(cb, vreg_at(d, 8), 0);
    } else {
        store_v(cb, d, 0, false);
    }
}

/* SQXTN/UQXTN/SQXTUN (2). */
static void lower_qxtn(CodeBuf *cb, const IRInsn *in)
{
    bool sgn = is_signed(in), signed_out = sgn && in->imm == 0;
    load_v(cb, 0, va_n(in->aux), true);
    if (lg_of(in) == 2) {
        narrow_saturate64(cb, sgn, signed_out);
    } else {
        narrow_saturate(cb, in, sgn, signed_out, vreg(va_n(in->aux)));
    }
    store_narrow(cb, in);
}

/* SQSHRN/UQSHRN/SQSHRUN and the rounding forms (2): shift the wide lanes
 * (64-bit arithmetic: through the sign mask; rounding: + the last bit
 * shifted out, which cannot overflow after the shift), then saturate as
 * SQXTN. */
static void lower_qshrn(CodeBuf *cb, const IRInsn *in)
{
    static const uint8_t group[3] = { 0x71, 0x72, 0x73 };
    int l = lg_of(in), n = va_n(in->aux);
    uint8_t sh = (uint8_t)in->imm;
    bool sgn = is_signed(in), signed_out = sgn && in->imm2 == 0;
    load_v(cb, 0, n, true);
    if (l == 2 && sgn) {                        /* s ^ ((x ^ s) >> sh) */
        sign_mask(cb, 3, 1, 0);
        pxor(cb, 0, xr(1));
        psrlq(cb, 0, sh);
        pxor(cb, 0, xr(1));
    } else {
        sse_shift_imm(cb, group[l], sgn ? 4 : 2, 0, sh);
    }
    if (in->aux & VA_ROUND) {
        load_v(cb, 1, n, true);
        sse_shift_imm(cb, group[l], 2, 1, (uint8_t)(sh - 1));
        splat_lanes(cb, 2, l + 1, 1);
        pand(cb, 1, xr(2));
        vec_lane_op(cb, L_ADD, l + 1, 0, xr(1));
    }
    if (l == 2) {
        narrow_saturate64(cb, sgn, signed_out);
    } else {
        narrow_saturate(cb, in, sgn, signed_out, xr(0));
    }
    store_narrow(cb, in);
}

/* SQDMULH/SQRDMULH: the high half of 2*n*m (+ rounding).  Only
 * n = m = MIN saturates, and only it gives MIN (0x8000...) from the x86
 * sequences: those lanes become MAX. */
static void lower_qdmulh(CodeBuf *cb, const IRInsn *in)
{
    int l = lg_of(in), m = va_m(in->aux);
    bool round = (in->aux & VA_ROUND) != 0, q = q_of(in);
    X86Operand mo = vreg(m);
    if (in->aux & VA_ELEM) {
        vec_broadcast_elem(cb, 5, m, l, (int)in->imm);
        mo = xr(5);
    }
    load_v(cb, 0, va_n(in->aux), q);            /* 64-bit vectors: zero upper lanes, no false QC */
    if (l == 1 && round) {
        sse66_38(cb, 0x0b, 0, mo);              /* pmulhrsw: (n*m + 0x4000) >> 15 */
    } else if (l == 1) {
        movaps_rr(cb, 1, 0);
        sse66(cb, 0xe5, 0, mo);                 /* pmulhw */
        sse66(cb, 0xd5, 1, mo);                 /* pmullw */
        sse_shift_imm(cb, 0x71, 6, 0, 1);
        sse_shift_imm(cb, 0x71, 2, 1, 15);
        por(cb, 0, xr(1));
    } else {                                    /* dwords: 64-bit products of even, odd lanes */
        if (mo.kind == X86_OP_REG) {
            movaps_rr(cb, 1, 5);
        } else {
            x86_movdqa_load(cb, 1, mo);
        }
        movaps_rr(cb, 2, 0);
        movaps_rr(cb, 3, 1);
        psrlq(cb, 2, 32);
        psrlq(cb, 3, 32);
        sse66_38(cb, 0x28, 0, xr(1));           /* pmuldq */
        sse66_38(cb, 0x28, 2, xr(3));
        if (round) {
            splat_lanes(cb, 4, 3, 1ull << 30);
            vec_lane_op(cb, L_ADD, 3, 0, xr(4));
            vec_lane_op(cb, L_ADD, 3, 2, xr(4));
        }
        psllq(cb, 0, 1);
        psllq(cb, 2, 1);
        psrlq(cb, 0, 32);
        sse66_3a(cb, 0x0e, 0, xr(2), 0xcc);     /* pblendw: odd results from the high dwords */
    }
    splat_lanes(cb, 1, l, 1ull << ((8 << l) - 1));
    vec_lane_op(cb, L_CMEQ, l, 1, xr(0));
    pxor(cb, 0, xr(1));
    qc_if_any(cb, 1);
    store_v(cb, va_d(in->aux), 0, q);
}

/* SQDMULL/SQDMLAL/SQDMLSL (2), vector and by element: the exact products
 * of the (upper with VA_HIGH) halves, doubled; only MIN * MIN overflows
 * and gives MIN, which becomes MAX.  The accumulating forms then add or
 * subtract with signed saturation. */
static void lower_qdmull(CodeBuf *cb, const IRInsn *in)
{
    int l = lg_of(in), d = va_d(in->aux), half = (in->aux & VA_HIGH) ? 8 : 0;
    X86Operand mh = vreg_at(va_m(in->aux), half);
    if (in->aux & VA_ELEM) {
        vec_broadcast_elem(cb, 2, va_m(in->aux), l, (int)in->imm);
        mh = xr(2);
    }
    if (l == 1) {                               /* low and high halves of the word products */
        x86_movq_load(cb, 0, vreg_at(va_n(in->aux), half));
        if (mh.kind == X86_OP_REG) {
            movaps_rr(cb, 1, 2);
        } else {
            x86_movq_load(cb, 1, mh);
        }
        movaps_rr(cb, 3, 0);
        sse66(cb, 0xd5, 0, xr(1));              /* pmullw */
        sse66(cb, 0xe5, 3, xr(1));              /* pmulhw */
        sse66(cb, 0x61, 0, xr(3));              /* punpcklwd */
    } else {                                    /* dwords into qwords, pmuldq */
        sse66_38(cb, 0x35, 0, vreg_at(va_n(in->aux), half));   /* pmovzxdq */
        sse66_38(cb, 0x35, 1, mh);
        sse66_38(cb, 0x28, 0, xr(1));           /* pmuldq */
    }
    vec_lane_op(cb, L_ADD, l + 1, 0, xr(0));
    splat_lanes(cb, 1, l + 1, 1ull << ((16 << l) - 1));
    vec_lane_op(cb, L_CMEQ, l + 1, 1, xr(0));
    pxor(cb, 0, xr(1));
    qc_if_any(cb, 1);
    int out = 0;
    if (in->aux & VA_ACC) {
        movaps_rr(cb, 1, 0);
        x86_movdqa_load(cb, 0, vreg(d));
        signed_sat_addsub(cb, l + 1, (in->aux & VA_NEG) != 0);
        out = 2;
    }
    x86_movdqa_store(cb, vreg(d), out);
}

/* SQABS/SQNEG: |n| or -n wraps only for MIN, giving MIN: it becomes MAX. */
static void lower_qabs(CodeBuf *cb, const IRInsn *in)
{
    int l = lg_of(in);
    bool q = q_of(in);
    load_v(cb, 0, va_n(in->aux), q);            /* 64-bit vectors: zero upper lanes, no false QC */
    if (in->aux & VA_NEG) {
        movaps_rr(cb, 1, 0);
        pxor_rr(cb, 0, 0);
        vec_lane_op(cb, L_SUB, l, 0, xr(1));
    } else if (l < 3) {
        static const uint8_t pabs[3] = { 0x1c, 0x1d, 0x1e };
        sse66_38(cb, pabs[l], 0, xr(0));
    } else {                                    /* (x ^ s) - s, s = x < 0 */
        sign_mask(cb, 3, 1, 0);
        pxor(cb, 0, xr(1));
        vec_lane_op(cb, L_SUB, 3, 0, xr(1));
    }
    splat_lanes(cb, 1, l, 1ull << ((8 << l) - 1));
    vec_lane_op(cb, L_CMEQ, l, 1, xr(0));
    pxor(cb, 0, xr(1));
    qc_if_any(cb, 1);
    store_v(cb, va_d(in->aux), 0, q);
}

/* xmm x ^= (xmm x ^ xmm bound) & xmm mask: bound where mask is set. */
static void blend_bound(CodeBuf *cb, int x, int bound, int mask)
{
    pxor(cb, bound, xr(x));
    pand(cb, bound, xr(mask));
    pxor(cb, x, xr(bound));
}

/* SQSHL/UQSHL/SQSHLU #sh: n << sh in xmm1 (bytes shift as words, masked);
 * the lanes past the bound that survives the shift take MAX/MIN/all-ones/0. */
static void lower_qshli(CodeBuf *cb, const IRInsn *in)
{
    static const uint8_t group[4] = { 0x71, 0x71, 0x72, 0x73 };
    int l = lg_of(in), bits = 8 << l, sh = (int)in->imm;
    uint64_t ones = l == 3 ? ~0ull : (1ull << bits) - 1, smax = ones >> 1;
    bool q = q_of(in), sgn = is_signed(in), unsigned_out = !sgn || in->imm2;
    load_v(cb, 0, va_n(in->aux), q);
    movaps_rr(cb, 1, 0);
    if (sh) {
        sse_shift_imm(cb, group[l], 6, 1, (uint8_t)sh);
        if (l == 0) {
            splat_lanes(cb, 2, 0, (0xff << sh) & 0xff);
            pand(cb, 1, xr(2));
        }
    }
    if (!sgn) {                                 /* x >u ones >> sh */
        if (l < 3) {
            splat_lanes(cb, 2, l, ones >> sh);
            vec_lane_op(cb, L_UMIN, l, 2, xr(0));
            vec_lane_op(cb, L_CMEQ, l, 2, xr(0));
            all_ones(cb, 3);
            pxor(cb, 2, xr(3));
        } else {
            splat_lanes(cb, 3, 3, 1ull << 63);
            movaps_rr(cb, 2, 0);
            pxor(cb, 2, xr(3));
            splat_lanes(cb, 4, 3, (ones >> sh) ^ (1ull << 63));
            vec_lane_op(cb, L_CMGT, 3, 2, xr(4));
        }
        por(cb, 1, xr(2));
    } else if (unsigned_out) {                  /* SQSHLU: x < 0 -> 0, x > ones >> sh -> all-ones */
        splat_lanes(cb, 3, l, sh ? ones >> sh : smax);
        movaps_rr(cb, 2, 0);
        vec_lane_op(cb, L_CMGT, l, 2, xr(3));
        por(cb, 1, xr(2));
        pxor_rr(cb, 4, 4);
        vec_lane_op(cb, L_CMGT, l, 4, xr(0));
        por(cb, 2, xr(4));
        pandn(cb, 4, xr(1));
        movaps_rr(cb, 1, 4);
    } else {                                    /* x > MAX >> sh -> MAX, x < MIN >> sh -> MIN */
        splat_lanes(cb, 3, l, smax >> sh);
        movaps_rr(cb, 2, 0);
        vec_lane_op(cb, L_CMGT, l, 2, xr(3));
        splat_lanes(cb, 4, l, ~(smax >> sh));
        vec_lane_op(cb, L_CMGT, l, 4, xr(0));
        splat_lanes(cb, 3, l, smax);
        movaps_rr(cb, 5, 3);
        blend_bound(cb, 1, 3, 2);
        all_ones(cb, 3);
        pxor(cb, 5, xr(3));                     /* MIN */
        blend_bound(cb, 1, 5, 4);
        por(cb, 2, xr(4));
    }
    qc_if_any(cb, 2);
    store_v(cb, va_d(in->aux), 1, q);
}

bool lower_vec_sat(const VecOp *v)
{
    const IRInsn *in = v->in;
    switch (in->op) {
    case IR_VQADD: case IR_VQSUB:
        if (lg_of(in) < 2) {
            return false;                       /* lower-vec-wide.c */
        }
        lower_qaddsub_wide(v->cb, in);
        return true;
    case IR_VQXTN: lower_qxtn(v->cb, in); return true;
    case IR_VQSHRN: lower_qshrn(v->cb, in); return true;
    case IR_VQDMULH: lower_qdmulh(v->cb, in); return true;
    case IR_VQDMULL: lower_qdmull(v->cb, in); return true;
    case IR_VQABS: lower_qabs(v->cb, in); return true;
    case IR_VQSHLI: lower_qshli(v->cb, in); return true;
    default: return false;
    }
}
