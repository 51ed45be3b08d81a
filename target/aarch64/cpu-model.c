/*
 * The CPU models behind -cpu.  One feature table says, for each optional
 * architecture feature, which HWCAP/HWCAP2 bit and which ID register field
 * announce it and whether ferry implements it yet.  A model lists the
 * features the real core has; what it advertises (HWCAP, ID registers,
 * /proc/cpuinfo, CPUModel.features) is that list restricted to the
 * implemented ones, so the advertised CPU never promises an instruction
 * that would raise SIGILL.  To turn on a feature once it is implemented,
 * flip its "implemented" column.
 *
 * ID register values are what an EL0 MRS reads under Linux: the kernel
 * traps those reads and returns sanitised values in which only the fields
 * it exposes to user space are non-zero, plus the fixed "safe" values of
 * some hidden fields (EL0/EL1 = AArch64 only in ID_AA64PFR0, DebugVer = 6 in
 * ID_AA64DFR0, TGran4/TGran64 = not implemented in ID_AA64MMFR0).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "target/aarch64/cpu-model.h"

/* HWCAP bits (arch/arm64/include/uapi/asm/hwcap.h). */
enum {
    HWCAP_FP = 1ull << 0, HWCAP_ASIMD = 1ull << 1, HWCAP_EVTSTRM = 1ull << 2,
    HWCAP_AES = 1ull << 3, HWCAP_PMULL = 1ull << 4, HWCAP_SHA1 = 1ull << 5,
    HWCAP_SHA2 = 1ull << 6, HWCAP_CRC32 = 1ull << 7, HWCAP_ATOMICS = 1ull << 8,
    HWCAP_FPHP = 1ull << 9, HWCAP_ASIMDHP = 1ull << 10, HWCAP_CPUID = 1ull << 11,
    HWCAP_ASIMDRDM = 1ull << 12, HWCAP_JSCVT = 1ull << 13, HWCAP_FCMA = 1ull << 14,
    HWCAP_LRCPC = 1ull << 15, HWCAP_DCPOP = 1ull << 16, HWCAP_SHA3 = 1ull << 17,
    HWCAP_SM3 = 1ull << 18, HWCAP_SM4 = 1ull << 19, HWCAP_ASIMDDP = 1ull << 20,
    HWCAP_SHA512 = 1ull << 21, HWCAP_SVE = 1ull << 22, HWCAP_ASIMDFHM = 1ull << 23,
    HWCAP_DIT = 1ull << 24, HWCAP_USCAT = 1ull << 25, HWCAP_ILRCPC = 1ull << 26,
    HWCAP_FLAGM = 1ull << 27, HWCAP_SSBS = 1ull << 28, HWCAP_SB = 1ull << 29,
    HWCAP_PACA = 1ull << 30, HWCAP_PACG = 1ull << 31,
};
enum { HWCAP2_BTI = 1ull << 17 };

/* /proc/cpuinfo names, indexed by HWCAP / HWCAP2 bit (kernel spelling). */
static const char *const hwcap_names[32] = {
    "fp", "asimd", "evtstrm", "aes", "pmull", "sha1", "sha2", "crc32",
    "atomics", "fphp", "asimdhp", "cpuid", "asimdrdm", "jscvt", "fcma", "lrcpc",
    "dcpop", "sha3", "sm3", "sm4", "asimddp", "sha512", "sve", "asimdfhm",
    "dit", "uscat", "ilrcpc", "flagm", "ssbs", "sb", "paca", "pacg",
};
static const char *const hwcap2_names[18] = {
    "dcpodp", "sve2", "sveaes", "svepmull", "svebitperm", "svesha3", "svesm4",
    "flagm2", "frint", "svei8mm", "svef32mm", "svef64mm", "svebf16", "i8mm",
    "bf16", "dgh", "rng", "bti",
};

/* The ID registers a feature can set a field in. */
typedef enum IdReg {
    ID_NONE, ID_ISAR0, ID_ISAR1, ID_PFR0, ID_PFR1,
} IdReg;

