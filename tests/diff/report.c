/*
 * Printing what failed: each failing case with its instructions (hex,
 * disassembly, class), the initial values of the registers they name, how
 * each side ended and every register or scratch word that differs; and a
 * summary of failures grouped by the class of the first instruction that
 * goes wrong and the kind of difference.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "difftest.h"
#include "target/aarch64/translate.h"
#include "tcg/disas.h"

/* objdump for the encodings capstone does not know (newer extensions). */
static bool objdump_disas(uint32_t insn, char *buf, size_t len)
{
    char path[] = "/tmp/difftest-insn-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        return false;
    }
    bool ok = write(fd, &insn, 4) == 4;
    close(fd);
    char cmd[256];
    snprintf(cmd, sizeof(cmd),
             "aarch64-linux-gnu-objdump -D -b binary -m aarch64 %s 2>/dev/null", path);
    FILE *p = ok ? popen(cmd, "r") : NULL;
    char line[256];
    ok = false;
    while (p && fgets(line, sizeof(line), p)) {
        /* "   0:\t8b020020 \tadd\tx0, x1, x2" */
        char *colon = strstr(line, "0:\t");
        char *tab = colon ? strchr(colon + 3, '\t') : NULL;
        if (!tab || strncmp(line + strspn(line, " "), "0:", 2) != 0) {
            continue;
        }
        snprintf(buf, len, "%s", tab + 1);
        buf[strcspn(buf, "\n")] = 0;
        for (char *t = strchr(buf, '\t'); t; t = strchr(t, '\t')) {
            *t = ' ';
        }
        ok = true;
    }
    if (p) {
        pclose(p);
    }
    unlink(path);
    return ok;
}

void disas_text(uint32_t insn, uint64_t pc, char *buf, size_t len)
{
    if (!disas_guest_insn(insn, pc, buf, len) && !objdump_disas(insn, buf, len)) {
        snprintf(buf, len, "(unknown to the disassemblers)");
    }
}

static void print_insns(FILE *out, const DiffCase *c, unsigned index, int culprit)
{
    uint64_t slot = DIFF_CODE_BASE + DIFF_CODE_GUARD + (uint64_t)index * DIFF_SLOT_SIZE;
    for (unsigned i = 0; i < c->n_insns; i++) {
        char text[128];
        const A64InsnDef *d = a64_decode(c->insns[i]);
        disas_text(c->insns[i], slot + 4 * (i + 1), text, sizeof(text));
        fprintf(out, "  %s [%u] %08x  %-40s (%s)\n", (int)i == culprit ? "=>" : "  ", i, c->insns[i],
                text, d ? d->name : "?");
    }
}

static void print_hex(FILE *out, const void *bytes, unsigned size)
{
    const uint8_t *p = bytes;
    fprintf(out, "0x");
    for (int i = (int)size - 1; i >= 0; i--) {
        fprintf(out, "%02x", p[i]);
    }
}

static void describe_side(FILE *out, const char *who, const Outcome *o)
{
    Side s = side_of(o);
    switch (s.kind) {
    case SIDE_DONE:
        fprintf(out, "    %s: ran to the end\n", who);
        break;
    case SIDE_FAULT:
        fprintf(out, "    %s: signal %d (%s)", who, s.signo, strsignal(s.signo));
        if (s.pc_known) {
            fprintf(out, " at insn [%d]", (int)(s.pc_offset / 4) - 1);
        }
        if (o->kind == OUT_DIED) {
            fprintf(out, ", process died: %s", o->message);
        }
        fprintf(out, "\n");
        break;
    case SIDE_HANG:
        fprintf(out, "    %s: did not finish in time\n", who);
        break;
    case SIDE_MISSING:
        fprintf(out, "    %s: no result\n", who);
        break;
    }
}

static void print_field(void *ctx, const char *name, const void *ref, const void *fer,
                        const void *init, unsigned size)
{
    FILE *out = ctx;
    if (size == 0) {
        fprintf(out, "      %s\n", name);
        return;
    }
    fprintf(out, "      %-16s reference ", name);
    print_hex(out, ref, size);
    fprintf(out, "  ferry ");
    print_hex(out, fer, size);
    fprintf(out, "  (initial ");
    print_hex(out, init, size);
    fprintf(out, ")\n");
}

