/*
 * The lowering tests' harness: an entry thunk that loads the pinned guest
 * registers from a CPUState and jumps into a lowered block, this file's own
 * block-end functions (tb_emit_*: store the next PC, jump back to the
 * thunk), and reference semantics written from the Arm ARM pseudo-code
 * (AddWithCarry, ConditionHolds, the data-processing descriptions).
 */
#include <string.h>
#include <sys/mman.h>

#include "test-lower.h"

/* ---- harness --------------------------------------------------------------- */

typedef uint64_t (*EntryFn)(CPUState *env, uintptr_t code);

static struct {
    uint8_t *mem;
    CodeBuf cb;
    EntryFn entry;
    uintptr_t back_to_c;        /* thunk epilogue */
    uint8_t *body_end;          /* where the first block-end code began */
} h;

static void harness_epilogue_jump(CodeBuf *cb)
{
    x86_jmp(cb, h.back_to_c);
}

void tb_emit_block_entry(CodeBuf *cb, TranslationBlock *tb) { }

/* The random blocks run with any FPCR, FZ included: keep the FZ checks
 * (at run time they are left out until a guest first sets FZ). */
bool exec_fz_possible(void) { return true; }

void tb_emit_goto_tb(CodeBuf *cb, TranslationBlock *tb, int slot, uint64_t target_pc)
{
    if (!h.body_end) {
        h.body_end = cb->ptr;
    }
    x86_mov(cb, 8, x86_r(X86_RAX), x86_i((int64_t)target_pc));
    x86_mov(cb, 8, x86_m(X86_R15, ENV_OFF(pc)), x86_r(X86_RAX));
    x86_mov(cb, 4, x86_r(X86_RAX), x86_i(100 + slot));
    harness_epilogue_jump(cb);
}

void tb_emit_goto_ptr(CodeBuf *cb, TranslationBlock *tb, X86Reg target, int hint)
{
    if (!h.body_end) {
        h.body_end = cb->ptr;
    }
    x86_mov(cb, 8, x86_m(X86_R15, ENV_OFF(pc)), x86_r(target));
    x86_mov(cb, 4, x86_r(X86_RAX), x86_i(200 + hint));
    harness_epilogue_jump(cb);
}

uint8_t *tb_emit_interrupt_check(CodeBuf *cb)
{
    x86_alu(cb, X86_CMP, 4, x86_m(X86_R15, ENV_OFF(interrupt_request)), x86_i(0));
    return x86_jcc(cb, X86_CC_NE, 0);
}

void tb_emit_interrupt_exit(CodeBuf *cb, uint64_t target_pc)
{
    tb_emit_exit(cb, NULL, EXIT_INTERRUPT, target_pc, 0);
}

/* Calls leave like their plain forms (the return stack is tb-stubs.c's). */
void tb_emit_call_tb(CodeBuf *cb, TranslationBlock *tb, uint64_t target_pc, uint64_t return_pc)
{
    tb_emit_goto_tb(cb, tb, 0, target_pc);
}

void tb_emit_call_ptr(CodeBuf *cb, TranslationBlock *tb, X86Reg target, uint64_t return_pc)
{
    tb_emit_goto_ptr(cb, tb, target, IR_JUMP_CALL);
}

void tb_emit_exit(CodeBuf *cb, TranslationBlock *tb, int reason, uint64_t pc, uint32_t info)
{
    if (!h.body_end) {
        h.body_end = cb->ptr;
    }
    x86_mov(cb, 8, x86_r(X86_RAX), x86_i((int64_t)pc));
    x86_mov(cb, 8, x86_m(X86_R15, ENV_OFF(pc)), x86_r(X86_RAX));
    x86_mov(cb, 8, x86_m(X86_R15, ENV_OFF(exit_info)), x86_i(info));
    x86_mov(cb, 4, x86_r(X86_RAX), x86_i(reason));
    harness_epilogue_jump(cb);
}

static const X86Reg callee_saved[6] = { X86_RBX, X86_RBP, X86_R12, X86_R13, X86_R14, X86_R15 };

