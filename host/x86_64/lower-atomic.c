/*
 * Lowering of the locked read-modify-write IR op ATOMIC_RMW (the LSE
 * atomics LDADD, LDCLR, LDEOR, LDSET, LDSMAX, LDSMIN, LDUMAX, LDUMIN and
 * SWP) and of CRC32C (the SSE4.2 crc32 instruction).
 *
 * x86 locked instructions are full barriers, so every acquire/release
 * variant lowers the same way:
 *   SWP                         xchg
 *   ADD                         lock xadd (lock add when the old value is unused)
 *   CLR/EOR/SET, old unused     lock and/xor/or
 *   everything else             load, then a lock cmpxchg loop
 * Nothing the guest can see changes before the locked access, so a fault
 * there reports precise guest state: results are computed into scratch
 * registers, never straight into a pinned guest register.
 */
#include "host/x86_64/lower-internal.h"

static int access_bytes(const IRInsn *in)
{
    return 1 << (in->mop & MO_SIZE);
}

static uint16_t address_regs_mask(X86Operand m)
{
    return reg_bit(m.base) | reg_bit(m.index);
}

/* Copy the low `size` bytes of `from` into d, zero-extended to 64 bits. */
static void emit_zext_copy(CodeBuf *cb, X86Reg d, X86Reg from, int size)
{
    if (size <= 2) {
        x86_movzx(cb, 4, size, d, x86_r(from));
    } else if (size == 4 || d != from) {
        x86_mov(cb, size, x86_r(d), x86_r(from));
    }
}

/* Load `size` bytes at m into rax, zero-extended. */
static void emit_load_rax(CodeBuf *cb, X86Operand m, int size)
{
    if (size <= 2) {
        x86_movzx(cb, 4, size, X86_RAX, m);
    } else {
        x86_mov(cb, size, x86_r(X86_RAX), m);
    }
}

/* The result register: allocated after the access, so any free one does. */
static void finish_result_from(LowerCtx *lc, X86Reg from, int size)
{
    lower_release_sources(lc);
    X86Reg d = lower_alloc_dst(lc, X86_NOREG, 0);
    emit_zext_copy(lc->cb, d, from, size);
}

static bool result_unused(const LowerCtx *lc)
{
    return lc->insn->dst == IR_NONE || temp_dies_here(lc, lc->insn->dst);
}

/* SWP (xchg) and ADD with the old value (lock xadd): the new value goes
 * into a scratch register that receives the old one. */
static void lower_exchange_form(LowerCtx *lc, bool is_add)
{
    const IRInsn *in = lc->insn;
    int size = access_bytes(in);
    if (is_add) {
        flags_clobber(lc);
    }
    lower_mark_busy(lc, X86_RAX);
    X86Operand m = lower_address(lc, in->src[0]);
    X86Operand vo = lower_operand(lc, in->src[1], 64, ALLOW_REG | ALLOW_MEM | ALLOW_IMM64);
    x86_mov(lc->cb, 8, x86_r(X86_RAX), vo);
    if (is_add) {
        x86_lock_xadd(lc->cb, size, m, X86_RAX);
    } else {
        x86_xchg(lc->cb, size, m, X86_RAX);
    }
    if (!result_unused(lc)) {
        finish_result_from(lc, X86_RAX, size);
    }
}

/* ADD/CLR/EOR/SET whose old value nobody reads: one locked ALU op. */
static void lower_no_result_form(LowerCtx *lc, X86AluOp op, bool invert)
{
    const IRInsn *in = lc->insn;
    int size = access_bytes(in);
    flags_clobber(lc);
    X86Operand m = lower_address(lc, in->src[0]);
    IRTemp v = in->src[1];
    if (temp_is_const(lc, v) && size >= 4) {
        int64_t c = (int64_t)temp_const(lc, v);
        c = invert ? ~c : c;
        if (size == 4 || (c >= INT32_MIN && c <= INT32_MAX)) {
            x86_lock_alu(lc->cb, op, size, m, x86_i(size == 4 ? (int32_t)c : c));
            return;
        }
    }
    X86Operand vo = lower_operand(lc, v, 64, ALLOW_REG | ALLOW_MEM | ALLOW_IMM64);
    X86Reg r = lower_scratch(lc);
    x86_mov(lc->cb, 8, x86_r(r), vo);
    if (invert) {
        x86_unary(lc->cb, X86_NOT, 8, x86_r(r));
    }
    x86_lock_alu(lc->cb, op, size, m, x86_r(r));
}

