/*
 * The differential tester's guest program (arm64, static).
 *
 *   runner CASEFILE [FIRST [END]]
 *
 * Maps the case file written by difftest, lays each case's sequence out
 * in its own code slot at a fixed address, then runs cases FIRST to
 * END-1 (default: all), one at a time: fill the scratch block from the case's seed, enter
 * the sequence with the case's register file (runner-entry.S), and write
 * one DiffResult to stdout as soon as the case ends, so a process that dies
 * part-way still leaves every finished case behind.  A fault inside a
 * sequence (SIGSEGV, SIGILL, SIGBUS, SIGFPE, SIGTRAP) is caught on an
 * alternate stack and becomes the case's outcome.
 *
 * Slot layout (DIFF_SLOT_SIZE bytes):
 *   ldr x30, lit_x30 ; sequence ; msr tpidr_el0, x0 ; ldr x0, lit_stub ;
 *   br x0 ; zeros ... ; lit_x30 ; lit_stub
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <ucontext.h>
#include <unistd.h>

#include "diff-format.h"

extern DiffState diff_out;
void diff_enter(const DiffState *in);
void diff_exit_stub(void);
void diff_restore_host_regs(void);

#define SCRATCH_WORDS (DIFF_SCRATCH_SIZE / 8)

typedef struct Runner {
    const DiffCase *cases;
    uint32_t n_cases;
    uint8_t *code;              /* first slot */
    uint64_t *scratch;
    uint64_t initial[SCRATCH_WORDS];
} Runner;

/* What the fault handler hands back to the case loop. */
static sigjmp_buf fault_jump;
static volatile sig_atomic_t fault_signo, fault_code;
static volatile uint64_t fault_pc;

static void die(const char *what)
{
    fprintf(stderr, "runner: %s: %s\n", what, strerror(errno));
    exit(2);
}

/* The case file, mapped: a restart at case k touches only what it runs. */
static const void *map_case_file(const char *path, size_t *size)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        die(path);
    }
    void *p = mmap(NULL, st.st_size ? st.st_size : 1, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
        die("mmap of the case file");
    }
    close(fd);
    *size = st.st_size;
    return p;
}

static void *map_fixed(uint64_t addr, size_t size, int prot)
{
    void *p = mmap((void *)addr, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p == MAP_FAILED) {
        die("mmap");
    }
    if ((uint64_t)p != addr) {
        fprintf(stderr, "runner: mmap gave %p instead of %#llx\n", p, (unsigned long long)addr);
        exit(2);
    }
    return p;
}

/* LDR Xt, label: 0x58000000 | imm19 << 5 | Rt (imm19 in words). */
static uint32_t ldr_literal(int rt, uint32_t from, uint32_t to)
{
    return 0x58000000u | (((to - from) / 4) & 0x7ffff) << 5 | rt;
}

static void write_slot(uint8_t *slot, const DiffCase *c)
{
    uint32_t *w = (uint32_t *)slot;
    unsigned n = c->n_insns > DIFF_MAX_INSNS ? DIFF_MAX_INSNS : c->n_insns;
    unsigned i = 0;
    memset(slot, 0, DIFF_SLOT_SIZE);
    w[i] = ldr_literal(30, i * 4, DIFF_SLOT_LIT_X30);
    i++;
    for (unsigned k = 0; k < n; k++) {
        w[i++] = c->insns[k];
    }
    w[i++] = 0xd51bd040;                /* msr tpidr_el0, x0 */
    w[i] = ldr_literal(0, i * 4, DIFF_SLOT_LIT_STUB);
    i++;
    w[i++] = 0xd61f0000;                /* br x0 */
    uint64_t x30 = c->init.x[30], stub = (uint64_t)(uintptr_t)diff_exit_stub;
    memcpy(slot + DIFF_SLOT_LIT_X30, &x30, 8);
    memcpy(slot + DIFF_SLOT_LIT_STUB, &stub, 8);
}

/* Slots FIRST..END-1 and one more on each side: literal loads reach at
 * most one slot away, so a restarted runner sees the same bytes as a full
 * run. */
static void lay_out_code(Runner *r, uint32_t first, uint32_t end)
{
    size_t size = 2 * DIFF_CODE_GUARD + (size_t)r->n_cases * DIFF_SLOT_SIZE;
    uint8_t *region = map_fixed(DIFF_CODE_BASE, size, PROT_READ | PROT_WRITE);
    r->code = region + DIFF_CODE_GUARD;
    uint32_t last = end < r->n_cases ? end + 1 : r->n_cases;
    for (uint32_t i = first ? first - 1 : 0; i < last; i++) {
        write_slot(r->code + (size_t)i * DIFF_SLOT_SIZE, &r->cases[i]);
    }
    __builtin___clear_cache((char *)region, (char *)region + size);
    if (mprotect(region, size, PROT_READ | PROT_EXEC) < 0) {
        die("mprotect");
    }
}

