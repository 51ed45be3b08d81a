/*
 * Fatal guest signals: dying by the guest's signal, and the start-up of
 * the host handlers for faults (see signal-fatal.h; the handler itself is
 * in signal.c).
 */
#include "linux-user/signal-fatal.h"

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "host/x86_64/signal-host.h"
#include "linux-user/log.h"
#include "linux-user/signal.h"

#define ALT_STACK_SIZE (64 * 1024)

_Noreturn void guest_die_by_signal(int sig)
{
    struct rlimit no_core = { 0, 0 };
    HostKSigAction dfl = { .handler = (uint64_t)(uintptr_t)SIG_DFL };
    uint64_t only = 1ull << (sig - 1);

    if (ferry_log_file) fflush(ferry_log_file);
    setrlimit(RLIMIT_CORE, &no_core);
    /* Raw calls: the C library refuses signals 32 and 33. */
    host_sigaction(sig, &dfl, NULL);
    host_sigprocmask(SIG_UNBLOCK, &only, NULL);
    syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), sig);
    _exit(128 + sig);                /* only if the signal did not kill us */
}

_Noreturn void guest_signal_fatal(CPUState *env, int sig, int code, uint64_t addr)
{
    if (log_enabled(LOG_UNIMP))
        ferry_log("guest signal %d (%s), code %d, at PC 0x%" PRIx64 ", address 0x%" PRIx64
                  ": no handler, default action\n", sig, strsignal(sig), code, env->pc, addr);
    guest_die_by_signal(sig);
}

void fatal_signals_thread_init(void)
{
    stack_t ss = { 0 };
    ss.ss_sp = mmap(NULL, ALT_STACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (ss.ss_sp == MAP_FAILED) return;
    ss.ss_size = ALT_STACK_SIZE;
    sigaltstack(&ss, NULL);
}

void fatal_signals_init(void)
{
    fatal_signals_thread_init();
    signal_host_install_sync();
}
