// Guest test: the HWCAP bits in the auxiliary vector agree with the ID
// registers an EL0 MRS reads (the agreement Linux guarantees) for every
// feature both describe: FP, AdvSIMD, FPHP, ASIMDHP, AES, PMULL, SHA1,
// SHA2, CRC32, atomics, RDM, LRCPC, DCPOP, DotProd.  HWCAP_CPUID must be set, since the
// MRS reads depend on it.  Bit numbers from the kernel's uapi hwcap.h,
// field positions from the Arm ARM.  A failure reports the HWCAP bit
// number + 100 as its "line".
#include "ls-harness.inc"

#define AT_NULL  0
#define AT_HWCAP 16

// HWCAP bit `bit` set <=> field (4 bits at `shift`) of `idreg` >= `min`.
.macro AGREE_GE idreg, shift, min, bit
    mrs     x1, \idreg
    ubfx    x1, x1, #\shift, #4
    cmp     x1, #\min
    cset    x2, hs
    ubfx    x3, x20, #\bit, #1
    movz    x28, #(100 + \bit)
    cmp     x2, x3
    b.ne    ls_fail
.endm

// HWCAP bit `bit` set <=> field (4 bits at `shift`) is not 0xf (the FP
// and AdvSIMD fields use 0xf for "not implemented").
.macro AGREE_NOT_F idreg, shift, bit
    mrs     x1, \idreg
    ubfx    x1, x1, #\shift, #4
    cmp     x1, #0xf
    cset    x2, ne
    ubfx    x3, x20, #\bit, #1
    movz    x28, #(100 + \bit)
    cmp     x2, x3
    b.ne    ls_fail
.endm

    TEST_BEGIN "ls-hwcap"
test_body:
    // _start reached here by BL, so SP is still the initial stack:
    // argc, argv[], NULL, envp[], NULL, then the auxv pairs.
    mov     x0, sp
    ldr     x1, [x0]
    add     x0, x0, #16
    add     x0, x0, x1, lsl #3          // past argv[] and its NULL
1:  ldr     x1, [x0], #8                // past envp[] and its NULL
    cbnz    x1, 1b
    mov     x20, #0
2:  ldp     x1, x2, [x0], #16
    cmp     x1, #AT_HWCAP
    b.ne    3f
    mov     x20, x2
3:  cbnz    x1, 2b

    movz    x28, #(100 + 11)
    tbz     x20, #11, ls_fail           // HWCAP_CPUID

    AGREE_NOT_F id_aa64pfr0_el1, 16, 0  // FP
    AGREE_NOT_F id_aa64pfr0_el1, 20, 1  // ASIMD
    AGREE_GE id_aa64pfr0_el1, 16, 1, 9  // FPHP: FP = 1 (present, so not 0xf)
    AGREE_GE id_aa64pfr0_el1, 20, 1, 10 // ASIMDHP: AdvSIMD = 1
    AGREE_GE id_aa64isar0_el1, 4, 1, 3  // AES
    AGREE_GE id_aa64isar0_el1, 4, 2, 4  // PMULL
    AGREE_GE id_aa64isar0_el1, 8, 1, 5  // SHA1
    AGREE_GE id_aa64isar0_el1, 12, 1, 6 // SHA2
    AGREE_GE id_aa64isar0_el1, 16, 1, 7 // CRC32
    AGREE_GE id_aa64isar0_el1, 20, 2, 8 // ATOMICS
    AGREE_GE id_aa64isar0_el1, 28, 1, 12 // ASIMDRDM
    AGREE_GE id_aa64isar1_el1, 20, 1, 15 // LRCPC
    AGREE_GE id_aa64isar1_el1, 0, 1, 16 // DCPOP
    AGREE_GE id_aa64isar0_el1, 44, 1, 20 // ASIMDDP
    ret

    TEST_END
