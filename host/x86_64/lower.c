/*
 * IR -> x86-64 lowering: backend_gen_block walks one block's IR in order and
 * emits host code for each instruction.  This file holds the driver, guest
 * register and env access, guest memory, helper calls, block ends and the
 * interface lower-vec.c uses; arithmetic is in lower-alu.c, flags in
 * lower-flags.c, register allocation in regalloc.c.
 */
#include <glib.h>
#include <pthread.h>
#include <assert.h>
#include <stdio.h>

#include "host/x86_64/host-cpu.h"
#include "host/x86_64/lower-internal.h"
#include "target/aarch64/cpu.h"
#include "tcg/exec.h"

/* ---- host features --------------------------------------------------------- */

static X86Features host_features;
static pthread_once_t host_features_once = PTHREAD_ONCE_INIT;

static void read_host_features(void)
{
    const HostCpu *cpu = host_cpu();
    host_features.bmi1 = cpu->bmi1;
    host_features.bmi2 = cpu->bmi2;
    host_features.lzcnt = cpu->lzcnt;
}

const X86Features *x86_host_features(void)
{
    pthread_once(&host_features_once, read_host_features);
    return &host_features;
}

/* ---- guest registers and env ------------------------------------------------ */

static void lower_get_reg(LowerCtx *lc)
{
    const IRInsn *in = lc->insn;
    int greg = (int)in->imm;
    X86Reg p = backend_pinned_hreg(greg);
    if (p != X86_NOREG) {
        lower_set_dst_location(lc, in->dst, LOC_PINNED, p, 0);
    } else {
        lower_set_dst_location(lc, in->dst, LOC_ENV, -1, ENV_XREG_OFF(greg));
    }
}

static void lower_set_reg(LowerCtx *lc)
{
    const IRInsn *in = lc->insn;
    int greg = (int)in->imm;
    X86Reg p = backend_pinned_hreg(greg);
    lower_before_guest_write(lc, greg, in->src[0]);
    if (p != X86_NOREG) {
        X86Operand so = lower_operand(lc, in->src[0], 64, ALLOW_REG | ALLOW_MEM | ALLOW_IMM64);
        if (!opnd_is_reg(so, p)) {
            x86_mov(lc->cb, 8, x86_r(p), so);
        }
        lower_note_copy_in_pinned(lc, in->src[0], p);
    } else {
        X86Operand so = lower_operand(lc, in->src[0], 64, ALLOW_REG | ALLOW_IMM);
        x86_mov(lc->cb, 8, x86_m(HREG_ENV, ENV_XREG_OFF(greg)), so);
        lc->env_holds[greg] = in->src[0];
    }
}

/* Zero-extending load of `size` bytes into d (sign-extending to dsize). */
static void emit_load(LowerCtx *lc, X86Reg d, X86Operand m, int size, bool is_signed, int dsize)
{
    if (size <= 2) {
        if (is_signed) {
            x86_movsx(lc->cb, dsize, size, d, m);
        } else {
            x86_movzx(lc->cb, 4, size, d, m);
        }
    } else if (size == 4) {
        if (is_signed && dsize == 8) {
            x86_movsx(lc->cb, 8, 4, d, m);
        } else {
            x86_mov(lc->cb, 4, x86_r(d), m);
        }
    } else {
        x86_mov(lc->cb, 8, x86_r(d), m);
    }
}

static void lower_ld_env(LowerCtx *lc)
{
    const IRInsn *in = lc->insn;
    X86Reg d = lower_alloc_dst(lc, X86_NOREG, 0);
    emit_load(lc, d, x86_m(HREG_ENV, (int32_t)in->imm), in->bits / 8, false, 8);
}

static void lower_st_env(LowerCtx *lc)
{
    const IRInsn *in = lc->insn;
    int size = in->bits / 8;
    X86Operand so = lower_operand(lc, in->src[0], size == 8 ? 64 : 32, ALLOW_REG | ALLOW_IMM);
    /* never a guest register's slot: env_holds and LOC_ENV aliases track
     * those, and only SET_REG writes them */
    assert((int32_t)in->imm >= ENV_XREG_OFF(GREG_COUNT) || (int32_t)in->imm + size <= ENV_XREG_OFF(0));
    x86_mov(lc->cb, size, x86_m(HREG_ENV, (int32_t)in->imm), so);
}

