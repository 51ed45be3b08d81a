/* tests/system/guest/longmode.S -- test guest (b): an ELF entered by
 * ferry-system directly in 64-bit long mode (the 64-bit boot protocol: paging
 * on, CS 0x10, RSI = zero page).  Its first instruction is a port write (the
 * start-up measurement's marker).  It checks EFER.LMA, CS = 0x10, that 64-bit
 * arithmetic works and that RSI points at a zero page with "HdrS", then
 * exits through the debug port with status 42. */
    .code64
    .section .text.entry, "ax"
    .globl _start
_start:
    out %al, $0x80
    mov $0xc0000080, %ecx       /* EFER */
    rdmsr
    test $0x400, %eax           /* LMA */
    jz fail
    mov %cs, %ax
    cmp $0x10, %ax
    jne fail
    movabs $0x123456789, %rax
    shr $32, %rax
    cmp $1, %rax
    jne fail
    cmpl $0x53726448, 0x202(%rsi)   /* "HdrS" */
    jne fail
    mov $42, %al
    out %al, $0xf4
    hlt
fail:
    mov $1, %al
    out %al, $0xf4
    hlt
