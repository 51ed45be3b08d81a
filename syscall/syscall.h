/*
 * The guest system-call layer: called by the CPU loop for every SVC.
 */
#ifndef FERRY_SYSCALL_H
#define FERRY_SYSCALL_H

#include "linux-user/process.h"
#include "target/aarch64/cpu.h"

/* Perform the system call described by env (number in X8, arguments in
 * X0..X5) and put the result in X0.  exit/exit_group do not return. */
void syscall_dispatch(GuestProcess *proc, CPUState *env);

#endif