/* ---- guest memory: one host instruction per access ------------------------- */

static int mop_bytes(int mop)
{
    return 1 << (mop & MO_SIZE);
}

static void lower_load(LowerCtx *lc)
{
    const IRInsn *in = lc->insn;
    X86Operand m = lower_address(lc, in->src[0]);
    lower_release_sources(lc);
    X86Reg d = lower_alloc_dst(lc, m.base, 0);
    emit_load(lc, d, m, mop_bytes(in->mop), in->mop & MO_SIGN, op_size(in->bits));
}

/* A store-release is an xchg: x86 would otherwise let a later load pass it. */
static void lower_store(LowerCtx *lc)
{
    const IRInsn *in = lc->insn;
    int size = mop_bytes(in->mop);
    X86Operand m = lower_address(lc, in->src[0]);
    if (in->mop & MO_REL) {
        X86Operand so = lower_operand(lc, in->src[1], 64, ALLOW_REG | ALLOW_MEM | ALLOW_IMM64);
        X86Reg r = lower_scratch(lc);
        x86_mov(lc->cb, 8, x86_r(r), so);
        x86_xchg(lc->cb, size, m, r);
        return;
    }
    X86Operand so = lower_operand(lc, in->src[1], size == 8 ? 64 : 32, ALLOW_REG | ALLOW_IMM);
    x86_mov(lc->cb, size, m, so);
}

/* prefetchnta / prefetcht0 / t1 / t2 (0f 18 /0../3), by IR_PREFETCH_*. */
static void lower_prefetch(LowerCtx *lc)
{
    static const uint8_t modrm_reg[] = {
        [IR_PREFETCH_L1] = 1, [IR_PREFETCH_L2] = 2, [IR_PREFETCH_L3] = 3, [IR_PREFETCH_STREAM] = 0,
    };
    X86Operand m = lower_address(lc, lc->insn->src[0]);
    x86_sse(lc->cb, 0, X86_MAP_0F, 0x18, modrm_reg[lc->insn->imm & 3], m, false);
}

static void emit_zext_result(LowerCtx *lc, X86Reg d, X86Reg from, int size)
{
    if (size <= 2) {
        x86_movzx(lc->cb, 4, size, d, x86_r(from));
    } else if (size == 4 || d != from) {
        x86_mov(lc->cb, size, x86_r(d), x86_r(from));
    }
}

static void lower_cmpxchg(LowerCtx *lc)
{
    const IRInsn *in = lc->insn;
    int size = mop_bytes(in->mop);
    flags_clobber(lc);
    lower_mark_busy(lc, X86_RAX);
    X86Operand m = lower_address(lc, in->src[0]);
    X86Reg newv = lower_operand_reg(lc, in->src[2], 64);
    X86Operand expect = lower_operand(lc, in->src[1], 64, ALLOW_REG | ALLOW_MEM | ALLOW_IMM64);
    x86_mov(lc->cb, 8, x86_r(X86_RAX), expect);
    x86_lock_cmpxchg(lc->cb, size, m, newv);
    lower_release_sources(lc);
    X86Reg d = lower_alloc_dst(lc, X86_NOREG, 0);
    emit_zext_result(lc, d, X86_RAX, size);
}

static void lower_xchg(LowerCtx *lc)
{
    const IRInsn *in = lc->insn;
    int size = mop_bytes(in->mop);
    X86Operand m = lower_address(lc, in->src[0]);
    X86Operand vo = lower_operand(lc, in->src[1], 64, ALLOW_REG | ALLOW_MEM | ALLOW_IMM64);
    lower_release_sources(lc);
    X86Reg d = lower_alloc_dst(lc, X86_NOREG, reg_bit(m.base) | reg_bit(m.index));
    if (!opnd_is_reg(vo, d)) {
        x86_mov(lc->cb, 8, x86_r(d), vo);
    }
    x86_xchg(lc->cb, size, m, d);
    if (size <= 2) {
        emit_zext_result(lc, d, d, size);
    }
}

/* ---- helper calls ------------------------------------------------------------ */

