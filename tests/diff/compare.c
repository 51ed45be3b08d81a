/*
 * Judging the two outcomes of every case: a verdict per case (agree,
 * disagree, undefined under both or only one, explained by the reference
 * errata), the known-differences file, and the report: the per-class
 * table, then each unexplained mismatch with its instructions
 * (hex and disassembly) and the registers and memory words that differ.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "difftest.h"
#include "target/aarch64/translate.h"
#include "tcg/disas.h"

/* ---- the reference-errata file ------------------------------------------ */

/* What a matching errata line lets differ. */
enum {
    IGN_FPSR = 1 << 0,
    IGN_FPCR = 1 << 1,
    IGN_UNDEF = 1 << 2,     /* one side undefined */
    IGN_ALL = 1 << 3,
    IGN_BITS = 1 << 4,      /* some FPCR/FPSR bits (ErrataBits) */
};

/* MRS Xt, FPCR / MRS Xt, FPSR (Rt in bits 4..0). */
#define MRS_FPCR_MATCH 0xd53b4400u
#define MRS_FPSR_MATCH 0xd53b4420u
#define MRS_RT_MASK    0xffffffe0u

typedef struct ErratumLine {
    uint32_t mask, match;
    unsigned ignore;
    ErrataBits bits;        /* fpcr:MASK / fpsr:MASK: only these bits may differ */
    char reason[200];
} ErratumLine;

struct Errata {
    ErratumLine *lines;
    unsigned n;
};

/* "fpcr:003f0000": the register's bits in the mask may differ, in the
 * register itself and in whatever MRS of it reads into X registers. */
static bool parse_bits_scope(const char *tok, ErrataBits *bits)
{
    uint32_t mask;
    char reg[5], end;
    if (sscanf(tok, "%4[a-z]:%" SCNx32 "%c", reg, &mask, &end) != 2 || mask == 0) {
        return false;
    }
    if (strcmp(reg, "fpcr") == 0) {
        bits->fpcr |= mask;
    } else if (strcmp(reg, "fpsr") == 0) {
        bits->fpsr |= mask;
    } else {
        return false;
    }
    return true;
}

static unsigned parse_scope(const char *s, ErrataBits *bits)
{
    static const struct { const char *name; unsigned bits; } scopes[] = {
        { "fpsr", IGN_FPSR }, { "fpcr", IGN_FPCR }, { "undef", IGN_UNDEF }, { "any", IGN_ALL },
    };
    unsigned ign = 0;
    char buf[64];
    snprintf(buf, sizeof(buf), "%s", s);
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        unsigned found = parse_bits_scope(tok, bits) ? IGN_BITS : 0;
        for (unsigned i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
            if (strcmp(tok, scopes[i].name) == 0) {
                found = scopes[i].bits;
            }
        }
        if (!found) {
            return 0;
        }
        ign |= found;
    }
    return ign;
}

/* Lines: MASK MATCH SCOPE[,SCOPE] REASON...; '#' starts a comment line. */
Errata *errata_load(const char *path)
{
    Errata *e = calloc(1, sizeof(*e));
    if (!path) {
        return e;
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "difftest: cannot open %s\n", path);
        exit(2);
    }
    char line[512];
    unsigned lineno = 0;
    while (fgets(line, sizeof(line), f)) {
        lineno++;
        char *p = line + strspn(line, " \t");
        if (*p == '#' || *p == '\n' || *p == 0) {
            continue;
        }
        ErratumLine l = { 0 };
        char scope[64];
        int used = 0;
        if (sscanf(p, "%" SCNx32 " %" SCNx32 " %63s %n", &l.mask, &l.match, scope, &used) < 3 ||
            !(l.ignore = parse_scope(scope, &l.bits)) || (l.match & ~l.mask)) {
            fprintf(stderr, "difftest: %s:%u: expected MASK MATCH SCOPE REASON\n", path, lineno);
            exit(2);
        }
        snprintf(l.reason, sizeof(l.reason), "%s", p + used);
        l.reason[strcspn(l.reason, "\n")] = 0;
        e->lines = realloc(e->lines, (e->n + 1) * sizeof(*e->lines));
        e->lines[e->n++] = l;
    }
    fclose(f);
    return e;
}

void errata_free(Errata *e)
{
    if (e) {
        free(e->lines);
        free(e);
    }
}

