/*
 * Lowering of the AdvSIMD IR ops (loads/stores, lane moves, integer vector
 * arithmetic, compares, permutes, reductions) to SSE2/SSSE3/SSE4.1.  The
 * scalar FP ops are in lower-fp.c.  Every guest V register is an operand
 * in env->v[] (16-byte aligned), loaded into xmm0.. for the op and stored
 * back; a 64-bit vector result has its upper half zeroed on the way out.
 */
#include <assert.h>
#include <string.h>

#include "host/x86_64/backend.h"
#include "host/x86_64/lower-vec.h"

/* ---- shared helpers ------------------------------------------------------ */

void vec_load_const64(CodeBuf *cb, int x, uint64_t val)
{
    if (val == 0) {
        pxor_rr(cb, x, x);
        return;
    }
    x86_mov(cb, 8, x86_r(X86_RAX), x86_i((int64_t)val));
    x86_movq_load(cb, x, x86_r(X86_RAX));
}

void vec_load_table(CodeBuf *cb, int x, const void *table16)
{
    x86_mov_addr(cb, X86_RAX, (uintptr_t)table16);
    x86_movdqu_load(cb, x, x86_m(X86_RAX, 0));
}

X86Reg vec_src_reg(const VecOp *v, int i, int size)
{
    X86Operand o = v->src[i];
    if (o.kind == X86_OP_REG) {
        return o.reg;
    }
    x86_mov(v->cb, size < 4 ? 4 : size, x86_r(X86_RAX), o);
    return X86_RAX;
}

X86Reg vec_dst_reg(const VecOp *v)
{
    return v->dst.kind == X86_OP_REG ? v->dst.reg : X86_RAX;
}

void vec_dst_finish(const VecOp *v, X86Reg r)
{
    if (v->dst.kind != X86_OP_REG) {
        x86_mov(v->cb, 8, v->dst, x86_r(r));
    }
}

static int esize(const IRInsn *in) { return 1 << (in->mop & MO_SIZE); }
static bool is_q(const IRInsn *in) { return (in->aux & VA_Q) != 0; }

/* The guest address of a load/store: src0 + (int32)imm2. */
static X86Operand guest_addr(const VecOp *v)
{
    int32_t disp = (int32_t)v->in->imm2;
    X86Operand a = v->src[0];
    if (a.kind == X86_OP_REG) {
        return x86_m(a.reg, disp);
    }
    if (a.kind == X86_OP_IMM) {
        x86_mov(v->cb, 8, x86_r(X86_RAX), x86_i(a.imm + disp));
        return x86_m(X86_RAX, 0);
    }
    x86_mov(v->cb, 8, x86_r(X86_RAX), a);
    return x86_m(X86_RAX, disp);
}

/* Load V[r] into xmm: all 128 bits, or the low 64 with the upper zeroed. */

/* Load `size` bytes at `mem` into xmm x, zero-extended to 128 bits. */
static void load_elem(CodeBuf *cb, int x, X86Operand mem, int size)
{
    switch (size) {
    case 1: x86_movzx(cb, 4, 1, X86_RAX, mem); x86_movd_load(cb, x, x86_r(X86_RAX)); break;
    case 2: x86_movzx(cb, 4, 2, X86_RAX, mem); x86_movd_load(cb, x, x86_r(X86_RAX)); break;
    case 4: x86_movd_load(cb, x, mem); break;
    case 8: x86_movq_load(cb, x, mem); break;
    default: x86_movdqu_load(cb, x, mem); break;
    }
}

/* Replicate lane 0 (size bytes) of xmm x into every lane. */
static void broadcast(CodeBuf *cb, int x, int size)
{
    switch (size) {
    case 1:
        pxor_rr(cb, 15, 15);
        sse66_38(cb, 0x00, x, xr(15));                              /* pshufb */
        break;
    case 2:
        x86_sse_imm(cb, 0xf2, X86_MAP_0F, 0x70, x, xr(x), false, 0); /* pshuflw */
        punpcklqdq(cb, x, xr(x));
        break;
    case 4:
        x86_sse_imm(cb, 0x66, X86_MAP_0F, 0x70, x, xr(x), false, 0); /* pshufd */
        break;
    default:
        punpcklqdq(cb, x, xr(x));
        break;
    }
}

/* ---- loads and stores ---------------------------------------------------- */

