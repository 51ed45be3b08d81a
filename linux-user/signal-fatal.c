/*
 * Fatal guest signals and the host fault handler (see signal-fatal.h).
 */
#include "linux-user/signal-fatal.h"

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <ucontext.h>
#include <unistd.h>

#include "linux-user/log.h"
#include "tcg/tb.h"

#define ALT_STACK_SIZE (64 * 1024)

_Noreturn void guest_die_by_signal(int sig)
{
    struct rlimit no_core = { 0, 0 };
    sigset_t set;

    if (ferry_log_file) fflush(ferry_log_file);
    setrlimit(RLIMIT_CORE, &no_core);
    signal(sig, SIG_DFL);
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(sig);
    _exit(128 + sig);                /* only if the signal did not kill us */
}

_Noreturn void guest_signal_fatal(CPUState *env, int sig, int code, uint64_t addr)
{
    if (log_enabled(LOG_UNIMP))
        ferry_log("guest signal %d (%s), code %d, at PC 0x%" PRIx64 ", address 0x%" PRIx64
                  ": no handler, default action\n", sig, strsignal(sig), code, env->pc, addr);
    guest_die_by_signal(sig);
}

static void host_fault_handler(int sig, siginfo_t *si, void *ucontext)
{
    ucontext_t *uc = ucontext;
    uintptr_t host_pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
    uint64_t guest_pc;

    if (tb_host_pc_to_guest(host_pc, &guest_pc)) {
        /* The guest's own access faulted: the guest gets the signal. */
        if (log_enabled(LOG_UNIMP))
            ferry_log("guest signal %d (%s), code %d, at PC 0x%" PRIx64 ", address %p\n",
                      sig, strsignal(sig), si->si_code, guest_pc, si->si_addr);
        guest_die_by_signal(sig);
    }
    char msg[256];
    int n = snprintf(msg, sizeof msg,
                     "ferry-aarch64: internal error: %s at host PC %#" PRIxPTR " (address %p) outside translated code\n",
                     sig == SIGBUS ? "SIGBUS" : "SIGSEGV", host_pc, si->si_addr);
    if (n > 0) (void)!write(STDERR_FILENO, msg, (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1);
    signal(SIGABRT, SIG_DFL);
    abort();
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
    struct sigaction sa = { 0 };
    fatal_signals_thread_init();
    sa.sa_sigaction = host_fault_handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
}
