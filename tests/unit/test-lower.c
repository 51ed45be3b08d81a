/*
 * Unit tests of the IR -> x86-64 lowering: small IR blocks are built with
 * the builder, lowered into an executable buffer and run on a CPUState
 * through a tiny entry thunk; the block ends are this file's own tb_emit_*
 * (they store the next PC and jump back to the thunk).  Expected values
 * come from the Arm ARM pseudo-code (AddWithCarry, ConditionHolds, the
 * instruction descriptions), re-implemented here independently, and from
 * hand-worked examples.  Golden tests count host instructions with capstone.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "host/x86_64/lower-internal.h"
#include "target/aarch64/cpu.h"
#include "tcg/exec.h"

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
    for (int i = 0; i < BACKEND_N_PINNED; i++) {
        x86_mov(cb, 8, x86_r(backend_pinned[i].hreg), x86_m(X86_R15, ENV_XREG_OFF(backend_pinned[i].greg)));
    }
    x86_jmp_reg(cb, x86_r(X86_RSI));
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

static void harness_setup(void)
{
    size_t size = 4 << 20;
    h.mem = mmap(NULL, size, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert_ptr_ne(h.mem, MAP_FAILED);
    h.cb = (CodeBuf){ .start = h.mem, .ptr = h.mem, .end = h.mem + size };
    build_thunk();
}

static void harness_teardown(void)
{
    munmap(h.mem, 4 << 20);
}

static const X86Features no_features = { false, false, false };
static const X86Features *feature_sets[2];

typedef struct Block {
    IRBuilder b;
    TranslationBlock tb;
    uint8_t *code;
} Block;

static void block_begin(Block *blk)
{
    memset(&blk->tb, 0, sizeof(blk->tb));
    ir_builder_init(&blk->b, 0x1000);
    ir_insn_start(&blk->b, 0x1000);
}

/* Lower with a feature set; returns the code's start. */
static uint8_t *block_lower(Block *blk, const X86Features *feat)
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

static uint64_t run(Block *blk, CPUState *env)
{
    return h.entry(env, (uintptr_t)blk->code);
}

static void env_init(CPUState *env)
{
    memset(env, 0, sizeof(*env));
    for (int i = 0; i < 31; i++) {
        env->x[i] = 0x1111111111111111ull * (uint64_t)(i % 15 + 1);
    }
    cpu_set_nzcv(env, 0);
}

int test_count_host_insns(const uint8_t *start, const uint8_t *end, FILE *listing);

/* ---- reference semantics (Arm ARM) ------------------------------------------- */

static uint64_t wmask(int bits) { return bits == 64 ? ~0ull : 0xffffffffull; }

/* AddWithCarry(x, y, carry) -> result and NZCV. */
static uint32_t ref_add_with_carry(int bits, uint64_t x, uint64_t y, int carry, uint64_t *res)
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

static bool ref_cond(uint32_t nzcv, IRCond c)
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

static const uint64_t edge_values[] = {
    0, 1, 2, 3, 5, 0x7f, 0x80, 0xff, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
    0x7fffffffffffffffull, 0x8000000000000000ull, 0xffffffffffffffffull, 0xfffffffffffffffeull,
    0x123456789abcdef0ull, 0x00000000fffffffeull, 0xdeadbeefcafef00dull, 42,
};
#define N_EDGE (sizeof(edge_values) / sizeof(edge_values[0]))

/* Guest registers used as inputs and output: all pinned or all in env. */
static const int reg_sets[2][3] = { { 0, 1, 2 }, { 5, 6, 7 } };

/* Run dst = op(a, b) at `bits` with a and b in guest registers. */
static uint64_t run_op2(IROp op, int bits, uint64_t a, uint64_t b, int fs, int rs)
{
    Block blk;
    CPUState env;
    const int *r = reg_sets[rs];
    block_begin(&blk);
    IRTemp x = ir_get_reg(&blk.b, r[0]);
    IRTemp y = ir_get_reg(&blk.b, r[1]);
    ir_set_reg(&blk.b, r[2], ir_op2(&blk.b, op, bits, x, y));
    ir_exit(&blk.b, EXIT_SVC, 0x1004, 0);
    block_lower(&blk, feature_sets[fs]);
    env_init(&env);
    env.x[r[0]] = a;
    env.x[r[1]] = b;
    ck_assert_uint_eq(run(&blk, &env), EXIT_SVC);
    ck_assert_uint_eq(env.x[r[0]], a);
    ir_builder_free(&blk.b);
    return env.x[r[2]];
}

/* Same with b as a constant (immediate operand forms). */
static uint64_t run_op2_imm(IROp op, int bits, uint64_t a, uint64_t b, int fs, int rs)
{
    Block blk;
    CPUState env;
    const int *r = reg_sets[rs];
    block_begin(&blk);
    IRTemp x = ir_get_reg(&blk.b, r[0]);
    ir_set_reg(&blk.b, r[2], ir_op2(&blk.b, op, bits, x, ir_const(&blk.b, b)));
    ir_exit(&blk.b, EXIT_SVC, 0x1004, 0);
    block_lower(&blk, feature_sets[fs]);
    env_init(&env);
    env.x[r[0]] = a;
    run(&blk, &env);
    ir_builder_free(&blk.b);
    return env.x[r[2]];
}

static uint64_t run_op1(IROp op, int bits, uint64_t a, uint64_t imm, int fs, int rs)
{
    Block blk;
    CPUState env;
    const int *r = reg_sets[rs];
    block_begin(&blk);
    IRTemp x = ir_get_reg(&blk.b, r[0]);
    IRTemp d = ir_new_temp(&blk.b);
    IRInsn *in = ir_emit(&blk.b, op, bits, d, x, IR_NONE, IR_NONE);
    in->imm = imm;
    ir_set_reg(&blk.b, r[2], d);
    ir_exit(&blk.b, EXIT_SVC, 0x1004, 0);
    block_lower(&blk, feature_sets[fs]);
    env_init(&env);
    env.x[r[0]] = a;
    run(&blk, &env);
    ir_builder_free(&blk.b);
    return env.x[r[2]];
}

