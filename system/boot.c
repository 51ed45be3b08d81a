/* system/boot.c -- guest image loading for ferry-system-x86_64: bzImage via
 * the Linux 64-bit boot protocol (setup header, zero page, e820, cmdline,
 * initrd), ELF64 with a PVH note (32-bit protected-mode entry, hvm_start_info)
 * or without one (64-bit protocol at e_entry), and raw boot sectors started
 * in real mode.  Also the identity page tables and GDT the entries need. */
#include "system/boot.h"

#include <elf.h>
#include <glib.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

/* Zero page (struct boot_params) offsets, from the boot protocol. */
#define ZP_EXT_RAMDISK_IMAGE 0x0c0
#define ZP_EXT_RAMDISK_SIZE 0x0c4
#define ZP_EXT_CMD_LINE_PTR 0x0c8
#define ZP_E820_ENTRIES 0x1e8
#define ZP_SETUP_SECTS 0x1f1
#define ZP_BOOT_FLAG 0x1fe
#define ZP_JUMP 0x200
#define ZP_HEADER 0x202
#define ZP_VERSION 0x206
#define ZP_KERNEL_VERSION 0x20e
#define ZP_TYPE_OF_LOADER 0x210
#define ZP_LOADFLAGS 0x211
#define ZP_RAMDISK_IMAGE 0x218
#define ZP_RAMDISK_SIZE 0x21c
#define ZP_HEAP_END_PTR 0x224
#define ZP_CMD_LINE_PTR 0x228
#define ZP_INITRD_ADDR_MAX 0x22c
#define ZP_XLOADFLAGS 0x236
#define ZP_CMDLINE_SIZE 0x238
#define ZP_INIT_SIZE 0x260
#define ZP_E820_TABLE 0x2d0
#define ZP_E820_MAX 128

#define LOADFLAG_LOADED_HIGH 0x01
#define LOADFLAG_CAN_USE_HEAP 0x80
#define XLF_KERNEL_64 0x01

#define PVH_NOTE_TYPE 18             /* XEN_ELFNOTE_PHYS32_ENTRY */
#define PVH_START_MAGIC 0x336ec578

static uint16_t rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static void wr16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void wr32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void wr64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static bool boot_error(const char *path, const char *msg)
{
    fprintf(stderr, "ferry-system: %s: %s\n", path, msg);
    return false;
}

static uint64_t low_ram_end(const VM *vm)
{
    return vm->ram_size < VM_MMIO_HOLE_START ? vm->ram_size : VM_MMIO_HOLE_START;
}

int boot_e820_map(const VM *vm, E820Entry *out, int max)
{
    E820Entry map[] = {
        { 0, BOOT_EBDA_START, E820_RAM },
        { BOOT_EBDA_START, 0xa0000 - BOOT_EBDA_START, E820_RESERVED },
        { BOOT_BIOS_START, 0x100000 - BOOT_BIOS_START, E820_RESERVED },
        { 0x100000, low_ram_end(vm) - 0x100000, E820_RAM },
        { 1ULL << 32, vm->ram_size - low_ram_end(vm), E820_RAM },
    };
    int n = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(map) && n < max; i++)
        if (map[i].size)
            out[n++] = map[i];
    return n;
}

/* Identity map of the first 4 GiB with 2 MiB pages, and a GDT with the
 * protocol's flat code (64-bit and 32-bit) and data segments. */
static void build_page_tables_and_gdt(VM *vm)
{
    uint64_t *pml4 = vm_gpa(vm, BOOT_PML4_ADDR, 4096);
    uint64_t *pdpt = vm_gpa(vm, BOOT_PDPT_ADDR, 4096);
    uint64_t *pd = vm_gpa(vm, BOOT_PD_ADDR, 4 * 4096);
    memset(pml4, 0, 4096);
    memset(pdpt, 0, 4096);
    pml4[0] = BOOT_PDPT_ADDR | 0x3;                       /* present, writable */
    for (int i = 0; i < 4; i++)
        pdpt[i] = (BOOT_PD_ADDR + i * 4096ULL) | 0x3;
    for (int i = 0; i < 4 * 512; i++)
        pd[i] = ((uint64_t)i << 21) | 0x83;               /* present, writable, 2 MiB */

    uint64_t *gdt = vm_gpa(vm, BOOT_GDT_ADDR, 8 * 8);
    memset(gdt, 0, 8 * 8);
    gdt[1] = 0x00cf9b000000ffffULL;   /* 0x08: 32-bit code */
    gdt[2] = 0x00af9b000000ffffULL;   /* 0x10: 64-bit code (__BOOT_CS) */
    gdt[3] = 0x00cf93000000ffffULL;   /* 0x18: data (__BOOT_DS) */
    gdt[4] = 0x00cf93000000ffffULL;   /* 0x20: data */
}

