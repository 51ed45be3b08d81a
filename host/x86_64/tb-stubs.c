/*
 * x86-64 code the translation cache owns: the prologue that enters
 * translated code from C, the epilogue every exit leaves through, and the
 * block-end pieces the backend asks for (entry interrupt check, chainable
 * direct exits with their stubs, the inline indirect-branch lookup, exits
 * to C).  Everything is emitted with the encoder.
 *
 * The value in eax when the epilogue returns tells cpu_exec why translated
 * code stopped (see tcg/tb-internal.h).
 */
#include <stdlib.h>

#include "host/x86_64/backend.h"
#include "tcg/exec.h"
#include "tcg/tb-internal.h"

static const X86Reg callee_saved[] = { X86_RBP, X86_RBX, X86_R12, X86_R13, X86_R14, X86_R15 };
#define N_CALLEE_SAVED (int)(sizeof(callee_saved) / sizeof(callee_saved[0]))

static void align_code(CodeBuf *cb, unsigned align)
{
    unsigned mis = (unsigned)(cb_exec_addr(cb, cb->ptr) & (align - 1));
    if (mis) {
        x86_nop(cb, (int)(align - mis));
    }
}

static HostStubs *stubs(void) { return &tb_cache()->stubs; }

/*
 * The return-address stack lives on the host stack (see backend.h).  It is
 * off unless FERRY_RETURN_STACK=1: on the (AMD, virtualised) host it was
 * measured on, the push, the depth check and the call/ret pair cost more
 * than the inline table's well-predicted indirect jump (a call-heavy loop:
 * 0.38 s with the table, 0.55 s with the return stack, 0.46 s even without
 * the depth check).  The prologue's sentinel frame is always there.  Its
 * base is a sentinel frame {guest 1, host underflow stub}: no RET target
 * that reaches translated code is odd, except 1 itself, which the stub
 * handles by leaving for the dispatcher with env->pc = 1.
 */
#define RETURN_STACK_BYTES (32u << 10)      /* 2048 frames, then restart */
#define SENTINEL_GUEST_PC 1

/*
 * uint64_t enter(CPUState *env, uintptr_t code):
 * save the callee-saved registers and the outer run's return-stack bounds
 * (six pushes after the call, two more, and the sentinel frame leave rsp =
 * 8 mod 16, as right after a call), pin env in r15, record the new bounds,
 * load the pinned guest registers and jump to the block.
 */
static void emit_prologue(CodeBuf *cb, uintptr_t underflow)
{
    for (int i = 0; i < N_CALLEE_SAVED; i++) {
        x86_push(cb, callee_saved[i]);
    }
    x86_mov(cb, 8, x86_r(HREG_ENV), x86_r(X86_RDI));
    x86_mov(cb, 8, x86_r(X86_R11), x86_r(X86_RSI));     /* rsi is a pinned register */
    x86_mov(cb, 8, x86_r(X86_RAX), x86_m(HREG_ENV, ENV_OFF(host_sp)));
    x86_push(cb, X86_RAX);
    x86_mov(cb, 8, x86_r(X86_RAX), x86_m(HREG_ENV, ENV_OFF(host_sp_limit)));
    x86_push(cb, X86_RAX);
    x86_push_imm32(cb, SENTINEL_GUEST_PC);
    x86_mov(cb, 8, x86_r(X86_RAX), x86_i((int64_t)underflow));
    x86_push(cb, X86_RAX);
    x86_mov(cb, 8, x86_m(HREG_ENV, ENV_OFF(host_sp)), x86_r(X86_RSP));
    x86_lea(cb, 8, X86_RAX, x86_m(X86_RSP, -(int32_t)RETURN_STACK_BYTES));
    x86_mov(cb, 8, x86_m(HREG_ENV, ENV_OFF(host_sp_limit)), x86_r(X86_RAX));
    for (int i = 0; i < BACKEND_N_PINNED; i++) {
        x86_mov(cb, 8, x86_r(backend_pinned[i].hreg),
                x86_m(HREG_ENV, ENV_XREG_OFF(backend_pinned[i].greg)));
    }
    x86_jmp_reg(cb, x86_r(X86_R11));
}

