/* tests/system/native-loop.c -- the CPL3 guest's compute loop run natively
 * on the host: prints "native cycles=N" (rdtsc, best of three) for test (c)
 * to compare with the guest's figure. */
#include "guest/loop.h"

#include <stdio.h>
#include <x86intrin.h>

int main(void)
{
    uint64_t best = ~0ULL, sink = 0;
    for (int round = 0; round < 3; round++) {
        uint64_t t0 = __rdtsc();
        sink += compute_loop(LOOP_ITERATIONS);
        uint64_t t1 = __rdtsc();
        if (t1 - t0 < best)
            best = t1 - t0;
    }
    printf("native cycles=%llu result=0x%016llx\n", (unsigned long long)best,
           (unsigned long long)sink);
    return 0;
}
