/*
 * Lowering of the scalar FP IR ops to SSE2/SSE4.1 (FMA3 for the fused
 * multiply-adds), with Arm's results to the bit:
 *   - arithmetic runs the x86 instruction; when the result is a NaN (or,
 *     for FMIN/FMAX, an input is), a rare path calls fp_nan_slow()
 *     (target/aarch64/fp-nan.c) through a register-saving thunk to apply
 *     Arm's NaN rules (signalling first, default NaN, FPCR.DN, FMINNM);
 *   - FMIN/FMAX order -0 below +0 (NaN inputs go to the rare path first:
 *     mins/maxs raise Invalid for quiet NaNs, Arm does not);
 *   - FP -> integer conversions run inline only inside a range where x86
 *     and Arm agree; NaN, saturation (IOC) and the limits take the exact
 *     C conversion (fp_cvt_int_slow);
 *   - FRINT* is roundsd/roundss (FRINTA: trunc and a step away from zero),
 *     with FPCR.DN (or FZ) on fp_frint_slow; FCCMP is FCMP behind a branch.
 * With FPCR.FZ set, the op goes to the same rare path, which computes
 * everything with Arm's rules (target/aarch64/fp-arm.c).  So does a fused
 * multiply-add result of +-the smallest normal: x86's FMA detects
 * tininess after rounding, Arm before, so UFC may differ.
 * FADD/FSUB/FMUL/FNMUL/FDIV/FSQRT/FMADD and friends compute in an xmm
 * register of the block's FP register cache (lower-fp-cache.h), read their
 * operands from it when it holds them, and put their rare path after the
 * block; the other ops work in xmm0..xmm4 with the cache reset.
 */
#include "host/x86_64/backend.h"
#include "host/x86_64/lower-fp-cache.h"
#include "host/x86_64/lower-vec.h"
#include "target/aarch64/fp-nan.h"
#include "tcg/exec.h"

typedef struct FpCtx {
    CodeBuf *cb;
    bool dbl;
    FpRegCache *fpc;
} FpCtx;

/* Scalar op: F2 (double) / F3 (single) 0F opc. */
static void fs(const FpCtx *f, uint8_t opc, int x, X86Operand rm)
{
    x86_sse(f->cb, f->dbl ? 0xf2 : 0xf3, X86_MAP_0F, opc, x, rm, false);
}

enum { CMP_EQ = 0, CMP_LT = 1, CMP_LE = 2, CMP_UNORD = 3, CMP_NLT = 5, CMP_ORD = 7 };
static void fcmp_mask(const FpCtx *f, int x, X86Operand rm, uint8_t pred)
{
    x86_sse_imm(f->cb, f->dbl ? 0xf2 : 0xf3, X86_MAP_0F, 0xc2, x, rm, false, pred);
}

enum { OPC_SQRT = 0x51, OPC_ADD = 0x58, OPC_MUL = 0x59, OPC_SUB = 0x5c, OPC_MIN = 0x5d,
       OPC_DIV = 0x5e, OPC_MAX = 0x5f };

/* Load a scalar into the low lane of xmm x, upper bits zero. */
static void fload(const FpCtx *f, int x, X86Operand mem)
{
    if (f->dbl) {
        x86_movq_load(f->cb, x, mem);
    } else {
        x86_movd_load(f->cb, x, mem);
    }
}

static uint64_t sign_bit(const FpCtx *f) { return f->dbl ? 1ull << 63 : 1ull << 31; }
static uint64_t fp_const(const FpCtx *f, double d)
{
    union { double d; uint64_t u; } ud = { .d = d };
    union { float s; uint32_t u; } us = { .s = (float)d };
    return f->dbl ? ud.u : us.u;
}

/* dst = mask ? a : b, as b ^ ((a ^ b) & mask); any register may alias
 * another.  Clobbers xmm15. */
static void select_mask(CodeBuf *cb, int dst, int mask, int a, int b)
{
    movaps_rr(cb, 15, a);
    pxor(cb, 15, xr(b));
    pand(cb, 15, xr(mask));
    if (dst != b) {
        movaps_rr(cb, dst, b);
    }
    pxor(cb, dst, xr(15));
}

