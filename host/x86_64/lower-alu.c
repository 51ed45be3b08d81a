/*
 * Lowering of the integer IR ops that neither touch guest flags nor memory:
 * moves, arithmetic, logic, shifts, multiply/divide, bit counting and byte
 * reversal.  Each lowering resolves its operands, gives dying sources back,
 * takes a destination register (preferring a dying first source, so the
 * two-address x86 form needs no copy) and emits.  Ops that need EFLAGS call
 * flags_clobber() first; flagless forms (lea, shlx, rorx, mulx, movzx) are
 * chosen while guest flags are live only in EFLAGS.
 */
#include "host/x86_64/lower-internal.h"

static bool dies_in_reg(const LowerCtx *lc, IRTemp t)
{
    return lc->loc[t].kind == LOC_REG && temp_dies_here(lc, t);
}

static X86Reg prefer_of(const LowerCtx *lc, X86Operand o, IRTemp t)
{
    return o.kind == X86_OP_REG && temp_dies_here(lc, t) ? o.reg : X86_NOREG;
}

static uint64_t width_mask(int bits)
{
    return bits == 32 ? 0xffffffffu : ~0ull;
}

static bool fits_simm32(int64_t v)
{
    return v >= INT32_MIN && v <= INT32_MAX;
}

/* Immediate operand for a constant at this width, if x86 can take it. */
static bool imm_for(int bits, uint64_t v, int64_t *imm)
{
    if (bits == 32) {
        *imm = (int32_t)(uint32_t)v;
        return true;
    }
    *imm = (int64_t)v;
    return fits_simm32(*imm);
}

/* d = a, then the caller applies a one-operand change to d (which
 * zero-extends a 32-bit result; plain moves pass zext). */
static X86Reg copy_first_source_zext(LowerCtx *lc, unsigned allow, bool zext)
{
    const IRInsn *in = lc->insn;
    X86Operand ao = lower_operand(lc, in->src[0], in->bits, allow);
    lower_release_sources(lc);
    X86Reg d = lower_alloc_dst(lc, prefer_of(lc, ao, in->src[0]), 0);
    if (!opnd_is_reg(ao, d) || (zext && in->bits == 32)) {
        x86_mov(lc->cb, op_size(in->bits), x86_r(d), ao);
    }
    return d;
}

static X86Reg copy_first_source(LowerCtx *lc, unsigned allow)
{
    return copy_first_source_zext(lc, allow, false);
}

static bool in_reg(const LowerCtx *lc, IRTemp t, int reg)
{
    const TempLoc *l = &lc->loc[t];
    return (l->kind == LOC_REG || l->kind == LOC_PINNED) && l->reg == reg;
}

/* For a commutative op, which source should be the x86 destination: the one
 * already in the result's pinned register, else one that dies in a register. */
static bool should_swap(const LowerCtx *lc, IRTemp a, IRTemp b)
{
    int sink = lc->loc[lc->insn->dst].sink;
    if (sink >= 0 && in_reg(lc, a, sink) && temp_dies_here(lc, a)) {
        return false;
    }
    if (sink >= 0 && in_reg(lc, b, sink) && temp_dies_here(lc, b)) {
        return true;
    }
    return temp_is_const(lc, a) || (!dies_in_reg(lc, a) && dies_in_reg(lc, b));
}

/* Two-address binary op: d = a; d op= b.  op < 0 means imul. */
static void lower_binop(LowerCtx *lc, int op, bool commutative)
{
    const IRInsn *in = lc->insn;
    int size = op_size(in->bits);
    IRTemp a = in->src[0], b = in->src[1];
    if (commutative && should_swap(lc, a, b)) {
        IRTemp x = a; a = b; b = x;
    }
    flags_clobber(lc);
    X86Operand bo = lower_operand(lc, b, in->bits, ALLOW_REG | ALLOW_MEM | (op >= 0 ? ALLOW_IMM : 0));
    if (op < 0 && bo.kind == X86_OP_IMM) {
        bo = lower_operand(lc, b, in->bits, ALLOW_REG);
    }
    X86Operand ao = lower_operand(lc, a, in->bits, ALLOW_REG | ALLOW_MEM | ALLOW_IMM64);
    bool same = a == b;
    lower_release_sources(lc);
    uint16_t avoid = bo.kind == X86_OP_REG && !same ? reg_bit(bo.reg) : 0;
    X86Reg d = lower_alloc_dst(lc, prefer_of(lc, ao, a), avoid);
    if (!opnd_is_reg(ao, d)) {
        x86_mov(lc->cb, size, x86_r(d), ao);
    }
    X86Operand src = same ? x86_r(d) : bo;
    if (op < 0) {
        x86_imul(lc->cb, size, d, src);
    } else {
        x86_alu(lc->cb, (X86AluOp)op, size, x86_r(d), src);
    }
}

