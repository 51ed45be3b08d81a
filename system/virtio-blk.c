/* system/virtio-blk.c -- a virtio block device backed by a host file: read,
 * write (refused when read-only), flush and get-id requests on one queue. */
#include "system/devices.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define VIRTIO_ID_BLOCK 2
#define VIRTIO_BLK_F_RO (1ULL << 5)
#define VIRTIO_BLK_F_FLUSH (1ULL << 9)
enum { BLK_T_IN = 0, BLK_T_OUT = 1, BLK_T_FLUSH = 4, BLK_T_GET_ID = 8 };
enum { BLK_S_OK = 0, BLK_S_IOERR = 1, BLK_S_UNSUPP = 2 };
#define SECTOR 512

/* Data buffers sit between the 16-byte header and the 1-byte status. */
static uint8_t do_request(VirtioBlk *b, const VirtqElem *e, uint32_t type, uint64_t sector,
                          uint32_t *written)
{
    VM *vm = b->dev.vm;
    uint64_t pos = sector * SECTOR;
    for (unsigned i = 1; i + 1 < e->n; i++) {
        uint8_t *p = vm_gpa(vm, e->buf[i].gpa, e->buf[i].len);
        uint32_t len = e->buf[i].len;
        if (!p)
            return BLK_S_IOERR;
        if (type == BLK_T_IN) {
            if (!e->buf[i].writable || pos + len > b->sectors * SECTOR ||
                pread(b->fd, p, len, (off_t)pos) != (ssize_t)len)
                return BLK_S_IOERR;
            *written += len;
        } else if (type == BLK_T_OUT) {
            if (b->readonly || pos + len > b->sectors * SECTOR ||
                pwrite(b->fd, p, len, (off_t)pos) != (ssize_t)len)
                return BLK_S_IOERR;
        } else if (type == BLK_T_GET_ID) {
            char id[20] = "ferry-virtio-blk";
            memcpy(p, id, len < sizeof(id) ? len : sizeof(id));
            *written += len < sizeof(id) ? len : sizeof(id);
        }
        pos += len;
    }
    if (type == BLK_T_FLUSH)
        return fdatasync(b->fd) == 0 || b->readonly ? BLK_S_OK : BLK_S_IOERR;
    if (type != BLK_T_IN && type != BLK_T_OUT && type != BLK_T_GET_ID)
        return BLK_S_UNSUPP;
    return BLK_S_OK;
}

static void blk_notify(VirtioDevice *d, int queue)
{
    VirtioBlk *b = d->opaque;
    VirtQueue *q = &d->vq[queue];
    VirtqElem e;
    bool any = false;
    while (virtq_pop(d, q, &e)) {
        uint32_t written = 0;
        uint8_t status = BLK_S_IOERR;
        uint8_t *hdr = e.n >= 2 ? vm_gpa(d->vm, e.buf[0].gpa, 16) : NULL;
        uint8_t *st = e.n >= 2 ? vm_gpa(d->vm, e.buf[e.n - 1].gpa, 1) : NULL;
        if (hdr && st && e.buf[0].len >= 16) {
            uint32_t type;
            uint64_t sector;
            memcpy(&type, hdr, 4);
            memcpy(&sector, hdr + 8, 8);
            status = do_request(b, &e, type, sector, &written);
        }
        if (st)
            *st = status;
        virtq_push(d, q, e.head, written + 1);
        any = true;
    }
    if (any)
        virtio_raise_irq(d);
}

bool virtio_blk_init(VirtioBlk *b, VM *vm, int index, const char *path, bool readonly,
                     GString *cmdline)
{
    memset(b, 0, sizeof(*b));
    b->readonly = readonly;
    b->fd = open(path, (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC);
    if (b->fd < 0) {
        fprintf(stderr, "ferry-system: -drive file=%s: %s\n", path, strerror(errno));
        return false;
    }
    struct stat st;
    if (fstat(b->fd, &st) < 0)
        return false;
    b->sectors = (uint64_t)st.st_size / SECTOR;
    memcpy(b->dev.config, &b->sectors, 8);                 /* capacity */
    b->dev.config_len = 8;
    b->dev.host_features = VIRTIO_BLK_F_FLUSH | (readonly ? VIRTIO_BLK_F_RO : 0);
    b->dev.queue_notify = blk_notify;
    b->dev.opaque = b;
    return virtio_mmio_init(&b->dev, vm, index, VIRTIO_ID_BLOCK, 1, cmdline);
}
