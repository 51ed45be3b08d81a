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
 * uint64_t enter(CPUState *env, uintptr_t code):
 * save the callee-saved registers, reserve the spill area (six pushes after
 * the call leave rsp = 8 mod 16, which the 256-byte frame keeps), pin env
 * in r15, load the pinned guest registers and jump to the block.
 */
static void emit_prologue(CodeBuf *cb)
{
    for (int i = 0; i < N_CALLEE_SAVED; i++) {
        x86_push(cb, callee_saved[i]);
    }
    x86_alu(cb, X86_SUB, 8, x86_r(X86_RSP), x86_i(BACKEND_FRAME_SIZE));
    x86_mov(cb, 8, x86_r(HREG_ENV), x86_r(X86_RDI));
    for (int i = 0; i < BACKEND_N_PINNED; i++) {
        x86_mov(cb, 8, x86_r(backend_pinned[i].hreg),
                x86_m(HREG_ENV, ENV_XREG_OFF(backend_pinned[i].greg)));
    }
    x86_jmp_reg(cb, x86_r(X86_RSI));
}

/* Store the pinned guest registers, unwind, return eax/rax to C. */
static void emit_epilogue(CodeBuf *cb)
{
    for (int i = 0; i < BACKEND_N_PINNED; i++) {
        x86_mov(cb, 8, x86_m(HREG_ENV, ENV_XREG_OFF(backend_pinned[i].greg)),
                x86_r(backend_pinned[i].hreg));
    }
    x86_alu(cb, X86_ADD, 8, x86_r(X86_RSP), x86_i(BACKEND_FRAME_SIZE));
    for (int i = N_CALLEE_SAVED - 1; i >= 0; i--) {
        x86_pop(cb, callee_saved[i]);
    }
    x86_ret(cb);
}

void tb_stubs_generate(CodeBuf *cb, HostStubs *s, IndirectEntry *indirect)
{
    align_code(cb, 16);
    s->enter = (TBEnterFn *)cb_exec_addr(cb, cb->ptr);
    emit_prologue(cb);
    align_code(cb, 16);
    s->epilogue = cb_exec_addr(cb, cb->ptr);
    emit_epilogue(cb);
    s->indirect = indirect;
    s->pending_entry_jcc = NULL;
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
 * itself is emitted out of line by tb_stubs_finish_block. */
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
 * jmp rel32 with a 4-byte-aligned displacement (so patching it is one
 * atomic store), initially pointing at the stub right behind it, which
 * returns "exit `slot` of this TB" to the dispatcher.
 */
void tb_emit_goto_tb(CodeBuf *cb, TranslationBlock *tb, int slot, uint64_t target_pc)
{
    unsigned mis = (unsigned)((cb_exec_addr(cb, cb->ptr) + 1) & 3);
    if (mis) {
        x86_nop(cb, (int)(4 - mis));
    }
    uint8_t *disp = x86_jmp(cb, 0);
    uintptr_t stub = cb_exec_addr(cb, cb->ptr);
    if (disp) {
        x86_patch_rel32(cb->exec_delta, disp, stub);
    }
    emit_return_to_c(cb, tb_exit_chain_token(tb_index_of(tb), slot));
    tb->exits[slot] = (TBExit){ .target_pc = target_pc, .jmp_disp = disp, .stub = stub };
    if (tb->n_exits <= slot) {
        tb->n_exits = (uint16_t)(slot + 1);
    }
}

/*
 * Inline probe of the indirect table (16-byte entries indexed by bits 2..17
 * of the guest pc):
 *     movabs s, table
 *     mov    eax, target32
 *     and    eax, 0x3fffc            ; index * 4
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
 * hint (IR_JUMP_CALL / IR_JUMP_RET) is where a return-address shadow stack
 * will push / predict; for now every kind takes the table.
 */
void tb_emit_goto_ptr(CodeBuf *cb, TranslationBlock *tb, X86Reg target, int hint)
{
    X86Reg s = target == X86_RCX ? X86_RDX : X86_RCX;
    x86_mov(cb, 8, x86_r(s), x86_i((int64_t)(uintptr_t)stubs()->indirect));
    x86_mov(cb, 4, x86_r(X86_RAX), x86_r(target));
    x86_alu(cb, X86_AND, 4, x86_r(X86_RAX), x86_i((int64_t)TB_INDIRECT_PC_MASK));
    X86Reg tmp = target == X86_RSI ? X86_RDI : X86_RSI;
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