/* d = a op imm (any constant). */
static void lower_op_const(LowerCtx *lc, X86AluOp op, uint64_t v)
{
    int size = op_size(lc->insn->bits);
    flags_clobber(lc);
    X86Reg d = copy_first_source(lc, ALLOW_REG | ALLOW_MEM | ALLOW_IMM64);
    int64_t imm;
    if (imm_for(lc->insn->bits, v, &imm)) {
        x86_alu(lc->cb, op, size, x86_r(d), x86_i(imm));
    } else {
        X86Reg r = lower_scratch(lc);
        x86_mov(lc->cb, 8, x86_r(r), x86_i((int64_t)v));
        x86_alu(lc->cb, op, size, x86_r(d), x86_r(r));
    }
}

/* ADD base, x << k (regalloc folded the shift): lea d, [base + x*2^k]. */
static void lower_scaled_add(LowerCtx *lc)
{
    const IRInsn *in = lc->insn;
    const TempLoc *dl = &lc->loc[in->dst];
    IRTemp base = dl->base, index = dl->index;
    X86Reg br = lower_operand_reg(lc, base, 64);
    X86Reg ir = lower_operand_reg(lc, index, 64);
    lower_release_sources(lc);
    X86Reg prefer = temp_dies_here(lc, base) && lc->loc[base].kind == LOC_NONE ? br
                  : temp_dies_here(lc, index) && lc->loc[index].kind == LOC_NONE ? ir : X86_NOREG;
    X86Reg d = lower_alloc_dst(lc, prefer, 0);
    x86_lea(lc->cb, op_size(in->bits), d, x86_mi(br, ir, dl->scale, 0));
}

/* SUB of a non-constant while guest NZCV lives only in EFLAGS: a - b =
 * a + ~b + 1 by not and lea, which leave EFLAGS alone -- cheaper than
 * saving NZCV to env here and reloading it for its next reader. */
static void lower_sub_keeping_flags(LowerCtx *lc)
{
    const IRInsn *in = lc->insn;
    int size = op_size(in->bits);
    X86Reg ar = lower_operand_reg(lc, in->src[0], in->bits);
    X86Operand bo = lower_operand(lc, in->src[1], in->bits, ALLOW_REG | ALLOW_MEM);
    lower_release_sources(lc);
    X86Reg d = lower_alloc_dst(lc, prefer_of(lc, bo, in->src[1]), reg_bit(ar));
    if (!opnd_is_reg(bo, d)) {
        x86_mov(lc->cb, size, x86_r(d), bo);
    }
    x86_unary(lc->cb, X86_NOT, size, x86_r(d));
    x86_lea(lc->cb, size, d, x86_mi(ar, d, 1, 1));
}

/* ADD, and SUB of a constant: lea when that saves a copy or keeps the
 * guest flags in EFLAGS; add otherwise. */
