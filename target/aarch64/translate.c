/*
 * The A64 front end's driver: the encoding table built from a64.def, the
 * decoder that finds an instruction's entry, guest-register access with
 * the XZR/SP and W-register rules, and the loop that turns one guest block
 * into IR.
 */
#include <glib.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>

#include "linux-user/guest-mem.h"
#include "tcg/exec.h"
#include "tcg/tb.h"
#include "target/aarch64/translate.h"

const A64InsnDef a64_insns[] = {
#define A64_INSN(name, mask, match, fn) { #name, mask, match, fn },
#include "target/aarch64/a64.def"
#undef A64_INSN
};
const unsigned a64_n_insns = G_N_ELEMENTS(a64_insns);

/*
 * Decoding: the table is split once into 16 buckets by op0 (bits 28..25),
 * keeping table order inside each bucket, so a lookup scans only the
 * entries that can match that top-level class.
 */
typedef struct DecodeIndex {
    GArray *bucket[16];   /* of const A64InsnDef * */
} DecodeIndex;

static DecodeIndex decode_index;

static void build_decode_index(void)
{
    const uint32_t op0_mask = 0xfu << 25;
    for (uint32_t v = 0; v < 16; v++) {
        GArray *a = g_array_new(FALSE, FALSE, sizeof(const A64InsnDef *));
        for (unsigned i = 0; i < a64_n_insns; i++) {
            const A64InsnDef *d = &a64_insns[i];
            uint32_t m = d->mask & op0_mask;
            if (((v << 25) & m) == (d->match & m)) {
                g_array_append_val(a, d);
            }
        }
        decode_index.bucket[v] = a;
    }
}

const A64InsnDef *a64_decode(uint32_t insn)
{
    static GOnce once = G_ONCE_INIT;
    g_once(&once, (GThreadFunc)(void (*)(void))build_decode_index, NULL);
    GArray *a = decode_index.bucket[(insn >> 25) & 0xf];
    for (guint i = 0; i < a->len; i++) {
        const A64InsnDef *d = g_array_index(a, const A64InsnDef *, i);
        if ((insn & d->mask) == d->match) {
            return d;
        }
    }
    return NULL;
}

/* ---- guest registers ---------------------------------------------------- */

IRTemp read_x(DisasContext *s, int reg, int sf)
{
    if (reg == 31) {
        return ir_const(s->b, 0);
    }
    IRTemp v = ir_get_reg(s->b, reg);
    return sf ? v : ir_zext(s->b, 64, v, 32);
}

IRTemp read_xsp(DisasContext *s, int reg, int sf)
{
    IRTemp v = ir_get_reg(s->b, reg);
    return sf ? v : ir_zext(s->b, 64, v, 32);
}

void write_xsp(DisasContext *s, int reg, IRTemp val, int sf)
{
    ir_set_reg(s->b, reg, sf ? val : ir_zext(s->b, 64, val, 32));
}

void write_x(DisasContext *s, int reg, IRTemp val, int sf)
{
    if (reg != 31) {
        write_xsp(s, reg, val, sf);
    }
}

void gen_exit(DisasContext *s, int reason, uint64_t pc, uint32_t info)
{
    ir_exit(s->b, reason, pc, info);
}

/* ---- the block loop ----------------------------------------------------- */

/* Instruction fetch, checking the guest map only when the pc leaves the
 * executable region last checked or the map changed since (the region is
 * kept per thread: blocks mostly follow each other in the same one).  The
 * first read of each page is guarded: a page of a file mapping past the end
 * of its file is in the map but cannot be read (SIGBUS), and the guest
 * then gets the fault, not ferry. */
static __thread GuestExecRegion fetch_region;
static __thread struct { uint64_t page, generation; } fetch_readable;  /* page + 1, 0: none */
static __thread bool fetch_unreadable;        /* the last failure was a read fault */

static void read_first_byte(void *page)
{
    (void)*(volatile const uint8_t *)page;
}

static bool fetch_insn(uint64_t pc, uint32_t *insn)
{
    fetch_unreadable = false;
    if (!guest_exec_region_cached(pc, &fetch_region) || pc + 4 > fetch_region.end) {
        return false;
    }
    uint64_t page = pc & ~(uint64_t)(GUEST_PAGE_SIZE - 1);
    if (fetch_readable.page != page + 1 || fetch_readable.generation != fetch_region.generation) {
        if (!guest_read_guarded(read_first_byte, g2h(page))) {
            fetch_unreadable = true;
            return false;
        }
        fetch_readable.page = page + 1;
        fetch_readable.generation = fetch_region.generation;
    }
    memcpy(insn, g2h(pc), 4);
    return true;
}

/* Translate one instruction; on an unallocated or unimplemented encoding the
 * IR emitted for it is discarded and the block ends with an EXIT_UDEF. */
static void translate_one(DisasContext *s)
{
    IRBuilder *b = s->b;
    uint32_t mark_insns = b->blk.n_insns;
    uint32_t mark_temps = b->blk.n_temps;
    IRTemp saved_cache[32];
    memcpy(saved_cache, b->reg_cache, sizeof(saved_cache));

    const A64InsnDef *def = a64_decode(s->insn);
    if (def && def->trans(s, s->insn)) {
        return;
    }
    b->blk.n_insns = mark_insns;
    b->blk.n_temps = mark_temps;
    b->ended = false;
    memcpy(b->reg_cache, saved_cache, sizeof(saved_cache));
    gen_exit(s, EXIT_UDEF, s->pc, s->insn);
}

