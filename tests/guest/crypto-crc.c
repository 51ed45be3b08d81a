/*
 * CRC32B/H/W/X and CRC32CB/H/W/X through the ACLE intrinsics: the check
 * values of CRC-32 and CRC-32C ("123456789" gives 0xCBF43926 and
 * 0xE3069283), then every split of a longer buffer into byte, halfword,
 * word and doubleword steps compared with a bitwise C implementation, with
 * garbage in the unused upper bits of the data registers.
 */
#pragma GCC target("arch=armv8-a+crc")
#include <arm_acle.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int failures;

static uint32_t crc_bitwise(uint32_t crc, const uint8_t *p, size_t n, uint32_t poly)
{
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++) {
            crc = (crc >> 1) ^ (poly & -(crc & 1));
        }
    }
    return crc;
}

/* Steps of 1, 2, 4 or 8 bytes chosen by `pattern`, two bits per step. */
static uint32_t crc_insns(uint32_t crc, const uint8_t *p, size_t n, unsigned pattern, int castagnoli)
{
    while (n) {
        unsigned step = 1u << (pattern & 3);
        pattern = (pattern >> 2) | (pattern << 30);
        if (step > n) {
            step = 1;
        }
        uint64_t v;
        memcpy(&v, p, 8);
        switch (step) {
        case 1: crc = castagnoli ? __crc32cb(crc, (uint8_t)v) : __crc32b(crc, (uint8_t)v); break;
        case 2: crc = castagnoli ? __crc32ch(crc, (uint16_t)v) : __crc32h(crc, (uint16_t)v); break;
        case 4: crc = castagnoli ? __crc32cw(crc, (uint32_t)v) : __crc32w(crc, (uint32_t)v); break;
        default: crc = castagnoli ? __crc32cd(crc, v) : __crc32d(crc, v); break;
        }
        p += step;
        n -= step;
    }
    return crc;
}

/* The byte and halfword forms with nonzero bits above the operand. */
static uint32_t crc_garbage(uint32_t crc, uint64_t v, int castagnoli, int half)
{
    uint32_t r;
    if (half) {
        if (castagnoli) __asm__("crc32ch %w0, %w1, %w2" : "=r"(r) : "r"(crc), "r"(v));
        else __asm__("crc32h %w0, %w1, %w2" : "=r"(r) : "r"(crc), "r"(v));
    } else {
        if (castagnoli) __asm__("crc32cb %w0, %w1, %w2" : "=r"(r) : "r"(crc), "r"(v));
        else __asm__("crc32b %w0, %w1, %w2" : "=r"(r) : "r"(crc), "r"(v));
    }
    return r;
}

int main(void)
{
    static const uint8_t check[] = "123456789";
    uint32_t c32 = ~crc_insns(~0u, check, 9, 0, 0);
    uint32_t c32c = ~crc_insns(~0u, check, 9, 0, 1);
    uint32_t c32x = ~crc_insns(~0u, check, 9, 0xffffffffu, 0);
    uint32_t c32cx = ~crc_insns(~0u, check, 9, 0xaaaaaaaau, 1);
    printf("crc32(\"123456789\") = %08x %08x\n", c32, c32x);
    printf("crc32c(\"123456789\") = %08x %08x\n", c32c, c32cx);
    if (c32 != 0xcbf43926u || c32x != 0xcbf43926u || c32c != 0xe3069283u || c32cx != 0xe3069283u) {
        failures++;
    }

    uint8_t buf[256 + 8];
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (size_t i = 0; i < sizeof(buf); i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        buf[i] = (uint8_t)x;
    }
    unsigned patterns[] = { 0, 0x55555555u, 0xaaaaaaaau, 0xffffffffu, 0x1b1b1b1bu, 0xe4e4e4e4u, 0x9c3a71d2u };
    for (size_t len = 0; len <= 256; len += 13) {
        for (unsigned k = 0; k < sizeof(patterns) / sizeof(patterns[0]); k++) {
            for (int c = 0; c < 2; c++) {
                uint32_t poly = c ? 0x82f63b78u : 0xedb88320u;
                uint32_t seed = (uint32_t)(len * 0x01000193u + k);
                uint32_t want = crc_bitwise(seed, buf, len, poly);
                uint32_t got = crc_insns(seed, buf, len, patterns[k], c);
                if (got != want) {
                    printf("FAIL %s len %zu pattern %x: %08x want %08x\n", c ? "crc32c" : "crc32",
                           len, patterns[k], got, want);
                    failures++;
                }
            }
        }
    }
    for (int c = 0; c < 2; c++) {
        for (int half = 0; half < 2; half++) {
            uint64_t v = 0xdeadbeefcafe1234ull;
            uint8_t bytes[2] = { 0x34, 0x12 };
            uint32_t want = crc_bitwise(0x89abcdefu, bytes, half ? 2 : 1, c ? 0x82f63b78u : 0xedb88320u);
            uint32_t got = crc_garbage(0x89abcdefu, v, c, half);
            if (got != want) {
                printf("FAIL garbage %d %d: %08x want %08x\n", c, half, got, want);
                failures++;
            }
        }
    }
    printf("%s\n", failures ? "FAIL" : "ok");
    return failures != 0;
}