/* Registers the disassembly names ("x3", "w3", "v7", "s7", "q7", ...):
 * bit r of *gprs or *vregs. */
static void named_registers(const char *text, uint32_t *gprs, uint32_t *vregs)
{
    for (const char *p = text; *p; p++) {
        bool starts_word = p == text || !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z') ||
                                          (p[-1] >= '0' && p[-1] <= '9'));
        if (!starts_word || !strchr("xwvbhsdq", *p) || p[1] < '0' || p[1] > '9') {
            continue;
        }
        char *end;
        unsigned long r = strtoul(p + 1, &end, 10);
        if (r > 31 || (*end >= 'a' && *end <= 'z') || (*end >= '0' && *end <= '9')) {
            continue;
        }
        if (*p == 'x' || *p == 'w') {
            *gprs |= r < 31 ? 1u << r : 0;
        } else {
            *vregs |= 1u << r;
        }
    }
}

static void print_initial_state(FILE *out, const DiffCase *c, unsigned index)
{
    const DiffState *s = &c->init;
    fprintf(out, "    initial: NZCV=%" PRIx64 " FPCR=%" PRIx64 " FPSR=%" PRIx64 " SP=%" PRIx64
            " scratch seed %" PRIx64 "\n", s->nzcv >> 28, s->fpcr, s->fpsr, s->sp, c->scratch_seed);
    uint32_t gprs = 0, vregs = 0;
    uint64_t slot = DIFF_CODE_BASE + DIFF_CODE_GUARD + (uint64_t)index * DIFF_SLOT_SIZE;
    for (unsigned i = 0; i < c->n_insns; i++) {
        char text[128];
        disas_text(c->insns[i], slot + 4 * (i + 1), text, sizeof(text));
        named_registers(text, &gprs, &vregs);
    }
    for (int r = 0; r < 32; r++) {
        if (gprs & (1u << r)) {
            fprintf(out, "      X%-2d = 0x%016" PRIx64 "\n", r, s->x[r]);
        }
    }
    for (int r = 0; r < 32; r++) {
        if (vregs & (1u << r)) {
            fprintf(out, "      V%-2d = ", r);
            print_hex(out, s->v[r], 16);
            fprintf(out, "\n");
        }
    }
}

static const char *verdict_title(Verdict v)
{
    switch (v) {
    case V_REF_UNDEF: return "FERRY RUNS WHAT THE REFERENCE REFUSES";
    case V_FERRY_UNDEF: return "FERRY REFUSES WHAT THE REFERENCE RUNS";
    case V_BROKEN: return "NO RESULT";
    default: return "MISMATCH";
    }
}

void report_failure(FILE *out, const Failure *f, const CaseSet *set, const Outcome *ref,
                    const Outcome *ferry)
{
    const DiffCase *c = &set->cases[f->index];
    int cls = set->info[f->index].cls;
    fprintf(out, "\n%s: case %u, class %s", verdict_title(f->verdict), f->index,
            cls == CLASS_MIXED ? "(mixed)" : a64_insns[cls].name);
    if (f->culprit >= 0 && c->n_insns > 1) {
        fprintf(out, "; the sequence first goes wrong at [%d]", f->culprit);
    }
    fprintf(out, "\n");
    print_insns(out, c, f->index, c->n_insns > 1 ? f->culprit : -1);
    print_initial_state(out, c, f->index);
    describe_side(out, "reference", ref);
    describe_side(out, "ferry    ", ferry);
    if (side_of(ref).kind == SIDE_DONE && side_of(ferry).kind == SIDE_DONE) {
        diff_states(c, ref, ferry, NULL, print_field, out);
    }
}

/* ---- failure signatures ------------------------------------------------- */

struct Signature {
    char key[160];
    unsigned count;
    uint32_t example;       /* the culprit (or first) instruction of the first case */
};

typedef struct SignatureText {
    char text[120];
} SignatureText;

