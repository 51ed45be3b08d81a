// Guest test stubs for data processing on registers: logical and
// add/subtract with shifted registers (every shift type and amount),
// add/subtract with extended registers (every option and shift, SP forms),
// with carry, conditional compare and select under every condition and
// NZCV value, and the 1-, 2- and 3-source classes.  Run by dp-driver.c;
// expected output in dp-reg.expected.
#include "dp-harness.inc"
    .arch armv8-a+crc

// ---- logical and add/subtract, shifted register ----------------------------

// Every shift amount of one shift type: Rd = x0, Rn = x1, Rm = x2.
.macro SHIFT_ALL group, base, type, count
    .set sa, 0
    .rept \count
    TENC "\group", 2, \base, (\type<<22)|(2<<16)|(sa<<10)|(1<<5)
    .set sa, sa + 1
    .endr
.endm

// One stub per shift type for a few amounts.
.macro SHIFT_SOME group, base, types, amounts:vararg
    .irp type, \types
    .irp amount, \amounts
    TENC "\group", 2, \base, (\type<<22)|(2<<16)|(\amount<<10)|(1<<5)
    .endr
    .endr
.endm

    SHIFT_ALL "and-sh x lsl", 0x8a000000, 0, 64
    SHIFT_ALL "and-sh x lsr", 0x8a000000, 1, 64
    SHIFT_ALL "and-sh x asr", 0x8a000000, 2, 64
    SHIFT_ALL "and-sh x ror", 0x8a000000, 3, 64
    SHIFT_ALL "orr-sh w lsl", 0x2a000000, 0, 32
    SHIFT_ALL "orr-sh w lsr", 0x2a000000, 1, 32
    SHIFT_ALL "orr-sh w asr", 0x2a000000, 2, 32
    SHIFT_ALL "orr-sh w ror", 0x2a000000, 3, 32
    SHIFT_SOME "bic-sh x", 0x8a200000, "0,1,2,3", 0, 1, 17, 63
    SHIFT_SOME "orr-sh x", 0xaa000000, "0,1,2,3", 0, 1, 17, 63
    SHIFT_SOME "orn-sh x", 0xaa200000, "0,1,2,3", 0, 1, 17, 63
    SHIFT_SOME "eor-sh x", 0xca000000, "0,1,2,3", 0, 1, 17, 63
    SHIFT_SOME "eon-sh x", 0xca200000, "0,1,2,3", 0, 1, 17, 63
    SHIFT_SOME "ands-sh x", 0xea000000, "0,1,2,3", 0, 1, 17, 63
    SHIFT_SOME "bics-sh x", 0xea200000, "0,1,2,3", 0, 1, 17, 63
    SHIFT_SOME "and-sh w", 0x0a000000, "0,1,2,3", 0, 1, 17, 31
    SHIFT_SOME "bic-sh w", 0x0a200000, "0,1,2,3", 0, 1, 17, 31
    SHIFT_SOME "orn-sh w", 0x2a200000, "0,1,2,3", 0, 1, 17, 31
    SHIFT_SOME "eor-sh w", 0x4a000000, "0,1,2,3", 0, 1, 17, 31
    SHIFT_SOME "eon-sh w", 0x4a200000, "0,1,2,3", 0, 1, 17, 31
    SHIFT_SOME "ands-sh w", 0x6a000000, "0,1,2,3", 0, 1, 17, 31
    SHIFT_SOME "bics-sh w", 0x6a200000, "0,1,2,3", 0, 1, 17, 31
    T "logic-alias", 2, mov x0, x2
    T "logic-alias", 2, mov w0, w2
    T "logic-alias", 2, mvn x0, x2
    T "logic-alias", 2, mvn w0, w2, ror #7
    T "logic-alias", 2, orr x0, xzr, x2, lsr #3
    T "logic-alias", 2, tst x1, x2
    T "logic-alias", 2, tst w1, w2, asr #31
    T "logic-alias", 2, and x0, x1, x1
    T "logic-alias", 2, eor w0, w1, w1
    T "logic-alias", 2, ands x0, xzr, x2

    SHIFT_ALL "add-sh x lsl", 0x8b000000, 0, 64
    SHIFT_ALL "sub-sh w asr", 0x4b000000, 2, 32
    SHIFT_SOME "add-sh x", 0x8b000000, "0,1,2", 0, 1, 31, 63
    SHIFT_SOME "adds-sh x", 0xab000000, "0,1,2", 0, 1, 31, 63
    SHIFT_SOME "sub-sh x", 0xcb000000, "0,1,2", 0, 1, 31, 63
    SHIFT_SOME "subs-sh x", 0xeb000000, "0,1,2", 0, 1, 31, 63
    SHIFT_SOME "add-sh w", 0x0b000000, "0,1,2", 0, 1, 16, 31
    SHIFT_SOME "adds-sh w", 0x2b000000, "0,1,2", 0, 1, 16, 31
    SHIFT_SOME "sub-sh w", 0x4b000000, "0,1,2", 0, 1, 16, 31
    SHIFT_SOME "subs-sh w", 0x6b000000, "0,1,2", 0, 1, 16, 31
    T "add-alias", 2, neg x0, x2
    T "add-alias", 2, neg w0, w2, lsl #3
    T "add-alias", 2, negs x0, x2
    T "add-alias", 2, negs w0, w2
    T "add-alias", 2, cmp x1, x2
    T "add-alias", 2, cmp w1, w2, lsr #4
    T "add-alias", 2, cmn x1, x2
    T "add-alias", 2, cmn w1, w2
    T "add-alias", 2, subs xzr, x1, x2, asr #63
    T "add-alias", 2, add x0, x1, x1
    T "add-alias", 2, sub w0, w2, w2