static void on_fault(int signo, siginfo_t *si, void *uc_arg)
{
    diff_restore_host_regs();
    ucontext_t *uc = uc_arg;
    fault_signo = signo;
    fault_code = si->si_code;
    fault_pc = uc->uc_mcontext.pc;
    siglongjmp(fault_jump, 1);
}

static void install_fault_handlers(void)
{
    static uint8_t altstack[64 * 1024] __attribute__((aligned(16)));
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
    if (sigaltstack(&ss, NULL) < 0) {
        die("sigaltstack");
    }
    static const int sigs[] = { SIGSEGV, SIGILL, SIGBUS, SIGFPE, SIGTRAP };
    for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
        struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER };
        sigemptyset(&sa.sa_mask);
        if (sigaction(sigs[i], &sa, NULL) < 0) {
            die("sigaction");
        }
    }
}

static void write_all(const void *p, size_t n)
{
    const uint8_t *b = p;
    while (n) {
        ssize_t w = write(1, b, n);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            die("write");
        }
        b += w;
        n -= w;
    }
}

/* Record the scratch words that changed, as many as fit. */
static void report_case(const Runner *r, DiffResult *res)
{
    static struct {
        DiffResult res;
        DiffChangedWord words[DIFF_MAX_CHANGED];
    } out;
    res->scratch_hash = diff_fnv1a((const uint8_t *)r->scratch, DIFF_SCRATCH_SIZE);
    res->n_changed = res->n_listed = 0;
    for (unsigned i = 0; i < SCRATCH_WORDS; i++) {
        if (r->scratch[i] == r->initial[i]) {
            continue;
        }
        if (res->n_listed < DIFF_MAX_CHANGED) {
            out.words[res->n_listed++] = (DiffChangedWord){ .offset = i * 8, .value = r->scratch[i] };
        }
        res->n_changed++;
    }
    out.res = *res;
    write_all(&out, sizeof(DiffResult) + res->n_listed * sizeof(DiffChangedWord));
}

static void run_case(Runner *r, uint32_t index)
{
    const DiffCase *c = &r->cases[index];
    static DiffState in __attribute__((aligned(16)));
    DiffResult res = { .case_index = index };

    diff_fill_scratch(r->initial, SCRATCH_WORDS, c->scratch_seed);
    memcpy(r->scratch, r->initial, DIFF_SCRATCH_SIZE);
    in = c->init;
    in.entry = (uint64_t)(uintptr_t)(r->code + (size_t)index * DIFF_SLOT_SIZE);

    if (sigsetjmp(fault_jump, 1) == 0) {
        diff_enter(&in);
        res.outcome = DIFF_DONE;
        res.state = diff_out;
        res.state.entry = 0;
    } else {
        res.outcome = DIFF_FAULT;
        res.signo = fault_signo;
        res.si_code = fault_code;
        res.pc_offset = fault_pc - in.entry;
    }
    report_case(r, &res);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: runner CASEFILE [FIRST [END]]\n");
        return 2;
    }
    size_t size;
    const uint8_t *file = map_case_file(argv[1], &size);
    const DiffFileHeader *h = (const DiffFileHeader *)file;
    if (size < sizeof(*h) || memcmp(h->magic, DIFF_MAGIC, 8) != 0 ||
        size < sizeof(*h) + (size_t)h->n_cases * sizeof(DiffCase)) {
        fprintf(stderr, "runner: %s is not a case file\n", argv[1]);
        return 2;
    }
    static Runner r;
    r.cases = (const DiffCase *)(file + sizeof(*h));
    r.n_cases = h->n_cases;
    uint32_t first = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 0) : 0;
    uint32_t end = argc > 3 ? (uint32_t)strtoul(argv[3], NULL, 0) : r.n_cases;
    if (end > r.n_cases) {
        end = r.n_cases;
    }

    lay_out_code(&r, first, end);
    r.scratch = map_fixed(DIFF_SCRATCH_BASE, DIFF_SCRATCH_SIZE, PROT_READ | PROT_WRITE);
    install_fault_handlers();
    for (uint32_t i = first; i < end; i++) {
        run_case(&r, i);
    }
    return 0;
}
