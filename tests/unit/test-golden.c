/*
 * Golden code tests: real A64 encodings go through the whole translation
 * path (a64_translate_block, ir_liveness, backend_gen_block with the real
 * block-end code of the translation cache) and the number of host
 * instructions on the block's straight-line path is pinned, so a
 * code-quality regression fails here.
 *
 * What is counted: from the block's first byte, in address order, up to
 * the first unchained exit stub or up to and including the first
 * unconditional jmp that leaves the block's straight-line code (the
 * chainable `jmp rel32` of a direct exit, which starts out pointing at its
 * stub, or the `jmp reg` of the inline indirect lookup); a jmp inside an
 * instruction's own code (a slow path) is counted and passed.  Alignment
 * nops are not counted.  So the count covers the body and the block-end
 * branches up to the first exit; out-of-line stubs (and the other side
 * of a two-way end: the guest's taken side, or its fall-through when only
 * the taken side is a back edge and so goes straight) are not counted.
 *
 * Encodings are from GNU as (aarch64-linux-gnu-as + objdump).  Each expected
 * count is explained next to it from the x86-64 code one would write by
 * hand for the guest instruction, given ferry's conventions
 * (docs/architecture.md): X0, X1, X2, X30 and SP live in host registers,
 * every other guest register is a memory operand [r15 + off], guest
 * addresses are host addresses, NZCV lives in EFLAGS inside a block and is
 * stored to env (cmc?; lahf; seto al; mov [env+flags], ax) only when a
 * later block may read it.
 *
 * Set FERRY_GOLDEN_LIST=1 to print every listing.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "host/x86_64/backend.h"
#include "linux-user/guest-mem.h"
#include "target/aarch64/translate.h"
#include "tcg/exec.h"
#include "tcg/tb-internal.h"
#include "test-golden.h"

#define BRK0 0xd4200000u        /* brk #0: an exit to C, so a look-ahead stops */
#define MAX_CASE_INSNS 8
#define GUEST_PAGES 4

typedef struct GoldenCase {
    const char *name;
    uint32_t insns[MAX_CASE_INSNS];     /* the block under test */
    unsigned n;                         /* guest instructions translated */
    int expect;                         /* host instructions, see the header */
} GoldenCase;

/* Guest code page; every case is copied to its start, the rest is BRK0. */
static uint64_t guest_code;

