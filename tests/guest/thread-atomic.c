/*
 * Threads: 16 threads increment shared counters with exclusive load/store
 * loops only (LDXR/STXR and LDAXR/STLXR, no LSE: outline atomics are
 * off, so __atomic builtins become exclusive loops too), plus a
 * compare-and-swap spin lock.  Every total must be exact.
 */
#pragma GCC target("arch=armv8-a")
#pragma GCC target("no-outline-atomics")
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#define THREADS 16
#define ITERS 200000

static uint64_t builtin_counter;
static uint32_t asm_counter;
static uint64_t locked_counter;
static int spin;
static pthread_barrier_t start;     /* all threads start together */

static void asm_add32(uint32_t *p, uint32_t v)
{
    uint32_t tmp, fail;
    __asm__ volatile("1: ldaxr %w0, [%2]\n"
                     "   add %w0, %w0, %w3\n"
                     "   stlxr %w1, %w0, [%2]\n"
                     "   cbnz %w1, 1b\n"
                     : "=&r"(tmp), "=&r"(fail) : "r"(p), "r"(v) : "memory");
}

static void spin_lock(int *l)
{
    int expected = 0;
    while (!__atomic_compare_exchange_n(l, &expected, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
        expected = 0;
}

static void spin_unlock(int *l)
{
    __atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

static void *work(void *arg)
{
    pthread_barrier_wait(&start);
    for (int i = 0; i < ITERS; i++) {
        __atomic_fetch_add(&builtin_counter, 3, __ATOMIC_RELAXED);
        asm_add32(&asm_counter, 1);
        if ((i & 15) == 0) {
            spin_lock(&spin);
            locked_counter += 2;
            spin_unlock(&spin);
        }
    }
    return arg;
}

int main(void)
{
    pthread_t t[THREADS];
    pthread_barrier_init(&start, NULL, THREADS);
    for (int i = 0; i < THREADS; i++)
        if (pthread_create(&t[i], NULL, work, NULL) != 0)
            return 1;
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    printf("builtin %llu asm %u locked %llu\n", (unsigned long long)builtin_counter, asm_counter,
           (unsigned long long)locked_counter);
    int ok = builtin_counter == 3ull * THREADS * ITERS && asm_counter == (uint32_t)THREADS * ITERS &&
             locked_counter == 2ull * THREADS * (ITERS / 16);
    return ok ? 0 : 1;
}