/* With FPCR.FZ set the whole op takes the exact C path (Arm flushes
 * denormal inputs with IDC and tiny results with UFC only): jump there
 * before the x86 instruction runs, so it leaves no host flags behind. */
static uint8_t *fz_check(CodeBuf *cb)
{
    if (!exec_fz_possible()) {
        return NULL;                    /* translated assuming FZ clear */
    }
    x86_test(cb, 4, x86_m(X86_R15, ENV_OFF(fpcr)), x86_i(1 << 24));
    return x86_jcc8(cb, X86_CC_NE);
}

static void bind_fz(CodeBuf *cb, uint8_t *fz)
{
    if (fz) {
        x86_bind_rel8(cb, fz);
    }
}

/* Set ZF when xmm x is +-the smallest normal: the exact result
 * may have been tiny, which Arm flags as Underflow (tininess before
 * rounding) and x86's fused multiply-add does not (mulss/divss detect it
 * before rounding as Arm does; tiny sums are exact).  Clobbers rax. */
static void compare_smallest_normal(const FpCtx *f, int x)
{
    CodeBuf *cb = f->cb;
    if (f->dbl) {
        x86_movq_store(cb, x86_r(X86_RAX), x);
        x86_alu(cb, X86_ADD, 8, x86_r(X86_RAX), x86_r(X86_RAX));    /* drop the sign */
        x86_shift_imm(cb, X86_ROR, 8, x86_r(X86_RAX), 53);          /* 1 << 53 -> 1 */
        x86_alu(cb, X86_CMP, 8, x86_r(X86_RAX), x86_i(1));
    } else {
        x86_movd_store(cb, x86_r(X86_RAX), x);
        x86_alu(cb, X86_ADD, 4, x86_r(X86_RAX), x86_r(X86_RAX));
        x86_alu(cb, X86_CMP, 4, x86_r(X86_RAX), x86_i(0x01000000));
    }
}

/* Store the result in xmm t to V[d] and note that t holds it, unless t
 * is a NaN (or fz jumped here, or tiny_check and the result is +-the
 * smallest normal): then, out of line, fp_nan_slow computes and stores
 * Arm's result and t is reloaded from V[d]. */
static void store_or_nan_path(const FpCtx *f, int d, int t, uint32_t desc, uint8_t *fz,
                              bool tiny_check)
{
    CodeBuf *cb = f->cb;
    FpColdPath p = { .jump = { fz }, .desc = desc, .xmm = (uint8_t)t, .vreg = (uint8_t)d };
    x86_sse(cb, f->dbl ? 0x66 : 0, X86_MAP_0F, 0x2e, t, xr(t), false);
    p.jump[1] = x86_jcc(cb, X86_CC_P, 0);
    if (tiny_check) {
        compare_smallest_normal(f, t);
        p.jump[2] = x86_jcc(cb, X86_CC_E, 0);
    }
    x86_movdqa_store(cb, vreg(d), t);
    p.resume = cb->ptr;
    fpc_add_cold(cb, f->fpc, &p);
    fpc_bind(f->fpc, t, d, f->dbl ? 64 : 32);
}

/* The op's first operand V[n] into xmm t, zero above the op's width. */
static void load_first(const FpCtx *f, int t, int n, int cached)
{
    if (cached >= 0) {
        movaps_rr(f->cb, t, cached);
    } else {
        fload(f, t, vreg(n));
    }
}

static X86Operand low_operand(int m, int cached)
{
    return cached >= 0 ? xr(cached) : vreg(m);
}

static uint32_t nan_desc(const FpCtx *f, const IRInsn *in, FpNanOp op, int unary)
{
    uint32_t x = in->aux;
    int kind;
    switch (in->op) {
    case IR_FSUB: kind = FPK_SUB; break;
    case IR_FMUL: case IR_FNMUL: kind = FPK_MUL; break;
    case IR_FDIV: kind = FPK_DIV; break;
    case IR_FSQRT: kind = FPK_SQRT; break;
    case IR_FMAX: case IR_FMAXNM: kind = FPK_MAX; break;
    case IR_FMIN: case IR_FMINNM: kind = FPK_MIN; break;
    default: kind = FPK_ADD; break;
    }
    return fp_nan_desc(op, f->dbl, unary, va_d(x), va_n(x), va_m(x), va_a(x)) | fp_nan_kind(kind);
}

