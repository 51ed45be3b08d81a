/*
 * The translation cache: TranslationBlock storage, lookup by guest PC,
 * direct chaining of block exits, the inline indirect-branch table, range
 * invalidation, whole-cache flush, and host PC -> guest PC mapping.
 *
 * TBs live in one pool in the order their code was emitted, so the pool is
 * sorted by host code address (binary search for tb_host_pc_to_guest) and a
 * TB is named by its pool index in exit tokens.  Lookups are lock-free;
 * everything that changes the cache holds TBCache.lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tcg/exec.h"
#include "tcg/tb-internal.h"
#include "tcg/tcache.h"

#define TB_AVG_CODE_BYTES 64        /* sizes the pool: code size / this (blocks average ~120) */

static TBCache the_cache;

TBCache *tb_cache(void) { return &the_cache; }

/*
 * The lookup table: open addressing with linear probing over 8-byte slots
 * {tag, pool index + 1}, so a lookup that misses (most lookups made while
 * translating) reads one cache line and no TB.  The tag is bits of the pc
 * the slot index does not already encode; a tag match is confirmed against
 * the TB.  Slot value 0 is empty; a removed TB leaves a tombstone (index
 * part 0, tag non-zero).  The table grows (into a new one, published
 * atomically for the lock-free readers) at three-quarter load (a probe
 * still ends within a cache line or two, and fewer pages are touched than
 * at half load); an old table is
 * freed at the next flush, when no thread is inside a lookup.
 */
#define TB_HASH_MIN_BITS 12         /* 32 KiB: a small program touches few pages */
#define TB_HASH_TOMBSTONE ((uint64_t)1 << 32)

struct TBHashTable {
    uint32_t mask;
    uint32_t used;                  /* live slots and tombstones */
    TBHashTable *retired;           /* older tables, freed at the next flush */
    uint64_t slot[];
};

static uint64_t tb_hash_mix(uint64_t pc)
{
    return (pc >> 2) * 0x9e3779b97f4a7c15ull;
}

static uint32_t tb_hash_tag(uint64_t mix) { return (uint32_t)(mix >> 32) | 1; }

static TBHashTable *hash_table_new(unsigned bits)
{
    TBHashTable *t = calloc(1, sizeof(*t) + (sizeof(uint64_t) << bits));
    if (t) {
        t->mask = (1u << bits) - 1;
    }
    return t;
}

/* Index of the slot holding tb, or of the empty slot where it would go. */
static uint32_t hash_probe(const TBHashTable *t, uint64_t pc, uint32_t want_index1)
{
    uint64_t mix = tb_hash_mix(pc);
    uint64_t tagged = (uint64_t)tb_hash_tag(mix) << 32;
    for (uint32_t i = (uint32_t)mix & t->mask;; i = (i + 1) & t->mask) {
        uint64_t v = t->slot[i];
        if (v == 0 || v == (tagged | want_index1)) {
            return i;
        }
    }
}

static void hash_insert_slot(TBHashTable *t, const TranslationBlock *tb, uint32_t index1)
{
    uint64_t mix = tb_hash_mix(tb->pc);
    uint32_t i = hash_probe(t, tb->pc, index1);
    if (t->slot[i] == 0) {
        t->used++;
    }
    __atomic_store_n(&t->slot[i], (uint64_t)tb_hash_tag(mix) << 32 | index1, __ATOMIC_RELEASE);
}

/* A table of at least 2^min_bits slots with the live TBs of the old one. */
static void hash_grow_to(TBCache *c, unsigned min_bits)
{
    TBHashTable *old = c->hash;
    unsigned bits = 1;
    while ((1u << bits) <= old->mask) {
        bits++;
    }
    TBHashTable *t = hash_table_new(min_bits > bits + 1 ? min_bits : bits + 1);
    if (!t) {
        return;                             /* keep probing the full one */
    }
    for (uint32_t i = 0; i <= old->mask; i++) {
        uint32_t index1 = (uint32_t)old->slot[i];
        if (index1 && !c->pool[index1 - 1].invalid) {
            hash_insert_slot(t, &c->pool[index1 - 1], index1);
        }
    }
    t->retired = old;
    __atomic_store_n(&c->hash, t, __ATOMIC_RELEASE);
}

static void hash_grow(TBCache *c) { hash_grow_to(c, 0); }

