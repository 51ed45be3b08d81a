/*
 * The differential tester's host tool (difftest): what its parts share.
 *
 *   gen.c      random sequences drawn from ferry's encoding table, and the
 *              register file and scratch seed each one starts from
 *   exec.c     running the guest runner under an emulator, surviving
 *              deaths and hangs, collecting one outcome per case
 *   compare.c  verdicts (agree, disagree, undefined on one side ...), the
 *              reference-errata file, the per-class table, mismatch reports
 *   difftest.c options and the order of the steps
 */
#ifndef FERRY_TESTS_DIFF_DIFFTEST_H
#define FERRY_TESTS_DIFF_DIFFTEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "diff-format.h"

/* A deterministic random stream (splitmix64). */
typedef struct Rng {
    uint64_t state;
} Rng;

static inline uint64_t rng_next(Rng *r) { return diff_splitmix64(&r->state); }
static inline uint32_t rng_below(Rng *r, uint32_t n) { return n ? (uint32_t)(rng_next(r) % n) : 0; }
static inline bool rng_chance(Rng *r, unsigned percent) { return rng_below(r, 100) < percent; }

/* ---- gen.c -------------------------------------------------------------- */

#define CLASS_MIXED (-1)

/* Host-side facts about one generated case. */
typedef struct CaseInfo {
    int cls;                        /* table index of the class, or CLASS_MIXED */
    int16_t insn_cls[DIFF_MAX_INSNS];
    bool ferry_rejects;             /* a single encoding ferry's translator refuses */
} CaseInfo;

typedef struct GenConfig {
    uint64_t seed;
    unsigned per_class;             /* sequences per class */
    unsigned mixed;                 /* sequences mixing classes */
    unsigned max_len;               /* instructions per class sequence (1..max_len) */
    unsigned max_mixed_len;
    unsigned reject_percent;        /* share of draws kept when ferry refuses them */
    const char *only_class;         /* generate just this class (NULL: all) */
} GenConfig;

typedef struct CaseSet {
    DiffCase *cases;
    CaseInfo *info;
    unsigned n;
} CaseSet;

/* Fill set with cases for every class the policy admits; prints the classes
 * it leaves out to report.  false if only_class names no usable class. */
bool gen_cases(const GenConfig *cfg, CaseSet *set, FILE *report);
void case_set_free(CaseSet *set);
/* The class's policy admits it into random sequences. */
bool gen_class_included(int cls);
bool gen_write_case_file(const CaseSet *set, const char *path);

/* ---- exec.c ------------------------------------------------------------- */

typedef enum OutcomeKind {
    OUT_MISSING = 0,                /* never produced (runner broke) */
    OUT_RESULT,                     /* the runner's own record */
    OUT_DIED,                       /* the emulator process died in this case */
    OUT_HANG,                       /* killed after the time limit */
} OutcomeKind;

typedef struct Outcome {
    OutcomeKind kind;
    DiffResult r;
    DiffChangedWord *words;         /* r.n_listed of them */
    int died_signo;                 /* OUT_DIED: the signal (or exit status - 128) */
    bool pc_known;                  /* OUT_DIED: pc_offset parsed from the emulator's message */
    uint64_t pc_offset;
    char message[160];              /* OUT_DIED: the emulator's last words */
} Outcome;

typedef struct Emulator {
    const char *name;               /* "ferry", "reference" */
    char **argv;                    /* the command before "runner CASEFILE FIRST" */
    unsigned timeout_s;             /* per process run */
} Emulator;

typedef struct ExecStats {
    unsigned process_runs;
    unsigned deaths, hangs;
} ExecStats;

/* Run all n cases of case_file under emu; outcomes[i] gets case i.
 * false only if the runner could not make progress at all (message on
 * stderr). */
bool exec_cases(const Emulator *emu, const char *runner, const char *case_file,
                const char *work_dir, unsigned n, Outcome *outcomes, ExecStats *stats);
void outcomes_free(Outcome *o, unsigned n);

/* ---- compare.c ---------------------------------------------------------- */

