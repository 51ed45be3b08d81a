/*
 * Lowering of the vector FP IR ops (IR_VFADD .. IR_VFRINT) to packed SSE
 * (FMA3 for FMLA/FMLS), exact to the bit: the packed x86 op runs, and the
 * whole op is recomputed by the C helper (fp_vec_slow, through a thunk that
 * saves the caller-saved registers) when x86 and Arm could differ:
 *   - a lane's result is a NaN (Arm's propagation order, default NaN);
 *   - FMAX/FMIN/FMAXNM/FMINNM: an input is a NaN (checked before maxps,
 *     which raises Invalid on quiet NaNs);
 *   - FMUL/FDIV/FMLA/FCVTN: a lane's result is +-the smallest normal (x86
 *     detects tininess after rounding, Arm before: Underflow may differ);
 *   - FPCR.FZ is set (flushing with IDC/UFC): tested before the x86 op.
 * Otherwise the host MXCSR flags the op raised are exactly Arm's flags.
 * Also the slow paths of scalar FCMP and FCVT (lower-fp.c).
 */
#include "host/x86_64/lower-vec.h"
#include "target/aarch64/fp-nan.h"
#include "tcg/exec.h"

/* ferry_vec_slow_thunk: entered with [rsp+8] = fn, [rsp+16] = desc (both
 * pushed by the caller, rsp 8 mod 16 before the pushes, so 0 mod 16 here);
 * calls fn(env, desc) with the caller-saved registers preserved except rax,
 * which returns fn's value, and pops both arguments. */
void ferry_vec_slow_thunk(void);
__asm__(".text\n"
        ".p2align 4\n"
        "ferry_vec_slow_thunk:\n"
        "  push %rcx\n  push %rdx\n  push %rsi\n  push %rdi\n"
        "  push %r8\n  push %r9\n  push %r10\n  push %r11\n"
        "  mov %r15, %rdi\n"
        "  mov 80(%rsp), %esi\n"
        "  call *72(%rsp)\n"
        "  pop %r11\n  pop %r10\n  pop %r9\n  pop %r8\n"
        "  pop %rdi\n  pop %rsi\n  pop %rdx\n  pop %rcx\n"
        "  ret $16\n");

void vec_emit_slow_call(CodeBuf *cb, uint64_t (*fn)(CPUState *, uint32_t), uint32_t desc)
{
    x86_push_imm32(cb, (int32_t)desc);
    x86_mov_addr(cb, X86_RAX, (uintptr_t)fn);
    x86_push(cb, X86_RAX);
    x86_call_addr(cb, (uintptr_t)ferry_vec_slow_thunk);
}

uint8_t *vec_fz_check(CodeBuf *cb)
{
    if (!exec_fz_possible()) {
        return NULL;                    /* translated assuming FZ clear */
    }
    x86_test(cb, 4, x86_m(X86_R15, ENV_OFF(fpcr)), x86_i(1 << 24));
    return x86_jcc(cb, X86_CC_NE, 0);
}

void vec_bind_fz(CodeBuf *cb, uint8_t *fz)
{
    if (fz) {
        vec_bind_rel32(cb, fz);
    }
}

void vec_bind_rel32(CodeBuf *cb, uint8_t *disp)
{
    x86_patch_rel32(cb->exec_delta, disp, cb_exec_addr(cb, cb->ptr));
}

typedef struct VfCtx {
    CodeBuf *cb;
    const IRInsn *in;
    bool dbl, q;
    uint8_t pfx;            /* 0: ps, 0x66: pd */
} VfCtx;

static void vp(const VfCtx *f, uint8_t opc, int x, X86Operand rm) { x86_sse(f->cb, f->pfx, X86_MAP_0F, opc, x, rm, false); }
static void vcmp(const VfCtx *f, int x, X86Operand rm, uint8_t pred) { x86_sse_imm(f->cb, f->pfx, X86_MAP_0F, 0xc2, x, rm, false, pred); }

