/*
 * The translation cache on disk (tcache.c): the code a run translated,
 * kept in a file per guest program so the next run of the same program
 * starts with it instead of translating again.  A block from the file is
 * used only after the guest bytes it was made from (and the successors it
 * looked at) are checked to be the same, executable, at the same address.
 */
#ifndef FERRY_TCG_TCACHE_H
#define FERRY_TCG_TCACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "tcg/tb.h"

typedef struct TCacheOptions {
    const char *dir;            /* NULL: the default ($XDG_CACHE_HOME/ferry) */
    bool off;                   /* -tcache off */
    const char *guest_exe;      /* the program the file belongs to */
    /* what else translations depend on (with ferry's build and the host's
     * features, the file's key) */
    const char *cpu_model;
    unsigned max_insns;
    bool return_stack;
} TCacheOptions;

/* After tb_cache_init, before any translation: read the program's file, if
 * there is a usable one, into the code buffer and the TB pool (its blocks
 * wait there unused until tcache_adopt_locked finds them). */
void tcache_load(const TCacheOptions *opts);

/* On a lookup miss (cache lock held): the block for pc from the file, made
 * live, or NULL (none, or the guest code differs: translate it). */
TranslationBlock *tcache_adopt_locked(uint64_t pc);

/* Guest code was mapped at [start, end) (caller holds nothing): the loaded
 * blocks there that check out go live now, chained to each other. */
void tcache_code_mapped(uint64_t start, uint64_t end);

/* A block was just translated (lock held): remember what it was made from. */
void tcache_note_translated(const TranslationBlock *tb);

/* A block was invalidated (lock held): it is not saved. */
void tcache_forget(const TranslationBlock *tb);

/* At exit or execve of the process that loaded the file: write the file
 * again if this run translated enough new code.  Caller holds nothing. */
void tcache_save(void);

/* Counters for -d tcache and the tests. */
typedef struct TCacheStats {
    uint32_t loaded, adopted, rejected, translated;
} TCacheStats;
TCacheStats tcache_stats(void);

/* Guest code in [start, end) may have changed (tb_invalidate_range): if it
 * is the program's own, the file this run writes says so. */
void tcache_code_changed(uint64_t start, uint64_t end);

#endif
