/* tests/system/guest/pit.c -- test guest (d): programs the 8259 PIC (IRQ 0 at
 * vector 0x20, everything else masked) and PIT channel 0 at about 1 kHz,
 * enables interrupts and halts until ten timer interrupts have arrived, then
 * prints "pit ticks=10" and exits with status 0.  Any other vector exits
 * with status 99. */
#include "lib.h"

#define TICKS_WANTED 10
#define PIT_HZ 1193182
#define TIMER_HZ 1000

volatile uint32_t ticks;
static uint8_t idt[256 * 16] __attribute__((aligned(16)));

extern char timer_isr[], other_isr[];
__asm__(
    ".text\n"
    "timer_isr:\n\t"
    "push %rax\n\t"
    "incl ticks(%rip)\n\t"
    "mov $0x20, %al\n\t"
    "out %al, $0x20\n\t"             /* EOI to the master PIC */
    "pop %rax\n\t"
    "iretq\n"
    "other_isr:\n\t"
    "mov $99, %al\n\t"
    "out %al, $0xf4\n\t"
    "1: hlt\n\t"
    "jmp 1b\n");

static void init_pit(void)
{
    uint16_t divisor = PIT_HZ / TIMER_HZ;
    outb(0x43, 0x34);                                 /* channel 0, lo/hi, rate generator */
    outb(0x40, (uint8_t)divisor);
    outb(0x40, (uint8_t)(divisor >> 8));
}

int guest_main(void *zero_page)
{
    guest_load_idt(idt, 0x20, timer_isr, other_isr);
    guest_init_pic(0xfe);                             /* only IRQ 0 */
    init_pit();
    __asm__ volatile("sti");
    while (ticks < TICKS_WANTED)
        __asm__ volatile("hlt");
    __asm__ volatile("cli");
    guest_puts("pit ticks=");
    guest_put_dec(ticks >= TICKS_WANTED ? TICKS_WANTED : ticks);
    guest_puts("\n");
    return 0;
}
