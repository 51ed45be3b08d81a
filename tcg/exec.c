/*
 * The execution loop: exec_init, translation of a block on a cache miss
 * (tb_gen_code: translate, liveness, -d logs, lower, insert), and cpu_exec,
 * the dispatcher that enters translated code, chains direct exits, fills
 * the indirect-branch table, and returns to its caller for real exits.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "host/x86_64/backend.h"
#include "linux-user/guest-mem.h"
#include "linux-user/log.h"
#include "target/aarch64/fp-arm.h"
#include "target/aarch64/translate.h"
#include "tcg/disas.h"
#include "tcg/exclusive.h"
#include "tcg/exec.h"
#include "tcg/perfmap.h"
#include "tcg/tb-internal.h"
#include "tcg/tcache.h"

/* Below this much free space a new block is not started: flush first. */
#define TB_MIN_FREE_SPACE (256u << 10)

static size_t min_free_space(const TBCache *c)
{
    size_t eighth = c->buf.size / 8;
    return eighth < TB_MIN_FREE_SPACE ? eighth : TB_MIN_FREE_SPACE;
}

/*
 * Blocks a forked child translated, for its parent to translate as well
 * (exec_before_fork): a shell's subshells run the same child-side code
 * every time, and a child's translations die with it.  Shared memory made
 * by the parent at its first fork; its children append, the parent reads.
 */
#define CHILD_PCS_MAX 4096
typedef struct ChildPcs {
    uint32_t n;                     /* slots claimed (atomic; may pass MAX) */
    uint64_t pc[CHILD_PCS_MAX];     /* 0: claimed, not written yet */
} ChildPcs;

/* Dispatcher visits through exits of code frozen at a fork (which cannot be
 * chained) after which the process takes a private copy of the code and
 * chains again (tcg/tb.c, fork). */
#define FROZEN_VISITS_BEFORE_THAW 4096

typedef struct ExecContext {
    ExecOptions opts;
    /* Builders reused by every translation (under TBCache.lock), so a block
     * costs no allocation once they have grown: the block's own and the
     * scratch one for successor look-ahead. */
    IRBuilder builder, peek_builder;
    bool builders_ready;
    /* Successor look-ahead results by pc (see successor_writes_nzcv_first),
     * valid while TBCache.code_changes equals their stamp. */
    struct PeekMemo { uint64_t pc, stamp; struct TBPeek seen; bool writes; } peek_memo[1024];
    /* FPCR.FZ seen set (exec_note_fpcr), and the cache generation that
     * still holds code translated without the check */
    bool fz_possible;
    uint64_t fz_unchecked_generation;
    /* this process's list for its own children, how far it has read it,
     * and its parent's list (a forked child's), where it records */
    ChildPcs *own_child_pcs;
    uint32_t child_pcs_read;
    ChildPcs *parent_child_pcs;
    /* the backend's per-instruction host offsets of the block being made */
    uint16_t insn_host_off[TB_MAX_GUEST_INSNS];
} ExecContext;

static ExecContext exec_ctx;

static void exec_child_after_fork(void)
{
    exec_ctx.parent_child_pcs = exec_ctx.own_child_pcs;
    exec_ctx.own_child_pcs = NULL;      /* made at this process's first fork */
    exclusive_after_fork_child();
    tb_cache_after_fork();
}

void exec_after_fork(void)
{
    exec_child_after_fork();
}

uintptr_t exec_exit_address(void)
{
    return tb_cache()->stubs.epilogue;
}

/* The translations a previous run of this program left (tcg/tcache.h),
 * unless the logs must show every block being translated. */
static void load_translation_file(void)
{
    const ExecOptions *o = &exec_ctx.opts;
    bool off = o->tcache && strcmp(o->tcache, "off") == 0;
    TCacheOptions t = {
        .dir = off ? NULL : o->tcache,
        .off = off || (o->log_mask & (LOG_IN_ASM | LOG_OUT_ASM | LOG_OP)),
        .guest_exe = o->guest_elf,
        .cpu_model = o->model->name,
        .max_insns = o->max_insns,
        .return_stack = tb_cache()->stubs.return_stack,
    };
    tcache_load(&t);
}