static void append_word(SignatureText *s, const char *w)
{
    if (!strstr(s->text, w)) {
        size_t n = strlen(s->text);
        snprintf(s->text + n, sizeof(s->text) - n, " %s", w);
    }
}

/* Field names without register numbers; FPSR as the flags that differ. */
static void signature_field(void *ctx, const char *name, const void *ref, const void *fer,
                            const void *init, unsigned size)
{
    SignatureText *s = ctx;
    if (strcmp(name, "FPSR") == 0) {
        static const struct { int bit; const char *name; } flags[] = {
            { 0, "IOC" }, { 1, "DZC" }, { 2, "OFC" }, { 3, "UFC" }, { 4, "IXC" }, { 7, "IDC" },
            { 27, "QC" },
        };
        uint64_t r, f;
        memcpy(&r, ref, 8);
        memcpy(&f, fer, 8);
        for (unsigned i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
            if (((r ^ f) >> flags[i].bit) & 1) {
                char w[16];
                snprintf(w, sizeof(w), "FPSR.%s%s", flags[i].name, (r >> flags[i].bit) & 1 ? "(ref)" : "(ferry)");
                append_word(s, w);
            }
        }
        return;
    }
    if ((name[0] == 'X' || name[0] == 'V') && name[1] >= '0' && name[1] <= '9') {
        append_word(s, name[0] == 'X' ? "X-reg" : "V-reg");
    } else if (strncmp(name, "mem", 3) == 0 || strncmp(name, "memory", 6) == 0) {
        append_word(s, "memory");
    } else {
        append_word(s, name);
    }
}

typedef struct ShortText {
    char text[32];
} ShortText;

static ShortText side_text(Side s)
{
    ShortText t;
    switch (s.kind) {
    case SIDE_DONE: snprintf(t.text, sizeof(t.text), "ran"); break;
    case SIDE_FAULT: snprintf(t.text, sizeof(t.text), "signal %d", s.signo); break;
    case SIDE_HANG: snprintf(t.text, sizeof(t.text), "hang"); break;
    default: snprintf(t.text, sizeof(t.text), "no result"); break;
    }
    return t;
}

void signatures_add(ClassTable *t, const Failure *f, const CaseSet *set, const Outcome *ref,
                    const Outcome *ferry)
{
    const DiffCase *c = &set->cases[f->index];
    int k = f->culprit >= 0 ? f->culprit : 0;
    const A64InsnDef *d = a64_decode(c->insns[k]);
    SignatureText what = { "" };
    if (f->verdict == V_DISAGREE && side_of(ref).kind == SIDE_DONE && side_of(ferry).kind == SIDE_DONE) {
        diff_states(c, ref, ferry, NULL, signature_field, &what);
    } else {
        snprintf(what.text, sizeof(what.text), " outcome: reference %s, ferry %s",
                 side_text(side_of(ref)).text, side_text(side_of(ferry)).text);
    }
    char key[160];
    snprintf(key, sizeof(key), "%-22s%s%s", d ? d->name : "?", f->culprit >= 0 || c->n_insns == 1 ? "" : " (sequence)",
             what.text);
    for (unsigned i = 0; i < t->n_signatures; i++) {
        if (strcmp(t->signatures[i].key, key) == 0) {
            t->signatures[i].count++;
            return;
        }
    }
    t->signatures = realloc(t->signatures, (t->n_signatures + 1) * sizeof(*t->signatures));
    struct Signature *s = &t->signatures[t->n_signatures++];
    snprintf(s->key, sizeof(s->key), "%s", key);
    s->count = 1;
    s->example = c->insns[k];
}

void signatures_print(const ClassTable *t, FILE *out)
{
    if (!t->n_signatures) {
        return;
    }
    fprintf(out, "\nFailures by the class of the first instruction that goes wrong and what differs\n"
                 "(ref) = set only under the reference, (ferry) = only under ferry:\n");
    for (unsigned i = 0; i < t->n_signatures; i++) {
        char text[128];
        disas_text(t->signatures[i].example, 0, text, sizeof(text));
        fprintf(out, "  %5u  %s\n         e.g. %08x  %s\n", t->signatures[i].count, t->signatures[i].key,
                t->signatures[i].example, text);
    }
}