static struct kvm_segment flat_segment(uint16_t selector, bool code, bool long_mode)
{
    struct kvm_segment s = {
        .base = 0, .limit = 0xffffffff, .selector = selector, .type = code ? 11 : 3,
        .present = 1, .dpl = 0, .db = long_mode && code ? 0 : 1, .s = 1,
        .l = long_mode && code, .g = 1,
    };
    return s;
}

static bool set_entry_state(VM *vm, BootKind kind, uint64_t entry, uint64_t rsi, uint64_t rbx)
{
    VCPU *bsp = &vm->cpus[0];
    struct kvm_sregs s;
    if (ioctl(bsp->fd, KVM_GET_SREGS, &s) < 0)
        return boot_error("vCPU 0", "KVM_GET_SREGS failed");
    struct kvm_regs r = { .rflags = 2 };
    if (kind == BOOT_SECTOR) {
        struct kvm_segment seg = s.cs;
        seg.base = 0;
        seg.selector = 0;
        s.cs = s.ds = s.es = s.ss = seg;
        s.ds.type = s.es.type = s.ss.type = 3;
        r.rip = entry;
        r.rsp = BOOT_SECTOR_ADDR;
        r.rdx = 0x80;                                     /* boot drive */
    } else {
        bool lm = kind != BOOT_PVH;
        s.gdt.base = BOOT_GDT_ADDR;
        s.gdt.limit = 8 * 8 - 1;
        s.cs = flat_segment(lm ? BOOT_CS : 0x08, true, lm);
        s.ds = s.es = s.fs = s.gs = s.ss = flat_segment(BOOT_DS, false, lm);
        if (lm) {
            s.cr3 = BOOT_PML4_ADDR;
            s.cr4 = 0x20;                                 /* PAE */
            s.cr0 = 0x80000011;                           /* PG, ET, PE */
            s.efer = 0x500;                               /* LME, LMA */
        } else {
            s.cr0 = 0x11;
            s.cr4 = 0;
            s.efer = 0;
        }
        r.rip = entry;
        r.rsi = rsi;
        r.rbx = rbx;
        r.rsp = BOOT_STACK_TOP;
    }
    if (ioctl(bsp->fd, KVM_SET_SREGS, &s) < 0 || ioctl(bsp->fd, KVM_SET_REGS, &r) < 0)
        return boot_error("vCPU 0", "cannot set the entry registers");
    return true;
}

/* Whole file into memory; on failure one line naming the option. */
static bool read_image(const char *option, const char *path, gchar **data, gsize *size)
{
    GError *err = NULL;
    if (g_file_get_contents(path, data, size, &err))
        return true;
    fprintf(stderr, "ferry-system: %s: %s\n", option, err->message);
    g_error_free(err);
    return false;
}

static bool place_cmdline(VM *vm, const BootConfig *cfg, uint32_t limit)
{
    const char *cmd = cfg->cmdline ? cfg->cmdline : "";
    size_t len = strlen(cmd);
    if (len + 1 > limit || len + 1 > BOOT_CMDLINE_MAX)
        return boot_error(cfg->kernel, "the kernel command line is too long for this kernel");
    memcpy(vm_gpa(vm, BOOT_CMDLINE_ADDR, len + 1), cmd, len + 1);
    return true;
}

/* The initrd goes as high as the kernel allows, page-aligned, above min_addr. */
static bool place_initrd(VM *vm, const BootConfig *cfg, uint64_t max_addr, uint64_t min_addr,
                         BootInfo *info)
{
    if (!cfg->initrd)
        return true;
    gchar *data;
    gsize size;
    if (!read_image("-initrd", cfg->initrd, &data, &size))
        return false;
    uint64_t top = low_ram_end(vm);
    if (top > max_addr + 1)
        top = max_addr + 1;
    uint64_t addr = (top - size) & ~0xfffULL;
    if (size > top || addr < min_addr) {
        g_free(data);
        return boot_error(cfg->initrd, "the initrd does not fit in guest RAM below the "
                          "kernel's limit (raise -m)");
    }
    memcpy(vm_gpa(vm, addr, size), data, size);
    g_free(data);
    info->initrd_addr = addr;
    info->initrd_size = size;
    return true;
}

