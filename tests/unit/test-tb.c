/*
 * Unit tests of the translation cache: the W^X code buffer, lookup by guest
 * PC, chaining (a patched jmp rel32 lands on the target and goes back to its
 * stub on invalidation), the inline indirect-branch table, the entry
 * interrupt check, the prologue/epilogue's pinned registers, host PC ->
 * guest PC mapping and flush.
 *
 * The blocks are made by hand with the encoder (no translator involved), so
 * the only code under test is the cache's.  Expected values come from the
 * x86-64 encoding rules (E9 = jmp rel32, target = end of the displacement +
 * rel32) and from /proc/self/maps' documented permission column.
 */
#include <check.h>
#include <glib.h>

#include "check-run.h"
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host/x86_64/backend.h"
#include "linux-user/guest-mem.h"
#include "tcg/exec.h"
#include "tcg/tb-internal.h"


#define TEST_CACHE_SIZE (8u << 20)

static TBCache *cache(void)
{
    TBCache *c = tb_cache();
    if (!c->pool) {
        ck_assert(tb_cache_init(TEST_CACHE_SIZE));
    }
    tb_flush_all();
    return c;
}

/* Start a hand-made block for guest [pc, pc + 4*n_insns). */
static TranslationBlock *block_begin(TBCache *c, uint64_t pc, int n_insns)
{
    TranslationBlock *tb = tb_alloc();
    ck_assert_ptr_nonnull(tb);
    tb->pc = pc;
    tb->guest_end = pc + 4ull * (unsigned)n_insns;
    tb->n_insns = (uint16_t)n_insns;
    tb->insn_host_off = g_new0(uint16_t, n_insns > 0 ? n_insns : 1);   /* freed with the test process */
    tb->code = cb_exec_addr(&c->cb, c->cb.ptr);
    return tb;
}

static void block_end(TBCache *c, TranslationBlock *tb)
{
    tb_stubs_finish_block(&c->cb, tb);
    ck_assert(!c->cb.overflow);
    tb->code_size = (uint32_t)(cb_exec_addr(&c->cb, c->cb.ptr) - tb->code);
    tb_insert(tb);
}

/* A block that exits to C with EXIT_SVC at pc+4, immediate 0x1234. */
static TranslationBlock *make_svc_block(TBCache *c, uint64_t pc)
{
    TranslationBlock *tb = block_begin(c, pc, 1);
    tb_emit_exit(&c->cb, tb, EXIT_SVC, pc + 4, 0x1234);
    block_end(c, tb);
    return tb;
}

/* Where the jmp rel32 whose displacement is at exec address disp_x goes. */
static uintptr_t rel32_target(TBCache *c, const uint8_t *disp_w)
{
    int32_t rel;
    memcpy(&rel, disp_w, 4);
    return cb_exec_addr(&c->cb, disp_w) + 4 + (intptr_t)rel;
}

/* The permission column of the /proc/self/maps line starting at addr. */
static void maps_perms(uintptr_t addr, char perms[5])
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    perms[0] = 0;
    ck_assert_ptr_nonnull(f);
    while (fgets(line, sizeof(line), f)) {
        unsigned long lo, hi;
        char p[5];
        if (sscanf(line, "%lx-%lx %4s", &lo, &hi, p) == 3 && lo <= addr && addr < hi) {
            memcpy(perms, p, 5);
        }
    }
    fclose(f);
}

START_TEST(code_buffer_is_wx)
{
    CodeBuffer buf;
    char perms[5];
    ck_assert(code_buffer_init(&buf, 4u << 20));
    ck_assert_uint_eq(buf.size, 4u << 20);
    ck_assert_ptr_ne(buf.wbase, buf.xbase);
    maps_perms((uintptr_t)buf.wbase, perms);
    ck_assert_str_eq(perms, "rw-s");
    maps_perms((uintptr_t)buf.xbase, perms);
    ck_assert_str_eq(perms, "r-xs");
    /* one memory behind both views */
    buf.wbase[4096] = 0xc3;
    ck_assert_uint_eq(buf.xbase[4096], 0xc3);
    ck_assert_int_eq((intptr_t)(buf.xbase - buf.wbase), code_buffer_exec_delta(&buf));
    code_buffer_destroy(&buf);
}
END_TEST

