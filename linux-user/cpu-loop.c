/*
 * The CPU loop: run translated guest code and handle each exit from it in
 * C — system calls, undefined instructions, breakpoints, faults, pending
 * host signals.
 */
#include "linux-user/process.h"

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <glib.h>

#include "linux-user/guest-mem.h"
#include "linux-user/log.h"
#include "linux-user/signal-fatal.h"
#include "syscall/syscall.h"
#include "target/aarch64/cpu-model.h"
#include "tcg/disas.h"
#include "tcg/exec.h"

/* "unsupported or undefined instruction at PC ...", in the log under
 * -d unimp, and on stderr when the guest is about to die of it. */
static void report_undefined(const CPUState *env, bool to_stderr)
{
    uint32_t insn = (uint32_t)env->exit_info;
    char text[160];
    if (!disas_guest_insn(insn, env->pc, text, sizeof text))
        snprintf(text, sizeof text, "unallocated");
    g_strchomp(text);
    const char *fmt = "ferry-aarch64: unsupported or undefined instruction at PC 0x%" PRIx64 ": 0x%08x (%s)\n";
    bool logged = log_enabled(LOG_UNIMP);
    if (logged) ferry_log(fmt, env->pc, insn, text);
    if (to_stderr && !(logged && (!ferry_log_file || ferry_log_file == stderr)))
        fprintf(stderr, fmt, env->pc, insn, text);
}

static int fault_code(uint64_t addr)
{
    return guest_range_ok(addr, 1, 0) ? SEGV_ACCERR : SEGV_MAPERR;
}

_Noreturn void cpu_loop(GuestProcess *proc, CPUState *env)
{
    const CPUModel *model = proc->cpu_name ? cpu_model_find(proc->cpu_name) : NULL;
    ExecOptions opts = {
        .log_mask = ferry_log_mask,
        .model = model ? model : cpu_model_default(),
        .max_insns = proc->max_insns,
    };
    exec_init(&opts);
    cpu_loop_run(proc, env);
}

_Noreturn void cpu_loop_run(GuestProcess *proc, CPUState *env)
{
    for (;;) {
        int reason = cpu_exec(env);
        switch (reason) {
        case EXIT_SVC:
            syscall_dispatch(proc, env);
            break;
        case EXIT_UDEF:
            /* No guest handlers yet: the SIGILL is always fatal. */
            report_undefined(env, true);
            guest_signal_fatal(env, SIGILL, ILL_ILLOPC, env->pc);
        case EXIT_HLT:
            /* HLT is undefined at EL0: the kernel sends SIGILL. */
            guest_signal_fatal(env, SIGILL, ILL_ILLOPC, env->pc);
        case EXIT_BRK:
            guest_signal_fatal(env, SIGTRAP, TRAP_BRKPT, env->pc);
        case EXIT_FAULT:
            guest_signal_fatal(env, SIGSEGV, fault_code(env->exit_info), env->exit_info);
        case EXIT_INTERRUPT:
            env->interrupt_request = 0;
            break;
        case EXIT_ISB_FLUSH:
            break;
        default:
            fprintf(stderr, "ferry-aarch64: internal error: unknown exit %d from translated code at PC 0x%" PRIx64 "\n",
                    reason, env->pc);
            abort();
        }
    }
}
