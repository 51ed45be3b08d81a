/*
 * The CPU loop: run translated guest code and handle each exit from it in
 * C — system calls, undefined instructions, breakpoints, faults, pending
 * host signals.  Every exception becomes a guest signal (linux-user/signal.c)
 * delivered at the top of the loop, before guest code runs again.
 */
#include "linux-user/process.h"

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "linux-user/guest-mem.h"
#include "linux-user/log.h"
#include "linux-user/signal.h"
#include "linux-user/thread.h"
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

_Noreturn void cpu_loop(GuestProcess *proc, CPUState *env)
{
    const CPUModel *model = proc->cpu_name ? cpu_model_find(proc->cpu_name) : NULL;
    ExecOptions opts = {
        .log_mask = ferry_log_mask,
        .model = model ? model : cpu_model_default(),
        .max_insns = proc->max_insns,
        .perfmap = proc->perfmap,
        .tcache = proc->tcache,
        .guest_elf = proc->exe_path,
        .guest_load_bias = proc->image.load_bias,
    };
    exec_init(&opts);
    SignalThread *sig = signal_init_main(proc, env);
    if (env->opaque)
        guest_thread(env)->sig = sig;
    cpu_loop_run(proc, env);
}

/* The thread's signal state; every thread attaches one before it runs. */
static SignalThread *thread_signals(void)
{
    SignalThread *t = signal_thread_current();
    if (!t) {
        fprintf(stderr, "ferry-aarch64: internal error: guest thread without signal state\n");
        abort();
    }
    return t;
}

_Noreturn void cpu_loop_run(GuestProcess *proc, CPUState *env)
{
    SignalThread *sig = thread_signals();
    for (;;) {
        if (env->interrupt_request)
            signal_process_pending(sig);
        int reason = cpu_exec(env);
        switch (reason) {
        case EXIT_SVC:
            syscall_dispatch(proc, env);
            break;
        case EXIT_UDEF:
            if (!signal_guest_handles(sig, SIGILL))
                report_undefined(env, true);
            else if (log_enabled(LOG_UNIMP))
                report_undefined(env, false);
            signal_raise_sync(sig, SIGILL, ILL_ILLOPC, env->pc);
            break;
        case EXIT_HLT:
            /* HLT is undefined at EL0: the kernel sends SIGILL. */
            signal_raise_sync(sig, SIGILL, ILL_ILLOPC, env->pc);
            break;
        case EXIT_BRK:
            signal_raise_sync(sig, SIGTRAP, TRAP_BRKPT, env->pc);
            break;
        case EXIT_FAULT:
            /* Instruction fetch from an address the guest cannot execute:
             * si_code from the guest map (filled in at delivery); or from
             * a page of a file mapping past the end of the file. */
            if (env->exit_info == SIGBUS)
                signal_raise_sync(sig, SIGBUS, BUS_ADRERR, env->pc);
            else
                signal_raise_sync(sig, SIGSEGV, 0, env->pc);
            break;
        case EXIT_INTERRUPT:
            /* Pending host signal or a fault in translated code: handled
             * at the top of the loop. */
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
