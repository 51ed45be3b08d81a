// Guest test stubs for data processing with an immediate operand: every
// valid logical immediate, every bitfield (SBFM/BFM/UBFM) and EXTR field
// combination, move wide, add/subtract immediate (flags, SP forms) and
// ADR/ADRP.  Run by dp-driver.c; expected output in dp-imm.expected.
#include "dp-harness.inc"

// ---- logical immediate -----------------------------------------------------

// All (immr, imms) for one element size: imms = immsbase | s with s below
// smax (s = smax would be an all-ones element, which is reserved).
.macro LOGIC_ESIZE group, base, n, immsbase, smax, rmax
    .set ls, 0
    .rept \smax
    .set lr, 0
    .rept \rmax
    TENC "\group", 1, \base, (\n<<22)|(lr<<16)|((\immsbase|ls)<<10)|(1<<5)
    .set lr, lr + 1
    .endr
    .set ls, ls + 1
    .endr
.endm

// Every element size that fits in a W register (N = 0).
.macro LOGIC_ALL32 group, base
    LOGIC_ESIZE "\group", \base, 0, 0x00, 31, 32
    LOGIC_ESIZE "\group", \base, 0, 0x20, 15, 16
    LOGIC_ESIZE "\group", \base, 0, 0x30, 7, 8
    LOGIC_ESIZE "\group", \base, 0, 0x38, 3, 4
    LOGIC_ESIZE "\group", \base, 0, 0x3c, 1, 2
.endm

    LOGIC_ESIZE "and-imm x esize64", 0x92000000, 1, 0, 63, 64
    LOGIC_ALL32 "and-imm x small", 0x92000000
    LOGIC_ALL32 "orr-imm x", 0xb2000000
    LOGIC_ALL32 "eor-imm x", 0xd2000000
    LOGIC_ALL32 "ands-imm x", 0xf2000000
    LOGIC_ALL32 "and-imm w", 0x12000000
    LOGIC_ALL32 "orr-imm w", 0x32000000
    LOGIC_ALL32 "eor-imm w", 0x52000000
    LOGIC_ALL32 "ands-imm w", 0x72000000
    // immr bits above the element size are ignored
    TENC "logic-imm immr-high", 1, 0x92000000, (0x2b<<16)|(0x32<<10)|(1<<5)
    TENC "logic-imm immr-high", 1, 0x12000000, (0x1d<<16)|(0x23<<10)|(1<<5)
    // Rd = SP for AND/ORR/EOR, Rd = XZR for ANDS (TST)
    T_SP_DST "logic-imm sp", 1, orr sp, x1, #0xff0
    T_SP_DST "logic-imm sp", 1, and sp, x1, #0xfffffffffffffff0
    T_SP_DST "logic-imm sp", 1, eor wsp, w1, #0x0f0f0f0f
    T "logic-imm tst", 1, tst x1, #0x8000000000000001
    T "logic-imm tst", 1, tst w1, #0x80000000
    T "logic-imm tst", 1, tst x1, #0xff
    T "logic-imm mov", 1, mov x0, #0x5555555555555555
    T "logic-imm mov", 1, mov w0, #0xff00ff00

// ---- bitfield moves: every (immr, imms) ------------------------------------

.macro BITFIELD_ALL group, base, count
    .set bs, 0
    .rept \count
    .set br, 0
    .rept \count
    TENC "\group", 1, \base, (br<<16)|(bs<<10)|(1<<5)
    .set br, br + 1
    .endr
    .set bs, bs + 1
    .endr
.endm

    BITFIELD_ALL "sbfm x", 0x93400000, 64
    BITFIELD_ALL "bfm x", 0xb3400000, 64
    BITFIELD_ALL "ubfm x", 0xd3400000, 64
    BITFIELD_ALL "sbfm w", 0x13000000, 32
    BITFIELD_ALL "bfm w", 0x33000000, 32
    BITFIELD_ALL "ubfm w", 0x53000000, 32
    // BFM with Rd = Rn
    STUB_BEGIN
    bfi     x1, x1, #8, #16
    mov     x0, x1
    STUB_END "bfm same-reg", 1
    STUB_BEGIN
    bfxil   w1, w1, #3, #5
    mov     x0, x1
    STUB_END "bfm same-reg", 1

