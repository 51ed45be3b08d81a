/*
 * The translation cache on disk.  A run of a program leaves its code
 * buffer, with a record per block, in a file named after the program and
 * ferry's build; the next run reads it back into the same place in its
 * own code buffer, so a block it finds there runs without being translated.
 *
 * Why the bytes can simply be reused: translated code depends only on the
 * guest code it was made from (and the successors the translator looked at
 * to decide NZCV's liveness), the guest addresses (guest memory is mapped
 * 1:1), the options and host features (part of the file's key), and the
 * distance between the code buffer and ferry's text (host/x86_64 names
 * ferry's functions and tables RIP-relative; the buffer is placed at a
 * fixed distance from the text).  Exit tokens name blocks by pool index,
 * so the blocks keep their indices.
 *
 * What is checked before a block is used: its guest range and the
 * successor ranges it looked at are executable now and hash to what they
 * hashed to when it was translated -- except in the program's own
 * segments right after loading, which hold the very file the translation
 * file is named after.  Blocks whose code is already mapped when the file
 * is loaded (the program, its interpreter, the vDSO) are made live right
 * away, in file order, and their exits chained as they were, so they run
 * without a trip through the dispatcher; blocks of code mapped later
 * (shared libraries) when the guest maps it executable, or at the first
 * miss at their pc (tcache_adopt_locked).  Until then a loaded block is
 * only its record (in the file, mapped) and a pool entry with its code
 * address, marked invalid and unreachable.
 *
 * The file's layout, name, checks, writing and clean-up: tcache-file.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib.h>
#include <link.h>

#include "host/x86_64/host-cpu.h"
#include "linux-user/guest-mem.h"
#include "linux-user/log.h"
#include "tcg/exec.h"
#include "tcg/perfmap.h"
#include "tcg/tb-internal.h"
#include "tcg/tcache.h"
#include "tcg/tcache-file.h"

extern char __executable_start[];

/* Ranges of guest code known to hold the bytes the file's blocks were
 * translated from (see adopt_mapped_blocks). */
typedef struct Trusted {
    uint64_t range[8][2];
    size_t n;
} Trusted;

typedef struct TCache {
    bool enabled;
    char *path;                 /* the program's file */
    uint64_t key;
    pid_t owner;                /* the process that loaded it (forks do not save) */
    uint64_t generation;        /* the cache generation the loaded blocks belong to */
    uint64_t *guest_hash;       /* by pool index: what each block was made from */
    const TCacheRecord *records;    /* the loaded file's, by pool index (mapped) */
    uint32_t n_loaded;
    uint64_t loaded_code_end;   /* buffer offset where the file's code ends */
    uint32_t *waiting;          /* loaded blocks whose code was not mapped at load */
    uint32_t n_waiting;
    uint32_t *pending;          /* open addressing by pc: pool index + 1 of loaded blocks */
    uint32_t pending_mask;
    bool file_found;
    /* The program's own executable segments as the loader mapped them
     * from its file, and whether code there changed since (this run, or a
     * run the loaded file records: TCACHE_OWN_TEXT_CHANGED). */
    Trusted own_text;
    bool own_text_changed;
    TCacheStats stats;
} TCache;

static TCache tcache;

/* ---- hashing --------------------------------------------------------------- */

/* Is [start, end) executable guest code right now?  The last region
 * looked up is kept (blocks come mostly from a few big ones). */
static bool executable(uint64_t start, uint64_t end)
{
    static __thread GuestExecRegion r;
    while (start < end) {
        if (!guest_exec_region_cached(start, &r)) {
            return false;
        }
        start = r.end;
    }
    return true;
}

typedef struct HashJob {
    uint64_t pc, end;
    const struct TBPeek *peek;
    uint64_t h;
} HashJob;

static void hash_guest_code(void *opaque)
{
    HashJob *j = opaque;
    j->h = hash_bytes(mix64(0x6665727279ull, j->pc), g2h(j->pc), j->end - j->pc);
    for (int i = 0; i < 2; i++) {
        if (j->peek[i].end > j->peek[i].start) {
            j->h = hash_bytes(mix64(j->h, j->peek[i].start), g2h(j->peek[i].start),
                              j->peek[i].end - j->peek[i].start);
        }
    }
    j->h |= 1;
}