typedef struct FeatureInfo {
    CPUFeature feat;
    uint64_t hwcap, hwcap2;
    IdReg reg;              /* field announcing it (ID_NONE: hidden from EL0) */
    uint8_t shift, value;   /* the field holds at least this value */
    bool implemented;       /* ferry translates its instructions */
} FeatureInfo;

/* The one feature table. */
static const FeatureInfo feature_table[] = {
    { FEAT_FP,      HWCAP_FP,       0, ID_NONE,   0, 0, true },  /* PFR0.FP = 0 */
    { FEAT_ASIMD,   HWCAP_ASIMD,    0, ID_NONE,   0, 0, true },  /* PFR0.AdvSIMD = 0 */
    { FEAT_CPUID,   HWCAP_CPUID,    0, ID_NONE,   0, 0, true },  /* MRS of ID regs */
    { FEAT_AES,     HWCAP_AES,      0, ID_ISAR0,  4, 1, true },
    { FEAT_PMULL,   HWCAP_PMULL,    0, ID_ISAR0,  4, 2, true },
    { FEAT_SHA1,    HWCAP_SHA1,     0, ID_ISAR0,  8, 1, true },
    { FEAT_SHA2,    HWCAP_SHA2,     0, ID_ISAR0, 12, 1, true },
    { FEAT_SHA512,  HWCAP_SHA512,   0, ID_ISAR0, 12, 2, false },
    { FEAT_CRC32,   HWCAP_CRC32,    0, ID_ISAR0, 16, 1, true },
    { FEAT_LSE,     HWCAP_ATOMICS,  0, ID_ISAR0, 20, 2, true },   /* CAS, LDADD, ... */
    { FEAT_RDM,     HWCAP_ASIMDRDM, 0, ID_ISAR0, 28, 1, true },  /* SQRDMLAH/SQRDMLSH */
    { FEAT_SHA3,    HWCAP_SHA3,     0, ID_ISAR0, 32, 1, false },
    { FEAT_SM3,     HWCAP_SM3,      0, ID_ISAR0, 36, 1, false },
    { FEAT_SM4,     HWCAP_SM4,      0, ID_ISAR0, 40, 1, false },
    { FEAT_DOTPROD, HWCAP_ASIMDDP,  0, ID_ISAR0, 44, 1, true },  /* SDOT/UDOT */
    { FEAT_FHM,     HWCAP_ASIMDFHM, 0, ID_ISAR0, 48, 1, false },
    { FEAT_FPHP,    HWCAP_FPHP,     0, ID_PFR0,  16, 1, true },   /* FP = 1: FP16 */
    { FEAT_ASIMDHP, HWCAP_ASIMDHP,  0, ID_PFR0,  20, 1, true },   /* AdvSIMD = 1 */
    { FEAT_DIT,     HWCAP_DIT,      0, ID_PFR0,  48, 1, false },
    { FEAT_DPB,     HWCAP_DCPOP,    0, ID_ISAR1,  0, 1, true },  /* DC CVAP */
    { FEAT_JSCVT,   HWCAP_JSCVT,    0, ID_ISAR1, 12, 1, false },
    { FEAT_FCMA,    HWCAP_FCMA,     0, ID_ISAR1, 16, 1, false },
    { FEAT_LRCPC,   HWCAP_LRCPC,    0, ID_ISAR1, 20, 1, true },  /* LDAPR */
    { FEAT_LRCPC2,  HWCAP_ILRCPC,   0, ID_ISAR1, 20, 2, true },  /* LDAPUR, STLUR */
    { FEAT_SB,      HWCAP_SB,       0, ID_ISAR1, 36, 1, false },
    { FEAT_PAUTH,   HWCAP_PACA | HWCAP_PACG, 0, ID_ISAR1, 8, 1, false },
    { FEAT_FLAGM,   HWCAP_FLAGM,    0, ID_ISAR0, 56, 1, false },
    { FEAT_BTI,     0,     HWCAP2_BTI, ID_PFR1,   0, 1, false },
    { FEAT_SSBS,    HWCAP_SSBS,     0, ID_PFR1,   4, 2, false },
    { FEAT_LOR,     0,              0, ID_NONE,   0, 0, true },  /* LDLAR/STLLR */
};

