/*
 * Synchronous guest signals at this stage of ferry: SIGILL, SIGSEGV,
 * SIGTRAP and SIGBUS raised by guest code always take the default action,
 * so ferry dies of the same signal and the parent sees exactly what a
 * native arm64 run would show.  Also the host SIGSEGV/SIGBUS handler that
 * tells a guest fault in translated code from a bug in ferry.
 */
#ifndef FERRY_LINUX_USER_SIGNAL_FATAL_H
#define FERRY_LINUX_USER_SIGNAL_FATAL_H

#include <stdint.h>
#include "target/aarch64/cpu.h"

/* Install the host SIGSEGV/SIGBUS handlers on an alternate stack. */
void fatal_signals_init(void);
/* Give the calling thread its own alternate signal stack. */
void fatal_signals_thread_init(void);

/* Terminate ferry by sig with the default action (no core dump). */
_Noreturn void guest_die_by_signal(int sig);

/* A synchronous signal for the guest (code: ILL_ILLOPC, SEGV_MAPERR, ...;
 * addr: si_addr).  Guest handlers are not supported yet: default action. */
_Noreturn void guest_signal_fatal(CPUState *env, int sig, int code, uint64_t addr);

#endif