static void lower_add_sub(LowerCtx *lc, bool sub)
{
    const IRInsn *in = lc->insn;
    int size = op_size(in->bits);
    IRTemp a = in->src[0], b = in->src[1];
    if (!sub && lc->loc[in->dst].scaled_add) {
        lower_scaled_add(lc);
        return;
    }
    if (!sub && temp_is_const(lc, a)) {
        IRTemp x = a; a = b; b = x;
    }
    int64_t disp = 0;
    bool const_b = temp_is_const(lc, b);
    if (const_b) {
        uint64_t v = temp_const(lc, b);
        const_b = imm_for(in->bits, sub ? (uint64_t)-v : v, &disp);
    }
    if (sub && !const_b) {
        if (flags_at_risk(lc)) {
            lower_sub_keeping_flags(lc);
        } else {
            lower_binop(lc, X86_SUB, false);
        }
        return;
    }
    bool keep_flags = flags_at_risk(lc);
    X86Operand bo = const_b ? x86_i(disp) : lower_operand(lc, b, in->bits, ALLOW_REG);
    X86Operand ao = lower_operand(lc, a, in->bits, ALLOW_REG | ALLOW_MEM | ALLOW_IMM64);
    if (keep_flags && ao.kind != X86_OP_REG) {
        ao = lower_operand(lc, a, in->bits, ALLOW_REG);
    }
    lower_release_sources(lc);
    X86Reg d = lower_alloc_dst(lc, prefer_of(lc, ao, a),
                               ao.kind != X86_OP_REG && bo.kind == X86_OP_REG ? reg_bit(bo.reg) : 0);
    if (const_b && disp == 0) {
        if (!opnd_is_reg(ao, d) || size == 4) {
            x86_mov(lc->cb, size, x86_r(d), ao);
        }
        return;
    }
    if (ao.kind == X86_OP_REG && (ao.reg != d || keep_flags)) {
        X86Operand m = bo.kind == X86_OP_IMM ? x86_m(ao.reg, (int32_t)disp)
                                             : x86_mi(ao.reg, bo.reg, 1, 0);
        x86_lea(lc->cb, size, d, m);
        return;
    }
    if (!opnd_is_reg(ao, d)) {
        x86_mov(lc->cb, size, x86_r(d), ao);
    }
    flags_clobber(lc);              /* not at risk here: emits nothing */
    x86_alu(lc->cb, X86_ADD, size, x86_r(d), bo);
}

/* AND with 0xff / 0xffff / 0xffffffff is a flagless zero-extension. */
static bool lower_and_as_zext(LowerCtx *lc)
{
    const IRInsn *in = lc->insn;
    if (!temp_is_const(lc, in->src[1])) {
        return false;
    }
    uint64_t v = temp_const(lc, in->src[1]) & width_mask(in->bits);
    int from = v == 0xff ? 1 : v == 0xffff ? 2 : v == 0xffffffffu ? 4 : 0;
    if (!from) {
        return false;
    }
    X86Operand ao = lower_operand(lc, in->src[0], 64, ALLOW_REG | ALLOW_MEM);
    lower_release_sources(lc);
    X86Reg d = lower_alloc_dst(lc, prefer_of(lc, ao, in->src[0]), 0);
    if (from == 4) {
        x86_mov(lc->cb, 4, x86_r(d), ao);
    } else {
        x86_movzx(lc->cb, 4, from, d, ao);
    }
    return true;
}

/* BIC / ORN / EON: a op ~b. */
static void lower_op_not_b(LowerCtx *lc, X86AluOp op)
{
    const IRInsn *in = lc->insn;
    int size = op_size(in->bits);
    IRTemp a = in->src[0], b = in->src[1];
    if (temp_is_const(lc, b)) {
        lower_op_const(lc, op, ~temp_const(lc, b) & width_mask(in->bits));
        return;
    }
    flags_clobber(lc);
    if (op == X86_AND && lc->feat->bmi1) {
        X86Operand ao = lower_operand(lc, a, in->bits, ALLOW_REG | ALLOW_MEM);
        X86Reg br = lower_operand_reg(lc, b, in->bits);
        lower_release_sources(lc);
        X86Reg d = lower_alloc_dst(lc, prefer_of(lc, ao, a), 0);
        x86_andn(lc->cb, size, d, br, ao);
        return;
    }
    X86Operand ao = lower_operand(lc, a, in->bits, ALLOW_REG | ALLOW_MEM | ALLOW_IMM);
    X86Operand bo = lower_operand(lc, b, in->bits, ALLOW_REG | ALLOW_MEM);
    lower_release_sources(lc);
    uint16_t avoid = ao.kind == X86_OP_REG ? reg_bit(ao.reg) : 0;
    X86Reg d = lower_alloc_dst(lc, a == b ? X86_NOREG : prefer_of(lc, bo, b), avoid);
    if (!opnd_is_reg(bo, d)) {
        x86_mov(lc->cb, size, x86_r(d), bo);
    }
    x86_unary(lc->cb, X86_NOT, size, x86_r(d));
    x86_alu(lc->cb, op, size, x86_r(d), ao);
}

/* SHL/SHR/SAR/ROR.  The amount is taken modulo the width, which is what
 * x86 does for 32- and 64-bit operands. */
/* dst = a shifted by the count in register cnt, leaving EFLAGS alone
 * (BMI2 shlx/shrx/sarx). */