/* new = f(old in rax, v) into tmp, for the compare-exchange loop. */
static void emit_new_value(LowerCtx *lc, int kind, int size, X86Reg tmp, X86Reg v)
{
    CodeBuf *cb = lc->cb;
    int wide = size == 8 ? 8 : 4;
    X86Cond keep_old;
    switch (kind) {
    case IR_ATOMIC_CLR:
        x86_mov(cb, 8, x86_r(tmp), x86_r(v));
        x86_unary(cb, X86_NOT, 8, x86_r(tmp));
        x86_alu(cb, X86_AND, 8, x86_r(tmp), x86_r(X86_RAX));
        return;
    case IR_ATOMIC_EOR:
    case IR_ATOMIC_SET:
        x86_mov(cb, 8, x86_r(tmp), x86_r(X86_RAX));
        x86_alu(cb, kind == IR_ATOMIC_EOR ? X86_XOR : X86_OR, 8, x86_r(tmp), x86_r(v));
        return;
    case IR_ATOMIC_ADD:
        x86_mov(cb, 8, x86_r(tmp), x86_r(X86_RAX));
        x86_alu(cb, X86_ADD, 8, x86_r(tmp), x86_r(v));
        return;
    case IR_ATOMIC_SMAX: keep_old = X86_CC_G; break;
    case IR_ATOMIC_SMIN: keep_old = X86_CC_L; break;
    case IR_ATOMIC_UMAX: keep_old = X86_CC_A; break;
    default:             keep_old = X86_CC_B; break;     /* UMIN */
    }
    /* Compare at the access width: the flags then order the sized values. */
    x86_alu(cb, X86_CMP, size, x86_r(X86_RAX), x86_r(v));
    x86_mov(cb, 8, x86_r(tmp), x86_r(v));
    x86_cmov(cb, keep_old, wide, tmp, x86_r(X86_RAX));
}

/*   mov(zx) rax, [m]
 * again:
 *   tmp = f(rax, v)
 *   lock cmpxchg [m], tmp      ; on failure rax = the current value
 *   jne again                                                         */
static void lower_cmpxchg_loop(LowerCtx *lc, int kind)
{
    const IRInsn *in = lc->insn;
    CodeBuf *cb = lc->cb;
    int size = access_bytes(in);
    flags_clobber(lc);
    lower_mark_busy(lc, X86_RAX);
    X86Operand m = lower_address(lc, in->src[0]);
    X86Reg v = lower_operand_reg(lc, in->src[1], 64);
    X86Reg tmp = lower_scratch_not_rax(lc);
    emit_load_rax(cb, m, size);
    uint8_t *again = cb->ptr;
    emit_new_value(lc, kind, size, tmp, v);
    x86_lock_cmpxchg(cb, size, m, tmp);
    x86_jcc(cb, X86_CC_NE, cb_exec_addr(cb, again));
    if (!result_unused(lc)) {
        finish_result_from(lc, X86_RAX, size);
    }
}

static void lower_atomic_rmw(LowerCtx *lc)
{
    int kind = lc->insn->cond;
    bool unused = result_unused(lc);
    switch (kind) {
    case IR_ATOMIC_SWP:
        lower_exchange_form(lc, false);
        return;
    case IR_ATOMIC_ADD:
        if (unused) {
            lower_no_result_form(lc, X86_ADD, false);
        } else {
            lower_exchange_form(lc, true);
        }
        return;
    case IR_ATOMIC_CLR:
    case IR_ATOMIC_EOR:
    case IR_ATOMIC_SET:
        if (unused) {
            lower_no_result_form(lc, kind == IR_ATOMIC_CLR ? X86_AND :
                                     kind == IR_ATOMIC_EOR ? X86_XOR : X86_OR,
                                 kind == IR_ATOMIC_CLR);
            return;
        }
        break;
    default:
        break;
    }
    lower_cmpxchg_loop(lc, kind);
}

/* CRC32C: dst = crc32(acc, low mop bytes of src1).  The byte form reads
 * its source through al, which needs no REX prefix. */
static void lower_crc32c(LowerCtx *lc)
{
    const IRInsn *in = lc->insn;
    CodeBuf *cb = lc->cb;
    int size = access_bytes(in);
    flags_clobber(lc);
    lower_mark_busy(lc, X86_RAX);
    X86Operand data = lower_operand(lc, in->src[1], 64, ALLOW_REG | ALLOW_MEM);
    X86Operand acc = lower_operand(lc, in->src[0], 32, ALLOW_REG | ALLOW_MEM | ALLOW_IMM);
    if (data.kind == X86_OP_REG && size == 1) {
        x86_movzx(cb, 4, 1, X86_RAX, data);
        data = x86_r(X86_RAX);
    }
    lower_release_sources(lc);
    uint16_t avoid = data.kind == X86_OP_REG ? reg_bit(data.reg) : address_regs_mask(data);
    X86Reg d = lower_alloc_dst(lc, X86_NOREG, avoid);
    x86_mov(cb, 4, x86_r(d), acc);
    x86_crc32(cb, size, d, data);
}

bool lower_atomic_op(LowerCtx *lc)
{
    switch (lc->insn->op) {
    case IR_ATOMIC_RMW:
        lower_atomic_rmw(lc);
        return true;
    case IR_CRC32C:
        lower_crc32c(lc);
        return true;
    default:
        return false;
    }
}