/* Store the pinned guest registers, drop whatever return frames are left,
 * restore the outer run's bounds, unwind, return eax/rax to C. */
static void emit_epilogue(CodeBuf *cb)
{
    for (int i = 0; i < BACKEND_N_PINNED; i++) {
        x86_mov(cb, 8, x86_m(HREG_ENV, ENV_XREG_OFF(backend_pinned[i].greg)),
                x86_r(backend_pinned[i].hreg));
    }
    x86_mov(cb, 8, x86_r(X86_RSP), x86_m(HREG_ENV, ENV_OFF(host_sp)));
    x86_lea(cb, 8, X86_RSP, x86_m(X86_RSP, 16));          /* the sentinel frame */
    x86_pop(cb, X86_RCX);
    x86_mov(cb, 8, x86_m(HREG_ENV, ENV_OFF(host_sp_limit)), x86_r(X86_RCX));
    x86_pop(cb, X86_RCX);
    x86_mov(cb, 8, x86_m(HREG_ENV, ENV_OFF(host_sp)), x86_r(X86_RCX));
    for (int i = N_CALLEE_SAVED - 1; i >= 0; i--) {
        x86_pop(cb, callee_saved[i]);
    }
    x86_ret(cb);
}

/* RET popped the sentinel frame: the guest returned to address 1. */
static void emit_underflow(CodeBuf *cb, uintptr_t epilogue)
{
    x86_mov(cb, 8, x86_m(HREG_ENV, ENV_OFF(pc)), x86_i(SENTINEL_GUEST_PC));
    x86_mov(cb, 4, x86_r(X86_RAX), x86_i(TB_EXIT_LOOKUP));
    x86_jmp(cb, epilogue);
}

void tb_stubs_generate(CodeBuf *cb, HostStubs *s, IndirectEntry *indirect)
{
    align_code(cb, 16);
    s->epilogue = cb_exec_addr(cb, cb->ptr);
    emit_epilogue(cb);
    align_code(cb, 16);
    uintptr_t underflow = cb_exec_addr(cb, cb->ptr);
    emit_underflow(cb, s->epilogue);
    align_code(cb, 16);
    s->enter = (TBEnterFn *)cb_exec_addr(cb, cb->ptr);
    emit_prologue(cb, underflow);
    s->indirect = indirect;
    s->pending_entry_jcc = NULL;
    const char *rs = getenv("FERRY_RETURN_STACK");
    s->return_stack = rs && rs[0] == '1';
}

/* Leave with eax = value. */
static void emit_return_to_c(CodeBuf *cb, uint32_t value)
{
    x86_mov(cb, 4, x86_r(X86_RAX), x86_i(value));
    x86_jmp(cb, stubs()->epilogue);
}

/* env->pc = pc, through rax when pc does not fit a sign-extended imm32. */
static void emit_store_pc(CodeBuf *cb, uint64_t pc)
{
    if (pc <= INT32_MAX) {
        x86_mov(cb, 8, x86_m(HREG_ENV, ENV_OFF(pc)), x86_i((int64_t)pc));
    } else {
        x86_mov(cb, 8, x86_r(X86_RAX), x86_i((int64_t)pc));
        x86_mov(cb, 8, x86_m(HREG_ENV, ENV_OFF(pc)), x86_r(X86_RAX));
    }
}

/* cmp dword [env->interrupt_request], 0; jne <interrupt exit>.  The exit
 * itself is emitted out of line by tb_stubs_finish_block.  The backend no
 * longer asks for it at every block entry: the checks sit on back-edges
 * and indirect branches (emit_interrupt_check). */
void tb_emit_block_entry(CodeBuf *cb, TranslationBlock *tb)
{
    x86_alu(cb, X86_CMP, 4, x86_m(HREG_ENV, ENV_OFF(interrupt_request)), x86_i(0));
    stubs()->pending_entry_jcc = x86_jcc(cb, X86_CC_NE, 0);
}

