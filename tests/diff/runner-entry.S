/*
 * The differential runner's way in and out of a test sequence (arm64).
 *
 *   void diff_enter(const DiffState *in);
 *
 * saves the runner's callee-saved registers, SP, TPIDR_EL0 and FPCR, loads
 * the whole guest register file from *in (X0-X30, SP, NZCV, FPCR, FPSR,
 * V0-V31), clears the exclusive monitor and branches to in->entry, the case's code slot.  The slot loads
 * X30 from a literal, runs the sequence, parks X0 in TPIDR_EL0, loads the
 * address of diff_exit_stub into X0 and branches there.  The stub stores
 * the register file into diff_out, puts the runner's registers back and
 * returns from diff_enter.
 *
 *   void diff_restore_host_regs(void);
 *
 * puts back TPIDR_EL0 and FPCR only: the first thing the fault handler
 * does, before any C code may use the thread pointer.
 */
#include "diff-format.h"

    .bss
    .balign 16
    .global diff_out
diff_out:
    .space DIFF_STATE_SIZE
    .balign 16
diff_host:                      /* x19-x30, sp, d8-d15, tpidr_el0, fpcr */
    .space 192

    .text
    .balign 16
    .global diff_enter
    .type diff_enter, %function
diff_enter:
    adrp    x9, diff_host
    add     x9, x9, :lo12:diff_host
    stp     x19, x20, [x9, #0]
    stp     x21, x22, [x9, #16]
    stp     x23, x24, [x9, #32]
    stp     x25, x26, [x9, #48]
    stp     x27, x28, [x9, #64]
    stp     x29, x30, [x9, #80]
    mov     x10, sp
    str     x10, [x9, #96]
    stp     d8, d9, [x9, #104]
    stp     d10, d11, [x9, #120]
    stp     d12, d13, [x9, #136]
    stp     d14, d15, [x9, #152]
    mrs     x10, tpidr_el0
    str     x10, [x9, #168]
    mrs     x10, fpcr
    str     x10, [x9, #176]

    /* Every case starts with the local exclusive monitor open: a store
     * exclusive without its own load exclusive fails, whatever the
     * previous case left behind. */
    clrex
    mov     x30, x0
    ldr     x10, [x30, #DIFF_STATE_FPCR]
    msr     fpcr, x10
    ldr     x10, [x30, #DIFF_STATE_NZCV]
    msr     nzcv, x10
    movz    x10, #((DIFF_TPIDR_VALUE >> 16) & 0xffff), lsl #16
    movk    x10, #((DIFF_TPIDR_VALUE >> 32) & 0xffff), lsl #32
    msr     tpidr_el0, x10
    ldr     x10, [x30, #DIFF_STATE_SP]
    mov     sp, x10
    add     x10, x30, #DIFF_STATE_V
    ldp     q0, q1, [x10, #0]
    ldp     q2, q3, [x10, #32]
    ldp     q4, q5, [x10, #64]
    ldp     q6, q7, [x10, #96]
    ldp     q8, q9, [x10, #128]
    ldp     q10, q11, [x10, #160]
    ldp     q12, q13, [x10, #192]
    ldp     q14, q15, [x10, #224]
    ldp     q16, q17, [x10, #256]
    ldp     q18, q19, [x10, #288]
    ldp     q20, q21, [x10, #320]
    ldp     q22, q23, [x10, #352]
    ldp     q24, q25, [x10, #384]
    ldp     q26, q27, [x10, #416]
    ldp     q28, q29, [x10, #448]
    ldp     q30, q31, [x10, #480]
    /* FPSR last among the FP state: nothing after this may raise a flag. */
    ldr     x10, [x30, #DIFF_STATE_FPSR]
    msr     fpsr, x10
    ldp     x0, x1, [x30, #0]
    ldp     x2, x3, [x30, #16]
    ldp     x4, x5, [x30, #32]
    ldp     x6, x7, [x30, #48]
    ldp     x8, x9, [x30, #64]
    ldp     x10, x11, [x30, #80]
    ldp     x12, x13, [x30, #96]
    ldp     x14, x15, [x30, #112]
    ldp     x16, x17, [x30, #128]
    ldp     x18, x19, [x30, #144]
    ldp     x20, x21, [x30, #160]
    ldp     x22, x23, [x30, #176]
    ldp     x24, x25, [x30, #192]
    ldp     x26, x27, [x30, #208]
    ldp     x28, x29, [x30, #224]
    ldr     x30, [x30, #DIFF_STATE_ENTRY]
    br      x30
    .size diff_enter, . - diff_enter

    .balign 16
    .global diff_exit_stub
    .type diff_exit_stub, %function
diff_exit_stub:
    adrp    x0, diff_out
    add     x0, x0, :lo12:diff_out
    stp     x1, x2, [x0, #8]
    stp     x3, x4, [x0, #24]
    stp     x5, x6, [x0, #40]
    stp     x7, x8, [x0, #56]
    stp     x9, x10, [x0, #72]
    stp     x11, x12, [x0, #88]
    stp     x13, x14, [x0, #104]
    stp     x15, x16, [x0, #120]
    stp     x17, x18, [x0, #136]
    stp     x19, x20, [x0, #152]
    stp     x21, x22, [x0, #168]
    stp     x23, x24, [x0, #184]
    stp     x25, x26, [x0, #200]
    stp     x27, x28, [x0, #216]
    stp     x29, x30, [x0, #232]
    mrs     x1, tpidr_el0
    str     x1, [x0, #0]
    mov     x1, sp
    str     x1, [x0, #DIFF_STATE_SP]
    mrs     x1, nzcv
    str     x1, [x0, #DIFF_STATE_NZCV]
    mrs     x1, fpcr
    str     x1, [x0, #DIFF_STATE_FPCR]
    mrs     x1, fpsr
    str     x1, [x0, #DIFF_STATE_FPSR]
    add     x1, x0, #DIFF_STATE_V
    stp     q0, q1, [x1, #0]
    stp     q2, q3, [x1, #32]
    stp     q4, q5, [x1, #64]
    stp     q6, q7, [x1, #96]
    stp     q8, q9, [x1, #128]
    stp     q10, q11, [x1, #160]
    stp     q12, q13, [x1, #192]
    stp     q14, q15, [x1, #224]
    stp     q16, q17, [x1, #256]
    stp     q18, q19, [x1, #288]
    stp     q20, q21, [x1, #320]
    stp     q22, q23, [x1, #352]
    stp     q24, q25, [x1, #384]
    stp     q26, q27, [x1, #416]
    stp     q28, q29, [x1, #448]
    stp     q30, q31, [x1, #480]

    adrp    x9, diff_host
    add     x9, x9, :lo12:diff_host
    bl      diff_restore_host_regs
    ldr     x10, [x9, #96]
    mov     sp, x10
    ldp     x19, x20, [x9, #0]
    ldp     x21, x22, [x9, #16]
    ldp     x23, x24, [x9, #32]
    ldp     x25, x26, [x9, #48]
    ldp     x27, x28, [x9, #64]
    ldp     x29, x30, [x9, #80]
    ldp     d8, d9, [x9, #104]
    ldp     d10, d11, [x9, #120]
    ldp     d12, d13, [x9, #136]
    ldp     d14, d15, [x9, #152]
    ret
    .size diff_exit_stub, . - diff_exit_stub

    .global diff_restore_host_regs
    .type diff_restore_host_regs, %function
diff_restore_host_regs:
    adrp    x9, diff_host
    add     x9, x9, :lo12:diff_host
    ldr     x10, [x9, #168]
    msr     tpidr_el0, x10
    ldr     x10, [x9, #176]
    msr     fpcr, x10
    ret
    .size diff_restore_host_regs, . - diff_restore_host_regs

    .section .note.GNU-stack, "", %progbits
