/*
 * The files the differential tester passes between its host tool
 * (difftest, x86-64) and its guest runner (runner, arm64): the case file
 * the tool writes and the runner reads, and the result records the runner
 * writes to stdout, one per case, as each case finishes.
 *
 * Both sides are little-endian and compile this header, so the structs are
 * the format; every field has a fixed width and explicit padding.
 */
#ifndef FERRY_TESTS_DIFF_FORMAT_H
#define FERRY_TESTS_DIFF_FORMAT_H


#define DIFF_MAGIC          "FERRYDT1"
#define DIFF_MAX_INSNS      16      /* instructions in one sequence */
#define DIFF_SLOT_SIZE      128     /* bytes of code per case */
#define DIFF_SLOT_LIT_X30   112     /* offset of the initial X30 literal */
#define DIFF_SLOT_LIT_STUB  120     /* offset of the exit stub's address */
#define DIFF_CODE_GUARD     4096    /* bytes of zeros before and after the slots */
#define DIFF_MAX_CHANGED    128     /* scratch words listed per result */

/* Fixed guest addresses, so PC-relative results (ADR, literal loads) and
 * pointers into the scratch block are the same under both emulators. */
#define DIFF_CODE_BASE      0x4000000
#define DIFF_SCRATCH_BASE   0x30000000
#define DIFF_SCRATCH_SIZE   8192u

/* Registers the generator reserves: X26 points at a 64-byte-aligned place
 * in the scratch block (exclusives, DC ZVA), X27 holds a small index for
 * register-offset forms, X28 points at the middle of the block (every other
 * load and store).  No generated instruction writes them except by base
 * writeback. */
#define DIFF_REG_ALIGNED    26
#define DIFF_REG_INDEX      27
#define DIFF_REG_BASE       28

/* The guest's TPIDR_EL0 while a sequence runs (the runner's own thread
 * pointer is put back afterwards). */
#define DIFF_TPIDR_VALUE    0x0000d1ff7e570000

/* Byte offsets in DiffState, used by the runner's assembly. */
#define DIFF_STATE_SP       248
#define DIFF_STATE_NZCV     256
#define DIFF_STATE_FPCR     264
#define DIFF_STATE_FPSR     272
#define DIFF_STATE_ENTRY    280
#define DIFF_STATE_V        288
#define DIFF_STATE_SIZE     800

#ifndef __ASSEMBLER__
#include <stdint.h>

/* The register file: what a sequence starts from and what is compared. */
typedef struct DiffState {
    uint64_t x[31];
    uint64_t sp;
    uint64_t nzcv;
    uint64_t fpcr;
    uint64_t fpsr;
    uint64_t entry;         /* runner only: address of the case's slot */
    uint8_t v[32][16];
} DiffState;

typedef struct DiffFileHeader {
    char magic[8];
    uint32_t n_cases;
    uint32_t pad;
} DiffFileHeader;

typedef struct DiffCase {
    uint32_t n_insns;
    uint32_t pad;
    uint64_t scratch_seed;  /* the block is filled with diff_fill_scratch */
    uint32_t insns[DIFF_MAX_INSNS];
    DiffState init;
} DiffCase;

/* Outcome of one case. */
enum {
    DIFF_DONE = 0,          /* ran to the end: state is the final register file */
    DIFF_FAULT = 1,         /* a signal: signo, si_code, pc_offset */
};

typedef struct DiffChangedWord {
    uint32_t offset;        /* byte offset in the scratch block, 8-aligned */
    uint32_t pad;
    uint64_t value;
} DiffChangedWord;

typedef struct DiffResult {
    uint32_t case_index;
    uint32_t outcome;
    int32_t signo;
    int32_t si_code;
    uint64_t pc_offset;     /* faulting pc - slot address */
    uint64_t scratch_hash;  /* FNV-1a of the whole block afterwards */
    uint32_t n_changed;     /* words that differ from the initial fill ... */
    uint32_t n_listed;      /* ... of which the first n_listed follow */
    DiffState state;
    /* followed by n_listed DiffChangedWord */
} DiffResult;

/* The scratch block's initial contents: splitmix64 from the case's seed. */
static inline uint64_t diff_splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static inline void diff_fill_scratch(uint64_t *words, unsigned n_words, uint64_t seed)
{
    for (unsigned i = 0; i < n_words; i++) {
        words[i] = diff_splitmix64(&seed);
    }
}

static inline uint64_t diff_fnv1a(const uint8_t *p, unsigned n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned i = 0; i < n; i++) {
        h = (h ^ p[i]) * 0x100000001b3ull;
    }
    return h;
}

_Static_assert(sizeof(DiffState) == DIFF_STATE_SIZE, "DiffState layout");
_Static_assert(__builtin_offsetof(DiffState, v) == DIFF_STATE_V, "DiffState layout");

#endif /* __ASSEMBLER__ */
#endif
