/* tests/system/guest/lib.h -- what the C test guests share: port I/O, a
 * polling COM1 writer, number printing and the debug-exit port. */
#ifndef FERRY_TEST_GUEST_LIB_H
#define FERRY_TEST_GUEST_LIB_H

#include <stdint.h>

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }

static inline void guest_putc(char c)
{
    while (!(inb(0x3fd) & 0x20))
        ;
    outb(0x3f8, (uint8_t)c);
}

static inline void guest_puts(const char *s)
{
    while (*s)
        guest_putc(*s++);
}

static inline void guest_put_dec(uint64_t v)
{
    char buf[24];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        guest_putc(buf[--n]);
}

static inline void guest_put_hex(uint64_t v)
{
    guest_puts("0x");
    for (int shift = 60; shift >= 0; shift -= 4)
        guest_putc("0123456789abcdef"[(v >> shift) & 15]);
}

static inline __attribute__((noreturn)) void guest_exit(uint8_t status)
{
    outb(0xf4, status);
    for (;;)
        __asm__ volatile("hlt");
}

static inline uint64_t guest_rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

/* A 64-bit interrupt gate (DPL 0) for vector in the 16-byte-entry table. */
static inline void guest_set_gate(uint8_t *idt, int vector, void *handler)
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
    for (int i = 12; i < 16; i++)
        g[i] = 0;
}

/* Every vector to other, one to handler; then lidt. */
static inline void guest_load_idt(uint8_t *idt, int vector, void *handler, void *other)
{
    for (int v = 0; v < 256; v++)
        guest_set_gate(idt, v, v == vector ? handler : other);
    struct __attribute__((packed)) { uint16_t limit; uint64_t base; } idtr = {
        256 * 16 - 1, (uint64_t)idt };
    __asm__ volatile("lidt %0" :: "m"(idtr));
}

/* 8259 pair: IRQ 0-7 at vectors 0x20-0x27, 8-15 at 0x28-0x2f, master mask
 * as given, slave fully masked. */
static inline void guest_init_pic(uint8_t master_mask)
{
    outb(0x20, 0x11); outb(0xa0, 0x11);               /* ICW1: edge, cascade, ICW4 */
    outb(0x21, 0x20); outb(0xa1, 0x28);               /* ICW2: vector bases */
    outb(0x21, 0x04); outb(0xa1, 0x02);               /* ICW3: slave on IRQ 2 */
    outb(0x21, 0x01); outb(0xa1, 0x01);               /* ICW4: 8086 mode */
    outb(0x21, master_mask); outb(0xa1, 0xff);
}

#endif