#define F(x) (1ull << FEAT_##x)
#define ARMV8_0_CRYPTO (F(FP) | F(ASIMD) | F(CPUID) | F(AES) | F(PMULL) | \
                        F(SHA1) | F(SHA2) | F(CRC32))

typedef struct ModelDesc {
    const char *name;
    uint64_t midr;
    uint64_t hw_features;   /* what the real core has */
} ModelDesc;

/* "max" comes first: it is the default.  It presents itself as a
 * Neoverse N1 (an ARMv8.2 core) and advertises every implemented feature. */
static const ModelDesc model_descs[] = {
    { "max",         0x413fd0c1, ~0ull },
    { "cortex-a53",  0x410fd034, ARMV8_0_CRYPTO },
    { "cortex-a72",  0x410fd083, ARMV8_0_CRYPTO },
    { "neoverse-n1", 0x413fd0c1, ARMV8_0_CRYPTO | F(LSE) | F(RDM) | F(LOR) |
                                 F(DOTPROD) | F(FPHP) | F(ASIMDHP) |
                                 F(LRCPC) | F(DPB) | F(SSBS) },
};
#undef F

#define N_MODELS (sizeof(model_descs) / sizeof(model_descs[0]))

/* Fixed EL0 views: CTR_EL0 = 64-byte I and D lines, PIPT I-cache, IDC set
 * (no DC CVAU needed before IC IVAU) and DIC clear, so software issues the
 * IC IVAU that ferry relies on to see modified code; DCZID_EL0 = 64-byte
 * DC ZVA blocks; MPIDR_EL1 = what Linux returns for every CPU. */
#define CTR_EL0_VALUE   0x9444c004ull
#define DCZID_EL0_VALUE 4ull
#define MPIDR_EL0_VIEW  0x80000000ull

/* Linux's fixed values of hidden fields (see the top of the file). */
#define PFR0_BASE  0x11ull          /* EL0 and EL1: AArch64 only */
#define DFR0_BASE  0x6ull           /* DebugVer: ARMv8 debug */
#define MMFR0_BASE 0xff000000ull    /* TGran4, TGran64: not reported */

static void raise_field(uint64_t *reg, unsigned shift, uint64_t value)
{
    uint64_t cur = (*reg >> shift) & 0xf;
    if (value > cur) {
        *reg = (*reg & ~(0xfull << shift)) | (value << shift);
    }
}

static void build_model(CPUModel *m, const ModelDesc *d)
{
    memset(m, 0, sizeof(*m));
    m->name = d->name;
    m->midr = d->midr;
    m->id_aa64pfr0 = PFR0_BASE;
    m->id_aa64dfr0 = DFR0_BASE;
    m->id_aa64mmfr0 = MMFR0_BASE;
    for (size_t i = 0; i < sizeof(feature_table) / sizeof(feature_table[0]); i++) {
        const FeatureInfo *f = &feature_table[i];
        if (!f->implemented || !(d->hw_features & (1ull << f->feat))) {
            continue;
        }
        m->features |= 1ull << f->feat;
        m->hwcap |= f->hwcap;
        m->hwcap2 |= f->hwcap2;
        switch (f->reg) {
        case ID_ISAR0: raise_field(&m->id_aa64isar0, f->shift, f->value); break;
        case ID_ISAR1: raise_field(&m->id_aa64isar1, f->shift, f->value); break;
        case ID_PFR0:  raise_field(&m->id_aa64pfr0, f->shift, f->value); break;
        case ID_PFR1:  raise_field(&m->id_aa64pfr1, f->shift, f->value); break;
        case ID_NONE:  break;
        }
    }
}

/* The models are derived from the tables once and never change after. */
static CPUModel models[N_MODELS];
static pthread_once_t models_once = PTHREAD_ONCE_INIT;

