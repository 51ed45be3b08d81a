/*
 * difftest: differential testing of ferry against a reference emulator.
 *
 *   difftest --ferry PATH --runner PATH [--reference PATH] [options]
 *
 * Each round generates random sequences from ferry's encoding table
 * (gen.c), writes them to a case file, runs the guest runner on it under
 * ferry and under the reference at the same time (exec.c), and judges
 * every case (compare.c).  After the last round it prints the per-class
 * table.  Exit status: 0 when no case failed, 1 when some did, 2 on a
 * usage or set-up error.
 */
#include <getopt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "difftest.h"

typedef struct Options {
    GenConfig gen;
    CompareConfig cmp;
    const char *ferry, *reference, *reference_cpu, *runner, *errata, *work_dir;
    const char *ferry_args[16];
    unsigned n_ferry_args;
    unsigned rounds, timeout_s;
    bool keep;
} Options;

static void usage(FILE *f)
{
    fprintf(f,
        "usage: difftest --ferry PATH --runner PATH [options]\n"
        "  --reference PATH     reference emulator (default qemu-aarch64-static)\n"
        "  --reference-cpu CPU  -cpu for both emulators (default neoverse-n1)\n"
        "  --ferry-arg ARG      extra ferry option (repeatable)\n"
        "  --seed N             first round's seed (default 1); round k uses N+k\n"
        "  --rounds N           rounds (default 1)\n"
        "  --per-class N        sequences per class per round (default 40)\n"
        "  --mixed N            sequences mixing classes per round (default 400)\n"
        "  --max-len N          instructions per class sequence, 1..N (default 4, at most %d)\n"
        "  --class NAME         only this table entry\n"
        "  --reject-percent P   share of ferry-refused draws kept as cases (default 20)\n"
        "  --errata FILE        known reference errors (tests/diff/reference-errata.txt)\n"
        "  --reports N          detailed mismatch reports printed (default 40)\n"
        "  --strict-undef       an instruction only ferry refuses fails the run too\n"
        "  --timeout S          per emulator process (default 300)\n"
        "  --work-dir DIR       where case and result files go (default a fresh /tmp dir)\n"
        "  --keep               keep the work directory\n", DIFF_MAX_INSNS);
}

static unsigned parse_uint(const char *s, const char *opt)
{
    char *end;
    unsigned long v = strtoul(s, &end, 0);
    if (*s == 0 || *end != 0) {
        fprintf(stderr, "difftest: %s wants a number, not '%s'\n", opt, s);
        exit(2);
    }
    return (unsigned)v;
}

static void parse_options(int argc, char **argv, Options *o)
{
    enum { O_FERRY = 256, O_REF, O_REF_CPU, O_FERRY_ARG, O_RUNNER, O_SEED, O_ROUNDS, O_PER_CLASS,
           O_MIXED, O_MAX_LEN, O_CLASS, O_REJECT, O_ERRATA, O_REPORTS, O_STRICT, O_TIMEOUT,
           O_WORK, O_KEEP, O_HELP };
    static const struct option longopts[] = {
        { "ferry", 1, 0, O_FERRY }, { "reference", 1, 0, O_REF }, { "reference-cpu", 1, 0, O_REF_CPU },
        { "ferry-arg", 1, 0, O_FERRY_ARG }, { "runner", 1, 0, O_RUNNER }, { "seed", 1, 0, O_SEED },
        { "rounds", 1, 0, O_ROUNDS }, { "per-class", 1, 0, O_PER_CLASS }, { "mixed", 1, 0, O_MIXED },
        { "max-len", 1, 0, O_MAX_LEN }, { "class", 1, 0, O_CLASS }, { "reject-percent", 1, 0, O_REJECT },
        { "errata", 1, 0, O_ERRATA }, { "reports", 1, 0, O_REPORTS }, { "strict-undef", 0, 0, O_STRICT },
        { "timeout", 1, 0, O_TIMEOUT }, { "work-dir", 1, 0, O_WORK }, { "keep", 0, 0, O_KEEP },
        { "help", 0, 0, O_HELP }, { 0, 0, 0, 0 },
    };
    *o = (Options){
        .gen = { .seed = 1, .per_class = 40, .mixed = 400, .max_len = 4, .max_mixed_len = 8,
                 .reject_percent = 20 },
        .cmp = { .max_reports = 40 },
        .reference = "qemu-aarch64-static", .reference_cpu = "neoverse-n1",
        .rounds = 1, .timeout_s = 300,
    };
    int c;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (c) {
        case O_FERRY: o->ferry = optarg; break;
        case O_REF: o->reference = optarg; break;
        case O_REF_CPU: o->reference_cpu = optarg; break;
        case O_FERRY_ARG:
            if (o->n_ferry_args < 15) o->ferry_args[o->n_ferry_args++] = optarg;
            break;
        case O_RUNNER: o->runner = optarg; break;
        case O_SEED: o->gen.seed = strtoull(optarg, NULL, 0); break;
        case O_ROUNDS: o->rounds = parse_uint(optarg, "--rounds"); break;
        case O_PER_CLASS: o->gen.per_class = parse_uint(optarg, "--per-class"); break;
        case O_MIXED: o->gen.mixed = parse_uint(optarg, "--mixed"); break;
        case O_MAX_LEN: o->gen.max_len = parse_uint(optarg, "--max-len"); break;
        case O_CLASS: o->gen.only_class = optarg; break;
        case O_REJECT: o->gen.reject_percent = parse_uint(optarg, "--reject-percent"); break;
        case O_ERRATA: o->errata = optarg; break;
        case O_REPORTS: o->cmp.max_reports = parse_uint(optarg, "--reports"); break;
        case O_STRICT: o->cmp.strict_undef = true; break;
        case O_TIMEOUT: o->timeout_s = parse_uint(optarg, "--timeout"); break;
        case O_WORK: o->work_dir = optarg; break;
        case O_KEEP: o->keep = true; break;
        case 'h': case O_HELP: usage(stdout); exit(0);
        default: usage(stderr); exit(2);
        }
    }
    if (!o->ferry || !o->runner || optind != argc || o->gen.max_len < 1 ||
        o->gen.max_len > DIFF_MAX_INSNS) {
        usage(stderr);
        exit(2);
    }
    if (o->gen.max_mixed_len > DIFF_MAX_INSNS) {
        o->gen.max_mixed_len = DIFF_MAX_INSNS;
    }
}