static bool load_bzimage(VM *vm, const BootConfig *cfg, const uint8_t *img, size_t size,
                         BootInfo *info)
{
    uint16_t version = rd16(img + ZP_VERSION);
    if (version < 0x020c || !(rd16(img + ZP_XLOADFLAGS) & XLF_KERNEL_64))
        return boot_error(cfg->kernel, "this bzImage has no 64-bit entry point (boot "
                          "protocol 2.12 or later with XLF_KERNEL_64 is needed)");
    if (!(img[ZP_LOADFLAGS] & LOADFLAG_LOADED_HIGH))
        return boot_error(cfg->kernel, "this bzImage is not a loaded-high kernel");
    unsigned setup_sects = img[ZP_SETUP_SECTS] ? img[ZP_SETUP_SECTS] : 4;
    size_t setup_size = (setup_sects + 1) * 512;
    if (setup_size >= size)
        return boot_error(cfg->kernel, "truncated bzImage (no protected-mode part)");
    size_t kernel_size = size - setup_size;
    uint64_t init_size = rd32(img + ZP_INIT_SIZE);
    uint64_t need = init_size > kernel_size ? init_size : kernel_size;
    if (BOOT_KERNEL_ADDR + need > low_ram_end(vm))
        return boot_error(cfg->kernel, "not enough guest RAM for this kernel (raise -m)");
    memcpy(vm_gpa(vm, BOOT_KERNEL_ADDR, kernel_size), img + setup_size, kernel_size);

    uint8_t *zp = vm_gpa(vm, BOOT_ZERO_PAGE_ADDR, 4096);
    memset(zp, 0, 4096);
    size_t hdr_end = ZP_HEADER + img[ZP_JUMP + 1];        /* the jump skips the header */
    if (hdr_end > setup_size)
        hdr_end = setup_size;
    memcpy(zp + ZP_SETUP_SECTS, img + ZP_SETUP_SECTS, hdr_end - ZP_SETUP_SECTS);
    zp[ZP_TYPE_OF_LOADER] = 0xff;
    zp[ZP_LOADFLAGS] |= LOADFLAG_CAN_USE_HEAP;
    wr16(zp + ZP_HEAP_END_PTR, 0xfe00);

    uint32_t cmdline_limit = rd32(img + ZP_CMDLINE_SIZE);
    if (!place_cmdline(vm, cfg, cmdline_limit ? cmdline_limit + 1 : 256))
        return false;
    wr32(zp + ZP_CMD_LINE_PTR, BOOT_CMDLINE_ADDR);
    wr32(zp + ZP_EXT_CMD_LINE_PTR, 0);

    uint32_t initrd_max = rd32(img + ZP_INITRD_ADDR_MAX);
    if (!place_initrd(vm, cfg, initrd_max ? initrd_max : 0x37ffffff,
                      BOOT_KERNEL_ADDR + need, info))
        return false;
    wr32(zp + ZP_RAMDISK_IMAGE, (uint32_t)info->initrd_addr);
    wr32(zp + ZP_RAMDISK_SIZE, (uint32_t)info->initrd_size);
    wr32(zp + ZP_EXT_RAMDISK_IMAGE, (uint32_t)(info->initrd_addr >> 32));
    wr32(zp + ZP_EXT_RAMDISK_SIZE, (uint32_t)(info->initrd_size >> 32));

    zp[ZP_E820_ENTRIES] = (uint8_t)boot_e820_map(vm, (E820Entry *)(zp + ZP_E820_TABLE),
                                                 ZP_E820_MAX);
    info->kind = BOOT_BZIMAGE;
    info->entry = BOOT_KERNEL_ADDR + 0x200;                /* startup_64 */
    build_page_tables_and_gdt(vm);
    return set_entry_state(vm, BOOT_BZIMAGE, info->entry, BOOT_ZERO_PAGE_ADDR, 0);
}