/* The hash of the guest code a block was made from, or 0 if any of it is
 * not executable (a block that only raises a fetch fault) or cannot be read
 * (a page of a file mapping past the end of the file: this run may map
 * another, shorter file where the block's came from). */
static uint64_t guest_code_hash(uint64_t pc, uint64_t guest_end, const struct TBPeek peek[2])
{
    if (guest_end <= pc || !executable(pc, guest_end)) {
        return 0;
    }
    for (int i = 0; i < 2; i++) {
        if (peek[i].end > peek[i].start && !executable(peek[i].start, peek[i].end)) {
            return 0;
        }
    }
    HashJob j = { pc, guest_end, peek, 0 };
    return guest_read_guarded(hash_guest_code, &j) ? j.h : 0;
}

/* ---- loading -------------------------------------------------------------------- */

static TranslationBlock *pool_at(uint32_t idx) { return &tb_cache()->pool[idx]; }

static void pending_insert(uint32_t idx)
{
    uint64_t pc = tcache.records[idx].pc;
    for (uint32_t i = (uint32_t)mix64(0, pc) & tcache.pending_mask;; i = (i + 1) & tcache.pending_mask) {
        uint32_t v = tcache.pending[i];
        if (v == 0 || tcache.records[v - 1].pc == pc) {
            tcache.pending[i] = idx + 1;
            return;
        }
    }
}

/* Pool index of the loaded block for pc still waiting to be used, or -1. */
static int64_t pending_find(uint64_t pc)
{
    for (uint32_t i = (uint32_t)mix64(0, pc) & tcache.pending_mask;; i = (i + 1) & tcache.pending_mask) {
        uint32_t v = tcache.pending[i];
        if (v == 0) {
            return -1;
        }
        if (tcache.records[v - 1].pc == pc) {
            return tcache.guest_hash[v - 1] ? (int64_t)(v - 1) : -1;
        }
    }
}

/* Pool entry idx from its record, still unreachable (invalid), its exits
 * pointing at their own stubs again. */
static void restore_block(TBCache *c, uint32_t idx, const TCacheRecord *r)
{
    TranslationBlock *tb = pool_at(idx);
    tb->pc = r->pc;
    tb->guest_end = r->guest_end;
    tb->code = (uintptr_t)c->buf.xbase + r->code_off;
    tb->code_size = r->code_size;
    tb->n_insns = r->n_insns;
    tb->n_exits = r->n_exits;
    tb->insn_host_off = r->insn_off_off ? (uint16_t *)(c->buf.wbase + r->insn_off_off) : NULL;
    tb->incoming = NULL;
    tb->invalid = true;
    tb->borrowed = r->borrowed;
    memcpy(tb->peek, r->peek, sizeof tb->peek);
    for (int i = 0; i < r->n_exits; i++) {
        TBExit *e = &tb->exits[i];
        e->linked = NULL;
        e->next_incoming = NULL;
        e->target_pc = r->exits[i].target_pc;
        e->stub = (uintptr_t)c->buf.xbase + r->exits[i].stub_off;
        if (r->exits[i].disp_off) {
            e->jmp_disp = c->buf.wbase + r->exits[i].disp_off;
            x86_patch_rel32(c->cb.exec_delta, e->jmp_disp, e->stub);
        }
    }
}

/* The file's code into the buffer and its blocks into the pool, each as
 * just its code address (for tb_host_pc_to_guest) until adopted; NULL, or
 * why the file is not usable (then nothing changed that matters).  The
 * header and records stay mapped. */