void tb_reserve_locked(uint32_t more)
{
    TBCache *c = &the_cache;
    uint64_t want = ((uint64_t)c->hash->used + more) * 4 / 3 + 1;
    unsigned bits = TB_HASH_MIN_BITS;
    while (bits < 31 && (1ull << bits) < want) {
        bits++;
    }
    if ((1ull << bits) > (uint64_t)c->hash->mask + 1) {
        hash_grow_to(c, bits);
    }
}

static void hash_reset(TBCache *c)
{
    TBHashTable *t = c->hash;
    while (t->retired) {
        TBHashTable *r = t->retired;
        t->retired = r->retired;
        free(r);
    }
    memset(t->slot, 0, ((size_t)t->mask + 1) * sizeof(uint64_t));
    t->used = 0;
}

static void *map_anonymous(size_t size, bool noreserve)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | (noreserve ? MAP_NORESERVE : 0), -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

/*
 * Empty the inline table without touching its pages: an all-zero entry
 * {pc 0, code 0} can only be matched by a target of 0, and 0 hashes to
 * entry 0, so only entry 0 needs a real empty marker.  Zeroing through
 * MADV_DONTNEED costs no page faults at start-up or in a fork child.
 */
static void indirect_clear(IndirectEntry *table, unsigned bits, uintptr_t code)
{
    size_t bytes = ((size_t)1 << bits) * sizeof(IndirectEntry);
    if (madvise(table, bytes, MADV_DONTNEED) != 0) {
        memset(table, 0, bytes);
    }
    table[0].pc = tb_indirect_empty_pc(0, bits);
    table[0].code = code;
}

/* Empty both tables (the large one only once it is in use). */
static void indirect_clear_all(TBCache *c)
{
    indirect_clear(c->indirect_small, TB_INDIRECT_BITS_SMALL, c->stubs.epilogue);
    if (c->indirect == c->indirect_large) {
        indirect_clear(c->indirect_large, TB_INDIRECT_BITS, c->stubs.epilogue);
    }
}

static size_t page_up(size_t v) { return (v + 4095) & ~(size_t)4095; }

static void cursor_reset(TBCache *c, size_t offset)
{
    c->cb.start = c->buf.wbase;
    c->cb.ptr = c->buf.wbase + offset;
    c->cb.end = c->buf.wbase + c->buf.size;
    c->cb.exec_delta = code_buffer_exec_delta(&c->buf);
    c->cb.overflow = false;
}

bool tb_cache_init(size_t code_size)
{
    TBCache *c = &the_cache;
    if (!code_buffer_init(&c->buf, code_size)) {
        return false;
    }
    cursor_reset(c, 0);
    c->lo_pc = UINT64_MAX;
    c->hi_pc = 0;
    c->indirect_small = map_anonymous(((size_t)1 << TB_INDIRECT_BITS_SMALL) * sizeof(IndirectEntry), false);
    c->indirect_large = map_anonymous(TB_INDIRECT_ENTRIES * sizeof(IndirectEntry), true);
    c->indirect = c->indirect_small;
    c->max_tbs = (uint32_t)(c->buf.size / TB_AVG_CODE_BYTES);
    c->pool = map_anonymous((size_t)c->max_tbs * sizeof(TranslationBlock), true);
    c->spans = map_anonymous((size_t)c->max_tbs * sizeof(TBSpan), true);
    c->hash = hash_table_new(TB_HASH_MIN_BITS);
    if (!c->indirect_small || !c->indirect_large || !c->pool || !c->spans || !c->hash) {
        return false;
    }
    pthread_mutex_init(&c->lock, NULL);

    tb_stubs_generate(&c->cb, &c->stubs, c->indirect);
    if (c->cb.overflow) {
        return false;
    }
    indirect_clear(c->indirect_small, TB_INDIRECT_BITS_SMALL, c->stubs.epilogue);
    /* the stubs get pages of their own: a flush after a fork replaces
     * the pages from code_start on (see tb_flush_locked) */
    c->code_start = page_up(cb_offset(&c->cb));
    cursor_reset(c, c->code_start);
    return true;
}

