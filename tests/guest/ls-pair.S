// Guest test: load/store pair of W and X registers (STP, LDP, LDPSW,
// STNP, LDNP) in the offset, pre-index and post-index modes, with
// positive and negative offsets, SP as base and XZR as data.  Expected
// values from the Arm ARM and the little-endian layout of `src`; they
// agree with qemu-aarch64.
#include "ls-harness.inc"

    .data
    .p2align 4
src:
    .quad   0x8182838485868788
    .quad   0x7172737475767778
    .quad   0xfedcba9876543210
    .quad   0x0123456789abcdef
dst:
    .skip   64

    TEST_BEGIN "ls-pair"
test_body:
    adrp    x0, src
    add     x0, x0, :lo12:src
    adrp    x10, dst
    add     x10, x10, :lo12:dst

    // ---- loads, signed offset ------------------------------------------
    ldp     x1, x2, [x0]
    CHECK(x1, 0x8182838485868788)
    CHECK(x2, 0x7172737475767778)
    ldp     w1, w2, [x0, #4]
    CHECK(x1, 0x81828384)
    CHECK(x2, 0x75767778)
    ldpsw   x1, x2, [x0, #4]
    CHECK(x1, 0xffffffff81828384)
    CHECK(x2, 0x75767778)
    add     x9, x0, #32
    ldp     x1, x2, [x9, #-16]
    CHECK(x1, 0xfedcba9876543210)
    CHECK(x2, 0x0123456789abcdef)
    ldpsw   x1, x2, [x9, #-16]
    CHECK(x1, 0x76543210)
    CHECK(x2, 0xfffffffffedcba98)
    ldnp    x1, x2, [x0, #8]
    CHECK(x1, 0x7172737475767778)
    CHECK(x2, 0xfedcba9876543210)
    ldnp    w1, w2, [x9, #-8]
    CHECK(x1, 0x89abcdef)
    CHECK(x2, 0x01234567)

    // ---- loads with writeback --------------------------------------------
    mov     x9, x0
    ldp     x1, x2, [x9, #16]!
    CHECK(x1, 0xfedcba9876543210)
    CHECK(x2, 0x0123456789abcdef)
    sub     x3, x9, x0
    CHECK(x3, 16)
    ldp     w1, w2, [x9], #-12
    CHECK(x1, 0x76543210)
    CHECK(x2, 0xfedcba98)
    sub     x3, x9, x0
    CHECK(x3, 4)
    ldpsw   x1, x2, [x9], #4
    CHECK(x1, 0xffffffff81828384)
    CHECK(x2, 0x75767778)
    sub     x3, x9, x0
    CHECK(x3, 8)
    ldpsw   x1, x2, [x9, #-8]!
    CHECK(x1, 0xffffffff85868788)
    CHECK(x2, 0xffffffff81828384)
    CHECK_REG(x9, x0)
    ldp     xzr, x2, [x0]               // XZR destination discards
    CHECK(x2, 0x7172737475767778)

    // ---- stores ------------------------------------------------------------
    MOV64   x1, 0x1111111122222222
    MOV64   x2, 0x3333333344444444
    stp     x1, x2, [x10]
    ldr     x3, [x10]
    CHECK(x3, 0x1111111122222222)
    ldr     x3, [x10, #8]
    CHECK(x3, 0x3333333344444444)
    stp     w2, w1, [x10, #4]
    ldr     x3, [x10]
    CHECK(x3, 0x4444444422222222)
    ldr     x3, [x10, #8]
    CHECK(x3, 0x3333333322222222)
    stp     xzr, x1, [x10, #16]
    ldp     x3, x4, [x10, #16]
    CHECK(x3, 0)
    CHECK(x4, 0x1111111122222222)
    stnp    x2, xzr, [x10, #32]
    ldp     x3, x4, [x10, #32]
    CHECK(x3, 0x3333333344444444)
    CHECK(x4, 0)
    stnp    w1, w2, [x10, #40]
    ldr     x3, [x10, #40]
    CHECK(x3, 0x4444444422222222)
    add     x9, x10, #64
    stp     x1, x2, [x9, #-16]!
    sub     x3, x9, x10
    CHECK(x3, 48)
    stp     w1, w1, [x9], #-48
    CHECK_REG(x9, x10)
    ldp     x3, x4, [x10, #48]
    CHECK(x3, 0x2222222222222222)
    CHECK(x4, 0x3333333344444444)

    // ---- SP as base -----------------------------------------------------
    mov     x11, sp
    stp     x1, x2, [sp, #-32]!
    stp     x0, x10, [sp, #16]
    mov     x5, sp
    sub     x5, x11, x5
    CHECK(x5, 32)
    ldp     x3, x4, [sp], #16
    CHECK_REG(x3, x1)
    CHECK_REG(x4, x2)
    ldp     x3, x4, [sp], #16
    CHECK_REG(x3, x0)
    CHECK_REG(x4, x10)
    mov     x5, sp
    CHECK_REG(x5, x11)
    ret

    TEST_END
