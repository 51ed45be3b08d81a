/*
 * Lowering of the integer AdvSIMD ops that widen, saturate or look up:
 * long and wide add/subtract (SADDL/UADDW/...), long multiplies with and
 * without accumulation (SMULL/UMLAL/...), saturating add/subtract on 8- and
 * 16-bit lanes (with FPSR.QC), shifts by register (AVX2 variable shifts on
 * dwords and qwords; 8/16-bit lanes one position of each dword at a time),
 * and TBL/TBX (pshufb with Arm's out-of-range rule).
 */
#include "host/x86_64/lower-vec.h"

static int lg_of(const IRInsn *in) { return in->mop & MO_SIZE; }
static bool is_signed(const IRInsn *in) { return (in->mop & MO_SIGN) != 0; }
static bool q_of(const IRInsn *in) { return (in->aux & VA_Q) != 0; }

/* xmm x = a 64-bit pattern in both halves. */
static void splat64(CodeBuf *cb, int x, uint64_t pattern)
{
    vec_load_const64(cb, x, pattern);
    punpcklqdq(cb, x, xr(x));
}

/* A lane pattern (log2 size l) repeated over 64 bits. */
static uint64_t lanes64(int l, uint64_t v)
{
    switch (l) {
    case 0: return (v & 0xff) * 0x0101010101010101ull;
    case 1: return (v & 0xffff) * 0x0001000100010001ull;
    case 2: return (v & 0xffffffffull) * 0x0000000100000001ull;
    default: return v;
    }
}

/* pmovsx / pmovzx of the low 8 bytes of rm: lanes of log2 size l doubled. */
static void widen(CodeBuf *cb, int l, bool sgn, int x, X86Operand rm)
{
    static const uint8_t zx[3] = { 0x30, 0x33, 0x35 }, sx[3] = { 0x20, 0x23, 0x25 };
    sse66_38(cb, sgn ? sx[l] : zx[l], x, rm);
}

/* xmm x = every lane (log2 size l) equal to lane imm of V[m]. */
void vec_broadcast_elem(CodeBuf *cb, int x, int m, int l, int idx)
{
    X86Operand e = vreg_at(m, idx << l);
    if (l < 2) {
        x86_movzx(cb, 4, l ? 2 : 1, X86_RAX, e);
        x86_movd_load(cb, x, x86_r(X86_RAX));
    } else {
        x86_movd_load(cb, x, e);
    }
    if (l == 1) {
        x86_sse_imm(cb, 0xf2, X86_MAP_0F, 0x70, x, xr(x), false, 0);   /* pshuflw */
        punpcklqdq(cb, x, xr(x));
    } else {
        x86_sse_imm(cb, 0x66, X86_MAP_0F, 0x70, x, xr(x), false, 0);   /* pshufd */
    }
}

/* The source half of V[r] a long op reads: upper with VA_HIGH. */
static X86Operand half(const IRInsn *in, int r)
{
    return vreg_at(r, (in->aux & VA_HIGH) ? 8 : 0);
}

/* d (2e lanes) op= xmm0, or d = xmm0; always a full 128-bit result. */
static void accumulate_store(CodeBuf *cb, const IRInsn *in, int wide_l)
{
    int d = va_d(in->aux);
    if (in->aux & VA_ACC) {
        if (in->aux & VA_NEG) {
            x86_movdqa_load(cb, 1, vreg(d));
            vec_lane_op(cb, L_SUB, wide_l, 1, xr(0));
            x86_movdqa_store(cb, vreg(d), 1);
            return;
        }
        vec_lane_op(cb, L_ADD, wide_l, 0, vreg(d));
    }
    x86_movdqa_store(cb, vreg(d), 0);
}

/* SADDL/UADDL/SSUBL/USUBL, SADDW/UADDW/SSUBW/USUBW (and their "2" forms). */
static void lower_addl(CodeBuf *cb, const IRInsn *in)
{
    int l = lg_of(in);
    bool sgn = is_signed(in);
    if (in->aux & VA_WIDE) {
        x86_movdqa_load(cb, 0, vreg(va_n(in->aux)));
    } else {
        widen(cb, l, sgn, 0, half(in, va_n(in->aux)));
    }
    widen(cb, l, sgn, 1, half(in, va_m(in->aux)));
    vec_lane_op(cb, (in->aux & VA_NEG) ? L_SUB : L_ADD, l + 1, 0, xr(1));
    x86_movdqa_store(cb, vreg(va_d(in->aux)), 0);
}