#define FOR_ALL_SETUPS for (int fs = 0; fs < 2; fs++) for (int rs = 0; rs < 2; rs++)

/* ---- tests: arithmetic ------------------------------------------------------------ */

static uint64_t ref_op2(IROp op, int bits, uint64_t a, uint64_t b)
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

START_TEST(binary_ops_match_arm_semantics)
{
    static const IROp ops[] = { IR_ADD, IR_SUB, IR_AND, IR_OR, IR_XOR, IR_ANDN, IR_ORN, IR_XORN,
                                IR_MUL, IR_SHL, IR_SHR, IR_SAR, IR_ROR, IR_UDIV, IR_SDIV,
                                IR_MULUH, IR_MULSH };
    for (size_t o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
        for (int bits = 32; bits <= 64; bits += 32) {
            if ((ops[o] == IR_MULUH || ops[o] == IR_MULSH) && bits == 32) {
                continue;
            }
            FOR_ALL_SETUPS {
                for (size_t i = 0; i < N_EDGE; i += 3) {
                    for (size_t j = 0; j < N_EDGE; j += 2) {
                        uint64_t a = edge_values[i], b = edge_values[j];
                        uint64_t want = ref_op2(ops[o], bits, a, b);
                        uint64_t got = run_op2(ops[o], bits, a, b, fs, rs);
                        ck_assert_msg(got == want, "%s/%d fs%d rs%d %#lx,%#lx: got %#lx want %#lx",
                                      ir_op_info[ops[o]].name, bits, fs, rs, a, b, got, want);
                        got = run_op2_imm(ops[o], bits, a, b, fs, rs);
                        ck_assert_msg(got == want, "%s/%d imm fs%d rs%d %#lx,%#lx: got %#lx want %#lx",
                                      ir_op_info[ops[o]].name, bits, fs, rs, a, b, got, want);
                    }
                }
            }
        }
    }
}
END_TEST

START_TEST(division_corner_cases)
{
    FOR_ALL_SETUPS {
        ck_assert_uint_eq(run_op2(IR_UDIV, 64, 12345, 0, fs, rs), 0);
        ck_assert_uint_eq(run_op2(IR_SDIV, 64, (uint64_t)INT64_MIN, (uint64_t)-1, fs, rs), (uint64_t)INT64_MIN);
        ck_assert_uint_eq(run_op2(IR_SDIV, 32, 0x80000000u, 0xffffffffu, fs, rs), 0x80000000u);
        ck_assert_uint_eq(run_op2(IR_SDIV, 64, (uint64_t)-7, 2, fs, rs), (uint64_t)-3);
        ck_assert_uint_eq(run_op2(IR_SDIV, 32, 7, 0, fs, rs), 0);
        ck_assert_uint_eq(run_op2(IR_UDIV, 32, 0xffffffffu, 2, fs, rs), 0x7fffffffu);
    }
}
END_TEST

static uint64_t ref_rbit(uint64_t x, int bits)
{
    uint64_t r = 0;
    for (int i = 0; i < bits; i++) {
        if (x >> i & 1) r |= 1ull << (bits - 1 - i);
    }
    return r;
}

START_TEST(unary_ops_match_arm_semantics)
{
    FOR_ALL_SETUPS {
        ck_assert_uint_eq(run_op1(IR_CLZ, 64, 0, 0, fs, rs), 64);
        ck_assert_uint_eq(run_op1(IR_CLZ, 32, 0xffffffff00000000ull, 0, fs, rs), 32);
        ck_assert_uint_eq(run_op1(IR_CLZ, 64, 1, 0, fs, rs), 63);
        ck_assert_uint_eq(run_op1(IR_CLZ, 32, 0x00008000, 0, fs, rs), 16);
        ck_assert_uint_eq(run_op1(IR_CLS, 64, 0, 0, fs, rs), 63);
        ck_assert_uint_eq(run_op1(IR_CLS, 64, ~0ull, 0, fs, rs), 63);
        ck_assert_uint_eq(run_op1(IR_CLS, 32, 0xfff0ffff, 0, fs, rs), 11);
        ck_assert_uint_eq(run_op1(IR_CLS, 64, 0x4000000000000000ull, 0, fs, rs), 0);
        ck_assert_uint_eq(run_op1(IR_RBIT, 64, 1, 0, fs, rs), 1ull << 63);
        ck_assert_uint_eq(run_op1(IR_RBIT, 32, 1, 0, fs, rs), 1u << 31);
        ck_assert_uint_eq(run_op1(IR_BSWAP, 64, 0x0102030405060708ull, 0, fs, rs), 0x0807060504030201ull);
        ck_assert_uint_eq(run_op1(IR_BSWAP, 32, 0xaabbccdd11223344ull, 0, fs, rs), 0x44332211u);
        ck_assert_uint_eq(run_op1(IR_REV16, 64, 0x0102030405060708ull, 0, fs, rs), 0x0201040306050807ull);
        ck_assert_uint_eq(run_op1(IR_REV16, 32, 0x11223344, 0, fs, rs), 0x22114433u);
        ck_assert_uint_eq(run_op1(IR_NEG, 32, 1, 0, fs, rs), 0xffffffffu);
        ck_assert_uint_eq(run_op1(IR_NOT, 64, 0, 0, fs, rs), ~0ull);
        ck_assert_uint_eq(run_op1(IR_SEXT, 64, 0x80, 8, fs, rs), 0xffffffffffffff80ull);
        ck_assert_uint_eq(run_op1(IR_SEXT, 32, 0x8000, 16, fs, rs), 0xffff8000u);
        ck_assert_uint_eq(run_op1(IR_SEXT, 64, 0x80000000u, 32, fs, rs), 0xffffffff80000000ull);
        ck_assert_uint_eq(run_op1(IR_ZEXT, 64, 0x1234567890ull, 32, fs, rs), 0x34567890u);
        ck_assert_uint_eq(run_op1(IR_ZEXT, 64, 0x1ff, 8, fs, rs), 0xff);
        ck_assert_uint_eq(run_op1(IR_MOV, 32, 0xffffffff12345678ull, 0, fs, rs), 0x12345678u);
        for (size_t i = 0; i < N_EDGE; i++) {
            uint64_t v = edge_values[i];
            ck_assert_uint_eq(run_op1(IR_RBIT, 64, v, 0, fs, rs), ref_rbit(v, 64));
            ck_assert_uint_eq(run_op1(IR_RBIT, 32, v, 0, fs, rs), ref_rbit(v & 0xffffffff, 32));
        }
    }
}
END_TEST