static void lower_vld(const VecOp *v)
{
    CodeBuf *cb = v->cb;
    const IRInsn *in = v->in;
    X86Operand a = guest_addr(v);
    int size = esize(in);
    switch (in->op) {
    case IR_VLD:
        if (size == 4 || size == 8) {   /* LDR S/D: straight into a cache register */
            int t = fpc_claim(v->fpc, 0);
            load_elem(cb, t, a, size);
            x86_movdqa_store(cb, vreg(va_d(in->aux)), t);
            fpc_bind(v->fpc, t, va_d(in->aux), size * 8);
            break;
        }
        load_elem(cb, 0, a, size);
        x86_movdqa_store(cb, vreg(va_d(in->aux)), 0);
        break;
    case IR_VLD_DUP:
        load_elem(cb, 0, a, size);
        broadcast(cb, 0, size);
        store_v(cb, va_d(in->aux), 0, is_q(in));
        break;
    default: /* IR_VLD_LANE */
        if (size == 8) {
            x86_movq_load(cb, 0, a);
            x86_movq_store(cb, vreg_at(va_d(in->aux), (int)in->imm * 8), 0);
        } else {
            if (size == 4) {
                x86_mov(cb, 4, x86_r(X86_RAX), a);
            } else {
                x86_movzx(cb, 4, size, X86_RAX, a);
            }
            x86_mov(cb, size, vreg_at(va_d(in->aux), (int)in->imm * size), x86_r(X86_RAX));
        }
        break;
    }
}

/* Store lane `lane` of xmm x (size bytes) to memory: pextrb/w/d/q. */
static void store_lane(CodeBuf *cb, X86Operand mem, int x, int size, int lane)
{
    switch (size) {
    case 1: sse66_3a(cb, 0x14, x, mem, (uint8_t)lane); break;
    case 2: sse66_3a(cb, 0x15, x, mem, (uint8_t)lane); break;
    case 4: sse66_3a(cb, 0x16, x, mem, (uint8_t)lane); break;
    default: x86_sse_imm(cb, 0x66, X86_MAP_0F3A, 0x16, x, mem, true, (uint8_t)lane); break;
    }
}

static void lower_vst(const VecOp *v)
{
    CodeBuf *cb = v->cb;
    const IRInsn *in = v->in;
    X86Operand a = guest_addr(v);
    int size = esize(in);
    int d = va_d(in->aux);
    int x = fpc_find(v->fpc, d, 0);     /* all of V[d], when cached */
    if (in->op == IR_VST && size == 16) {
        if (x < 0) {
            x86_movdqa_load(cb, x = 0, vreg(d));
        }
        x86_movdqu_store(cb, a, x);
    } else if (in->op == IR_VST && size == 8) {
        if (x < 0) {
            x86_movq_load(cb, x = 0, vreg(d));
        }
        x86_movq_store(cb, a, x);
    } else if (in->op == IR_VST && size == 4) {
        if (x < 0) {
            x86_movd_load(cb, x = 0, vreg(d));
        }
        x86_movd_store(cb, a, x);
    } else {
        if (x < 0) {
            x86_movdqa_load(cb, x = 0, vreg(d));
        }
        store_lane(cb, a, x, size, in->op == IR_VST ? 0 : (int)in->imm);
    }
}

/* ---- moves between temps and V registers --------------------------------- */

static void lower_vget(const VecOp *v)
{
    const IRInsn *in = v->in;
    int size = esize(in);
    X86Operand src = vreg_at(va_n(in->aux), (int)in->imm * size);
    X86Reg r = vec_dst_reg(v);
    int dsize = in->bits == 64 ? 8 : 4;
    if (size == 8 || (size == 4 && (dsize == 4 || !(in->mop & MO_SIGN)))) {
        x86_mov(v->cb, size, x86_r(r), src);
    } else if (in->mop & MO_SIGN) {
        x86_movsx(v->cb, dsize, size, r, src);
    } else if (size < 4) {
        x86_movzx(v->cb, 4, size, r, src);
    } else {
        x86_mov(v->cb, size, x86_r(r), src);
    }
    vec_dst_finish(v, r);
}

static void lower_vset(const VecOp *v)
{
    const IRInsn *in = v->in;
    int size = esize(in);
    X86Operand lane = vreg_at(va_d(in->aux), (int)in->imm * size);
    X86Operand s = v->src[0];
    if (s.kind == X86_OP_IMM && size <= 4) {
        x86_mov(v->cb, size, lane, x86_i((int64_t)(s.imm & (size == 4 ? 0xffffffffll : (1ll << (8 * size)) - 1))));
        return;
    }
    x86_mov(v->cb, size, lane, x86_r(vec_src_reg(v, 0, size)));
}

static void lower_vset_zx(const VecOp *v)
{
    CodeBuf *cb = v->cb;
    const IRInsn *in = v->in;
    int size = esize(in);
    X86Reg r = vec_src_reg(v, 0, size == 8 ? 8 : 4);
    if (size < 4) {
        x86_movzx(cb, 4, size, X86_RAX, x86_r(r));
        r = X86_RAX;
    }
    if (size == 8) {
        x86_movq_load(cb, 0, x86_r(r));
    } else {
        x86_movd_load(cb, 0, x86_r(r));
    }
    x86_movdqa_store(cb, vreg(va_d(in->aux)), 0);
}