TranslationBlock *tb_lookup(uint64_t pc)
{
    TBCache *c = &the_cache;
    const TBHashTable *t = __atomic_load_n(&c->hash, __ATOMIC_ACQUIRE);
    uint64_t mix = tb_hash_mix(pc);
    uint32_t tag = tb_hash_tag(mix);
    for (uint32_t i = (uint32_t)mix & t->mask;; i = (i + 1) & t->mask) {
        uint64_t v = __atomic_load_n(&t->slot[i], __ATOMIC_ACQUIRE);
        if (v == 0) {
            return NULL;
        }
        if ((uint32_t)(v >> 32) == tag && (uint32_t)v != 0) {
            TranslationBlock *tb = &c->pool[(uint32_t)v - 1];
            if (tb->pc == pc && !__atomic_load_n(&tb->invalid, __ATOMIC_ACQUIRE)) {
                return tb;
            }
        }
    }
}

/* A fork child about to write its first code: the memory above the
 * frozen part, still the parent's, is replaced by its own. */
static void own_code_memory(TBCache *c)
{
    if (!c->shares_parent_code) {
        return;
    }
    if (!code_buffer_fresh_range(&c->buf, c->frozen_end ? c->frozen_end : c->code_start)) {
        fprintf(stderr, "ferry: cannot set up a code cache after fork\n");
        abort();
    }
    c->shares_parent_code = false;
}

TranslationBlock *tb_alloc(void)
{
    TBCache *c = &the_cache;
    if (c->n_tbs >= c->max_tbs) {
        return NULL;
    }
    own_code_memory(c);
    TranslationBlock *tb = &c->pool[c->n_tbs];
    memset(tb, 0, sizeof(*tb));
    c->spans[c->n_tbs] = (TBSpan){ 0, 0 };
    __atomic_store_n(&c->n_tbs, c->n_tbs + 1, __ATOMIC_RELEASE);
    return tb;
}

TranslationBlock *tb_from_index(uint32_t idx) { return idx < the_cache.n_tbs ? &the_cache.pool[idx] : NULL; }
uint32_t tb_index_of(const TranslationBlock *tb) { return (uint32_t)(tb - the_cache.pool); }

void tb_insert(TranslationBlock *tb)
{
    TBCache *c = &the_cache;
    if ((c->hash->used + 1) * 4 > (c->hash->mask + 1) * 3) {
        hash_grow(c);
    }
    hash_insert_slot(c->hash, tb, tb_index_of(tb) + 1);
    TBSpan span = { tb->pc, tb->guest_end };
    for (int i = 0; i < 2; i++) {
        if (tb->peek[i].end > tb->peek[i].start) {
            span.lo = tb->peek[i].start < span.lo ? tb->peek[i].start : span.lo;
            span.hi = tb->peek[i].end > span.hi ? tb->peek[i].end : span.hi;
        }
    }
    c->spans[tb_index_of(tb)] = span;
    c->lo_pc = span.lo < c->lo_pc ? span.lo : c->lo_pc;
    c->hi_pc = span.hi > c->hi_pc ? span.hi : c->hi_pc;
}

/* Does tb's code, or code it was translated to rely on, meet [start, end)? */
static bool tb_overlaps(const TranslationBlock *tb, uint64_t start, uint64_t end)
{
    if (tb->pc < end && tb->guest_end > start) {
        return true;
    }
    for (int i = 0; i < 2; i++) {
        if (tb->peek[i].start < end && tb->peek[i].end > start) {
            return true;
        }
    }
    return false;
}

bool tb_exit_frozen(const TBExit *e)
{
    return e->jmp_disp && e->jmp_disp < the_cache.buf.wbase + the_cache.frozen_end;
}

void tb_link(TranslationBlock *from, int slot, TranslationBlock *to)
{
    TBExit *e = &from->exits[slot];
    if (from->invalid || to->invalid || e->linked || !e->jmp_disp || e->target_pc != to->pc ||
        tb_exit_frozen(e)) {
        return;
    }
    x86_patch_rel32(the_cache.cb.exec_delta, e->jmp_disp, to->code);
    e->linked = to;
    e->next_incoming = to->incoming;
    to->incoming = e;
}

/* Point every chained jump into tb back at its own exit stub. */
static void tb_unchain_incoming(TranslationBlock *tb)
{
    TBExit *next;
    for (TBExit *e = tb->incoming; e; e = next) {
        next = e->next_incoming;
        if (e->linked == tb) {
            x86_patch_rel32(the_cache.cb.exec_delta, e->jmp_disp, e->stub);
            e->linked = NULL;
        }
        e->next_incoming = NULL;
    }
    tb->incoming = NULL;
}

