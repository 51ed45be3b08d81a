/* system/virtio-mmio.c -- the virtio-mmio (version 2) transport: register
 * file, feature negotiation, split virtqueues (pop a descriptor chain, push a
 * used element), notification through an ioeventfd serviced by the I/O
 * thread, and interrupts through an irqfd. */
#include "system/devices.h"

#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

enum {
    REG_MAGIC = 0x000, REG_VERSION = 0x004, REG_DEVICE_ID = 0x008, REG_VENDOR_ID = 0x00c,
    REG_DEVICE_FEATURES = 0x010, REG_DEVICE_FEATURES_SEL = 0x014,
    REG_DRIVER_FEATURES = 0x020, REG_DRIVER_FEATURES_SEL = 0x024,
    REG_QUEUE_SEL = 0x030, REG_QUEUE_NUM_MAX = 0x034, REG_QUEUE_NUM = 0x038,
    REG_QUEUE_READY = 0x044, REG_QUEUE_NOTIFY = 0x050,
    REG_INTERRUPT_STATUS = 0x060, REG_INTERRUPT_ACK = 0x064, REG_STATUS = 0x070,
    REG_QUEUE_DESC_LOW = 0x080, REG_QUEUE_DESC_HIGH = 0x084,
    REG_QUEUE_DRIVER_LOW = 0x090, REG_QUEUE_DRIVER_HIGH = 0x094,
    REG_QUEUE_DEVICE_LOW = 0x0a0, REG_QUEUE_DEVICE_HIGH = 0x0a4,
    REG_CONFIG_GENERATION = 0x0fc, REG_CONFIG = 0x100,
};

#define VIRTIO_MMIO_MAGIC 0x74726976          /* "virt" */
#define VIRTIO_VENDOR_FERRY 0x59525246        /* "FRRY" */
#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2

static void set_low(uint64_t *v, uint32_t x) { *v = (*v & ~0xffffffffULL) | x; }
static void set_high(uint64_t *v, uint32_t x) { *v = (*v & 0xffffffffULL) | ((uint64_t)x << 32); }

static void device_reset(VirtioDevice *d)
{
    d->driver_features = 0;
    d->status = 0;
    d->isr = 0;
    d->queue_sel = 0;
    memset(d->vq, 0, sizeof(d->vq));
}

static VirtQueue *selected_queue(VirtioDevice *d)
{
    return d->queue_sel < (uint32_t)d->nqueues ? &d->vq[d->queue_sel] : NULL;
}

static uint32_t reg_read(VirtioDevice *d, uint64_t off)
{
    VirtQueue *q = selected_queue(d);
    switch (off) {
    case REG_MAGIC: return VIRTIO_MMIO_MAGIC;
    case REG_VERSION: return 2;
    case REG_DEVICE_ID: return d->device_id;
    case REG_VENDOR_ID: return VIRTIO_VENDOR_FERRY;
    case REG_DEVICE_FEATURES:
        return d->dev_feat_sel == 0 ? (uint32_t)d->host_features
             : d->dev_feat_sel == 1 ? (uint32_t)(d->host_features >> 32) : 0;
    case REG_QUEUE_NUM_MAX: return q ? VIRTIO_QUEUE_MAX : 0;
    case REG_QUEUE_READY: return q ? q->ready : 0;
    case REG_INTERRUPT_STATUS: return d->isr;
    case REG_STATUS: return d->status;
    case REG_CONFIG_GENERATION: return d->config_generation;
    default: return 0;
    }
}

static void reg_write(VirtioDevice *d, uint64_t off, uint32_t v)
{
    VirtQueue *q = selected_queue(d);
    switch (off) {
    case REG_DEVICE_FEATURES_SEL: d->dev_feat_sel = v; break;
    case REG_DRIVER_FEATURES_SEL: d->drv_feat_sel = v; break;
    case REG_DRIVER_FEATURES:
        if (d->drv_feat_sel == 0)
            set_low(&d->driver_features, v & (uint32_t)d->host_features);
        else if (d->drv_feat_sel == 1)
            set_high(&d->driver_features, v & (uint32_t)(d->host_features >> 32));
        break;
    case REG_QUEUE_SEL: d->queue_sel = v; break;
    case REG_QUEUE_NUM:
        if (q && v && v <= VIRTIO_QUEUE_MAX && !(v & (v - 1)))
            q->num = (uint16_t)v;
        break;
    case REG_QUEUE_READY:
        if (q)
            q->ready = v & 1;
        break;
    case REG_QUEUE_NOTIFY:
        if (v < (uint32_t)d->nqueues && d->queue_notify)
            d->queue_notify(d, (int)v);
        break;
    case REG_INTERRUPT_ACK: d->isr &= ~v; break;
    case REG_STATUS:
        if (v == 0)
            device_reset(d);
        else
            d->status = v;
        break;
    case REG_QUEUE_DESC_LOW: if (q) set_low(&q->desc, v); break;
    case REG_QUEUE_DESC_HIGH: if (q) set_high(&q->desc, v); break;
    case REG_QUEUE_DRIVER_LOW: if (q) set_low(&q->avail, v); break;
    case REG_QUEUE_DRIVER_HIGH: if (q) set_high(&q->avail, v); break;
    case REG_QUEUE_DEVICE_LOW: if (q) set_low(&q->used, v); break;
    case REG_QUEUE_DEVICE_HIGH: if (q) set_high(&q->used, v); break;
    default: break;
    }
}