START_TEST(code_buffer_reaches_ferry_text)
{
    CodeBuffer buf;
    ck_assert(code_buffer_init(&buf, 0));
    ck_assert_uint_eq(buf.size, 256u << 20);
    uintptr_t fn = (uintptr_t)&code_buffer_init;
    ck_assert(x86_rel32_reaches((uintptr_t)buf.xbase, fn));
    ck_assert(x86_rel32_reaches((uintptr_t)buf.xbase + buf.size, fn));
    code_buffer_destroy(&buf);
}
END_TEST

START_TEST(lookup_finds_inserted_blocks)
{
    TBCache *c = cache();
    TranslationBlock *a = make_svc_block(c, 0x400000);
    TranslationBlock *b = make_svc_block(c, 0x400000 + (4u << 20));   /* likely same bucket region */
    ck_assert_ptr_eq(tb_lookup(0x400000), a);
    ck_assert_ptr_eq(tb_lookup(0x400000 + (4u << 20)), b);
    ck_assert_ptr_null(tb_lookup(0x400004));
    tb_invalidate_range(0x400000, 4);
    ck_assert_ptr_null(tb_lookup(0x400000));
    ck_assert(a->invalid);
    ck_assert_ptr_eq(tb_lookup(0x400000 + (4u << 20)), b);
}
END_TEST

START_TEST(exit_stores_pc_info_and_reason)
{
    TBCache *c = cache();
    CPUState env = { 0 };
    TranslationBlock *tb = block_begin(c, 0x7fff00001000ull, 1);
    tb_emit_exit(&c->cb, tb, EXIT_UDEF, 0x7fff00001000ull, 0xdeadbeefu);
    block_end(c, tb);
    ck_assert_uint_eq(c->stubs.enter(&env, tb->code), EXIT_UDEF);
    ck_assert_uint_eq(env.pc, 0x7fff00001000ull);
    ck_assert_uint_eq(env.exit_info, 0xdeadbeefu);
}
END_TEST

START_TEST(pinned_registers_round_trip_through_env)
{
    TBCache *c = cache();
    CPUState env = { 0 };
    TranslationBlock *tb = block_begin(c, 0x1000, 1);
    for (int i = 0; i < BACKEND_N_PINNED; i++) {
        x86_alu(&c->cb, X86_ADD, 8, x86_r(backend_pinned[i].hreg), x86_i(i + 1));
    }
    tb_emit_exit(&c->cb, tb, EXIT_SVC, 0x1004, 0);
    block_end(c, tb);
    for (int i = 0; i < GREG_COUNT; i++) {
        env.x[i] = 100u * (unsigned)i;
    }
    ck_assert_uint_eq(c->stubs.enter(&env, tb->code), EXIT_SVC);
    for (int i = 0; i < BACKEND_N_PINNED; i++) {
        int g = backend_pinned[i].greg;
        ck_assert_uint_eq(env.x[g], 100u * (unsigned)g + (unsigned)i + 1);
    }
    for (int g = 0; g < GREG_COUNT; g++) {
        if (backend_pinned_hreg(g) == X86_NOREG) {
            ck_assert_uint_eq(env.x[g], 100u * (unsigned)g);    /* untouched */
        }
    }
}
END_TEST

START_TEST(chaining_patches_and_invalidation_unpatches)
{
    TBCache *c = cache();
    CPUState env = { 0 };
    TranslationBlock *a = block_begin(c, 0x2000, 1);
    tb_emit_goto_tb(&c->cb, a, 0, 0x3000);
    block_end(c, a);
    TranslationBlock *b = make_svc_block(c, 0x3000);

    TBExit *e = &a->exits[0];
    ck_assert_uint_eq(e->target_pc, 0x3000);
    ck_assert_uint_eq(((uintptr_t)e->jmp_disp) & 3, 0);
    ck_assert_uint_eq(e->jmp_disp[-1], 0xe9);
    ck_assert_uint_eq(rel32_target(c, e->jmp_disp), e->stub);

    /* unchained: back to the dispatcher, which learns "exit 0 of a" */
    uint64_t ret = c->stubs.enter(&env, a->code);
    ck_assert_uint_ge(ret, TB_EXIT_CHAIN);
    ck_assert_ptr_eq(tb_from_index(tb_exit_token_index(ret)), a);
    ck_assert_int_eq(tb_exit_token_slot(ret), 0);

    tb_link(a, 0, b);
    ck_assert_uint_eq(rel32_target(c, e->jmp_disp), b->code);
    ck_assert_ptr_eq(e->linked, b);
    ck_assert_uint_eq(c->stubs.enter(&env, a->code), EXIT_SVC);
    ck_assert_uint_eq(env.pc, 0x3004);

    tb_invalidate_range(0x3000, 0x1000);
    ck_assert_uint_eq(rel32_target(c, e->jmp_disp), e->stub);
    ck_assert_ptr_null(e->linked);
    ck_assert_uint_ge(c->stubs.enter(&env, a->code), TB_EXIT_CHAIN);
}
END_TEST