/* FADD FSUB FMUL FNMUL FDIV FSQRT: t = V[n] op V[m] in a cache register. */
static void lower_arith(const FpCtx *f, const IRInsn *in, uint8_t opc)
{
    CodeBuf *cb = f->cb;
    int n = va_n(in->aux), m = va_m(in->aux);
    int xn = fpc_find(f->fpc, n, f->dbl ? 64 : 32);
    int xm = opc == OPC_SQRT ? -1 : fpc_find(f->fpc, m, 0);
    int t = fpc_claim(f->fpc, fpc_bit(xn) | fpc_bit(xm));
    uint8_t *fz = vec_fz_check(cb);
    load_first(f, t, n, xn);
    fs(f, opc, t, opc == OPC_SQRT ? xr(t) : low_operand(m, xm));
    if (in->op == IR_FNMUL) {
        vec_load_const64(cb, 1, sign_bit(f));
        pxor(cb, t, xr(1));
    }
    FpNanOp op = in->op == IR_FNMUL ? FPN_NMUL : FPN_ARITH;
    store_or_nan_path(f, va_d(in->aux), t, nan_desc(f, in, op, opc == OPC_SQRT), fz, false);
}

/* FMIN/FMAX/FMINNM/FMAXNM on numbers.  Any NaN input takes the rare path
 * before mins/maxs runs (they raise Invalid even for quiet NaNs, Arm does
 * not); the ucomis test raises it for signalling NaNs only, as Arm does. */
static void lower_minmax(const FpCtx *f, const IRInsn *in)
{
    CodeBuf *cb = f->cb;
    bool is_max = in->op == IR_FMAX || in->op == IR_FMAXNM;
    uint8_t *fz = fz_check(cb);
    fload(f, 2, vreg(va_n(in->aux)));
    fload(f, 3, vreg(va_m(in->aux)));
    x86_sse(cb, f->dbl ? 0x66 : 0, X86_MAP_0F, 0x2e, 2, xr(3), false);
    uint8_t *nan = x86_jcc8(cb, X86_CC_P);
    uint8_t opc = is_max ? OPC_MAX : OPC_MIN;
    movaps_rr(cb, 0, 2);
    fs(f, opc, 0, xr(3));
    movaps_rr(cb, 1, 3);
    fs(f, opc, 1, xr(2));
    if (is_max) {
        pand(cb, 0, xr(1));                      /* max(+0, -0) = +0 */
    } else {
        por(cb, 0, xr(1));                       /* min(+0, -0) = -0 */
    }
    x86_movdqa_store(cb, vreg(va_d(in->aux)), 0);
    uint8_t *done = x86_jmp8(cb);
    bind_fz(cb, fz);
    x86_bind_rel8(cb, nan);
    FpNanOp op = in->op == IR_FMINNM ? FPN_MINNM : in->op == IR_FMAXNM ? FPN_MAXNM : FPN_MINMAX;
    x86_push_imm32(cb, (int32_t)nan_desc(f, in, op, 0));
    x86_call_addr(cb, (uintptr_t)ferry_fp_nan_thunk);
    x86_bind_rel8(cb, done);
}