/* ---- tests: flags ------------------------------------------------------------------- */

typedef enum { F_ADDS, F_SUBS, F_ADCS, F_SBCS } FlagOp;

/* dst = op(a, b) with carry-in c for ADCS/SBCS; then SETCC of every
 * condition (into X10..X23) and a BRCOND on `branch`. */
static void run_flag_op(FlagOp fop, int bits, uint64_t a, uint64_t b, int carry_in, IRCond branch,
                        int fs, int rs, CPUState *env)
{
    Block blk;
    const int *r = reg_sets[rs];
    block_begin(&blk);
    IRTemp x = ir_get_reg(&blk.b, r[0]);
    IRTemp y = ir_get_reg(&blk.b, r[1]);
    IRTemp d;
    switch (fop) {
    case F_ADDS: d = ir_adds(&blk.b, bits, x, y); break;
    case F_SUBS: d = ir_subs(&blk.b, bits, x, y); break;
    case F_ADCS: d = ir_adc(&blk.b, bits, x, y, true); break;
    default:     d = ir_sbc(&blk.b, bits, x, y, true); break;
    }
    ir_set_reg(&blk.b, r[2], d);
    for (int c = 0; c < 14; c++) {
        ir_set_reg(&blk.b, 10 + c, ir_setcc(&blk.b, (IRCond)c));
    }
    ir_brcond(&blk.b, branch, 0x2000, 0x3000);
    block_lower(&blk, feature_sets[fs]);
    env_init(env);
    env->x[r[0]] = a;
    env->x[r[1]] = b;
    cpu_set_nzcv(env, carry_in ? NZCV_C : 0);
    run(&blk, env);
    ir_builder_free(&blk.b);
}

static void check_flag_op(FlagOp fop, int bits, uint64_t a, uint64_t b, int carry_in)
{
    uint64_t want;
    int c = fop == F_ADDS ? 0 : fop == F_SUBS ? 1 : carry_in;
    uint64_t y = (fop == F_SUBS || fop == F_SBCS) ? ~b : b;
    uint32_t nzcv = ref_add_with_carry(bits, a, y, c, &want);
    FOR_ALL_SETUPS {
        for (int br = 0; br < 14; br++) {
            CPUState env;
            run_flag_op(fop, bits, a, b, carry_in, (IRCond)br, fs, rs, &env);
            ck_assert_msg(env.x[reg_sets[rs][2]] == want, "op%d/%d %#lx,%#lx,c%d: result %#lx want %#lx",
                          fop, bits, a, b, carry_in, env.x[reg_sets[rs][2]], want);
            ck_assert_msg(cpu_get_nzcv(&env) == nzcv, "op%d/%d %#lx,%#lx,c%d: nzcv %#x want %#x",
                          fop, bits, a, b, carry_in, cpu_get_nzcv(&env), nzcv);
            for (int cc = 0; cc < 14; cc++) {
                ck_assert_msg(env.x[10 + cc] == ref_cond(nzcv, (IRCond)cc),
                              "op%d/%d %#lx,%#lx: setcc %s", fop, bits, a, b, ir_cond_name((IRCond)cc));
            }
            ck_assert_uint_eq(env.pc, ref_cond(nzcv, (IRCond)br) ? 0x2000 : 0x3000);
        }
    }
}

START_TEST(flags_worked_examples)
{
    CPUState env;
    /* SUBS 3 - 5: negative, borrow (C=0), no overflow */
    run_flag_op(F_SUBS, 64, 3, 5, 0, COND_CC, 0, 0, &env);
    ck_assert_uint_eq(cpu_get_nzcv(&env), NZCV_N);
    ck_assert_uint_eq(env.pc, 0x2000);
    /* ADDS 0xffffffff + 1 in 32 bits: zero with carry */
    run_flag_op(F_ADDS, 32, 0xffffffff, 1, 0, COND_HI, 0, 1, &env);
    ck_assert_uint_eq(cpu_get_nzcv(&env), NZCV_Z | NZCV_C);
    ck_assert_uint_eq(env.x[7], 0);
    ck_assert_uint_eq(env.pc, 0x3000);
    /* SUBS 5 - 3: C=1 (no borrow), HI taken */
    run_flag_op(F_SUBS, 32, 5, 3, 0, COND_HI, 1, 0, &env);
    ck_assert_uint_eq(cpu_get_nzcv(&env), NZCV_C);
    ck_assert_uint_eq(env.pc, 0x2000);
    /* ADDS INT64_MAX + 1 overflows */
    run_flag_op(F_ADDS, 64, INT64_MAX, 1, 0, COND_VS, 0, 0, &env);
    ck_assert_uint_eq(cpu_get_nzcv(&env), NZCV_N | NZCV_V);
    ck_assert_uint_eq(env.pc, 0x2000);
}
END_TEST

START_TEST(flags_all_conditions)
{
    static const uint64_t vals[] = { 0, 1, 5, 0x7fffffff, 0x80000000, 0xffffffff,
                                     0x8000000000000000ull, 0xffffffffffffffffull };
    for (size_t i = 0; i < 8; i++) {
        for (size_t j = 0; j < 8; j += 1) {
            for (int bits = 32; bits <= 64; bits += 32) {
                check_flag_op(F_ADDS, bits, vals[i], vals[j], 0);
                check_flag_op(F_SUBS, bits, vals[i], vals[j], 0);
                if ((i + j) % 3 == 0) {
                    check_flag_op(F_ADCS, bits, vals[i], vals[j], (int)(i & 1));
                    check_flag_op(F_SBCS, bits, vals[i], vals[j], (int)(j & 1));
                }
            }
        }
    }
}
END_TEST