static void emit_bmi2_shift(LowerCtx *lc, X86ShiftOp sop, int size, IRTemp a, X86Reg cnt)
{
    X86Operand ao = lower_operand(lc, a, lc->insn->bits, ALLOW_REG | ALLOW_MEM);
    lower_release_sources(lc);
    X86Reg d = lower_alloc_dst(lc, prefer_of(lc, ao, a), 0);
    if (sop == X86_SHL) x86_shlx(lc->cb, size, d, ao, cnt);
    else if (sop == X86_SHR) x86_shrx(lc->cb, size, d, ao, cnt);
    else x86_sarx(lc->cb, size, d, ao, cnt);
}

static void lower_shift(LowerCtx *lc, X86ShiftOp sop)
{
    const IRInsn *in = lc->insn;
    int size = op_size(in->bits);
    IRTemp a = in->src[0], b = in->src[1];
    bool bmi2 = lc->feat->bmi2;
    if (temp_is_const(lc, b)) {
        uint8_t n = (uint8_t)(temp_const(lc, b) & (uint64_t)(in->bits - 1));
        if (n == 0) {
            copy_first_source_zext(lc, ALLOW_REG | ALLOW_MEM | ALLOW_IMM64, true);
            return;
        }
        if (sop == X86_ROR && bmi2) {
            X86Operand ao = lower_operand(lc, a, in->bits, ALLOW_REG | ALLOW_MEM);
            lower_release_sources(lc);
            x86_rorx(lc->cb, size, lower_alloc_dst(lc, prefer_of(lc, ao, a), 0), ao, n);
            return;
        }
        if (!(bmi2 && flags_at_risk(lc))) {
            flags_clobber(lc);
            X86Reg d = copy_first_source(lc, ALLOW_REG | ALLOW_MEM | ALLOW_IMM64);
            x86_shift_imm(lc->cb, sop, size, x86_r(d), n);
            return;
        }
        /* keep EFLAGS: count in rax, then the BMI2 form below */
        lower_mark_busy(lc, X86_RAX);
        x86_mov(lc->cb, 4, x86_r(X86_RAX), x86_i(n));
        emit_bmi2_shift(lc, sop, size, a, X86_RAX);
        return;
    }
    if (bmi2 && sop != X86_ROR) {
        emit_bmi2_shift(lc, sop, size, a, lower_operand_reg(lc, b, in->bits));
        return;
    }
    flags_clobber(lc);
    lower_reserve(lc, X86_RCX);
    X86Operand bo = lower_operand(lc, b, in->bits, ALLOW_REG | ALLOW_MEM | ALLOW_IMM64);
    x86_mov(lc->cb, 4, x86_r(X86_RCX), bo);
    X86Operand ao = lower_operand(lc, a, in->bits, ALLOW_REG | ALLOW_MEM | ALLOW_IMM64);
    lower_release_sources(lc);
    X86Reg d = lower_alloc_dst(lc, prefer_of(lc, ao, a), reg_bit(X86_RCX));
    if (!opnd_is_reg(ao, d)) {
        x86_mov(lc->cb, size, x86_r(d), ao);
    }
    x86_shift_cl(lc->cb, sop, size, x86_r(d));
}

static void lower_mul(LowerCtx *lc)
{
    const IRInsn *in = lc->insn;
    IRTemp a = in->src[0], b = in->src[1];
    if (temp_is_const(lc, a)) {
        IRTemp x = a; a = b; b = x;
    }
    int64_t imm;
    if (temp_is_const(lc, b) && imm_for(in->bits, temp_const(lc, b), &imm)) {
        flags_clobber(lc);
        X86Operand ao = lower_operand(lc, a, in->bits, ALLOW_REG | ALLOW_MEM);
        lower_release_sources(lc);
        X86Reg d = lower_alloc_dst(lc, prefer_of(lc, ao, a), 0);
        x86_imul_imm(lc->cb, op_size(in->bits), d, ao, (int32_t)imm);
        return;
    }
    lower_binop(lc, -1, true);
}