// ---- EXTR and ROR (immediate): every lsb -----------------------------------

.macro EXTR_ALL group, base, count, rm
    .set el, 0
    .rept \count
    TENC "\group", 2, \base, (\rm<<16)|(el<<10)|(1<<5)
    .set el, el + 1
    .endr
.endm

    EXTR_ALL "extr x", 0x93c00000, 64, 2
    EXTR_ALL "ror-imm x", 0x93c00000, 64, 1
    EXTR_ALL "extr w", 0x13800000, 32, 2
    EXTR_ALL "ror-imm w", 0x13800000, 32, 1

// ---- move wide -------------------------------------------------------------

.macro MOVE_WIDE group, base, hw_count
    .set mh, 0
    .rept \hw_count
    .irp imm, 0, 1, 0x8000, 0xffff, 0x1234, 0x7fff
    TENC "\group", 1, \base, (mh<<21)|(\imm<<5)
    .endr
    .set mh, mh + 1
    .endr
.endm

    MOVE_WIDE "movn x", 0x92800000, 4
    MOVE_WIDE "movz x", 0xd2800000, 4
    MOVE_WIDE "movk x", 0xf2800000, 4
    MOVE_WIDE "movn w", 0x12800000, 2
    MOVE_WIDE "movz w", 0x52800000, 2
    MOVE_WIDE "movk w", 0x72800000, 2

// ---- add/subtract immediate ------------------------------------------------

.macro ADD_SUB_IMM group, base
    .irp sh, 0, 1
    .irp imm, 0, 1, 0xfff, 0x800, 0x555
    TENC "\group", 1, \base, (\sh<<22)|(\imm<<10)|(1<<5)
    .endr
    .endr
.endm

    ADD_SUB_IMM "add-imm x", 0x91000000
    ADD_SUB_IMM "adds-imm x", 0xb1000000
    ADD_SUB_IMM "sub-imm x", 0xd1000000
    ADD_SUB_IMM "subs-imm x", 0xf1000000
    ADD_SUB_IMM "add-imm w", 0x11000000
    ADD_SUB_IMM "adds-imm w", 0x31000000
    ADD_SUB_IMM "sub-imm w", 0x51000000
    ADD_SUB_IMM "subs-imm w", 0x71000000
    T "cmp-imm", 1, cmp x1, #0
    T "cmp-imm", 1, cmp w1, #1
    T "cmp-imm", 1, cmn x1, #1
    T "cmp-imm", 1, cmn w1, #0xfff, lsl #12
    T_SP_SRC "add-imm sp", 1, add x0, sp, #16
    T_SP_SRC "add-imm sp", 1, sub w0, wsp, #1
    T_SP_SRC "add-imm sp", 1, adds x0, sp, #0x7ff
    T_SP_SRC "add-imm sp", 1, subs w0, wsp, #4, lsl #12
    T_SP_SRC "add-imm sp", 1, mov x0, sp
    T_SP_SRC "add-imm sp", 1, cmp sp, #0x10
    T_SP_DST "add-imm sp", 1, add sp, sp, #0x20
    T_SP_DST "add-imm sp", 1, sub sp, x1, #1
    T_SP_DST "add-imm sp", 1, add wsp, w1, #0
    T_SP_DST "add-imm sp", 1, mov sp, x2

// ---- ADR, ADRP -------------------------------------------------------------
// The stubs sit at fixed addresses in the static executable, so the results
// are the same on every implementation.

    T "adr", 1, adr x0, .
    T "adr", 1, adr x0, . + 4
    T "adr", 1, adr x0, . - 0x100000
    T "adr", 1, adr x0, . + 0xfffff
    T "adrp", 1, adrp x0, .
    T "adrp", 1, adrp x0, . + 0x1000
    T "adrp", 1, adrp x0, . - 0x7ffff000
    T "adrp", 1, adrp x0, . + 0x12345000