void exec_init(const ExecOptions *opts)
{
    exec_ctx.opts = *opts;
    if (!exec_ctx.opts.model) {
        exec_ctx.opts.model = cpu_model_default();
    }
    if (!exec_ctx.opts.max_insns || exec_ctx.opts.max_insns > TB_MAX_GUEST_INSNS) {
        exec_ctx.opts.max_insns = TB_MAX_GUEST_INSNS;
    }
    if (!tb_cache_init(exec_ctx.opts.code_cache_size)) {
        perror("ferry: cannot set up the code cache");
        exit(1);
    }
    pthread_atfork(exec_before_fork, exec_after_fork_parent, exec_child_after_fork);
    if (exec_ctx.opts.perfmap) {
        perfmap_init(exec_ctx.opts.guest_elf, exec_ctx.opts.guest_load_bias);
        code_buffer_show_to_perf(&tb_cache()->buf);
    }
    load_translation_file();
}

void exec_before_exit(void)
{
    tcache_save();
}

void exec_code_mapped(uint64_t start, uint64_t len)
{
    tcache_code_mapped(start, start + len);
}

/* ---- -d in_asm / out_asm ------------------------------------------------ */

static void log_guest_block(uint64_t pc, uint64_t end)
{
    ferry_log("IN:\n");
    if (end > pc) {
        disas_log(DISAS_GUEST_A64, g2h(pc), end - pc, pc);
    }
    ferry_log("\n");
}

static void log_host_block(const TranslationBlock *tb, const uint8_t *wcode)
{
    ferry_log("OUT: [guest 0x%016" PRIx64 ", %u insns, %u host bytes]\n",
              tb->pc, tb->n_insns, tb->code_size);
    disas_log(DISAS_HOST_X86_64, wcode, tb->code_size, tb->code);
    ferry_log("\n");
}

/* ---- translation -------------------------------------------------------- */

/*
 * Cross-block NZCV liveness.  A block's flags are stored to env at its end
 * only if a successor may read them first.  Each static successor (the
 * target of GOTO_TB, both sides of BRCOND/BRCMP) is decoded a few
 * instructions ahead into a scratch builder; NZCV is dead when every one of
 * them writes NZCV before any op reads it.  Indirect branches, exits to C,
 * unreadable code and look-aheads that end undecided count as readers.
 * The code looked at is recorded on the TB (tb->peek), so changing it
 * invalidates this block too (tb_invalidate_range).  Like flags that die
 * inside a block, dead flags are not kept exact for a fault or signal that
 * arrives before the successor overwrites them: a handler that returns
 * resumes into code that overwrites them.
 */
#define NZCV_PEEK_INSNS 8
/* A successor that ends before touching NZCV (a jump, a call, CBZ, the
 * instruction limit) is followed into its own successors, this many blocks
 * deep, as long as all the code looked at stays within NZCV_PEEK_SPAN bytes:
 * the TB records one range per successor, the smallest covering all of it. */
#define NZCV_PEEK_DEPTH 3
#define NZCV_PEEK_SPAN 256

static bool peek_range_fits(const struct TBPeek *r, uint64_t start, uint64_t end)
{
    uint64_t lo = r->end > r->start && r->start < start ? r->start : start;
    uint64_t hi = r->end > end ? r->end : end;
    return hi - lo <= NZCV_PEEK_SPAN;
}

static void peek_range_add(struct TBPeek *r, uint64_t start, uint64_t end)
{
    if (r->end <= r->start) {
        *r = (struct TBPeek){ start, end };
        return;
    }
    r->start = start < r->start ? start : r->start;
    r->end = end > r->end ? end : r->end;
}

/* Does the code at pc write NZCV before anything may read it?  Adds the code
 * looked at to *seen. */