/* Flags survive flag-clobbering ops between producer and consumer. */
START_TEST(flags_survive_clobbers)
{
    FOR_ALL_SETUPS {
        Block blk;
        CPUState env;
        const int *r = reg_sets[rs];
        block_begin(&blk);
        IRTemp x = ir_get_reg(&blk.b, r[0]);
        IRTemp y = ir_get_reg(&blk.b, r[1]);
        ir_subs(&blk.b, 64, x, y);                  /* cmp x, y */
        IRTemp t = ir_op2(&blk.b, IR_MUL, 64, x, y);        /* clobbers EFLAGS */
        t = ir_op2(&blk.b, IR_SHL, 64, t, y);               /* flagless with BMI2 */
        t = ir_op2(&blk.b, IR_UDIV, 64, t, x);
        ir_set_reg(&blk.b, r[2], t);
        ir_set_reg(&blk.b, 20, ir_csel(&blk.b, 64, COND_HI, x, y));
        ir_set_reg(&blk.b, 21, ir_adc(&blk.b, 64, x, y, false));
        ir_set_reg(&blk.b, 22, ir_sbc(&blk.b, 32, x, y, false));
        ir_brcond(&blk.b, COND_LS, 0x2000, 0x3000);
        block_lower(&blk, feature_sets[fs]);
        env_init(&env);
        env.x[r[0]] = 10;
        env.x[r[1]] = 3;
        run(&blk, &env);
        /* 10 - 3: C=1, Z=0 -> HI holds, LS does not */
        ck_assert_uint_eq(cpu_get_nzcv(&env), NZCV_C);
        ck_assert_uint_eq(env.x[r[2]], (30ull << 3) / 10);
        ck_assert_uint_eq(env.x[20], 10);
        ck_assert_uint_eq(env.x[21], 14);
        ck_assert_uint_eq(env.x[22], 7);
        ck_assert_uint_eq(env.pc, 0x3000);
        ir_builder_free(&blk.b);
    }
}
END_TEST

START_TEST(flags_get_set_ccmp)
{
    FOR_ALL_SETUPS {
        for (uint32_t nz = 0; nz < 16; nz++) {
            Block blk;
            CPUState env;
            const int *r = reg_sets[rs];
            block_begin(&blk);
            /* MSR NZCV from a register, MRS it back, CCMP on it */
            ir_flags_from(&blk.b, ir_get_reg(&blk.b, r[0]));
            ir_set_reg(&blk.b, r[2], ir_flags_get(&blk.b));
            ir_ccmp(&blk.b, 64, COND_EQ, ir_get_reg(&blk.b, r[1]), ir_const(&blk.b, 7),
                    0x90000000u /* N, V */, false);
            ir_set_reg(&blk.b, 20, ir_setcc(&blk.b, COND_CS));
            ir_ccmp(&blk.b, 32, COND_NE, ir_get_reg(&blk.b, r[1]), ir_get_reg(&blk.b, r[1]),
                    0x20000000u /* C */, true);
            ir_exit(&blk.b, EXIT_SVC, 0x1004, 0);
            block_lower(&blk, feature_sets[fs]);
            env_init(&env);
            env.x[r[0]] = (uint64_t)nz << 28 | 0x0123456;
            env.x[r[1]] = 7;
            run(&blk, &env);
            ck_assert_uint_eq(env.x[r[2]], (uint64_t)nz << 28);
            bool eq = nz & 4;
            /* CCMP: EQ ? flags(7 - 7) = Z C : N V */
            uint32_t after1 = eq ? (NZCV_Z | NZCV_C) : (NZCV_N | NZCV_V);
            ck_assert_uint_eq(env.x[20], (after1 & NZCV_C) != 0);
            /* CCMN: NE ? flags(7 + 7) = 0 : C */
            uint32_t after2 = (after1 & NZCV_Z) ? NZCV_C : 0;
            ck_assert_uint_eq(cpu_get_nzcv(&env), after2);
            ir_builder_free(&blk.b);
        }
    }
}
END_TEST

/* ---- tests: memory, calls, registers ------------------------------------------------- */

START_TEST(memory_ops)
{
    FOR_ALL_SETUPS {
        static uint64_t mem[4];
        mem[0] = 0x8182838485868788ull;
        mem[1] = 0;
        mem[2] = 5;
        Block blk;
        CPUState env;
        const int *r = reg_sets[rs];
        block_begin(&blk);
        IRTemp base = ir_get_reg(&blk.b, r[0]);
        ir_set_reg(&blk.b, 10, ir_load(&blk.b, 64, MO_8 | MO_SIGN, base));
        ir_set_reg(&blk.b, 11, ir_load(&blk.b, 32, MO_16 | MO_SIGN, base));
        ir_set_reg(&blk.b, 12, ir_load(&blk.b, 64, MO_32 | MO_SIGN, base));
        ir_set_reg(&blk.b, 13, ir_load(&blk.b, 64, MO_32, ir_addi(&blk.b, 64, base, 4)));
        ir_store(&blk.b, MO_16, ir_addi(&blk.b, 64, base, 8), ir_get_reg(&blk.b, r[1]));
        ir_store(&blk.b, MO_64 | MO_REL, ir_addi(&blk.b, 64, base, 24), ir_const(&blk.b, 99));
        IRTemp old = ir_cmpxchg(&blk.b, MO_64, ir_addi(&blk.b, 64, base, 16), ir_const(&blk.b, 5),
                                ir_const(&blk.b, 6));
        ir_set_reg(&blk.b, 14, old);
        ir_set_reg(&blk.b, 15, ir_xchg(&blk.b, MO_8, ir_addi(&blk.b, 64, base, 9),
                                       ir_get_reg(&blk.b, r[1])));
        ir_fence(&blk.b);
        ir_exit(&blk.b, EXIT_SVC, 0x1004, 0);
        block_lower(&blk, feature_sets[fs]);
        env_init(&env);
        env.x[r[0]] = (uint64_t)(uintptr_t)mem;
        env.x[r[1]] = 0xabcd;
        run(&blk, &env);
        ck_assert_uint_eq(env.x[10], 0xffffffffffffff88ull);
        ck_assert_uint_eq(env.x[11], 0xffff8788u);
        ck_assert_uint_eq(env.x[12], 0xffffffff85868788ull);
        ck_assert_uint_eq(env.x[13], 0x81828384u);
        ck_assert_uint_eq(env.x[14], 5);
        ck_assert_uint_eq(env.x[15], 0xab);          /* byte 9 after the 16-bit store */
        ck_assert_uint_eq(mem[1], 0xcdcd);           /* xchg wrote 0xcd to byte 9 */
        ck_assert_uint_eq(mem[2], 6);
        ck_assert_uint_eq(mem[3], 99);
        ir_builder_free(&blk.b);
    }
}
END_TEST