/* One emulator's share of a round, run on its own thread. */
typedef struct EmulatorJob {
    const Emulator *emu;
    const char *runner, *case_file, *work_dir;
    unsigned n;
    Outcome *outcomes;
    ExecStats stats;
    bool ok;
} EmulatorJob;

static void *run_job(void *arg)
{
    EmulatorJob *j = arg;
    j->ok = exec_cases(j->emu, j->runner, j->case_file, j->work_dir, j->n, j->outcomes, &j->stats);
    return NULL;
}

/* Write the cases and run them under both emulators at once; out[0] gets
 * the reference's outcomes, out[1] ferry's (free with outcomes_free). */
static bool run_both(const Options *o, const Emulator emus[2], const CaseSet *set,
                     Outcome *out[2], ExecStats stats[2])
{
    char case_file[600];
    snprintf(case_file, sizeof(case_file), "%s/cases.bin", o->work_dir);
    if (!gen_write_case_file(set, case_file)) {
        fprintf(stderr, "difftest: cannot write %s\n", case_file);
        return false;
    }
    EmulatorJob jobs[2];
    pthread_t threads[2];
    for (int i = 0; i < 2; i++) {
        jobs[i] = (EmulatorJob){ .emu = &emus[i], .runner = o->runner, .case_file = case_file,
                                 .work_dir = o->work_dir, .n = set->n,
                                 .outcomes = calloc(set->n ? set->n : 1, sizeof(Outcome)) };
        pthread_create(&threads[i], NULL, run_job, &jobs[i]);
    }
    for (int i = 0; i < 2; i++) {
        pthread_join(threads[i], NULL);
        out[i] = jobs[i].outcomes;
        stats[i] = jobs[i].stats;
    }
    return jobs[0].ok && jobs[1].ok;
}

/* For failing sequences of several instructions, run each shorter prefix
 * from the same start: the shortest prefix that already fails ends at the
 * instruction that goes wrong. */
#define TRIAGE_MAX 400

static void find_culprits(const Options *o, const Emulator emus[2], const Errata *errata,
                          const CaseSet *set, Failure *fails, unsigned n_fails)
{
    CaseSet pre = { 0 };
    unsigned cap = 0;
    for (unsigned i = 0; i < n_fails && i < TRIAGE_MAX; i++) {
        cap += set->cases[fails[i].index].n_insns - 1;
    }
    if (cap == 0) {
        return;
    }
    pre.cases = calloc(cap, sizeof(DiffCase));
    pre.info = calloc(cap, sizeof(CaseInfo));
    unsigned *owner = calloc(cap, sizeof(unsigned));
    for (unsigned i = 0; i < n_fails && i < TRIAGE_MAX; i++) {
        const DiffCase *c = &set->cases[fails[i].index];
        for (unsigned len = 1; len < c->n_insns; len++) {
            pre.cases[pre.n] = *c;
            pre.cases[pre.n].n_insns = len;
            pre.info[pre.n] = set->info[fails[i].index];
            owner[pre.n++] = i;
        }
    }
    Outcome *out[2];
    ExecStats stats[2] = { { 0 } };
    if (run_both(o, emus, &pre, out, stats)) {
        for (unsigned k = 0; k < pre.n; k++) {
            Failure *f = &fails[owner[k]];
            Verdict v = case_verdict(&pre.cases[k], errata, &out[0][k], &out[1][k]);
            if (f->culprit < 0 && v != V_AGREE && v != V_ERRATA) {
                f->culprit = (int)pre.cases[k].n_insns - 1;
            }
        }
    }
    for (unsigned i = 0; i < n_fails && i < TRIAGE_MAX; i++) {
        if (fails[i].culprit < 0) {
            fails[i].culprit = (int)set->cases[fails[i].index].n_insns - 1;
        }
    }
    outcomes_free(out[0], pre.n);
    outcomes_free(out[1], pre.n);
    free(owner);
    case_set_free(&pre);
}

