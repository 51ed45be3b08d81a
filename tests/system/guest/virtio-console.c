/* tests/system/guest/virtio-console.c -- a minimal polling driver for the
 * virtio console at 0xd0000000 (run with -virtio-console and no drives):
 * posts one receive buffer, sends "hello from hvc0\n" on the transmit queue,
 * waits for a line of input on the receive queue and sends back
 * "hvc0 got: LINE".  Exit status 0, or the failing step. */
#include "lib.h"

#define MMIO ((volatile uint32_t *)0xd0000000ULL)
#define REG(off) MMIO[(off) / 4]
enum { QSIZE = 4, RXQ = 0, TXQ = 1 };

struct desc { uint64_t addr; uint32_t len; uint16_t flags, next; };
struct avail { uint16_t flags, idx, ring[QSIZE]; };
struct used { uint16_t flags, idx; struct { uint32_t id, len; } ring[QSIZE]; };
static struct queue {
    struct desc d[QSIZE] __attribute__((aligned(16)));
    struct avail a __attribute__((aligned(2)));
    volatile struct used u __attribute__((aligned(4)));
} q[2];
static char rx_buf[64], tx_buf[96];

static void setup_queue(int n)
{
    REG(0x030) = (uint32_t)n;
    REG(0x038) = QSIZE;
    REG(0x080) = (uint32_t)(uint64_t)q[n].d;
    REG(0x090) = (uint32_t)(uint64_t)&q[n].a;
    REG(0x0a0) = (uint32_t)(uint64_t)&q[n].u;
    REG(0x044) = 1;
}

static void post(int n, void *buf, uint32_t len, int writable)
{
    struct queue *Q = &q[n];
    uint16_t slot = Q->a.idx % QSIZE;
    Q->d[slot] = (struct desc){ (uint64_t)buf, len, (uint16_t)(writable ? 2 : 0), 0 };
    Q->a.ring[slot] = slot;
    __asm__ volatile("mfence" ::: "memory");
    Q->a.idx++;
    __asm__ volatile("mfence" ::: "memory");
    REG(0x050) = (uint32_t)n;
}

static uint32_t wait_used(int n, uint16_t want)
{
    while (q[n].u.idx != want)
        __asm__ volatile("pause");
    return q[n].u.ring[(want - 1) % QSIZE].len;
}

static uint32_t copy(char *dst, const char *src, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        dst[i] = src[i];
    return n;
}

int guest_main(void *zero_page)
{
    if (REG(0x000) != 0x74726976 || REG(0x004) != 2 || REG(0x008) != 3)
        return 10;
    REG(0x070) = 0;
    REG(0x070) = 1 | 2;
    REG(0x024) = 1; REG(0x020) = 1;                   /* VERSION_1 */
    REG(0x070) = 1 | 2 | 8;
    if (!(REG(0x070) & 8))
        return 11;
    setup_queue(RXQ);
    setup_queue(TXQ);
    REG(0x070) = 1 | 2 | 8 | 4;
    post(RXQ, rx_buf, sizeof(rx_buf), 1);
    uint32_t n = copy(tx_buf, "hello from hvc0\n", 16);
    post(TXQ, tx_buf, n, 0);
    wait_used(TXQ, 1);
    uint32_t got = wait_used(RXQ, 1);
    while (got && (rx_buf[got - 1] == '\n' || rx_buf[got - 1] == '\r'))
        got--;
    n = copy(tx_buf, "hvc0 got: ", 10);
    n += copy(tx_buf + n, rx_buf, got);
    tx_buf[n++] = '\n';
    post(TXQ, tx_buf, n, 0);
    wait_used(TXQ, 2);
    return 0;
}
