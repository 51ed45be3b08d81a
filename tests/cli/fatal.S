/*
 * Guest program (no libc) that dies the way its first argument says:
 * udf (SIGILL), hlt (SIGILL), brk (SIGTRAP), segv (SIGSEGV); anything else
 * exits with status 3.  The CLI test checks that ferry dies of the same
 * signal as a native arm64 run.
 */
    .text
    .global _start
_start:
    ldr     x0, [sp]            // argc
    cmp     x0, #2
    b.lt    done
    ldr     x1, [sp, #16]       // argv[1]
    ldrb    w2, [x1]
    cmp     w2, #'u'
    b.eq    do_udf
    cmp     w2, #'h'
    b.eq    do_hlt
    cmp     w2, #'b'
    b.eq    do_brk
    cmp     w2, #'s'
    b.eq    do_segv
done:
    mov     x0, #3
    mov     x8, #93             // exit
    svc     #0
do_udf:
    udf     #0
do_hlt:
    hlt     #0
do_brk:
    brk     #0
do_segv:
    mov     x3, #16
    ldr     x4, [x3]
    b       done