START_TEST(chaining_a_block_to_itself)
{
    TBCache *c = cache();
    CPUState env = { 0 };
    /* r += 1; exit if r == 5 else goto self, for a pinned guest register r */
    TranslationBlock *a = block_begin(c, 0x5000, 2);
    int greg = backend_pinned[0].greg;
    X86Reg hreg = backend_pinned[0].hreg;
    x86_alu(&c->cb, X86_ADD, 8, x86_r(hreg), x86_i(1));
    x86_alu(&c->cb, X86_CMP, 8, x86_r(hreg), x86_i(5));
    uint8_t *done = x86_jcc8(&c->cb, X86_CC_E);
    tb_emit_goto_tb(&c->cb, a, 0, 0x5000);
    x86_bind_rel8(&c->cb, done);
    tb_emit_exit(&c->cb, a, EXIT_SVC, 0x5008, 0);
    block_end(c, a);
    tb_link(a, 0, a);
    ck_assert_uint_eq(c->stubs.enter(&env, a->code), EXIT_SVC);
    ck_assert_uint_eq(env.x[greg], 5);
}
END_TEST

START_TEST(indirect_branch_probes_the_table)
{
    TBCache *c = cache();
    CPUState env = { .indirect_table = (uintptr_t)c->indirect,
                     .indirect_mask = tb_indirect_pc_mask(tb_indirect_bits_of(c, c->indirect)) };
    TranslationBlock *b = make_svc_block(c, 0x12340);
    TranslationBlock *a = block_begin(c, 0x9000, 1);
    x86_mov(&c->cb, 8, x86_r(X86_RDX), x86_i(0x12340));
    tb_emit_goto_ptr(&c->cb, a, X86_RDX, IR_JUMP_RET);
    block_end(c, a);

    ck_assert_uint_eq(c->stubs.enter(&env, a->code), TB_EXIT_LOOKUP);
    ck_assert_uint_eq(env.pc, 0x12340);

    tb_indirect_fill(b);
    env.pc = 0;
    ck_assert_uint_eq(c->stubs.enter(&env, a->code), EXIT_SVC);
    ck_assert_uint_eq(env.pc, 0x12344);

    /* a block at a PC with the same table index does not match */
    TranslationBlock *alias = make_svc_block(c, 0x12340 + (1u << 18));
    tb_indirect_fill(alias);
    ck_assert_uint_eq(c->stubs.enter(&env, a->code), TB_EXIT_LOOKUP);
    tb_indirect_fill(b);

    tb_invalidate_range(0x12340, 4);
    ck_assert_uint_eq(c->stubs.enter(&env, a->code), TB_EXIT_LOOKUP);
    ck_assert_uint_eq(env.pc, 0x12340);
}
END_TEST

/* The inline table starts small and moves to the large one after
 * 2 * 4096 fills; code still probing the small one (another thread that has
 * not passed the dispatcher since) finds the same blocks, and invalidation
 * empties the entry in both. */