static bool code_writes_nzcv_first(uint64_t pc, struct TBPeek *seen, int depth)
{
    IRBuilder *scratch = &exec_ctx.peek_builder;
    if (!a64_translate_block(scratch, pc, exec_ctx.opts.model, NZCV_PEEK_INSNS, false)) {
        return false;
    }
    if (!peek_range_fits(seen, pc, scratch->blk.guest_end)) {
        return false;
    }
    peek_range_add(seen, pc, scratch->blk.guest_end);
    for (uint32_t i = 0; i < scratch->blk.n_insns; i++) {
        uint16_t f = ir_op_info[scratch->blk.insns[i].op].flags;
        if (f & (IRF_RFLAGS | IRF_WFLAGS)) {
            return !(f & IRF_RFLAGS);
        }
    }
    /* no flag access: it depends on where the block goes next */
    if (depth <= 1 || scratch->blk.n_insns == 0) {
        return false;
    }
    const IRInsn *term = &scratch->blk.insns[scratch->blk.n_insns - 1];
    uint64_t next[2] = { term->imm, term->imm2 };
    int n = term->op == IR_GOTO_TB ? 1 : term->op == IR_BRCMP ? 2 : 0;
    if (n == 0) {
        return false;                   /* indirect branch or exit to C */
    }
    for (int i = 0; i < n; i++) {
        if (!code_writes_nzcv_first(next[i], seen, depth - 1)) {
            return false;
        }
    }
    return true;
}

static bool successor_writes_nzcv_first(uint64_t pc, struct TBPeek *peek)
{
    /* Many blocks share a successor (joins, loop heads, return points):
     * remember the answer until code may have changed (code_changes). */
    struct PeekMemo *m = &exec_ctx.peek_memo[(pc >> 2) % (sizeof exec_ctx.peek_memo / sizeof exec_ctx.peek_memo[0])];
    uint64_t stamp = tb_cache()->code_changes + 1;      /* + 1: an empty slot never matches */
    if (m->pc == pc && m->stamp == stamp) {
        *peek = m->seen;
        return m->writes;
    }
    struct TBPeek seen = { 0, 0 };
    bool writes = code_writes_nzcv_first(pc, &seen, NZCV_PEEK_DEPTH);
    *peek = seen;
    *m = (struct PeekMemo){ .pc = pc, .seen = seen, .stamp = stamp, .writes = writes };
    return writes;
}

static bool block_writes_nzcv(const IRBlock *blk)
{
    for (uint32_t i = 0; i < blk->n_insns; i++) {
        if (ir_op_info[blk->insns[i].op].flags & IRF_WFLAGS) {
            return true;
        }
    }
    return false;
}

static void decide_nzcv_at_end(IRBlock *blk, TranslationBlock *tb)
{
    /* a block that writes no flags leaves env's NZCV as it found it */
    if (blk->n_insns == 0 || !block_writes_nzcv(blk)) {
        return;
    }
    const IRInsn *term = &blk->insns[blk->n_insns - 1];
    uint64_t succ[2];
    int n = 0;
    if (term->op == IR_GOTO_TB) {
        succ[n++] = term->imm;
    } else if (term->op == IR_BRCOND || term->op == IR_BRCMP) {
        succ[n++] = term->imm;
        succ[n++] = term->imm2;
    }
    uint8_t live = 0;
    for (int i = 0; i < n; i++) {
        if (!successor_writes_nzcv_first(succ[i], &tb->peek[i])) {
            live |= 1u << i;
        }
    }
    bool dead = n > 0 && live == 0;
    blk->nzcv_dead_at_end = dead;
    blk->nzcv_live_succ = n == 2 ? live : 3;
    if (live == (n == 2 ? 3 : 1) || n == 0) {
        memset(tb->peek, 0, sizeof(tb->peek));   /* nothing was elided */
    }
}

/* Translate at most max_insns guest instructions at pc into b and lower
 * them into tb at the code cursor.  False if the code buffer overflowed. */
static bool tb_translate_into(TBCache *c, TranslationBlock *tb, uint64_t pc,
                              unsigned max_insns, IRBuilder *b)
{
    memset(tb, 0, sizeof(*tb));
    tb->insn_host_off = exec_ctx.insn_host_off;
    a64_translate_block(b, pc, exec_ctx.opts.model, max_insns, true);
    decide_nzcv_at_end(&b->blk, tb);
    ir_liveness(&b->blk);

    tb->pc = pc;
    tb->guest_end = b->blk.guest_end > pc ? b->blk.guest_end : pc + 4;
    tb->code = cb_exec_addr(&c->cb, c->cb.ptr);
    c->stubs.pending_entry_jcc = NULL;
    bool ok = backend_gen_block(&c->cb, &b->blk, tb);
    if (ok) {
        tb_stubs_finish_block(&c->cb, tb);
    }
    return ok && !c->cb.overflow;
}