typedef struct ArgMove { X86Reg dst; X86Reg src; } ArgMove;

/* Register-to-register argument moves in an order that reads every source
 * before it is overwritten; a cycle is broken through rax. */
static void emit_parallel_moves(CodeBuf *cb, ArgMove *mv, int n)
{
    while (n > 0) {
        int pick = -1;
        for (int i = 0; i < n && pick < 0; i++) {
            bool read_later = false;
            for (int j = 0; j < n; j++) {
                read_later |= j != i && mv[j].src == mv[i].dst;
            }
            if (!read_later) {
                pick = i;
            }
        }
        if (pick < 0) {
            X86Reg freed = mv[0].dst;
            x86_mov(cb, 8, x86_r(X86_RAX), x86_r(freed));
            for (int j = 0; j < n; j++) {
                if (mv[j].src == freed) {
                    mv[j].src = X86_RAX;
                }
            }
            continue;
        }
        x86_mov(cb, 8, x86_r(mv[pick].dst), x86_r(mv[pick].src));
        mv[pick] = mv[--n];
    }
}

static void emit_call_args(LowerCtx *lc)
{
    static const X86Reg arg_regs[3] = { X86_RSI, X86_RDX, X86_RCX };
    ArgMove moves[3];
    int n = 0;
    for (int s = 0; s < 3; s++) {
        IRTemp t = lc->insn->src[s];
        const TempLoc *l = t == IR_NONE ? NULL : &lc->loc[t];
        if (l && (l->kind == LOC_REG || l->kind == LOC_PINNED) && l->reg != arg_regs[s]) {
            moves[n++] = (ArgMove){ arg_regs[s], (X86Reg)l->reg };
        }
    }
    emit_parallel_moves(lc->cb, moves, n);
    for (int s = 0; s < 3; s++) {
        IRTemp t = lc->insn->src[s];
        if (t == IR_NONE) {
            x86_mov(lc->cb, 4, x86_r(arg_regs[s]), x86_i(0));
            continue;
        }
        const TempLoc *l = &lc->loc[t];
        if (l->kind != LOC_REG && l->kind != LOC_PINNED) {
            x86_mov(lc->cb, 8, x86_r(arg_regs[s]),
                    lower_operand(lc, t, 64, ALLOW_MEM | ALLOW_IMM64));
        }
    }
}

/* Guest registers pinned in caller-saved host registers live in env across
 * a C call (the helper may not touch env->x[], so env is theirs then).  A
 * borrowed one is in env already, and its temp was spilled. */
static void move_caller_saved_pinned(LowerCtx *lc, bool to_env)
{
    CodeBuf *cb = lc->cb;
    for (int i = 0; i < BACKEND_N_PINNED; i++) {
        X86Reg h = backend_pinned[i].hreg;
        if (!x86_caller_saved(h) || (lc->borrowed & reg_bit(h))) {
            continue;
        }
        X86Operand slot = x86_m(HREG_ENV, ENV_XREG_OFF(backend_pinned[i].greg));
        if (to_env) {
            x86_mov(cb, 8, slot, x86_r(h));
        } else {
            x86_mov(cb, 8, x86_r(h), slot);
        }
    }
}

/* SysV call with env in rdi; rsp is 16n+8 in translated code, so one
 * 8-byte adjustment aligns it at the call. */
static void lower_call(LowerCtx *lc, bool with_flags)
{
    CodeBuf *cb = lc->cb;
    if (with_flags && lc->eflags_valid && !lc->env_valid) {
        flags_save(lc);
    }
    flags_clobber(lc);
    lower_spill_caller_saved(lc);
    move_caller_saved_pinned(lc, true);
    emit_call_args(lc);
    x86_mov(cb, 8, x86_r(X86_RDI), x86_r(HREG_ENV));
    x86_lea(cb, 8, X86_RSP, x86_m(X86_RSP, -8));
    uintptr_t fn = (uintptr_t)lc->insn->imm;
    x86_call_addr(cb, fn);
    x86_lea(cb, 8, X86_RSP, x86_m(X86_RSP, 8));
    move_caller_saved_pinned(lc, false);
    lower_release_sources(lc);
    if (with_flags) {
        flags_in_env(lc);
    }
    X86Reg d = lower_alloc_dst(lc, X86_NOREG, 0);
    x86_mov(cb, 8, x86_r(d), x86_r(X86_RAX));
}

