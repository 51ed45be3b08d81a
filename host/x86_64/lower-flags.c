/*
 * Guest NZCV in host EFLAGS: the compile-time tracker of where the flags are
 * (EFLAGS, with CF equal to Arm C or to its inverse, and/or env->flags_x86),
 * the mapping of Arm conditions to x86 ones, and the lowering of the IR ops
 * that read or write flags.
 *
 * N, Z, V are SF, ZF, OF.  After add/adc CF is Arm's C; after sub/cmp/sbb CF
 * is the borrow, the inverse of C ("inverted polarity").  cmc flips CF, so
 * either polarity can be had with one instruction.  The saved format (see
 * cpu.h) always holds C itself.
 */
#include "host/x86_64/lower-internal.h"
#include "target/aarch64/cpu.h"

#define FLAGS_MEM x86_m(HREG_ENV, ENV_OFF(flags_x86))

/* NZCV is needed later and only EFLAGS has it. */
bool flags_at_risk(const LowerCtx *lc)
{
    return lc->eflags_valid && !lc->env_valid && lc->insn->flags_live;
}

/* lahf; seto al; mov [env->flags_x86], ax -- EFLAGS survive (except CF
 * polarity, which becomes direct). */
void flags_save(LowerCtx *lc)
{
    if (lc->cf_inverted) {
        x86_cmc(lc->cb);
        lc->cf_inverted = false;
    }
    x86_lahf(lc->cb);
    x86_setcc(lc->cb, X86_CC_O, x86_r(X86_RAX));
    x86_mov(lc->cb, 2, FLAGS_MEM, x86_r(X86_RAX));
    lc->env_valid = true;
}

/* Call before emitting an instruction that changes EFLAGS and does not
 * itself produce guest flags.  Must come before rax is taken as scratch. */
void flags_clobber(LowerCtx *lc)
{
    if (flags_at_risk(lc)) {
        flags_save(lc);
    }
    lc->eflags_valid = false;
}

/* movzx eax, word [flags]; add al, 0x7f (OF from bit 0); sahf */
void flags_to_eflags(LowerCtx *lc)
{
    if (lc->eflags_valid) {
        return;
    }
    x86_movzx(lc->cb, 4, 2, X86_RAX, FLAGS_MEM);
    x86_alu(lc->cb, X86_ADD, 1, x86_r(X86_RAX), x86_i(0x7f));
    x86_sahf(lc->cb);
    lc->eflags_valid = true;
    lc->cf_inverted = false;
    lc->zf_temp[0] = lc->zf_temp[1] = IR_NONE;
}

void flags_written(LowerCtx *lc, bool cf_inverted)
{
    lc->eflags_valid = true;
    lc->cf_inverted = cf_inverted;
    lc->env_valid = false;
    lc->zf_temp[0] = lc->zf_temp[1] = IR_NONE;
}

/* For a question about t's low 32 bits: the temp t was extended or copied
 * from (W register reads are zero-extensions of the X register's temp). */
static IRTemp low_bits_source(const LowerCtx *lc, IRTemp t, int bits)
{
    while (bits == 32 && t != IR_NONE && !temp_is_const(lc, t)) {
        uint32_t d = lc->blk->temps[t].def;
        const IRInsn *in = d < lc->blk->n_insns ? &lc->blk->insns[d] : NULL;
        if (!in || in->dst != t ||
            !(((in->op == IR_ZEXT || in->op == IR_SEXT) && in->imm == 32) || in->op == IR_MOV)) {
            break;
        }
        t = in->src[0];
    }
    return t;
}

/* The flag write just lowered left ZF = (a == 0) and, if b is not IR_NONE,
 * also = (b == 0), both in the low `bits` bits. */
static void flags_zf_from(LowerCtx *lc, IRTemp a, IRTemp b, int bits)
{
    lc->zf_temp[0] = low_bits_source(lc, a, bits);
    lc->zf_temp[1] = low_bits_source(lc, b, bits);
    lc->zf_bits = (uint8_t)bits;
}