static const char *load_file(TBCache *c, int fd)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || (size_t)st.st_size < sizeof(TCacheHeader)) {
        return "unreadable";
    }
    const TCacheHeader *h = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (h == MAP_FAILED) {
        return "unreadable";
    }
    TCacheFit fit = {
        .key = tcache.key,
        .text_to_code = (uint64_t)((uintptr_t)c->buf.xbase - (uintptr_t)__executable_start),
        .code_start = c->code_start,
        .buf_size = c->buf.size,
        .max_records = c->max_tbs,
    };
    const char *refusal = tcache_header_refusal(h, &fit, st.st_size);
    const TCacheRecord *rec = (const TCacheRecord *)(h + 1);
    size_t rec_bytes = (size_t)h->n_records * sizeof(TCacheRecord);
    if (!refusal) {
        memory_populate((void *)h, sizeof *h + rec_bytes, false);
        refusal = tcache_records_checksum(*h, rec, h->n_records) == h->checksum ? NULL : "damaged (records)";
    }
    for (uint32_t i = 1; !refusal && i < h->n_records; i++) {
        if (rec[i].code_off < rec[i - 1].code_off) {
            refusal = "damaged (order)";
        }
    }
    size_t code_bytes = refusal ? 0 : h->code_end - h->code_start;
    if (!refusal) {
        memory_populate(c->buf.wbase + h->code_start, code_bytes, true);
        if (!tcache_read_all(fd, c->buf.wbase + h->code_start, code_bytes, (off_t)(sizeof *h + rec_bytes))) {
            refusal = "unreadable";
        }
    }
    if (refusal) {
        munmap((void *)h, (size_t)st.st_size);
        return refusal;
    }
    uint32_t slots = 16;
    while (slots < 2 * h->n_records) {
        slots *= 2;
    }
    tcache.records = rec;
    tcache.n_loaded = h->n_records;
    tcache.own_text_changed |= (h->flags & TCACHE_OWN_TEXT_CHANGED) != 0;
    tcache.loaded_code_end = h->code_end;
    tcache.pending = g_malloc0(slots * sizeof(uint32_t));
    tcache.pending_mask = slots - 1;
    /* one call instead of a page fault per 4 KiB of entries */
    memory_populate(c->pool, (size_t)h->n_records * sizeof(TranslationBlock), true);
    memory_populate(tcache.guest_hash, (size_t)h->n_records * sizeof(uint64_t), true);
    for (uint32_t i = 0; i < h->n_records; i++) {
        TranslationBlock *tb = pool_at(i);
        tb->code = (uintptr_t)c->buf.xbase + rec[i].code_off;
        tb->code_size = rec[i].code_size;
        tb->invalid = true;
        tcache.guest_hash[i] = rec[i].guest_hash;
        if (rec[i].guest_hash) {
            pending_insert(i);
            tcache.stats.loaded++;
        }
    }
    __atomic_store_n(&c->n_tbs, h->n_records, __ATOMIC_RELEASE);
    c->cb.ptr = c->buf.wbase + h->code_end;
    memory_populate(c->buf.xbase + h->code_start, code_bytes, false);
    return NULL;
}

/* ---- the key: what else translations depend on ------------------------------------ */

static int find_build_id(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    uint64_t *h = data;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
        if (ph->p_type != PT_NOTE) {
            continue;
        }
        const uint8_t *p = (const uint8_t *)(info->dlpi_addr + ph->p_vaddr), *end = p + ph->p_memsz;
        while (p + sizeof(ElfW(Nhdr)) <= end) {
            const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)p;
            const uint8_t *desc = p + sizeof *n + ((n->n_namesz + 3) & ~3u);
            if (n->n_type == NT_GNU_BUILD_ID && desc + n->n_descsz <= end) {
                *h = hash_bytes(*h, desc, n->n_descsz) | 1;
                return 1;
            }
            p = desc + ((n->n_descsz + 3) & ~3u);
        }
    }
    return 1;       /* the first object is ferry itself: stop there */
}

/* ferry's build (its build ID, else its file's identity) and the host
 * features the backend chose code by. */
static uint64_t build_and_host_key(void)
{
    uint64_t h = 0;
    dl_iterate_phdr(find_build_id, &h);
    if (!h) {
        struct stat st;
        if (stat("/proc/self/exe", &st) != 0) {
            return 0;
        }
        h = mix64(mix64(mix64(1, (uint64_t)st.st_ino), (uint64_t)st.st_size),
                  (uint64_t)st.st_mtim.tv_sec * 1000000000ull + (uint64_t)st.st_mtim.tv_nsec);
    }
    return hash_bytes(h, host_cpu(), sizeof(HostCpu));
}

/* Make a checked block live. */
static void go_live(uint32_t idx)
{
    TranslationBlock *tb = pool_at(idx);
    __atomic_store_n(&tb->invalid, false, __ATOMIC_RELEASE);
    tb_insert(tb);
    if (perfmap_enabled()) {
        perfmap_add(tb->code, tb->code_size, tb->pc);
    }
    tcache.stats.adopted++;
}