static void setup(void)
{
    static bool done;
    if (done) {
        return;
    }
    done = true;
    guest_mem_init();
    ExecOptions opts = { 0 };
    exec_init(&opts);
    int64_t a = guest_mmap(0, GUEST_PAGES * GUEST_PAGE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert(a > 0);
    guest_code = (uint64_t)a;
}

static void place_code(const uint32_t *insns, unsigned n, const uint32_t *after, unsigned n_after)
{
    uint32_t *p = g2h(guest_code);
    for (size_t i = 0; i < GUEST_PAGES * GUEST_PAGE_SIZE / 4; i++) {
        p[i] = BRK0;
    }
    memcpy(p, insns, n * 4);
    if (after) {
        memcpy(p + n, after, n_after * 4);
    }
    tb_invalidate_range(guest_code, GUEST_PAGES * GUEST_PAGE_SIZE);
}

/* Translate the block at guest_code (at most n guest instructions) the way
 * the dispatcher does. */
static TranslationBlock *translate(unsigned n)
{
    TranslationBlock *tb = tb_translate_block(guest_code, n);
    ck_assert_ptr_nonnull(tb);
    return tb;
}

static bool is_exit_stub(const TranslationBlock *tb, uint64_t addr)
{
    for (int s = 0; s < tb->n_exits; s++) {
        if (tb->exits[s].stub == addr) {
            return true;
        }
    }
    return false;
}

static int count_path(const TranslationBlock *tb, const char *name)
{
    static GoldenInsn insns[1024];
    const uint8_t *w = (const uint8_t *)(tb->code - (uintptr_t)tb_cache()->cb.exec_delta);
    int n = golden_disasm(w, tb->code_size, tb->code, insns, 1024);
    ck_assert_int_gt(n, 0);
    bool list = getenv("FERRY_GOLDEN_LIST") != NULL;
    int count = 0;
    if (list) {
        fprintf(stderr, "%s:\n", name);
    }
    for (int i = 0; i < n && !is_exit_stub(tb, insns[i].addr); i++) {
        if (insns[i].nop) {
            continue;
        }
        count++;
        if (list) {
            fprintf(stderr, "    %s\n", insns[i].text);
        }
        bool leaves = insns[i].target == 0 || is_exit_stub(tb, insns[i].target) ||
                      insns[i].target < tb->code || insns[i].target >= tb->code + tb->code_size;
        if (insns[i].jmp && leaves) {
            break;
        }
    }
    if (list) {
        fprintf(stderr, "  = %d\n", count);
    }
    return count;
}

static int golden_count(const GoldenCase *gc, const uint32_t *after, unsigned n_after)
{
    setup();
    place_code(gc->insns, gc->n, after, n_after);
    return count_path(translate(gc->n), gc->name);
}

/*
 * A block that falls off its instruction budget ends with a chainable jmp
 * rel32 to the next block: 1.  "E" below = that 1.  There is no interrupt
 * check at block entry: it sits on back-edges and indirect branches
 * (tb-stubs.c), and a forward jmp has none.
 */
static const GoldenCase cases[] = {
    /* add x0, x1, #16: lea rbp, [r12+16] -> E + 1 */
    { "ADD imm (pinned)", { 0x91004020 }, 1, 2 },
    /* add x9, x10, #16: both in env: mov r, [x10]; add r, 16; mov [x9], r
     * (a load, an add, a store: x86 has no memory-to-memory add) -> E + 3 */
    { "ADD imm (env)", { 0x91004149 }, 1, 4 },
    /* add x3, x4, #16: X3..X6 are pinned too (rsi, rdi, r8, r9): lea rsi,
     * [rdi+16] -> E + 1 */
    { "ADD imm (X3, X4 pinned)", { 0x91004083 }, 1, 2 },
    /* add x0, x1, x2: lea rbp, [r12+r13] -> E + 1 */
    { "ADD reg", { 0x8b020020 }, 1, 2 },
    /* add x0, x1, x2, lsl #3: lea rbp, [r12+r13*8] -> E + 1 */
    { "ADD shifted", { 0x8b020c20 }, 1, 2 },
    /* add x0, x0, x0, lsl #1: lea rbp, [rbp+rbp*2] -> E + 1 */
    { "ADD x0,x0,x0,lsl#1", { 0x8b000400 }, 1, 2 },
    /* adrp x0, page; add x0, x0, #0x123: one constant: mov rbp, imm -> E + 1 */
    { "ADRP+ADD", { 0x90000000, 0x91048c00 }, 2, 2 },
    /* ldr x0, [x1, #8]: mov rbp, [r12+8] -> E + 1 */
    { "LDR uimm", { 0xf9400420 }, 1, 2 },
    /* ldr x0, [x1, #8]!: add r12, 8; mov rbp, [r12] (or the load first, then
     * the base update: two either way) -> E + 2 */
    { "LDR pre-index", { 0xf8408c20 }, 1, 3 },
    /* ldr x0, [x1], #8: mov rbp, [r12]; add/lea r12, 8 -> E + 2 */
    { "LDR post-index", { 0xf8408420 }, 1, 3 },
    /* ldr x0, [x1, x2, lsl #3]: mov rbp, [r12+r13*8] -> E + 1 */
    { "LDR reg LSL", { 0xf8627820 }, 1, 2 },
    /* ldr x0, [x1, w2, uxtw #3]: mov eax-like zero-extend of w2 (mov r, r13d),
     * then mov rbp, [r12+r*8] -> E + 2 */
    { "LDR reg UXTW", { 0xf8625820 }, 1, 3 },
    /* ldr x0, [x1, w2, sxtw #3]: movsxd r, r13d; mov rbp, [r12+r*8] -> E + 2 */
    { "LDR reg SXTW", { 0xf862d820 }, 1, 3 },
    /* str x0, [x1, #8]: mov [r12+8], rbp -> E + 1 */
    { "STR uimm", { 0xf9000420 }, 1, 2 },
    /* str x0, [x1, #8]!: the store at [r12+8], then r12 += 8 -> E + 2 */
    { "STR pre-index", { 0xf8008c20 }, 1, 3 },
    /* str x0, [x1], #8: mov [r12], rbp; r12 += 8 -> E + 2 */
    { "STR post-index", { 0xf8008420 }, 1, 3 },
    /* str x0, [x1, x2, lsl #3]: mov [r12+r13*8], rbp -> E + 1 */
    { "STR reg LSL", { 0xf8227820 }, 1, 2 },
    /* str x0, [x1, w2, uxtw #3]: mov r, r13d; mov [r12+r*8], rbp -> E + 2 */
    { "STR reg UXTW", { 0xf8225820 }, 1, 3 },
    /* str x0, [x1, w2, sxtw #3]: movsxd r, r13d; mov [r12+r*8], rbp -> E + 2 */
    { "STR reg SXTW", { 0xf822d820 }, 1, 3 },
    /* ldp x0, x1, [x2, #16]: mov r, [r13+16]; mov r12, [r13+24]; mov rbp, r
     * (the first value waits in a scratch register so that a fault of the
     * second access leaves X0 as it was) -> E + 3 */
    { "LDP", { 0xa9410440 }, 1, 4 },
    /* stp x0, x1, [sp, #-16]!: mov [rbx-16], rbp; mov [rbx-8], r12;
     * sub/lea rbx, -16 -> E + 3 */
    { "STP pre-index", { 0xa9bf07e0 }, 1, 4 },
    /* ldp x29, x30, [sp], #16: x29 is in env, so mov r, [rbx]; mov [x29], r;
     * mov r14, [rbx+8]; add/lea rbx, 16 -> E + 4 */
    { "LDP post-index", { 0xa8c17bfd }, 1, 5 },
    /* prfm pldl1keep, [x1, #8]: a data prefetch is a host cache hint that
     * never faults, like PRFM: prefetcht0 [r12+8] -> E + 1 */
    { "PRFM uimm", { 0xf9800420 }, 1, 2 },
    /* prfm pldl2keep, [x1, x2, lsl #3]: prefetcht1 [r12+r13*8] -> E + 1 */
    { "PRFM reg LSL", { 0xf8a27822 }, 1, 2 },
    /* prfum pstl1strm, [x9, #-3]: x9 is in env: mov r, [x9]; prefetchnta
     * [r-3] -> E + 2 */
    { "PRFUM (env)", { 0xf89fd131 }, 1, 3 },
    /* prfm plil1keep, [x1]: an instruction prefetch has no host equivalent:
     * nothing -> E */
    { "PRFM PLI", { 0xf9800028 }, 1, 1 },
    /* csel x0, x1, x2, eq: the flags come from env (movzx eax, word [flags];
     * add al, 0x7f; sahf), then mov rbp, r13; cmove rbp, r12 -> E + 5 */
    { "CSEL (flags from env)", { 0x9a820020 }, 1, 6 },
    /* rbit x1, x0; clz x1, x1 (count trailing zeros, as glibc's string
     * functions do): one tzcnt r12, rbp -- the bit reverse's 20
     * instructions are gone (without BMI1: bsf; mov eax, 64; cmove) -> E + 1 */
    { "RBIT+CLZ", { 0xdac00001, 0xdac01021 }, 2, 2 },
    /* cset w0, ne: flags from env (3), setne al-like; movzx -> E + 5 */
    { "CSET (flags from env)", { 0x1a9f07e0 }, 1, 6 },
    /* cmp w0, #0; cbz w0, +64: the CBZ branches on the ZF of the cmp's
     * test (no second test).  Both successors are BRKs here, which may read
     * NZCV, so it is saved before the branch: test ebp, ebp; cmc; lahf;
     * seto al; mov [flags], ax; je taken; then the fall-through's jmp -> 7
     * (CBZ W reads the register without zero-extending it: the test looks
     * at 32 bits) */
    { "CMP+CBZ (same register)", { 0x7100001f, 0x34000200 }, 2, 7 },
    /* subs x1, x1, #1; cbnz x1, +64: the same on the SUBS result: sub r12,
     * 1; cmc; lahf; seto al; mov [flags], ax; jne taken; jmp -> 7 */
    { "SUBS+CBNZ (same register)", { 0xf1000421, 0xb5000201 }, 2, 7 },
    /* bl target: x30 = return address (mov r14, imm32 -- the page sits
     * below 4 GiB or not: mov r14, imm / movabs), then the chainable jmp ->
     * E + 1 */
    { "BL", { 0x94000010 }, 1, 2 },
    /* ret: the interrupt check of an indirect branch (cmp; jne: 2), then
     * the inline table probe (movabs table; mov eax, r14d; and eax, mask;
     * cmp r14, [tbl+rax*4]; jne miss; mov r, [tbl+rax*4+8];
     * cmp r14, [tbl+rax*4]; jne miss; jmp r): 9 -> 11 */
    { "RET", { 0xd65f03c0 }, 1, 11 },
};

START_TEST(golden_case)
{
    const GoldenCase *gc = &cases[_i];
    int n = golden_count(gc, NULL, 0);
    ck_assert_msg(n == gc->expect, "%s: %d host instructions, expected %d", gc->name, n, gc->expect);
}
END_TEST

/* ldr x0, literal (.+64): the address is a constant, so the access is
 * mov rbp, [disp32] when the address fits a sign-extended 32 bits, else
 * movabs r, addr; mov rbp, [r].  guest_mmap places the test page, so the
 * count depends on where: E + 1 or E + 2. */
START_TEST(golden_ldr_literal)
{
    static const GoldenCase lit = { "LDR literal", { 0x58000200 }, 1, 0 };
    int n = golden_count(&lit, NULL, 0);
    ck_assert_int_eq(n, guest_code + 64 <= INT32_MAX ? 2 : 3);
}
END_TEST

/*
 * The FP/SIMD cases (lowered by the vector backend; the counts follow its
 * current output, so a change there shows here).  Guest V registers live
 * in env: every operand is a memory operand.
 */
static const GoldenCase vec_cases[] = {
    /* fadd d0, d1, d2: movq xmm5, [v1]; addsd xmm5, [v2]; ucomisd xmm5,
     * xmm5; jp to the cold path (a NaN result needs Arm's NaN rules; it is
     * out of line after the block's exit, so not counted); movdqa [v0],
     * xmm5 (the 128-bit store clears the upper half as a scalar write must;
     * xmm5 keeps v0 for later FP ops of the block) -> 5 + jmp = 6.  No
     * FPCR.FZ test: translations assume FZ clear until a guest sets it
     * (tcg/exec.h, exec_note_fpcr). */
    { "FADD d", { 0x1e622820 }, 1, 6 },
    /* fmadd d0, d1, d2, d3: movq xmm5, [v3] (the addend, accumulator);
     * movq xmm1, [v1]; vfmadd231sd xmm5, xmm1, [v2] (one rounding, as
     * FMADD requires); ucomisd; jp to the cold path; the tininess check
     * (movq rax, xmm5; add; ror; cmp 1; je to the cold path: a result of
     * +-the smallest normal takes the exact path, since x86 detects
     * underflow after rounding and Arm before); movdqa [v0], xmm5 -> 11 +
     * jmp = 12 */
    { "FMADD d", { 0x1f420c20 }, 1, 12 },
    /* add v0.4s, v1.4s, v2.4s: movdqa; paddd xmm, [v2]; movdqa [v0] -> E + 3 */
    { "ADD v.4s", { 0x4ea28420 }, 1, 4 },
    /* ldr q0, [x1, #16]: movdqu xmm0, [r12+16]; movdqa [v0], xmm0 -> E + 2 */
    { "LDR q", { 0x3dc00420 }, 1, 3 },
    /* tbl v0.16b, {v1.16b}, v2.16b: pshufb with indexes >= 16 forced to
     * zero (paddusb with 0x70 sets their top bit) and the 0x70 vector built
     * from an immediate -> 12 */
    { "TBL v.16b", { 0x4e020020 }, 1, 12 },
    /* uadalp v0.4s, v1.8h: movdqa xmm0, [v1]; movaps xmm1, xmm0; pslld 16;
     * psrld 16 (even halfwords zero-extended); psrld xmm1, 16 (odd ones);
     * paddd xmm0, xmm1; paddd xmm0, [v0]; movdqa [v0] -> E + 8 */
    { "UADALP v.4s", { 0x6e606820 }, 1, 9 },
    /* uabd v0.16b, v1.16b, v2.16b: movdqa; movaps; pmaxub [v2]; pminub
     * [v2]; psubb (max - min); movdqa [v0] -> E + 6 */
    { "UABD v.16b", { 0x6e227420 }, 1, 7 },
    /* mla v0.4s, v1.4s, v2.s[1]: movd xmm1, [v2+4]; pshufd (broadcast);
     * movdqa xmm0, [v1]; pmulld; paddd xmm0, [v0]; movdqa [v0] -> E + 6 */
    { "MLA v.4s elem", { 0x6fa20020 }, 1, 7 },
    /* sqrdmulh v0.8h, v1.8h, v2.8h: movdqa; pmulhrsw [v2]; the 0x8000
     * lanes (only -1 * -1 in Q15 gives them) become 0x7fff: mov rax, imm;
     * movq; punpcklqdq; pcmpeqw; pxor; FPSR.QC if any: pmovmskb; test;
     * je; or [fpsr], QC; movdqa [v0] -> E + 12 */
    { "SQRDMULH v.8h", { 0x6e62b420 }, 1, 13 },
    /* sqxtn v0.8b, v1.8h: movdqa xmm0, [v1]; packsswb; FPSR.QC unless
     * every lane survives the round trip: pmovsxbw xmm1, xmm0; pcmpeqw
     * xmm1, [v1]; pmovmskb; cmp 0xffff; je; or [fpsr], QC; then movq xmm0,
     * xmm0 (64-bit result: upper half zero); movdqa [v0] -> E + 10 */
    { "SQXTN v.8b", { 0x0e214820 }, 1, 11 },
    /* shadd v0.8h, v1.8h, v2.8h: (a & b) + ((a ^ b) >> 1): movdqa; movaps;
     * pxor [v2]; psraw 1; pand [v2]; paddw; movdqa [v0] -> E + 7 */
    { "SHADD v.8h", { 0x4e620420 }, 1, 8 },
};

START_TEST(golden_vec_case)
{
    const GoldenCase *gc = &vec_cases[_i];
    int n = golden_count(gc, NULL, 0);
    ck_assert_msg(n == gc->expect, "%s: %d host instructions, expected %d", gc->name, n, gc->expect);
}
END_TEST

/*
 * Flag-setting blocks.  The successors matter: NZCV is saved at the end of
 * the block only if a successor may read it before writing it.
 */
START_TEST(golden_flags)
{
    /* subs x3, x3, #1; b.ne .-4 (to itself): x3 is pinned: sub rsi, 1 (1).
     * The taken side is a back edge, so it is the straight path: je to
     * the fall-through exit (1), the back edge's interrupt check (cmp;
     * jne: 2) and its chained jmp (1).  The back-edge target (this block)
     * writes NZCV before reading it, so the save (cmc; lahf; seto al; mov
     * [flags], ax) is only on the fall-through exit behind the je (BRK, an
     * exit to C, may read NZCV), out of this count. -> 1 + 1 + 2 + 1 = 5 */
    static const GoldenCase subs_bne = { "SUBS+B.NE (exit after)", { 0xf1000463, 0x54ffffe1 }, 2, 5 };
    ck_assert_int_eq(golden_count(&subs_bne, NULL, 0), subs_bne.expect);

    /* cmp x0, x1; b.lt .+8: cmp rbp, r12; jl; jmp.  Taken target (.+8) and
     * fall-through (.+4) are both `cmp x0, #0`, which overwrites NZCV
     * first: no save. -> 1 + 2 = 3 */
    static const uint32_t cmp_after[] = { 0xf100001f, 0xf100001f, BRK0 };
    static const GoldenCase cmp_blt = { "CMP+B.LT (flags dead after)", { 0xeb01001f, 0x5400004b }, 2, 3 };
    ck_assert_int_eq(golden_count(&cmp_blt, cmp_after, 3), cmp_blt.expect);

    /* The same with BRK successors: the save comes back (cmc; lahf; seto;
     * mov: 4). -> 7 */
    static const GoldenCase cmp_blt_live = { "CMP+B.LT (exit after)", { 0xeb01001f, 0x5400004b }, 2, 7 };
    ck_assert_int_eq(golden_count(&cmp_blt_live, NULL, 0), cmp_blt_live.expect);

    /* subs x0, x0, #1; b L, where L is a loop
     *   L: ldr w1, [x5]; cbnz w1, out; add x2, x2, #1; cmp x2, x3; b.ne L
     *   out: cmp x0, #0
     * Both ways on from L's first block (ldr; cbnz) write NZCV before
     * reading it, so no save: sub rbp, 1; the chained jmp -> 2.  (The
     * look-ahead once translated L as a loop block, whose CBNZ side exit
     * counts as a reader: 4 more.) */
    static const uint32_t loop_after[] = { 0xb94000a1, 0x35000081, 0x91000442, 0xeb03005f,
                                           0x54ffff81, 0xf100001f, BRK0 };
    static const GoldenCase subs_b_loop = { "SUBS+B into a loop (flags dead after)", { 0xf1000400, 0x14000001 }, 2, 2 };
    ck_assert_int_eq(golden_count(&subs_b_loop, loop_after, 7), subs_b_loop.expect);
}
END_TEST

/*
 * The loop of the performance notes:
 *   loop: ldr x3, [x1], #8; add x0, x0, x3; subs x2, x2, #1; b.ne loop
 * followed by `cmp x0, #0`.  By hand: mov rsi, [r12] (x3 is pinned in
 * rsi); add r12, 8; add rbp, rsi; sub r13, 1 (4).  Both successors write
 * NZCV before reading it (the loop head's SUBS, and the CMP), so no save.
 * The taken side is the back edge, so the loop's path is the straight
 * one: je out (not taken), the back edge's interrupt check (cmp; jne) and
 * its chained jmp -- 4 + 1 + 2 + 1 = 8 per iteration, one taken branch.
 * (The count was 6 when the straight path was the loop's exit: then each
 * iteration ran the same 8 instructions with a taken jne and the jmp.)
 */
START_TEST(golden_loop)
{
    static const uint32_t after[] = { 0xf100001f, BRK0 };
    static const GoldenCase loop = {
        "loop", { 0xf8408423, 0x8b030000, 0xf1000442, 0x54ffffa1 }, 4, 8
    };
    ck_assert_int_eq(golden_count(&loop, after, 2), loop.expect);
}
END_TEST

/*
 * A loop of two former blocks -- a B.cond out, then the back branch -- is
 * one block with a side exit:
 *   loop: ldr x3, [x1], #8; cmp x3, #0x7f; b.eq out; add x0, x0, x3;
 *         subs x2, x2, #1; b.ne loop; mov x0, #1; out: ...
 * By hand: mov rsi, [r12]; add r12, 8 (2); cmp rsi, 0x7f; je to the side
 * exit, out of line (2); add rbp, rsi (1); sub r13, 1 (1); the loop head
 * writes NZCV (the cmp) before anything reads it, so the back edge saves
 * nothing and goes straight: je to the fall-through exit (1), the
 * interrupt check cmp; jne (2), jmp to the block's first instruction (1)
 * -- 10 per iteration, one taken branch (as two blocks: two chained jmps,
 * a taken jcc and NZCV saved for the b.eq's target at the first block's
 * end).  The count goes on through the interrupt exit behind that jmp
 * (the jmp stays inside the block), the one every back edge has: the pc
 * into env (movabs; mov), mov eax, reason; jmp to the dispatcher (4) -> 14.
 */
START_TEST(golden_loop_block)
{
    static const uint32_t after[] = { 0xd2800020, 0xd503201f, BRK0 };
    static const GoldenCase loop = {
        "loop block", { 0xf8408423, 0xf101fc7f, 0x540000a0, 0x8b030000, 0xf1000442, 0x54ffff61 }, 6, 14
    };
    ck_assert_int_eq(golden_count(&loop, after, 3), loop.expect);
}
END_TEST

/*
 * A block needing more registers than the four allocatable ones borrows
 * pinned registers of guest registers it does not name (regalloc.c).
 * Here six loaded values are live at once (x9..x14, each also stored to
 * its env slot), the block names only x0 (rbp), so x30's r14 and x2's r13
 * are borrowed: two more than the four.  Path:
 *   2 entry stores of r14, r13 to env (x30's and x2's slots)
 *   6 loads (mov reg, [rbp+d]) + 6 stores of x9..x14 to env = 12
 *   add x15, x9, x10, lsl #8: shl x10's register (x10 dies); lea = 2
 *     (x15 and x16 are written again in the block: only their last
 *     values are stored)
 *   add x16, x11, x12, lsl #8: the same = 2
 *   add x15, x15, x9; add x16, x16, x11: 1 each = 2
 *   add x15, x15, x13: add + store = 2
 *   add x16, x16, x14: x14's register went to x15's lea, its value is
 *     read back from its env slot: load + add + store = 3
 *   stp x15, x16, [x0, #48]: 2 stores
 *   2 restores of r14, r13; jmp to the next block = 3
 * = 2 + 12 + 2 + 2 + 2 + 2 + 3 + 2 + 3 = 30
 */
START_TEST(golden_borrowed)
{
    static const GoldenCase pressure = {
        "six live values", { 0xf9400009, 0xf940040a, 0xf940080b, 0xf9400c0c, 0xf940100d, 0xf940140e,
                             0x8b0a212f, 0x8b0c2170 }, 8, 0
    };
    static const uint32_t rest[] = { 0x8b0901ef, 0x8b0b0210, 0x8b0d01ef, 0x8b0e0210, 0xa903400f, BRK0 };
    setup();
    place_code(pressure.insns, 8, rest, 6);
    TranslationBlock *tb = translate(13);
    ck_assert_uint_eq(tb->borrowed, (1u << X86_R14) | (1u << X86_R13));
    ck_assert_int_eq(count_path(tb, pressure.name), 30);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("golden");
    TCase *tc = tcase_create("golden");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, golden_case, 0, (int)(sizeof(cases) / sizeof(cases[0])));
    tcase_add_loop_test(tc, golden_vec_case, 0, (int)(sizeof(vec_cases) / sizeof(vec_cases[0])));
    tcase_add_test(tc, golden_ldr_literal);
    tcase_add_test(tc, golden_flags);
    tcase_add_test(tc, golden_loop);
    tcase_add_test(tc, golden_loop_block);
    tcase_add_test(tc, golden_borrowed);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
