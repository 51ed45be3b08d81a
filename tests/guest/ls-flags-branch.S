// Guest test: CBZ/CBNZ right after an instruction that sets NZCV, with the
// flags read again after the branch (on one side, the other or both).
// Checks the branch outcome and NZCV on the side that reads it: a
// compare-and-branch must test its own register (not the flag setter's
// value when they differ in register or width) and leave NZCV as the flag
// setter wrote it.  Also SUB of registers between a flag write and its
// reader (both values and NZCV must come out right).  Expected NZCV from
// the Arm ARM's definitions of CMP/SUBS/ADDS/TST; a failure reports the
// case's id (its id + 1 for NZCV) or the CHECK's line.
#include "ls-harness.inc"

// \setter (e.g. `cmp w1, #0`) then `\br \reg, 1f`; both sides read NZCV.
.macro FB id, br, reg, taken, nzcv, setter:vararg
    \setter
    \br     \reg, 1f
    mrs     x3, nzcv
    mov     x4, #0
    b       2f
1:  mrs     x3, nzcv
    mov     x4, #1
2:  CHECK_ID(\id, x4, \taken)
    CHECK_ID(\id + 1, x3, \nzcv)
.endm

// The same, but the taken side overwrites NZCV before reading it (cmn
// xzr, xzr: Z and nothing else), so only the fall-through side needs the
// setter's flags.
.macro FB_TAKEN_OVER id, br, reg, taken, nzcv, setter:vararg
    \setter
    \br     \reg, 1f
    mrs     x3, nzcv
    mov     x4, #0
    b       2f
1:  cmn     xzr, xzr
    mrs     x3, nzcv
    mov     x4, #1
2:  CHECK_ID(\id, x4, \taken)
    .if \taken
    CHECK_ID(\id + 1, x3, 0x40000000)
    .else
    CHECK_ID(\id + 1, x3, \nzcv)
    .endif
.endm

// And with the fall-through side overwriting NZCV first.
.macro FB_FALL_OVER id, br, reg, taken, nzcv, setter:vararg
    \setter
    \br     \reg, 1f
    cmn     xzr, xzr
    mrs     x3, nzcv
    mov     x4, #0
    b       2f
1:  mrs     x3, nzcv
    mov     x4, #1
2:  CHECK_ID(\id, x4, \taken)
    .if \taken
    CHECK_ID(\id + 1, x3, \nzcv)
    .else
    CHECK_ID(\id + 1, x3, 0x40000000)
    .endif
.endm

// All three shapes for one setter and branch.
.macro FB3 id, br, reg, taken, nzcv, setter:vararg
    FB            \id,      \br, \reg, \taken, \nzcv, \setter
    FB_TAKEN_OVER \id + 10, \br, \reg, \taken, \nzcv, \setter
    FB_FALL_OVER  \id + 20, \br, \reg, \taken, \nzcv, \setter
.endm

    TEST_BEGIN "ls-flags-branch"
test_body:
    mov     x19, x30

    // cmp w1, #0 then CBZ/CBNZ w1: C is set (no borrow), Z and N by value
    mov     x1, #0
    FB3     100, cbz,  w1, 1, 0x60000000, cmp w1, #0
    FB3     200, cbnz, w1, 0, 0x60000000, cmp w1, #0
    mov     x1, #5
    FB3     300, cbz,  w1, 0, 0x20000000, cmp w1, #0
    FB3     400, cbnz, w1, 1, 0x20000000, cmp w1, #0
    MOV64   x1, 0x80000000
    FB3     500, cbz,  w1, 0, 0xa0000000, cmp w1, #0

    // subs w7, w1, w2 then CBNZ/CBZ w7 (the result)
    mov     x1, #3
    mov     x2, #3
    FB3     600, cbnz, w7, 0, 0x60000000, subs w7, w1, w2
    mov     x1, #1
    mov     x2, #2
    FB3     700, cbz,  w7, 0, 0x80000000, subs w7, w1, w2
    MOV64   x1, 0x80000000
    mov     x2, #1
    FB3     800, cbnz, w7, 1, 0x30000000, subs w7, w1, w2

    // adds x7, x1, x2 (64-bit) then CBZ x7: -1 + 1 = 0 with carry
    MOV64   x1, 0xffffffffffffffff
    mov     x2, #1
    FB3     900, cbz,  x7, 1, 0x60000000, adds x7, x1, x2

    // tst x1, #0xff sets Z from the AND, CBZ x1 tests x1 itself
    mov     x1, #0x100
    FB3     1000, cbz, x1, 0, 0x40000000, tst x1, #0xff
    // ands x5, x1, #0xff then CBZ x5: the same value
    FB3     1100, cbz, x5, 1, 0x40000000, ands x5, x1, #0xff

    // cmp x1, #0 (64-bit) then CBZ w1 (32-bit): widths differ
    MOV64   x1, 0x100000000
    FB3     1200, cbz, w1, 1, 0x20000000, cmp x1, #0
    // cmp w1, #0 then CBZ x1
    FB3     1300, cbz, x1, 0, 0x60000000, cmp w1, #0

    // cmp w1, #0 then CBZ of another register
    mov     x1, #0
    mov     x6, #7
    FB3     1400, cbz, w6, 0, 0x60000000, cmp w1, #0

    // subs then an unrelated write of the same register before the CBZ
    mov     x1, #4
    mov     x2, #4
    subs    w7, w1, w2
    mov     w7, #9
    cbz     w7, 1f
    mrs     x3, nzcv
    mov     x4, #0
    b       2f
1:  mrs     x3, nzcv
    mov     x4, #1
2:  CHECK(x4, 0)
    CHECK(x3, 0x60000000)

    // SUB (not SUBS) of registers while NZCV waits for its reader: the
    // subtractions must not disturb it.  x3 lives in a host register, the
    // others in memory; W forms wrap and zero-extend.
    mov     x1, #5
    mov     x2, #7
    MOV64   x4, 0x100000000
    mov     x5, #1
    b       1f                      // a new block: the values are not constants
1:  cmp     x1, x2                  // 5 - 7: N, no carry
    sub     x3, x4, x5
    sub     w7, w5, w4
    sub     x8, x5, x5
    sub     w10, w5, w2
    cset    x6, lt
    mrs     x9, nzcv
    CHECK(x3, 0xffffffff)
    CHECK(x7, 1)
    CHECK(x8, 0)
    CHECK(x10, 0xfffffffa)
    CHECK(x6, 1)
    CHECK(x9, 0x80000000)

    mov     x30, x19
    ret

    TEST_END
