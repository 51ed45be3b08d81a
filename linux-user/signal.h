/*
 * Guest signals: the process-wide dispositions, the per-thread state (mask,
 * pending signals, alternate stack), host signal handlers that queue what
 * arrives, and delivery of guest signals at instruction boundaries with
 * arm64 rt_sigframes (the frame itself is built in signal-frame.c).
 *
 * Model.  Guest signal N is host signal N.  The host's blocked mask mirrors
 * the guest's (apart from the synchronous signals ferry needs, which it
 * never blocks), so the host kernel queues blocked signals for us.  Only
 * signals the guest handles get a host handler; default and ignore are left
 * to the host kernel.  The host handler records the signal in the calling
 * thread's SignalThread, keeps it blocked on the host until the guest has
 * taken it (later instances stay queued in the host kernel), and sets
 * env->interrupt_request so translated code leaves at the next block entry.
 * The CPU loop then delivers it (signal_process_pending).
 */
#ifndef FERRY_LINUX_USER_SIGNAL_H
#define FERRY_LINUX_USER_SIGNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "linux-user/process.h"
#include "target/aarch64/cpu.h"

#define GUEST_NSIG 64                         /* signals 1..64; sigset_t is 8 bytes */
#define GUEST_SIGBIT(sig) (1ull << ((sig) - 1))
#define GUEST_SIG_DFL 0
#define GUEST_SIG_IGN 1
#define GUEST_SIGINFO_SIZE 128

/* arm64 sa_flags (the generic values, the same as x86-64's). */
#define GUEST_SA_NOCLDSTOP 0x00000001u
#define GUEST_SA_NOCLDWAIT 0x00000002u
#define GUEST_SA_SIGINFO   0x00000004u
#define GUEST_SA_RESTORER  0x04000000u
#define GUEST_SA_ONSTACK   0x08000000u
#define GUEST_SA_RESTART   0x10000000u
#define GUEST_SA_NODEFER   0x40000000u
#define GUEST_SA_RESETHAND 0x80000000u

#define GUEST_SS_ONSTACK 1
#define GUEST_SS_DISABLE 2
#define GUEST_SS_AUTODISARM (1u << 31)
#define GUEST_MINSIGSTKSZ 5120

/* Returned by a system call that was stopped before it started because a
 * signal is pending: always restarted after the signal (the kernel's
 * ERESTARTNOINTR). */
#define GUEST_ERESTART_NOINTR 513

/* The arm64 kernel's struct sigaction: handler, flags, restorer, mask. */
typedef struct GuestSigAction {
    uint64_t handler;
    uint64_t flags;
    uint64_t restorer;
    uint64_t mask;
} GuestSigAction;

/* Shared by all threads of a guest process (CLONE_SIGHAND). */
typedef struct SignalProcess {
    GuestSigAction action[GUEST_NSIG + 1];    /* index = signal number */
    const GuestImage *image;                  /* for the vDSO's __kernel_rt_sigreturn */
    uint64_t sigreturn_tramp;                 /* return address without SA_RESTORER, 0 until needed */
    pthread_mutex_t lock;                     /* changes of action[] */
    bool host_threads_ready;                  /* see signal_before_first_thread */
} SignalProcess;

/* One guest thread's signal state.  The host handler finds it through a
 * thread-local pointer (signal_thread_attach). */
typedef struct SignalThread {
    CPUState *env;
    SignalProcess *proc;
    uint64_t blocked;                 /* the guest's mask */
    uint64_t saved_blocked;           /* rt_sigsuspend: mask to restore */
    bool restore_saved;               /* ... after the next delivery */
    uint64_t altstack_sp, altstack_size;
    int32_t altstack_flags;           /* GUEST_SS_DISABLE when none */
    uint64_t pending;                 /* taken from the host, not delivered (atomic) */
    uint8_t info[GUEST_NSIG + 1][GUEST_SIGINFO_SIZE];
    /* A synchronous signal raised by the instruction at env->pc. */
    int sync_sig, sync_code;
    uint64_t sync_addr;
} SignalThread;