/* High 64 bits of the 128-bit product: mulx (flagless) or mul/imul. */
static void lower_mul_high(LowerCtx *lc, bool is_signed)
{
    const IRInsn *in = lc->insn;
    bool use_mulx = !is_signed && lc->feat->bmi2;
    if (!use_mulx) {
        flags_clobber(lc);
    }
    lower_reserve(lc, X86_RDX);
    lower_mark_busy(lc, X86_RAX);
    X86Operand bo = lower_operand(lc, in->src[1], 64, ALLOW_REG | ALLOW_MEM);
    X86Operand ao = lower_operand(lc, in->src[0], 64, ALLOW_REG | ALLOW_MEM | ALLOW_IMM64);
    if (use_mulx) {
        x86_mov(lc->cb, 8, x86_r(X86_RDX), ao);
        lower_release_sources(lc);
        X86Reg d = lower_alloc_dst(lc, X86_RDX, 0);
        x86_mulx(lc->cb, 8, d, X86_RAX, bo);
        return;
    }
    x86_mov(lc->cb, 8, x86_r(X86_RAX), ao);
    x86_unary(lc->cb, is_signed ? X86_IMUL1 : X86_MUL1, 8, bo);
    lower_release_sources(lc);
    X86Reg d = lower_alloc_dst(lc, X86_RDX, 0);
    emit_mov_operand(lc, 8, d, x86_r(X86_RDX));
}

/* Arm division never traps: x/0 = 0, and MIN/-1 = MIN (computed as -x). */
static void lower_div(LowerCtx *lc, bool is_signed)
{
    const IRInsn *in = lc->insn;
    int size = op_size(in->bits);
    CodeBuf *cb = lc->cb;
    flags_clobber(lc);
    lower_reserve(lc, X86_RDX);
    lower_mark_busy(lc, X86_RAX);
    X86Operand bo = lower_operand(lc, in->src[1], in->bits, ALLOW_REG | ALLOW_MEM);
    X86Operand ao = lower_operand(lc, in->src[0], in->bits, ALLOW_REG | ALLOW_MEM | ALLOW_IMM64);
    x86_alu(cb, X86_XOR, 4, x86_r(X86_RAX), x86_r(X86_RAX));
    x86_alu(cb, X86_CMP, size, bo, x86_i(0));
    uint8_t *by_zero = x86_jcc8(cb, X86_CC_E);
    x86_mov(cb, size, x86_r(X86_RAX), ao);
    uint8_t *negated = NULL;
    if (is_signed) {
        x86_alu(cb, X86_CMP, size, bo, x86_i(-1));
        uint8_t *divide = x86_jcc8(cb, X86_CC_NE);
        x86_unary(cb, X86_NEG, size, x86_r(X86_RAX));
        negated = x86_jmp8(cb);
        x86_bind_rel8(cb, divide);
        if (size == 8) x86_cqo(cb); else x86_cdq(cb);
        x86_unary(cb, X86_IDIV, size, bo);
    } else {
        x86_alu(cb, X86_XOR, 4, x86_r(X86_RDX), x86_r(X86_RDX));
        x86_unary(cb, X86_DIV, size, bo);
    }
    x86_bind_rel8(cb, by_zero);
    if (negated) {
        x86_bind_rel8(cb, negated);
    }
    lower_release_sources(lc);
    X86Reg d = lower_alloc_dst(lc, X86_NOREG, 0);
    x86_mov(cb, size, x86_r(d), x86_r(X86_RAX));
}

/* d = leading zeros of src (width for 0): lzcnt, or bsr with a fix-up
 * (bsr gives the top set bit's index k; (w-1) ^ k = w-1-k, and for 0 the
 * cmov supplies 2w-1, which the xor turns into w). */
static void emit_clz(LowerCtx *lc, int size, X86Reg d, X86Operand src)
{
    int w = size * 8;
    if (lc->feat->lzcnt) {
        x86_lzcnt(lc->cb, size, d, src);
        return;
    }
    x86_bsr(lc->cb, size, d, src);
    x86_mov(lc->cb, 4, x86_r(X86_RAX), x86_i(2 * w - 1));
    x86_cmov(lc->cb, X86_CC_E, size, d, x86_r(X86_RAX));
    x86_alu(lc->cb, X86_XOR, size, x86_r(d), x86_i(w - 1));
}

/* Source (register or memory) and destination of a one-source bit count,
 * with rax kept free for the fix-up of a zero input. */
static X86Reg bit_count_operands(LowerCtx *lc, X86Operand *src)
{
    const IRInsn *in = lc->insn;
    flags_clobber(lc);
    lower_mark_busy(lc, X86_RAX);
    *src = lower_operand(lc, in->src[0], in->bits, ALLOW_REG | ALLOW_MEM);
    lower_release_sources(lc);
    return lower_alloc_dst(lc, prefer_of(lc, *src, in->src[0]), 0);
}