/* entry(env, code): save callee-saved registers, load the pinned guest
 * registers, reserve the spill frame (rsp = 16n+8) and jump to code; the
 * block ends jump back to the epilogue, which stores them again. */
static void build_thunk(void)
{
    CodeBuf *cb = &h.cb;
    h.entry = (EntryFn)(uintptr_t)cb->ptr;
    for (int i = 0; i < 6; i++) {
        x86_push(cb, callee_saved[i]);
    }
    x86_alu(cb, X86_SUB, 8, x86_r(X86_RSP), x86_i(BACKEND_FRAME_SIZE));
    x86_mov(cb, 8, x86_r(X86_R15), x86_r(X86_RDI));
    x86_mov(cb, 8, x86_r(X86_R11), x86_r(X86_RSI));     /* rsi is a pinned register */
    for (int i = 0; i < BACKEND_N_PINNED; i++) {
        x86_mov(cb, 8, x86_r(backend_pinned[i].hreg), x86_m(X86_R15, ENV_XREG_OFF(backend_pinned[i].greg)));
    }
    x86_jmp_reg(cb, x86_r(X86_R11));
    h.back_to_c = (uintptr_t)cb->ptr;
    for (int i = 0; i < BACKEND_N_PINNED; i++) {
        x86_mov(cb, 8, x86_m(X86_R15, ENV_XREG_OFF(backend_pinned[i].greg)), x86_r(backend_pinned[i].hreg));
    }
    x86_alu(cb, X86_ADD, 8, x86_r(X86_RSP), x86_i(BACKEND_FRAME_SIZE));
    for (int i = 5; i >= 0; i--) {
        x86_pop(cb, callee_saved[i]);
    }
    x86_ret(cb);
}

static const X86Features no_features = { false, false, false };
const X86Features *feature_sets[2];