/* One round; returns false on a set-up error. */
static bool run_round(const Options *o, unsigned round, const Emulator emus[2], const Errata *errata,
                      ClassTable *table)
{
    GenConfig gen = o->gen;
    gen.seed = o->gen.seed + round;
    CaseSet set = { 0 };
    FILE *quiet = round == 0 ? stdout : fopen("/dev/null", "w");
    bool generated = gen_cases(&gen, &set, quiet);
    if (quiet != stdout) {
        fclose(quiet);
    }
    if (!generated) {
        fprintf(stderr, "difftest: no class to generate%s%s\n",
                o->gen.only_class ? " named " : "", o->gen.only_class ? o->gen.only_class : "");
        return false;
    }
    Outcome *out[2];
    ExecStats stats[2] = { { 0 } };
    bool ok = run_both(o, emus, &set, out, stats);
    if (ok) {
        Failure *fails = calloc(set.n ? set.n : 1, sizeof(Failure));
        unsigned n_fails = 0;
        for (unsigned i = 0; i < set.n; i++) {
            Verdict v = case_verdict(&set.cases[i], errata, &out[0][i], &out[1][i]);
            class_table_add(table, &set, i, v);
            if (verdict_fails(&o->cmp, v)) {
                fails[n_fails++] = (Failure){ .index = i, .verdict = v,
                                              .culprit = set.cases[i].n_insns == 1 ? 0 : -1 };
            }
        }
        find_culprits(o, emus, errata, &set, fails, n_fails);
        for (unsigned i = 0; i < n_fails; i++) {
            const Failure *f = &fails[i];
            signatures_add(table, f, &set, &out[0][f->index], &out[1][f->index]);
            if (table->reported++ < o->cmp.max_reports) {
                report_failure(stdout, f, &set, &out[0][f->index], &out[1][f->index]);
            }
        }
        table->failures += n_fails;
        free(fails);
        printf("round %u (seed %llu): %u sequences, %u failing; reference %u runs, ferry %u runs "
               "(%u deaths, %u hangs)\n", round, (unsigned long long)gen.seed, set.n, n_fails,
               stats[0].process_runs, stats[1].process_runs, stats[1].deaths, stats[1].hangs);
        fflush(stdout);
    }
    outcomes_free(out[0], set.n);
    outcomes_free(out[1], set.n);
    case_set_free(&set);
    return ok;
}

static void remove_work_dir(const char *dir)
{
    static const char *const names[] = { "cases.bin", "reference.out", "reference.err",
                                         "ferry.out", "ferry.err" };
    char path[600];
    for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

int main(int argc, char **argv)
{
    Options o;
    parse_options(argc, argv, &o);
    char tmp_dir[] = "/tmp/difftest-XXXXXX";
    bool own_dir = !o.work_dir;
    if (own_dir) {
        if (!mkdtemp(tmp_dir)) {
            perror("difftest: mkdtemp");
            return 2;
        }
        o.work_dir = tmp_dir;
    }

    char *ref_argv[] = { (char *)o.reference, "-cpu", (char *)o.reference_cpu, NULL };
    /* Both run the same CPU model, so optional features agree. */
    char *ferry_argv[24] = { (char *)o.ferry, "-d", "unimp", "-cpu", (char *)o.reference_cpu };
    unsigned n = 5;
    for (unsigned i = 0; i < o.n_ferry_args; i++) {
        ferry_argv[n++] = (char *)o.ferry_args[i];
    }
    Emulator emus[2] = {
        { .name = "reference", .argv = ref_argv, .timeout_s = o.timeout_s },
        { .name = "ferry", .argv = ferry_argv, .timeout_s = o.timeout_s },
    };
    Errata *errata = errata_load(o.errata);
    ClassTable *table = class_table_new();
    time_t start = time(NULL);
    bool ok = true;
    for (unsigned round = 0; ok && round < o.rounds; round++) {
        ok = run_round(&o, round, emus, errata, table);
    }
    if (ok) {
        class_table_print(table, stdout);
        signatures_print(table, stdout);
        if (table->reported > o.cmp.max_reports) {
            printf("\n(%u more failing cases not shown; --reports N shows more)\n",
                   table->reported - o.cmp.max_reports);
        }
        printf("\n%u sequences, %u instructions in %u round(s), %lds: %u failing, "
               "%u explained by reference errata\n", table->total.seqs, table->total.insns,
               o.rounds, (long)(time(NULL) - start), table->failures, table->errata_used);
    }
    int status = !ok ? 2 : table->failures ? 1 : 0;
    class_table_free(table);
    errata_free(errata);
    if (own_dir && !o.keep) {
        remove_work_dir(o.work_dir);
    } else {
        printf("work files in %s\n", o.work_dir);
    }
    return status;
}