/* The union of what the errata let differ for this sequence, and the
 * first matching line (for the report). */
static unsigned errata_ignore(const Errata *e, const DiffCase *c, const ErratumLine **first,
                              ErrataBits *bits)
{
    unsigned ign = 0;
    *first = NULL;
    *bits = (ErrataBits){ 0, 0 };
    for (unsigned i = 0; i < c->n_insns; i++) {
        for (unsigned k = 0; k < e->n; k++) {
            if ((c->insns[i] & e->lines[k].mask) == e->lines[k].match) {
                ign |= e->lines[k].ignore;
                bits->fpcr |= e->lines[k].bits.fpcr;
                bits->fpsr |= e->lines[k].bits.fpsr;
                if (!*first) {
                    *first = &e->lines[k];
                }
            }
        }
    }
    return ign;
}

/* ---- one side's outcome ------------------------------------------------- */

Side side_of(const Outcome *o)
{
    Side s = { SIDE_MISSING, 0, false, 0 };
    switch (o->kind) {
    case OUT_RESULT:
        s.kind = o->r.outcome == DIFF_DONE ? SIDE_DONE : SIDE_FAULT;
        s.signo = o->r.signo;
        s.pc_known = s.kind == SIDE_FAULT;
        s.pc_offset = o->r.pc_offset;
        break;
    case OUT_DIED:
        s.kind = SIDE_FAULT;
        s.signo = o->died_signo;
        s.pc_known = o->pc_known;
        s.pc_offset = o->pc_offset;
        break;
    case OUT_HANG:
        s.kind = SIDE_HANG;
        break;
    case OUT_MISSING:
        break;
    }
    return s;
}

bool side_is_undef(const Side *s)
{
    return s->kind == SIDE_FAULT && s->signo == SIGILL;
}

/* ---- register-file comparison ------------------------------------------- */

uint64_t initial_scratch_word(const DiffCase *c, uint32_t offset)
{
    uint64_t seed = c->scratch_seed, v = 0;
    for (uint32_t i = 0; i <= offset / 8; i++) {
        v = diff_splitmix64(&seed);
    }
    return v;
}

static bool find_word(const Outcome *o, uint32_t offset, uint64_t *value)
{
    for (unsigned i = 0; i < o->r.n_listed; i++) {
        if (o->words[i].offset == offset) {
            *value = o->words[i].value;
            return true;
        }
    }
    return false;
}

typedef struct FieldWalk {
    DiffFieldFn *fn;
    void *ctx;
    unsigned n;             /* fields that differ */
} FieldWalk;

static void check_field(FieldWalk *w, const char *name, const void *ref, const void *fer,
                        const void *init, unsigned size)
{
    if (memcmp(ref, fer, size) != 0) {
        w->n++;
        if (w->fn) {
            w->fn(w->ctx, name, ref, fer, init, size);
        }
    }
}

/* A 64-bit field whose bits in leeway may differ. */
static void check_word(FieldWalk *w, const char *name, const uint64_t *ref, const uint64_t *fer,
                       const uint64_t *init, uint64_t leeway)
{
    if ((*ref ^ *fer) & ~leeway) {
        check_field(w, name, ref, fer, init, 8);
    }
}

/* Which bits of each X register the errata let differ: the masked FPCR or
 * FPSR bits in the destination of an MRS of that register. */
static void x_leeway(const DiffCase *c, const ErrataBits *bits, uint64_t leeway[31])
{
    memset(leeway, 0, 31 * sizeof(*leeway));
    for (unsigned i = 0; i < c->n_insns; i++) {
        uint32_t insn = c->insns[i], rt = insn & 31;
        if (rt == 31) {
            continue;
        }
        if ((insn & MRS_RT_MASK) == MRS_FPCR_MATCH) {
            leeway[rt] |= bits->fpcr;
        } else if ((insn & MRS_RT_MASK) == MRS_FPSR_MATCH) {
            leeway[rt] |= bits->fpsr;
        }
    }
}