enum { OPC_SQRT = 0x51, OPC_ADD = 0x58, OPC_MUL = 0x59, OPC_SUB = 0x5c, OPC_MIN = 0x5d,
       OPC_DIV = 0x5e, OPC_MAX = 0x5f };
enum { P_EQ = 0, P_LT = 1, P_LE = 2, P_UNORD = 3 };

static uint64_t lane_pattern(const VfCtx *f, uint32_t v32, uint64_t v64)
{
    return f->dbl ? v64 : (uint64_t)v32 * 0x0000000100000001ull;
}

static void splat(CodeBuf *cb, int x, uint64_t pattern)
{
    vec_load_const64(cb, x, pattern);
    punpcklqdq(cb, x, xr(x));
}

/* The m operand: V[m], its lane imm broadcast (VA_ELEM), or zero.  In a
 * 64-bit vector the upper lanes are zero (1.0 for FDIV) so that they raise
 * no x86 exception flag. */
static X86Operand m_operand(const VfCtx *f, int scratch)
{
    const IRInsn *in = f->in;
    CodeBuf *cb = f->cb;
    int m = va_m(in->aux);
    if (in->aux & VA_ZERO_M) {
        pxor_rr(cb, scratch, scratch);
    } else if (in->aux & VA_ELEM) {
        if (f->dbl) {
            x86_movq_load(cb, scratch, vreg_at(m, (int)in->imm * 8));
            punpcklqdq(cb, scratch, xr(scratch));
        } else {
            x86_movd_load(cb, scratch, vreg_at(m, (int)in->imm * 4));
            x86_sse_imm(cb, 0x66, X86_MAP_0F, 0x70, scratch, xr(scratch), false, f->q ? 0 : 0x50);
        }
    } else if (f->q) {
        return vreg(m);
    } else if (in->op == IR_VFDIV) {
        splat(cb, scratch, lane_pattern(f, 0x3f800000u, 0x3ff0000000000000ull));
        x86_sse(cb, 0, X86_MAP_0F, 0x12, scratch, vreg(m), false);     /* movlps */
    } else {
        x86_movq_load(cb, scratch, vreg(m));
    }
    return xr(scratch);
}

/* eax = nonzero if a lane of xmm x is a NaN or, with `tiny`, +-the
 * smallest normal (clobbers xmm12, xmm13, xmm14). */
static void slow_lanes(const VfCtx *f, int x, bool tiny)
{
    CodeBuf *cb = f->cb;
    movaps_rr(cb, 13, x);
    vcmp(f, 13, xr(x), P_UNORD);
    if (tiny) {
        splat(cb, 14, lane_pattern(f, 0x7fffffffu, 0x7fffffffffffffffull));
        movaps_rr(cb, 12, x);
        pand(cb, 12, xr(14));
        splat(cb, 14, lane_pattern(f, 0x00800000u, 0x0010000000000000ull));
        if (f->dbl) {
            sse66_38(cb, 0x29, 12, xr(14));     /* pcmpeqq */
        } else {
            sse66(cb, 0x76, 12, xr(14));        /* pcmpeqd */
        }
        por(cb, 13, xr(12));
    }
    x86_sse(cb, 0, X86_MAP_0F, 0x50, X86_RAX, xr(13), false);      /* movmskps eax */
}

/* Branch to the slow path if eax != 0 (or fz jumped here); else store
 * xmm `out` to V[d] (store_result). */
typedef void (*StoreFn)(const VfCtx *f, int out);

static void default_store(const VfCtx *f, int out)
{
    store_v(f->cb, va_d(f->in->aux), out, f->q);
}

static void finish(const VfCtx *f, int out, uint8_t *fz, StoreFn store)
{
    CodeBuf *cb = f->cb;
    const IRInsn *in = f->in;
    x86_test(cb, 4, x86_r(X86_RAX), x86_r(X86_RAX));
    uint8_t *fine = x86_jcc8(cb, X86_CC_E);
    vec_bind_fz(cb, fz);
    vec_emit_slow_call(cb, fp_vec_slow,
                       fp_vec_slow_desc(in->op - IR_VFADD, in->aux, f->dbl, (uint32_t)in->imm));
    uint8_t *done = x86_jmp8(cb);
    x86_bind_rel8(cb, fine);
    store(f, out);
    x86_bind_rel8(cb, done);
}

