/*
 * Guest test of loops whose body spans several blocks (a conditional
 * branch out, more code, a conditional branch back to the start), which
 * the translator makes one block with side exits and a back edge inside
 * it:
 *   - the loop's result, leaving through the back branch's fall-through
 *     and through the early exit, with NZCV read after the exit; a loop
 *     with two different places to leave for;
 *   - a fault in the middle of the loop: the handler sees the registers of
 *     the faulting iteration (values worked out below from the loop's
 *     definition), including ones written earlier in the same iteration;
 *   - SIGALRM arriving while such a loop spins: the handler runs and the
 *     loop sees the flag it sets (so the back edge checks for signals).
 * Self-checking; one line per check.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/time.h>

#include "sys-check.h"

/* The loop: for i from 0 while i != n: v = p[i]; acc += v; if v == 0x7f
 * leave early; t = acc ^ (i << 3); i++.  Returns acc, i, t and the NZCV
 * seen after the loop. */
struct loop_out { uint64_t acc, i, t, nzcv; };

static struct loop_out run_loop(const uint64_t *p, uint64_t n)
{
    struct loop_out o;
    __asm__ volatile(
        "mov x9, #0\n"
        "mov x10, #0\n"
        "mov x14, #0\n"
        "1: ldr x13, [%[p], x9, lsl #3]\n"
        "add x10, x10, x13\n"
        "cmp x13, #0x7f\n"
        "b.eq 2f\n"
        "eor x14, x10, x9, lsl #3\n"
        "add x9, x9, #1\n"
        "cmp x9, %[n]\n"
        "b.ne 1b\n"
        "2: mrs x15, nzcv\n"
        "mov %[acc], x10\n"
        "mov %[i], x9\n"
        "mov %[t], x14\n"
        "mov %[nzcv], x15\n"
        : [acc] "=&r"(o.acc), [i] "=&r"(o.i), [t] "=&r"(o.t), [nzcv] "=&r"(o.nzcv)
        : [p] "r"(p), [n] "r"(n)
        : "x9", "x10", "x13", "x14", "x15", "cc", "memory");
    return o;
}

/* The same loop in C, for the expected values. */
static struct loop_out model_loop(const uint64_t *p, uint64_t n)
{
    struct loop_out o = { 0, 0, 0, 0 };
    for (;;) {
        uint64_t v = p[o.i];
        o.acc += v;
        if (v == 0x7f) {
            o.nzcv = 0x60000000;        /* cmp equal: Z, C */
            return o;
        }
        o.t = o.acc ^ (o.i << 3);
        o.i++;
        if (o.i == n) {
            o.nzcv = 0x60000000;        /* cmp x9, n equal: Z, C */
            return o;
        }
    }
}

static void test_results(void)
{
    static uint64_t data[64];
    for (int k = 0; k < 64; k++) {
        data[k] = (uint64_t)k * 0x9e3779b97f4a7c15ull >> 7;
    }
    struct loop_out got = run_loop(data, 64), want = model_loop(data, 64);
    check(got.acc == want.acc && got.i == 64 && got.t == want.t && got.nzcv == want.nzcv,
          "a several-block loop runs to its end with the right registers and NZCV");
    data[40] = 0x7f;
    got = run_loop(data, 64);
    want = model_loop(data, 64);
    check(got.acc == want.acc && got.i == 40 && got.t == want.t && got.nzcv == want.nzcv,
          "its early exit leaves with the right registers and NZCV");
}

/* A loop with two places to leave for: a zero element leaves for 3:
 * (way = 1), 0x7f or the end of the array for 2: (way = 3). */
struct loop2_out { uint64_t acc, i, way; };

static struct loop2_out run_loop2(const uint64_t *p, uint64_t n)
{
    struct loop2_out o;
    __asm__ volatile(
        "mov x9, #0\n"
        "mov x10, #0\n"
        "mov x15, #0\n"
        "1: ldr x13, [%[p], x9, lsl #3]\n"
        "cbz x13, 3f\n"
        "add x10, x10, x13\n"
        "cmp x13, #0x7f\n"
        "b.eq 2f\n"
        "add x9, x9, #1\n"
        "cmp x9, %[n]\n"
        "b.ne 1b\n"
        "2: add x15, x15, #2\n"
        "3: add x15, x15, #1\n"
        "mov %[acc], x10\n"
        "mov %[i], x9\n"
        "mov %[way], x15\n"
        : [acc] "=&r"(o.acc), [i] "=&r"(o.i), [way] "=&r"(o.way)
        : [p] "r"(p), [n] "r"(n)
        : "x9", "x10", "x13", "x15", "cc", "memory");
    return o;
}