/* Call fn for every field that differs; returns how many did. */
unsigned diff_states(const DiffCase *c, const Outcome *ref, const Outcome *fer,
                     const Leeway *leeway, DiffFieldFn *fn, void *ctx)
{
    const DiffState *a = &ref->r.state, *b = &fer->r.state, *init = &c->init;
    static const Leeway none;
    const Leeway *lw = leeway ? leeway : &none;
    FieldWalk w = { fn, ctx, 0 };
    char name[32];
    uint64_t x_bits[31];
    x_leeway(c, &lw->bits, x_bits);
    for (int i = 0; i < 31; i++) {
        snprintf(name, sizeof(name), "X%d", i);
        check_word(&w, name, &a->x[i], &b->x[i], &init->x[i], x_bits[i]);
    }
    check_field(&w, "SP", &a->sp, &b->sp, &init->sp, 8);
    check_field(&w, "NZCV", &a->nzcv, &b->nzcv, &init->nzcv, 8);
    if (!(lw->ignore & IGN_FPCR)) {
        check_word(&w, "FPCR", &a->fpcr, &b->fpcr, &init->fpcr, lw->bits.fpcr);
    }
    if (!(lw->ignore & IGN_FPSR)) {
        check_word(&w, "FPSR", &a->fpsr, &b->fpsr, &init->fpsr, lw->bits.fpsr);
    }
    for (int i = 0; i < 32; i++) {
        snprintf(name, sizeof(name), "V%d", i);
        check_field(&w, name, a->v[i], b->v[i], init->v[i], 16);
    }
    unsigned n = w.n;
    if (ref->r.scratch_hash == fer->r.scratch_hash) {
        return n;
    }
    /* Memory: every word either side lists as changed. */
    unsigned shown = 0;
    for (int side = 0; side < 2; side++) {
        const Outcome *o = side ? fer : ref, *other = side ? ref : fer;
        for (unsigned i = 0; i < o->r.n_listed; i++) {
            uint32_t off = o->words[i].offset;
            uint64_t init_v = initial_scratch_word(c, off), mine = o->words[i].value, theirs;
            if (side && find_word(other, off, &theirs)) {
                continue;               /* seen from the reference's list */
            }
            if (!find_word(other, off, &theirs)) {
                theirs = init_v;
            }
            if (mine == theirs) {
                continue;
            }
            uint64_t rv = side ? theirs : mine, fv = side ? mine : theirs;
            snprintf(name, sizeof(name), "mem[base+0x%x]", off);
            if (fn) {
                fn(ctx, name, &rv, &fv, &init_v, 8);
            }
            shown++;
        }
    }
    if (shown == 0 && fn) {
        static const uint8_t zero[8];
        fn(ctx, "memory (more changes than listed)", zero, zero, zero, 0);
    }
    return n + (shown ? shown : 1);
}

/* ---- verdicts ----------------------------------------------------------- */

static Verdict raw_verdict(const DiffCase *c, const Outcome *ref, const Outcome *fer,
                           const Leeway *leeway)
{
    Side r = side_of(ref), f = side_of(fer);
    if (r.kind == SIDE_MISSING || f.kind == SIDE_MISSING) {
        return V_BROKEN;
    }
    if (side_is_undef(&r) || side_is_undef(&f)) {
        if (side_is_undef(&r) && side_is_undef(&f)) {
            if (r.pc_known && f.pc_known && r.pc_offset != f.pc_offset) {
                return f.pc_offset < r.pc_offset ? V_FERRY_UNDEF : V_REF_UNDEF;
            }
            return V_BOTH_UNDEF;
        }
        return side_is_undef(&f) ? V_FERRY_UNDEF : V_REF_UNDEF;
    }
    if (r.kind == SIDE_DONE && f.kind == SIDE_DONE) {
        return diff_states(c, ref, fer, leeway, NULL, NULL) ? V_DISAGREE : V_AGREE;
    }
    if (r.kind == SIDE_FAULT && f.kind == SIDE_FAULT && r.signo == f.signo &&
        (!r.pc_known || !f.pc_known || r.pc_offset == f.pc_offset)) {
        return V_AGREE;
    }
    return V_DISAGREE;
}

Verdict case_verdict(const DiffCase *c, const Errata *e, const Outcome *ref, const Outcome *fer)
{
    Verdict v = raw_verdict(c, ref, fer, NULL);
    const ErratumLine *why;
    if (v != V_DISAGREE && v != V_FERRY_UNDEF && v != V_REF_UNDEF) {
        return v;
    }
    Leeway lw;
    unsigned ign = errata_ignore(e, c, &why, &lw.bits);
    lw.ignore = ign;
    if (!ign) {
        return v;
    }
    if (ign & IGN_ALL) {
        return V_ERRATA;
    }
    if ((v == V_FERRY_UNDEF || v == V_REF_UNDEF) && (ign & IGN_UNDEF)) {
        return V_ERRATA;
    }
    return v == V_DISAGREE && raw_verdict(c, ref, fer, &lw) == V_AGREE ? V_ERRATA : v;
}