/* Move the guest-instruction offsets from the scratch array to just after
 * the block's code (min_free_space leaves room for them). */
static void keep_insn_offsets(TBCache *c, TranslationBlock *tb)
{
    unsigned n = tb->n_insns < TB_MAX_GUEST_INSNS ? tb->n_insns : TB_MAX_GUEST_INSNS;
    if ((uintptr_t)c->cb.ptr & 1) {
        x86_int3(&c->cb);
    }
    size_t bytes = n * sizeof(uint16_t);
    if ((size_t)(c->cb.end - c->cb.ptr) < bytes) {
        tb->insn_host_off = NULL;
        return;
    }
    tb->insn_host_off = memcpy(c->cb.ptr, exec_ctx.insn_host_off, bytes);
    c->cb.ptr += bytes;
}

TranslationBlock *tb_translate_block(uint64_t pc, unsigned max_insns)
{
    TBCache *c = tb_cache();
    TranslationBlock *tb = tb_alloc();
    if (!tb) {
        return NULL;
    }
    uint8_t *wcode = c->cb.ptr;
    if (!exec_ctx.builders_ready) {
        ir_builder_init(&exec_ctx.builder, pc);
        ir_builder_init(&exec_ctx.peek_builder, pc);
        exec_ctx.builders_ready = true;
    }
    IRBuilder *b = &exec_ctx.builder;
    bool ok = tb_translate_into(c, tb, pc, max_insns, b);
    /* insn_host_off is 16 bits: a block with more code is halved */
    while (ok && c->cb.ptr - wcode > UINT16_MAX && b->blk.n_guest_insns > 1) {
        unsigned fewer = b->blk.n_guest_insns / 2;
        c->cb.ptr = wcode;
        ok = tb_translate_into(c, tb, pc, fewer, b);
    }
    if (ok) {
        tb->code_size = (uint32_t)(c->cb.ptr - wcode);
        keep_insn_offsets(c, tb);
        /* keep block starts 16-byte aligned for the front end */
        while (((uintptr_t)c->cb.ptr & 15) && c->cb.ptr < c->cb.end) {
            x86_int3(&c->cb);
        }
        if (perfmap_enabled()) {
            perfmap_add(tb->code, tb->code_size, pc);
        }
        if (log_enabled(LOG_IN_ASM)) {
            log_guest_block(pc, b->blk.guest_end);
        }
        if (log_enabled(LOG_OP)) {
            ir_dump(&b->blk, ferry_log_file);
        }
        if (log_enabled(LOG_OUT_ASM)) {
            log_host_block(tb, wcode);
        }
    }
    return ok ? tb : NULL;
}

/* Chain the new block's exits to targets that already exist. */
static void tb_link_existing_targets(TranslationBlock *tb)
{
    for (int slot = 0; slot < tb->n_exits; slot++) {
        TranslationBlock *to = tb_lookup(tb->exits[slot].target_pc);
        if (to) {
            tb_link(tb, slot, to);
        }
    }
}

/* A flush lets new code overwrite old, so it runs as an exclusive section
 * (tcg/exclusive.h): no other thread is inside translated code.  Skipped if
 * another thread flushed since generation `seen`. */
typedef struct FlushRequest {
    TBCache *c;
    uint64_t seen;
} FlushRequest;

static void flush_if_unchanged(void *opaque)
{
    FlushRequest *r = opaque;
    pthread_mutex_lock(&r->c->lock);
    if (r->c->generation == r->seen) {
        tb_flush_locked();
    }
    pthread_mutex_unlock(&r->c->lock);
}

bool exec_fz_possible(void)
{
    return __atomic_load_n(&exec_ctx.fz_possible, __ATOMIC_ACQUIRE);
}