START_TEST(indirect_table_grows_when_filled_twice_over)
{
    TBCache *c = cache();
    ck_assert_uint_eq(tb_indirect_bits_of(c, c->indirect), TB_INDIRECT_BITS_SMALL);
    TranslationBlock *b = make_svc_block(c, 0x12340);
    TranslationBlock *a = block_begin(c, 0x9000, 1);
    x86_mov(&c->cb, 8, x86_r(X86_RDX), x86_i(0x12340));
    tb_emit_goto_ptr(&c->cb, a, X86_RDX, IR_JUMP_RET);
    block_end(c, a);
    tb_indirect_fill(b);
    ck_assert_ptr_eq(c->indirect, c->indirect_small);
    for (uint32_t i = 0; i < (2u << TB_INDIRECT_BITS_SMALL); i++) {
        tb_indirect_fill(b);
    }
    ck_assert_uint_eq(tb_indirect_bits_of(c, c->indirect), TB_INDIRECT_BITS);
    ck_assert_ptr_eq(c->indirect, c->indirect_large);
    CPUState on_small = { .indirect_table = (uintptr_t)c->indirect_small,
                          .indirect_mask = tb_indirect_pc_mask(TB_INDIRECT_BITS_SMALL) };
    CPUState on_large = { .indirect_table = (uintptr_t)c->indirect_large,
                          .indirect_mask = tb_indirect_pc_mask(TB_INDIRECT_BITS) };
    ck_assert_uint_eq(c->stubs.enter(&on_small, a->code), EXIT_SVC);
    ck_assert_uint_eq(c->stubs.enter(&on_large, a->code), EXIT_SVC);
    tb_invalidate_range(0x12340, 4);
    ck_assert_uint_eq(c->stubs.enter(&on_small, a->code), TB_EXIT_LOOKUP);
    ck_assert_uint_eq(c->stubs.enter(&on_large, a->code), TB_EXIT_LOOKUP);
    ck_assert_uint_eq(on_large.pc, 0x12340);
}
END_TEST

START_TEST(empty_indirect_entries_never_match)
{
    TBCache *c = cache();
    for (uint32_t i = 0; i < (1u << tb_indirect_bits_of(c, c->indirect)); i += 97) {
        uint64_t pc = c->indirect[i].pc;
        ck_assert_uint_ne(tb_indirect_index(pc, tb_indirect_bits_of(c, c->indirect)), i);
    }
}
END_TEST

START_TEST(entry_check_exits_on_interrupt_request)
{
    TBCache *c = cache();
    CPUState env = { 0 };
    TranslationBlock *tb = block_begin(c, 0x8000, 1);
    tb_emit_block_entry(&c->cb, tb);
    tb_emit_exit(&c->cb, tb, EXIT_SVC, 0x8004, 0);
    block_end(c, tb);
    ck_assert_uint_eq(c->stubs.enter(&env, tb->code), EXIT_SVC);
    env.interrupt_request = 1;
    env.pc = 0;
    ck_assert_uint_eq(c->stubs.enter(&env, tb->code), EXIT_INTERRUPT);
    ck_assert_uint_eq(env.pc, 0x8000);
}
END_TEST

START_TEST(host_pc_maps_to_guest_pc)
{
    TBCache *c = cache();
    TranslationBlock *first = make_svc_block(c, 0xa000);
    TranslationBlock *tb = block_begin(c, 0xb000, 3);
    tb->insn_host_off[0] = 0;
    x86_nop(&c->cb, 10);
    tb->insn_host_off[1] = 10;
    x86_nop(&c->cb, 7);
    tb->insn_host_off[2] = 17;
    tb_emit_exit(&c->cb, tb, EXIT_SVC, 0xb00c, 0);
    block_end(c, tb);

    uint64_t g = 0;
    ck_assert(tb_host_pc_to_guest(tb->code + 0, &g));
    ck_assert_uint_eq(g, 0xb000);
    ck_assert(tb_host_pc_to_guest(tb->code + 9, &g));
    ck_assert_uint_eq(g, 0xb000);
    ck_assert(tb_host_pc_to_guest(tb->code + 10, &g));
    ck_assert_uint_eq(g, 0xb004);
    ck_assert(tb_host_pc_to_guest(tb->code + 20, &g));
    ck_assert_uint_eq(g, 0xb008);
    ck_assert(tb_host_pc_to_guest(first->code + 1, &g));
    ck_assert_uint_eq(g, 0xa000);
    ck_assert(!tb_host_pc_to_guest(tb->code + tb->code_size, &g));
    ck_assert(!tb_host_pc_to_guest((uintptr_t)&tb_host_pc_to_guest, &g));
}
END_TEST

START_TEST(flush_empties_everything)
{
    TBCache *c = cache();
    size_t start = cb_offset(&c->cb);
    make_svc_block(c, 0xc000);
    TranslationBlock *b = make_svc_block(c, 0xd000);
    tb_indirect_fill(b);
    tb_flush_all();
    ck_assert_ptr_null(tb_lookup(0xc000));
    ck_assert_ptr_null(tb_lookup(0xd000));
    ck_assert_uint_eq(c->n_tbs, 0);
    ck_assert_uint_eq(cb_offset(&c->cb), start);
    ck_assert_uint_ne(c->indirect[tb_indirect_index(0xd000, tb_indirect_bits_of(c, c->indirect))].pc, 0xd000);
}
END_TEST