typedef enum Verdict {
    V_AGREE,            /* same registers, flags, FP state and memory (or same fault) */
    V_DISAGREE,
    V_BOTH_UNDEF,       /* SIGILL at the same instruction under both */
    V_FERRY_UNDEF,      /* ferry refuses an instruction the reference runs */
    V_REF_UNDEF,        /* ferry runs an instruction the reference refuses */
    V_ERRATA,           /* differs, explained in reference-errata.txt */
    V_BROKEN,           /* no outcome from one side */
    V_COUNT
} Verdict;

typedef struct Errata Errata;

/* Bits of FPCR and FPSR an errata line lets differ (in the register and in
 * what MRS of it reads). */
typedef struct ErrataBits {
    uint32_t fpcr, fpsr;
} ErrataBits;

/* What the errata let differ in one comparison. */
typedef struct Leeway {
    unsigned ignore;        /* compare.c's scope bits */
    ErrataBits bits;
} Leeway;

Errata *errata_load(const char *path);      /* NULL path: none; exits on a bad file */
void errata_free(Errata *e);

typedef struct CompareConfig {
    unsigned max_reports;                   /* detailed mismatch reports printed */
    bool strict_undef;                      /* V_FERRY_UNDEF fails the run too */
} CompareConfig;

/* Counts per class, summed over every round of a run. */
typedef struct ClassRow {
    unsigned seqs, insns;
    unsigned count[V_COUNT];
} ClassRow;

#define REFUSAL_EXAMPLES 4

typedef struct ClassTable {
    ClassRow *rows;                         /* one per a64_insns[] entry */
    ClassRow mixed, total;
    uint32_t (*refused)[REFUSAL_EXAMPLES];  /* per class: encodings only ferry refuses */
    unsigned failures, reported, errata_used;
    struct Signature *signatures;           /* report.c */
    unsigned n_signatures;
} ClassTable;

ClassTable *class_table_new(void);
void class_table_free(ClassTable *t);

void class_table_add(ClassTable *t, const CaseSet *set, unsigned i, Verdict v);
/* The per-class table and examples of encodings only ferry refuses. */
void class_table_print(const ClassTable *t, FILE *out);

/* The verdict on one case, errata applied; does it fail the run? */
Verdict case_verdict(const DiffCase *c, const Errata *e, const Outcome *ref, const Outcome *ferry);
bool verdict_fails(const CompareConfig *cfg, Verdict v);

/* How one side ended, from its outcome. */
typedef enum SideKind { SIDE_DONE, SIDE_FAULT, SIDE_HANG, SIDE_MISSING } SideKind;

typedef struct Side {
    SideKind kind;
    int signo;
    bool pc_known;
    uint64_t pc_offset;     /* from the slot start: instruction [k] is at 4 * (k + 1) */
} Side;

Side side_of(const Outcome *o);
bool side_is_undef(const Side *s);

/* Call fn for every register or scratch word that differs between two
 * finished runs (leeway: what the errata let differ, NULL for nothing);
 * returns how many. */
typedef void DiffFieldFn(void *ctx, const char *name, const void *ref, const void *fer,
                         const void *init, unsigned size);
unsigned diff_states(const DiffCase *c, const Outcome *ref, const Outcome *fer,
                     const Leeway *leeway, DiffFieldFn *fn, void *ctx);
uint64_t initial_scratch_word(const DiffCase *c, uint32_t offset);

/* ---- report.c ----------------------------------------------------------- */

/* "mnemonic operands" from capstone, or from aarch64-linux-gnu-objdump for
 * what capstone does not know. */
void disas_text(uint32_t insn, uint64_t pc, char *buf, size_t len);

typedef struct Failure {
    unsigned index;         /* case */
    Verdict verdict;
    int culprit;            /* first instruction whose prefix already fails, -1 unknown */
} Failure;

/* The detailed report of one failing case. */
void report_failure(FILE *out, const Failure *f, const CaseSet *set, const Outcome *ref,
                    const Outcome *ferry);
/* Failures grouped by the culprit's class and what differs. */
void signatures_add(ClassTable *t, const Failure *f, const CaseSet *set, const Outcome *ref,
                    const Outcome *ferry);
void signatures_print(const ClassTable *t, FILE *out);

#endif