static void lower_vdup(const VecOp *v)
{
    const IRInsn *in = v->in;
    int size = esize(in);
    X86Reg r = vec_src_reg(v, 0, size == 8 ? 8 : 4);
    if (size == 8) {
        x86_movq_load(v->cb, 0, x86_r(r));
    } else {
        x86_movd_load(v->cb, 0, x86_r(r));
    }
    broadcast(v->cb, 0, size);
    store_v(v->cb, va_d(in->aux), 0, is_q(in));
}

static void lower_vmovi(const VecOp *v)
{
    CodeBuf *cb = v->cb;
    const IRInsn *in = v->in;
    vec_load_const64(cb, 0, in->imm);
    if (in->imm2 == in->imm && in->imm != 0) {
        punpcklqdq(cb, 0, xr(0));
    } else if (in->imm2 != 0) {
        vec_load_const64(cb, 1, in->imm2);
        punpcklqdq(cb, 0, xr(1));
    }
    x86_movdqa_store(cb, vreg(va_d(in->aux)), 0);
}

static void lower_vmov(const VecOp *v)
{
    const IRInsn *in = v->in;
    load_elem(v->cb, 0, vreg(va_n(in->aux)), esize(in));
    x86_movdqa_store(v->cb, vreg(va_d(in->aux)), 0);
}

static void lower_vdup_elt(const VecOp *v)
{
    const IRInsn *in = v->in;
    int size = esize(in);
    load_elem(v->cb, 0, vreg_at(va_n(in->aux), (int)in->imm * size), size);
    broadcast(v->cb, 0, size);
    store_v(v->cb, va_d(in->aux), 0, is_q(in));
}

static void lower_vins_elt(const VecOp *v)
{
    const IRInsn *in = v->in;
    int size = esize(in);
    X86Operand from = vreg_at(va_n(in->aux), (int)in->imm2 * size);
    X86Operand to = vreg_at(va_d(in->aux), (int)in->imm * size);
    if (size == 16) {
        x86_movdqa_load(v->cb, 0, from);
        x86_movdqa_store(v->cb, to, 0);
        return;
    }
    if (size < 4) {
        x86_movzx(v->cb, 4, size, X86_RAX, from);
    } else {
        x86_mov(v->cb, size, x86_r(X86_RAX), from);
    }
    x86_mov(v->cb, size, to, x86_r(X86_RAX));
}

bool lower_vec_op(const VecOp *v)
{
    switch (v->in->op) {
    case IR_VLD: case IR_VLD_DUP: case IR_VLD_LANE: lower_vld(v); return true;
    case IR_VST: case IR_VST_LANE:                  lower_vst(v); return true;
    case IR_VGET:     lower_vget(v); return true;
    case IR_VSET:     lower_vset(v); return true;
    case IR_VSET_ZX:  lower_vset_zx(v); return true;
    case IR_VDUP:     lower_vdup(v); return true;
    case IR_VMOVI:    lower_vmovi(v); return true;
    case IR_VMOV:     lower_vmov(v); return true;
    case IR_VDUP_ELT: lower_vdup_elt(v); return true;
    case IR_VINS_ELT: lower_vins_elt(v); return true;
    default:
        return lower_fp_op(v) || lower_vec_arith(v) || lower_vec_sat(v) || lower_vec_pair(v) || lower_vec_bits(v) ||
               lower_vec_wide(v) || lower_vec_fp(v) ||
               lower_vec_crypto(v);
    }
}

/* Ops that go through the scalar FP register cache; every other op may
 * write V registers or xmm5..xmm14 behind its back. */
static bool keeps_fp_cache(const IRInsn *in)
{
    switch (in->op) {
    case IR_VST: case IR_VST_LANE: return true;           /* read V, write memory, use xmm0 */
    case IR_VLD: return esize(in) == 4 || esize(in) == 8;
    default: return lower_fp_keeps_cache(in);
    }
}

/* The backend's hook (backend.h): collect the temps' locations, let the
 * integer side save guest NZCV if this op changes EFLAGS, lower. */
bool lower_vec(CodeBuf *cb, const IRBlock *blk, const IRInsn *insn, LowerCtx *lc)
{
    VecOp v = { .cb = cb, .in = insn, .fpc = lower_fp_cache(lc) };
    if (!keeps_fp_cache(insn)) {
        fpc_reset(v.fpc);
    }
    for (int i = 0; i < 3; i++) {
        if (insn->src[i] != IR_NONE) {
            v.src[i] = lower_vec_src(lc, i);
        }
    }
    if (insn->dst != IR_NONE) {
        v.dst = x86_r(lower_vec_dst(lc));
    }
    if (lower_vec_clobbers_flags(insn)) {
        lower_vec_clobber_flags(lc);
    }
    return lower_vec_op(&v);
}