/* ---- the whole loop: translator, backend and cache together ----------- */

/* Guest code in memory the guest map knows as executable. */
static uint32_t *guest_code(size_t n_words)
{
    size_t len = (n_words * 4 + 4095) & ~(size_t)4095;
    uint32_t *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert_ptr_ne(p, MAP_FAILED);
    guest_mem_init();
    guest_mem_record(h2g(p), len, PROT_READ | PROT_EXEC, "test code");
    return p;
}

static void exec_setup(size_t cache_size)
{
    /* each test runs in its own process (check's fork mode) */
    ck_assert_msg(tb_cache()->pool == NULL, "run with CK_FORK=yes");
    ExecOptions opts = { .code_cache_size = cache_size };
    exec_init(&opts);
}

/* Encodings from GNU as (aarch64-linux-gnu-as + objdump). */
#define A64_ADD_X0_X0_1   0x91000400u   /* add x0, x0, #1 */
#define A64_ADD_X0_X0_3   0x91000c00u   /* add x0, x0, #3 */
#define A64_B_NEXT        0x14000001u   /* b .+4 */
#define A64_SVC_0         0xd4000001u   /* svc #0 */
#define A64_MOV_X1_100    0xd2800c81u   /* mov x1, #100 */
#define A64_MOV_X1_1000   0xd2807d01u   /* mov x1, #1000 */
#define A64_SUBS_X1_X1_1  0xf1000421u   /* subs x1, x1, #1 */
#define A64_BNE_BACK2     0x54ffffc1u   /* b.ne .-8 */
#define A64_BL_FWD16      0x94000004u   /* bl .+16 */
#define A64_RET           0xd65f03c0u   /* ret */

START_TEST(cpu_exec_runs_a_chained_loop)
{
    uint32_t *code = guest_code(5);
    code[0] = A64_MOV_X1_1000;
    code[1] = A64_ADD_X0_X0_1;
    code[2] = A64_SUBS_X1_X1_1;
    code[3] = A64_BNE_BACK2;
    code[4] = A64_SVC_0;
    exec_setup(0);
    CPUState env = { .pc = h2g(code) };
    for (int run = 0; run < 2; run++) {
        env.pc = h2g(code);
        env.x[0] = 0;
        ck_assert_int_eq(cpu_exec(&env), EXIT_SVC);
        ck_assert_uint_eq(env.x[0], 1000);
        ck_assert_uint_eq(env.x[1], 0);
        ck_assert_uint_eq(env.pc, h2g(&code[5]));
    }
    /* the loop block is chained to itself */
    TranslationBlock *loop = tb_lookup(h2g(&code[1]));
    ck_assert_ptr_nonnull(loop);
    bool self = false;
    for (int i = 0; i < loop->n_exits; i++) {
        self |= loop->exits[i].linked == loop;
    }
    ck_assert(self);
}
END_TEST

START_TEST(cpu_exec_calls_and_returns)
{
    uint32_t *code = guest_code(7);
    code[0] = A64_MOV_X1_100;
    code[1] = A64_BL_FWD16;         /* to code[5] */
    code[2] = A64_SUBS_X1_X1_1;
    code[3] = A64_BNE_BACK2;        /* to code[1] */
    code[4] = A64_SVC_0;
    code[5] = A64_ADD_X0_X0_3;
    code[6] = A64_RET;
    exec_setup(0);
    CPUState env = { .pc = h2g(code) };
    ck_assert_int_eq(cpu_exec(&env), EXIT_SVC);
    ck_assert_uint_eq(env.x[0], 300);
    ck_assert_uint_eq(env.x[30], h2g(&code[2]));
    /* the return target went into the inline table */
    IndirectEntry *e = &tb_cache()->indirect[tb_indirect_index(h2g(&code[2]), tb_indirect_bits_of(tb_cache(), tb_cache()->indirect))];
    ck_assert_uint_eq(e->pc, h2g(&code[2]));
}
END_TEST