static void lower_fma(const VecOp *v, const FpCtx *f)
{
    static const FpNanOp nan_op[4] = { FPN_FMA, FPN_FMA_NEGP, FPN_FMA_NEGA, FPN_FMA_NEGPA };
    CodeBuf *cb = f->cb;
    const IRInsn *in = v->in;
    int a = va_a(in->aux), n = va_n(in->aux), m = va_m(in->aux);
    int xa = fpc_find(f->fpc, a, f->dbl ? 64 : 32);
    int xn = fpc_find(f->fpc, n, 0), xm = fpc_find(f->fpc, m, 0);
    int t = fpc_claim(f->fpc, fpc_bit(xa) | fpc_bit(xn) | fpc_bit(xm));
    uint8_t *fz = vec_fz_check(cb);
    load_first(f, t, a, xa);
    if (xn < 0 || (in->imm & FMA_NEG_PRODUCT)) {
        if (xn >= 0) {
            movaps_rr(cb, 1, xn);
        } else {
            fload(f, 1, vreg(n));
        }
        xn = 1;
    }
    if (in->imm & (FMA_NEG_PRODUCT | FMA_NEG_ADDEND)) {
        vec_load_const64(cb, 4, sign_bit(f));
        if (in->imm & FMA_NEG_PRODUCT) {
            pxor(cb, 1, xr(4));
        }
        if (in->imm & FMA_NEG_ADDEND) {
            pxor(cb, t, xr(4));
        }
    }
    /* vfmadd231s[sd] t, xn, m: t = xn * m + t */
    x86_vex(cb, 0x66, X86_MAP_0F38, f->dbl, 0, 0xb9, t, xn, low_operand(m, xm));
    store_or_nan_path(f, va_d(in->aux), t, nan_desc(f, in, nan_op[in->imm & 3], 0), fz, true);
}

/* Round xmm0 (not a NaN) to an integral value in place; clobbers xmm1-4.
 * mode: FPROUND_*; exact: raise Inexact when the value changes. */
static void round_integral(const FpCtx *f, int mode, bool exact)
{
    CodeBuf *cb = f->cb;
    uint8_t suppress = exact ? 0 : 8;
    uint8_t opc = f->dbl ? 0x0b : 0x0a;          /* roundsd / roundss */
    if (mode == FPROUND_AWAY) {
        /* t = trunc(x); t += copysign(|x - t| >= 0.5 ? 1 : 0, x).  x - t is
         * exact, t + -+1 is exact (a fraction means |t| < 2^52), and adding
         * a zero of x's sign keeps t's sign: no stray flags in any mode.
         * The caller keeps infinities away (inf - inf). */
        movaps_rr(cb, 1, 0);
        sse66_3a(cb, opc, 1, xr(0), 3 | suppress);
        movaps_rr(cb, 2, 0);
        fs(f, OPC_SUB, 2, xr(1));
        vec_load_const64(cb, 3, sign_bit(f) - 1);
        pand(cb, 2, xr(3));
        vec_load_const64(cb, 3, fp_const(f, 0.5));
        fcmp_mask(f, 2, xr(3), CMP_NLT);         /* |frac| >= 0.5 */
        vec_load_const64(cb, 3, fp_const(f, 1.0));
        pand(cb, 3, xr(2));
        vec_load_const64(cb, 4, sign_bit(f));
        pand(cb, 4, xr(0));
        por(cb, 3, xr(4));
        fs(f, OPC_ADD, 1, xr(3));
        movaps_rr(cb, 0, 1);
        return;
    }
    uint8_t imm = mode == FPROUND_FPCR ? 4 : mode == FPROUND_NEAREST ? 0 :
                  mode == FPROUND_DOWN ? 1 : mode == FPROUND_UP ? 2 : 3;
    sse66_3a(cb, opc, 0, xr(0), imm | suppress);
}

/* FRINT[NPMZAXI]: roundsd/roundss.  A NaN comes out as Arm's (SNaN quieted
 * with Invalid, QNaN unchanged) unless FPCR.DN is set, so FZ or DN takes
 * fp_frint_slow; FRINTA also sends NaNs there (its compare would raise
 * Invalid for a quiet NaN). */
