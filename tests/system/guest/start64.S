/* tests/system/guest/start64.S -- entry of the C test guests (64-bit boot
 * protocol): own stack, guest_main(zero page), its result to the debug port. */
    .code64
    .section .text.entry, "ax"
    .globl _start
_start:
    lea stack_top(%rip), %rsp
    mov %rsi, %rdi
    call guest_main
    out %al, $0xf4
1:  hlt
    jmp 1b

    .section .bss
    .balign 16
    .space 16384
stack_top:
