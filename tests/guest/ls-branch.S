// Guest test: every branch kind.  B and BL forwards and backwards, B.cond
// for all 16 conditions under all 16 NZCV values (expected outcome from
// the condition definitions of the Arm ARM: a failure reports the id
// 10000 + 16 * NZCV + cond), CBZ/CBNZ on W and X registers, TBZ/TBNZ on
// bits 0, 31, 32 and 63, BR, BLR (also BLR X30), RET and RET Xn.
#include "ls-harness.inc"

// One B.cond check: taken gives x20 = 1, not taken x20 = 3.
.macro BCOND_ONE cond, condnum, nzcv, taken
    mov     x21, #((\nzcv) << 28)
    msr     nzcv, x21
    mov     x20, #0
    b.\cond 1f
    mov     x20, #2
1:  add     x20, x20, #1
    CHECK_ID(10000 + 16 * (\nzcv) + (\condnum), x20, 3 - 2 * (\taken))
.endm

// All 16 conditions under one NZCV value.
.macro BCOND_ALL nzcv
    .set n, ((\nzcv) >> 3) & 1
    .set z, ((\nzcv) >> 2) & 1
    .set c, ((\nzcv) >> 1) & 1
    .set v, (\nzcv) & 1
    .set ge, 1 - (n ^ v)
    .set hi, c & (1 - z)
    BCOND_ONE eq, 0, \nzcv, z
    BCOND_ONE ne, 1, \nzcv, 1 - z
    BCOND_ONE cs, 2, \nzcv, c
    BCOND_ONE cc, 3, \nzcv, 1 - c
    BCOND_ONE mi, 4, \nzcv, n
    BCOND_ONE pl, 5, \nzcv, 1 - n
    BCOND_ONE vs, 6, \nzcv, v
    BCOND_ONE vc, 7, \nzcv, 1 - v
    BCOND_ONE hi, 8, \nzcv, hi
    BCOND_ONE ls, 9, \nzcv, 1 - hi
    BCOND_ONE ge, 10, \nzcv, ge
    BCOND_ONE lt, 11, \nzcv, 1 - ge
    BCOND_ONE gt, 12, \nzcv, ge & (1 - z)
    BCOND_ONE le, 13, \nzcv, 1 - (ge & (1 - z))
    BCOND_ONE al, 14, \nzcv, 1
    BCOND_ONE nv, 15, \nzcv, 1
.endm

    TEST_BEGIN "ls-branch"
test_body:
    mov     x19, x30

    // ---- B forwards and backwards ------------------------------------------
    mov     x1, #0
    b       2f
1:  add     x1, x1, #10
    b       3f
2:  add     x1, x1, #1
    b       1b
    FAIL_HERE
3:  CHECK(x1, 11)

    // ---- BL: X30 = the next instruction ---------------------------------------
    adr     x5, 4f
    bl      bl_target
4:  CHECK_REG(x6, x5)
    adr     x5, 5f
    b       6f
bl_back:
    mov     x6, x30
    ret
6:  bl      bl_back
5:  CHECK_REG(x6, x5)

    // ---- B.cond: 16 conditions x 16 flag values -------------------------------
    .set fl, 0
    .rept 16
    BCOND_ALL fl
    .set fl, fl + 1
    .endr

    // ---- CBZ / CBNZ -------------------------------------------------------------
    MOV64   x1, 0x100000000
    mov     x20, #0
    cbz     w1, 1f                      // W view is zero: taken
    FAIL_HERE
1:  cbz     x1, 2f                      // X view is not: not taken
    add     x20, x20, #1
2:  cbnz    x1, 3f
    FAIL_HERE
3:  cbnz    w1, 4f
    add     x20, x20, #1
4:  cbz     xzr, 5f
    FAIL_HERE
5:  cbnz    wzr, 6f
    add     x20, x20, #1
6:  CHECK(x20, 3)

    // ---- TBZ / TBNZ on bits 0, 31, 32, 63 ------------------------------------------
    MOV64   x1, 0x8000000000000001
    mov     x20, #0
    tbnz    x1, #63, 1f
    FAIL_HERE
1:  tbz     x1, #63, 2f
    add     x20, x20, #1
2:  tbnz    w1, #0, 3f
    FAIL_HERE
3:  tbz     x1, #0, 4f
    add     x20, x20, #1
4:  tbz     x1, #62, 5f
    FAIL_HERE
5:  tbnz    x1, #1, 6f
    add     x20, x20, #1
6:  MOV64   x1, 0x0000000080000000
    tbnz    w1, #31, 7f
    FAIL_HERE
7:  tbz     x1, #32, 8f
    FAIL_HERE
8:  tbnz    x1, #32, 9f
    add     x20, x20, #1
9:  CHECK(x20, 4)

    // ---- BR, BLR, RET ------------------------------------------------------------
    adr     x5, 1f
    br      x5
    FAIL_HERE
1:  adr     x5, blr_target
    adr     x7, 2f
    blr     x5
2:  CHECK_REG(x6, x7)
    adr     x30, blr_target             // BLR X30 jumps to the old X30
    adr     x7, 3f
    blr     x30
3:  CHECK_REG(x6, x7)
    adr     x5, ret_target
    adr     x30, 4f
    ret     x5                          // RET Xn jumps to Xn
    FAIL_HERE
4:  FAIL_HERE
ret_back:
    CHECK(x1, 0x5a)

    mov     x30, x19
    ret

bl_target:
    mov     x6, x30
    ret
blr_target:
    mov     x6, x30
    ret
ret_target:
    mov     x1, #0x5a
    b       ret_back

    TEST_END
