/* system/serial.c -- an 8250/16550-style UART on COM1 (port 0x3f8, IRQ 4):
 * transmit to the host's stdout, receive from the I/O thread, divisor latch,
 * scratch register, loopback (the guest's probe uses it), and the receive-data
 * and transmitter-empty interrupts on a level-triggered line. */
#include "system/devices.h"

#include <string.h>
#include <unistd.h>

enum {
    IER_RDI = 0x01, IER_THRI = 0x02,
    IIR_NO_INT = 0x01, IIR_THRI = 0x02, IIR_RDI = 0x04, IIR_FIFO = 0xc0,
    LCR_DLAB = 0x80,
    MCR_LOOP = 0x10,
    LSR_DR = 0x01, LSR_THRE = 0x20, LSR_TEMT = 0x40,
    FCR_ENABLE = 0x01, FCR_CLEAR_RX = 0x02,
};

static bool rx_empty(const Serial *s) { return s->rx_head == s->rx_tail; }

static void rx_put(Serial *s, uint8_t c)
{
    unsigned next = (s->rx_tail + 1) % sizeof(s->rx);
    if (next != s->rx_head) {                /* full: drop, as an overrun would */
        s->rx[s->rx_tail] = c;
        s->rx_tail = next;
    }
}

static void update_irq(Serial *s)
{
    int level = ((s->ier & IER_RDI) && !rx_empty(s)) || ((s->ier & IER_THRI) && s->thri_pending);
    if (level != s->irq_level) {
        s->irq_level = level;
        vm_irq_line(s->vm, VM_IRQ_COM1, level);
    }
}

static uint8_t read_iir(Serial *s)
{
    uint8_t fifo = (s->fcr & FCR_ENABLE) ? IIR_FIFO : 0;
    if ((s->ier & IER_RDI) && !rx_empty(s))
        return IIR_RDI | fifo;
    if ((s->ier & IER_THRI) && s->thri_pending) {
        s->thri_pending = false;             /* reading IIR acknowledges THRE */
        return IIR_THRI | fifo;
    }
    return IIR_NO_INT | fifo;
}

/* In loopback the modem outputs come back as inputs; otherwise a peer is
 * always there (DCD, DSR, CTS). */
static uint8_t read_msr(const Serial *s)
{
    if (!(s->mcr & MCR_LOOP))
        return 0xb0;
    return (uint8_t)(((s->mcr & 1) << 5) | ((s->mcr & 2) << 3) | ((s->mcr & 4) << 4) |
                     ((s->mcr & 8) << 4));
}

static uint8_t serial_read(Serial *s, unsigned reg)
{
    bool dlab = s->lcr & LCR_DLAB;
    switch (reg) {
    case 0:
        if (dlab)
            return s->dll;
        if (rx_empty(s))
            return 0;
        uint8_t c = s->rx[s->rx_head];
        s->rx_head = (s->rx_head + 1) % sizeof(s->rx);
        return c;
    case 1: return dlab ? s->dlm : s->ier;
    case 2: return read_iir(s);
    case 3: return s->lcr;
    case 4: return s->mcr;
    case 5: return LSR_THRE | LSR_TEMT | (rx_empty(s) ? 0 : LSR_DR);
    case 6: return read_msr(s);
    default: return s->scr;
    }
}

static void transmit(Serial *s, uint8_t c)
{
    if (s->mcr & MCR_LOOP)
        rx_put(s, c);
    else if (write(s->out_fd, &c, 1) < 0)
        return;
    if (s->ier & IER_THRI)
        s->thri_pending = true;
}

static void serial_write(Serial *s, unsigned reg, uint8_t v)
{
    bool dlab = s->lcr & LCR_DLAB;
    switch (reg) {
    case 0:
        if (dlab)
            s->dll = v;
        else
            transmit(s, v);
        break;
    case 1:
        if (dlab) {
            s->dlm = v;
        } else {
            if ((v & IER_THRI) && !(s->ier & IER_THRI))
                s->thri_pending = true;      /* the transmitter is always empty */
            s->ier = v & 0x0f;
        }
        break;
    case 2:
        s->fcr = v;
        if (v & FCR_CLEAR_RX)
            s->rx_head = s->rx_tail;
        break;
    case 3: s->lcr = v; break;
    case 4: s->mcr = v & 0x1f; break;
    case 7: s->scr = v; break;
    default: break;
    }
}

static void serial_io(void *opaque, uint64_t offset, uint8_t *data, unsigned len, bool is_write)
{
    Serial *s = opaque;
    if (is_write)
        serial_write(s, (unsigned)offset, data[0]);
    else {
        data[0] = serial_read(s, (unsigned)offset);
        memset(data + 1, 0, len - 1);
    }
    update_irq(s);
}

void serial_push_input(Serial *s, const uint8_t *data, size_t len)
{
    for (size_t i = 0; i < len; i++)
        rx_put(s, data[i]);
    update_irq(s);
}

void serial_init(Serial *s, VM *vm, int out_fd)
{
    memset(s, 0, sizeof(*s));
    s->vm = vm;
    s->out_fd = out_fd;
    s->mcr = 0x08;                           /* OUT2: interrupts reach the PIC */
    vm_add_pio(vm, VM_PORT_COM1, 8, serial_io, s);
}
