/*
 * Guest program (no libc) for the translation-cache test: exits with
 * STATUS.  Two builds differ in that one immediate only, so they have the
 * same size: the test writes one over the other in place.
 */
    .text
    .global _start
_start:
    mov     x0, #STATUS
    mov     x8, #93             // exit
    svc     #0