void tb_stubs_finish_block(CodeBuf *cb, TranslationBlock *tb)
{
    HostStubs *s = stubs();
    if (s->pending_entry_jcc) {
        x86_patch_rel32(cb->exec_delta, s->pending_entry_jcc, cb_exec_addr(cb, cb->ptr));
        s->pending_entry_jcc = NULL;
        emit_store_pc(cb, tb->pc);
        emit_return_to_c(cb, EXIT_INTERRUPT);
    }
}

/*
 * Interrupt checks sit where a guest loop must pass, not at every block
 * entry: before a direct exit to a block that starts at or below the
 * current block's start (every cycle of direct jumps has such an edge) and
 * before every indirect branch.  A guest spinning in `while (!flag);`
 * still sees its signals; straight-line chains of blocks pay nothing.
 *     cmp dword [env->interrupt_request], 0
 *     jne irq               ; out of line: env->pc = target, EXIT_INTERRUPT
 */
uint8_t *tb_emit_interrupt_check(CodeBuf *cb)
{
    x86_alu(cb, X86_CMP, 4, x86_m(HREG_ENV, ENV_OFF(interrupt_request)), x86_i(0));
    return x86_jcc(cb, X86_CC_NE, 0);
}

static bool is_back_edge(const TranslationBlock *tb, uint64_t target_pc)
{
    return target_pc <= tb->pc;
}

void tb_emit_interrupt_exit(CodeBuf *cb, uint64_t target_pc)
{
    emit_store_pc(cb, target_pc);
    emit_return_to_c(cb, EXIT_INTERRUPT);
}

static void emit_interrupt_exit(CodeBuf *cb, uint8_t *jcc, uint64_t target_pc)
{
    x86_patch_rel32(cb->exec_delta, jcc, cb_exec_addr(cb, cb->ptr));
    tb_emit_interrupt_exit(cb, target_pc);
}

static void emit_interrupt_exit_reg(CodeBuf *cb, uint8_t *jcc, X86Reg target)
{
    x86_patch_rel32(cb->exec_delta, jcc, cb_exec_addr(cb, cb->ptr));
    x86_mov(cb, 8, x86_m(HREG_ENV, ENV_OFF(pc)), x86_r(target));
    emit_return_to_c(cb, EXIT_INTERRUPT);
}

/* Align so that the rel32 of a 5-byte jmp/call emitted next is 4-byte
 * aligned (patching it is then one atomic store). */
static void align_rel32(CodeBuf *cb)
{
    unsigned mis = (unsigned)((cb_exec_addr(cb, cb->ptr) + 1) & 3);
    if (mis) {
        x86_nop(cb, (int)(4 - mis));
    }
}

static void record_exit(TranslationBlock *tb, int slot, uint64_t target_pc, uint8_t *disp, uintptr_t stub)
{
    tb->exits[slot] = (TBExit){ .target_pc = target_pc, .jmp_disp = disp, .stub = stub };
    if (tb->n_exits <= slot) {
        tb->n_exits = (uint16_t)(slot + 1);
    }
}

/* The unchained stub of exit `slot`: point disp at it, return the token. */
static void emit_exit_stub(CodeBuf *cb, TranslationBlock *tb, int slot, uint64_t target_pc, uint8_t *disp)
{
    uintptr_t stub = cb_exec_addr(cb, cb->ptr);
    if (disp) {
        x86_patch_rel32(cb->exec_delta, disp, stub);
    }
    emit_return_to_c(cb, tb_exit_chain_token(tb_index_of(tb), slot));
    record_exit(tb, slot, target_pc, disp, stub);
}

/*
 * jmp rel32 with a 4-byte-aligned displacement, initially pointing at the
 * stub right behind it, which returns "exit `slot` of this TB" to the
 * dispatcher.
 */