/* ---- block ends ------------------------------------------------------------ */

/* ---- loop blocks: side exits and the back edge inside the block ---------- */

/* Leave a loop block for guest pc: through the exit code of its slot
 * (emitted here the first time, a jmp to it afterwards), or -- for a pc
 * that is not one of the block's two exits, which only a branch folded to
 * a constant can produce -- through the dispatcher. */
static void emit_loop_exit(LowerCtx *lc, uint64_t pc)
{
    CodeBuf *cb = lc->cb;
    for (int k = 0; k < 2; k++) {
        if (lc->blk->loop_exit[k] != pc) {
            continue;
        }
        if (lc->loop_exit_code[k]) {
            x86_jmp(cb, cb_exec_addr(cb, lc->loop_exit_code[k]));
        } else {
            lc->loop_exit_code[k] = cb->ptr;
            lower_borrowed_restore(lc);
            tb_emit_goto_tb(cb, lc->tb, k, pc);
        }
        return;
    }
    lower_borrowed_restore(lc);
    tb_emit_exit(cb, lc->tb, EXIT_INTERRUPT, pc, 0);
}

/* A loop block's jump back to its own first instruction: the interrupt
 * check every back edge has, then a plain jmp (no exit slot). */
static void emit_back_edge_inside(LowerCtx *lc)
{
    CodeBuf *cb = lc->cb;
    uint8_t *to_irq = tb_emit_interrupt_check(cb);
    x86_jmp(cb, cb_exec_addr(cb, lc->loop_head));
    x86_patch_rel32(cb->exec_delta, to_irq, cb_exec_addr(cb, cb->ptr));
    lower_borrowed_restore(lc);
    tb_emit_interrupt_exit(cb, lc->blk->guest_pc);
}

/* Continue at guest pc through exit `slot` -- in a loop block, the
 * block's start is reached inside and the exits have their own slots. */
static void emit_goto(LowerCtx *lc, uint64_t pc, int slot)
{
    if (lc->blk->loop_exit[0]) {
        if (pc == lc->blk->guest_pc) {
            emit_back_edge_inside(lc);
        } else {
            emit_loop_exit(lc, pc);
        }
        return;
    }
    lower_borrowed_restore(lc);
    tb_emit_goto_tb(lc->cb, lc->tb, slot, pc);
}

/* ZF = (t == 0) in its low `bits` bits (CBZ/CBNZ and their side exits). */
static void emit_test_zero(LowerCtx *lc, IRTemp t, int bits)
{
    X86Operand so = lower_operand(lc, t, bits, ALLOW_REG | ALLOW_MEM);
    if (so.kind == X86_OP_REG) {
        x86_test(lc->cb, op_size(bits), so, so);
    } else {
        x86_alu(lc->cb, X86_CMP, op_size(bits), so, x86_i(0));
    }
}

/* EXIT_IF / EXIT_IF_CMP: a jcc to an out-of-line path (emitted at the end
 * of the block) that stores NZCV if only EFLAGS has it, then leaves
 * through the exit of its target. */
static void lower_exit_if(LowerCtx *lc)
{
    const IRInsn *in = lc->insn;
    X86Cond cc;
    if (in->op == IR_EXIT_IF) {
        cc = flags_cond(lc, (IRCond)in->cond);
    } else {
        cc = in->cond == IR_CMP_EQZ ? X86_CC_E : X86_CC_NE;
        if (!flags_zf_tests(lc, in->src[0], in->bits)) {
            if (lc->eflags_valid && !lc->env_valid) {
                flags_save(lc);         /* the exit's target may read NZCV */
            }
            flags_clobber(lc);
            emit_test_zero(lc, in->src[0], in->bits);
        }
    }
    if (lc->n_side_exits == G_N_ELEMENTS(lc->side_exits)) {
        fprintf(stderr, "ferry: backend: too many side exits\n");
        abort();
    }
    lc->side_exits[lc->n_side_exits++] = (struct SideExit){
        .jcc = x86_jcc(lc->cb, cc, 0),
        .target = in->imm,
        .save_nzcv = lc->eflags_valid && !lc->env_valid,
        .cf_inverted = lc->cf_inverted,
    };
}