/* ---- set-up (signal.c) ---- */

/* The main thread: process and thread state, host handlers for the
 * synchronous signals.  Called by cpu_loop before the guest runs. */
SignalThread *signal_init_main(GuestProcess *proc, CPUState *env);
/* A new guest thread's state (CLONE_VM): inherits parent's mask, no
 * alternate stack, nothing pending.  Call signal_thread_attach on the new
 * host thread before it runs guest code. */
SignalThread *signal_thread_create(CPUState *env, const SignalThread *parent);
void signal_thread_attach(SignalThread *t);
/* Call before starting the process's first host thread (for the guest's
 * first thread): afterwards the host C library no longer changes signal
 * dispositions behind the guest's back. */
void signal_before_first_thread(SignalThread *t);
/* The calling host thread's state (NULL before attach). */
SignalThread *signal_thread_current(void);
/* Install the host handler for the synchronous signals (at start-up). */
void signal_host_install_sync(void);
/* In a fork child made without the C library's fork() (a clone whose exit
 * signal is not SIGCHLD): what fork() runs from its atfork handler. */
void signal_after_fork(void);

/* ---- dispositions and masks (signal.c) ---- */

/* Record a guest action and mirror it on the host. */
void signal_set_action(SignalProcess *sp, int sig, const GuestSigAction *act);
/* Set the guest mask (SIGKILL/SIGSTOP dropped) and the host's to match. */
void signal_set_blocked(SignalThread *t, uint64_t mask);
/* Make the host mask match the guest's (plus signals held for delivery). */
void signal_sync_host_mask(const SignalThread *t);
/* Signals ferry holds for the guest, not delivered yet. */
uint64_t signal_pending_mask(const SignalThread *t);
/* Take a held signal from `set` (lowest first) with its siginfo; 0 if none. */
int signal_dequeue(SignalThread *t, uint64_t set, void *info);

/* ---- delivery (signal.c) ---- */

/* A synchronous signal for the instruction at env->pc (SIGILL, SIGTRAP,
 * SIGSEGV, SIGBUS); delivered by the next signal_process_pending.  If it
 * is blocked or ignored it kills the process, as on Linux. */
void signal_raise_sync(SignalThread *t, int sig, int code, uint64_t addr);
/* Does the guest have a handler for sig that it does not block? */
bool signal_guest_handles(const SignalThread *t, int sig);
/* Deliver what is pending at this instruction boundary (the CPU loop calls
 * it on every exit that may carry a signal). */
void signal_process_pending(SignalThread *t);

/* A system call returned -EINTR or -GUEST_ERESTART_NOINTR.  True if it
 * must be restarted (the caller leaves x0 alone and sets pc back to the
 * SVC) — SA_RESTART semantics; `restartable` is false for the calls Linux
 * never restarts after a handler (poll, sleeps, sigsuspend, ...). */
bool signal_syscall_should_restart(const SignalThread *t, int64_t ret, bool restartable);

/* ---- frames (signal-frame.c) ---- */

/* Build the rt_sigframe for sig and point env at the handler.  old_mask
 * goes into uc_sigmask.  False if the frame could not be written. */
bool signal_frame_setup(SignalThread *t, int sig, const GuestSigAction *act,
                        const uint8_t *info, uint64_t old_mask, uint64_t fault_addr);
/* rt_sigreturn: restore registers, NZCV, FP/SIMD state, mask and
 * alternate stack from the frame at SP.  False if the frame is bad. */
bool signal_frame_return(SignalThread *t);
/* Guest address of the sigreturn trampoline: the vDSO's, or a page of
 * ferry's own mapped on first use when there is no vDSO. */
uint64_t signal_sigreturn_trampoline(SignalProcess *sp);

/* sigaltstack for the guest: 0 or -errno.  ss/old are guest stack_t
 * values (NULL when absent); sp is the guest's current SP. */
typedef struct GuestStack {
    uint64_t sp;
    int32_t flags;
    int32_t pad;
    uint64_t size;
} GuestStack;
int signal_altstack(SignalThread *t, const GuestStack *ss, GuestStack *old);

#endif