static void lower_frint(const FpCtx *f, const IRInsn *in)
{
    CodeBuf *cb = f->cb;
    int mode = (int)(in->imm & 7);
    x86_test(cb, 4, x86_m(X86_R15, ENV_OFF(fpcr)), x86_i(3 << 24));   /* FZ, DN */
    uint8_t *fz = x86_jcc(cb, X86_CC_NE, 0);
    uint8_t *nan = NULL, *integral = NULL;
    fload(f, 0, vreg(va_n(in->aux)));
    if (mode == FPROUND_AWAY) {                  /* |x| >= 2^52 (2^23): already integral */
        movaps_rr(cb, 1, 0);
        vec_load_const64(cb, 2, sign_bit(f) - 1);
        pand(cb, 1, xr(2));
        vec_load_const64(cb, 2, fp_const(f, f->dbl ? 4503599627370496.0 : 8388608.0));
        x86_sse(cb, f->dbl ? 0x66 : 0, X86_MAP_0F, 0x2e, 1, xr(2), false);
        nan = x86_jcc(cb, X86_CC_P, 0);
        integral = x86_jcc8(cb, X86_CC_AE);
    }
    round_integral(f, mode, (in->imm & FPROUND_EXACT) != 0);
    if (integral) {
        x86_bind_rel8(cb, integral);
    }
    x86_movdqa_store(cb, vreg(va_d(in->aux)), 0);
    uint8_t *done = x86_jmp8(cb);
    vec_bind_fz(cb, fz);
    if (nan) {
        vec_bind_rel32(cb, nan);
    }
    vec_emit_slow_call(cb, fp_frint_slow, (uint32_t)(va_d(in->aux) | va_n(in->aux) << 5) |
                       (uint32_t)f->dbl << 10 | (uint32_t)(in->imm & 15) << 11);
    x86_bind_rel8(cb, done);
}

/* NZCV of an FP compare into the result temp:
 *   equal 0110, less 1000, greater 0010, unordered 0011.
 * ucomis raises Invalid for signalling NaNs only and comis (FCMPE, imm 1)
 * for any NaN, as Arm does; with FPCR.FZ (IDC for denormal inputs) the
 * exact C compare runs instead. */
static void emit_fcmp_nzcv(const VecOp *v, const FpCtx *f, X86Reg r, bool signalling)
{
    CodeBuf *cb = v->cb;
    const IRInsn *in = v->in;
    uint8_t *fz = vec_fz_check(cb);
    fload(f, 0, vreg(va_n(in->aux)));
    X86Operand m = vreg(va_m(in->aux));
    if (in->aux & VA_ZERO_M) {
        pxor_rr(cb, 1, 1);
        m = xr(1);
    }
    x86_mov(cb, 4, x86_r(r), x86_i(0x20000000));
    x86_sse(cb, f->dbl ? 0x66 : 0, X86_MAP_0F, signalling ? 0x2f : 0x2e, 0, m, false);
    x86_mov(cb, 4, x86_r(X86_RAX), x86_i(0x80000000));
    x86_cmov(cb, X86_CC_B, 4, r, x86_r(X86_RAX));
    x86_mov(cb, 4, x86_r(X86_RAX), x86_i(0x60000000));
    x86_cmov(cb, X86_CC_E, 4, r, x86_r(X86_RAX));
    x86_mov(cb, 4, x86_r(X86_RAX), x86_i(0x30000000));
    x86_cmov(cb, X86_CC_P, 4, r, x86_r(X86_RAX));
    uint8_t *done = x86_jmp8(cb);
    vec_bind_fz(cb, fz);
    vec_emit_slow_call(cb, fp_fcmp_slow, (uint32_t)(va_n(in->aux) | va_m(in->aux) << 5) |
                       (uint32_t)f->dbl << 10 | (uint32_t)signalling << 11 |
                       (uint32_t)((in->aux & VA_ZERO_M) != 0) << 12);
    x86_mov(cb, 4, x86_r(r), x86_r(X86_RAX));
    x86_bind_rel8(cb, done);
}

static void lower_fcmp(const VecOp *v, const FpCtx *f)
{
    X86Reg r = vec_dst_reg(v);
    emit_fcmp_nzcv(v, f, r, v->in->imm != 0);
    vec_dst_finish(v, r);
}

/* FCCMP/FCCMPE: the compare when the condition (src0) holds, else imm2. */
static void lower_fccmp(const VecOp *v, const FpCtx *f)
{
    CodeBuf *cb = v->cb;
    const IRInsn *in = v->in;
    X86Reg r = vec_dst_reg(v);
    if (v->src[0].kind == X86_OP_IMM) {
        if (v->src[0].imm) {
            emit_fcmp_nzcv(v, f, r, in->imm != 0);
        } else {
            x86_mov(cb, 4, x86_r(r), x86_i((int64_t)(uint32_t)in->imm2));
        }
        vec_dst_finish(v, r);
        return;
    }
    x86_test(cb, 4, v->src[0], x86_i(-1));
    uint8_t *holds = x86_jcc8(cb, X86_CC_NE);
    x86_mov(cb, 4, x86_r(r), x86_i((int64_t)(uint32_t)in->imm2));
    uint8_t *done = x86_jmp(cb, 0);
    x86_bind_rel8(cb, holds);
    emit_fcmp_nzcv(v, f, r, in->imm != 0);
    vec_bind_rel32(cb, done);
    vec_dst_finish(v, r);
}