/* The side exits' out-of-line paths, after the block's end. */
static void emit_side_exit_paths(LowerCtx *lc)
{
    CodeBuf *cb = lc->cb;
    for (unsigned i = 0; i < lc->n_side_exits && !cb->overflow; i++) {
        const struct SideExit *e = &lc->side_exits[i];
        if (!e->jcc) {
            break;                      /* the code buffer overflowed */
        }
        x86_patch_rel32(cb->exec_delta, e->jcc, cb_exec_addr(cb, cb->ptr));
        if (e->save_nzcv) {
            lc->cf_inverted = e->cf_inverted;
            flags_save(lc);
        }
        emit_loop_exit(lc, e->target);
    }
}

/*
 * A two-way end: slot 0 is the taken side (insn->imm), slot 1 the guest's
 * fall-through (imm2).  One side follows the jcc straight, the other is
 * behind it: the guest's fall-through, unless only the taken side is a
 * back edge (a loop's, at or before the block's start) -- then the loop
 * goes round without a taken jcc, and only its chained jmp.  `save_side`
 * (a slot, or -1) is the one side that stores NZCV on its way out, after
 * the jcc (lahf/seto/mov leave EFLAGS as they are): a loop whose back edge
 * overwrites the flags pays nothing per iteration.
 */
static void emit_two_way_exit(LowerCtx *lc, X86Cond cc, int save_side)
{
    CodeBuf *cb = lc->cb;
    uint64_t pc[2] = { lc->insn->imm, lc->insn->imm2 };
    int straight = pc[0] <= lc->tb->pc && pc[1] > lc->tb->pc ? 0 : 1;
    bool cf_inverted = lc->cf_inverted;
    uint8_t *to_other = x86_jcc(cb, straight == 0 ? x86_cc_invert(cc) : cc, 0);
    if (save_side == straight) {
        flags_save(lc);
    }
    emit_goto(lc, pc[straight], straight);
    x86_patch_rel32(cb->exec_delta, to_other, cb_exec_addr(cb, cb->ptr));
    if (save_side == 1 - straight) {
        lc->cf_inverted = cf_inverted;      /* as it was at the jcc */
        flags_save(lc);
    }
    emit_goto(lc, pc[1 - straight], 1 - straight);
}

/* Which side alone must save NZCV (a slot), or -1 when it is already in
 * env or saved before the branch (both sides, or unknown). */
static int nzcv_save_side(const LowerCtx *lc)
{
    uint8_t live = lc->blk->nzcv_live_succ;
    if (!lc->eflags_valid || lc->env_valid || (live != 1 && live != 2)) {
        return -1;
    }
    return live == 1 ? 0 : 1;
}

static void lower_brcond(LowerCtx *lc)
{
    int save_side = nzcv_save_side(lc);
    if (save_side < 0) {
        flags_block_end(lc);
    }
    if (lc->insn->cond >= COND_AL) {
        if (save_side >= 0) {
            flags_save(lc);
        }
        emit_goto(lc, lc->insn->imm, 0);
        return;
    }
    emit_two_way_exit(lc, flags_cond(lc, (IRCond)lc->insn->cond), save_side);
}

/* CBZ/CBNZ.  After `cmp x, #0` / `subs x, ...` / `tst` of the same value
 * EFLAGS' ZF already answers it: no test, and NZCV (still in EFLAGS) is
 * saved only on the path that reads it. */
static void lower_brcmp(LowerCtx *lc)
{
    const IRInsn *in = lc->insn;
    X86Cond cc = in->cond == IR_CMP_EQZ ? X86_CC_E : X86_CC_NE;
    if (flags_zf_tests(lc, in->src[0], in->bits)) {
        int save_side = nzcv_save_side(lc);
        if (save_side < 0) {
            flags_block_end(lc);
        }
        emit_two_way_exit(lc, cc, save_side);
        return;
    }
    flags_block_end(lc);
    emit_test_zero(lc, in->src[0], in->bits);
    emit_two_way_exit(lc, cc, -1);
}

