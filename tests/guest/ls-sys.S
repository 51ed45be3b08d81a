// Guest test: system instructions at EL0.  MRS/MSR of TPIDR_EL0,
// TPIDRRO_EL0 (zero for a Linux task), NZCV (RES0 bits read as zero),
// FPCR (AHP, DN, FZ, RMode) and FPSR (QC and the cumulative flags); the
// generic timer (CNTVCT counts at CNTFRQ: a 20 ms nanosleep must measure
// between 20 ms and 2 s); DC ZVA zeroing exactly one aligned block of the
// size DCZID_EL0 gives; the other DC operations; IC IVAU making rewritten
// code visible; the hint space (PAC and BTI hints included) and barriers.
// Register-independent of the CPU model, so it also passes under
// qemu-aarch64 (ls-idregs checks ferry's model values).
#include "ls-harness.inc"

#define SYS_nanosleep 101
#define MOVZ_W0(imm) (0x52800000 | ((imm) << 5))
#define RET_INSN 0xd65f03c0

    .data
    .p2align 4
timespec_20ms:
    .quad   0, 20000000
    .p2align 10
zva_buf:
    .skip   2048

    TEST_BEGIN "ls-sys"
test_body:
    mov     x19, x30

    // ---- thread pointers ------------------------------------------------------
    MOV64   x1, 0x0123456789abcdef
    msr     tpidr_el0, x1
    mrs     x2, tpidr_el0
    CHECK(x2, 0x0123456789abcdef)
    msr     tpidr_el0, xzr
    mrs     x2, tpidr_el0
    CHECK(x2, 0)
    mrs     x2, tpidrro_el0
    CHECK(x2, 0)

    // ---- NZCV --------------------------------------------------------------------
    mov     x1, #0xf0000000
    msr     nzcv, x1
    mrs     x2, nzcv
    CHECK(x2, 0xf0000000)
    MOV64   x1, 0xffffffff5fffffff      // only bits 31..28 exist
    msr     nzcv, x1
    mrs     x2, nzcv
    CHECK(x2, 0x50000000)
    b.vc    1f                          // V set: not taken
    b.ne    1f                          // Z set: not taken
    b.pl    1f                          // N clear: taken
    FAIL_HERE
1:  mov     x1, #0x20000000
    msr     nzcv, x1
    b.cs    2f
    FAIL_HERE
2:  msr     nzcv, xzr
    mrs     x2, nzcv
    CHECK(x2, 0)

    // ---- FPCR / FPSR --------------------------------------------------------------
    mrs     x20, fpcr
    mov     x1, #0x07c00000             // AHP, DN, FZ, RMode = RZ
    msr     fpcr, x1
    mrs     x2, fpcr
    CHECK(x2, 0x07c00000)
    mov     x1, #0x00400000             // RMode = RP
    msr     fpcr, x1
    mrs     x2, fpcr
    CHECK(x2, 0x00400000)
    msr     fpcr, x20
    mov     x1, #0x9f
    orr     x1, x1, #0x08000000
    msr     fpsr, x1
    mrs     x2, fpsr
    CHECK(x2, 0x0800009f)
    msr     fpsr, xzr
    mrs     x2, fpsr
    CHECK(x2, 0)

    // ---- generic timer -------------------------------------------------------------
    mrs     x21, cntfrq_el0
    movz    x28, #__LINE__
    cbz     x21, ls_fail
    mrs     x22, cntvct_el0
    mrs     x23, cntvct_el0
    movz    x28, #__LINE__
    cmp     x23, x22
    b.lo    ls_fail                     // never runs backwards
    adrp    x0, timespec_20ms
    add     x0, x0, :lo12:timespec_20ms
    mov     x1, #0
    mov     x8, #SYS_nanosleep
    svc     #0
    mrs     x24, cntvct_el0
    sub     x24, x24, x23               // ticks slept
    MOV64   x25, 1000000
    mul     x24, x24, x25
    udiv    x24, x24, x21               // microseconds slept
    movz    x28, #__LINE__
    mov     x25, #20000
    cmp     x24, x25
    b.lo    ls_fail
    MOV64   x25, 2000000
    cmp     x24, x25
    b.hi    ls_fail

    // ---- DC ZVA ---------------------------------------------------------------------
    mrs     x1, dczid_el0
    movz    x28, #__LINE__
    tbnz    x1, #4, ls_fail             // DZP: DC ZVA prohibited
    and     x1, x1, #0xf
    mov     x2, #4
    lsl     x21, x2, x1                 // block size in bytes
    adrp    x10, zva_buf
    add     x10, x10, :lo12:zva_buf     // 1024-aligned
    mov     x2, #0
    mov     x3, #-1