/* Does EFLAGS' ZF already say whether t (low `bits` bits) is zero?  Then a
 * CBZ/CBNZ of t needs no test of its own. */
bool flags_zf_tests(const LowerCtx *lc, IRTemp t, int bits)
{
    if (!lc->eflags_valid || t == IR_NONE || lc->zf_bits != bits) {
        return false;
    }
    t = low_bits_source(lc, t, bits);
    return lc->zf_temp[0] == t || lc->zf_temp[1] == t;
}

void flags_in_env(LowerCtx *lc)
{
    lc->eflags_valid = false;
    lc->env_valid = true;
}

/* Before leaving the block: NZCV to env unless the block's terminator
 * says no successor reads it (IRBlock.nzcv_dead_at_end). */
void flags_block_end(LowerCtx *lc)
{
    bool dead = (ir_op_info[lc->insn->op].flags & IRF_TERM) && !lc->insn->flags_live;
    if (lc->eflags_valid && !lc->env_valid && !dead) {
        flags_save(lc);
    }
}

static void set_cf_polarity(LowerCtx *lc, bool inverted)
{
    if (lc->cf_inverted != inverted) {
        x86_cmc(lc->cb);
        lc->cf_inverted = inverted;
    }
}

/* Bring NZCV into EFLAGS and return the x86 condition equal to Arm `cond`
 * (not AL/NV).  May use rax and flip CF. */
X86Cond flags_cond(LowerCtx *lc, IRCond cond)
{
    flags_to_eflags(lc);
    static const X86Cond fixed[16] = {
        [COND_EQ] = X86_CC_E, [COND_NE] = X86_CC_NE,
        [COND_MI] = X86_CC_S, [COND_PL] = X86_CC_NS,
        [COND_VS] = X86_CC_O, [COND_VC] = X86_CC_NO,
        [COND_GE] = X86_CC_GE, [COND_LT] = X86_CC_L,
        [COND_GT] = X86_CC_G, [COND_LE] = X86_CC_LE,
    };
    switch (cond) {
    case COND_CS:
        return lc->cf_inverted ? X86_CC_AE : X86_CC_B;
    case COND_CC:
        return lc->cf_inverted ? X86_CC_B : X86_CC_AE;
    case COND_HI:               /* C && !Z: with CF = !C that is CF=0 && ZF=0 */
        set_cf_polarity(lc, true);
        return X86_CC_A;
    case COND_LS:
        set_cf_polarity(lc, true);
        return X86_CC_BE;
    default:
        return fixed[cond];
    }
}

/* ---- flag-writing arithmetic --------------------------------------------- */

