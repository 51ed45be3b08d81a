/* tests/system/guest/fake-kernel.c -- checks of test guest (f) on the zero
 * page the VMM built for it, run with -m 64 -append FAKE_CMDLINE and an
 * initrd of 12345 bytes ("INITRD01" then 'Z's).  Expected values come from
 * the boot protocol (offsets of struct boot_params) and the test's own
 * arguments.  Prints one line per check; the exit status is a bitmask of the
 * failed checks (0: all good). */
#include "lib.h"

#define RAM_TOP (64ULL << 20)
#define INITRD_SIZE 12345
#define FAKE_CMDLINE "console=ttyS0 ferry-test=zero-page"

static uint32_t rd32(const uint8_t *p) { return *(const uint32_t *)p; }
static uint64_t rd64(const uint8_t *p) { return *(const uint64_t *)p; }

static int check_header(const uint8_t *zp)
{
    int ok = rd32(zp + 0x202) == 0x53726448 && *(const uint16_t *)(zp + 0x206) == 0x020f &&
             zp[0x210] != 0 && (zp[0x211] & 1);
    guest_puts(ok ? "header ok\n" : "header BAD\n");
    return ok ? 0 : 1;
}

static int check_cmdline(const uint8_t *zp)
{
    const char *got = (const char *)(uint64_t)rd32(zp + 0x228);
    const char *want = FAKE_CMDLINE;
    int i = 0;
    while (want[i] && got[i] == want[i])
        i++;
    int ok = !want[i] && !got[i];
    guest_puts("cmdline '");
    guest_puts(got);
    guest_puts(ok ? "' ok\n" : "' BAD\n");
    return ok ? 0 : 2;
}

/* Low RAM from 0, RAM from 1 MiB exactly up to -m, nothing usable in the
 * legacy hole between 640 KiB and 1 MiB. */
static int check_e820(const uint8_t *zp)
{
    int n = zp[0x1e8];
    int low = 0, high = 0, hole_clear = 1;
    for (int i = 0; i < n; i++) {
        const uint8_t *e = zp + 0x2d0 + 20 * i;
        uint64_t addr = rd64(e), size = rd64(e + 8);
        uint32_t type = rd32(e + 16);
        if (type != 1)
            continue;
        if (addr == 0 && size >= 0x90000 && size <= 0xa0000)
            low = 1;
        if (addr == 0x100000 && addr + size == RAM_TOP)
            high = 1;
        if (addr < 0x100000 && addr + size > 0xa0000)
            hole_clear = 0;
    }
    int ok = n >= 2 && low && high && hole_clear;
    guest_puts("e820 entries=");
    guest_put_dec((uint64_t)n);
    guest_puts(ok ? " ok\n" : " BAD\n");
    return ok ? 0 : 4;
}

static int check_initrd(const uint8_t *zp)
{
    uint64_t addr = rd32(zp + 0x218) | ((uint64_t)rd32(zp + 0x0c0) << 32);
    uint64_t size = rd32(zp + 0x21c) | ((uint64_t)rd32(zp + 0x0c4) << 32);
    uint64_t init_size = rd32(zp + 0x260);
    const uint8_t *p = (const uint8_t *)addr;
    int ok = size == INITRD_SIZE && addr % 4096 == 0 && addr + size <= RAM_TOP &&
             addr >= 0x100000 + init_size;
    const char magic[] = "INITRD01";
    /* CPL0 may be emulated slowly: look at the magic, every 61st byte and
     * the last one. */
    for (uint64_t i = 0; ok && i < 8; i++)
        ok = p[i] == (uint8_t)magic[i];
    for (uint64_t i = 8; ok && i < size; i += 61)
        ok = p[i] == 'Z';
    ok = ok && p[size - 1] == 'Z';
    guest_puts("initrd size=");
    guest_put_dec(size);
    guest_puts(ok ? " ok\n" : " BAD\n");
    return ok ? 0 : 8;
}

int guest_main(const uint8_t *zp)
{
    return check_header(zp) | check_cmdline(zp) | check_e820(zp) | check_initrd(zp);
}
