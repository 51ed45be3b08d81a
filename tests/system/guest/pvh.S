/* tests/system/guest/pvh.S -- PVH entry guest: an ELF64 whose
 * XEN_ELFNOTE_PHYS32_ENTRY note (type 18, name "Xen") names a 32-bit entry.
 * ferry-system must enter it in 32-bit protected mode with paging off and
 * EBX pointing at an hvm_start_info (magic 0x336ec578) whose command line is
 * the -append string and whose memory map starts with RAM at 0.  Prints
 * "pvh ok" and exits with 0, or exits with the number of the failed check. */
    .section .note.pvh, "a"
    .balign 4
    .long 4                     /* namesz */
    .long 4                     /* descsz */
    .long 18                    /* XEN_ELFNOTE_PHYS32_ENTRY */
    .asciz "Xen"
    .long pvh_entry

    .section .text.entry, "ax"
    .code32
    .globl _start
_start:
pvh_entry:
    mov $1, %al
    mov %cr0, %ecx
    test $0x80000000, %ecx      /* paging off */
    jnz fail
    test $1, %ecx               /* protected mode */
    jz fail
    mov $2, %al
    cmpl $0x336ec578, (%ebx)    /* hvm_start_info magic */
    jne fail
    mov $3, %al
    cmpl $1, 4(%ebx)            /* version >= 1 */
    jb fail
    mov $4, %al
    mov 24(%ebx), %esi          /* cmdline_paddr */
    cmpl $0x2d687670, (%esi)    /* "pvh-" */
    jne fail
    cmpl $0x74736574, 4(%esi)   /* "test" */
    jne fail
    mov $5, %al
    cmpl $2, 48(%ebx)           /* memmap_entries */
    jb fail
    mov 40(%ebx), %esi          /* memmap_paddr */
    cmpl $0, (%esi)             /* first entry: addr 0 ... */
    jne fail
    cmpl $1, 16(%esi)           /* ... type RAM */
    jne fail
    mov $msg, %esi
1:  movb (%esi), %al
    test %al, %al
    jz 2f
    mov $0x3f8, %dx
    out %al, %dx
    inc %esi
    jmp 1b
2:  xor %al, %al
fail:
    out %al, $0xf4
    hlt
msg:
    .asciz "pvh ok\n"