/* Write an entry so that a concurrent reader never pairs a matching pc
 * with another block's code: park the pc on the empty marker first. */
static void indirect_set(IndirectEntry *e, uint64_t parked_pc, uint64_t pc, uintptr_t code)
{
    __atomic_store_n(&e->pc, parked_pc, __ATOMIC_RELEASE);
    __atomic_store_n(&e->code, code, __ATOMIC_RELEASE);
    __atomic_store_n(&e->pc, pc, __ATOMIC_RELEASE);
}

/* Move to the large table once the small one has been filled twice over:
 * a program with that many indirect targets would keep evicting them.
 * Threads in translated code go on with the small one until they next
 * pass the dispatcher (cpu_exec reads table and mask from here); both are
 * kept exact on invalidation. */
static void indirect_maybe_grow(TBCache *c)
{
    if (c->indirect == c->indirect_small && ++c->indirect_fills > (2u << TB_INDIRECT_BITS_SMALL)) {
        indirect_clear(c->indirect_large, TB_INDIRECT_BITS, c->stubs.epilogue);
        __atomic_store_n(&c->indirect, c->indirect_large, __ATOMIC_RELEASE);
    }
}

void tb_indirect_fill(TranslationBlock *tb)
{
    TBCache *c = &the_cache;
    indirect_maybe_grow(c);
    IndirectEntry *table = c->indirect;
    unsigned bits = tb_indirect_bits_of(c, table);
    uint32_t idx = tb_indirect_index(tb->pc, bits);
    if (!tb->invalid) {
        indirect_set(&table[idx], tb_indirect_empty_pc(idx, bits), tb->pc, tb->code);
    }
}

/* Empty tb's entry in `table`, if it holds tb. */
static void indirect_forget(IndirectEntry *table, unsigned bits, const TranslationBlock *tb, uintptr_t epilogue)
{
    uint32_t idx = tb_indirect_index(tb->pc, bits);
    IndirectEntry *e = &table[idx];
    if (e->pc == tb->pc && e->code == tb->code) {
        uint64_t empty = tb_indirect_empty_pc(idx, bits);
        indirect_set(e, empty, empty, epilogue);
    }
}

static void tb_hash_remove(TBCache *c, TranslationBlock *tb)
{
    TBHashTable *t = c->hash;
    uint32_t i = hash_probe(t, tb->pc, tb_index_of(tb) + 1);
    if (t->slot[i] != 0) {
        __atomic_store_n(&t->slot[i], TB_HASH_TOMBSTONE, __ATOMIC_RELEASE);
    }
}

static void tb_invalidate_one(TBCache *c, TranslationBlock *tb)
{
    __atomic_store_n(&tb->invalid, true, __ATOMIC_RELEASE);
    tcache_forget(tb);
    tb_hash_remove(c, tb);
    indirect_forget(c->indirect_small, TB_INDIRECT_BITS_SMALL, tb, c->stubs.epilogue);
    if (c->indirect == c->indirect_large) {
        indirect_forget(c->indirect_large, TB_INDIRECT_BITS, tb, c->stubs.epilogue);
    }
    tb_unchain_incoming(tb);
    /* Its own outgoing links stay: nothing can enter it any more, and a
     * target that is invalidated later re-points them harmlessly. */
}

void tb_invalidate_range(uint64_t start, uint64_t len)
{
    TBCache *c = &the_cache;
    if (len == 0 || !c->pool) {
        return;
    }
    uint64_t end = start + len < start ? UINT64_MAX : start + len;
    pthread_mutex_lock(&c->lock);
    c->code_changes++;
    tcache_code_changed(start, end);
    if (end <= c->lo_pc || start >= c->hi_pc) {
        pthread_mutex_unlock(&c->lock);
        return;
    }
    for (uint32_t i = 0; i < c->n_tbs; i++) {
        TranslationBlock *tb = &c->pool[i];
        if (c->spans[i].lo < end && c->spans[i].hi > start && !tb->invalid && tb_overlaps(tb, start, end)) {
            if (c->frozen_end && !tb_thaw_locked()) {
                fprintf(stderr, "ferry: cannot copy the shared code buffer\n");
                abort();
            }
            tb_invalidate_one(c, tb);
        }
    }
    pthread_mutex_unlock(&c->lock);
}

