/*
 * Threads: the futex operations one by one through the raw system call
 * (WAIT/WAKE, timeouts on CLOCK_MONOTONIC and CLOCK_REALTIME, REQUEUE,
 * CMP_REQUEUE, WAKE_OP, WAIT_BITSET/WAKE_BITSET, private and shared), a
 * thread made with raw clone3, and the per-thread calls that pass through
 * (gettid, getcpu, membarrier, sched_getaffinity).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <linux/sched.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

static int failures;
#define CHECK(cond, ...) do { if (!(cond)) { printf("FAIL: " __VA_ARGS__); printf("\n"); failures++; } } while (0)

static long futex(uint32_t *uaddr, int op, uint32_t val, const void *timeout_or_val2,
                  uint32_t *uaddr2, uint32_t val3)
{
    return syscall(SYS_futex, uaddr, op, val, timeout_or_val2, uaddr2, val3);
}

static uint32_t word, word2;
static int woken;

static void *waiter(void *arg)
{
    int op = (int)(long)arg;
    uint32_t bits = op == FUTEX_WAIT_BITSET ? 0x2 : FUTEX_BITSET_MATCH_ANY;
    long r;
    do
        r = futex(&word, op, 0, NULL, NULL, bits);
    while (r != 0 && errno == EINTR);
    __atomic_fetch_add(&woken, 1, __ATOMIC_SEQ_CST);
    return (void *)r;
}

/* Wait until n threads sleep on the futex (seen through the wake count of
 * a later wake), by retrying a 0-wake "probe": there is no such probe, so
 * just give them time. */
static void let_them_sleep(void)
{
    struct timespec ts = { 0, 50 * 1000 * 1000 };
    nanosleep(&ts, NULL);
}

static void start_waiters(pthread_t *t, int n, int op)
{
    word = 0;
    woken = 0;
    for (int i = 0; i < n; i++)
        pthread_create(&t[i], NULL, waiter, (void *)(long)op);
    let_them_sleep();
}

static void join_all(pthread_t *t, int n)
{
    for (int i = 0; i < n; i++)
        pthread_join(t[i], NULL);
}

static void test_wait_wake(void)
{
    pthread_t t[4];
    start_waiters(t, 4, FUTEX_WAIT_PRIVATE);
    long n = futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    let_them_sleep();
    CHECK(n == 1 && woken == 1, "wake 1: %ld woken %d", n, woken);
    n = futex(&word, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0);
    join_all(t, 4);
    CHECK(n == 3 && woken == 4, "wake rest: %ld", n);
    printf("wait/wake: ok\n");

    /* value mismatch: EAGAIN at once */
    word = 5;
    long r = futex(&word, FUTEX_WAIT, 4, NULL, NULL, 0);
    CHECK(r == -1 && errno == EAGAIN, "wait on changed value: %ld errno %d", r, errno);

    /* relative timeout */
    struct timespec rel = { 0, 20 * 1000 * 1000 };
    r = futex(&word, FUTEX_WAIT_PRIVATE, 5, &rel, NULL, 0);
    CHECK(r == -1 && errno == ETIMEDOUT, "relative timeout: %ld errno %d", r, errno);

    /* absolute timeout on CLOCK_REALTIME through WAIT_BITSET */
    struct timespec abs;
    clock_gettime(CLOCK_REALTIME, &abs);
    abs.tv_nsec += 20 * 1000 * 1000;
    if (abs.tv_nsec >= 1000000000) {
        abs.tv_sec++;
        abs.tv_nsec -= 1000000000;
    }
    r = futex(&word, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 5, &abs, NULL, FUTEX_BITSET_MATCH_ANY);
    CHECK(r == -1 && errno == ETIMEDOUT, "realtime timeout: %ld errno %d", r, errno);
    printf("timeouts: ok\n");
}

static void test_requeue(void)
{
    pthread_t t[4];
    start_waiters(t, 4, FUTEX_WAIT);
    /* wake 1, move up to 2 to word2 */
    long n = futex(&word, FUTEX_REQUEUE, 1, (void *)2L, &word2, 0);
    CHECK(n == 3, "requeue returned %ld", n);
    /* CMP_REQUEUE with the wrong value fails */
    long r = futex(&word, FUTEX_CMP_REQUEUE, 0, (void *)1L, &word2, 99);
    CHECK(r == -1 && errno == EAGAIN, "cmp_requeue mismatch: %ld", r);
    /* the remaining one on word: requeue it with the right value */
    n = futex(&word, FUTEX_CMP_REQUEUE, 0, (void *)1L, &word2, 0);
    CHECK(n == 1, "cmp_requeue moved %ld", n);
    let_them_sleep();
    CHECK(woken == 1, "only one woken so far: %d", woken);
    n = futex(&word2, FUTEX_WAKE, 10, NULL, NULL, 0);
    join_all(t, 4);
    CHECK(n == 3 && woken == 4, "wake on word2: %ld", n);
    printf("requeue: ok\n");
}

