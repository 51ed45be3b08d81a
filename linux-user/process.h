/*
 * One guest process: what the loader produced and what the syscall layer
 * needs to know about it.  Passed around explicitly, not a global.
 */
#ifndef FERRY_LINUX_USER_PROCESS_H
#define FERRY_LINUX_USER_PROCESS_H

#include <stdbool.h>
#include <stdint.h>
#include "target/aarch64/cpu.h"

typedef struct GuestImage {
    uint64_t entry;          /* program entry (or interpreter's) */
    uint64_t load_bias;      /* ET_DYN: where it was placed; ET_EXEC: 0 */
    uint64_t prog_entry;     /* AT_ENTRY: the program's own entry */
    uint64_t interp_base;    /* AT_BASE: where the ELF interpreter was placed, or 0 */
    uint64_t phdr, phnum, phent;
    uint64_t start_code, end_code, start_data, end_data, brk_start;
    uint64_t stack_top, sp;  /* initial guest SP (argc) */
    uint64_t auxv, auxv_len; /* guest address and size of the auxv on the stack */
    uint64_t arg_start, arg_end, env_start, env_end;
    bool exec_stack;         /* PT_GNU_STACK asked for PF_X */
    uint64_t vdso_base;      /* AT_SYSINFO_EHDR: where the vDSO is mapped, or 0 */
} GuestImage;

typedef struct GuestProcess {
    char *exe_path;          /* absolute host path of the guest program */
    char *sysroot;           /* -L, or NULL */
    int argc;
    char **argv;             /* guest argv (argv[0] as the guest sees it) */
    GuestImage image;
    uint64_t hwcap, hwcap2;
    uint64_t features;       /* CPU model feature bits */
    const char *cpu_name;
    bool strace;
    bool perfmap;            /* -perfmap */
    const char *tcache;      /* -tcache DIR|off, or NULL */
    unsigned max_insns;      /* per translation block; 0 = default, 1 = -one-insn-per-tb */
    uint64_t log_mask;       /* -d items (also in ferry_log_mask) */
    CPUState *cpu;           /* the main thread's CPU */
    struct SyscallState *sys; /* syscall layer's state; NULL until the first syscall */
    struct ThreadGroup *threads; /* linux-user/thread.c: the live guest threads */
} GuestProcess;

/* Run the guest until it exits; never returns. */
_Noreturn void cpu_loop(GuestProcess *proc, CPUState *env);
/* The same for a further thread, once cpu_loop has set up the execution
 * engine. */
_Noreturn void cpu_loop_run(GuestProcess *proc, CPUState *env);

#endif