void tb_flush_locked(void)
{
    TBCache *c = &the_cache;
    if (c->frozen_end) {
        /* other processes run the frozen code: write the new code into
         * fresh memory of this process's own */
        if (!code_buffer_fresh_range(&c->buf, c->code_start)) {
            fprintf(stderr, "ferry: cannot replace the shared code buffer\n");
            abort();
        }
        c->frozen_end = 0;
        c->frozen_visits = 0;
        c->shares_parent_code = false;
    }
    __atomic_store_n(&c->n_tbs, 0, __ATOMIC_RELEASE);
    hash_reset(c);
    indirect_clear_all(c);
    cursor_reset(c, c->code_start);
    c->lo_pc = UINT64_MAX;
    c->hi_pc = 0;
    c->generation++;
    c->code_changes++;
}

void tb_flush_all(void)
{
    TBCache *c = &the_cache;
    if (!c->pool) {
        return;
    }
    pthread_mutex_lock(&c->lock);
    tb_flush_locked();
    pthread_mutex_unlock(&c->lock);
}

/*
 * fork.  The code buffer is shared memory, so after a fork parent and child
 * would write into each other's code.  Instead of copying it, the code
 * written so far is frozen at the fork (tb_freeze_for_fork_locked, with the
 * lock held across the fork): neither process writes there again -- no
 * chaining of its exits (tb_exit_frozen), and a process that must
 * invalidate a block there, or that keeps coming back to the dispatcher
 * through frozen exits, first takes a private copy (tb_thaw_locked).  Each
 * process writes new code above the frozen part: the parent into the memory
 * it has, the child into fresh memory that replaces it there once it
 * first translates (tb_alloc: a child that only runs
 * code it inherited, as a shell's subshells do, never pays for the
 * mapping), and a flush replaces all but the stubs.  Both keep every
 * translation: the TB pool, hash and tables are private memory.
 */
void tb_freeze_for_fork_locked(void)
{
    TBCache *c = &the_cache;
    if (!c->pool) {
        return;
    }
    size_t end = page_up(cb_offset(&c->cb));
    if (end > c->buf.size) {
        end = c->buf.size;
    }
    c->cb.ptr = c->buf.wbase + end;
    c->frozen_end = end;
}

bool tb_thaw_locked(void)
{
    TBCache *c = &the_cache;
    if (!c->frozen_end) {
        return true;
    }
    if (!code_buffer_unshare(&c->buf, cb_offset(&c->cb))) {
        return false;
    }
    c->frozen_end = 0;
    c->frozen_visits = 0;
    c->shares_parent_code = false;
    return true;
}

void tb_cache_after_fork(void)
{
    TBCache *c = &the_cache;
    if (!c->pool || c->buf.owner == getpid()) {
        return;
    }
    pthread_mutex_init(&c->lock, NULL);     /* held by the parent across the fork */
    c->shares_parent_code = true;
}

uint64_t tb_guest_pc_at(const TranslationBlock *tb, uint32_t off)
{
    uint32_t i = 0;
    while (tb->insn_host_off && i + 1 < tb->n_insns && tb->insn_host_off[i + 1] <= off) {
        i++;
    }
    return tb->pc + 4ull * i;
}

const TranslationBlock *tb_at_host_pc(uintptr_t host_pc)
{
    TBCache *c = &the_cache;
    if (!c->pool || !code_buffer_contains_exec(&c->buf, host_pc)) {
        return NULL;
    }
    uint32_t lo = 0, hi = __atomic_load_n(&c->n_tbs, __ATOMIC_ACQUIRE);
    /* last TB whose code starts at or below host_pc */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (c->pool[mid].code <= host_pc) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo == 0) {
        return NULL;
    }
    const TranslationBlock *tb = &c->pool[lo - 1];
    return host_pc < tb->code + tb->code_size ? tb : NULL;
}

bool tb_host_pc_to_guest(uintptr_t host_pc, uint64_t *guest_pc)
{
    const TranslationBlock *tb = tb_at_host_pc(host_pc);
    if (!tb) {
        return false;
    }
    *guest_pc = tb_guest_pc_at(tb, (uint32_t)(host_pc - tb->code));
    return true;
}
