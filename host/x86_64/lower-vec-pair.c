/*
 * Lowering of the integer AdvSIMD ops that combine lanes without
 * saturating: pairwise long adds (SADDLP/UADDLP/SADALP/UADALP),
 * absolute differences (SABD/UABD/SABA/UABA and the long forms
 * SABDL/UABDL/SABAL/UABAL), halving adds and subtracts (SHADD/UHADD/
 * SRHADD/URHADD, SHSUB/UHSUB)
 * and the 4-byte dot products SDOT/UDOT.
 * SSE4.1 throughout (pmaxud, pmovzx), no constants beyond one byte splat.
 */
#include "host/x86_64/lower-vec.h"

static int lg_of(const IRInsn *in) { return in->mop & MO_SIZE; }
static bool is_signed(const IRInsn *in) { return (in->mop & MO_SIGN) != 0; }
static bool q_of(const IRInsn *in) { return (in->aux & VA_Q) != 0; }

/* xmm x = byte b in every byte. */
static void splat_byte(CodeBuf *cb, int x, uint8_t b)
{
    vec_load_const64(cb, x, 0x0101010101010101ull * b);
    punpcklqdq(cb, x, xr(x));
}

/* Pairwise long add: even lanes of n extended into xmm0, odd ones into
 * xmm1 (each in 2e-wide lanes), then added; ADALP adds d. */
static void lower_addlp(CodeBuf *cb, const IRInsn *in)
{
    int l = lg_of(in), d = va_d(in->aux);
    bool sgn = is_signed(in), q = q_of(in);
    load_v(cb, 0, va_n(in->aux), q);
    movaps_rr(cb, 1, 0);
    if (l < 2) {                                /* words / dwords: shift the halves apart */
        uint8_t group = l == 0 ? 0x71 : 0x72, bits = (uint8_t)(8 << l);
        int right = sgn ? 4 : 2;                /* psra / psrl */
        sse_shift_imm(cb, group, 6, 0, bits);   /* even lane to the top ... */
        sse_shift_imm(cb, group, right, 0, bits);   /* ... and back, extended */
        sse_shift_imm(cb, group, right, 1, bits);   /* odd lane down, extended */
    } else if (!sgn) {
        psllq(cb, 0, 32);
        psrlq(cb, 0, 32);
        psrlq(cb, 1, 32);
    } else {                                    /* no psraq: pmovsxdq the gathered halves */
        x86_sse_imm(cb, 0x66, X86_MAP_0F, 0x70, 1, xr(0), false, 0xd8);   /* pshufd: 0 2 1 3 */
        sse66_38(cb, 0x25, 0, xr(1));           /* pmovsxdq: lanes 0, 2 */
        psrldq(cb, 1, 8);
        sse66_38(cb, 0x25, 1, xr(1));           /* lanes 1, 3 */
    }
    vec_lane_op(cb, L_ADD, l + 1, 0, xr(1));
    if (in->aux & VA_ACC) {
        vec_lane_op(cb, L_ADD, l + 1, 0, vreg(d));
    }
    store_v(cb, d, 0, q);
}

/* xmm0 = |xmm0 - m| lanewise: max - min, which fits the lane unsigned. */
static void abs_diff(CodeBuf *cb, int l, bool sgn, X86Operand m)
{
    movaps_rr(cb, 1, 0);
    vec_lane_op(cb, sgn ? L_SMAX : L_UMAX, l, 0, m);
    vec_lane_op(cb, sgn ? L_SMIN : L_UMIN, l, 1, m);
    vec_lane_op(cb, L_SUB, l, 0, xr(1));
}

static void lower_abd(CodeBuf *cb, const IRInsn *in)
{
    int l = lg_of(in), d = va_d(in->aux);
    load_v(cb, 0, va_n(in->aux), true);
    abs_diff(cb, l, is_signed(in), vreg(va_m(in->aux)));
    if (in->aux & VA_ACC) {
        vec_lane_op(cb, L_ADD, l, 0, vreg(d));
    }
    store_v(cb, d, 0, q_of(in));
}

/* The long forms: the difference of e-bit lanes fits e bits unsigned, so
 * it is taken at e and zero-extended. */
static void lower_abdl(CodeBuf *cb, const IRInsn *in)
{
    static const uint8_t zx[3] = { 0x30, 0x33, 0x35 };     /* pmovzxbw / wd / dq */
    int l = lg_of(in), d = va_d(in->aux), half = (in->aux & VA_HIGH) ? 8 : 0;
    x86_movq_load(cb, 0, vreg_at(va_n(in->aux), half));
    x86_movq_load(cb, 2, vreg_at(va_m(in->aux), half));
    abs_diff(cb, l, is_signed(in), xr(2));
    sse66_38(cb, zx[l], 0, xr(0));
    if (in->aux & VA_ACC) {
        vec_lane_op(cb, L_ADD, l + 1, 0, vreg(d));
    }
    x86_movdqa_store(cb, vreg(d), 0);
}

/* Halving subtracts: (a - b) >> 1 exactly.  Bytes: pavgb(a, ~b) is
 * ((a - b) >> 1) + 128 (signed lanes biased by 0x80 first); wider lanes:
 * ((a ^ b) >> 1) - (~a & b), the shift arithmetic for signed lanes. */
