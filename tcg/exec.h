/*
 * The execution engine's interface to the rest of ferry: translate guest
 * code on demand, run it, and come back to C only for exits (system calls,
 * exceptions, pending signals).
 */
#ifndef FERRY_TCG_EXEC_H
#define FERRY_TCG_EXEC_H

#include <stdbool.h>
#include <stdint.h>
#include "target/aarch64/cpu.h"
#include "target/aarch64/cpu-model.h"

/* Why translated code returned to C.  env->pc and env->exit_info say where
 * and what (see each). */
typedef enum ExitReason {
    EXIT_SVC = 1,      /* SVC #imm: env->pc = next insn, exit_info = imm16 */
    EXIT_BRK,          /* BRK #imm: env->pc = the BRK,  exit_info = imm16 */
    EXIT_UDEF,         /* unallocated/unimplemented: env->pc = insn, exit_info = encoding */
    EXIT_HLT,          /* HLT #imm: env->pc = the HLT,   exit_info = imm16 */
    EXIT_INTERRUPT,    /* env->interrupt_request was set: env->pc = next to run */
    EXIT_FAULT,        /* instruction fetch fault: env->pc = the unmapped/non-executable address */
    EXIT_ISB_FLUSH,    /* code was invalidated under us: resume at env->pc */
} ExitReason;

typedef struct ExecOptions {
    uint64_t log_mask;          /* LOG_* bits from linux-user/log.h */
    size_t code_cache_size;     /* bytes; 0 = default */
    const CPUModel *model;      /* -cpu; NULL = cpu_model_default() */
    unsigned max_insns;         /* guest insns per block; 0 = default (-one-insn-per-tb: 1) */
    bool perfmap;               /* -perfmap / FERRY_PERFMAP: write /tmp/perf-PID.map */
    const char *guest_elf;      /* the guest program, for -perfmap's symbol names (may be NULL) */
    uint64_t guest_load_bias;   /* where an ET_DYN guest_elf was placed */
    const char *tcache;         /* -tcache DIR or "off" (NULL: the default directory) */
} ExecOptions;

/* Once per process, before the first cpu_exec. */
void exec_init(const ExecOptions *opts);

/* The process is about to exit or execve: keep what it translated for the
 * next run of the same program (tcg/tcache.h). */
void exec_before_exit(void);

/* Run guest code from env->pc until an exit; returns its ExitReason. */
int cpu_exec(CPUState *env);

/*
 * FPCR.FZ (flush denormals to zero) sends every FP operation down a slow
 * path.  Translations assume it clear, with no check at all, until a guest
 * thread sets it: exec_note_fpcr (called wherever env->fpcr changes) then
 * makes that thread come back to cpu_exec, which drops every translation,
 * and from then on FP code checks FPCR.FZ.
 */
void exec_note_fpcr(CPUState *env);

/* Around a fork of a child process (not a thread): before it, the process
 * translates what its earlier children translated for themselves (so the
 * next child inherits those blocks) and freezes its code for sharing with
 * the child; after it, exec_after_fork_parent in the parent and
 * exec_after_fork in the child.  libc's fork() runs them (pthread_atfork);
 * a raw clone syscall must call them. */
void exec_before_fork(void);
void exec_after_fork_parent(void);
bool exec_fz_possible(void);

/* Guest code was mapped at [start, start+len): translations kept from an
 * earlier run of the program may be used there now (tcg/tcache.h). */
void exec_code_mapped(uint64_t start, uint64_t len);

/* Drop all translations of guest code in [start, start+len). */
void tb_invalidate_range(uint64_t start, uint64_t len);
/* Drop everything. */
void tb_flush_all(void);

/* In a child made by fork/clone without CLONE_VM: give it code memory of its
 * own for new translations (runs automatically after libc's fork(); call it
 * after a raw clone syscall).  A no-op when already done. */
void exec_after_fork(void);

/* For a host signal handler that interrupted translated code: resuming the
 * host context at this address with rax = an ExitReason (and r15 = env
 * untouched) leaves translated code as if that exit had been taken; the
 * pinned guest registers are stored to env on the way out.  Set env->pc and
 * env->exit_info first (tb_host_pc_to_guest gives the guest PC). */
uintptr_t exec_exit_address(void);

#endif
