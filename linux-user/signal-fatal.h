/*
 * Guest signals whose action is to kill the process: ferry dies of the
 * same signal so the parent sees exactly what a native arm64 run would
 * show.  Also the start-up of the host handler (linux-user/signal.c) that
 * tells a guest fault in translated code from a bug in ferry.
 */
#ifndef FERRY_LINUX_USER_SIGNAL_FATAL_H
#define FERRY_LINUX_USER_SIGNAL_FATAL_H

#include <stdint.h>
#include "target/aarch64/cpu.h"

/* Install the host handlers for SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP
 * (running on an alternate stack). */
void fatal_signals_init(void);
/* Give the calling thread its own alternate signal stack. */
void fatal_signals_thread_init(void);

/* Terminate ferry by sig with the default action (no core dump). */
_Noreturn void guest_die_by_signal(int sig);

/* A guest signal whose action is the default "terminate" (code, addr: its
 * si_code and si_addr, logged under -d unimp). */
_Noreturn void guest_signal_fatal(CPUState *env, int sig, int code, uint64_t addr);

#endif