/* FCVT Sd <-> Dd (mop: the result precision): cvtss2sd / cvtsd2ss; a NaN
 * result, a narrowed result at +-the smallest normal (tininess) or FPCR.FZ
 * takes the exact C conversion. */
static void lower_fcvt(const FpCtx *to, const IRInsn *in)
{
    CodeBuf *cb = to->cb;
    uint8_t *fz = fz_check(cb);
    pxor_rr(cb, 0, 0);
    x86_sse(cb, to->dbl ? 0xf3 : 0xf2, X86_MAP_0F, 0x5a, 0, vreg(va_n(in->aux)), false);
    x86_sse(cb, to->dbl ? 0x66 : 0, X86_MAP_0F, 0x2e, 0, xr(0), false);   /* ucomis: NaN? */
    uint8_t *nan = x86_jcc8(cb, X86_CC_P);
    uint8_t *tiny = NULL;
    if (!to->dbl) {
        x86_movd_store(cb, x86_r(X86_RAX), 0);
        x86_alu(cb, X86_AND, 4, x86_r(X86_RAX), x86_i(0x7fffffff));
        x86_alu(cb, X86_CMP, 4, x86_r(X86_RAX), x86_i(0x00800000));
        tiny = x86_jcc8(cb, X86_CC_E);
    }
    x86_movdqa_store(cb, vreg(va_d(in->aux)), 0);
    uint8_t *done = x86_jmp8(cb);
    bind_fz(cb, fz);
    x86_bind_rel8(cb, nan);
    if (tiny) {
        x86_bind_rel8(cb, tiny);
    }
    vec_emit_slow_call(cb, fp_fcvt_slow, (uint32_t)(va_d(in->aux) | va_n(in->aux) << 5) |
                       (uint32_t)to->dbl << 10);
    x86_bind_rel8(cb, done);
}

/* SCVTF / UCVTF: V[d] = (fp) src0, `bits` wide, then / 2^imm2. */
static void lower_int_to_fp(const VecOp *v, const FpCtx *f)
{
    CodeBuf *cb = v->cb;
    const IRInsn *in = v->in;
    uint8_t cvt_prefix = f->dbl ? 0xf2 : 0xf3;
    X86Operand s = v->src[0];
    if (s.kind == X86_OP_IMM) {
        x86_mov(cb, 8, x86_r(X86_RAX), s);
        s = x86_r(X86_RAX);
    }
    pxor_rr(cb, 0, 0);
    if (in->op == IR_FCVT_FROM_S) {
        x86_sse(cb, cvt_prefix, X86_MAP_0F, 0x2a, 0, s, in->bits == 64);
    } else if (in->bits == 32) {
        x86_mov(cb, 4, x86_r(X86_RAX), s);        /* zero-extends */
        x86_sse(cb, cvt_prefix, X86_MAP_0F, 0x2a, 0, x86_r(X86_RAX), true);
    } else {
        /* Values below 2^63 convert as signed.  Larger ones: halve with the
         * lost bit kept as a sticky bit, convert, double. */
        x86_sse(cb, cvt_prefix, X86_MAP_0F, 0x2a, 0, s, true);
        x86_movq_load(cb, 1, s);
        movaps_rr(cb, 2, 1);
        psrlq(cb, 2, 1);
        vec_load_const64(cb, 3, 1);
        pand(cb, 3, xr(1));
        por(cb, 2, xr(3));
        x86_movq_store(cb, x86_r(X86_RAX), 2);
        pxor_rr(cb, 3, 3);
        x86_sse(cb, cvt_prefix, X86_MAP_0F, 0x2a, 3, x86_r(X86_RAX), true);
        fs(f, OPC_ADD, 3, xr(3));
        sse_shift_imm(cb, 0x72, 4, 1, 31);         /* psrad: sign of each dword */
        x86_sse_imm(cb, 0x66, X86_MAP_0F, 0x70, 1, xr(1), false, 0x55);
        movq_rr(cb, 1, 1);
        select_mask(cb, 0, 1, 3, 0);            /* top bit set: the halved form */
    }
    if (in->imm2) {
        int e = f->dbl ? 1023 : 127, mant = f->dbl ? 52 : 23;
        vec_load_const64(cb, 1, (uint64_t)(e - (int)in->imm2) << mant);
        fs(f, OPC_MUL, 0, xr(1));
    }
    x86_movdqa_store(cb, vreg(va_d(in->aux)), 0);
}