static uint64_t test_helper(void *env, uint64_t a, uint64_t b, uint64_t c)
{
    uintptr_t frame = (uintptr_t)__builtin_frame_address(0);
    ck_assert_uint_eq(frame % 16, 0);           /* rsp was 16-aligned at the call */
    ck_assert_ptr_eq(env, ((CPUState *)env)->opaque);
    return a * 100 + b * 10 + c;
}

static uint64_t flags_helper(void *env, uint64_t a, uint64_t b, uint64_t c)
{
    CPUState *s = env;
    uint32_t nzcv = cpu_get_nzcv(s);
    cpu_set_nzcv(s, NZCV_Z);
    return nzcv;
}

START_TEST(helper_calls)
{
    FOR_ALL_SETUPS {
        Block blk;
        CPUState env;
        const int *r = reg_sets[rs];
        block_begin(&blk);
        IRTemp x = ir_get_reg(&blk.b, r[0]);
        IRTemp y = ir_get_reg(&blk.b, r[1]);
        IRTemp live[6];
        for (int i = 0; i < 6; i++) {
            live[i] = ir_op2(&blk.b, IR_MUL, 64, x, ir_const(&blk.b, (uint64_t)i + 2));
        }
        ir_subs(&blk.b, 64, x, y);
        /* arguments in rotated order to force a register cycle */
        IRTemp res = ir_call(&blk.b, test_helper, live[1], live[0], y);
        ir_set_reg(&blk.b, r[2], res);
        IRTemp sum = live[0];
        for (int i = 1; i < 6; i++) {
            sum = ir_add(&blk.b, 64, sum, live[i]);
        }
        ir_set_reg(&blk.b, 20, sum);
        ir_set_reg(&blk.b, 21, ir_setcc(&blk.b, COND_LT));
        ir_set_reg(&blk.b, 22, ir_call_flags(&blk.b, flags_helper, IR_NONE, IR_NONE, IR_NONE));
        ir_brcond(&blk.b, COND_EQ, 0x2000, 0x3000);
        block_lower(&blk, feature_sets[fs]);
        env_init(&env);
        env.opaque = &env;
        env.x[r[0]] = 1;
        env.x[r[1]] = 4;
        run(&blk, &env);
        ck_assert_uint_eq(env.x[r[2]], 3 * 100 + 2 * 10 + 4);
        ck_assert_uint_eq(env.x[20], 2 + 3 + 4 + 5 + 6 + 7);
        ck_assert_uint_eq(env.x[21], 1);                     /* 1 < 4 */
        ck_assert_uint_eq(env.x[22], NZCV_N);                /* helper saw 1 - 4 */
        ck_assert_uint_eq(env.pc, 0x2000);                   /* helper set Z */
        ir_builder_free(&blk.b);
    }
}
END_TEST

/* More live values than registers: spills. */
START_TEST(register_pressure)
{
    FOR_ALL_SETUPS {
        Block blk;
        CPUState env;
        block_begin(&blk);
        IRTemp v[20];
        for (int i = 0; i < 20; i++) {
            v[i] = ir_op2(&blk.b, IR_XOR, 64, ir_get_reg(&blk.b, i % 8),
                          ir_get_reg(&blk.b, 8 + i % 5));
            v[i] = ir_op2(&blk.b, IR_ROR, 64, v[i], ir_const(&blk.b, (uint64_t)i));
        }
        IRTemp acc = v[19];
        for (int i = 18; i >= 0; i--) {
            acc = ir_op2(&blk.b, i & 1 ? IR_ADD : IR_SUB, 64, acc, v[i]);
        }
        ir_set_reg(&blk.b, 0, acc);
        IRTemp sh = ir_op2(&blk.b, IR_SHR, 64, acc, ir_get_reg(&blk.b, 3));
        ir_goto_ptr(&blk.b, sh, IR_JUMP_RET);
        block_lower(&blk, feature_sets[fs]);
        env_init(&env);
        env.x[3] = 68;                   /* shift amounts are modulo 64 */
        uint64_t in[32];
        memcpy(in, env.x, sizeof(in));
        uint64_t want_v[20];
        for (int i = 0; i < 20; i++) {
            uint64_t t = in[i % 8] ^ in[8 + i % 5];
            want_v[i] = i ? (t >> i) | (t << (64 - i)) : t;
        }
        uint64_t want = want_v[19];
        for (int i = 18; i >= 0; i--) {
            want = i & 1 ? want + want_v[i] : want - want_v[i];
        }
        ck_assert_uint_eq(run(&blk, &env), 200 + IR_JUMP_RET);
        ck_assert_uint_eq(env.x[0], want);
        ck_assert_uint_eq(env.pc, want >> 4);
        ir_builder_free(&blk.b);
    }
}
END_TEST

