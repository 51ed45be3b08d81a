// Guest test: EL0 reads of the identification registers give the values
// docs/cpu-models.md documents for ferry's default model (max).  These
// differ from other emulators' CPUs, so this test is ferry-specific.
#include "ls-harness.inc"

    TEST_BEGIN "ls-idregs"
test_body:
    mrs     x1, midr_el1
    CHECK(x1, 0x413fd0c1)
    mrs     x1, mpidr_el1
    CHECK(x1, 0x80000000)
    mrs     x1, revidr_el1
    CHECK(x1, 0)
    mrs     x1, id_aa64pfr0_el1
    CHECK(x1, 0x110011)                 // AdvSIMD = FP = 1 (with FP16), EL1 = EL0 = 1
    mrs     x1, id_aa64pfr1_el1
    CHECK(x1, 0)
    mrs     x1, s3_0_c0_c4_4            // ID_AA64ZFR0_EL1
    CHECK(x1, 0)
    mrs     x1, id_aa64dfr0_el1
    CHECK(x1, 6)
    mrs     x1, id_aa64isar0_el1
    CHECK(x1, 0x100010211120)           // AES=2 SHA1 SHA2 CRC32 Atomic=2 RDM DP
    mrs     x1, id_aa64isar1_el1
    CHECK(x1, 0x200001)                 // LRCPC=2 DPB
    mrs     x1, id_aa64mmfr0_el1
    CHECK(x1, 0xff000000)
    mrs     x1, id_aa64mmfr1_el1
    CHECK(x1, 0)
    mrs     x1, s3_0_c0_c7_2            // ID_AA64MMFR2_EL1
    CHECK(x1, 0)
    mov     x1, #-1
    mrs     x1, s3_0_c0_c6_2            // ID_AA64ISAR2_EL1: untracked, 0
    CHECK(x1, 0)
    mov     x1, #-1
    mrs     x1, s3_0_c0_c7_7            // reserved ID space: 0
    CHECK(x1, 0)
    mrs     x1, ctr_el0
    CHECK(x1, 0x9444c004)
    mrs     x1, dczid_el0
    CHECK(x1, 4)
    mrs     x1, cntfrq_el0
    CHECK(x1, 1000000000)
    ret

    TEST_END
