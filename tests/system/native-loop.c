/* tests/system/native-loop.c -- the CPL3 guest's compute loop run natively
 * on the host: prints "native cycles=N" (rdtsc, best of three) for test (c)
 * to compare with the guest's figure. */
#include "guest/loop.h"

#include <stdio.h>
#include <x86intrin.h>

static uint64_t host_rdtsc(void)
{
    return __rdtsc();
}

int main(void)
{
    uint64_t sink = 0;
    uint64_t best = time_loop_best_of_3(host_rdtsc, &sink);
    printf("native cycles=%llu result=0x%016llx\n", (unsigned long long)best,
           (unsigned long long)sink);
    return 0;
}