static void lower_clz(LowerCtx *lc)
{
    X86Operand ao;
    X86Reg d = bit_count_operands(lc, &ao);
    emit_clz(lc, op_size(lc->insn->bits), d, ao);
}

/* tzcnt; without BMI1, bsf and a zero input's count put in by cmov. */
static void lower_ctz(LowerCtx *lc)
{
    const IRInsn *in = lc->insn;
    int size = op_size(in->bits);
    X86Operand ao;
    X86Reg d = bit_count_operands(lc, &ao);
    if (lc->feat->bmi1) {
        x86_tzcnt(lc->cb, size, d, ao);
        return;
    }
    x86_bsf(lc->cb, size, d, ao);
    x86_mov(lc->cb, 4, x86_r(X86_RAX), x86_i(in->bits));
    x86_cmov(lc->cb, X86_CC_E, size, d, x86_r(X86_RAX));
}

/* CLS(x) = CLZ(x ^ (x >> 1 arithmetic)) - 1: the xor has a zero top bit
 * and its first one marks where the sign run ends. */
static void lower_cls(LowerCtx *lc)
{
    const IRInsn *in = lc->insn;
    int size = op_size(in->bits);
    flags_clobber(lc);
    lower_mark_busy(lc, X86_RAX);
    X86Operand ao = lower_operand(lc, in->src[0], in->bits, ALLOW_REG | ALLOW_MEM);
    x86_mov(lc->cb, size, x86_r(X86_RAX), ao);
    x86_shift_imm(lc->cb, X86_SAR, size, x86_r(X86_RAX), 1);
    x86_alu(lc->cb, X86_XOR, size, x86_r(X86_RAX), ao);
    lower_release_sources(lc);
    X86Reg d = lower_alloc_dst(lc, X86_NOREG, 0);
    emit_clz(lc, size, d, x86_r(X86_RAX));
    x86_alu(lc->cb, X86_SUB, size, x86_r(d), x86_i(1));
}

/* d = ((d >> n) & m) | ((d & m) << n), with m in a register for 64 bits. */
static void emit_swap_fields(LowerCtx *lc, int size, X86Reg d, X86Reg mreg, int n, uint64_t m)
{
    X86Operand mask = x86_i((int32_t)(uint32_t)m);
    if (size == 8) {
        x86_mov(lc->cb, 8, x86_r(mreg), x86_i((int64_t)m));
        mask = x86_r(mreg);
    }
    x86_mov(lc->cb, size, x86_r(X86_RAX), x86_r(d));
    x86_shift_imm(lc->cb, X86_SHR, size, x86_r(X86_RAX), (uint8_t)n);
    x86_alu(lc->cb, X86_AND, size, x86_r(X86_RAX), mask);
    x86_alu(lc->cb, X86_AND, size, x86_r(d), mask);
    x86_shift_imm(lc->cb, X86_SHL, size, x86_r(d), (uint8_t)n);
    x86_alu(lc->cb, X86_OR, size, x86_r(d), x86_r(X86_RAX));
}

/* RBIT: byte swap, then swap nibbles, bit pairs and bits. REV16 (64-bit):
 * swap the bytes of each halfword. */
static void lower_bit_reverse(LowerCtx *lc, bool rev16)
{
    const IRInsn *in = lc->insn;
    int size = op_size(in->bits);
    flags_clobber(lc);
    lower_mark_busy(lc, X86_RAX);
    X86Reg d = copy_first_source(lc, ALLOW_REG | ALLOW_MEM | ALLOW_IMM64);
    X86Reg m = size == 8 ? lower_scratch_not_rax(lc) : X86_NOREG;
    if (rev16) {
        emit_swap_fields(lc, size, d, m, 8, 0x00ff00ff00ff00ffull);
        return;
    }
    x86_bswap(lc->cb, size, d);
    emit_swap_fields(lc, size, d, m, 4, 0x0f0f0f0f0f0f0f0full);
    emit_swap_fields(lc, size, d, m, 2, 0x3333333333333333ull);
    emit_swap_fields(lc, size, d, m, 1, 0x5555555555555555ull);
}

static void lower_bswap(LowerCtx *lc)
{
    X86Reg d = copy_first_source(lc, ALLOW_REG | ALLOW_MEM | ALLOW_IMM64);
    x86_bswap(lc->cb, op_size(lc->insn->bits), d);
}