static void mmio_io(void *opaque, uint64_t off, uint8_t *data, unsigned len, bool is_write)
{
    VirtioDevice *d = opaque;
    if (off >= REG_CONFIG) {
        uint64_t c = off - REG_CONFIG;
        for (unsigned i = 0; i < len; i++) {
            if (is_write)
                continue;                    /* device config is read-only here */
            data[i] = c + i < d->config_len ? d->config[c + i] : 0;
        }
        return;
    }
    if (len != 4) {                          /* registers are 32-bit only */
        if (!is_write)
            memset(data, 0, len);
        return;
    }
    if (is_write) {
        uint32_t v;
        memcpy(&v, data, 4);
        reg_write(d, off, v);
    } else {
        uint32_t v = reg_read(d, off);
        memcpy(data, &v, 4);
    }
}

/* The guest's notify write lands on the ioeventfd; run every queue then. */
static bool notify_ready(void *opaque, int fd)
{
    VirtioDevice *d = opaque;
    uint64_t n;
    if (read(fd, &n, sizeof(n)) < 0)
        return true;
    for (int i = 0; i < d->nqueues; i++)
        if (d->vq[i].ready && d->queue_notify)
            d->queue_notify(d, i);
    return true;
}

static void register_eventfds(VirtioDevice *d)
{
    d->notify_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    struct kvm_ioeventfd io = {
        .addr = d->base + REG_QUEUE_NOTIFY, .len = 4, .fd = d->notify_fd,
    };
    if (d->notify_fd >= 0 && ioctl(d->vm->vm_fd, KVM_IOEVENTFD, &io) == 0)
        iothread_watch(d->vm, d->notify_fd, notify_ready, d);
    else if (d->notify_fd >= 0) {
        close(d->notify_fd);
        d->notify_fd = -1;                   /* notify through the MMIO exit instead */
    }
    d->irqfd = eventfd(0, EFD_CLOEXEC);
    struct kvm_irqfd irq = { .fd = (uint32_t)d->irqfd, .gsi = (uint32_t)d->irq };
    if (d->irqfd >= 0 && ioctl(d->vm->vm_fd, KVM_IRQFD, &irq) < 0) {
        close(d->irqfd);
        d->irqfd = -1;
    }
}

bool virtio_mmio_init(VirtioDevice *d, VM *vm, int index, uint32_t device_id, int nqueues,
                      GString *cmdline)
{
    d->vm = vm;
    d->base = VM_VIRTIO_MMIO_BASE + (uint64_t)index * VM_VIRTIO_MMIO_SIZE;
    d->irq = VM_VIRTIO_FIRST_IRQ + index;
    d->device_id = device_id;
    d->nqueues = nqueues;
    d->host_features |= VIRTIO_F_VERSION_1;
    device_reset(d);
    vm_add_mmio(vm, d->base, VM_VIRTIO_MMIO_SIZE, mmio_io, d);
    register_eventfds(d);
    g_string_append_printf(cmdline, " virtio_mmio.device=4K@0x%llx:%d",
                           (unsigned long long)d->base, d->irq);
    return true;
}

void virtio_raise_irq(VirtioDevice *d)
{
    d->isr |= 1;
    uint64_t one = 1;
    if (d->irqfd < 0 || write(d->irqfd, &one, sizeof(one)) < 0) {
        vm_irq_line(d->vm, d->irq, 1);
        vm_irq_line(d->vm, d->irq, 0);
    }
}

bool virtq_pop(VirtioDevice *d, VirtQueue *q, VirtqElem *e)
{
    if (!q->ready || !q->num)
        return false;
    uint16_t *avail = vm_gpa(d->vm, q->avail, 4 + 2 * q->num);
    if (!avail)
        return false;
    uint16_t avail_idx = __atomic_load_n(&avail[1], __ATOMIC_ACQUIRE);
    if (avail_idx == q->last_avail)
        return false;
    uint16_t head = avail[2 + q->last_avail % q->num];
    q->last_avail++;
    e->head = head;
    e->n = 0;
    uint16_t i = head;
    for (unsigned hops = 0; hops < q->num && e->n < 64; hops++) {
        uint8_t *desc = vm_gpa(d->vm, q->desc + 16ULL * (i % q->num), 16);
        if (!desc)
            break;
        uint64_t addr;
        uint32_t len;
        uint16_t flags, next;
        memcpy(&addr, desc, 8);
        memcpy(&len, desc + 8, 4);
        memcpy(&flags, desc + 12, 2);
        memcpy(&next, desc + 14, 2);
        e->buf[e->n].gpa = addr;
        e->buf[e->n].len = len;
        e->buf[e->n].writable = flags & VRING_DESC_F_WRITE;
        e->n++;
        if (!(flags & VRING_DESC_F_NEXT))
            break;
        i = next;
    }
    return true;
}

void virtq_push(VirtioDevice *d, VirtQueue *q, uint16_t head, uint32_t written)
{
    uint8_t *used = vm_gpa(d->vm, q->used, 4 + 8 * q->num);
    if (!used)
        return;
    uint16_t idx;
    memcpy(&idx, used + 2, 2);
    uint8_t *elem = used + 4 + 8 * (idx % q->num);
    uint32_t id = head;
    memcpy(elem, &id, 4);
    memcpy(elem + 4, &written, 4);
    __atomic_store_n((uint16_t *)(used + 2), (uint16_t)(idx + 1), __ATOMIC_RELEASE);
}