static void test_wake_op(void)
{
    pthread_t t[2];
    start_waiters(t, 1, FUTEX_WAIT);
    word2 = 3;
    /* word2 += 4 (old 3); wake 1 on word; wake 1 on word2 if old > 2 */
    uint32_t op = FUTEX_OP(FUTEX_OP_ADD, 4, FUTEX_OP_CMP_GT, 2);
    long n = futex(&word, FUTEX_WAKE_OP, 1, (void *)1L, &word2, op);
    join_all(t, 1);
    CHECK(n == 1 && word2 == 7, "wake_op: %ld word2 %u", n, word2);
    printf("wake_op: ok\n");
}

static void test_bitset(void)
{
    pthread_t t[2];
    start_waiters(t, 2, FUTEX_WAIT_BITSET);   /* each waits with mask 0x2 */
    long n = futex(&word, FUTEX_WAKE_BITSET, 10, NULL, NULL, 0x1);
    CHECK(n == 0, "wake with a disjoint mask woke %ld", n);
    n = futex(&word, FUTEX_WAKE_BITSET, 10, NULL, NULL, 0x6);
    join_all(t, 2);
    CHECK(n == 2, "wake with an overlapping mask woke %ld", n);
    printf("bitset: ok\n");
}

/* ---- raw clone3 ---- */

static uint32_t clone3_child_tid, clone3_parent_tid;
static volatile int clone3_ran;
static char clone3_stack[64 * 1024] __attribute__((aligned(16)));

static void test_clone3(void)
{
    struct clone_args args;
    memset(&args, 0, sizeof args);
    args.flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM |
                 CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID;
    args.child_tid = (uintptr_t)&clone3_child_tid;
    args.parent_tid = (uintptr_t)&clone3_parent_tid;
    args.stack = (uintptr_t)clone3_stack;
    args.stack_size = sizeof clone3_stack;
    /* The child runs on the new stack: it can only touch registers and
     * globals, then exits the thread with the raw system call. */
    register long x0 __asm__("x0") = (long)&args;
    register long x1 __asm__("x1") = sizeof args;
    register long x8 __asm__("x8") = SYS_clone3;
    register volatile int *ran __asm__("x9") = &clone3_ran;
    __asm__ volatile("svc #0\n"
                     "cbnz x0, 1f\n"
                     "mov w10, #1\n"
                     "str w10, [x9]\n"
                     "mov x0, #0\n"
                     "mov x8, #93\n"          /* exit: this thread only */
                     "svc #0\n"
                     "1:\n"
                     : "+r"(x0) : "r"(x1), "r"(x8), "r"(ran) : "x10", "memory", "cc");
    long tid = x0;
    CHECK(tid > 0, "clone3 returned %ld", tid);
    /* CLONE_CHILD_CLEARTID: the word drops to 0 when the thread is gone */
    while (__atomic_load_n(&clone3_child_tid, __ATOMIC_SEQ_CST) != 0)
        futex(&clone3_child_tid, FUTEX_WAIT, clone3_child_tid, NULL, NULL, 0);
    CHECK(clone3_parent_tid == (uint32_t)tid, "parent_tid %u, clone3 gave %ld", clone3_parent_tid, tid);
    CHECK(clone3_ran == 1, "clone3 child did not run");
    printf("clone3 thread: ok\n");
}

static void test_passthrough(void)
{
    unsigned cpu = ~0u, node = ~0u;
    long r = syscall(SYS_getcpu, &cpu, &node, NULL);
    cpu_set_t set;
    CPU_ZERO(&set);
    long n = syscall(SYS_sched_getaffinity, 0, sizeof set, &set);
    CHECK(r == 0 && n > 0 && CPU_ISSET(cpu, &set), "getcpu %u not in the affinity mask", cpu);
    long cmds = syscall(SYS_membarrier, 0 /* MEMBARRIER_CMD_QUERY */, 0, 0);
    CHECK(cmds >= 0, "membarrier query: %ld", cmds);
    if (cmds & 1 /* MEMBARRIER_CMD_GLOBAL */)
        CHECK(syscall(SYS_membarrier, 1, 0, 0) == 0, "membarrier global");
    CHECK(syscall(SYS_gettid) == getpid(), "main thread's tid is the pid");
    printf("getcpu/affinity/membarrier/gettid: ok\n");
}

int main(void)
{
    test_wait_wake();
    test_requeue();
    test_wake_op();
    test_bitset();
    test_clone3();
    test_passthrough();
    printf("%s\n", failures ? "FAILED" : "all ok");
    return failures != 0;
}
