/* system/virtio-console.c -- a single-port virtio console: the transmit
 * queue goes to the host's stdout, host input fills the receive queue's
 * buffers (kept until the guest posts some). */
#include "system/devices.h"

#include <string.h>
#include <unistd.h>

#define VIRTIO_ID_CONSOLE 3
enum { QUEUE_RX = 0, QUEUE_TX = 1 };

static void deliver_input(VirtioConsole *c)
{
    VirtioDevice *d = &c->dev;
    VirtqElem e;
    bool any = false;
    while (c->npending && virtq_pop(d, &d->vq[QUEUE_RX], &e)) {
        uint32_t written = 0;
        for (unsigned i = 0; i < e.n && c->npending; i++) {
            uint8_t *p = e.buf[i].writable ? vm_gpa(d->vm, e.buf[i].gpa, e.buf[i].len) : NULL;
            if (!p)
                continue;
            size_t n = e.buf[i].len < c->npending ? e.buf[i].len : c->npending;
            memcpy(p, c->pending, n);
            memmove(c->pending, c->pending + n, c->npending - n);
            c->npending -= n;
            written += (uint32_t)n;
        }
        virtq_push(d, &d->vq[QUEUE_RX], e.head, written);
        any = true;
    }
    if (any)
        virtio_raise_irq(d);
}

static void console_notify(VirtioDevice *d, int queue)
{
    VirtioConsole *c = d->opaque;
    if (queue == QUEUE_RX) {
        deliver_input(c);
        return;
    }
    VirtqElem e;
    bool any = false;
    while (virtq_pop(d, &d->vq[QUEUE_TX], &e)) {
        for (unsigned i = 0; i < e.n; i++) {
            uint8_t *p = vm_gpa(d->vm, e.buf[i].gpa, e.buf[i].len);
            if (p && !e.buf[i].writable && write(c->out_fd, p, e.buf[i].len) < 0)
                break;
        }
        virtq_push(d, &d->vq[QUEUE_TX], e.head, 0);
        any = true;
    }
    if (any)
        virtio_raise_irq(d);
}

void virtio_console_push_input(VirtioConsole *c, const uint8_t *data, size_t len)
{
    size_t room = sizeof(c->pending) - c->npending;
    if (len > room)
        len = room;
    memcpy(c->pending + c->npending, data, len);
    c->npending += len;
    deliver_input(c);
}

bool virtio_console_init(VirtioConsole *c, VM *vm, int index, int out_fd, GString *cmdline)
{
    memset(c, 0, sizeof(*c));
    c->out_fd = out_fd;
    c->dev.queue_notify = console_notify;
    c->dev.opaque = c;
    return virtio_mmio_init(&c->dev, vm, index, VIRTIO_ID_CONSOLE, 2, cmdline);
}
