/*
 * Exclusive sections of the execution engine: work that must not run while
 * another thread is inside translated code (a whole-cache flush, which lets
 * new code overwrite old).  Every thread inside cpu_exec is "running"; an
 * exclusive section kicks them out of translated code (interrupt_request,
 * checked at every block entry) and waits until each has left cpu_exec or
 * parked at the dispatcher's safe point.  Threads in system calls are not
 * running, so a blocked syscall never delays a flush.
 */
#ifndef FERRY_TCG_EXCLUSIVE_H
#define FERRY_TCG_EXCLUSIVE_H

#include <stdbool.h>
#include "target/aarch64/cpu.h"

/* cpu_exec's entry and exit (the entry waits while a section runs). */
void exclusive_cpu_enter(CPUState *env);
void exclusive_cpu_leave(CPUState *env);

/* Is a section waiting?  Checked by the dispatcher between blocks... */
bool exclusive_requested(void);
/* ...which then parks here until it is over (holding no TB pointers). */
void exclusive_park(CPUState *env);

/* Run fn(opaque) while no other thread runs translated code.  self is the
 * caller's CPU when it calls from inside cpu_exec, else NULL. */
void exclusive_run(CPUState *self, void (*fn)(void *opaque), void *opaque);

/* In a fork child: only the forking thread exists, and it is in a system
 * call, not running. */
void exclusive_after_fork_child(void);

#endif