/* Looks through PT_NOTE segments for the PVH entry note. */
static bool find_pvh_entry(const uint8_t *img, size_t size, const Elf64_Ehdr *eh,
                           uint64_t *entry)
{
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        const Elf64_Phdr *ph = (const Elf64_Phdr *)(img + eh->e_phoff + i * sizeof(*ph));
        if (ph->p_type != PT_NOTE || ph->p_offset + ph->p_filesz > size)
            continue;
        size_t off = ph->p_offset, end = ph->p_offset + ph->p_filesz;
        while (off + sizeof(Elf64_Nhdr) <= end) {
            const Elf64_Nhdr *n = (const Elf64_Nhdr *)(img + off);
            size_t name_off = off + sizeof(*n);
            size_t desc_off = name_off + ((n->n_namesz + 3) & ~3u);
            size_t next = desc_off + ((n->n_descsz + 3) & ~3u);
            if (next > end)
                break;
            if (n->n_type == PVH_NOTE_TYPE && n->n_namesz == 4 &&
                memcmp(img + name_off, "Xen", 4) == 0 && n->n_descsz >= 4) {
                *entry = rd32(img + desc_off);      /* low half of a 64-bit desc too */
                return true;
            }
            off = next;
        }
    }
    return false;
}

/* hvm_start_info (version 1) with the memory map and an initrd module. */
static void build_pvh_start_info(VM *vm, const BootInfo *info)
{
    uint8_t *si = vm_gpa(vm, BOOT_PVH_INFO_ADDR, 4096);
    memset(si, 0, 4096);
    uint64_t modlist = BOOT_PVH_INFO_ADDR + 0x40, memmap = BOOT_PVH_INFO_ADDR + 0x80;
    wr32(si + 0, PVH_START_MAGIC);
    wr32(si + 4, 1);
    if (info->initrd_size) {
        wr32(si + 12, 1);
        wr64(si + 16, modlist);
        wr64(si + 0x40, info->initrd_addr);
        wr64(si + 0x48, info->initrd_size);
    }
    wr64(si + 24, BOOT_CMDLINE_ADDR);
    E820Entry map[8];
    int n = boot_e820_map(vm, map, 8);
    for (int i = 0; i < n; i++) {
        uint8_t *e = si + 0x80 + i * 24;
        wr64(e, map[i].addr);
        wr64(e + 8, map[i].size);
        wr32(e + 16, map[i].type);
    }
    wr64(si + 40, memmap);
    wr32(si + 48, (uint32_t)n);
}

static bool load_elf64(VM *vm, const BootConfig *cfg, const uint8_t *img, size_t size,
                       BootInfo *info)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)img;
    if (size < sizeof(*eh) || eh->e_ident[EI_CLASS] != ELFCLASS64 || eh->e_machine != EM_X86_64)
        return boot_error(cfg->kernel, "not an x86-64 ELF kernel");
    if (eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > size)
        return boot_error(cfg->kernel, "malformed ELF (program headers out of the file)");
    uint64_t kernel_end = 0;
    for (unsigned i = 0; i < eh->e_phnum; i++) {
        const Elf64_Phdr *ph = (const Elf64_Phdr *)(img + eh->e_phoff + i * sizeof(*ph));
        if (ph->p_type != PT_LOAD)
            continue;
        uint8_t *dst = vm_gpa(vm, ph->p_paddr, ph->p_memsz);
        if (ph->p_filesz > ph->p_memsz || ph->p_offset + ph->p_filesz > size)
            return boot_error(cfg->kernel, "malformed ELF (segment out of the file)");
        if (!dst)
            return boot_error(cfg->kernel, "a segment's physical address is outside guest RAM");
        memcpy(dst, img + ph->p_offset, ph->p_filesz);
        memset(dst + ph->p_filesz, 0, ph->p_memsz - ph->p_filesz);
        if (ph->p_paddr + ph->p_memsz > kernel_end)
            kernel_end = ph->p_paddr + ph->p_memsz;
    }
    if (!place_cmdline(vm, cfg, BOOT_CMDLINE_MAX))
        return false;
    if (!place_initrd(vm, cfg, 0xffffffffULL, kernel_end, info))
        return false;
    build_page_tables_and_gdt(vm);

    uint64_t pvh_entry;
    if (find_pvh_entry(img, size, eh, &pvh_entry)) {
        info->kind = BOOT_PVH;
        info->entry = pvh_entry;
        build_pvh_start_info(vm, info);
        return set_entry_state(vm, BOOT_PVH, pvh_entry, 0, BOOT_PVH_INFO_ADDR);
    }
    /* No PVH note: the 64-bit protocol with a zero page holding the e820
     * map, command line and initrd. */
    uint8_t *zp = vm_gpa(vm, BOOT_ZERO_PAGE_ADDR, 4096);
    memset(zp, 0, 4096);
    wr16(zp + ZP_BOOT_FLAG, 0xaa55);
    wr32(zp + ZP_HEADER, 0x53726448);                      /* "HdrS" */
    wr16(zp + ZP_VERSION, 0x020f);
    zp[ZP_TYPE_OF_LOADER] = 0xff;
    zp[ZP_LOADFLAGS] = LOADFLAG_LOADED_HIGH;
    wr32(zp + ZP_CMD_LINE_PTR, BOOT_CMDLINE_ADDR);
    wr32(zp + ZP_RAMDISK_IMAGE, (uint32_t)info->initrd_addr);
    wr32(zp + ZP_RAMDISK_SIZE, (uint32_t)info->initrd_size);
    zp[ZP_E820_ENTRIES] = (uint8_t)boot_e820_map(vm, (E820Entry *)(zp + ZP_E820_TABLE),
                                                 ZP_E820_MAX);
    info->kind = BOOT_ELF64;
    info->entry = eh->e_entry;
    return set_entry_state(vm, BOOT_ELF64, eh->e_entry, BOOT_ZERO_PAGE_ADDR, 0);
}