void harness_setup(void)
{
    feature_sets[0] = x86_host_features();
    feature_sets[1] = &no_features;
    size_t size = 4 << 20;
    h.mem = mmap(NULL, size, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert_ptr_ne(h.mem, MAP_FAILED);
    h.cb = (CodeBuf){ .start = h.mem, .ptr = h.mem, .end = h.mem + size };
    build_thunk();
}

void harness_teardown(void)
{
    munmap(h.mem, 4 << 20);
}



void block_begin(Block *blk)
{
    memset(&blk->tb, 0, sizeof(blk->tb));
    blk->tb.insn_host_off = blk->insn_host_off;
    ir_builder_init(&blk->b, 0x1000);
    ir_insn_start(&blk->b, 0x1000);
}

/* Lower with a feature set; returns the code's start. */
uint8_t *block_lower(Block *blk, const X86Features *feat)
{
    ir_liveness(&blk->b.blk);
    h.cb.ptr = (uint8_t *)(((uintptr_t)h.cb.ptr + 15) & ~(uintptr_t)15);
    if (h.cb.end - h.cb.ptr < 65536) {
        h.cb.ptr = (uint8_t *)(uintptr_t)h.back_to_c + 64;   /* reuse the space */
    }
    blk->code = h.cb.ptr;
    h.body_end = NULL;
    ck_assert(backend_gen_block_with(&h.cb, &blk->b.blk, &blk->tb, feat));
    return blk->code;
}

uint64_t run(Block *blk, CPUState *env)
{
    return h.entry(env, (uintptr_t)blk->code);
}

void env_init(CPUState *env)
{
    memset(env, 0, sizeof(*env));
    for (int i = 0; i < 31; i++) {
        env->x[i] = 0x1111111111111111ull * (uint64_t)(i % 15 + 1);
    }
    cpu_set_nzcv(env, 0);
}

uint8_t *harness_body_end(void) { return h.body_end; }
uint8_t *harness_code_end(void) { return h.cb.ptr; }


/* ---- reference semantics (Arm ARM) ------------------------------------------- */

uint64_t wmask(int bits) { return bits == 64 ? ~0ull : 0xffffffffull; }

/* AddWithCarry(x, y, carry) -> result and NZCV. */
uint32_t ref_add_with_carry(int bits, uint64_t x, uint64_t y, int carry, uint64_t *res)
{
    uint64_t m = wmask(bits);
    x &= m; y &= m;
    unsigned __int128 usum = (unsigned __int128)x + y + (unsigned)carry;
    uint64_t r = (uint64_t)usum & m;
    __int128 sx = bits == 64 ? (__int128)(int64_t)x : (__int128)(int32_t)x;
    __int128 sy = bits == 64 ? (__int128)(int64_t)y : (__int128)(int32_t)y;
    __int128 ssum = sx + sy + carry;
    __int128 sr = bits == 64 ? (__int128)(int64_t)r : (__int128)(int32_t)r;
    uint32_t nzcv = 0;
    if (r >> (bits - 1)) nzcv |= NZCV_N;
    if (r == 0) nzcv |= NZCV_Z;
    if ((unsigned __int128)r != usum) nzcv |= NZCV_C;
    if (sr != ssum) nzcv |= NZCV_V;
    *res = r;
    return nzcv;
}

bool ref_cond(uint32_t nzcv, IRCond c)
{
    bool n = nzcv & NZCV_N, z = nzcv & NZCV_Z, cf = nzcv & NZCV_C, v = nzcv & NZCV_V;
    bool r;
    switch (c >> 1) {
    case 0: r = z; break;
    case 1: r = cf; break;
    case 2: r = n; break;
    case 3: r = v; break;
    case 4: r = cf && !z; break;
    case 5: r = n == v; break;
    case 6: r = n == v && !z; break;
    default: return true;
    }
    return (c & 1) ? !r : r;
}

const uint64_t edge_values[N_EDGE] = {
    0, 1, 2, 3, 5, 0x7f, 0x80, 0xff, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
    0x7fffffffffffffffull, 0x8000000000000000ull, 0xffffffffffffffffull, 0xfffffffffffffffeull,
    0x123456789abcdef0ull, 0x00000000fffffffeull, 0xdeadbeefcafef00dull, 42,
};

uint64_t ref_op2(IROp op, int bits, uint64_t a, uint64_t b)
{
    uint64_t m = wmask(bits);
    unsigned sh = (unsigned)(b & (uint64_t)(bits - 1));
    a &= m; b &= m;
    switch (op) {
    case IR_ADD: return (a + b) & m;
    case IR_SUB: return (a - b) & m;
    case IR_AND: return a & b;
    case IR_OR:  return a | b;
    case IR_XOR: return a ^ b;
    case IR_ANDN: return a & ~b & m;
    case IR_ORN: return (a | ~b) & m;
    case IR_XORN: return (a ^ ~b) & m;
    case IR_MUL: return (a * b) & m;
    case IR_SHL: return (a << sh) & m;
    case IR_SHR: return a >> sh;
    case IR_SAR: return bits == 64 ? (uint64_t)((int64_t)a >> sh) : (uint64_t)(uint32_t)((int32_t)a >> sh);
    case IR_ROR: return sh ? ((a >> sh) | (a << (bits - sh))) & m : a;
    case IR_UDIV: return b ? a / b : 0;
    case IR_SDIV: {
        if (!b) return 0;
        if (bits == 64) {
            if ((int64_t)a == INT64_MIN && (int64_t)b == -1) return a;
            return (uint64_t)((int64_t)a / (int64_t)b);
        }
        if ((int32_t)a == INT32_MIN && (int32_t)b == -1) return a;
        return (uint32_t)((int32_t)a / (int32_t)b);
    }
    case IR_MULUH: return (uint64_t)(((unsigned __int128)a * b) >> 64);
    case IR_MULSH: return (uint64_t)(((__int128)(int64_t)a * (int64_t)b) >> 64);
    default: ck_abort(); return 0;
    }
}

uint64_t ref_rbit(uint64_t x, int bits)
{
    uint64_t r = 0;
    for (int i = 0; i < bits; i++) {
        if (x >> i & 1) r |= 1ull << (bits - 1 - i);
    }
    return r;
}
