/* tests/system/guest/smp.c -- run with -smp 2: the boot vCPU copies a
 * real-mode trampoline to 0x10000 and starts vCPU 1 with INIT and STARTUP
 * IPIs through its local APIC (xAPIC at 0xfee00000).  vCPU 1 wakes in real
 * mode at 1000:0000, stores 0xa5 at 0x10100 and halts.  The boot vCPU waits
 * for that byte, prints "ap started" and exits with 0 (3 on a timeout). */
#include "lib.h"

#define LAPIC 0xfee00000ULL
#define ICR_LOW 0x300
#define ICR_HIGH 0x310
#define TRAMPOLINE 0x10000ULL
#define FLAG ((volatile uint8_t *)(TRAMPOLINE + 0x100))

extern char ap_start[], ap_end[];
__asm__(
    ".text\n"
    ".code16\n"
    "ap_start:\n\t"
    "mov $0x1000, %ax\n\t"
    "mov %ax, %ds\n\t"
    "movb $0xa5, 0x100\n\t"
    "cli\n"
    "1: hlt\n\t"
    "jmp 1b\n"
    "ap_end:\n"
    ".code64\n");

static void lapic_write(uint32_t reg, uint32_t v)
{
    *(volatile uint32_t *)(LAPIC + reg) = v;
}

int guest_main(void *zero_page)
{
    uint8_t *dst = (uint8_t *)TRAMPOLINE;
    for (char *p = ap_start; p < ap_end; p++)
        *dst++ = (uint8_t)*p;
    *FLAG = 0;
    lapic_write(0xf0, 0x1ff);                         /* spurious vector, APIC on */
    lapic_write(ICR_HIGH, 1u << 24);
    lapic_write(ICR_LOW, 0x4500);                     /* INIT, assert */
    lapic_write(ICR_HIGH, 1u << 24);
    lapic_write(ICR_LOW, 0x4600 | (TRAMPOLINE >> 12)); /* STARTUP at 1000:0000 */
    for (uint64_t spins = 0; *FLAG != 0xa5; spins++)
        if (spins > 2000000)
            return 3;
    guest_puts("ap started\n");
    return 0;
}