/* FADD FSUB FMUL FDIV FSQRT FMLA FMLS. */
static void lower_arith(const VfCtx *f)
{
    CodeBuf *cb = f->cb;
    const IRInsn *in = f->in;
    bool check_tiny = in->op == IR_VFMUL || in->op == IR_VFDIV || in->op == IR_VFMLA;
    uint8_t *fz = vec_fz_check(cb);
    switch (in->op) {
    case IR_VFSQRT:
        load_v(cb, 1, va_n(in->aux), f->q);
        vp(f, OPC_SQRT, 0, xr(1));
        break;
    case IR_VFMLA:
        load_v(cb, 0, va_d(in->aux), f->q);
        load_v(cb, 1, va_n(in->aux), f->q);
        if (in->aux & VA_NEG) {
            splat(cb, 2, lane_pattern(f, 0x80000000u, 1ull << 63));
            pxor(cb, 1, xr(2));
        }
        /* vfmadd231p[sd] xmm0, xmm1, m: xmm0 = xmm1 * m + xmm0 */
        x86_vex(cb, 0x66, X86_MAP_0F38, f->dbl, 0, 0xb8, 0, 1, m_operand(f, 3));
        break;
    default: {
        static const uint8_t opc[] = { OPC_ADD, OPC_SUB, OPC_MUL, OPC_DIV };
        load_v(cb, 0, va_n(in->aux), f->q);
        vp(f, opc[in->op - IR_VFADD], 0, m_operand(f, 1));
        break;
    }
    }
    slow_lanes(f, 0, check_tiny);
    finish(f, 0, fz, default_store);
}

/* FMAX FMIN FMAXNM FMINNM: numbers only (a NaN input takes the slow path
 * before maxps can raise Invalid); max(+0, -0) = +0, min = -0. */
static void lower_minmax(const VfCtx *f)
{
    CodeBuf *cb = f->cb;
    const IRInsn *in = f->in;
    bool is_max = in->op == IR_VFMAX || in->op == IR_VFMAXNM;
    uint8_t *fz = vec_fz_check(cb);
    load_v(cb, 2, va_n(in->aux), f->q);
    load_v(cb, 3, va_m(in->aux), f->q);
    movaps_rr(cb, 13, 2);
    vcmp(f, 13, xr(3), P_UNORD);
    x86_sse(cb, 0, X86_MAP_0F, 0x50, X86_RAX, xr(13), false);
    x86_test(cb, 4, x86_r(X86_RAX), x86_r(X86_RAX));
    uint8_t *has_nan = x86_jcc8(cb, X86_CC_NE);
    movaps_rr(cb, 0, 2);
    vp(f, is_max ? OPC_MAX : OPC_MIN, 0, xr(3));
    vp(f, is_max ? OPC_MAX : OPC_MIN, 3, xr(2));
    if (is_max) {
        pand(cb, 0, xr(3));
    } else {
        por(cb, 0, xr(3));
    }
    x86_bind_rel8(cb, has_nan);                 /* eax != 0 here: slow path */
    finish(f, 0, fz, default_store);
}

/* FCMEQ FCMGE FCMGT FACGE FACGT (with #0: VA_ZERO_M), FCMLE #0, FCMLT #0.
 * cmpps' EQ is quiet and LT/LE signal on any NaN, as Arm's compares do. */