static void build_all_models(void)
{
    for (size_t i = 0; i < N_MODELS; i++) {
        build_model(&models[i], &model_descs[i]);
    }
}

static const CPUModel *model_table(void)
{
    pthread_once(&models_once, build_all_models);
    return models;
}

const CPUModel *cpu_model_find(const char *name)
{
    const CPUModel *t = model_table();
    for (size_t i = 0; i < N_MODELS; i++) {
        if (strcmp(t[i].name, name) == 0) {
            return &t[i];
        }
    }
    return NULL;
}

const CPUModel *cpu_model_default(void)
{
    return &model_table()[0];
}

void cpu_model_list(void (*print)(const char *name, void *opaque), void *opaque)
{
    for (size_t i = 0; i < N_MODELS; i++) {
        print(model_descs[i].name, opaque);
    }
}

bool cpu_model_read_id_reg(const CPUModel *m, uint32_t key, uint64_t *val)
{
    if (!m) {
        m = cpu_model_default();
    }
    switch (key) {
    case SYSREG_KEY(3, 3, 0, 0, 1): *val = CTR_EL0_VALUE; return true;
    case SYSREG_KEY(3, 3, 0, 0, 7): *val = DCZID_EL0_VALUE; return true;
    case SYSREG_KEY(3, 0, 0, 0, 0): *val = m->midr; return true;
    case SYSREG_KEY(3, 0, 0, 0, 5): *val = MPIDR_EL0_VIEW; return true;
    case SYSREG_KEY(3, 0, 0, 0, 6): *val = 0; return true;   /* REVIDR_EL1 */
    case SYSREG_KEY(3, 0, 0, 4, 0): *val = m->id_aa64pfr0; return true;
    case SYSREG_KEY(3, 0, 0, 4, 1): *val = m->id_aa64pfr1; return true;
    case SYSREG_KEY(3, 0, 0, 4, 4): *val = m->id_aa64zfr0; return true;
    case SYSREG_KEY(3, 0, 0, 5, 0): *val = m->id_aa64dfr0; return true;
    case SYSREG_KEY(3, 0, 0, 6, 0): *val = m->id_aa64isar0; return true;
    case SYSREG_KEY(3, 0, 0, 6, 1): *val = m->id_aa64isar1; return true;
    case SYSREG_KEY(3, 0, 0, 7, 0): *val = m->id_aa64mmfr0; return true;
    case SYSREG_KEY(3, 0, 0, 7, 1): *val = m->id_aa64mmfr1; return true;
    case SYSREG_KEY(3, 0, 0, 7, 2): *val = m->id_aa64mmfr2; return true;
    }
    /* The rest of the ID space Linux emulates (CRm 2..7) reads as zero;
     * CRm 0 and 1 hold nothing else it lets EL0 read. */
    unsigned op0 = key >> 14, op1 = (key >> 11) & 7, crn = (key >> 7) & 15;
    unsigned crm = (key >> 3) & 15;
    if (op0 == 3 && op1 == 0 && crn == 0 && crm >= 2 && crm <= 7) {
        *val = 0;
        return true;
    }
    return false;
}

static void append_name(char *buf, size_t size, size_t *len, const char *name)
{
    int n = snprintf(*len < size ? buf + *len : NULL, *len < size ? size - *len : 0,
                     "%s%s", *len ? " " : "", name);
    *len += (size_t)n;
}

size_t cpu_model_feature_string(const CPUModel *m, char *buf, size_t size)
{
    size_t len = 0;
    if (size) {
        buf[0] = 0;
    }
    for (unsigned i = 0; i < 32; i++) {
        if (m->hwcap & (1ull << i)) {
            append_name(buf, size, &len, hwcap_names[i]);
        }
    }
    for (unsigned i = 0; i < sizeof(hwcap2_names) / sizeof(hwcap2_names[0]); i++) {
        if (m->hwcap2 & (1ull << i)) {
            append_name(buf, size, &len, hwcap2_names[i]);
        }
    }
    return len;
}