/* ADDS / SUBS: add or sub (cmp when the result is unused). */
static void lower_adds_subs(LowerCtx *lc, bool sub)
{
    const IRInsn *in = lc->insn;
    int size = op_size(in->bits);
    IRTemp a = in->src[0], b = in->src[1];
    bool dst_unused = temp_dies_here(lc, in->dst);
    if (!sub && temp_is_const(lc, a) && !temp_is_const(lc, b)) {
        IRTemp x = a; a = b; b = x;
    }
    if (sub && dst_unused) {
        X86Operand ao = lower_operand(lc, a, in->bits, ALLOW_REG | ALLOW_MEM);
        unsigned allow = ALLOW_REG | ALLOW_IMM | (ao.kind == X86_OP_REG ? ALLOW_MEM : 0);
        X86Operand bo = lower_operand(lc, b, in->bits, allow);
        if (ao.kind == X86_OP_REG && bo.kind == X86_OP_IMM && bo.imm == 0) {
            /* cmp r, 0 = test r, r: same SF/ZF, OF=0, and CF=0 is "no
             * borrow" in the inverted polarity of a subtraction */
            x86_test(lc->cb, size, ao, ao);
        } else {
            x86_alu(lc->cb, X86_CMP, size, ao, bo);
        }
        lower_release_sources(lc);
        lower_alloc_dst(lc, X86_NOREG, 0);
    } else {
        X86Operand bo = lower_operand(lc, b, in->bits, ALLOW_REG | ALLOW_MEM | ALLOW_IMM);
        X86Operand ao = lower_operand(lc, a, in->bits, ALLOW_REG | ALLOW_MEM | ALLOW_IMM64);
        bool same = a == b;
        lower_release_sources(lc);
        X86Reg prefer = ao.kind == X86_OP_REG && temp_dies_here(lc, a) ? ao.reg : X86_NOREG;
        uint16_t avoid = bo.kind == X86_OP_REG && !same ? reg_bit(bo.reg) : 0;
        X86Reg d = lower_alloc_dst(lc, prefer, avoid);
        if (!opnd_is_reg(ao, d)) {
            x86_mov(lc->cb, size, x86_r(d), ao);
        }
        x86_alu(lc->cb, sub ? X86_SUB : X86_ADD, size, x86_r(d), same ? x86_r(d) : bo);
    }
    flags_written(lc, sub);
    /* ZF is the result's; with b = 0 the result is a itself */
    bool b_zero = temp_is_const(lc, b) && (in->bits == 32 ? (uint32_t)temp_const(lc, b) : temp_const(lc, b)) == 0;
    flags_zf_from(lc, in->dst, b_zero ? a : IR_NONE, in->bits);
}

/* ADC/SBC (and the S forms): adc wants CF = C, sbb wants CF = !C. */
static void lower_carry_op(LowerCtx *lc, bool sub, bool sets_flags)
{
    const IRInsn *in = lc->insn;
    int size = op_size(in->bits);
    flags_to_eflags(lc);
    if (!sets_flags && flags_at_risk(lc)) {
        flags_save(lc);
    }
    set_cf_polarity(lc, sub);
    lower_mark_busy(lc, X86_RAX);
    X86Operand bo = lower_operand(lc, in->src[1], in->bits, ALLOW_REG | ALLOW_MEM | ALLOW_IMM);
    X86Operand ao = lower_operand(lc, in->src[0], in->bits, ALLOW_REG | ALLOW_MEM | ALLOW_IMM64);
    bool same = in->src[0] == in->src[1];
    lower_release_sources(lc);
    X86Reg prefer = ao.kind == X86_OP_REG && temp_dies_here(lc, in->src[0]) ? ao.reg : X86_NOREG;
    uint16_t avoid = bo.kind == X86_OP_REG && !same ? reg_bit(bo.reg) : 0;
    X86Reg d = lower_alloc_dst(lc, prefer, avoid);
    if (!opnd_is_reg(ao, d)) {
        x86_mov(lc->cb, size, x86_r(d), ao);
    }
    x86_alu(lc->cb, sub ? X86_SBB : X86_ADC, size, x86_r(d), same ? x86_r(d) : bo);
    if (sets_flags) {
        flags_written(lc, sub);
    } else {
        lc->eflags_valid = false;
    }
}

/* FLAGS_NZ: test gives N, Z and CF=OF=0, i.e. C=V=0 in direct polarity. */
static void lower_flags_nz(LowerCtx *lc)
{
    const IRInsn *in = lc->insn;
    int size = op_size(in->bits);
    const TempLoc *l = &lc->loc[in->src[0]];
    if (l->kind == LOC_TEST) {          /* TST: test a, b */
        X86Operand a = lower_operand(lc, l->base, in->bits, ALLOW_REG | ALLOW_MEM);
        unsigned allow = ALLOW_REG | ALLOW_IMM;
        X86Operand b = lower_operand(lc, l->index, in->bits, allow);
        x86_test(lc->cb, size, a, b);
        flags_written(lc, false);
        flags_zf_from(lc, in->src[0], IR_NONE, in->bits);
        return;
    }
    X86Operand a = lower_operand(lc, in->src[0], in->bits, ALLOW_REG | ALLOW_MEM);
    if (a.kind == X86_OP_REG) {
        x86_test(lc->cb, size, a, a);
    } else {
        x86_alu(lc->cb, X86_CMP, size, a, x86_i(0));
    }
    flags_written(lc, false);
    flags_zf_from(lc, in->src[0], IR_NONE, in->bits);
}