static void test_two_exits(void)
{
    static uint64_t data[48];
    for (int k = 0; k < 48; k++) {
        data[k] = 5 + (uint64_t)k;
    }
    /* all 48: 48 * 5 + (0 + ... + 47) = 240 + 1128 */
    struct loop2_out o = run_loop2(data, 48);
    check(o.way == 3 && o.i == 48 && o.acc == 1368, "a loop with two exits runs to its end");
    /* data[0..19] = 20 * 5 + (0 + ... + 19) = 290, then 0x7f (added before the compare) */
    data[20] = 0x7f;
    o = run_loop2(data, 48);
    check(o.way == 3 && o.i == 20 && o.acc == 290 + 0x7f, "it leaves at 0x7f for the end's target");
    /* data[0..29] = 30 * 5 + (0 + ... + 29) = 585 (data[20] is 25 again), then the zero */
    data[20] = 25;
    data[30] = 0;
    o = run_loop2(data, 48);
    check(o.way == 1 && o.i == 30 && o.acc == 585, "it leaves at a zero for the other target");
}

static sigjmp_buf fault_env;
static volatile uint64_t fault_regs[31], fault_pc;

static void on_fault(int sig, siginfo_t *si, void *ucv)
{
    (void)sig;
    (void)si;
    ucontext_t *uc = ucv;
    for (int r = 0; r < 31; r++) {
        fault_regs[r] = uc->uc_mcontext.regs[r];
    }
    fault_pc = uc->uc_mcontext.pc;
    siglongjmp(fault_env, 1);
}

static void test_fault(void)
{
    long page = sysconf(_SC_PAGESIZE);
    uint8_t *m = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check(m != MAP_FAILED, "mmap two pages");
    mprotect(m + page, page, PROT_NONE);
    /* 25 readable elements, then the guard page */
    uint64_t *p = (uint64_t *)(m + page) - 25;
    for (int k = 0; k < 25; k++) {
        p[k] = 1000 + 3 * (uint64_t)k;
    }
    struct sigaction sa = { 0 };
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    int faulted = 0;
    if (sigsetjmp(fault_env, 1) == 0) {
        run_loop(p, 100);
    } else {
        faulted = 1;
    }
    /* iterations 0..24 ran: acc = sum of p[0..24], t = acc ^ (24 << 3),
     * then the load of p[25] faults with i = 25 */
    uint64_t acc = 0;
    for (int k = 0; k < 25; k++) {
        acc += p[k];
    }
    check(faulted, "the load past the guard page faults");
    check(fault_regs[9] == 25, "the faulting iteration's i (x9) is exact");
    check(fault_regs[10] == acc, "the accumulator (x10) is exact");
    check(fault_regs[14] == (acc ^ (24u << 3)), "the previous iteration's t (x14) is exact");
    check(fault_regs[13] == p[24], "the last loaded value (x13) is exact");
    check((*(uint32_t *)fault_pc & 0xfffffc1f) == 0xf869780d, "the pc is the faulting ldr x13, [xN, x9, lsl #3]");
    signal(SIGSEGV, SIG_DFL);
    munmap(m, 2 * page);
}

static volatile uint32_t alarm_flag;

static void on_alarm(int sig)
{
    (void)sig;
    alarm_flag = 1;
}

/* Spin in a several-block loop until the flag is set; returns the count. */
static uint64_t spin_until_flag(void)
{
    uint64_t n;
    __asm__ volatile(
        "mov x2, #0\n"
        "mov x3, #-1\n"
        "1: ldr w1, [%[flag]]\n"
        "cbnz w1, 2f\n"
        "add x2, x2, #1\n"
        "cmp x2, x3\n"
        "b.ne 1b\n"
        "2: mov %[n], x2\n"
        : [n] "=r"(n)
        : [flag] "r"(&alarm_flag)
        : "x1", "x2", "x3", "cc", "memory");
    return n;
}

static void test_alarm(void)
{
    signal(SIGALRM, on_alarm);
    struct itimerval it = { .it_value = { .tv_usec = 20000 } };
    setitimer(ITIMER_REAL, &it, NULL);
    uint64_t n = spin_until_flag();
    check(alarm_flag == 1 && n > 0, "SIGALRM reaches a handler while a several-block loop spins");
}

int main(void)
{
    test_results();
    test_two_exits();
    test_fault();
    test_alarm();
    return failures != 0;
}
