/*
 * The guest vDSO: a small arm64 shared object (linux-user/vdso/) built with
 * ferry and mapped into every guest as "[vdso]", announced by
 * AT_SYSINFO_EHDR.  It exports __kernel_rt_sigreturn, __kernel_clock_gettime,
 * __kernel_gettimeofday and __kernel_clock_getres (version LINUX_2.6.39).
 */
#ifndef FERRY_LINUX_USER_VDSO_H
#define FERRY_LINUX_USER_VDSO_H

#include <stdbool.h>
#include <stdint.h>
#include "linux-user/process.h"

/* Map the vDSO into the guest address space and set img->vdso_base.  Without
 * a built-in vDSO (no cross compiler at build time) or when the mapping
 * fails, vdso_base stays 0 and the guest runs without one. */
bool vdso_map(GuestImage *img);

/* Guest address of an exported vDSO symbol, or 0 (no vDSO, no such name). */
uint64_t vdso_symbol(const GuestImage *img, const char *name);

/* Guest address of __kernel_rt_sigreturn (the return address a signal
 * frame gets when the handler has no SA_RESTORER), or 0 without a vDSO. */
uint64_t vdso_sigreturn_addr(const GuestImage *img);

#endif
