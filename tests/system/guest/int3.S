/* tests/system/guest/int3.S -- error-path guest: executes int3 at CPL0 with
 * no IDT.  A VMX/SVM host turns that into a triple fault (shutdown); a PVM
 * host's CPL0 emulator cannot run it and KVM reports an internal error, which
 * ferry-system must explain with the guest RIP and the bytes there. */
    .section .text.entry, "ax"
    .globl _start
_start:
    nop
    int3
    mov $5, %al
    out %al, $0xf4
    hlt