/* FCVT[ZMPNA][SU] Wd/Xd (imm: FPROUND_*, imm2: fraction bits).  Inline
 * when the source's top 32 bits (sign and magnitude, unsigned) are below a
 * bound that keeps x * 2^imm2, rounded any way, inside the result's range:
 * then it is scaled, rounded with Inexact and converted by cvtts[sd]2si.
 * NaN, infinities, everything near or past the limits (saturation, IOC),
 * negative values for unsigned results and FPCR.FZ take fp_cvt_int_slow. */
static void lower_fp_to_int(const VecOp *v, const FpCtx *f)
{
    CodeBuf *cb = v->cb;
    const IRInsn *in = v->in;
    bool is_signed = in->op == IR_FCVT_TO_S, wide = in->bits == 64;
    int fbits = (int)in->imm2, mode = (int)(in->imm & 7);
    /* |x| < 2^31 (2^32, 2^63, 2^64): the exponent field of 2^k */
    int k = (wide ? 63 : 31) + !is_signed;
    uint32_t bound = f->dbl ? (uint32_t)(1023 + k - fbits) << 20 : (uint32_t)(127 + k - fbits) << 23;
    if (f->dbl && !wide) {
        bound -= 1;             /* x < 2^31 - 64 (2^32 - 128): the low word stays unread */
    }
    X86Reg r = vec_dst_reg(v);
    X86Operand src = vreg(va_n(in->aux));
    uint8_t *fz = vec_fz_check(cb);
    X86Operand hi = src;
    hi.disp += f->dbl ? 4 : 0;
    x86_mov(cb, 4, x86_r(X86_RAX), hi);
    if (is_signed) {
        x86_alu(cb, X86_AND, 4, x86_r(X86_RAX), x86_i(0x7fffffff));
    }
    x86_alu(cb, X86_CMP, 4, x86_r(X86_RAX), x86_i((int64_t)bound));
    uint8_t *outside = x86_jcc(cb, X86_CC_AE, 0);
    uint8_t cvt = f->dbl ? 0xf2 : 0xf3;
    if (fbits || mode != FPROUND_ZERO || (wide && !is_signed)) {
        fload(f, 0, src);
        if (fbits) {
            vec_load_const64(cb, 1, f->dbl ? (uint64_t)(1023 + fbits) << 52
                                           : (uint64_t)(127 + fbits) << 23);
            fs(f, OPC_MUL, 0, xr(1));            /* exact: no overflow, no underflow */
        }
        if (mode != FPROUND_ZERO) {
            round_integral(f, mode, true);
        }
        src = xr(0);
    }
    uint8_t *big_done = NULL;
    if (wide && !is_signed) {
        /* [2^63, 2^64): convert x - 2^63 (exact), then set the top bit */
        vec_load_const64(cb, 1, f->dbl ? 0x43e0000000000000ull : 0x5f000000ull);
        x86_sse(cb, f->dbl ? 0x66 : 0, X86_MAP_0F, 0x2e, 0, xr(1), false);
        uint8_t *small = x86_jcc8(cb, X86_CC_B);
        vec_load_const64(cb, 2, 1ull << 63);
        fs(f, OPC_SUB, 0, xr(1));
        x86_sse(cb, cvt, X86_MAP_0F, 0x2c, r, xr(0), true);
        x86_movq_load(cb, 1, x86_r(r));
        pxor(cb, 1, xr(2));
        x86_movq_store(cb, x86_r(r), 1);
        big_done = x86_jmp8(cb);
        x86_bind_rel8(cb, small);
    }
    /* cvtts[sd]2si; 64-bit for unsigned 32-bit results (values below 2^32) */
    x86_sse(cb, cvt, X86_MAP_0F, 0x2c, r, src, wide || !is_signed);
    if (big_done) {
        x86_bind_rel8(cb, big_done);
    }
    uint8_t *done = x86_jmp8(cb);
    vec_bind_fz(cb, fz);
    vec_bind_rel32(cb, outside);
    vec_emit_slow_call(cb, fp_cvt_int_slow,
                       fp_cvt_int_desc(va_n(in->aux), f->dbl, !is_signed, wide, mode, fbits));
    x86_mov(cb, wide ? 8 : 4, x86_r(r), x86_r(X86_RAX));
    x86_bind_rel8(cb, done);
    vec_dst_finish(v, r);
}