/* SMULL/UMULL and SMLAL/UMLAL/SMLSL/UMLSL, vector and by element. */
static void lower_mull(CodeBuf *cb, const IRInsn *in)
{
    int l = lg_of(in);
    bool sgn = is_signed(in);
    int n = va_n(in->aux), m = va_m(in->aux);
    X86Operand mh;
    if (in->aux & VA_ELEM) {
        vec_broadcast_elem(cb, 2, m, l, (int)in->imm);
        mh = xr(2);
    } else {
        mh = half(in, m);
    }
    switch (l) {
    case 0:                                     /* bytes widened to words: exact products */
        widen(cb, 0, sgn, 0, half(in, n));
        widen(cb, 0, sgn, 1, mh);
        sse66(cb, 0xd5, 0, xr(1));              /* pmullw */
        break;
    case 1:                                     /* low and high halves of the word products */
        x86_movq_load(cb, 0, half(in, n));
        if (mh.kind == X86_OP_REG) {
            movq_rr(cb, 1, mh.reg);
        } else {
            x86_movq_load(cb, 1, mh);
        }
        movaps_rr(cb, 3, 0);
        sse66(cb, 0xd5, 0, xr(1));              /* pmullw */
        sse66(cb, sgn ? 0xe5 : 0xe4, 3, xr(1)); /* pmulhw / pmulhuw */
        sse66(cb, 0x61, 0, xr(3));              /* punpcklwd */
        break;
    default:                                    /* dwords in the low half of each qword */
        widen(cb, 2, false, 0, half(in, n));
        widen(cb, 2, false, 1, mh);
        if (sgn) {
            sse66_38(cb, 0x28, 0, xr(1));       /* pmuldq */
        } else {
            sse66(cb, 0xf4, 0, xr(1));          /* pmuludq */
        }
        break;
    }
    accumulate_store(cb, in, l + 1);
}

/* SQADD/UQADD/SQSUB/UQSUB on 8/16-bit lanes: the saturating x86 op, and
 * FPSR.QC when it differs from the wrapping one anywhere. */
static void lower_qaddsub(CodeBuf *cb, const IRInsn *in)
{
    static const uint8_t op[2][2][2] = {       /* [sub][signed][l] */
        { { 0xdc, 0xdd }, { 0xec, 0xed } },
        { { 0xd8, 0xd9 }, { 0xe8, 0xe9 } },
    };
    int l = lg_of(in);
    bool sub = in->op == IR_VQSUB;
    X86Operand m = xr(2);
    load_v(cb, 0, va_n(in->aux), q_of(in));    /* 64-bit vectors: no saturation in the upper half */
    load_v(cb, 2, va_m(in->aux), q_of(in));
    movaps_rr(cb, 1, 0);
    sse66(cb, op[sub][is_signed(in)][l], 0, m);
    vec_lane_op(cb, sub ? L_SUB : L_ADD, l, 1, m);
    sse66(cb, 0x74, 1, xr(0));                  /* pcmpeqb: all equal when nothing saturated */
    x86_sse(cb, 0x66, X86_MAP_0F, 0xd7, X86_RAX, xr(1), false);    /* pmovmskb eax */
    x86_alu(cb, X86_CMP, 4, x86_r(X86_RAX), x86_i(0xffff));
    uint8_t *same = x86_jcc8(cb, X86_CC_E);
    x86_alu(cb, X86_OR, 4, x86_m(X86_R15, ENV_OFF(fpsr)), x86_i(1 << 27));
    x86_bind_rel8(cb, same);
    store_v(cb, va_d(in->aux), 0, q_of(in));
}

/* xmm3 = xmm0 shifted by the signed low byte of each lane of xmm1
 * (32/64-bit lanes; xmm0..xmm6 change).  Left by c = that byte (0..255
 * unsigned: >= lane size gives 0), right by 256 - c (1..256: only a
 * negative shift has a count below the lane size). */
static void shift_by_reg(CodeBuf *cb, int l, bool sgn)
{
    bool w = l == 3;
    splat64(cb, 2, lanes64(l, 0xff));
    pand(cb, 1, xr(2));                         /* c */
    splat64(cb, 2, lanes64(l, 256));
    vec_lane_op(cb, L_SUB, l, 2, xr(1));        /* 256 - c */
    x86_vex(cb, 0x66, X86_MAP_0F38, w, 0, 0x47, 3, 0, xr(1));          /* vpsllv: x3 = n << c */
    if (!sgn) {
        x86_vex(cb, 0x66, X86_MAP_0F38, w, 0, 0x45, 4, 0, xr(2));      /* vpsrlv */
        por(cb, 3, xr(4));
    } else {
        if (!w) {
            x86_vex(cb, 0x66, X86_MAP_0F38, false, 0, 0x46, 4, 0, xr(2));  /* vpsravd */
        } else {                                /* sign ^ ((n ^ sign) >>> count) */
            pxor_rr(cb, 5, 5);
            sse66_38(cb, 0x37, 5, xr(0));       /* pcmpgtq: sign mask */
            movaps_rr(cb, 6, 0);
            pxor(cb, 6, xr(5));
            x86_vex(cb, 0x66, X86_MAP_0F38, true, 0, 0x45, 4, 6, xr(2));
            pxor(cb, 4, xr(5));
        }
        splat64(cb, 2, lanes64(l, 127));
        vec_lane_op(cb, L_CMGT, l, 1, xr(2));   /* c > 127: a right shift */
        pxor(cb, 4, xr(3));
        pand(cb, 4, xr(1));
        pxor(cb, 3, xr(4));
    }
}

/* The same, rounding (SRSHL/URSHL): a right shift by k adds bit k - 1 of
 * the value, i.e. bit 0 of it shifted by c + 1 (xmm11..13 kept). */
