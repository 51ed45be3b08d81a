/* system/devices.h -- the device models of ferry-system-x86_64: the 8250
 * UART on COM1, i8042 reset, the debug-exit port, virtio-mmio block and
 * console devices, and the I/O thread that feeds them from host fds. */
#ifndef FERRY_SYSTEM_DEVICES_H
#define FERRY_SYSTEM_DEVICES_H

#include "system/vm.h"

#include <glib.h>

/* ---- I/O thread: host fds polled in one thread, callbacks under io_lock ---- */
/* Returns false to stop watching the fd (EOF). */
typedef bool (*IoReadyFn)(void *opaque, int fd);
void iothread_watch(VM *vm, int fd, IoReadyFn fn, void *opaque);
bool iothread_start(VM *vm);

/* ---- 8250 UART ---- */
typedef struct Serial {
    VM *vm;
    int out_fd;
    uint8_t ier, lcr, mcr, scr, fcr, dll, dlm;
    bool thri_pending;
    int irq_level;
    uint8_t rx[256];
    unsigned rx_head, rx_tail;
} Serial;
void serial_init(Serial *s, VM *vm, int out_fd);
void serial_push_input(Serial *s, const uint8_t *data, size_t len);   /* under io_lock */

/* ---- i8042 reset and debug exit ---- */
void legacy_devices_init(VM *vm);

/* ---- virtio-mmio transport ---- */
#define VIRTIO_MAX_QUEUES 2
#define VIRTIO_QUEUE_MAX 256

typedef struct VirtQueue {
    uint16_t num;
    bool ready;
    uint64_t desc, avail, used;
    uint16_t last_avail;
} VirtQueue;

/* One element popped from a queue: the chain's buffers in order. */
typedef struct VirtqElem {
    uint16_t head;
    unsigned n;
    struct { uint64_t gpa; uint32_t len; bool writable; } buf[64];
} VirtqElem;

typedef struct VirtioDevice VirtioDevice;
struct VirtioDevice {
    VM *vm;
    uint64_t base;
    int irq;
    int irqfd, notify_fd;
    uint32_t device_id;
    uint64_t host_features, driver_features;
    uint32_t dev_feat_sel, drv_feat_sel, queue_sel, status, isr, config_generation;
    VirtQueue vq[VIRTIO_MAX_QUEUES];
    int nqueues;
    uint8_t config[64];
    unsigned config_len;
    void (*queue_notify)(VirtioDevice *d, int queue);   /* under io_lock */
    void *opaque;
};

#define VIRTIO_F_VERSION_1 (1ULL << 32)

/* Registers the device's MMIO window (index picks base and IRQ), its
 * ioeventfd and irqfd; appends its description to the kernel command line. */
bool virtio_mmio_init(VirtioDevice *d, VM *vm, int index, uint32_t device_id, int nqueues,
                      GString *cmdline);
bool virtq_pop(VirtioDevice *d, VirtQueue *q, VirtqElem *e);
void virtq_push(VirtioDevice *d, VirtQueue *q, uint16_t head, uint32_t written);
void virtio_raise_irq(VirtioDevice *d);

/* ---- virtio block and console ---- */
typedef struct VirtioBlk {
    VirtioDevice dev;
    int fd;
    bool readonly;
    uint64_t sectors;
} VirtioBlk;
bool virtio_blk_init(VirtioBlk *b, VM *vm, int index, const char *path, bool readonly,
                     GString *cmdline);

typedef struct VirtioConsole {
    VirtioDevice dev;
    int out_fd;
    uint8_t pending[4096];
    size_t npending;
} VirtioConsole;
bool virtio_console_init(VirtioConsole *c, VM *vm, int index, int out_fd, GString *cmdline);
void virtio_console_push_input(VirtioConsole *c, const uint8_t *data, size_t len);  /* under io_lock */

#endif
