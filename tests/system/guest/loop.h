/* tests/system/guest/loop.h -- the compute loop timed by test (c), shared by
 * the CPL3 guest and the native run it is compared with. */
#ifndef FERRY_TEST_LOOP_H
#define FERRY_TEST_LOOP_H

#include <stdint.h>

#define LOOP_ITERATIONS 20000000ULL

/* A dependent multiply-add chain: a few cycles per iteration, no memory. */
static inline uint64_t compute_loop(uint64_t n)
{
    uint64_t x = 1, k = n, mul = 6364136223846793005ULL, inc = 1442695040888963407ULL;
    __asm__ volatile(
        "1:\n\t"
        "imul %2, %0\n\t"
        "add %3, %0\n\t"
        "dec %1\n\t"
        "jnz 1b"
        : "+r"(x), "+r"(k)
        : "r"(mul), "r"(inc));
    return x;
}

/* Best of three timed runs (clock: rdtsc); the results are summed into
 * *sink so the work cannot be dropped. */
static inline uint64_t time_loop_best_of_3(uint64_t (*clock)(void), uint64_t *sink)
{
    uint64_t best = ~0ULL;
    for (int round = 0; round < 3; round++) {
        uint64_t t0 = clock();
        *sink += compute_loop(LOOP_ITERATIONS);
        uint64_t t1 = clock();
        if (t1 - t0 < best)
            best = t1 - t0;
    }
    return best;
}

#endif
