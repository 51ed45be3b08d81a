// Guest test: integer loads and stores of one register in every
// addressing mode (unsigned offset, unscaled with negative offsets, pre-
// and post-index writeback, unprivileged, register offset with UXTW, LSL,
// SXTW, SXTX, literal), sign extension to W and X, SP as base, XZR as
// data, and prefetches (which never fault).  Expected values follow from
// the little-endian layout of `src` below (Arm ARM semantics) and agree
// with qemu-aarch64.
#include "ls-harness.inc"

    .data
    .p2align 4
src:
    .quad   0x8182838485868788      // src+0:  bytes 88 87 86 85 84 83 82 81
    .quad   0x7172737475767778      // src+8
    .quad   0xfedcba9876543210      // src+16
    .quad   0x0123456789abcdef      // src+24
dst:
    .skip   64

    TEST_BEGIN "ls-ldst"

    .text
    .p2align 3
lit_before:
    .quad   0xa5a5a5a5c3c3c3c3
test_body:
    adrp    x0, src
    add     x0, x0, :lo12:src

    // ---- unsigned offset, all sizes and signedness -------------------
    ldrb    w1, [x0]
    CHECK(x1, 0x88)
    ldrsb   w1, [x0]
    CHECK(x1, 0xffffff88)
    ldrsb   x1, [x0]
    CHECK(x1, 0xffffffffffffff88)
    ldrsb   x1, [x0, #8]
    CHECK(x1, 0x78)
    ldrh    w1, [x0, #2]
    CHECK(x1, 0x8586)
    ldrsh   w1, [x0, #2]
    CHECK(x1, 0xffff8586)
    ldrsh   x1, [x0, #2]
    CHECK(x1, 0xffffffffffff8586)
    ldrsh   w1, [x0, #8]
    CHECK(x1, 0x7778)
    ldr     w1, [x0, #4]
    CHECK(x1, 0x81828384)
    ldrsw   x1, [x0, #4]
    CHECK(x1, 0xffffffff81828384)
    ldrsw   x1, [x0, #8]
    CHECK(x1, 0x75767778)
    ldr     x1, [x0, #8]
    CHECK(x1, 0x7172737475767778)
    ldr     x1, [x0, #24]
    CHECK(x1, 0x0123456789abcdef)
    mov     x1, #-1
    ldr     w1, [x0, #16]               // W load clears the upper half
    CHECK(x1, 0x76543210)

    // ---- unscaled (LDUR), negative and unaligned offsets -------------
    add     x9, x0, #16
    ldur    x1, [x9, #-8]
    CHECK(x1, 0x7172737475767778)
    ldur    w1, [x9, #-3]
    CHECK(x1, 0x10717273)
    ldursh  x1, [x0, #1]
    CHECK(x1, 0xffffffffffff8687)
    ldursh  w1, [x0, #1]
    CHECK(x1, 0xffff8687)
    ldurb   w1, [x9, #-256]
    ldurb   w1, [x9, #-1]
    CHECK(x1, 0x71)
    ldursb  x1, [x9, #-9]
    CHECK(x1, 0xffffffffffffff81)
    ldursw  x1, [x9, #-12]
    CHECK(x1, 0xffffffff81828384)
    ldur    x1, [x0, #255]
    ldur    x1, [x0, #1]
    CHECK(x1, 0x7881828384858687)

    // ---- post-index and pre-index writeback --------------------------
    mov     x9, x0
    ldr     x1, [x9], #8
    CHECK(x1, 0x8182838485868788)
    sub     x2, x9, x0
    CHECK(x2, 8)
    ldrb    w1, [x9], #-1
    CHECK(x1, 0x78)
    sub     x2, x9, x0
    CHECK(x2, 7)
    ldr     x1, [x9, #1]!
    CHECK(x1, 0x7172737475767778)
    sub     x2, x9, x0
    CHECK(x2, 8)
    ldrsw   x1, [x9, #-4]!
    CHECK(x1, 0xffffffff81828384)
    sub     x2, x9, x0
    CHECK(x2, 4)
    ldrsh   w1, [x9], #-2
    CHECK(x1, 0xffff8384)
    sub     x2, x9, x0
    CHECK(x2, 2)
    ldrsb   x1, [x9, #255]!
    sub     x2, x9, x0
    CHECK(x2, 257)
    ldrh    w1, [x9, #-256]!
    sub     x2, x9, x0
    CHECK(x2, 1)
    CHECK(x1, 0x8687)

    // ---- unprivileged: the same as the plain forms at EL0 ------------
    ldtr    x1, [x0, #8]
    CHECK(x1, 0x7172737475767778)
    ldtrsb  w1, [x0]
    CHECK(x1, 0xffffff88)
    ldtrsh  x1, [x0, #2]
    CHECK(x1, 0xffffffffffff8586)
    ldtrsw  x1, [x0, #4]
    CHECK(x1, 0xffffffff81828384)
    ldtrh   w1, [x0, #-0]
    CHECK(x1, 0x8788)
    ldtr    w1, [x0, #255]
    ldtrb   w1, [x0, #-1]

    // ---- register offset ----------------------------------------------
    mov     x2, #2
    ldr     x1, [x0, x2, lsl #3]
    CHECK(x1, 0xfedcba9876543210)
    ldrb    w1, [x0, x2]
    CHECK(x1, 0x86)
    ldrh    w1, [x0, w2, uxtw #1]
    CHECK(x1, 0x8384)
    ldrsh   x1, [x0, x2, lsl #1]
    CHECK(x1, 0xffffffffffff8384)
    MOV64   x3, 0xdead000000000001      // UXTW ignores the upper half
    ldr     w1, [x0, w3, uxtw #2]
    CHECK(x1, 0x81828384)
    ldrsw   x1, [x0, w3, uxtw]
    CHECK(x1, 0xffffffff84858687)
    add     x9, x0, #8
    mov     w3, #-1                      // SXTW: -1
    ldrb    w1, [x9, w3, sxtw]
    CHECK(x1, 0x81)
    ldr     x1, [x9, w3, sxtw #3]
    CHECK(x1, 0x8182838485868788)
    mov     w3, #-2
    ldr     w1, [x9, w3, sxtw #2]
    CHECK(x1, 0x85868788)
    add     x9, x0, #16
    mov     x3, #-2
    ldr     x1, [x9, x3, sxtx #3]
    CHECK(x1, 0x8182838485868788)
    ldrsb   x1, [x9, x3, sxtx]
    CHECK(x1, 0x72)
    ldrsb   w1, [x9, x3]
    CHECK(x1, 0x72)
    ldr     x1, [x9, xzr]               // Rm = 31 is XZR
    CHECK(x1, 0xfedcba9876543210)

    // ---- literal, backwards and forwards -------------------------------
    ldr     x1, lit_before
    CHECK(x1, 0xa5a5a5a5c3c3c3c3)
    ldr     w1, lit_before
    CHECK(x1, 0xc3c3c3c3)
    ldrsw   x1, lit_before
    CHECK(x1, 0xffffffffc3c3c3c3)
    ldr     x1, lit_after
    CHECK(x1, 0x0000000112345678)
    ldrsw   x1, lit_after
    CHECK(x1, 0x12345678)
    prfm    pldl1keep, lit_after

    // ---- stores ---------------------------------------------------------
    adrp    x10, dst
    add     x10, x10, :lo12:dst
    MOV64   x1, 0x1122334455667788
    str     x1, [x10]
    ldr     x2, [x10]
    CHECK(x2, 0x1122334455667788)
    mov     x3, #-1
    str     w3, [x10]                   // only the low four bytes change
    ldr     x2, [x10]
    CHECK(x2, 0x11223344ffffffff)
    strh    w1, [x10, #2]
    ldr     x2, [x10]
    CHECK(x2, 0x112233447788ffff)
    strb    w1, [x10, #7]
    ldr     x2, [x10]
    CHECK(x2, 0x882233447788ffff)
    str     xzr, [x10, #8]              // Rt = 31 stores zero
    str     x1, [x10, #16]
    strb    wzr, [x10, #16]
    ldr     x2, [x10, #16]
    CHECK(x2, 0x1122334455667700)
    add     x9, x10, #24
    stur    w1, [x9, #-3]
    ldr     x2, [x10, #16]
    CHECK(x2, 0x6677884455667700)
    sturh   w3, [x9, #-8]
    ldr     x2, [x10, #16]
    CHECK(x2, 0x667788445566ffff)
    mov     x9, x10
    str     x1, [x9], #8
    sub     x2, x9, x10
    CHECK(x2, 8)
    strb    w3, [x9, #-1]!
    sub     x2, x9, x10
    CHECK(x2, 7)
    ldr     x2, [x10]
    CHECK(x2, 0xff22334455667788)
    sttr    x3, [x10, #32]
    sttrb   wzr, [x10, #33]
    ldr     x2, [x10, #32]
    CHECK(x2, 0xffffffffffff00ff)
    mov     x4, #5
    str     x1, [x10, x4, lsl #3]
    ldr     x2, [x10, #40]
    CHECK(x2, 0x1122334455667788)
    mov     w4, #-8
    add     x9, x10, #48
    strh    wzr, [x9, w4, sxtw]
    ldr     x2, [x10, #40]
    CHECK(x2, 0x1122334455660000)

    // ---- SP as base ------------------------------------------------------
    mov     x11, sp
    sub     sp, sp, #32
    str     x1, [sp, #8]
    ldr     x2, [sp, #8]
    CHECK(x2, 0x1122334455667788)
    str     x3, [sp, #-16]!
    mov     x5, sp
    sub     x5, x11, x5
    CHECK(x5, 48)
    ldr     x4, [sp], #16
    CHECK(x4, 0xffffffffffffffff)
    ldr     x2, [sp, #8]
    CHECK(x2, 0x1122334455667788)
    add     sp, sp, #32
    mov     x5, sp
    CHECK_REG(x5, x11)

    // ---- XZR as a load destination: the value is discarded -------------
    ldr     xzr, [x0]
    ldrb    wzr, [x0, #1]
    mov     x5, sp
    CHECK_REG(x5, x11)

    // ---- prefetches never fault, even on unmapped addresses --------------
    mov     x5, #16
    prfm    pldl1keep, [x5]
    prfm    pstl2strm, [x5, #4088]
    prfum   pldl3keep, [x5, #-17]
    prfm    pldl1keep, [x5, x5, lsl #3]
    prfm    plil1keep, [x0]
    ret

    .p2align 3
lit_after:
    .quad   0x0000000112345678

    TEST_END
