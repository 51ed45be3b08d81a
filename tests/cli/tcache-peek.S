/*
 * Guest code for the translation-cache test, assembled into a flat file
 * that tcache-mapped.c maps and calls: two variants of the same size that
 * differ in one instruction of the second block only.  The first block sets
 * Z and jumps to the second; in variant A the second block sets the flags
 * again before reading them (so the first block's flags are dead, and its
 * translation need not keep them), in variant B it reads the first
 * block's Z.  Returns A 11, B 22.
 */
    .text
    .global peek_code
peek_code:
    mov     x0, #5
    cmp     x0, #5              // Z = 1
    b       second
    .balign 16
second:
#ifdef VARIANT_A
    cmp     x0, #6              // Z = 0
#else
    nop                         // Z from the first block
#endif
    b.eq    equal
    mov     x0, #11
    ret
equal:
    mov     x0, #22
    ret