void exec_note_fpcr(CPUState *env)
{
    if (!(env->fpcr & FPCR_FZ) || exec_fz_possible()) {
        return;
    }
    TBCache *c = tb_cache();
    pthread_mutex_lock(&c->lock);
    if (!exec_ctx.fz_possible) {
        exec_ctx.fz_unchecked_generation = c->generation;
        __atomic_store_n(&exec_ctx.fz_possible, true, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&c->lock);
    /* leave translated code at the next block end (the FPCR write ends its
     * block) so that cpu_exec drops the unchecked code first */
    __atomic_store_n(&env->interrupt_request, 1, __ATOMIC_SEQ_CST);
}

/* Drop the code translated before FPCR.FZ was first set (once). */
static void flush_unchecked_fp_code(CPUState *env)
{
    TBCache *c = tb_cache();
    if (exec_fz_possible() &&
        __atomic_load_n(&c->generation, __ATOMIC_ACQUIRE) == exec_ctx.fz_unchecked_generation) {
        FlushRequest req = { c, exec_ctx.fz_unchecked_generation };
        exclusive_run(env, flush_if_unchanged, &req);
    }
}

static void record_for_parent(uint64_t pc)
{
    ChildPcs *l = exec_ctx.parent_child_pcs;
    uint32_t i = __atomic_fetch_add(&l->n, 1, __ATOMIC_RELAXED);
    if (i < CHILD_PCS_MAX) {
        __atomic_store_n(&l->pc[i], pc, __ATOMIC_RELEASE);
    } else {
        exec_ctx.parent_child_pcs = NULL;   /* full: stop trying */
    }
}

/* The block for pc, not in the cache yet: from the translation file if it
 * has it, else translated now; inserted and chained to the blocks its
 * exits lead to.  NULL if the code cache is full. */
static TranslationBlock *obtain_block_locked(uint64_t pc)
{
    TranslationBlock *tb = tcache_adopt_locked(pc);
    if (!tb) {
        tb = tb_translate_block(pc, exec_ctx.opts.max_insns);
        if (!tb) {
            return NULL;
        }
        tb_insert(tb);
        tcache_note_translated(tb);
    }
    tb_link_existing_targets(tb);
    return tb;
}

/* Translate pc ahead of its execution, if it is executable guest code and
 * not translated yet.  False when the code cache is full. */
static bool translate_ahead(uint64_t pc)
{
    GuestExecRegion r;
    if (pc == 0 || (pc & 3) || tb_lookup(pc) || !guest_exec_region(pc, &r)) {
        return true;
    }
    TBCache *c = tb_cache();
    pthread_mutex_lock(&c->lock);
    TranslationBlock *tb = tb_lookup(pc);
    bool room = (size_t)(c->cb.end - c->cb.ptr) >= min_free_space(c);
    if (!tb && room) {
        tb = obtain_block_locked(pc);
    }
    pthread_mutex_unlock(&c->lock);
    return room && tb;
}

static void translate_what_children_did(void)
{
    ChildPcs *l = exec_ctx.own_child_pcs;
    if (!l) {
        void *p = mmap(NULL, sizeof(ChildPcs), PROT_READ | PROT_WRITE,
                       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        exec_ctx.own_child_pcs = p == MAP_FAILED ? NULL : p;
        exec_ctx.child_pcs_read = 0;
        return;
    }
    uint32_t n = __atomic_load_n(&l->n, __ATOMIC_ACQUIRE);
    if (n > CHILD_PCS_MAX) {
        n = CHILD_PCS_MAX;
    }
    for (; exec_ctx.child_pcs_read < n; exec_ctx.child_pcs_read++) {
        uint64_t pc = __atomic_load_n(&l->pc[exec_ctx.child_pcs_read], __ATOMIC_ACQUIRE);
        if (!translate_ahead(pc)) {
            break;
        }
    }
}

/* Before a fork: translate ahead, then freeze the code written so far
 * (tcg/tb.c) with the cache lock held until exec_after_fork_parent / the
 * child's exec_after_fork, so no thread changes the code during the fork. */
void exec_before_fork(void)
{
    if (!tb_cache()->pool) {
        return;
    }
    translate_what_children_did();
    pthread_mutex_lock(&tb_cache()->lock);
    tb_freeze_for_fork_locked();
}

void exec_after_fork_parent(void)
{
    if (tb_cache()->pool) {
        pthread_mutex_unlock(&tb_cache()->lock);
    }
}

static TranslationBlock *tb_gen_code(CPUState *env, uint64_t pc)
{
    TBCache *c = tb_cache();
    for (int attempt = 0;; attempt++) {
        pthread_mutex_lock(&c->lock);
        TranslationBlock *tb = tb_lookup(pc);      /* another thread may have won */
        if (!tb && (size_t)(c->cb.end - c->cb.ptr) >= min_free_space(c)) {
            tb = obtain_block_locked(pc);
            if (tb && exec_ctx.parent_child_pcs) {
                record_for_parent(pc);
            }
        }
        FlushRequest req = { c, c->generation };
        pthread_mutex_unlock(&c->lock);
        if (tb) {
            return tb;
        }
        if (attempt == 2) {
            fprintf(stderr, "ferry: the block at 0x%" PRIx64 " does not fit in the code cache\n", pc);
            abort();
        }
        exclusive_run(env, flush_if_unchanged, &req);
    }
}

/* ---- the dispatcher ----------------------------------------------------- */

static void log_cpu_state(const CPUState *env)
{
    for (int i = 0; i < 32; i++) {
        ferry_log("%s%02d=%016" PRIx64 "%s", i == 31 ? " SP" : "X", i, env->x[i],
                  (i & 3) == 3 ? "\n" : " ");
    }
    uint32_t nzcv = cpu_get_nzcv(env);
    ferry_log("PC=%016" PRIx64 " NZCV=%c%c%c%c\n", env->pc,
              nzcv & NZCV_N ? 'N' : '-', nzcv & NZCV_Z ? 'Z' : '-',
              nzcv & NZCV_C ? 'C' : '-', nzcv & NZCV_V ? 'V' : '-');
}

static TranslationBlock *tb_find(CPUState *env)
{
    TranslationBlock *tb = tb_lookup(env->pc);
    return tb ? tb : tb_gen_code(env, env->pc);
}

/* Point env at the inline table in use (it may have been replaced by the
 * larger one: tcg/tb.c).  Code probing the old one stays exact, and misses
 * there end in tb_indirect_fill, after which this runs again. */
static void use_current_indirect_table(CPUState *env, const TBCache *c)
{
    const IndirectEntry *t = __atomic_load_n(&c->indirect, __ATOMIC_ACQUIRE);
    env->indirect_table = (uintptr_t)t;
    env->indirect_mask = tb_indirect_pc_mask(tb_indirect_bits_of(c, t));
}

int cpu_exec(CPUState *env)
{
    TBCache *c = tb_cache();
    TranslationBlock *from = NULL;      /* direct exit waiting to be chained */
    int from_slot = 0;
    uint64_t from_gen = 0;
    bool fill_indirect = false;

    use_current_indirect_table(env, c);
    exclusive_cpu_enter(env);
    for (;;) {
        if (exclusive_requested()) {
            /* a flush is waiting: hold no TB across it */
            exclusive_park(env);
            from = NULL;
            fill_indirect = false;
        }
        if (__builtin_expect(exec_ctx.fz_possible, 0)) {
            flush_unchecked_fp_code(env);   /* `from` is then stale: see from_gen */
        }
        TranslationBlock *tb = tb_find(env);
        if (from || fill_indirect) {
            pthread_mutex_lock(&c->lock);
            if (from && from_gen == c->generation) {
                if (tb_exit_frozen(&from->exits[from_slot]) &&
                    ++c->frozen_visits >= FROZEN_VISITS_BEFORE_THAW) {
                    tb_thaw_locked();   /* then chain it: a private copy again */
                }
                tb_link(from, from_slot, tb);
            }
            if (fill_indirect) {
                tb_indirect_fill(tb);
                use_current_indirect_table(env, c);
            }
            pthread_mutex_unlock(&c->lock);
            from = NULL;
            fill_indirect = false;
        }
        if (log_enabled(LOG_EXEC)) {
            ferry_log("Trace: 0x%" PRIxPTR " [%016" PRIx64 "]\n", tb->code, tb->pc);
        }
        if (log_enabled(LOG_CPU)) {
            log_cpu_state(env);
        }

        uint64_t ret = c->stubs.enter(env, tb->code);

        if (ret >= TB_EXIT_CHAIN) {
            from = tb_from_index(tb_exit_token_index(ret));
            from_slot = tb_exit_token_slot(ret);
            from_gen = c->generation;
            env->pc = from->exits[from_slot].target_pc;
        } else if (ret == TB_EXIT_LOOKUP) {
            fill_indirect = true;
        } else {
            exclusive_cpu_leave(env);
            return (int)ret;
        }
    }
}
