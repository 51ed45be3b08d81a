/* system/cpuid.c -- the CPUID a ferry-system guest sees: what KVM reports as
 * supported, less what this host cannot actually run for the guest (on a PVM
 * host the CPL0 emulator has no XSAVE family and no cmpxchg16b, and without
 * XSAVE no AVX state can be enabled), plus per-vCPU APIC ids. */
#include "system/cpuid.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#define BIT(n) (1u << (n))

struct kvm_cpuid2 *cpuid_supported(int kvm_fd)
{
    for (unsigned n = 64; n <= 4096; n *= 2) {
        struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + n * sizeof(c->entries[0]));
        if (!c)
            return NULL;
        c->nent = n;
        if (ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, c) == 0)
            return c;
        free(c);
        if (errno != E2BIG)
            return NULL;
    }
    return NULL;
}

/* Features that need XSAVE-managed state (XCR0) or instructions the host's
 * emulator refuses. */
static void filter_leaf1(struct kvm_cpuid_entry2 *e)
{
    e->ecx &= ~(BIT(12) /* FMA */ | BIT(13) /* CX16 */ | BIT(26) /* XSAVE */ |
                BIT(27) /* OSXSAVE */ | BIT(28) /* AVX */ | BIT(29) /* F16C */);
}

static void filter_leaf7(struct kvm_cpuid_entry2 *e)
{
    if (e->index == 0) {
        e->ebx &= ~(BIT(5) /* AVX2 */ | BIT(16) /* AVX512F */ | BIT(17) /* DQ */ |
                    BIT(21) /* IFMA */ | BIT(26) /* PF */ | BIT(27) /* ER */ |
                    BIT(28) /* CD */ | BIT(30) /* BW */ | BIT(31) /* VL */);
        e->ecx &= ~(BIT(1) /* VBMI */ | BIT(6) /* VBMI2 */ | BIT(9) /* VAES */ |
                    BIT(10) /* VPCLMULQDQ */ | BIT(11) /* VNNI */ | BIT(12) /* BITALG */ |
                    BIT(14) /* VPOPCNTDQ */);
        e->edx &= ~(BIT(2) | BIT(3) /* 4VNNIW, 4FMAPS */ | BIT(8) /* VP2INTERSECT */ |
                    BIT(22) | BIT(24) | BIT(25) /* AMX */ | BIT(23) /* FP16 */);
    } else if (e->index == 1) {
        e->eax &= ~(BIT(4) /* AVX-VNNI */ | BIT(5) /* AVX512_BF16 */ | BIT(23) /* AVX-IFMA */);
    }
}

struct kvm_cpuid2 *cpuid_for_guest(const struct kvm_cpuid2 *supported, int vcpu_id, int ncpus)
{
    size_t size = sizeof(*supported) + supported->nent * sizeof(supported->entries[0]);
    struct kvm_cpuid2 *c = malloc(size);
    if (!c)
        return NULL;
    c->nent = 0;
    c->padding = 0;
    for (unsigned i = 0; i < supported->nent; i++) {
        struct kvm_cpuid_entry2 e = supported->entries[i];
        switch (e.function) {
        case 0xd:                       /* XSAVE state enumeration: none */
            continue;
        case 1:
            filter_leaf1(&e);
            e.ebx = (e.ebx & 0x0000ffff) | ((uint32_t)vcpu_id << 24) |
                    ((uint32_t)(ncpus > 255 ? 255 : ncpus) << 16);
            e.edx |= BIT(28);           /* HTT: the logical count in ebx is valid */
            break;
        case 7:
            filter_leaf7(&e);
            break;
        case 0xb:
        case 0x1f:
            e.edx = (uint32_t)vcpu_id;  /* x2APIC id */
            break;
        default:
            break;
        }
        c->entries[c->nent++] = e;
    }
    return c;
}

bool cpuid_has_feature(const struct kvm_cpuid2 *c, uint32_t function, uint32_t index,
                       int reg, unsigned bit)
{
    for (unsigned i = 0; i < c->nent; i++) {
        const struct kvm_cpuid_entry2 *e = &c->entries[i];
        if (e->function != function || e->index != index)
            continue;
        uint32_t v = reg == 0 ? e->eax : reg == 1 ? e->ebx : reg == 2 ? e->ecx : e->edx;
        return (v >> bit) & 1;
    }
    return false;
}