START_TEST(cpu_exec_survives_a_full_cache)
{
    /* 20000 blocks of "add x0, x0, #1; b .+4" need several MiB of host
     * code: a 1 MiB cache is flushed and refilled along the way. */
    enum { N = 20000 };
    uint32_t *code = guest_code(2 * N + 1);
    for (int i = 0; i < N; i++) {
        code[2 * i] = A64_ADD_X0_X0_1;
        code[2 * i + 1] = A64_B_NEXT;
    }
    code[2 * N] = A64_SVC_0;
    exec_setup(1u << 20);
    uint64_t gen = tb_cache()->generation;
    CPUState env = { .pc = h2g(code) };
    ck_assert_int_eq(cpu_exec(&env), EXIT_SVC);
    ck_assert_uint_eq(env.x[0], N);
    ck_assert_uint_gt(tb_cache()->generation, gen);
    env.pc = h2g(code);
    ck_assert_int_eq(cpu_exec(&env), EXIT_SVC);
    ck_assert_uint_eq(env.x[0], 2 * N);
}
END_TEST

START_TEST(cpu_exec_sees_rewritten_code_after_invalidation)
{
    uint32_t *code = guest_code(2);
    code[0] = A64_ADD_X0_X0_1;
    code[1] = A64_SVC_0;
    exec_setup(0);
    CPUState env = { .pc = h2g(code) };
    ck_assert_int_eq(cpu_exec(&env), EXIT_SVC);
    ck_assert_uint_eq(env.x[0], 1);
    code[0] = A64_ADD_X0_X0_3;
    tb_invalidate_range(h2g(code), 4);
    env.pc = h2g(code);
    ck_assert_int_eq(cpu_exec(&env), EXIT_SVC);
    ck_assert_uint_eq(env.x[0], 4);
}
END_TEST

START_TEST(fork_gives_the_child_its_own_copy_of_the_cache)
{
    uint32_t *code = guest_code(2);
    code[0] = A64_ADD_X0_X0_1;
    code[1] = A64_SVC_0;
    exec_setup(0);
    CPUState env = { .pc = h2g(code) };
    ck_assert_int_eq(cpu_exec(&env), EXIT_SVC);
    TBCache *c = tb_cache();
    volatile uint8_t *probe = c->buf.wbase + c->buf.size - 1;
    *probe = 0x11;

    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        /* the child keeps the parent's translations; running them needs no
         * code memory of its own, translating takes it */
        int bad = tb_lookup(h2g(code)) == NULL;
        env.pc = h2g(code);
        env.x[0] = 10;
        bad |= cpu_exec(&env) != EXIT_SVC || env.x[0] != 11;
        bad |= !c->shares_parent_code;
        code[2] = A64_ADD_X0_X0_3;
        code[3] = A64_SVC_0;
        env.pc = h2g(code + 2);
        bad |= cpu_exec(&env) != EXIT_SVC || env.x[0] != 14;
        bad |= c->shares_parent_code;
        *probe = 0x22;
        _exit(bad);
    }
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status));
    ck_assert_int_eq(WEXITSTATUS(status), 0);
    ck_assert_uint_eq(*probe, 0x11);
    ck_assert_ptr_nonnull(tb_lookup(h2g(code)));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("tb");
    TCase *tc = tcase_create("tb");
    tcase_add_test(tc, code_buffer_is_wx);
    tcase_add_test(tc, code_buffer_reaches_ferry_text);
    tcase_add_test(tc, lookup_finds_inserted_blocks);
    tcase_add_test(tc, exit_stores_pc_info_and_reason);
    tcase_add_test(tc, pinned_registers_round_trip_through_env);
    tcase_add_test(tc, chaining_patches_and_invalidation_unpatches);
    tcase_add_test(tc, chaining_a_block_to_itself);
    tcase_add_test(tc, indirect_branch_probes_the_table);
    tcase_add_test(tc, empty_indirect_entries_never_match);
    tcase_add_test(tc, indirect_table_grows_when_filled_twice_over);
    tcase_add_test(tc, entry_check_exits_on_interrupt_request);
    tcase_add_test(tc, host_pc_maps_to_guest_pc);
    tcase_add_test(tc, flush_empties_everything);
    tcase_add_test(tc, cpu_exec_runs_a_chained_loop);
    tcase_add_test(tc, cpu_exec_calls_and_returns);
    tcase_add_test(tc, cpu_exec_survives_a_full_cache);
    tcase_add_test(tc, cpu_exec_sees_rewritten_code_after_invalidation);
    tcase_add_test(tc, fork_gives_the_child_its_own_copy_of_the_cache);
    suite_add_tcase(s, tc);
    return check_run_suite(s);
}
