/* tests/system/guest/virtio-blk.c -- test guest (e): a minimal polling
 * virtio-mmio (version 2) block driver.  It finds the device at the address
 * the VMM's command line names (virtio_mmio.device=4K@0xd0000000:5), brings
 * it up (reset, ACKNOWLEDGE, DRIVER, VERSION_1, FEATURES_OK, one queue,
 * DRIVER_OK), reads sector 1, prints "sector1 sum=N first=XX...", then tries
 * to write sector 0 and prints the status the device returns ("write
 * status=N"; 1 = I/O error on a read-only drive).  Exit status 0 when the
 * device behaved, else a step number. */
#include "lib.h"

#define MMIO ((volatile uint32_t *)0xd0000000ULL)
#define REG(off) MMIO[(off) / 4]
enum { QSIZE = 8 };

struct desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
static struct desc descs[QSIZE] __attribute__((aligned(16)));
static struct { uint16_t flags, idx, ring[QSIZE]; } avail __attribute__((aligned(2)));
static volatile struct { uint16_t flags, idx; struct { uint32_t id, len; } ring[QSIZE]; }
    used __attribute__((aligned(4)));
static struct { uint32_t type, reserved; uint64_t sector; } req;
static uint8_t data[512];
static volatile uint8_t status;

static int bring_up(void)
{
    if (REG(0x000) != 0x74726976 || REG(0x004) != 2 || REG(0x008) != 2)
        return 10;
    REG(0x070) = 0;                                   /* reset */
    REG(0x070) = 1;                                   /* ACKNOWLEDGE */
    REG(0x070) = 1 | 2;                               /* DRIVER */
    REG(0x014) = 1;
    if (!(REG(0x010) & 1))                            /* VERSION_1 offered */
        return 11;
    REG(0x024) = 0; REG(0x020) = 0;
    REG(0x024) = 1; REG(0x020) = 1;
    REG(0x070) = 1 | 2 | 8;                           /* FEATURES_OK */
    if (!(REG(0x070) & 8))
        return 12;
    REG(0x030) = 0;
    if (REG(0x034) < QSIZE)
        return 13;
    REG(0x038) = QSIZE;
    REG(0x080) = (uint32_t)(uint64_t)descs; REG(0x084) = 0;
    REG(0x090) = (uint32_t)(uint64_t)&avail; REG(0x094) = 0;
    REG(0x0a0) = (uint32_t)(uint64_t)&used; REG(0x0a4) = 0;
    REG(0x044) = 1;
    REG(0x070) = 1 | 2 | 8 | 4;                       /* DRIVER_OK */
    return 0;
}

/* One request (header, data, status) and a busy wait for its completion. */
static int do_request(uint32_t type, uint64_t sector)
{
    req.type = type;
    req.sector = sector;
    status = 0xff;
    descs[0] = (struct desc){ (uint64_t)&req, sizeof(req), 1, 1 };
    descs[1] = (struct desc){ (uint64_t)data, sizeof(data), (uint16_t)(1 | (type == 0 ? 2 : 0)), 2 };
    descs[2] = (struct desc){ (uint64_t)&status, 1, 2, 0 };
    uint16_t want = (uint16_t)(used.idx + 1);
    avail.ring[avail.idx % QSIZE] = 0;
    __asm__ volatile("" ::: "memory");
    avail.idx++;
    __asm__ volatile("mfence" ::: "memory");
    REG(0x050) = 0;                                   /* notify queue 0 */
    while (used.idx != want)
        __asm__ volatile("pause");
    return status;
}

int guest_main(void *zero_page)
{
    int err = bring_up();
    if (err)
        return err;
    if (do_request(0 /* IN */, 1) != 0)
        return 20;
    uint32_t sum = 0;
    for (int i = 0; i < 512; i++)
        sum += data[i];
    guest_puts("sector1 sum=");
    guest_put_dec(sum);
    guest_puts(" first=");
    for (int i = 0; i < 8; i++)
        guest_putc((char)data[i]);
    guest_puts("\n");
    int ws = do_request(1 /* OUT */, 0);
    guest_puts("write status=");
    guest_put_dec((uint64_t)ws);
    guest_puts("\n");
    return 0;
}
