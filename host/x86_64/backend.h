/*
 * The x86-64 backend's interface: the fixed host register assignment, the
 * IR -> x86-64 lowering, and the block-end code the translation cache owns.
 *
 * Register convention inside translated code:
 *   r15            CPUState *env (pinned for the whole run)
 *   rbx rbp r12 r13 r14 rsi rdi r8 r9   pinned guest registers (see
 *                  backend_pinned: SP, X0, X1, X2, X30, X3, X4, X5, X6; the
 *                  last four are caller-saved and go through env around
 *                  every C call)
 *   rax            scratch for the lowering (flag save/restore, mul/div, ...)
 *   rcx rdx r10 r11   allocatable for IR temps
 *   rsp            host stack, 16-byte aligned + 8 inside translated code
 *                  (as right after a call).  It is also the guest's
 *                  return-address stack: BL/BLR push a 16-byte frame
 *                  (guest return address, then the host return address of a
 *                  `call`) and RET pops it with a `ret` when the guest target
 *                  matches, so the host's return predictor works.  The depth
 *                  is bounded (env->host_sp_limit) and every exit to C
 *                  restores rsp from env->host_sp, so stale frames (longjmp,
 *                  exceptions, signals) are harmless.  Spill slots are
 *                  env->spill[] (BACKEND_FRAME_SIZE bytes), not the stack.
 * Guest NZCV lives in EFLAGS inside a block and in env->flags_x86 at every
 * block boundary (see cpu.h).  At every block boundary all pinned guest
 * registers hold the guest values and everything else is in env.
 * At every guest memory access (IRF_MEM op) env->flags_x86 holds NZCV (if
 * anything after the access still reads it; liveness drops dead flags) and
 * the guest registers (pinned ones in their host registers) hold exactly
 * what the SET_REGs before it in the IR wrote -- no write is moved across
 * an access -- so a fault there sees precise guest state.
 */
#ifndef FERRY_HOST_X86_64_BACKEND_H
#define FERRY_HOST_X86_64_BACKEND_H

#include <stdbool.h>
#include "host/x86_64/x86-encode.h"
#include "tcg/ir.h"
#include "tcg/tb.h"

#define HREG_ENV X86_R15
#define BACKEND_FRAME_SIZE 256        /* spill slots: 32 x 8 bytes */

/* The pinned guest registers, one line each: (guest register, host
 * register).  X3..X6 sit in caller-saved registers and go through env
 * around C calls (lower.c). */
#define BACKEND_PINNED(X) \
    X(GREG_SP, X86_RBX) \
    X(0, X86_RBP)       \
    X(1, X86_R12)       \
    X(2, X86_R13)       \
    X(GREG_LR, X86_R14) \
    X(3, X86_RSI)       \
    X(4, X86_RDI)       \
    X(5, X86_R8)        \
    X(6, X86_R9)

typedef struct PinnedReg { int greg; X86Reg hreg; } PinnedReg;
#define BACKEND_COUNT_PINNED(g, h) + 1
#define BACKEND_N_PINNED (0 BACKEND_PINNED(BACKEND_COUNT_PINNED))
extern const PinnedReg backend_pinned[BACKEND_N_PINNED];
/* Host register holding guest register greg, or X86_NOREG. */
X86Reg backend_pinned_hreg(int greg);

/* Lower one block (after ir_liveness) into cb.  Fills tb->insn_host_off,
 * tb->n_insns and, through the tb_emit_* functions, tb->exits.  Returns
 * false if cb overflowed. */
bool backend_gen_block(CodeBuf *cb, IRBlock *blk, TranslationBlock *tb);

/* Block-end code, provided by the translation cache (tcg/tb.c with
 * host/x86_64/tb-stubs.c).  Preconditions: pinned registers hold guest
 * values, NZCV is in env->flags_x86. */
void tb_emit_block_entry(CodeBuf *cb, TranslationBlock *tb);  /* interrupt check */
void tb_emit_goto_tb(CodeBuf *cb, TranslationBlock *tb, int slot, uint64_t target_pc);
void tb_emit_goto_ptr(CodeBuf *cb, TranslationBlock *tb, X86Reg target, int hint); /* target: guest PC in a register (not rax) */
/* BL: push a return frame for return_pc, then continue at target_pc
 * (exit slot 0) and, when the callee returns, at return_pc (slot 1). */
void tb_emit_call_tb(CodeBuf *cb, TranslationBlock *tb, uint64_t target_pc, uint64_t return_pc);
/* BLR: the same with the target in a register (not rax); slot 0 is the
 * return continuation. */
void tb_emit_call_ptr(CodeBuf *cb, TranslationBlock *tb, X86Reg target, uint64_t return_pc);
void tb_emit_exit(CodeBuf *cb, TranslationBlock *tb, int reason, uint64_t pc, uint32_t info);
/* A back edge's interrupt check (cmp [env->interrupt_request], 0; jne:
 * returns the jne's rel32) and the exit its jne leads to (env->pc =
 * target_pc, EXIT_INTERRUPT). */
uint8_t *tb_emit_interrupt_check(CodeBuf *cb);
void tb_emit_interrupt_exit(CodeBuf *cb, uint64_t target_pc);

/* Vector / FP ops (IRF_VEC) are lowered by lower_vec (host/x86_64/lower-vec.c,
 * called by the integer lowering for each such insn).  Guest V registers live
 * in env->v[]; lower_vec may use every xmm register and rax freely, no other
 * GPR except the one lower_vec_dst returns.  It must call
 * lower_vec_clobber_flags() before emitting anything that changes EFLAGS,
 * use lower_vec_cond() to test a condition (IRF_RFLAGS ops), and an op that
 * writes NZCV (IRF_WFLAGS) leaves it in env->flags_x86 (see cpu.h).  Returns
 * false if it cannot lower the op (the block then ends with EXIT_UDEF). */
typedef struct LowerCtx LowerCtx;
X86Operand lower_vec_src(LowerCtx *lc, int i);       /* insn->src[i]: reg, [mem] or simm32 imm */
X86Reg lower_vec_src_reg(LowerCtx *lc, int i);       /* insn->src[i] in a GPR (may be rax) */
X86Reg lower_vec_dst(LowerCtx *lc);                  /* the GPR that receives insn->dst */
void lower_vec_clobber_flags(LowerCtx *lc);
X86Cond lower_vec_cond(LowerCtx *lc, IRCond cond);   /* x86 condition equal to cond (not AL/NV) */
bool lower_vec(CodeBuf *cb, const IRBlock *blk, const IRInsn *insn, LowerCtx *lc);
struct FpRegCache *lower_fp_cache(LowerCtx *lc);     /* the block's (lower-fp-cache.h) */

#endif