/* ---- loop blocks ----------------------------------------------------------- */

/*
 * A small loop whose body spans several blocks -- a conditional branch
 * out, more code (and maybe more branches out to the same place), then a
 * conditional branch back to the start -- is translated as one block: the
 * branches out become side exits (EXIT_IF*, all to one target) and the
 * back edge stays inside the block (host/x86_64/lower.c).  Values then
 * stay in host registers and NZCV in EFLAGS where the old block boundaries
 * were, and an iteration runs one chained jump in all.
 */
#define LOOP_TAIL_MAX 32
#define LOOP_SIDE_EXITS_MAX 8   /* the backend keeps up to 16 */

/* The target of a conditional branch (B.cond, CBZ/CBNZ, TBZ/TBNZ) at pc,
 * or 0 if insn is not one. */
static uint64_t cond_branch_target(uint32_t insn, uint64_t pc)
{
    if ((insn & 0xff000010u) == 0x54000000u || (insn & 0x7e000000u) == 0x34000000u) {
        return pc + ((uint64_t)sextract64(insn, 5, 19) << 2);
    }
    if ((insn & 0x7e000000u) == 0x36000000u) {
        return pc + ((uint64_t)sextract64(insn, 5, 14) << 2);
    }
    return 0;
}

/* Add target to a loop block's exits (at most two distinct ones, the exit
 * slots a block has); false if that makes three. */
static bool add_loop_exit(uint64_t exits[2], uint64_t target)
{
    for (int k = 0; k < 2; k++) {
        if (exits[k] == target) {
            return true;
        }
        if (exits[k] == 0) {
            exits[k] = target;
            return true;
        }
    }
    return false;
}

/* From pc on (after a conditional branch out to exits[0]): straight-line
 * code (no branch, exception or system instruction: op0 = x101) except
 * further conditional branches out, within `budget` instructions, up to
 * a conditional branch back to start -- with at most two places left for,
 * counting that branch's fall-through.  Returns that branch's address and
 * fills exits, or 0. */
static uint64_t loop_back_branch(uint64_t start, uint64_t pc, uint64_t exits[2], unsigned budget)
{
    unsigned n_out = 1;
    for (unsigned n = 0; n < budget && n < LOOP_TAIL_MAX; n++, pc += 4) {
        uint32_t insn;
        if (!fetch_insn(pc, &insn)) {
            return 0;
        }
        if (((insn >> 26) & 7) != 5) {
            continue;
        }
        uint64_t target = cond_branch_target(insn, pc);
        if (target == start) {
            return add_loop_exit(exits, pc + 4) ? pc : 0;
        }
        if (!target || !add_loop_exit(exits, target) || ++n_out > LOOP_SIDE_EXITS_MAX) {
            return 0;
        }
    }
    return 0;
}

/* The block has just ended with the instruction at insn_pc (next_pc after
 * it).  If that was the first conditional branch out of a loop that comes
 * back to the block's start, or a later branch out of it, make it a side
 * exit and go on (true). */
static bool continue_loop_block(IRBuilder *b, uint64_t insn_pc, uint64_t next_pc,
                                unsigned budget, uint64_t *back_branch)
{
    const IRInsn *last = &b->blk.insns[b->blk.n_insns - 1];
    bool cond_branch = last->op == IR_BRCOND || last->op == IR_BRCMP;
    if (!*back_branch) {
        uint64_t exits[2] = { last->imm, 0 };
        if (!cond_branch || last->imm == b->blk.guest_pc) {
            return false;
        }
        *back_branch = loop_back_branch(b->blk.guest_pc, next_pc, exits, budget);
        if (!*back_branch) {
            return false;
        }
        memcpy(b->blk.loop_exit, exits, sizeof(exits));
    }
    return insn_pc < *back_branch && cond_branch && ir_branch_to_side_exit(b, last->imm);
}

bool a64_translate_block(IRBuilder *b, uint64_t pc, const CPUModel *model, unsigned max_insns,
                         bool loop_blocks)
{
    DisasContext s = { .b = b, .model = model };
    if (max_insns == 0 || max_insns > TB_MAX_GUEST_INSNS) {
        max_insns = TB_MAX_GUEST_INSNS;
    }
    ir_builder_reset(b, pc);

    uint32_t insn;
    if (!fetch_insn(pc, &insn)) {
        /* exit_info: SIGBUS for a mapped page that cannot be read (past
         * the end of its file), else 0 (SIGSEGV) */
        ir_insn_start(b, pc);
        ir_exit(b, EXIT_FAULT, pc, fetch_unreadable ? SIGBUS : 0);
        b->blk.n_guest_insns = 1;
        b->blk.guest_end = pc + 4;
        return false;
    }
    unsigned n = 0;
    uint64_t back_branch = 0;
    for (;;) {
        s.pc = pc;
        s.insn = insn;
        ir_insn_start(b, pc);
        translate_one(&s);
        n++;
        pc += 4;
        if (b->ended && !(loop_blocks && continue_loop_block(b, s.pc, pc, max_insns - n, &back_branch))) {
            break;
        }
        if (n >= max_insns || !fetch_insn(pc, &insn)) {
            ir_goto_tb(b, pc);
            break;
        }
    }
    b->blk.n_guest_insns = n;
    b->blk.guest_end = pc;
    return true;
}