START_TEST(brcmp_and_insn_offsets)
{
    for (int rs = 0; rs < 2; rs++) {
        for (uint64_t v = 0; v < 2; v++) {
            Block blk;
            CPUState env;
            block_begin(&blk);
            ir_set_reg(&blk.b, 9, ir_addi(&blk.b, 64, ir_get_reg(&blk.b, 9), 1));
            ir_insn_start(&blk.b, 0x1004);
            ir_brcmp(&blk.b, 32, IR_CMP_NEZ, ir_get_reg(&blk.b, reg_sets[rs][0]), 0x2000, 0x3000);
            block_lower(&blk, feature_sets[0]);
            env_init(&env);
            env.x[reg_sets[rs][0]] = v << 32 | v;
            run(&blk, &env);
            ck_assert_uint_eq(env.pc, v ? 0x2000 : 0x3000);
            ck_assert_uint_eq(blk.tb.n_insns, 2);
            ck_assert_uint_eq(blk.tb.insn_host_off[0], 0);
            ck_assert_uint_gt(blk.tb.insn_host_off[1], 0);
            ir_builder_free(&blk.b);
        }
    }
}
END_TEST

/* ---- random blocks against an IR interpreter ------------------------------------------ */

static uint64_t ref_clz(uint64_t x, int bits)
{
    int n = 0;
    for (int i = bits - 1; i >= 0 && !(x >> i & 1); i--) {
        n++;
    }
    return (uint64_t)n;
}

static uint64_t ref_op1(const IRInsn *in, uint64_t a)
{
    int bits = in->bits;
    uint64_t m = wmask(bits);
    a &= m;
    switch (in->op) {
    case IR_MOV:  return a;
    case IR_NEG:  return -a & m;
    case IR_NOT:  return ~a & m;
    case IR_CLZ:  return ref_clz(a, bits);
    case IR_CLS: {                  /* sign bits after the top one */
        uint64_t top = a >> (bits - 1) & 1;
        int n = 0;
        for (int i = bits - 2; i >= 0 && (a >> i & 1) == top; i--) {
            n++;
        }
        return (uint64_t)n;
    }
    case IR_RBIT: return ref_rbit(a, bits);
    case IR_BSWAP: {
        uint64_t r = 0;
        for (int i = 0; i < bits / 8; i++) {
            r |= (a >> (8 * i) & 0xff) << (bits - 8 - 8 * i);
        }
        return r;
    }
    case IR_REV16: {
        uint64_t r = 0;
        for (int i = 0; i < bits / 8; i += 2) {
            r |= (a >> (8 * i) & 0xff) << (8 * i + 8) | (a >> (8 * i + 8) & 0xff) << (8 * i);
        }
        return r;
    }
    case IR_SEXT: {
        int from = (int)in->imm;
        uint64_t v = a & (from == 64 ? ~0ull : (1ull << from) - 1);
        if (from < 64 && (v >> (from - 1) & 1)) {
            v |= ~0ull << from;
        }
        return v & m;
    }
    case IR_ZEXT: return a & (in->imm >= 64 ? ~0ull : (1ull << in->imm) - 1);
    default: ck_abort(); return 0;
    }
}

static uint32_t ref_nz(int bits, uint64_t v)
{
    v &= wmask(bits);
    return (v >> (bits - 1) ? NZCV_N : 0) | (v == 0 ? NZCV_Z : 0);
}

static uint64_t random_helper(void *env, uint64_t a, uint64_t b, uint64_t c)
{
    return a * 3 + (b ^ (c >> 1));
}

/* A reference interpreter of the IR subset the random blocks use, built on
 * the Arm reference functions above. */
