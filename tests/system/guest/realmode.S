/* tests/system/guest/realmode.S -- test guest (a): a boot sector started by
 * ferry-system in real mode at 0000:7c00.  It checks that it really is in
 * real mode (CR0.PE clear, 16-bit operand size), prints a line through the
 * COM1 UART (polling the line status register) and ends the run through the
 * debug-exit port with status 0. */
    .code16
    .globl _start
_start:
    out %al, $0x80              /* first instruction: a port write */
    xor %ax, %ax
    mov %ax, %ds
    mov %ax, %es
    mov $0x7c00, %sp
    mov %cr0, %eax
    test $1, %al                /* PE must be clear */
    jnz fail
    mov $msg, %si
1:  lodsb
    test %al, %al
    jz done
    mov %al, %bl
    mov $0x3fd, %dx             /* line status: wait for THRE */
2:  in %dx, %al
    test $0x20, %al
    jz 2b
    mov $0x3f8, %dx
    mov %bl, %al
    out %al, %dx
    jmp 1b
done:
    xor %al, %al
    out %al, $0xf4
    hlt
fail:
    mov $1, %al
    out %al, $0xf4
    hlt
msg:
    .asciz "ferry real mode: hello from 0000:7c00\n"
    .org 510
    .word 0xaa55