static void lower_compare(const VfCtx *f)
{
    CodeBuf *cb = f->cb;
    const IRInsn *in = f->in;
    int n = va_n(in->aux);
    uint8_t *fz = vec_fz_check(cb);
    switch (in->op) {
    case IR_VFCMEQ:
        load_v(cb, 0, n, f->q);
        vcmp(f, 0, m_operand(f, 1), P_EQ);
        break;
    case IR_VFCMGE: case IR_VFCMGT:             /* m <= n, m < n */
        if (in->aux & VA_ZERO_M) {
            pxor_rr(cb, 0, 0);
        } else {
            load_v(cb, 0, va_m(in->aux), f->q);
        }
        load_v(cb, 1, n, f->q);
        vcmp(f, 0, xr(1), in->op == IR_VFCMGE ? P_LE : P_LT);
        break;
    case IR_VFACGE: case IR_VFACGT:             /* |m| <= |n| */
        splat(cb, 2, lane_pattern(f, 0x7fffffffu, 0x7fffffffffffffffull));
        load_v(cb, 0, va_m(in->aux), f->q);
        load_v(cb, 1, n, f->q);
        pand(cb, 0, xr(2));
        pand(cb, 1, xr(2));
        vcmp(f, 0, xr(1), in->op == IR_VFACGE ? P_LE : P_LT);
        break;
    default:                                    /* n <= 0, n < 0 */
        load_v(cb, 0, n, f->q);
        pxor_rr(cb, 1, 1);
        vcmp(f, 0, xr(1), in->op == IR_VFCMLE0 ? P_LE : P_LT);
        break;
    }
    x86_alu(cb, X86_XOR, 4, x86_r(X86_RAX), x86_r(X86_RAX));
    finish(f, 0, fz, default_store);
}

/* FCVT[NMPZ]S .2s/.4s: round (raising Inexact), convert, then saturate
 * where x86 gives 0x80000000: positive overflow -> INT32_MAX, NaN -> 0. */
static void lower_to_int(const VfCtx *f)
{
    CodeBuf *cb = f->cb;
    const IRInsn *in = f->in;
    uint8_t *fz = vec_fz_check(cb);
    load_v(cb, 0, va_n(in->aux), f->q);
    if (in->imm != FPROUND_ZERO) {
        /* roundps: FPROUND_NEAREST/DOWN/UP are its imm 0/1/2 */
        sse66_3a(cb, 0x08, 0, xr(0), (uint8_t)(in->imm & 3));
    }
    splat(cb, 2, 0x4f0000004f000000ull);        /* 2^31 */
    vcmp(f, 2, xr(0), P_LE);                    /* 2^31 <= x */
    movaps_rr(cb, 3, 0);
    vcmp(f, 3, xr(0), P_UNORD);
    x86_sse(cb, 0xf3, X86_MAP_0F, 0x5b, 0, xr(0), false);  /* cvttps2dq */
    pxor(cb, 0, xr(2));
    pandn(cb, 3, xr(0));
    x86_alu(cb, X86_XOR, 4, x86_r(X86_RAX), x86_r(X86_RAX));
    finish(f, 3, fz, default_store);
}

static void store_narrow(const VfCtx *f, int out)
{
    int d = va_d(f->in->aux);
    if (f->in->aux & VA_HIGH) {
        x86_movq_store(f->cb, vreg_at(d, 8), out);
    } else {
        x86_movdqa_store(f->cb, vreg(d), out);
    }
}

static void store_full(const VfCtx *f, int out)
{
    x86_movdqa_store(f->cb, vreg(va_d(f->in->aux)), out);
}

/* FCVTL(2) .2d <- .2s and FCVTN(2) .2s <- .2d. */
static void lower_fcvt_vec(const VfCtx *f)
{
    CodeBuf *cb = f->cb;
    const IRInsn *in = f->in;
    uint8_t *fz = vec_fz_check(cb);
    int n = va_n(in->aux);
    VfCtx wide = *f;
    wide.dbl = true;
    wide.pfx = 0x66;
    if (in->op == IR_VFCVTL) {
        x86_sse(cb, 0, X86_MAP_0F, 0x5a, 0, vreg_at(n, (in->aux & VA_HIGH) ? 8 : 0), false);
        slow_lanes(&wide, 0, false);
        finish(f, 0, fz, store_full);
        return;
    }
    x86_sse(cb, 0x66, X86_MAP_0F, 0x5a, 0, vreg(n), false);   /* cvtpd2ps */
    VfCtx narrow = *f;
    narrow.dbl = false;
    narrow.pfx = 0;
    slow_lanes(&narrow, 0, true);
    finish(f, 0, fz, store_narrow);
}