/* 32-bit REV16 = bswap, then rotate by 16. */
static void lower_rev16(LowerCtx *lc)
{
    if (lc->insn->bits == 64) {
        lower_bit_reverse(lc, true);
        return;
    }
    bool bmi2 = lc->feat->bmi2;
    if (!bmi2) {
        flags_clobber(lc);
    }
    X86Reg d = copy_first_source(lc, ALLOW_REG | ALLOW_MEM | ALLOW_IMM64);
    x86_bswap(lc->cb, 4, d);
    if (bmi2) {
        x86_rorx(lc->cb, 4, d, x86_r(d), 16);
    } else {
        x86_shift_imm(lc->cb, X86_ROR, 4, x86_r(d), 16);
    }
}

static void lower_extend(LowerCtx *lc, bool is_signed)
{
    const IRInsn *in = lc->insn;
    int from = (int)in->imm / 8;
    X86Operand ao = lower_operand(lc, in->src[0], 64, ALLOW_REG | ALLOW_MEM | ALLOW_IMM64);
    if (ao.kind == X86_OP_IMM) {
        ao = lower_operand(lc, in->src[0], 64, ALLOW_REG);
    }
    lower_release_sources(lc);
    X86Reg d = lower_alloc_dst(lc, prefer_of(lc, ao, in->src[0]), 0);
    if (from >= 8) {
        x86_mov(lc->cb, 8, x86_r(d), ao);
    } else if (from == 4 && (!is_signed || in->bits == 32)) {
        x86_mov(lc->cb, 4, x86_r(d), ao);
    } else if (is_signed) {
        x86_movsx(lc->cb, op_size(in->bits), from, d, ao);
    } else {
        x86_movzx(lc->cb, 4, from, d, ao);
    }
}

static void lower_neg_not(LowerCtx *lc, X86UnaryOp op)
{
    if (op == X86_NEG) {
        flags_clobber(lc);
    }
    X86Reg d = copy_first_source(lc, ALLOW_REG | ALLOW_MEM | ALLOW_IMM64);
    x86_unary(lc->cb, op, op_size(lc->insn->bits), x86_r(d));
}

bool lower_alu_op(LowerCtx *lc)
{
    switch (lc->insn->op) {
    case IR_MOV:    copy_first_source_zext(lc, ALLOW_REG | ALLOW_MEM | ALLOW_IMM64, true); return true;
    case IR_ADD:    lower_add_sub(lc, false); return true;
    case IR_SUB:    lower_add_sub(lc, true); return true;
    case IR_AND:
        if (!lower_and_as_zext(lc)) {
            lower_binop(lc, X86_AND, true);
        }
        return true;
    case IR_OR:     lower_binop(lc, X86_OR, true); return true;
    case IR_XOR:    lower_binop(lc, X86_XOR, true); return true;
    case IR_ANDN:   lower_op_not_b(lc, X86_AND); return true;
    case IR_ORN:    lower_op_not_b(lc, X86_OR); return true;
    case IR_XORN:   lower_op_not_b(lc, X86_XOR); return true;
    case IR_MUL:    lower_mul(lc); return true;
    case IR_MULSH:  lower_mul_high(lc, true); return true;
    case IR_MULUH:  lower_mul_high(lc, false); return true;
    case IR_SDIV:   lower_div(lc, true); return true;
    case IR_UDIV:   lower_div(lc, false); return true;
    case IR_SHL:    lower_shift(lc, X86_SHL); return true;
    case IR_SHR:    lower_shift(lc, X86_SHR); return true;
    case IR_SAR:    lower_shift(lc, X86_SAR); return true;
    case IR_ROR:    lower_shift(lc, X86_ROR); return true;
    case IR_NEG:    lower_neg_not(lc, X86_NEG); return true;
    case IR_NOT:    lower_neg_not(lc, X86_NOT); return true;
    case IR_CLZ:    lower_clz(lc); return true;
    case IR_CTZ:    lower_ctz(lc); return true;
    case IR_CLS:    lower_cls(lc); return true;
    case IR_RBIT:   lower_bit_reverse(lc, false); return true;
    case IR_BSWAP:  lower_bswap(lc); return true;
    case IR_REV16:  lower_rev16(lc); return true;
    case IR_SEXT:   lower_extend(lc, true); return true;
    case IR_ZEXT:   lower_extend(lc, false); return true;
    default:        return false;
    }
}
