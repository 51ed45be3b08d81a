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

static void set_gate(int vector, void *handler)
{
    uint64_t a = (uint64_t)handler;
    uint16_t cs;
    __asm__ volatile("mov %%cs, %0" : "=r"(cs));
    uint8_t *g = idt + vector * 16;
    g[0] = (uint8_t)a; g[1] = (uint8_t)(a >> 8);
    g[2] = (uint8_t)cs; g[3] = (uint8_t)(cs >> 8);
    g[4] = 0; g[5] = 0x8e;                           /* present, DPL 0, interrupt gate */
    g[6] = (uint8_t)(a >> 16); g[7] = (uint8_t)(a >> 24);
    for (int i = 0; i < 4; i++)
        g[8 + i] = (uint8_t)(a >> (32 + 8 * i));
}

static void init_pic(void)
{
    outb(0x20, 0x11); outb(0xa0, 0x11);               /* ICW1: edge, cascade, ICW4 */
    outb(0x21, 0x20); outb(0xa1, 0x28);               /* ICW2: vector bases */
    outb(0x21, 0x04); outb(0xa1, 0x02);               /* ICW3: slave on IRQ 2 */
    outb(0x21, 0x01); outb(0xa1, 0x01);               /* ICW4: 8086 mode */
    outb(0x21, 0xfe); outb(0xa1, 0xff);               /* only IRQ 0 */
}

static void init_pit(void)
{
    uint16_t divisor = PIT_HZ / TIMER_HZ;
    outb(0x43, 0x34);                                 /* channel 0, lo/hi, rate generator */
    outb(0x40, (uint8_t)divisor);
    outb(0x40, (uint8_t)(divisor >> 8));
}

int guest_main(void *zero_page)
{
    for (int v = 0; v < 256; v++)
        set_gate(v, v == 0x20 ? timer_isr : other_isr);
    struct __attribute__((packed)) { uint16_t limit; uint64_t base; } idtr = {
        sizeof(idt) - 1, (uint64_t)idt };
    __asm__ volatile("lidt %0" :: "m"(idtr));
    init_pic();
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