// ---- add/subtract, extended register ---------------------------------------

// Every option (UXTB..SXTX) with every shift 0..4.
.macro EXT_ALL group, base
    .set eo, 0
    .rept 8
    .set es, 0
    .rept 5
    TENC "\group", 2, \base, (2<<16)|(eo<<13)|(es<<10)|(1<<5)
    .set es, es + 1
    .endr
    .set eo, eo + 1
    .endr
.endm

    EXT_ALL "add-ext x", 0x8b200000
    EXT_ALL "adds-ext x", 0xab200000
    EXT_ALL "sub-ext x", 0xcb200000
    EXT_ALL "subs-ext x", 0xeb200000
    EXT_ALL "add-ext w", 0x0b200000
    EXT_ALL "adds-ext w", 0x2b200000
    EXT_ALL "sub-ext w", 0x4b200000
    EXT_ALL "subs-ext w", 0x6b200000
    T_SP_SRC "ext sp", 2, add x0, sp, x2
    T_SP_SRC "ext sp", 2, add x0, sp, w2, sxtw #3
    T_SP_SRC "ext sp", 2, sub w0, wsp, w2, uxtb #1
    T_SP_SRC "ext sp", 2, adds x0, sp, w2, sxth
    T_SP_SRC "ext sp", 2, subs w0, wsp, w2
    T_SP_SRC "ext sp", 2, cmp sp, x2, uxtx #4
    T_SP_SRC "ext sp", 2, cmn wsp, w2, sxtb
    T_SP_DST "ext sp", 2, add sp, x1, w2, uxth #2
    T_SP_DST "ext sp", 2, sub sp, sp, x2, sxtx #1
    T_SP_DST "ext sp", 2, add wsp, w1, w2, uxtw

// ---- with carry --------------------------------------------------------------

    T "adc x", 3, adc x0, x1, x2
    T "adc w", 3, adc w0, w1, w2
    T "adcs x", 3, adcs x0, x1, x2
    T "adcs w", 3, adcs w0, w1, w2
    T "sbc x", 3, sbc x0, x1, x2
    T "sbc w", 3, sbc w0, w1, w2
    T "sbcs x", 3, sbcs x0, x1, x2
    T "sbcs w", 3, sbcs w0, w1, w2
    T "ngc", 3, ngc x0, x2
    T "ngc", 3, ngcs w0, w2
    T "ngc", 3, adcs xzr, x1, x2

// ---- conditional compare ---------------------------------------------------

// All 16 conditions, two NZCV immediates.
.macro CCMP_ALL group, base, rm_or_imm
    .set cc, 0
    .rept 16
    .irp nzcv, 0x0, 0xf, 0x5, 0xa
    TENC "\group", 3, \base, (\rm_or_imm<<16)|(cc<<12)|(1<<5)|\nzcv
    .endr
    .set cc, cc + 1
    .endr
.endm

    CCMP_ALL "ccmp-reg x", 0xfa400000, 2
    CCMP_ALL "ccmn-reg x", 0xba400000, 2
    CCMP_ALL "ccmp-reg w", 0x7a400000, 2
    CCMP_ALL "ccmn-reg w", 0x3a400000, 2
    CCMP_ALL "ccmp-imm x", 0xfa400800, 0
    CCMP_ALL "ccmn-imm x", 0xba400800, 31
    CCMP_ALL "ccmp-imm w", 0x7a400800, 1
    CCMP_ALL "ccmn-imm w", 0x3a400800, 17