static void lower_hsub(CodeBuf *cb, const IRInsn *in)
{
    int l = lg_of(in), n = va_n(in->aux), m = va_m(in->aux);
    bool sgn = is_signed(in);
    if (l == 0) {
        load_v(cb, 0, n, true);
        load_v(cb, 1, m, true);
        splat_byte(cb, 3, 0x80);
        if (sgn) {
            pxor(cb, 0, xr(3));
            pxor(cb, 1, xr(3));
        }
        all_ones(cb, 2);
        pxor(cb, 1, xr(2));
        sse66(cb, 0xe0, 0, xr(1));              /* pavgb */
        pxor(cb, 0, xr(3));
        store_v(cb, va_d(in->aux), 0, q_of(in));
        return;
    }
    load_v(cb, 1, n, true);
    movaps_rr(cb, 0, 1);
    pxor(cb, 1, vreg(m));
    sse_shift_imm(cb, l == 1 ? 0x71 : 0x72, sgn ? 4 : 2, 1, 1);
    pandn(cb, 0, vreg(m));
    vec_lane_op(cb, L_SUB, l, 1, xr(0));
    store_v(cb, va_d(in->aux), 1, q_of(in));
}

/* Halving adds.  Bytes: pavgb ((a + b + 1) >> 1, unsigned) minus
 * (a ^ b) & 1 when not rounding; signed lanes biased by 0x80 around it.
 * Wider lanes: (a & b) + ((a ^ b) >> 1), rounding (a | b) - ((a ^ b) >> 1),
 * with an arithmetic shift for signed lanes. */
static void lower_hadd(CodeBuf *cb, const IRInsn *in)
{
    int l = lg_of(in), d = va_d(in->aux), n = va_n(in->aux), m = va_m(in->aux);
    bool sgn = is_signed(in), round = (in->aux & VA_ROUND) != 0;
    if (in->aux & VA_NEG) {
        lower_hsub(cb, in);
        return;
    }
    if (l == 0) {
        load_v(cb, 0, n, true);
        load_v(cb, 1, m, true);
        if (sgn) {
            splat_byte(cb, 3, 0x80);
            pxor(cb, 0, xr(3));
            pxor(cb, 1, xr(3));
        }
        if (!round) {
            movaps_rr(cb, 2, 0);
            pxor(cb, 2, xr(1));
        }
        sse66(cb, 0xe0, 0, xr(1));              /* pavgb */
        if (!round) {
            splat_byte(cb, 1, 0x01);
            pand(cb, 2, xr(1));
            vec_lane_op(cb, L_SUB, 0, 0, xr(2));
        }
        if (sgn) {
            pxor(cb, 0, xr(3));
        }
    } else {
        uint8_t group = l == 1 ? 0x71 : 0x72;
        load_v(cb, 0, n, true);
        movaps_rr(cb, 1, 0);
        pxor(cb, 1, vreg(m));
        sse_shift_imm(cb, group, sgn ? 4 : 2, 1, 1);
        if (round) {
            por(cb, 0, vreg(m));
            vec_lane_op(cb, L_SUB, l, 0, xr(1));
        } else {
            pand(cb, 0, vreg(m));
            vec_lane_op(cb, L_ADD, l, 0, xr(1));
        }
    }
    store_v(cb, d, 0, q_of(in));
}

/* SDOT/UDOT: bytes widened to words, pmaddwd sums the pairs (exact: at
 * most 2 * 255 * 255), phaddd the pairs of pairs; then d is added. */
static void lower_dot(CodeBuf *cb, const IRInsn *in)
{
    uint8_t widen = is_signed(in) ? 0x20 : 0x30;  /* pmovsxbw / pmovzxbw */
    int d = va_d(in->aux), n = va_n(in->aux), m = va_m(in->aux);
    bool q = q_of(in);
    X86Operand m_lo = vreg(m), m_hi = vreg_at(m, 8);
    if (in->aux & VA_ELEM) {                    /* the group in every dword */
        x86_movd_load(cb, 5, vreg_at(m, (int)in->imm * 4));
        x86_sse_imm(cb, 0x66, X86_MAP_0F, 0x70, 5, xr(5), false, 0);   /* pshufd */
        m_lo = m_hi = xr(5);
    }
    sse66_38(cb, widen, 0, vreg(n));
    sse66_38(cb, widen, 1, m_lo);
    sse66(cb, 0xf5, 0, xr(1));                  /* pmaddwd */
    if (q) {
        sse66_38(cb, widen, 2, vreg_at(n, 8));
        sse66_38(cb, widen, 3, m_hi);
        sse66(cb, 0xf5, 2, xr(3));
    } else {
        pxor_rr(cb, 2, 2);
    }
    sse66_38(cb, 0x02, 0, xr(2));               /* phaddd */
    vec_lane_op(cb, L_ADD, 2, 0, vreg(d));
    store_v(cb, d, 0, q);
}

bool lower_vec_pair(const VecOp *v)
{
    switch (v->in->op) {
    case IR_VADDLP: lower_addlp(v->cb, v->in); return true;
    case IR_VABD:   lower_abd(v->cb, v->in); return true;
    case IR_VABDL:  lower_abdl(v->cb, v->in); return true;
    case IR_VHADD:  lower_hadd(v->cb, v->in); return true;
    case IR_VDOT:   lower_dot(v->cb, v->in); return true;
    default: return false;
    }
}