static bool trusted_range(const Trusted *t, uint64_t start, uint64_t end)
{
    for (size_t i = 0; t && i < t->n; i++) {
        if (start >= t->range[i][0] && end <= t->range[i][1]) {
            return true;
        }
    }
    return false;
}

static bool trusted_block(const Trusted *t, const TCacheRecord *r)
{
    if (!trusted_range(t, r->pc, r->guest_end)) {
        return false;
    }
    for (int i = 0; i < 2; i++) {
        if (r->peek[i].end > r->peek[i].start && !trusted_range(t, r->peek[i].start, r->peek[i].end)) {
            return false;
        }
    }
    return true;
}

/* Check loaded block idx against the guest code mapped now and make it
 * live: true if it went live, false if not (its code is not mapped yet --
 * then it stays waiting -- or differs: then it is dropped).  Code inside
 * `trusted` is not read again. */
static bool try_adopt(TBCache *c, uint32_t idx, const Trusted *trusted, bool *still_waiting)
{
    const TCacheRecord *r = &tcache.records[idx];
    *still_waiting = false;
    if (!tcache.guest_hash[idx] || !pool_at(idx)->invalid) {
        return false;
    }
    if (!tcache_record_sane(r, c->code_start, tcache.loaded_code_end)) {
        tcache.guest_hash[idx] = 0;
        return false;
    }
    uint64_t h = trusted_block(trusted, r) ? tcache.guest_hash[idx]
                                          : guest_code_hash(r->pc, r->guest_end, r->peek);
    if (h == 0) {
        *still_waiting = true;          /* not mapped (yet) */
        return false;
    }
    if (h != tcache.guest_hash[idx]) {
        tcache.guest_hash[idx] = 0;
        tcache.stats.rejected++;
        return false;
    }
    restore_block(c, idx, r);
    go_live(idx);
    return true;
}

/* Chain the exits of the live blocks among list[0..n) the way the run
 * that wrote the file had chained them, where the target is live too (an
 * exit that run never took stays unchained until it is). */
static void chain_exits(const uint32_t *list, uint32_t n)
{
    uint32_t n_tbs = tb_cache()->n_tbs;
    for (uint32_t k = 0; k < n; k++) {
        TranslationBlock *tb = pool_at(list[k]);
        const TCacheRecord *r = &tcache.records[list[k]];
        for (int slot = 0; !tb->invalid && slot < tb->n_exits; slot++) {
            uint32_t to = r->exits[slot].linked;
            if (to && to - 1 < n_tbs && !pool_at(to - 1)->invalid &&
                pool_at(to - 1)->pc == tb->exits[slot].target_pc) {
                tb_link(tb, slot, pool_at(to - 1));
            }
        }
    }
}

/* Right after loading: every block whose code is mapped now is checked and
 * made live, then their exits are chained to each other; the rest wait for
 * their code to be mapped (tcache_code_mapped) or their first miss.  The
 * program's own executable segments hold exactly its file's bytes now --
 * the loader has just mapped them and no guest code has run -- and the
 * translation file's name covers that file's identity, change time
 * included: blocks there are used without reading their code -- unless a
 * run that wrote the file changed that code as it ran (a program patching
 * its own text: its blocks there were made from the patched bytes). */
static void adopt_mapped_blocks(TBCache *c)
{
    uint32_t n = tcache.n_loaded, n_live = 0;
    uint32_t *live = g_new(uint32_t, n + 1);
    const Trusted *trusted = tcache.own_text_changed ? NULL : &tcache.own_text;
    tb_reserve_locked(n);
    tcache.waiting = g_new(uint32_t, n + 1);
    for (uint32_t i = 0; i < n; i++) {
        bool waits;
        if (try_adopt(c, i, trusted, &waits)) {
            live[n_live++] = i;
        } else if (waits) {
            tcache.waiting[tcache.n_waiting++] = i;
        }
    }
    chain_exits(live, n_live);
    g_free(live);
}

