/*
 * Private interface between the translation cache (tcg/tb.c), the execution
 * loop (tcg/exec.c) and the host-specific block-end code
 * (host/x86_64/tb-stubs.c).  Nothing outside these three includes it.
 */
#ifndef FERRY_TCG_TB_INTERNAL_H
#define FERRY_TCG_TB_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "host/x86_64/x86-encode.h"
#include "target/aarch64/cpu.h"
#include "tcg/code-buffer.h"
#include "tcg/tb.h"

/*
 * Values the epilogue returns to cpu_exec, in rax:
 *   1 .. 0x7f         an ExitReason (tcg/exec.h), handed to cpu_exec's caller
 *   TB_EXIT_LOOKUP    an indirect branch missed the inline table; env->pc
 *                     holds the target
 *   >= TB_EXIT_CHAIN  direct exit `slot` of the TB with pool index `idx`
 *                     left through its unchained stub: chain it
 */
enum {
    TB_EXIT_LOOKUP = 0x80,
    TB_EXIT_CHAIN = 0x100,
};
static inline uint32_t tb_exit_chain_token(uint32_t idx, int slot) { return TB_EXIT_CHAIN + (idx << 1) + (uint32_t)slot; }
static inline uint32_t tb_exit_token_index(uint64_t tok) { return (uint32_t)((tok - TB_EXIT_CHAIN) >> 1); }
static inline int tb_exit_token_slot(uint64_t tok) { return (int)((tok - TB_EXIT_CHAIN) & 1); }

/*
 * The inline indirect-branch table: direct-mapped, indexed by `bits` bits of
 * the guest PC from bit 2.  It starts small (a short-lived program touches
 * few of its pages) and is replaced by the large one once the process has
 * filled entries twice as many times as the small one has (tb.c); the code
 * reads the table and its mask from env.  An empty entry holds a pc that
 * hashes to a different entry (so no lookup can ever match it) and the code
 * address of nothing useful.
 */
#define TB_INDIRECT_BITS_SMALL 12
#define TB_INDIRECT_BITS 16
#define TB_INDIRECT_ENTRIES (1u << TB_INDIRECT_BITS)
typedef struct IndirectEntry {
    uint64_t pc;
    uintptr_t code;
} IndirectEntry;
static inline uint64_t tb_indirect_pc_mask(unsigned bits) { return (uint64_t)((1u << bits) - 1) << 2; }
static inline uint32_t tb_indirect_index(uint64_t pc, unsigned bits) { return (uint32_t)((pc & tb_indirect_pc_mask(bits)) >> 2); }
static inline uint64_t tb_indirect_empty_pc(uint32_t idx, unsigned bits) { return ((uint64_t)((idx + 1) & ((1u << bits) - 1)) << 2) | 1; }

/* Entry into translated code: the prologue's C signature. */
typedef uint64_t TBEnterFn(CPUState *env, uintptr_t code);

/* Addresses of the code generated once at init (host/x86_64/tb-stubs.c). */
typedef struct HostStubs {
    TBEnterFn *enter;               /* prologue */
    uintptr_t epilogue;             /* store pinned regs, return rax to C */
    IndirectEntry *indirect;        /* the inline table the lookups probe */
    uint8_t *pending_entry_jcc;     /* block entry's jne awaiting its stub */
    bool return_stack;              /* BL/BLR/RET use the host return stack
                                     * (FERRY_RETURN_STACK=1; off by default:
                                     * slower than the inline table on the
                                     * hosts measured, see tb-stubs.c) */
} HostStubs;

typedef struct TBHashTable TBHashTable;

/* The guest range a TB's code depends on (its own and the successors it
 * looked at), by pool index, packed so that invalidation scans 16 bytes per
 * TB instead of the TB; {0, 0} until the TB is inserted. */
typedef struct TBSpan {
    uint64_t lo, hi;
} TBSpan;

/* The one translation cache of the process. */
typedef struct TBCache {
    CodeBuffer buf;
    CodeBuf cb;                     /* emission cursor over buf */
    size_t code_start;              /* offset of the first TB (after the stubs) */
    HostStubs stubs;

    TranslationBlock *pool;         /* in code-address order */
    TBSpan *spans;                  /* by pool index */
    uint32_t n_tbs, max_tbs;
    TBHashTable *hash;              /* guest pc -> TB (tb.c) */
    IndirectEntry *indirect;        /* the table in use: small, then large */
    IndirectEntry *indirect_small, *indirect_large;
    uint32_t indirect_fills;        /* entries written into the small table */
    uint64_t lo_pc, hi_pc;          /* guest range covered by any TB since the flush */

    uint64_t generation;            /* bumped by every flush */
    uint64_t code_changes;          /* bumped by every flush and invalidation */
    pthread_mutex_t lock;           /* translation and every cache change */

    /* Code below this offset is shared with other processes since a fork
     * and never written (0: none); dispatcher visits through its unchained
     * exits so far (see tb.c, fork). */
    size_t frozen_end;
    uint32_t frozen_visits;
    /* A fork child that has not written code yet: the memory above the
     * frozen part is still the parent's (tb.c, tb_alloc). */
    bool shares_parent_code;
} TBCache;

TBCache *tb_cache(void);

/* Index bits of inline table t (one of the cache's two): derived from the
 * table itself, so one atomic read of TBCache.indirect gives a matching
 * table and size. */
static inline unsigned tb_indirect_bits_of(const TBCache *c, const IndirectEntry *t)
{
    return t == c->indirect_large ? TB_INDIRECT_BITS : TB_INDIRECT_BITS_SMALL;
}

/* tb.c */
bool tb_cache_init(size_t code_size);
TranslationBlock *tb_lookup(uint64_t pc);               /* lock-free */
TranslationBlock *tb_alloc(void);                       /* NULL when the pool is full */
void tb_insert(TranslationBlock *tb);
void tb_reserve_locked(uint32_t more);                  /* room for `more` inserts */
void tb_link(TranslationBlock *from, int slot, TranslationBlock *to);
void tb_indirect_fill(TranslationBlock *tb);
TranslationBlock *tb_from_index(uint32_t idx);
uint32_t tb_index_of(const TranslationBlock *tb);
void tb_flush_locked(void);
void tb_cache_after_fork(void);
void tb_freeze_for_fork_locked(void);
bool tb_thaw_locked(void);
bool tb_exit_frozen(const TBExit *e);

/* exec.c: translate and lower the block at pc (at most max_insns guest
 * instructions) into a fresh TB, not yet inserted.  NULL if the code buffer
 * or the TB pool ran out (the caller flushes and retries).  Caller holds
 * the lock. */
TranslationBlock *tb_translate_block(uint64_t pc, unsigned max_insns);

/* host/x86_64/tb-stubs.c */
void tb_stubs_generate(CodeBuf *cb, HostStubs *stubs, IndirectEntry *indirect);
/* After backend_gen_block: emit the out-of-line code the block still needs
 * (the interrupt exit of its entry check). */
void tb_stubs_finish_block(CodeBuf *cb, TranslationBlock *tb);

#endif