static void lower_goto_ptr(LowerCtx *lc)
{
    const IRInsn *in = lc->insn;
    flags_block_end(lc);
    lower_mark_busy(lc, X86_RAX);
    X86Reg r = lower_operand_reg(lc, in->src[0], 64);
    if (lc->borrowed & reg_bit(r)) {
        x86_mov(lc->cb, 8, x86_r(X86_R11), x86_r(r));  /* r11: free at the block's end */
        r = X86_R11;
    }
    lower_borrowed_restore(lc);
    if (in->imm == IR_JUMP_CALL && in->imm2) {
        tb_emit_call_ptr(lc->cb, lc->tb, r, in->imm2);
    } else {
        tb_emit_goto_ptr(lc->cb, lc->tb, r, (int)in->imm);
    }
}

static void lower_terminator(LowerCtx *lc)
{
    const IRInsn *in = lc->insn;
    switch (in->op) {
    case IR_GOTO_TB:
        flags_block_end(lc);
        if (in->aux == IR_JUMP_CALL) {
            lower_borrowed_restore(lc);
            tb_emit_call_tb(lc->cb, lc->tb, in->imm, in->imm2);
        } else {
            emit_goto(lc, in->imm, 0);
        }
        break;
    case IR_BRCOND:
        lower_brcond(lc);
        break;
    case IR_BRCMP:
        lower_brcmp(lc);
        break;
    case IR_GOTO_PTR:
        lower_goto_ptr(lc);
        break;
    default:
        flags_block_end(lc);
        lower_borrowed_restore(lc);
        tb_emit_exit(lc->cb, lc->tb, (int)in->imm, in->imm2, in->aux);
        break;
    }
}

/* ---- the interface for lower-vec.c ------------------------------------------ */

/* Sources are materialised outside rax, which lower_vec may use freely. */
X86Operand lower_vec_src(LowerCtx *lc, int i)
{
    lower_mark_busy(lc, X86_RAX);
    return lower_operand(lc, lc->insn->src[i], 64, ALLOW_REG | ALLOW_MEM | ALLOW_IMM);
}

X86Reg lower_vec_src_reg(LowerCtx *lc, int i)
{
    lower_mark_busy(lc, X86_RAX);
    return lower_operand_reg(lc, lc->insn->src[i], 64);
}

X86Reg lower_vec_dst(LowerCtx *lc)
{
    uint16_t avoid = 0;
    for (int s = 0; s < 3; s++) {
        IRTemp t = lc->insn->src[s];
        if (t != IR_NONE && lc->loc[t].kind == LOC_REG) {
            avoid |= reg_bit((X86Reg)lc->loc[t].reg);
        }
    }
    return lower_alloc_dst(lc, X86_NOREG, avoid);
}

void lower_vec_clobber_flags(LowerCtx *lc)
{
    flags_clobber(lc);
}

X86Cond lower_vec_cond(LowerCtx *lc, IRCond cond)
{
    return flags_cond(lc, cond);
}

FpRegCache *lower_fp_cache(LowerCtx *lc)
{
    return &lc->fpc;
}

static bool lower_vec_insn(LowerCtx *lc)
{
    uint16_t f = ir_op_info[lc->insn->op].flags;
    if (flags_at_risk(lc)) {
        flags_save(lc);                 /* before lower_vec takes rax */
    }
    if (f & IRF_WFLAGS) {
        lc->eflags_valid = false;       /* the op leaves NZCV in env */
    }
    if (!lower_vec(lc->cb, lc->blk, lc->insn, lc)) {
        return false;
    }
    if (f & IRF_WFLAGS) {
        flags_in_env(lc);
    }
    if (lc->insn->dst != IR_NONE && lc->loc[lc->insn->dst].kind == LOC_NONE) {
        lower_vec_dst(lc);
    }
    return true;
}

/* ---- the driver ---------------------------------------------------------------- */

