/* system/cpuid.h -- building the guest's CPUID table (see cpuid.c). */
#ifndef FERRY_SYSTEM_CPUID_H
#define FERRY_SYSTEM_CPUID_H

#include <linux/kvm.h>
#include <stdbool.h>
#include <stdint.h>

/* KVM_GET_SUPPORTED_CPUID, grown until it fits; NULL on failure (errno set). */
struct kvm_cpuid2 *cpuid_supported(int kvm_fd);
/* A filtered copy for one vCPU (APIC ids filled in); caller frees. */
struct kvm_cpuid2 *cpuid_for_guest(const struct kvm_cpuid2 *supported, int vcpu_id, int ncpus);
/* reg: 0 eax, 1 ebx, 2 ecx, 3 edx. */
bool cpuid_has_feature(const struct kvm_cpuid2 *c, uint32_t function, uint32_t index,
                       int reg, unsigned bit);

#endif
