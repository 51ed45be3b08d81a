/*
 * CPU models selectable with -cpu: what each advertises in HWCAP/HWCAP2,
 * /proc/cpuinfo and the ID registers that MRS reads, and the feature bits the
 * translator checks before accepting an optional instruction.
 */
#ifndef FERRY_TARGET_AARCH64_CPU_MODEL_H
#define FERRY_TARGET_AARCH64_CPU_MODEL_H

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

const CPUModel *cpu_model_find(const char *name);   /* NULL if unknown */
const CPUModel *cpu_model_default(void);
void cpu_model_list(void (*print)(const char *name, void *opaque), void *opaque);

#endif