static bool lower_one(LowerCtx *lc)
{
    const IRInsn *in = lc->insn;
    if ((in->dst != IR_NONE && (lc->loc[in->dst].kind == LOC_ADDR || lc->loc[in->dst].kind == LOC_TEST)) ||
        lc->skip[lc->idx]) {
        return true;                    /* folded into its memory access, or dead */
    }
    if ((ir_op_info[in->op].flags & IRF_MEM) && flags_at_risk(lc)) {
        flags_save(lc);                 /* a fault must find NZCV in env */
    }
    /* the ops of this file first: guest registers, markers and memory are
     * two thirds of all IR */
    switch (in->op) {
    case IR_GET_REG:    lower_get_reg(lc); return true;
    case IR_SET_REG:    lower_set_reg(lc); return true;
    case IR_LD_ENV:     lower_ld_env(lc); return true;
    case IR_ST_ENV:     fpc_reset(&lc->fpc); lower_st_env(lc); return true;
    case IR_LOAD:       lower_load(lc); return true;
    case IR_STORE:      lower_store(lc); return true;
    case IR_CMPXCHG:    lower_cmpxchg(lc); return true;
    case IR_XCHG:       lower_xchg(lc); return true;
    case IR_FENCE:      x86_mfence(lc->cb); return true;
    case IR_PREFETCH:   lower_prefetch(lc); return true;
    case IR_EXIT_IF:
    case IR_EXIT_IF_CMP: lower_exit_if(lc); return true;
    case IR_CALL:       fpc_reset(&lc->fpc); lower_call(lc, false); return true;
    case IR_CALL_FLAGS: fpc_reset(&lc->fpc); lower_call(lc, true); return true;
    case IR_INSN_START:
        if (lc->n_guest_insns < TB_MAX_GUEST_INSNS && lc->tb->insn_host_off) {
            lc->tb->insn_host_off[lc->n_guest_insns] = (uint32_t)(lc->cb->ptr - lc->block_start);
        }
        lc->n_guest_insns++;
        return true;
    default:
        break;
    }
    if (lower_alu_op(lc) || lower_flags_op(lc) || lower_atomic_op(lc)) {
        return true;
    }
    if (ir_op_info[in->op].flags & IRF_TERM) {
        lower_terminator(lc);
        return true;
    }
    if (ir_op_info[in->op].flags & IRF_VEC) {
        return lower_vec_insn(lc);
    }
    return false;
}

static uint64_t current_guest_pc(const LowerCtx *lc)
{
    uint64_t pc = lc->blk->guest_pc;
    for (uint32_t i = 0; i <= lc->idx; i++) {
        if (lc->blk->insns[i].op == IR_INSN_START) {
            pc = lc->blk->insns[i].imm;
        }
    }
    return pc;
}

bool backend_gen_block_with(CodeBuf *cb, IRBlock *blk, TranslationBlock *tb,
                            const X86Features *feat)
{
    LowerCtx lc = {
        .cb = cb, .blk = blk, .tb = tb, .feat = feat,
        .env_valid = true, .block_start = cb->ptr,
    };
    regalloc_init(&lc);
    /* no entry check: interrupts are checked on back-edges and indirect
     * branches (host/x86_64/tb-stubs.c) */
    lower_borrowed_save(&lc);
    lc.loop_head = cb->ptr;
    tb->borrowed = lc.borrowed;
    for (uint32_t i = 0; i < blk->n_insns && !cb->overflow; i++) {
        lc.insn = &blk->insns[i];
        lc.idx = i;
        regalloc_begin_insn(&lc);
        if (!lower_one(&lc)) {
            /* an op nobody can lower yet: leave as an undefined instruction */
            fprintf(stderr, "ferry: backend cannot lower IR op %s\n", ir_op_info[lc.insn->op].name);
            flags_block_end(&lc);
            lower_borrowed_restore(&lc);
            tb_emit_exit(cb, tb, EXIT_UDEF, current_guest_pc(&lc), 0);
            break;
        }
        regalloc_after_insn(&lc);
    }
    emit_side_exit_paths(&lc);
    fpc_emit_cold(cb, &lc.fpc);
    tb->n_insns = (uint16_t)(lc.n_guest_insns < TB_MAX_GUEST_INSNS ? lc.n_guest_insns
                                                                     : TB_MAX_GUEST_INSNS);
    regalloc_free(&lc);
    return !cb->overflow;
}

bool backend_gen_block(CodeBuf *cb, IRBlock *blk, TranslationBlock *tb)
{
    return backend_gen_block_with(cb, blk, tb, x86_host_features());
}
