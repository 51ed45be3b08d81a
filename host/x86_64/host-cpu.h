/*
 * What the host CPU offers, read once with CPUID: the one place ferry asks.
 * (The compiler's __builtin_cpu_supports would pull in a start-up
 * constructor that runs a dozen CPUIDs, each a VM exit under a hypervisor,
 * in every ferry process, translated FP code or not.)
 */
#ifndef FERRY_HOST_X86_64_HOST_CPU_H
#define FERRY_HOST_X86_64_HOST_CPU_H

#include <stdbool.h>

typedef struct HostCpu {
    bool ssse3, sse41, sse42, popcnt;   /* required (x86-64-v2) */
    bool bmi1, bmi2, lzcnt;     /* integer: andn/bextr, shlx/rorx, lzcnt */
    bool avx2, fma;             /* with the OS saving YMM state */
    bool aes, pclmul;
} HostCpu;

const HostCpu *host_cpu(void);

/* The first feature translated code needs that the host lacks, or NULL. */
const char *host_cpu_missing(void);

#endif
