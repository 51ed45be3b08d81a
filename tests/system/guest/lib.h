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

#endif