static void interpret(const IRBlock *blk, uint64_t *x, uint32_t *nzcv, uint64_t base, uint64_t *mem)
{
    uint64_t *val = calloc(blk->n_temps + 1, sizeof(uint64_t));
    for (uint32_t t = 0; t < blk->n_temps; t++) {
        if (blk->temps[t].is_const) {
            val[t] = blk->temps[t].val;
        }
    }
    for (uint32_t i = 0; i < blk->n_insns; i++) {
        const IRInsn *in = &blk->insns[i];
        uint64_t a = in->src[0] != IR_NONE ? val[in->src[0]] : 0;
        uint64_t b = in->src[1] != IR_NONE ? val[in->src[1]] : 0;
        uint64_t r = 0;
        switch (in->op) {
        case IR_INSN_START: case IR_EXIT: continue;
        case IR_GET_REG: r = x[in->imm]; break;
        case IR_SET_REG: x[in->imm] = a; continue;
        case IR_ADDS: *nzcv = ref_add_with_carry(in->bits, a, b, 0, &r); break;
        case IR_SUBS: *nzcv = ref_add_with_carry(in->bits, a, ~b, 1, &r); break;
        case IR_ADC: ref_add_with_carry(in->bits, a, b, (*nzcv & NZCV_C) != 0, &r); break;
        case IR_SBC: ref_add_with_carry(in->bits, a, ~b, (*nzcv & NZCV_C) != 0, &r); break;
        case IR_ADCS: *nzcv = ref_add_with_carry(in->bits, a, b, (*nzcv & NZCV_C) != 0, &r); break;
        case IR_SBCS: *nzcv = ref_add_with_carry(in->bits, a, ~b, (*nzcv & NZCV_C) != 0, &r); break;
        case IR_SETCC: r = ref_cond(*nzcv, (IRCond)in->cond); break;
        case IR_CSEL: r = (ref_cond(*nzcv, (IRCond)in->cond) ? a : b) & wmask(in->bits); break;
        case IR_LOAD: r = mem[(a - base) / 8]; break;
        case IR_STORE: mem[(a - base) / 8] = b; continue;
        case IR_MOV: case IR_NEG: case IR_NOT: case IR_CLZ: case IR_CLS: case IR_RBIT:
        case IR_BSWAP: case IR_REV16: case IR_SEXT: case IR_ZEXT:
            r = ref_op1(in, a);
            break;
        case IR_FLAGS_NZ: *nzcv = ref_nz(in->bits, a); continue;
        case IR_FLAGS_GET: r = *nzcv; break;
        case IR_FLAGS_FROM: *nzcv = (uint32_t)a & 0xf0000000u; continue;
        case IR_FLAGS_SET: *nzcv = (uint32_t)in->imm; continue;
        case IR_CCMP: case IR_CCMN:
            if (ref_cond(*nzcv, (IRCond)in->cond)) {
                uint64_t ignored;
                *nzcv = in->op == IR_CCMP ? ref_add_with_carry(in->bits, a, ~b, 1, &ignored)
                                          : ref_add_with_carry(in->bits, a, b, 0, &ignored);
            } else {
                *nzcv = (uint32_t)in->imm;
            }
            continue;
        case IR_CALL: case IR_CALL_FLAGS:
            r = random_helper(NULL, a, b, in->src[2] != IR_NONE ? val[in->src[2]] : 0);
            break;
        default: r = ref_op2((IROp)in->op, in->bits, a, b); break;
        }
        if (in->dst != IR_NONE) {
            val[in->dst] = r;
        }
    }
    free(val);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Random straight-line blocks: guest register reads and writes (pinned
 * and not), arithmetic with register and constant operands, flag setters
 * and readers, loads and stores, enough live values to spill. */
START_TEST(random_blocks_match_interpreter)
{
    static const IROp ops[] = { IR_ADD, IR_SUB, IR_AND, IR_OR, IR_XOR, IR_ANDN, IR_ORN,
                                IR_MUL, IR_SHL, IR_SHR, IR_SAR, IR_ROR, IR_UDIV, IR_SDIV,
                                IR_MULUH, IR_MULSH, IR_XORN };
    static uint64_t mem[16], ref_mem[16];
    const char *iters_env = getenv("FERRY_TEST_LOWER_ITERS");
    int iters = iters_env ? atoi(iters_env) : 400;
    for (int iter = 0; iter < iters; iter++) {
        Block blk;
        CPUState env;
        int fs = iter & 1;
        block_begin(&blk);
        IRTemp pool[64];
        int n = 0;
        pool[n++] = ir_get_reg(&blk.b, 31);
        int len = 20 + (int)(rnd() % 60);
        for (int k = 0; k < len; k++) {
            int kind = (int)(rnd() % 16);
            IRTemp a = pool[rnd() % (uint64_t)n], c = pool[rnd() % (uint64_t)n];
            int bits = rnd() & 1 ? 64 : 32;
            IRTemp r = IR_NONE;
            if (rnd() % 4 == 0) {
                c = ir_const(&blk.b, rnd() % 3 == 0 ? rnd() : rnd() % 100);
            }
            switch (kind) {
            case 0: case 1: r = ir_get_reg(&blk.b, (int)(rnd() % 12)); break;
            case 2: ir_set_reg(&blk.b, (int)(rnd() % 12), a); break;
            case 3: r = ir_subs(&blk.b, bits, a, c); break;
            case 4: r = ir_adds(&blk.b, bits, a, c); break;
            case 5: r = rnd() & 1 ? ir_setcc(&blk.b, (IRCond)(rnd() % 14))
                                  : ir_csel(&blk.b, bits, (IRCond)(rnd() % 14), a, c); break;
            case 6: r = ir_adc(&blk.b, bits, a, c, rnd() & 1); break;
            case 7: r = ir_sbc(&blk.b, bits, a, c, rnd() & 1); break;
            case 8: {
                IRTemp addr = ir_addi(&blk.b, 64, ir_get_reg(&blk.b, 31), 8 * (rnd() % 16));
                if (rnd() & 1) {            /* base + (a & 15) << 3 */
                    IRTemp i = ir_op2(&blk.b, IR_AND, 64, a, ir_const(&blk.b, 15));
                    addr = ir_add(&blk.b, 64, ir_get_reg(&blk.b, 31), ir_shli(&blk.b, 64, i, 3));
                }
                if (rnd() & 1) {
                    r = ir_load(&blk.b, 64, MO_64, addr);
                } else {
                    ir_store(&blk.b, MO_64, addr, a);
                }
                break;
            }
            case 12: {
                static const IROp un[] = { IR_NEG, IR_NOT, IR_CLZ, IR_CLS, IR_RBIT, IR_BSWAP,
                                           IR_REV16, IR_MOV };
                int which = (int)(rnd() % 10);
                r = which < 8 ? ir_op1(&blk.b, un[which], bits, a)
                  : which == 8 ? ir_sext(&blk.b, bits, a, 8 << (rnd() % (bits == 64 ? 3 : 2)))
                               : ir_zext(&blk.b, bits, a, 8 << (rnd() % (bits == 64 ? 3 : 2)));
                break;
            }
            case 13:
                switch (rnd() % 5) {
                case 0: ir_flags_nz(&blk.b, bits, a); break;
                case 1: r = ir_flags_get(&blk.b); break;
                case 2: ir_flags_from(&blk.b, a); break;
                default:
                    ir_ccmp(&blk.b, bits, (IRCond)(rnd() % 14), a, c, (uint32_t)rnd() & 0xf0000000u,
                            rnd() & 1);
                    break;
                }
                break;
            case 14:
                r = rnd() & 1 ? ir_call(&blk.b, random_helper, a, c, pool[rnd() % (uint64_t)n])
                              : ir_call_flags(&blk.b, random_helper, a, IR_NONE, c);
                break;
            default: {
                IROp op = ops[rnd() % (sizeof(ops) / sizeof(ops[0]))];
                r = ir_op2(&blk.b, op, op == IR_MULUH || op == IR_MULSH ? 64 : bits, a, c);
                break;
            }
            }
            if (r != IR_NONE && n < 64) {
                pool[n++] = r;
            } else if (r != IR_NONE) {
                pool[rnd() % 64] = r;
            }
        }
        for (int g = 0; g < 4; g++) {
            ir_set_reg(&blk.b, 12 + g, pool[rnd() % (uint64_t)n]);
        }
        ir_exit(&blk.b, EXIT_SVC, 0x1004, 0);
        block_lower(&blk, feature_sets[fs]);

        env_init(&env);
        for (int g = 0; g < 31; g++) {
            env.x[g] = rnd() % 5 == 0 ? rnd() % 64 : rnd();
        }
        env.x[31] = (uint64_t)(uintptr_t)mem;
        cpu_set_nzcv(&env, (uint32_t)(rnd() & 0xf) << 28);
        for (int i = 0; i < 16; i++) {
            mem[i] = ref_mem[i] = rnd();
        }
        uint64_t ref_x[32];
        memcpy(ref_x, env.x, sizeof(ref_x));
        uint32_t ref_nzcv = cpu_get_nzcv(&env);
        interpret(&blk.b.blk, ref_x, &ref_nzcv, (uint64_t)(uintptr_t)mem, ref_mem);
        run(&blk, &env);
        for (int g = 0; g < 32; g++) {
            if (env.x[g] != ref_x[g]) {
                ir_dump(&blk.b.blk, stderr);
                test_count_host_insns(blk.code, h.cb.ptr, stderr);
                ck_abort_msg("iter %d: x%d = %#lx, want %#lx", iter, g, env.x[g], ref_x[g]);
            }
        }
        if (cpu_get_nzcv(&env) != ref_nzcv) {
            ir_dump(&blk.b.blk, stderr);
            test_count_host_insns(blk.code, h.cb.ptr, stderr);
        }
        ck_assert_msg(cpu_get_nzcv(&env) == ref_nzcv, "iter %d: nzcv %#x want %#x", iter,
                      cpu_get_nzcv(&env), ref_nzcv);
        ck_assert_msg(memcmp(mem, ref_mem, sizeof(mem)) == 0, "iter %d: memory differs", iter);
        ir_builder_free(&blk.b);
    }
}
END_TEST

/* ---- golden code: host instructions per guest instruction ---------------------------- */

static int body_insns(Block *blk)
{
    return test_count_host_insns(blk->code, h.body_end, stderr);
}

START_TEST(golden_code)
{
    Block blk;
    /* ADD X0, X1, #16 (both pinned): lea rbp, [r12+16] */
    block_begin(&blk);
    ir_set_reg(&blk.b, 0, ir_addi(&blk.b, 64, ir_get_reg(&blk.b, 1), 16));
    ir_goto_tb(&blk.b, 0x1004);
    block_lower(&blk, feature_sets[0]);
    ck_assert_int_eq(body_insns(&blk), 1);
    ir_builder_free(&blk.b);

    /* ADD X5, X6, #16 (in env): load, add, store */
    block_begin(&blk);
    ir_set_reg(&blk.b, 5, ir_addi(&blk.b, 64, ir_get_reg(&blk.b, 6), 16));
    ir_goto_tb(&blk.b, 0x1004);
    block_lower(&blk, feature_sets[0]);
    ck_assert_int_eq(body_insns(&blk), 3);
    ir_builder_free(&blk.b);

    /* SUBS XZR, X0, X1; B.NE: cmp; cmc; lahf; seto; mov [flags], ax; jne */
    block_begin(&blk);
    ir_subs(&blk.b, 64, ir_get_reg(&blk.b, 0), ir_get_reg(&blk.b, 1));
    ir_brcond(&blk.b, COND_NE, 0x2000, 0x1004);
    block_lower(&blk, feature_sets[0]);
    ck_assert_int_eq(body_insns(&blk), 6);
    ir_builder_free(&blk.b);

    /* LDR X0, [X1, #8]: mov rbp, [r12+8] */
    block_begin(&blk);
    ir_set_reg(&blk.b, 0, ir_load(&blk.b, 64, MO_64, ir_addi(&blk.b, 64, ir_get_reg(&blk.b, 1), 8)));
    ir_goto_tb(&blk.b, 0x1004);
    block_lower(&blk, feature_sets[0]);
    ck_assert_int_eq(body_insns(&blk), 1);
    ir_builder_free(&blk.b);

    /* LDR X0, [X1, X2, LSL #3]: mov rbp, [r12+r13*8] */
    block_begin(&blk);
    ir_set_reg(&blk.b, 0, ir_load(&blk.b, 64, MO_64,
                                  ir_add(&blk.b, 64, ir_get_reg(&blk.b, 1),
                                         ir_shli(&blk.b, 64, ir_get_reg(&blk.b, 2), 3))));
    ir_goto_tb(&blk.b, 0x1004);
    block_lower(&blk, feature_sets[0]);
    ck_assert_int_eq(body_insns(&blk), 1);
    ir_builder_free(&blk.b);

    /* STR W2, [X1, #8]: mov [r12+8], r13d */
    block_begin(&blk);
    ir_store(&blk.b, MO_32, ir_addi(&blk.b, 64, ir_get_reg(&blk.b, 1), 8), ir_get_reg(&blk.b, 2));
    ir_goto_tb(&blk.b, 0x1004);
    block_lower(&blk, feature_sets[0]);
    ck_assert_int_eq(body_insns(&blk), 1);
    ir_builder_free(&blk.b);
}
END_TEST

static Suite *lower_suite(void)
{
    Suite *s = suite_create("lower");
    TCase *tc = tcase_create("lower");
    tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, binary_ops_match_arm_semantics);
    tcase_add_test(tc, division_corner_cases);
    tcase_add_test(tc, unary_ops_match_arm_semantics);
    tcase_add_test(tc, flags_worked_examples);
    tcase_add_test(tc, flags_all_conditions);
    tcase_add_test(tc, flags_survive_clobbers);
    tcase_add_test(tc, flags_get_set_ccmp);
    tcase_add_test(tc, memory_ops);
    tcase_add_test(tc, helper_calls);
    tcase_add_test(tc, register_pressure);
    tcase_add_test(tc, brcmp_and_insn_offsets);
    tcase_add_test(tc, random_blocks_match_interpreter);
    tcase_add_test(tc, golden_code);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    feature_sets[0] = x86_host_features();
    feature_sets[1] = &no_features;
    SRunner *sr = srunner_create(lower_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