void tb_emit_goto_tb(CodeBuf *cb, TranslationBlock *tb, int slot, uint64_t target_pc)
{
    uint8_t *irq = is_back_edge(tb, target_pc) ? tb_emit_interrupt_check(cb) : NULL;
    align_rel32(cb);
    uint8_t *disp = x86_jmp(cb, 0);
    emit_exit_stub(cb, tb, slot, target_pc, disp);
    if (irq) {
        emit_interrupt_exit(cb, irq, target_pc);
    }
}

/*
 * Push a return frame's guest half, after making room:
 *     cmp  rsp, [env->host_sp_limit]
 *     jae  1f
 *     mov  rsp, [env->host_sp]       ; too deep: start again at the base
 * 1:  push return_pc                 ; (mov rax, imm64; push rax if large)
 * The `call` that follows pushes the host half.
 */
static void emit_push_return_pc(CodeBuf *cb, uint64_t return_pc)
{
    x86_alu(cb, X86_CMP, 8, x86_r(X86_RSP), x86_m(HREG_ENV, ENV_OFF(host_sp_limit)));
    uint8_t *room = x86_jcc8(cb, X86_CC_AE);
    x86_mov(cb, 8, x86_r(X86_RSP), x86_m(HREG_ENV, ENV_OFF(host_sp)));
    x86_bind_rel8(cb, room);
    if (return_pc <= INT32_MAX) {
        x86_push_imm32(cb, (int32_t)return_pc);
    } else {
        x86_mov(cb, 8, x86_r(X86_RAX), x86_i((int64_t)return_pc));
        x86_push(cb, X86_RAX);
    }
}

/* Where a matching RET's `ret` lands: drop the frame's guest half and
 * continue at return_pc through chainable exit `slot`. */
static void emit_return_continuation(CodeBuf *cb, TranslationBlock *tb, int slot, uint64_t return_pc)
{
    x86_pop(cb, X86_RAX);
    tb_emit_goto_tb(cb, tb, slot, return_pc);
}

/*
 * BL:  <push return_pc>
 *      call target_tb        ; chainable exit 0 (rel32 like a goto_tb)
 *      lea  rsp, [rsp+8]     ; RET lands here
 *      jmp  return_tb        ; chainable exit 1
 * An unchained call reaches its stub and the epilogue, which drops the frame.
 */
void tb_emit_call_tb(CodeBuf *cb, TranslationBlock *tb, uint64_t target_pc, uint64_t return_pc)
{
    if (!stubs()->return_stack) {
        tb_emit_goto_tb(cb, tb, 0, target_pc);
        return;
    }
    uint8_t *irq = is_back_edge(tb, target_pc) ? tb_emit_interrupt_check(cb) : NULL;
    emit_push_return_pc(cb, return_pc);
    align_rel32(cb);
    uint8_t *call_disp = x86_call(cb, 0);
    emit_return_continuation(cb, tb, 1, return_pc);
    emit_exit_stub(cb, tb, 0, target_pc, call_disp);
    if (irq) {
        emit_interrupt_exit(cb, irq, target_pc);
    }
}

/*
 * Inline probe of the indirect table (16-byte entries indexed by bits of
 * the guest pc from bit 2; table and mask from env, tcg/tb-internal.h):
 *     mov    s, [env->indirect_table]
 *     mov    eax, target32
 *     and    eax, [env->indirect_mask]   ; index * 4
 *     cmp    target, [s + rax*4]
 *     jne    miss
 *     mov    tmp, [s + rax*4 + 8]
 *     cmp    target, [s + rax*4]     ; again: another thread may have
 *     jne    miss                    ; replaced the entry in between
 *     jmp    tmp
 * The writer parks the pc on a non-matching value, then stores the code,
 * then the new pc (tb.c, indirect_set), and x86 keeps loads in order, so a
 * code address read between two matching reads of the pc belongs to that
 * pc (short of two complete rewrites of the entry inside this window).
 * miss:
 *     mov    [env->pc], target
 *     mov    eax, TB_EXIT_LOOKUP ; jmp epilogue
 * EFLAGS and the non-pinned registers are free at a block boundary.
 */