// ---- conditional select ----------------------------------------------------

.macro CSEL_ALL group, base
    .set cc, 0
    .rept 16
    TENC "\group", 3, \base, (2<<16)|(cc<<12)|(1<<5)
    .set cc, cc + 1
    .endr
.endm

// CSET/CSETM (Rn = Rm = XZR) and CINC/CINV/CNEG (Rn = Rm).
.macro CSEL_ALIAS_ALL group, base, regs
    .set cc, 0
    .rept 16
    TENC "\group", 3, \base, (cc<<12)|\regs
    .set cc, cc + 1
    .endr
.endm

    CSEL_ALL "csel x", 0x9a800000
    CSEL_ALL "csinc x", 0x9a800400
    CSEL_ALL "csinv x", 0xda800000
    CSEL_ALL "csneg x", 0xda800400
    CSEL_ALL "csel w", 0x1a800000
    CSEL_ALL "csinc w", 0x1a800400
    CSEL_ALL "csinv w", 0x5a800000
    CSEL_ALL "csneg w", 0x5a800400
    CSEL_ALIAS_ALL "cset x", 0x9a800400, (31<<16)|(31<<5)
    CSEL_ALIAS_ALL "csetm w", 0x5a800000, (31<<16)|(31<<5)
    CSEL_ALIAS_ALL "cinc w", 0x1a800400, (1<<16)|(1<<5)
    CSEL_ALIAS_ALL "cneg x", 0xda800400, (1<<16)|(1<<5)

// ---- data processing, 1 source ---------------------------------------------

    T "rbit", 2, rbit x0, x1
    T "rbit", 2, rbit w0, w1
    T "rev16", 2, rev16 x0, x1
    T "rev16", 2, rev16 w0, w1
    T "rev32", 2, rev32 x0, x1
    T "rev", 2, rev x0, x1
    T "rev", 2, rev w0, w1
    T "clz", 2, clz x0, x1
    T "clz", 2, clz w0, w1
    T "cls", 2, cls x0, x1
    T "cls", 2, cls w0, w1

// ---- data processing, 2 source ---------------------------------------------

    T "udiv", 2, udiv x0, x1, x2
    T "udiv", 2, udiv w0, w1, w2
    T "sdiv", 2, sdiv x0, x1, x2
    T "sdiv", 2, sdiv w0, w1, w2
    T "shiftv", 2, lslv x0, x1, x2
    T "shiftv", 2, lslv w0, w1, w2
    T "shiftv", 2, lsrv x0, x1, x2
    T "shiftv", 2, lsrv w0, w1, w2
    T "shiftv", 2, asrv x0, x1, x2
    T "shiftv", 2, asrv w0, w1, w2
    T "shiftv", 2, rorv x0, x1, x2
    T "shiftv", 2, rorv w0, w1, w2
    T "crc32", 2, crc32b w0, w1, w2
    T "crc32", 2, crc32h w0, w1, w2
    T "crc32", 2, crc32w w0, w1, w2
    T "crc32", 2, crc32x w0, w1, x2
    T "crc32c", 2, crc32cb w0, w1, w2
    T "crc32c", 2, crc32ch w0, w1, w2
    T "crc32c", 2, crc32cw w0, w1, w2
    T "crc32c", 2, crc32cx w0, w1, x2

// ---- data processing, 3 source ---------------------------------------------

    T "madd", 2, madd x0, x1, x2, x3
    T "madd", 2, madd w0, w1, w2, w3
    T "madd", 2, mul x0, x1, x2
    T "madd", 2, mul w0, w1, w2
    T "msub", 2, msub x0, x1, x2, x3
    T "msub", 2, msub w0, w1, w2, w3
    T "msub", 2, mneg x0, x1, x2
    T "msub", 2, mneg w0, w1, w2
    T "mul-long", 2, smaddl x0, w1, w2, x3
    T "mul-long", 2, smsubl x0, w1, w2, x3
    T "mul-long", 2, umaddl x0, w1, w2, x3
    T "mul-long", 2, umsubl x0, w1, w2, x3
    T "mul-long", 2, smull x0, w1, w2
    T "mul-long", 2, umull x0, w1, w2
    T "mul-long", 2, smnegl x0, w1, w2
    T "mul-high", 2, smulh x0, x1, x2
    T "mul-high", 2, umulh x0, x1, x2
    T "mul-high", 2, smulh x0, x1, x1