bool verdict_fails(const CompareConfig *cfg, Verdict v)
{
    return v == V_DISAGREE || v == V_REF_UNDEF || v == V_BROKEN ||
           (v == V_FERRY_UNDEF && cfg->strict_undef);
}

/* ---- the per-class table ------------------------------------------------ */

static const char *const verdict_names[V_COUNT] = {
    "agreed", "disagreed", "both-undef", "ferry-undef", "ref-undef", "errata", "broken",
};

static void print_table(FILE *out, const ClassRow *rows, const ClassRow *mixed, const ClassRow *total)
{
    fprintf(out, "%-24s %6s %6s", "class", "seqs", "insns");
    for (int v = 0; v < V_COUNT; v++) {
        fprintf(out, " %11s", verdict_names[v]);
    }
    fprintf(out, "\n");
    for (unsigned i = 0; i <= a64_n_insns + 1; i++) {
        const ClassRow *row = i < a64_n_insns ? &rows[i] : i == a64_n_insns ? mixed : total;
        const char *name = i < a64_n_insns ? a64_insns[i].name : i == a64_n_insns ? "(mixed)" : "TOTAL";
        if (row->seqs == 0 && row->insns == 0) {
            continue;
        }
        fprintf(out, "%-24s %6u %6u", name, row->seqs, row->insns);
        for (int v = 0; v < V_COUNT; v++) {
            fprintf(out, " %11u", row->count[v]);
        }
        fprintf(out, "\n");
    }
}

ClassTable *class_table_new(void)
{
    ClassTable *t = calloc(1, sizeof(*t));
    t->rows = calloc(a64_n_insns, sizeof(ClassRow));
    t->refused = calloc(a64_n_insns, sizeof(*t->refused));
    return t;
}

void class_table_free(ClassTable *t)
{
    if (t) {
        free(t->rows);
        free(t->refused);
        free(t->signatures);
        free(t);
    }
}

static void note_refusal(ClassTable *t, int cls, uint32_t insn)
{
    for (int k = 0; k < REFUSAL_EXAMPLES; k++) {
        if (t->refused[cls][k] == insn) {
            return;
        }
        if (t->refused[cls][k] == 0) {
            t->refused[cls][k] = insn;
            return;
        }
    }
}

void class_table_add(ClassTable *t, const CaseSet *set, unsigned i, Verdict v)
{
    const CaseInfo *info = &set->info[i];
    const DiffCase *c = &set->cases[i];
    ClassRow *row = info->cls == CLASS_MIXED ? &t->mixed : &t->rows[info->cls];
    row->seqs++;
    row->count[v]++;
    t->total.seqs++;
    t->total.count[v]++;
    for (unsigned k = 0; k < c->n_insns; k++) {
        t->rows[info->insn_cls[k]].insns++;
        t->total.insns++;
    }
    t->errata_used += v == V_ERRATA;
    if (v == V_FERRY_UNDEF && info->cls != CLASS_MIXED && c->n_insns == 1) {
        note_refusal(t, info->cls, c->insns[0]);
    }
}

/* Encodings ferry refuses while the reference runs them, a few per class. */
static void print_ferry_refusals(FILE *out, const ClassTable *t)
{
    bool header = false;
    for (unsigned cls = 0; cls < a64_n_insns; cls++) {
        for (int k = 0; k < REFUSAL_EXAMPLES && t->refused[cls][k]; k++) {
            if (!header) {
                fprintf(out, "\nNot implemented in ferry (the reference runs them), examples per class:\n");
                header = true;
            }
            char text[128];
            disas_text(t->refused[cls][k], 0, text, sizeof(text));
            fprintf(out, "  %-24s %08x  %s\n", a64_insns[cls].name, t->refused[cls][k], text);
        }
    }
}

void class_table_print(const ClassTable *t, FILE *out)
{
    fprintf(out, "\n");
    print_table(out, t->rows, &t->mixed, &t->total);
    print_ferry_refusals(out, t);
}
