/*
 * CPU models selectable with -cpu: what each advertises in HWCAP/HWCAP2,
 * /proc/cpuinfo and the ID registers that MRS reads, and the feature bits the
 * translator checks before accepting an optional instruction.
 */
#ifndef FERRY_TARGET_AARCH64_CPU_MODEL_H
#define FERRY_TARGET_AARCH64_CPU_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct CPUModel {
    const char *name;
    uint64_t features;       /* FEAT_* bits (cpu-model.c) */
    uint64_t hwcap, hwcap2;  /* AT_HWCAP / AT_HWCAP2 values */
    uint64_t midr;
    uint64_t id_aa64isar0, id_aa64isar1, id_aa64pfr0, id_aa64pfr1;
    uint64_t id_aa64mmfr0, id_aa64mmfr1, id_aa64mmfr2, id_aa64zfr0;
    uint64_t id_aa64dfr0;
} CPUModel;

/* Optional architecture features, as bit numbers in CPUModel.features.  A
 * model only ever has the bits of features ferry implements (the feature
 * table in cpu-model.c says which), so the translator accepts an optional
 * instruction exactly when its feature bit is set. */
typedef enum CPUFeature {
    FEAT_FP, FEAT_ASIMD, FEAT_CPUID, FEAT_AES, FEAT_PMULL, FEAT_SHA1,
    FEAT_SHA2, FEAT_SHA512, FEAT_SHA3, FEAT_SM3, FEAT_SM4, FEAT_CRC32,
    FEAT_LSE, FEAT_RDM, FEAT_DOTPROD, FEAT_FPHP, FEAT_ASIMDHP, FEAT_FHM,
    FEAT_LRCPC, FEAT_DPB, FEAT_JSCVT, FEAT_FCMA, FEAT_PAUTH, FEAT_BTI,
    FEAT_SSBS, FEAT_SB, FEAT_DIT, FEAT_FLAGM, FEAT_LOR, FEAT_LRCPC2,
    FEAT_COUNT
} CPUFeature;

/* System register key: op0:op1:CRn:CRm:op2, which is bits 20..5 of an
 * MRS/MSR encoding. */
#define SYSREG_KEY(op0, op1, crn, crm, op2) \
    ((uint32_t)(((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2)))

/* The value an EL0 MRS of an identification register reads under Linux
 * (MIDR_EL1, MPIDR_EL1, REVIDR_EL1, the ID space op0=3 op1=0 CRn=0 CRm=0,2..7
 * with unknown ones reading 0, CTR_EL0, DCZID_EL0).  False if the register
 * is not one of these (the caller then treats the MRS as undefined).
 * m = NULL means the default model. */
bool cpu_model_read_id_reg(const CPUModel *m, uint32_t key, uint64_t *val);

/* The "Features" line of /proc/cpuinfo (space-separated kernel names in
 * HWCAP order), written to buf; returns the length it needed. */
size_t cpu_model_feature_string(const CPUModel *m, char *buf, size_t size);

const CPUModel *cpu_model_find(const char *name);   /* NULL if unknown */
const CPUModel *cpu_model_default(void);
void cpu_model_list(void (*print)(const char *name, void *opaque), void *opaque);

/* Does model m (NULL: the default model) have feature f? */
static inline int cpu_model_has(const CPUModel *m, CPUFeature f)
{
    if (!m) {
        m = cpu_model_default();
    }
    return (int)((m->features >> f) & 1);
}

#endif
