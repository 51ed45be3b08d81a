/* system/mptable.c -- an Intel MultiProcessor Specification 1.4 table in the
 * BIOS area, so a guest without ACPI finds every vCPU's local APIC, the
 * IOAPIC and how the ISA interrupts reach it (identity: ISA IRQ n -> pin n,
 * as KVM's default routing does). */
#include "system/boot.h"

#include <string.h>

#define MP_LAPIC_ADDR 0xfee00000u
#define MP_IOAPIC_ADDR 0xfec00000u
#define MP_APIC_VERSION 0x14
#define MP_IOAPIC_VERSION 0x11

typedef struct MPBuilder {
    uint8_t *base, *p;
    uint16_t entries;
} MPBuilder;

static void put(MPBuilder *b, const void *data, size_t len)
{
    memcpy(b->p, data, len);
    b->p += len;
}

static uint8_t checksum(const uint8_t *p, size_t len)
{
    uint8_t sum = 0;
    for (size_t i = 0; i < len; i++)
        sum += p[i];
    return (uint8_t)-sum;
}

static void put_processor(MPBuilder *b, int apic_id, bool bsp)
{
    uint8_t e[20] = { 0, (uint8_t)apic_id, MP_APIC_VERSION, (uint8_t)(1 | (bsp ? 2 : 0)) };
    uint32_t signature = 0x600, features = 0x201;          /* family 6; FPU, APIC */
    memcpy(e + 4, &signature, 4);
    memcpy(e + 8, &features, 4);
    put(b, e, sizeof(e));
    b->entries++;
}

static void put_interrupt(MPBuilder *b, uint8_t entry_type, uint8_t int_type, uint8_t bus_irq,
                          uint8_t dst_id, uint8_t dst_pin)
{
    uint8_t e[8] = { entry_type, int_type, 0, 0, 0, bus_irq, dst_id, dst_pin };
    put(b, e, sizeof(e));
    b->entries++;
}

bool mptable_write(VM *vm)
{
    const uint32_t table_addr = BOOT_BIOS_START + 16;   /* after the floating pointer */
    uint8_t *area = vm_gpa(vm, BOOT_BIOS_START, 0x10000);
    if (!area)
        return false;
    MPBuilder b = { .base = area + 16, .p = area + 16 + 44 };
    uint8_t ioapic_id = (uint8_t)vm->ncpus;

    for (int i = 0; i < vm->ncpus; i++)
        put_processor(&b, i, i == 0);
    uint8_t bus[8] = { 1, 0, 'I', 'S', 'A', ' ', ' ', ' ' };
    put(&b, bus, sizeof(bus));
    b.entries++;
    uint8_t ioapic[8] = { 2, ioapic_id, MP_IOAPIC_VERSION, 1 };
    uint32_t ioapic_addr = MP_IOAPIC_ADDR;
    memcpy(ioapic + 4, &ioapic_addr, 4);
    put(&b, ioapic, sizeof(ioapic));
    b.entries++;
    for (uint8_t irq = 0; irq < 16; irq++)
        put_interrupt(&b, 3, 0 /* INT */, irq, ioapic_id, irq);
    put_interrupt(&b, 4, 3 /* ExtINT */, 0, 0xff, 0);      /* LINT0 of every CPU */
    put_interrupt(&b, 4, 1 /* NMI */, 0, 0xff, 1);         /* LINT1 */

    uint16_t length = (uint16_t)(b.p - b.base);
    uint8_t *h = b.base;
    memset(h, 0, 44);
    memcpy(h, "PCMP", 4);
    memcpy(h + 4, &length, 2);
    h[6] = 4;                                              /* spec revision 1.4 */
    memcpy(h + 8, "FERRY   ", 8);
    memcpy(h + 16, "KVM VM      ", 12);
    memcpy(h + 34, &b.entries, 2);
    uint32_t lapic = MP_LAPIC_ADDR;
    memcpy(h + 36, &lapic, 4);
    h[7] = checksum(h, length);

    uint8_t *f = area;
    memset(f, 0, 16);
    memcpy(f, "_MP_", 4);
    memcpy(f + 4, &table_addr, 4);
    f[8] = 1;                                              /* length in 16-byte units */
    f[9] = 4;
    f[10] = checksum(f, 16);
    return true;
}
