/* tests/system/guest/fake-kernel.S -- test guest (f): a "kernel" in bzImage
 * form.  The setup area (two sectors) carries a boot-protocol 2.15 setup
 * header announcing a 64-bit entry (XLF_KERNEL_64); the protected-mode part
 * is loaded at 1 MiB and entered at +0x200 in long mode with RSI = zero page:
 * start64.S's _start, linked there by fake-kernel.ld, calls fake-kernel.c's
 * checks of what the VMM built. */
    .section .setup, "a"
    .org 0x1f1
    .byte 1                     /* setup_sects: 1 (+ the boot sector) */
    .org 0x1fe
    .word 0xaa55                /* boot_flag */
    .byte 0xeb, 0x66            /* jump over the header (ends at 0x268) */
    .ascii "HdrS"               /* 0x202 */
    .word 0x020f                /* 0x206 version 2.15 */
    .org 0x211
    .byte 0x01                  /* loadflags: LOADED_HIGH */
    .org 0x214
    .long 0x100000              /* code32_start */
    .org 0x22c
    .long 0x7fffffff            /* initrd_addr_max */
    .long 0x200000              /* kernel_alignment */
    .byte 0                     /* relocatable_kernel */
    .byte 0                     /* min_alignment */
    .word 0x0001                /* 0x236 xloadflags: XLF_KERNEL_64 */
    .long 2047                  /* 0x238 cmdline_size */
    .org 0x260
    .long 0x20000               /* init_size */
    .org 0x3ff
    .byte 0

    .section .head32, "ax"
    .code32
startup_32:                     /* 32-bit entry: not used by ferry */
    ud2
