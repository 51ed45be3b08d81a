/*
 * The x86-64 host's side of guest signals: raw host sigaction with ferry's
 * own restorer, the interruptible system-call stub, and access to the
 * registers in a host signal context.
 */
#ifndef FERRY_HOST_X86_64_SIGNAL_HOST_H
#define FERRY_HOST_X86_64_SIGNAL_HOST_H

#include <stdint.h>

/* The host kernel's struct sigaction (x86-64): handler, flags, restorer,
 * mask (8 bytes, so signals 32 and 33 can be named too). */
typedef struct HostKSigAction {
    uint64_t handler, flags, restorer, mask;
} HostKSigAction;

/* rt_sigaction on the host; a handler gets ferry's restorer.  0 or -errno. */
int host_sigaction(int sig, const HostKSigAction *act, HostKSigAction *old);
/* rt_sigprocmask on the host with a full 64-bit mask.  0 or -errno. */
int host_sigprocmask(int how, const uint64_t *set, uint64_t *old);

/*
 * System call `nr` that is never started while *flag is non-zero: the
 * check and the `syscall` instruction form a range that a host signal
 * handler rewinds (host_signal_rewind_syscall), so a signal arriving after
 * the check makes the call return -GUEST_ERESTART_NOINTR (513) instead of
 * sleeping.  Returns the raw kernel result (-errno on failure).
 */
int64_t safe_syscall(volatile int32_t *flag, long nr, uint64_t a0, uint64_t a1,
                     uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);

/* In a host signal handler, with the handler's ucontext: */
uintptr_t host_context_pc(const void *uc);
void host_context_set_pc(void *uc, uintptr_t pc);
void host_context_set_result(void *uc, uint64_t rax);
/* Load the pinned host registers in `borrowed` (bits by register number)
 * with their guest registers' values from env. */
struct CPUState;
void host_context_restore_borrowed(void *uc, uint16_t borrowed, const struct CPUState *env);
/* If the context is inside safe_syscall before its system call ran, make
 * it return "interrupted" instead. */
void host_signal_rewind_syscall(void *uc);
/* Keep sig blocked when the handler returns. */
void host_context_block(void *uc, int sig);
/* The signal mask the interrupted code ran with. */
uint64_t host_context_sigmask(const void *uc);

#endif
