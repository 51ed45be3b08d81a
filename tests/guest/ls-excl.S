// Guest test: exclusive and ordered accesses.  LDXR/STXR and the
// acquire/release forms in every size, a successful store-exclusive
// (status 0, upper half of Ws cleared), failing ones (after CLREX, to a
// different address, after the value changed, without a preceding load),
// the pairs LDXP/STXP of W and X registers, LDAR/STLR, LDAPR (FEAT_LRCPC)
// and LDLAR/STLLR (FEAT_LOR).  Expected values from the Arm ARM; they
// agree with qemu-aarch64 -cpu max.
#include "ls-harness.inc"

    .arch_extension rcpc
    .arch_extension lor

    .data
    .p2align 4
word:
    .quad   0x8182838485868788
    .quad   0x7172737475767778
    .quad   0
    .quad   0

    TEST_BEGIN "ls-excl"
test_body:
    adrp    x10, word
    add     x10, x10, :lo12:word
    add     x12, x10, #8

    // ---- successful exclusive pairs of load and store ---------------------
    ldxr    x1, [x10]
    CHECK(x1, 0x8182838485868788)
    add     x2, x1, #1
    mov     x3, #-1
    stxr    w3, x2, [x10]
    CHECK(x3, 0)
    ldr     x4, [x10]
    CHECK(x4, 0x8182838485868789)

    ldaxr   w1, [x10]
    CHECK(x1, 0x85868789)
    mov     w2, #0x1234
    stlxr   w3, w2, [x10]
    CHECK(x3, 0)
    ldr     x4, [x10]
    CHECK(x4, 0x8182838400001234)

    ldxrh   w1, [x10]
    CHECK(x1, 0x1234)
    mov     w2, #0xbeef
    stxrh   w3, w2, [x10]
    CHECK(x3, 0)
    ldxrb   w1, [x10, #0]
    CHECK(x1, 0xef)
    mov     w2, #0x5a
    stlxrb  w3, w2, [x10]
    CHECK(x3, 0)
    ldaxrb  w1, [x10]
    CHECK(x1, 0x5a)
    ldaxrh  w1, [x10]
    CHECK(x1, 0xbe5a)
    clrex
    ldr     x4, [x10]
    CHECK(x4, 0x818283840000be5a)

    // ---- failing store-exclusives leave memory alone ------------------------
    ldxr    x1, [x10]
    clrex
    mov     x2, #7
    stxr    w3, x2, [x10]                   // monitor cleared
    CHECK(x3, 1)
    ldr     x4, [x10]
    CHECK(x4, 0x818283840000be5a)

    ldxr    x1, [x10]
    stxr    w3, x2, [x12]                   // another address
    CHECK(x3, 1)
    ldr     x4, [x12]
    CHECK(x4, 0x7172737475767778)
    stxr    w3, x2, [x10]                   // the failure cleared the monitor
    CHECK(x3, 1)
    ldr     x4, [x10]
    CHECK(x4, 0x818283840000be5a)

    ldxr    w1, [x10]
    mov     w5, #99
    str     w5, [x10]                       // the value changed meanwhile
    stxr    w3, w2, [x10]
    CHECK(x3, 1)
    ldr     x4, [x10]
    CHECK(x4, 0x8182838400000063)

    ldxr    x1, [x10]
    stxr    w3, x2, [x10]
    CHECK(x3, 0)
    stxr    w3, x1, [x10]                   // a second store: no monitor
    CHECK(x3, 1)
    ldr     x4, [x10]
    CHECK(x4, 7)

    // ---- exclusive pairs --------------------------------------------------------
    MOV64   x6, 0x1111111122222222
    MOV64   x7, 0x3333333344444444
    stp     x6, x7, [x10]
    ldxp    x1, x2, [x10]
    CHECK(x1, 0x1111111122222222)
    CHECK(x2, 0x3333333344444444)
    stxp    w3, x2, x1, [x10]
    CHECK(x3, 0)
    ldp     x4, x5, [x10]
    CHECK(x4, 0x3333333344444444)
    CHECK(x5, 0x1111111122222222)

    ldaxp   x1, x2, [x10]
    str     xzr, [x10, #8]                  // second half changed
    stlxp   w3, x6, x7, [x10]
    CHECK(x3, 1)
    ldp     x4, x5, [x10]
    CHECK(x4, 0x3333333344444444)
    CHECK(x5, 0)

    ldxp    x1, x2, [x10]
    clrex
    stxp    w3, x6, x7, [x10]
    CHECK(x3, 1)

    ldxp    w1, w2, [x10]
    CHECK(x1, 0x44444444)
    CHECK(x2, 0x33333333)
    stxp    w3, w2, w1, [x10]
    CHECK(x3, 0)
    ldr     x4, [x10]
    CHECK(x4, 0x4444444433333333)
    ldaxp   w1, w2, [x10]
    mov     w5, #1
    str     w5, [x10, #4]
    stlxp   w3, w1, w1, [x10]
    CHECK(x3, 1)
    ldr     x4, [x10]
    CHECK(x4, 0x0000000133333333)

    // ---- LDAR / STLR -------------------------------------------------------
    MOV64   x1, 0xa1a2a3a4a5a6a7a8
    stlr    x1, [x10]
    ldar    x2, [x10]
    CHECK(x2, 0xa1a2a3a4a5a6a7a8)
    mov     w1, #0x77
    stlrb   w1, [x10]
    stlrh   w1, [x12]
    ldarb   w2, [x10]
    CHECK(x2, 0x77)
    ldar    w2, [x10]
    CHECK(x2, 0xa5a6a777)
    ldarh   w2, [x10, #0]
    CHECK(x2, 0xa777)
    stlr    wzr, [x10, #0]
    ldar    x2, [x10]
    CHECK(x2, 0xa1a2a3a400000000)
    ldr     x2, [x12]
    CHECK(x2, 0x0077)

    // ---- LDAPR (RCpc) -------------------------------------------------------
    ldapr   x2, [x10]
    CHECK(x2, 0xa1a2a3a400000000)
    ldapr   w2, [x10, #0]
    CHECK(x2, 0)
    add     x9, x10, #4
    ldaprb  w2, [x9]
    CHECK(x2, 0xa4)
    ldaprh  w2, [x9]
    CHECK(x2, 0xa3a4)

    // ---- LDLAR / STLLR (LORegions) --------------------------------------------
    mov     w1, #0x42
    stllrb  w1, [x12]
    stllr   x1, [x10]
    ldlar   x2, [x10]
    CHECK(x2, 0x42)
    ldlarb  w2, [x12]
    CHECK(x2, 0x42)
    stllrh  wzr, [x12]
    ldlarh  w2, [x12]
    CHECK(x2, 0)
    stllr   w1, [x12]
    ldlar   w2, [x12]
    CHECK(x2, 0x42)

    // ---- SP as the base of an exclusive ----------------------------------------
    mov     x11, sp
    sub     sp, sp, #16
    str     x6, [sp]
    ldxr    x1, [sp]
    CHECK_REG(x1, x6)
    stxr    w3, x7, [sp]
    CHECK(x3, 0)
    ldr     x2, [sp], #16
    CHECK_REG(x2, x7)
    mov     x5, sp
    CHECK_REG(x5, x11)
    ret

    TEST_END
