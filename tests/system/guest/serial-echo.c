/* tests/system/guest/serial-echo.c -- UART input: enables the COM1
 * receive-data interrupt (IRQ 4 through the 8259 at vector 0x24), halts until
 * its handler has collected a whole line, then prints "got: LINE" and exits
 * with status 0.  Exit 99 on any other vector. */
#include "lib.h"

static uint8_t idt[256 * 16] __attribute__((aligned(16)));
volatile char line[128];
volatile uint32_t line_len, line_done;

void serial_interrupt(void)
{
    while (inb(0x3fd) & 1) {                          /* LSR.DR */
        char c = (char)inb(0x3f8);
        if (c == '\n' || c == '\r')
            line_done = 1;
        else if (line_len < sizeof(line) - 1)
            line[line_len++] = c;
    }
    outb(0x20, 0x20);                                 /* EOI */
}

extern char serial_isr[], other_isr[];
__asm__(
    ".text\n"
    "serial_isr:\n\t"
    "push %rax\n\tpush %rcx\n\tpush %rdx\n\tpush %rsi\n\tpush %rdi\n\t"
    "push %r8\n\tpush %r9\n\tpush %r10\n\tpush %r11\n\t"
    "call serial_interrupt\n\t"
    "pop %r11\n\tpop %r10\n\tpop %r9\n\tpop %r8\n\t"
    "pop %rdi\n\tpop %rsi\n\tpop %rdx\n\tpop %rcx\n\tpop %rax\n\t"
    "iretq\n"
    "other_isr:\n\t"
    "mov $99, %al\n\t"
    "out %al, $0xf4\n\t"
    "1: hlt\n\t"
    "jmp 1b\n");

int guest_main(void *zero_page)
{
    guest_load_idt(idt, 0x24, serial_isr, other_isr);
    guest_init_pic(0xef);                             /* only IRQ 4 */
    outb(0x3fc, 0x0b);                                /* MCR: DTR, RTS, OUT2 */
    outb(0x3f9, 0x01);                                /* IER: receive data */
    __asm__ volatile("sti");
    while (!line_done)
        __asm__ volatile("hlt");
    __asm__ volatile("cli");
    line[line_len] = 0;
    guest_puts("got: ");
    guest_puts((const char *)line);
    guest_puts("\n");
    return 0;
}
