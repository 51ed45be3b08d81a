/*
 * Running the guest runner under one emulator and collecting an outcome
 * for every case.  The runner writes one record per finished case, so when
 * the emulator process dies (a guest fault it cannot deliver yet) or hangs,
 * the records tell which case it was in: that case gets a "died" or "hang"
 * outcome and the runner is started again at the next case.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "difftest.h"

#define EXEC_WINDOW 2048

typedef struct RunFiles {
    char out[512], err[512];
} RunFiles;

typedef struct ProcessEnd {
    bool hung;
    bool signalled;
    int status;             /* exit status, or the signal */
} ProcessEnd;

static pid_t spawn_runner(const Emulator *emu, const char *runner, const char *case_file,
                          unsigned first, unsigned end, const RunFiles *files)
{
    unsigned n_pre = 0;
    while (emu->argv[n_pre]) {
        n_pre++;
    }
    char first_s[16], end_s[16];
    snprintf(first_s, sizeof(first_s), "%u", first);
    snprintf(end_s, sizeof(end_s), "%u", end);
    char **argv = calloc(n_pre + 5, sizeof(char *));
    memcpy(argv, emu->argv, n_pre * sizeof(char *));
    argv[n_pre] = (char *)runner;
    argv[n_pre + 1] = (char *)case_file;
    argv[n_pre + 2] = first_s;
    argv[n_pre + 3] = end_s;

    pid_t pid = fork();
    if (pid == 0) {
        int out = open(files->out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int err = open(files->err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (out < 0 || err < 0) {
            _exit(125);
        }
        dup2(out, 1);
        dup2(err, 2);
        execvp(argv[0], argv);
        dprintf(2, "difftest: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    free(argv);
    return pid;
}

static ProcessEnd wait_with_timeout(pid_t pid, unsigned timeout_s)
{
    ProcessEnd how = { 0 };
    struct timespec tick = { 0, 2 * 1000 * 1000 };
    uint64_t waited_ns = 0;
    int status;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) {
            break;
        }
        if (r < 0 && errno != EINTR) {
            how.signalled = true;
            how.status = 0;
            return how;
        }
        if (waited_ns >= (uint64_t)timeout_s * 1000000000ull && !how.hung) {
            how.hung = true;
            kill(pid, SIGKILL);
        }
        nanosleep(&tick, NULL);
        waited_ns += tick.tv_nsec;
    }
    if (WIFSIGNALED(status)) {
        how.signalled = true;
        how.status = WTERMSIG(status);
    } else {
        how.status = WEXITSTATUS(status);
    }
    return how;
}

static uint8_t *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    *size = 0;
    if (!f) {
        return NULL;
    }
    size_t cap = 1 << 16;
    uint8_t *buf = malloc(cap);
    size_t n;
    while ((n = fread(buf + *size, 1, cap - *size, f)) > 0) {
        *size += n;
        if (*size == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    fclose(f);
    return buf;
}

/* Store the records in the output file; returns the index after the last
 * complete record (first if none). */
static unsigned collect_records(const char *path, unsigned first, unsigned n, Outcome *outcomes)
{
    size_t size;
    uint8_t *buf = read_file(path, &size);
    unsigned next = first;
    size_t pos = 0;
    while (buf && pos + sizeof(DiffResult) <= size) {
        DiffResult r;
        memcpy(&r, buf + pos, sizeof(r));
        size_t words = (size_t)r.n_listed * sizeof(DiffChangedWord);
        if (r.case_index != next || r.case_index >= n || r.n_listed > DIFF_MAX_CHANGED ||
            pos + sizeof(r) + words > size) {
            break;
        }
        Outcome *o = &outcomes[next];
        o->kind = OUT_RESULT;
        o->r = r;
        o->words = malloc(words ? words : 1);
        memcpy(o->words, buf + pos + sizeof(r), words);
        pos += sizeof(r) + words;
        next++;
    }
    free(buf);
    return next;
}

/* The emulator's last message, and the guest PC it names if any. */
static void note_death(const char *err_path, Outcome *o)
{
    size_t size;
    uint8_t *buf = read_file(err_path, &size);
    if (!buf || size == 0) {
        free(buf);
        return;
    }
    buf = realloc(buf, size + 1);
    buf[size] = 0;
    char *text = (char *)buf;
    while (size > 0 && (text[size - 1] == '\n' || text[size - 1] == ' ')) {
        text[--size] = 0;
    }
    char *last = strrchr(text, '\n');
    snprintf(o->message, sizeof(o->message), "%s", last ? last + 1 : text);
    char *pc = strstr(text, "at PC 0x");
    if (pc) {
        uint64_t addr = strtoull(pc + 8, NULL, 16);
        uint64_t slot = DIFF_CODE_BASE + DIFF_CODE_GUARD + (uint64_t)o->r.case_index * DIFF_SLOT_SIZE;
        if (addr >= slot && addr < slot + DIFF_SLOT_SIZE) {
            o->pc_known = true;
            o->pc_offset = addr - slot;
        }
    }
    free(buf);
}

bool exec_cases(const Emulator *emu, const char *runner, const char *case_file,
                const char *work_dir, unsigned n, Outcome *outcomes, ExecStats *stats)
{
    RunFiles files;
    snprintf(files.out, sizeof(files.out), "%s/%s.out", work_dir, emu->name);
    snprintf(files.err, sizeof(files.err), "%s/%s.err", work_dir, emu->name);
    unsigned first = 0;
    while (first < n) {
        /* A window of cases per process keeps restarts after a death cheap. */
        unsigned end = first + EXEC_WINDOW < n ? first + EXEC_WINDOW : n;
        pid_t pid = spawn_runner(emu, runner, case_file, first, end, &files);
        if (pid < 0) {
            perror("difftest: fork");
            return false;
        }
        ProcessEnd how = wait_with_timeout(pid, emu->timeout_s);
        stats->process_runs++;
        unsigned next = collect_records(files.out, first, end, outcomes);
        if (next >= end) {
            first = end;
            continue;
        }
        /* Exiting by itself before the last case (status 0, the runner's
         * own errors, exec failures) means the runner is broken; a death
         * by a signal (or 128 + signal) or a hang belongs to the case. */
        if (!how.hung && !how.signalled && how.status < 128) {
            size_t sz;
            uint8_t *msg = read_file(files.err, &sz);
            fprintf(stderr, "difftest: the runner under %s stopped at case %u (exit %d): %.*s\n",
                    emu->name, next, how.status, (int)sz, msg ? (char *)msg : "");
            free(msg);
            return false;
        }
        Outcome *o = &outcomes[next];
        o->r.case_index = next;
        if (how.hung) {
            o->kind = OUT_HANG;
            stats->hangs++;
        } else {
            o->kind = OUT_DIED;
            o->died_signo = how.signalled ? how.status : how.status - 128;
            stats->deaths++;
            note_death(files.err, o);
        }
        first = next + 1;
    }
    return true;
}

void outcomes_free(Outcome *o, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        free(o[i].words);
    }
    free(o);
}