3:  str     x3, [x10, x2]
    add     x2, x2, #8
    cmp     x2, #2048
    b.lo    3b
    add     x4, x10, x21                // the second block...
    add     x5, x4, #5                  // ...named by an address inside it
    dc      zva, x5
    mov     x2, #0
4:  ldr     x6, [x10, x2]
    add     x7, x10, x2
    cmp     x7, x4
    b.lo    5f                          // before the block: untouched
    add     x8, x4, x21
    cmp     x7, x8
    b.hs    5f                          // after the block: untouched
    movz    x28, #__LINE__
    cbnz    x6, ls_fail                 // inside: zero
    b       6f
5:  movz    x28, #__LINE__
    cmn     x6, #1
    b.ne    ls_fail
6:  add     x2, x2, #8
    cmp     x2, #2048
    b.lo    4b

    // ---- other cache maintenance to data: no effect -----------------------------------
    dc      cvau, x10
    dc      cvac, x10
    dc      civac, x10
    ldr     x6, [x10]
    CHECK(x6, 0xffffffffffffffff)

    // ---- IC IVAU: rewritten code runs after maintenance ---------------------------------
    mov     x0, #0
    mov     x1, #4096
    mov     x2, #7                      // PROT_READ | PROT_WRITE | PROT_EXEC
    mov     x3, #0x22                   // MAP_PRIVATE | MAP_ANONYMOUS
    mov     x4, #-1
    mov     x5, #0
    mov     x8, #SYS_mmap
    svc     #0
    mov     x22, x0
    movz    x28, #__LINE__
    cmn     x22, #4095
    b.hs    ls_fail
    mov     w1, #(MOVZ_W0(1) & 0xffff)
    movk    w1, #(MOVZ_W0(1) >> 16), lsl #16
    MOV64   x2, RET_INSN
    str     w1, [x22]
    str     w2, [x22, #4]
    bl      sync_code
    blr     x22
    CHECK(x0, 1)
    blr     x22
    CHECK(x0, 1)
    mov     w1, #(MOVZ_W0(2) & 0xffff)
    movk    w1, #(MOVZ_W0(2) >> 16), lsl #16
    str     w1, [x22]
    bl      sync_code
    blr     x22
    CHECK(x0, 2)

    // ---- hints: all behave as NOP here ------------------------------------------------
    mov     x20, x30
    nop
    yield
    sevl
    wfe
    sev
    hint    #25                         // PACIASP
    hint    #29                         // AUTIASP
    hint    #7                          // XPACLRI
    hint    #34                         // BTI C
    hint    #16                         // ESB
    hint    #20                         // CSDB
    hint    #0x7f
    CHECK_REG(x30, x20)

    // ---- barriers --------------------------------------------------------------------
    dmb     ish
    dmb     ishld
    dmb     ishst
    dmb     sy
    dsb     ish
    dsb     sy
    dsb     nsh
    ssbb
    pssbb
    isb
    clrex
    mov     x30, x19
    ret

// Make the code at x22 visible to instruction fetch, as the Arm ARM
// prescribes for self-modifying code.
sync_code:
    dc      cvau, x22
    dsb     ish
    ic      ivau, x22
    dsb     ish
    isb
    ret

    TEST_END
