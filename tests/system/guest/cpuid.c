/* tests/system/guest/cpuid.c -- what the guest's CPUID must not promise on a
 * host whose CPL0 emulator lacks XSAVE and cmpxchg16b (and hence AVX state):
 * leaf 1 ECX CX16 (13), XSAVE (26), OSXSAVE (27), AVX (28); leaf 7 EBX AVX2
 * (5), AVX512F (16); leaf 0xD empty.  Also the boot vCPU's APIC id is 0 and
 * SSE2 and the hypervisor bit are present.  Prints "cpuid ok" and exits 0, or
 * prints what it saw and exits with a bitmask of the failed checks.  (On a
 * PVM host CPUID does not reach KVM's table at all -- see run.sh.) */
#include "lib.h"

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                     : "a"(leaf), "c"(sub));
}

int guest_main(void *zero_page)
{
    uint32_t l1[4], l7[4], ld[4];
    cpuid(1, 0, l1);
    cpuid(7, 0, l7);
    cpuid(0xd, 0, ld);
    int bad = 0;
    if (l1[2] & ((1u << 13) | (1u << 26) | (1u << 27) | (1u << 28)))
        bad |= 1;
    if (l7[1] & ((1u << 5) | (1u << 16)))
        bad |= 2;
    if (ld[0] | ld[1] | ld[2] | ld[3])
        bad |= 4;
    if ((l1[1] >> 24) != 0)
        bad |= 8;
    if (!(l1[3] & (1u << 26)) || !(l1[2] & (1u << 31)))
        bad |= 16;
    if (!bad) {
        guest_puts("cpuid ok\n");
    } else {
        guest_puts("cpuid leaf1 ecx=");
        guest_put_hex(l1[2]);
        guest_puts(" leaf7 ebx=");
        guest_put_hex(l7[1]);
        guest_puts(" leafd eax=");
        guest_put_hex(ld[0]);
        guest_puts("\n");
    }
    return bad;
}