bool lower_fp_op(const VecOp *v)
{
    const IRInsn *in = v->in;
    FpCtx f = { v->cb, (in->mop & MO_SIZE) == MO_64, v->fpc };
    CodeBuf *cb = v->cb;
    switch (in->op) {
    case IR_FADD: lower_arith(&f, in, OPC_ADD); return true;
    case IR_FSUB: lower_arith(&f, in, OPC_SUB); return true;
    case IR_FMUL: case IR_FNMUL: lower_arith(&f, in, OPC_MUL); return true;
    case IR_FDIV: lower_arith(&f, in, OPC_DIV); return true;
    case IR_FMIN: case IR_FMAX: case IR_FMINNM: case IR_FMAXNM:
        lower_minmax(&f, in);
        return true;
    case IR_FSQRT: lower_arith(&f, in, OPC_SQRT); return true;
    case IR_FABS:
    case IR_FNEG:
        fload(&f, 0, vreg(va_n(in->aux)));
        if (in->op == IR_FABS) {
            vec_load_const64(cb, 1, sign_bit(&f) - 1);
            pand(cb, 0, xr(1));
        } else {
            vec_load_const64(cb, 1, sign_bit(&f));
            pxor(cb, 0, xr(1));
        }
        break;
    case IR_FMA:
        lower_fma(v, &f);
        return true;
    case IR_FCVT:
        lower_fcvt(&f, in);
        return true;
    case IR_FRINT:
        lower_frint(&f, in);
        return true;
    case IR_FCMP:
        lower_fcmp(v, &f);
        return true;
    case IR_FCCMP:
        lower_fccmp(v, &f);
        return true;
    case IR_FCVT_FROM_S: case IR_FCVT_FROM_U:
        lower_int_to_fp(v, &f);
        return true;
    case IR_FCVT_TO_S: case IR_FCVT_TO_U:
        lower_fp_to_int(v, &f);
        return true;
    default:
        return false;
    }
    x86_movdqa_store(cb, vreg(va_d(in->aux)), 0);
    return true;
}

/* FCMP (ucomis + cmov) and the ops with a NaN check (ucomis + jcc). */
bool lower_vec_clobbers_flags(const IRInsn *in)
{
    switch (in->op) {
    case IR_FCMP: case IR_FCCMP: case IR_FADD: case IR_FSUB: case IR_FMUL: case IR_FNMUL: case IR_FDIV:
    case IR_FMIN: case IR_FMAX: case IR_FMINNM: case IR_FMAXNM: case IR_FSQRT: case IR_FMA:
    case IR_FCVT: case IR_VQADD: case IR_VQSUB: case IR_FRINT: case IR_FCVT_TO_S:
    case IR_FCVT_TO_U: case IR_VQXTN: case IR_VQDMULH:
    case IR_VQSHRN: case IR_VQDMULL: case IR_VQABS: case IR_VQSHLI:
        return true;
    default:
        return lower_vec_fp_clobbers_flags(in);
    }
}

/* The ops lowered through the FP register cache (lower-fp-cache.h). */
bool lower_fp_keeps_cache(const IRInsn *in)
{
    switch (in->op) {
    case IR_FADD: case IR_FSUB: case IR_FMUL: case IR_FNMUL: case IR_FDIV: case IR_FSQRT:
    case IR_FMA:
        return true;
    default:
        return false;
    }
}