static bool load_boot_sector(VM *vm, const BootConfig *cfg, const uint8_t *img, size_t size,
                             BootInfo *info)
{
    if (size > BOOT_EBDA_START - BOOT_SECTOR_ADDR)
        return boot_error(cfg->kernel, "boot sector image too large for low memory");
    memcpy(vm_gpa(vm, BOOT_SECTOR_ADDR, size), img, size);
    info->kind = BOOT_SECTOR;
    info->entry = BOOT_SECTOR_ADDR;
    return set_entry_state(vm, BOOT_SECTOR, BOOT_SECTOR_ADDR, 0, 0);
}

/* A Linux bzImage points at its version string from the setup header; an
 * uncompressed vmlinux carries "Linux version " in its data. */
static void find_linux_version(const uint8_t *img, size_t size, BootInfo *info)
{
    const char *v = NULL;
    size_t max = 0;
    if (size >= 0x400 && rd32(img + ZP_HEADER) == 0x53726448) {
        uint16_t off = rd16(img + ZP_KERNEL_VERSION);
        if (off && 0x200u + off < size) {
            v = (const char *)img + 0x200 + off;
            max = size - (0x200u + off);
        }
    } else {
        const char key[] = "Linux version ";
        const uint8_t *hit = memmem(img, size, key, sizeof(key) - 1);
        if (hit) {
            v = (const char *)hit + sizeof(key) - 1;
            max = size - (size_t)(hit - img) - (sizeof(key) - 1);
        }
    }
    size_t n = 0;
    while (v && n < max && n + 1 < sizeof(info->linux_version) && v[n] >= ' ' && v[n] < 127) {
        info->linux_version[n] = v[n];
        n++;
    }
    info->linux_version[n] = 0;
}

bool boot_load(VM *vm, const BootConfig *cfg, BootInfo *info)
{
    memset(info, 0, sizeof(*info));
    gchar *img;
    gsize size;
    if (!read_image("-kernel", cfg->kernel, &img, &size))
        return false;
    const uint8_t *p = (const uint8_t *)img;
    find_linux_version(p, size, info);
    bool ok;
    if (size >= 0x400 && rd32(p + ZP_HEADER) == 0x53726448)
        ok = load_bzimage(vm, cfg, p, size, info);
    else if (size >= 4 && memcmp(p, ELFMAG, SELFMAG) == 0)
        ok = load_elf64(vm, cfg, p, size, info);
    else if (size >= 512 && rd16(p + ZP_BOOT_FLAG) == 0xaa55)
        ok = load_boot_sector(vm, cfg, p, size, info);
    else
        ok = boot_error(cfg->kernel, "not a bzImage, an x86-64 ELF kernel or a boot "
                        "sector (0x55aa at offset 510)");
    g_free(img);
    if (ok && !mptable_write(vm))
        ok = false;
    return ok;
}