/* MSR NZCV: spread bits 31..28 into the saved format with one multiply:
 * t = nzcv >> 28; t * 0x1081 puts V at 0, C at 8, Z at 14, N at 15 (the
 * three shifted copies do not overlap), and 0xc101 keeps those bits. */
static void lower_flags_from(LowerCtx *lc)
{
    const IRInsn *in = lc->insn;
    lower_mark_busy(lc, X86_RAX);
    X86Operand a = lower_operand(lc, in->src[0], 32, ALLOW_REG | ALLOW_MEM);
    x86_mov(lc->cb, 4, x86_r(X86_RAX), a);
    x86_shift_imm(lc->cb, X86_SHR, 4, x86_r(X86_RAX), 28);
    x86_imul_imm(lc->cb, 4, X86_RAX, x86_r(X86_RAX), 0x1081);
    x86_alu(lc->cb, X86_AND, 4, x86_r(X86_RAX), x86_i(0xc101));
    x86_mov(lc->cb, 2, FLAGS_MEM, x86_r(X86_RAX));
    flags_in_env(lc);
}

/* MRS NZCV: the inverse spread.  f & 0xc101 times 2^16 + 2^21 + 2^28 puts
 * N, Z at 31, 30 (<<16), C at 29 (<<21), V at 28 (<<28) with no carries
 * into bits 28..31. */
static void lower_flags_get(LowerCtx *lc)
{
    if (lc->eflags_valid && !lc->env_valid) {
        flags_save(lc);
    }
    X86Reg d = lower_alloc_dst(lc, X86_NOREG, 0);
    x86_movzx(lc->cb, 4, 2, d, FLAGS_MEM);
    x86_alu(lc->cb, X86_AND, 4, x86_r(d), x86_i(0xc101));
    x86_imul_imm(lc->cb, 4, d, x86_r(d), 0x10210000);
    x86_alu(lc->cb, X86_AND, 4, x86_r(d), x86_i((int32_t)0xf0000000u));
    lc->eflags_valid = false;
}

static void lower_flags_set(LowerCtx *lc)
{
    x86_mov(lc->cb, 2, FLAGS_MEM, x86_i(nzcv_to_flags_x86((uint32_t)lc->insn->imm)));
    flags_in_env(lc);
}

/* CCMP/CCMN: cond ? flags(a - b) / flags(a + b) : imm.  Both paths leave
 * the flags in EFLAGS with the same CF polarity. */
static void lower_ccmp(LowerCtx *lc, bool add)
{
    const IRInsn *in = lc->insn;
    int size = op_size(in->bits);
    bool always = in->cond >= COND_AL;
    X86Cond cc = always ? X86_CC_O : flags_cond(lc, (IRCond)in->cond);
    lower_mark_busy(lc, X86_RAX);
    X86Operand ao = lower_operand(lc, in->src[0], in->bits, ALLOW_REG | ALLOW_MEM);
    unsigned allow = ALLOW_REG | ALLOW_IMM | (ao.kind == X86_OP_REG ? ALLOW_MEM : 0);
    X86Operand bo = lower_operand(lc, in->src[1], in->bits, allow);
    uint8_t *to_done = NULL;
    if (!always) {
        uint8_t *to_true = x86_jcc8(lc->cb, cc);
        uint32_t nzcv = (uint32_t)in->imm ^ (add ? 0 : NZCV_C);
        x86_mov(lc->cb, 4, x86_r(X86_RAX), x86_i(nzcv_to_flags_x86(nzcv)));
        x86_alu(lc->cb, X86_ADD, 1, x86_r(X86_RAX), x86_i(0x7f));
        x86_sahf(lc->cb);
        to_done = x86_jmp8(lc->cb);
        x86_bind_rel8(lc->cb, to_true);
    }
    if (add) {
        x86_mov(lc->cb, size, x86_r(X86_RAX), ao);
        x86_alu(lc->cb, X86_ADD, size, x86_r(X86_RAX), bo);
    } else {
        x86_alu(lc->cb, X86_CMP, size, ao, bo);
    }
    if (to_done) {
        x86_bind_rel8(lc->cb, to_done);
    }
    flags_written(lc, !add);
}

