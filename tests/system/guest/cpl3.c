/* tests/system/guest/cpl3.c -- test guest (c): from the long-mode entry it
 * times a short run of the loop at CPL0 ("cpl0 cycles/iteration=N"), marks the identity map user-accessible, loads a GDT with user segments and
 * drops to CPL3 with IOPL 3 by iretq.  At CPL3 it times compute_loop with
 * rdtsc (best of three), prints "cpl3 cycles=N", and exits through the debug
 * port (allowed by IOPL 3) with 0 when it really ran at CPL3. */
#include "lib.h"
#include "loop.h"

static uint64_t gdt[5] = {
    0,
    0x00af9a000000ffffULL,   /* 0x08 kernel code, 64-bit */
    0x00cf92000000ffffULL,   /* 0x10 kernel data */
    0x00cff2000000ffffULL,   /* 0x18 user data, DPL 3 */
    0x00affa000000ffffULL,   /* 0x20 user code, 64-bit, DPL 3 */
};
static uint8_t user_stack[8192] __attribute__((aligned(16)));

static void __attribute__((noreturn, used)) user_main(void)
{
    uint16_t cs;
    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    uint64_t sink = 0;
    uint64_t best = time_loop_best_of_3(guest_rdtsc, &sink);
    guest_puts("cpl3 cs=");
    guest_put_dec(cs & 3);
    guest_puts(" cycles=");
    guest_put_dec(best);
    guest_puts(" result=");
    guest_put_hex(sink);
    guest_puts("\n");
    guest_exit((cs & 3) == 3 ? 0 : 1);
}

/* Set the user bit along the path that maps the first 2 MiB (where this
 * guest lives), then flush the TLB. */
static void make_low_memory_user_accessible(void)
{
    uint64_t cr3;
    __asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
    uint64_t *pml4 = (uint64_t *)(cr3 & ~0xfffULL);
    uint64_t *pdpt = (uint64_t *)(pml4[0] & ~0xfffULL);
    uint64_t *pd = (uint64_t *)(pdpt[0] & ~0xfffULL);
    pml4[0] |= 4;
    pdpt[0] |= 4;
    pd[0] |= 4;
    __asm__ volatile("mov %0, %%cr3" :: "r"(cr3) : "memory");
}

#define CPL0_ITERATIONS 20000

int guest_main(void *zero_page)
{
    /* The same loop at CPL0 for comparison (a PVM host emulates CPL0). */
    uint64_t t0 = guest_rdtsc();
    uint64_t r0 = compute_loop(CPL0_ITERATIONS);
    uint64_t t1 = guest_rdtsc();
    guest_puts("cpl0 cycles/iteration=");
    guest_put_dec((t1 - t0) / CPL0_ITERATIONS);
    guest_puts(r0 ? "\n" : " \n");
    make_low_memory_user_accessible();
    struct __attribute__((packed)) { uint16_t limit; uint64_t base; } gdtr = {
        sizeof(gdt) - 1, (uint64_t)gdt };
    __asm__ volatile("lgdt %0" :: "m"(gdtr));
    __asm__ volatile(
        "pushq $0x1b\n\t"            /* SS: user data | RPL 3 */
        "pushq %0\n\t"               /* RSP */
        "pushq $0x3002\n\t"          /* RFLAGS: IOPL 3, IF clear */
        "pushq $0x23\n\t"            /* CS: user code | RPL 3 */
        "pushq %1\n\t"               /* RIP */
        "iretq"
        :: "r"(user_stack + sizeof(user_stack)), "r"((uint64_t)user_main) : "memory");
    return 2;
}