/* FRINT[NPMZXI] .2d/.4s/.2s: roundpd/roundps, which treat NaNs as Arm
 * does (SNaN quieted with Invalid, QNaN unchanged) unless FPCR.DN; FZ or
 * DN take the exact path.  A 64-bit vector's upper lanes load as zero. */
static void lower_frint_vec(const VfCtx *f)
{
    CodeBuf *cb = f->cb;
    const IRInsn *in = f->in;
    x86_test(cb, 4, x86_m(X86_R15, ENV_OFF(fpcr)), x86_i(3 << 24));
    uint8_t *slow = x86_jcc(cb, X86_CC_NE, 0);
    load_v(cb, 0, va_n(in->aux), f->q);
    sse66_3a(cb, f->dbl ? 0x09 : 0x08, 0, xr(0),
             (uint8_t)((in->imm & 7) | (in->aux & VA_NEG ? 0 : 8)));   /* FPROUND_N/M/P/Z/FPCR = round imm 0..4 */
    store_v(cb, va_d(in->aux), 0, f->q);
    uint8_t *done = x86_jmp8(cb);
    vec_bind_rel32(cb, slow);
    vec_emit_slow_call(cb, fp_vec_slow,
                       fp_vec_slow_desc(in->op - IR_VFADD, in->aux, f->dbl, (uint32_t)in->imm));
    x86_bind_rel8(cb, done);
}

bool lower_vec_fp(const VecOp *v)
{
    const IRInsn *in = v->in;
    bool dbl = (in->mop & MO_SIZE) == MO_64;
    VfCtx f = { v->cb, in, dbl, (in->aux & VA_Q) != 0, dbl ? 0x66 : 0 };
    CodeBuf *cb = v->cb;
    switch (in->op) {
    case IR_VFADD: case IR_VFSUB: case IR_VFMUL: case IR_VFDIV: case IR_VFMLA: case IR_VFSQRT:
        lower_arith(&f);
        return true;
    case IR_VFMAX: case IR_VFMIN: case IR_VFMAXNM: case IR_VFMINNM:
        lower_minmax(&f);
        return true;
    case IR_VFCMEQ: case IR_VFCMGE: case IR_VFCMGT: case IR_VFCMLE0: case IR_VFCMLT0:
    case IR_VFACGE: case IR_VFACGT:
        lower_compare(&f);
        return true;
    case IR_VFABS: case IR_VFNEG:               /* sign-bit operations: no flags, no flushing */
        load_v(cb, 0, va_n(in->aux), f.q);
        if (in->op == IR_VFABS) {
            splat(cb, 1, lane_pattern(&f, 0x7fffffffu, 0x7fffffffffffffffull));
            pand(cb, 0, xr(1));
        } else {
            splat(cb, 1, lane_pattern(&f, 0x80000000u, 1ull << 63));
            pxor(cb, 0, xr(1));
        }
        store_v(cb, va_d(in->aux), 0, f.q);
        return true;
    case IR_VFCVT_FROM_S:                       /* exact flags, never a denormal */
        load_v(cb, 1, va_n(in->aux), f.q);
        x86_sse(cb, 0, X86_MAP_0F, 0x5b, 0, xr(1), false);  /* cvtdq2ps */
        store_v(cb, va_d(in->aux), 0, f.q);
        return true;
    case IR_VFCVT_TO_S:
        lower_to_int(&f);
        return true;
    case IR_VFCVTL: case IR_VFCVTN:
        lower_fcvt_vec(&f);
        return true;
    case IR_VFRINT:
        lower_frint_vec(&f);
        return true;
    default:
        return false;
    }
}

bool lower_vec_fp_clobbers_flags(const IRInsn *in)
{
    return in->op >= IR_VFADD && in->op <= IR_VFRINT && in->op != IR_VFABS &&
           in->op != IR_VFNEG && in->op != IR_VFCVT_FROM_S;
}