void tcache_code_mapped(uint64_t start, uint64_t end)
{
    TBCache *c = tb_cache();
    if (!tcache.n_waiting) {
        return;
    }
    pthread_mutex_lock(&c->lock);
    if (c->generation != tcache.generation) {
        tcache.n_waiting = 0;
    }
    uint32_t kept = 0, n_live = 0;
    uint32_t *live = g_new(uint32_t, tcache.n_waiting + 1);
    for (uint32_t k = 0; k < tcache.n_waiting; k++) {
        uint32_t idx = tcache.waiting[k];
        const TCacheRecord *r = &tcache.records[idx];
        bool waits = tcache.guest_hash[idx] && pool_at(idx)->invalid;
        if (waits && r->pc >= start && r->pc < end) {
            if (try_adopt(c, idx, NULL, &waits)) {
                live[n_live++] = idx;
            }
        }
        if (waits) {
            tcache.waiting[kept++] = idx;
        }
    }
    tcache.n_waiting = kept;
    chain_exits(live, n_live);
    g_free(live);
    pthread_mutex_unlock(&c->lock);
}

/* ---- the interface ---------------------------------------------------------------- */

void tcache_load(const TCacheOptions *opts)
{
    TBCache *c = tb_cache();
    if (opts->off || c->n_tbs != 0) {
        return;
    }
    uint64_t host_key = build_and_host_key();
    char *dir = opts->dir ? g_strdup(opts->dir) : tcache_default_dir();
    if (!host_key || !dir) {
        g_free(dir);
        return;
    }
    uint64_t options = hash_bytes(mix64(opts->max_insns, opts->return_stack), opts->cpu_model,
                                  strlen(opts->cpu_model));
    tcache.key = mix64(host_key, options);
    tcache.path = tcache_file_path(dir, opts->guest_exe, tcache.key);
    g_free(dir);
    void *hashes = mmap(NULL, (size_t)c->max_tbs * sizeof(uint64_t), PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (!tcache.path || hashes == MAP_FAILED) {
        return;
    }
    tcache.guest_hash = hashes;
    tcache.enabled = true;
    tcache.owner = getpid();
    tcache.generation = c->generation;
    tcache.own_text.n = opts->guest_exe ? guest_mem_exec_regions_of(opts->guest_exe, tcache.own_text.range, 8) : 0;
    int fd = open(tcache.path, O_RDONLY | O_CLOEXEC);
    const char *refusal = fd < 0 ? "none yet" : load_file(c, fd);
    if (fd >= 0) {
        if (!refusal) {
            futimens(fd, NULL);         /* used now: last to be cleaned up */
        }
        close(fd);
    }
    tcache.file_found = refusal == NULL;
    if (tcache.file_found) {
        adopt_mapped_blocks(c);
    }
    if (log_enabled(LOG_TCACHE)) {
        ferry_log("tcache: %s: %s%s, %u blocks\n", tcache.path, refusal && fd >= 0 ? "not usable: " : "",
                  refusal ? refusal : "loaded", tcache.stats.loaded);
    }
}

TranslationBlock *tcache_adopt_locked(uint64_t pc)
{
    TBCache *c = tb_cache();
    if (!tcache.pending || c->generation != tcache.generation) {
        return NULL;
    }
    int64_t idx = pending_find(pc);
    bool waits;
    if (idx < 0 || !try_adopt(c, (uint32_t)idx, NULL, &waits)) {
        return NULL;
    }
    return pool_at((uint32_t)idx);
}

void tcache_code_changed(uint64_t start, uint64_t end)
{
    for (size_t i = 0; tcache.enabled && i < tcache.own_text.n; i++) {
        if (start < tcache.own_text.range[i][1] && end > tcache.own_text.range[i][0]) {
            tcache.own_text_changed = true;
        }
    }
}

void tcache_note_translated(const TranslationBlock *tb)
{
    if (tcache.enabled) {
        tcache.guest_hash[tb_index_of(tb)] = guest_code_hash(tb->pc, tb->guest_end, tb->peek);
        tcache.stats.translated++;
        if (tcache.file_found && log_enabled(LOG_TCACHE)) {
            ferry_log("tcache: not in the file: 0x%" PRIx64 "\n", tb->pc);
        }
    }
}

void tcache_forget(const TranslationBlock *tb)
{
    if (tcache.enabled) {
        tcache.guest_hash[tb_index_of(tb)] = 0;
    }
}

TCacheStats tcache_stats(void) { return tcache.stats; }

static void fill_record(const TBCache *c, uint32_t idx, TCacheRecord *r)
{
    const TranslationBlock *tb = pool_at(idx);
    uintptr_t x = (uintptr_t)c->buf.xbase;
    memset(r, 0, sizeof *r);
    r->pc = tb->pc;
    r->guest_end = tb->guest_end;
    r->guest_hash = tcache.guest_hash[idx];
    r->code_off = (uint32_t)(tb->code - x);
    r->code_size = tb->code_size;
    r->insn_off_off = tb->insn_host_off ? (uint32_t)((uint8_t *)tb->insn_host_off - c->buf.wbase) : 0;
    r->n_insns = tb->n_insns;
    r->n_exits = tb->n_exits;
    r->borrowed = tb->borrowed;
    for (int i = 0; i < tb->n_exits && i < 2; i++) {
        r->exits[i].target_pc = tb->exits[i].target_pc;
        r->exits[i].disp_off = tb->exits[i].jmp_disp ? (uint32_t)(tb->exits[i].jmp_disp - c->buf.wbase) : 0;
        r->exits[i].stub_off = (uint32_t)(tb->exits[i].stub - x);
        const TranslationBlock *to = tb->exits[i].linked;
        r->exits[i].linked = to && !to->invalid ? tb_index_of(to) + 1 : 0;
    }
    memcpy(r->peek, tb->peek, sizeof r->peek);
}

static bool write_file(const TBCache *c, const char *tmp)
{
    uint32_t n = c->n_tbs;
    size_t code_end = (size_t)(c->cb.ptr - c->buf.wbase);
    TCacheRecord *rec = g_malloc((size_t)n * sizeof *rec + 1);
    /* blocks from the loaded file, used or not, keep their records */
    uint32_t from_file = c->generation == tcache.generation ? tcache.n_loaded : 0;
    for (uint32_t i = 0; i < n; i++) {
        if (i < from_file && pool_at(i)->invalid) {     /* never used, or dropped */
            rec[i] = tcache.records[i];
            rec[i].guest_hash = tcache.guest_hash[i];
        } else {
            fill_record(c, i, &rec[i]);
        }
    }
    TCacheHeader h = {
        .magic = TCACHE_MAGIC,
        .key = tcache.key,
        .text_to_code = (uint64_t)((uintptr_t)c->buf.xbase - (uintptr_t)__executable_start),
        .code_start = c->code_start,
        .code_end = code_end,
        .n_records = n,
        .record_size = sizeof(TCacheRecord),
        .flags = tcache.own_text_changed ? TCACHE_OWN_TEXT_CHANGED : 0,
        .file_size = sizeof h + (uint64_t)n * sizeof *rec + (code_end - c->code_start),
    };
    bool ok = tcache_file_write(tmp, &h, rec, c->buf.wbase + c->code_start, code_end - c->code_start);
    g_free(rec);
    return ok;
}

void tcache_save(void)
{
    TBCache *c = tb_cache();
    if (!tcache.enabled || getpid() != tcache.owner || exec_fz_possible()) {
        return;
    }
    pthread_mutex_lock(&c->lock);
    uint32_t fresh = tcache.stats.translated;
    size_t code_bytes = (size_t)(c->cb.ptr - c->buf.wbase) - c->code_start;
    bool enough = fresh >= TCACHE_MIN_NEW_BLOCKS && (uint64_t)fresh * TCACHE_NEW_FRACTION >= tcache.n_loaded;
    bool worth = c->n_tbs > 0 && fresh > 0 && (!tcache.file_found || enough) && code_bytes <= TCACHE_MAX_CODE;
    bool saved = false;
    if (worth) {
        char *dir = g_path_get_dirname(tcache.path);
        char *tmp = g_strdup_printf("%s.%d.tmp", tcache.path, (int)getpid());
        saved = (g_mkdir_with_parents(dir, 0700) == 0 || errno == EEXIST) && write_file(c, tmp) &&
                rename(tmp, tcache.path) == 0;
        if (saved) {
            tcache_dir_clean(dir, tcache.path);
        } else {
            unlink(tmp);
        }
        g_free(tmp);
        g_free(dir);
        tcache.file_found = tcache.file_found || saved;
        tcache.stats.translated = saved ? 0 : fresh;
    }
    pthread_mutex_unlock(&c->lock);
    if (log_enabled(LOG_TCACHE)) {
        ferry_log("tcache: %u loaded, %u used, %u rejected, %u translated; %s\n",
                  tcache.stats.loaded, tcache.stats.adopted, tcache.stats.rejected, fresh,
                  saved ? "saved" : worth ? "could not save" : "not saved");
    }
}