static void lower_setcc(LowerCtx *lc)
{
    X86Cond cc = flags_cond(lc, (IRCond)lc->insn->cond);
    X86Reg d = lower_alloc_dst(lc, X86_NOREG, 0);
    x86_setcc(lc->cb, cc, x86_r(d));
    x86_movzx(lc->cb, 4, 1, d, x86_r(d));
}

/* CSEL: mov d, b; cmovcc d, a -- or reuse a dying source's register. */
static void lower_csel(LowerCtx *lc)
{
    const IRInsn *in = lc->insn;
    int size = op_size(in->bits);
    X86Cond cc = flags_cond(lc, (IRCond)in->cond);
    X86Operand ao = lower_operand(lc, in->src[0], in->bits, ALLOW_REG | ALLOW_MEM);
    X86Operand bo = lower_operand(lc, in->src[1], in->bits, ALLOW_REG | ALLOW_MEM);
    bool a_dies = ao.kind == X86_OP_REG && temp_dies_here(lc, in->src[0]);
    bool b_dies = bo.kind == X86_OP_REG && temp_dies_here(lc, in->src[1]);
    lower_release_sources(lc);
    if (a_dies && !b_dies) {
        X86Reg d = lower_alloc_dst(lc, ao.reg, bo.kind == X86_OP_REG ? reg_bit(bo.reg) : 0);
        if (d == ao.reg) {
            x86_cmov(lc->cb, x86_cc_invert(cc), size, d, bo);
            return;
        }
        x86_mov(lc->cb, size, x86_r(d), bo);
        x86_cmov(lc->cb, cc, size, d, ao);
        return;
    }
    X86Reg prefer = b_dies ? bo.reg : X86_NOREG;
    uint16_t avoid = ao.kind == X86_OP_REG && !opnd_is_reg(bo, ao.reg) ? reg_bit(ao.reg) : 0;
    X86Reg d = lower_alloc_dst(lc, prefer, avoid);
    if (!opnd_is_reg(bo, d)) {
        x86_mov(lc->cb, size, x86_r(d), bo);
    }
    x86_cmov(lc->cb, cc, size, d, ao);
}

/* CALL_FLAGS and plain CALL flag handling live in lower.c; this covers the
 * ops of the "flags" group.  Returns false for other ops. */
bool lower_flags_op(LowerCtx *lc)
{
    switch (lc->insn->op) {
    case IR_ADDS:       lower_adds_subs(lc, false); return true;
    case IR_SUBS:       lower_adds_subs(lc, true); return true;
    case IR_ADC:        lower_carry_op(lc, false, false); return true;
    case IR_SBC:        lower_carry_op(lc, true, false); return true;
    case IR_ADCS:       lower_carry_op(lc, false, true); return true;
    case IR_SBCS:       lower_carry_op(lc, true, true); return true;
    case IR_FLAGS_NZ:   lower_flags_nz(lc); return true;
    case IR_FLAGS_SET:  lower_flags_set(lc); return true;
    case IR_FLAGS_FROM: lower_flags_from(lc); return true;
    case IR_FLAGS_GET:  lower_flags_get(lc); return true;
    case IR_CCMP:       lower_ccmp(lc, false); return true;
    case IR_CCMN:       lower_ccmp(lc, true); return true;
    case IR_SETCC:      lower_setcc(lc); return true;
    case IR_CSEL:       lower_csel(lc); return true;
    default:            return false;
    }
}
