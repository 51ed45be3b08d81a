/*
 * host_cpu(): the host's CPU features on first use (see host-cpu.h).  The
 * C library has already asked the CPU at start-up (and checked what the
 * OS enables), so its answers are taken where it offers them
 * (<sys/platform/x86.h>); each CPUID is a VM exit under a hypervisor,
 * about 15 us apiece where this was measured.  Otherwise CPUID.
 */
#include <cpuid.h>
#include <pthread.h>
#include <stdint.h>
#if __has_include(<sys/platform/x86.h>)
#include <sys/platform/x86.h>
#endif

#include "host/x86_64/host-cpu.h"

static HostCpu the_host_cpu;
static pthread_once_t host_cpu_once = PTHREAD_ONCE_INIT;

#ifdef CPU_FEATURE_ACTIVE
static void read_host_cpu(void)
{
    HostCpu *h = &the_host_cpu;
    h->ssse3 = CPU_FEATURE_ACTIVE(SSSE3);
    h->sse41 = CPU_FEATURE_ACTIVE(SSE4_1);
    h->sse42 = CPU_FEATURE_ACTIVE(SSE4_2);
    h->popcnt = CPU_FEATURE_ACTIVE(POPCNT);
    h->fma = CPU_FEATURE_ACTIVE(FMA);
    h->aes = CPU_FEATURE_ACTIVE(AES);
    h->pclmul = CPU_FEATURE_ACTIVE(PCLMULQDQ);
    h->bmi1 = CPU_FEATURE_ACTIVE(BMI1);
    h->bmi2 = CPU_FEATURE_ACTIVE(BMI2);
    h->avx2 = CPU_FEATURE_ACTIVE(AVX2);
    h->lzcnt = CPU_FEATURE_ACTIVE(LZCNT);
}
#else
/* XCR0 bits 1 and 2: the OS saves SSE and AVX (YMM) state. */
static bool os_saves_ymm(void)
{
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (lo & 6) == 6;
}

static void read_host_cpu(void)
{
    unsigned max, a, b, c, d;
    __cpuid(0, max, b, c, d);
    if (max >= 1) {
        __cpuid(1, a, b, c, d);
        bool ymm = (c >> 27 & 1) && (c >> 28 & 1) && os_saves_ymm();   /* OSXSAVE, AVX */
        the_host_cpu.ssse3 = c >> 9 & 1;
        the_host_cpu.sse41 = c >> 19 & 1;
        the_host_cpu.sse42 = c >> 20 & 1;
        the_host_cpu.popcnt = c >> 23 & 1;
        the_host_cpu.fma = ymm && (c >> 12 & 1);
        the_host_cpu.aes = c >> 25 & 1;
        the_host_cpu.pclmul = c >> 1 & 1;
        if (max >= 7) {
            __cpuid_count(7, 0, a, b, c, d);
            the_host_cpu.bmi1 = b >> 3 & 1;
            the_host_cpu.bmi2 = b >> 8 & 1;
            the_host_cpu.avx2 = ymm && (b >> 5 & 1);
        }
    }
    __cpuid(0x80000000u, max, b, c, d);
    if (max >= 0x80000001u) {
        __cpuid(0x80000001u, a, b, c, d);
        the_host_cpu.lzcnt = c >> 5 & 1;
    }
}
#endif

const HostCpu *host_cpu(void)
{
    pthread_once(&host_cpu_once, read_host_cpu);
    return &the_host_cpu;
}

const char *host_cpu_missing(void)
{
    const HostCpu *cpu = host_cpu();
    return !cpu->ssse3 ? "SSSE3" : !cpu->sse41 ? "SSE4.1" : !cpu->sse42 ? "SSE4.2"
         : !cpu->popcnt ? "POPCNT" : NULL;
}
