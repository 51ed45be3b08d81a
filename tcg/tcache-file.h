/*
 * The translation cache's file (tcache-file.c): its layout, its name, the
 * checks a file must pass before its contents are used, and writing and
 * cleaning up files.  Used by tcg/tcache.c only.
 */
#ifndef FERRY_TCG_TCACHE_FILE_H
#define FERRY_TCG_TCACHE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>

#include "tcg/tb.h"

#define TCACHE_MAGIC "FERRYTC4"
/* A run that translated fewer new blocks than this, or fewer than one in
 * TCACHE_NEW_FRACTION of the blocks it loaded, leaves the file alone: a
 * compiler run over many sources (each taking a few new paths) would
 * otherwise write its whole file again at every exit. */
#define TCACHE_MIN_NEW_BLOCKS 64
#define TCACHE_NEW_FRACTION 20
/* Code beyond this is neither saved nor loaded: a program whose code keeps
 * moving (a JIT compiler's output at new addresses every run) would make
 * its file grow with every run; past the limit the next run starts again
 * with a file of its own blocks only. */
#define TCACHE_MAX_CODE (64u << 20)
/* The directory's files together: past this, a save removes the files
 * used longest ago (a file's time is refreshed whenever it is loaded)
 * until they take three quarters of it. */
#define TCACHE_DIR_LIMIT (512ull << 20)

/* TCacheHeader.flags: some run that wrote to this file changed the
 * program's own code while it ran (patched its text), so the blocks there
 * may not be the file's bytes: the next run checks them like any other. */
#define TCACHE_OWN_TEXT_CHANGED 1u

typedef struct TCacheHeader {
    char magic[8];
    uint64_t key;               /* options, host, ferry build: tcache_key */
    uint64_t text_to_code;      /* code buffer (executable view) - ferry's text */
    uint64_t code_start, code_end;  /* buffer offsets of the saved code */
    uint32_t n_records, record_size;
    uint32_t flags, pad;        /* TCACHE_* below */
    uint64_t file_size;
    uint64_t checksum;          /* of the header (this field 0) and the records */
} TCacheHeader;

typedef struct TCacheRecord {
    uint64_t pc, guest_end;
    uint64_t guest_hash;        /* 0: never to be used (invalidated, or a fetch fault) */
    uint32_t code_off, code_size;   /* buffer offsets */
    uint32_t insn_off_off;      /* buffer offset of the insn offsets, 0: none */
    uint16_t n_insns, n_exits;
    uint16_t borrowed, pad[3];
    struct {
        uint64_t target_pc;
        uint32_t disp_off, stub_off;    /* disp_off 0: none */
        uint32_t linked, pad;           /* pool index + 1 of the block it was chained to, 0: none */
    } exits[2];
    struct TBPeek peek[2];
} TCacheRecord;

/* A 64-bit mixing step and a hash of bytes built on it (names, guest code). */
static inline uint64_t mix64(uint64_t h, uint64_t v)
{
    h ^= v;
    h *= 0x9e3779b97f4a7c15ull;
    return h ^ (h >> 29);
}

static inline uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (; n >= 8; n -= 8, b += 8) {
        uint64_t v;
        memcpy(&v, b, 8);
        h = mix64(h, v);
    }
    for (; n; n--, b++) {
        h = mix64(h, *b);
    }
    return h;
}

/* $XDG_CACHE_HOME/ferry or $HOME/.cache/ferry (NULL if neither is set). */
char *tcache_default_dir(void);
/* <dir>/<program name>-<hash of the program's identity and key>.tc, or NULL
 * if the program cannot be stat'ed. */
char *tcache_file_path(const char *dir, const char *exe, uint64_t key);

/* The check value of a header (its checksum field ignored) and records. */
uint64_t tcache_records_checksum(TCacheHeader h, const TCacheRecord *r, uint32_t n);
/* What a header must match: this run's key, code buffer placement and
 * limits.  Returns why the file cannot be used, or NULL. */
typedef struct TCacheFit {
    uint64_t key, text_to_code, code_start, buf_size;
    uint32_t max_records;
} TCacheFit;
const char *tcache_header_refusal(const TCacheHeader *h, const TCacheFit *fit, off_t file_size);
/* Does the record describe code inside buffer offsets [lo, hi)? */
bool tcache_record_sane(const TCacheRecord *r, uint64_t lo, uint64_t hi);

bool tcache_read_all(int fd, void *buf, size_t len, off_t off);
/* Write header (its checksum filled in here), records and code to a new
 * file `tmp` (which must not exist). */
bool tcache_file_write(const char *tmp, TCacheHeader *h, const TCacheRecord *rec,
                       const void *code, size_t code_len);
/* Keep dir's .tc files under TCACHE_DIR_LIMIT, least recently used first
 * (never `keep`). */
void tcache_dir_clean(const char *dir, const char *keep);

#endif
