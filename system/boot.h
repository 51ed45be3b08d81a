/* system/boot.h -- loading a guest image into RAM and setting the boot
 * vCPU's registers: a bzImage through the Linux 64-bit boot protocol, an ELF
 * (PVH entry when it carries the note, otherwise the 64-bit protocol at its
 * entry point), or a 512-byte boot sector started in real mode at 0:7c00. */
#ifndef FERRY_SYSTEM_BOOT_H
#define FERRY_SYSTEM_BOOT_H

#include "system/vm.h"

/* Guest-physical addresses of what the loader builds. */
#define BOOT_GDT_ADDR 0x500
#define BOOT_PVH_INFO_ADDR 0x6000
#define BOOT_ZERO_PAGE_ADDR 0x7000
#define BOOT_STACK_TOP 0x8ff0
#define BOOT_PML4_ADDR 0x9000
#define BOOT_PDPT_ADDR 0xa000
#define BOOT_PD_ADDR 0xb000          /* four pages: identity map of 4 GiB */
#define BOOT_CMDLINE_ADDR 0x20000
#define BOOT_CMDLINE_MAX 0x10000
#define BOOT_EBDA_START 0x9fc00
#define BOOT_BIOS_START 0xf0000      /* MP table lives here */
#define BOOT_KERNEL_ADDR 0x100000
#define BOOT_SECTOR_ADDR 0x7c00

/* The 64-bit boot protocol's GDT selectors. */
#define BOOT_CS 0x10
#define BOOT_DS 0x18

typedef enum BootKind { BOOT_BZIMAGE, BOOT_ELF64, BOOT_PVH, BOOT_SECTOR } BootKind;

typedef struct BootConfig {
    const char *kernel;
    const char *initrd;              /* may be NULL */
    const char *cmdline;             /* full command line, devices included */
} BootConfig;

typedef struct BootInfo {
    BootKind kind;
    uint64_t entry;
    uint64_t initrd_addr, initrd_size;
    char linux_version[160];         /* non-empty when the image is a Linux kernel */
} BootInfo;

/* Loads the image and sets vCPU 0's registers.  Prints one clear line and
 * returns false on a bad or unsupported image. */
bool boot_load(VM *vm, const BootConfig *cfg, BootInfo *info);

/* Writes the e820 map this VM's RAM gives (used by the zero page and PVH). */
typedef struct E820Entry {
    uint64_t addr, size;
    uint32_t type;
} __attribute__((packed)) E820Entry;
#define E820_RAM 1
#define E820_RESERVED 2
int boot_e820_map(const VM *vm, E820Entry *out, int max);

/* MP table (system/mptable.c): lets a guest find the vCPUs and the IOAPIC. */
bool mptable_write(VM *vm);

#endif