static void emit_indirect_probe(CodeBuf *cb, X86Reg target)
{
    X86Reg s = target == X86_RCX ? X86_RDX : X86_RCX;
    x86_mov(cb, 8, x86_r(s), x86_m(HREG_ENV, ENV_OFF(indirect_table)));
    x86_mov(cb, 4, x86_r(X86_RAX), x86_r(target));
    x86_alu(cb, X86_AND, 4, x86_r(X86_RAX), x86_m(HREG_ENV, ENV_OFF(indirect_mask)));
    X86Reg tmp = target == X86_R10 ? X86_R11 : X86_R10;
    x86_alu(cb, X86_CMP, 8, x86_r(target), x86_mi(s, X86_RAX, 4, 0));
    uint8_t *miss = x86_jcc8(cb, X86_CC_NE);
    x86_mov(cb, 8, x86_r(tmp), x86_mi(s, X86_RAX, 4, 8));
    x86_alu(cb, X86_CMP, 8, x86_r(target), x86_mi(s, X86_RAX, 4, 0));
    uint8_t *changed = x86_jcc8(cb, X86_CC_NE);
    x86_jmp_reg(cb, x86_r(tmp));
    x86_bind_rel8(cb, miss);
    x86_bind_rel8(cb, changed);
    x86_mov(cb, 8, x86_m(HREG_ENV, ENV_OFF(pc)), x86_r(target));
    emit_return_to_c(cb, TB_EXIT_LOOKUP);
}

/*
 * BR/RET.  RET first tries the return frame on top of the host stack:
 *     cmp  target, [rsp+8]           ; the guest return address it holds
 *     jne  probe
 *     ret                            ; predicted by the host: lands on the
 *                                    ; caller's return continuation
 * probe: the indirect table, as for BR.
 */
void tb_emit_goto_ptr(CodeBuf *cb, TranslationBlock *tb, X86Reg target, int hint)
{
    uint8_t *irq = tb_emit_interrupt_check(cb);
    if (hint == IR_JUMP_RET && stubs()->return_stack) {
        x86_alu(cb, X86_CMP, 8, x86_r(target), x86_m(X86_RSP, 8));
        uint8_t *probe = x86_jcc8(cb, X86_CC_NE);
        x86_ret(cb);
        x86_bind_rel8(cb, probe);
    }
    emit_indirect_probe(cb, target);
    emit_interrupt_exit_reg(cb, irq, target);
}

/*
 * BLR: <push return_pc>
 *      call 1f
 *      lea  rsp, [rsp+8]             ; RET lands here
 *      jmp  return_tb                ; chainable exit 0
 * 1:   the indirect probe of target (a miss leaves through the epilogue,
 *      which drops the frame)
 */
void tb_emit_call_ptr(CodeBuf *cb, TranslationBlock *tb, X86Reg target, uint64_t return_pc)
{
    uint8_t *irq = tb_emit_interrupt_check(cb);
    if (!stubs()->return_stack) {
        emit_indirect_probe(cb, target);
        emit_interrupt_exit_reg(cb, irq, target);
        return;
    }
    emit_push_return_pc(cb, return_pc);
    uint8_t *call_disp = x86_call(cb, 0);
    emit_return_continuation(cb, tb, 0, return_pc);
    x86_patch_rel32(cb->exec_delta, call_disp, cb_exec_addr(cb, cb->ptr));
    emit_indirect_probe(cb, target);
    emit_interrupt_exit_reg(cb, irq, target);
}

void tb_emit_exit(CodeBuf *cb, TranslationBlock *tb, int reason, uint64_t pc, uint32_t info)
{
    emit_store_pc(cb, pc);
    if (info <= INT32_MAX) {
        x86_mov(cb, 8, x86_m(HREG_ENV, ENV_OFF(exit_info)), x86_i(info));
    } else {
        x86_mov(cb, 4, x86_r(X86_RAX), x86_i(info));
        x86_mov(cb, 8, x86_m(HREG_ENV, ENV_OFF(exit_info)), x86_r(X86_RAX));
    }
    emit_return_to_c(cb, (uint32_t)reason);
}