static void shift_by_reg_round(CodeBuf *cb, int l, bool sgn, bool round)
{
    if (!round) {
        shift_by_reg(cb, l, sgn);
        return;
    }
    movaps_rr(cb, 11, 0);
    movaps_rr(cb, 12, 1);
    shift_by_reg(cb, l, sgn);
    movaps_rr(cb, 13, 3);
    movaps_rr(cb, 0, 11);
    movaps_rr(cb, 1, 12);
    splat64(cb, 2, lanes64(l, 1));
    vec_lane_op(cb, L_ADD, l, 1, xr(2));
    shift_by_reg(cb, l, sgn);
    splat64(cb, 2, lanes64(l, 1));
    pand(cb, 3, xr(2));
    splat64(cb, 2, lanes64(l, 0xff));
    pand(cb, 12, xr(2));
    splat64(cb, 2, lanes64(l, 127));
    vec_lane_op(cb, L_CMGT, l, 12, xr(2));      /* right shifts only */
    pand(cb, 3, xr(12));
    vec_lane_op(cb, L_ADD, l, 3, xr(13));
}

/* SSHL/USHL, SRSHL/URSHL.  32/64-bit lanes directly; 8/16-bit lanes one
 * position of each dword at a time: the lane extended into the dword
 * (shifted to the top, then back), its count byte moved to the bottom,
 * the result's low lane bits put back in place (xmm8 collects them;
 * xmm9/10 keep n and m). */
static void lower_shlv(CodeBuf *cb, const IRInsn *in)
{
    int l = lg_of(in);
    bool sgn = is_signed(in), round = (in->aux & VA_ROUND) != 0;
    if (l >= 2) {
        load_v(cb, 0, va_n(in->aux), true);
        load_v(cb, 1, va_m(in->aux), true);
        shift_by_reg_round(cb, l, sgn, round);
        store_v(cb, va_d(in->aux), 3, q_of(in));
        return;
    }
    int bits = 8 << l;
    load_v(cb, 9, va_n(in->aux), true);
    load_v(cb, 10, va_m(in->aux), true);
    pxor_rr(cb, 8, 8);
    for (int pos = 0; pos < 32; pos += bits) {
        movaps_rr(cb, 0, 9);
        if (32 - bits - pos) {
            sse_shift_imm(cb, 0x72, 6, 0, (uint8_t)(32 - bits - pos));    /* pslld */
        }
        sse_shift_imm(cb, 0x72, sgn ? 4 : 2, 0, (uint8_t)(32 - bits));  /* psrad / psrld */
        movaps_rr(cb, 1, 10);
        if (pos) {
            sse_shift_imm(cb, 0x72, 2, 1, (uint8_t)pos);
        }
        shift_by_reg_round(cb, 2, sgn, round);
        sse_shift_imm(cb, 0x72, 6, 3, (uint8_t)(32 - bits));
        if (32 - bits - pos) {
            sse_shift_imm(cb, 0x72, 2, 3, (uint8_t)(32 - bits - pos));
        }
        por(cb, 8, xr(3));
    }
    store_v(cb, va_d(in->aux), 8, q_of(in));
}

/* TBL/TBX with imm tables from V[n]: per table k, index - 16k saturated
 * into pshufb's range (bit 7 set: zero); TBX keeps d where the index is
 * past the last table. */
static void lower_tbl(CodeBuf *cb, const IRInsn *in)
{
    int len = (int)in->imm, n = va_n(in->aux), d = va_d(in->aux);
    load_v(cb, 0, va_m(in->aux), true);
    pxor_rr(cb, 1, 1);
    splat64(cb, 4, lanes64(0, 0x70));
    for (int k = 0; k < len; k++) {
        movaps_rr(cb, 2, 0);
        if (k) {
            splat64(cb, 5, lanes64(0, 16 * k));
            vec_lane_op(cb, L_SUB, 0, 2, xr(5));
        }
        sse66(cb, 0xdc, 2, xr(4));              /* paddusb */
        x86_movdqa_load(cb, 3, vreg((n + k) & 31));
        sse66_38(cb, 0x00, 3, xr(2));           /* pshufb */
        por(cb, 1, xr(3));
    }
    if (in->aux & VA_ACC) {
        splat64(cb, 2, lanes64(0, 16 * len - 1));
        vec_lane_op(cb, L_UMIN, 0, 2, xr(0));
        vec_lane_op(cb, L_CMEQ, 0, 2, xr(0));   /* in range */
        pandn(cb, 2, vreg(d));
        por(cb, 1, xr(2));
    }
    store_v(cb, d, 1, q_of(in));
}

bool lower_vec_wide(const VecOp *v)
{
    switch (v->in->op) {
    case IR_VADDL: lower_addl(v->cb, v->in); return true;
    case IR_VMULL: lower_mull(v->cb, v->in); return true;
    case IR_VQADD: case IR_VQSUB: lower_qaddsub(v->cb, v->in); return true;
    case IR_VSHLV: lower_shlv(v->cb, v->in); return true;
    case IR_VTBL:  lower_tbl(v->cb, v->in); return true;
    default: return false;
    }
}
