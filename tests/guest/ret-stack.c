/*
 * Calls and returns that a return-address predictor must not get wrong:
 * recursion far deeper than any bounded return stack, returns to an
 * address other than the caller's (setjmp/longjmp in a loop, a hand-made
 * "return elsewhere" in assembly), calls through pointers, a signal handler
 * that calls functions while the interrupted code is deep in a recursion,
 * and calls in several threads at once.  Prints one line per part; the
 * expected output is worked out by hand in the comments (and matches the
 * reference emulator).
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

/* sum of 1..n, one stack frame per level */
__attribute__((noinline)) static uint64_t sum_to(uint64_t n)
{
    if (n == 0)
        return 0;
    uint64_t r = n + sum_to(n - 1);
    __asm__ volatile("" : "+r"(r));          /* not a tail call */
    return r;
}

static jmp_buf escape;
static volatile int escape_depth;           /* 0; volatile so the recursion visibly ends */

/* Every path either recurses or longjmps, which gcc calls infinite. */
#pragma GCC diagnostic ignored "-Winfinite-recursion"
__attribute__((noinline)) static int dive(int depth)
{
    if (depth == escape_depth)
        longjmp(escape, 1);
    int r = dive(depth - 1);
    __asm__ volatile("" : "+r"(r));          /* not a tail call */
    return r + 1;
}

/* Returns to `to` instead of its caller: x30 is replaced before RET. */
void return_elsewhere(void (*to)(void));
__asm__(".text\n"
        ".global return_elsewhere\n"
        "return_elsewhere:\n"
        "    mov x30, x0\n"
        "    ret\n");

static volatile int elsewhere_hits;
static jmp_buf after_elsewhere;

static void landing(void)
{
    elsewhere_hits++;
    longjmp(after_elsewhere, 1);
}

typedef uint64_t (*unary_fn)(uint64_t);

__attribute__((noinline)) static uint64_t twice(uint64_t x) { return 2 * x; }
__attribute__((noinline)) static uint64_t plus3(uint64_t x) { return x + 3; }

static volatile uint64_t handler_sum;
static volatile int handler_runs;

static void on_alarm(int sig)
{
    handler_sum += sum_to(100);             /* 5050 each time */
    handler_runs++;
}

static void *thread_body(void *arg)
{
    uint64_t n = (uint64_t)(uintptr_t)arg, total = 0;
    for (int i = 0; i < 200; i++)
        total += sum_to(n);
    return (void *)(uintptr_t)total;
}

int main(void)
{
    /* 1. deep recursion: 100000 * 100001 / 2 */
    printf("deep %llu\n", (unsigned long long)sum_to(100000));

    /* 2. longjmp out of 50 frames, 20000 times, then normal calls again */
    int escapes = 0;
    for (int i = 0; i < 20000; i++) {
        if (setjmp(escape) == 0)
            dive(50);
        else
            escapes++;
    }
    printf("longjmp %d then %llu\n", escapes, (unsigned long long)sum_to(1000));

    /* 3. RET to an address that is not the caller's */
    for (int i = 0; i < 1000; i++) {
        if (setjmp(after_elsewhere) == 0)
            return_elsewhere(landing);
    }
    printf("elsewhere %d\n", elsewhere_hits);

    /* 4. calls through pointers: alternate twice and plus3 from one site.
     * x = 1; 1000 times: x = f(x) mod 2^20 with f = twice, plus3, ... */
    unary_fn fns[2] = { twice, plus3 };
    uint64_t x = 1;
    for (int i = 0; i < 1000; i++)
        x = fns[i & 1](x) & 0xfffff;
    printf("pointers %llu\n", (unsigned long long)x);

    /* 5. a signal handler that calls while the main code recurses */
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = { { 0, 1000 }, { 0, 1000 } };
    setitimer(ITIMER_REAL, &it, NULL);
    uint64_t acc = 0;
    while (handler_runs < 5)
        acc += sum_to(3000) == 4501500;
    struct itimerval off = { { 0, 0 }, { 0, 0 } };
    setitimer(ITIMER_REAL, &off, NULL);
    printf("signal ok %d\n", acc > 0 && handler_sum == 5050ull * (uint64_t)handler_runs);

    /* 6. four threads recursing at once: 200 * (n(n+1)/2) */
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, thread_body, (void *)(uintptr_t)(1000 * (i + 1)));
    for (int i = 0; i < 4; i++) {
        void *r;
        pthread_join(th[i], &r);
        uint64_t n = 1000 * (uint64_t)(i + 1);
        printf("thread %d %s\n", i, (uint64_t)(uintptr_t)r == 200 * (n * (n + 1) / 2) ? "ok" : "wrong");
    }
    return 0;
}
