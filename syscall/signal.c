/*
 * Guest signal system calls: rt_sigaction, rt_sigprocmask, rt_sigpending,
 * rt_sigsuspend, rt_sigtimedwait, sigaltstack and rt_sigreturn.  The state
 * they act on (dispositions, the calling thread's mask, queue and
 * alternate stack) and delivery live in linux-user/signal.c; kill, tgkill
 * and rt_sigqueueinfo pass straight to the host (same numbers, same
 * siginfo layout).
 *
 * Sleeping calls go through safe_syscall with the thread's
 * interrupt_request as the flag, so a signal that arrives after ferry
 * checked its queue still wakes them.
 */
#include "syscall/syscall-internal.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "host/x86_64/signal-host.h"
#include "linux-user/guest-mem.h"
#include "linux-user/signal.h"

#define UNBLOCKABLE (GUEST_SIGBIT(SIGKILL) | GUEST_SIGBIT(SIGSTOP))

/* The calling thread's state; a thread that never ran the CPU loop (unit
 * tests) gets the process's first one. */
static SignalThread *thread_sig(SysCall *sc)
{
    SignalThread *t = signal_thread_current();
    return t ? t : signal_init_main(sc->proc, sc->env);
}

int64_t sys_rt_sigaction(SysCall *sc, const uint64_t *a)
{
    SignalThread *t = thread_sig(sc);
    int sig = (int)a[0];
    GuestSigAction act, old;

    if (a[3] != 8)
        return -EINVAL;
    if (sig < 1 || sig > GUEST_NSIG)
        return -EINVAL;
    if (a[1] && (sig == SIGKILL || sig == SIGSTOP))
        return -EINVAL;
    if (a[1] && copy_from_guest(&act, a[1], sizeof(act)) != 0)
        return -EFAULT;
    old = t->proc->action[sig];
    if (a[2] && copy_to_guest(a[2], &old, sizeof(old)) != 0)
        return -EFAULT;
    if (a[1])
        signal_set_action(t->proc, sig, &act);
    return 0;
}

int64_t sys_rt_sigprocmask(SysCall *sc, const uint64_t *a)
{
    SignalThread *t = thread_sig(sc);
    uint64_t old = t->blocked, set, blocked = t->blocked;

    if (a[3] != 8)
        return -EINVAL;
    if (a[1]) {
        if (copy_from_guest(&set, a[1], sizeof(set)) != 0)
            return -EFAULT;
        switch ((int)a[0]) {
        case SIG_BLOCK:   blocked |= set; break;
        case SIG_UNBLOCK: blocked &= ~set; break;
        case SIG_SETMASK: blocked = set; break;
        default:          return -EINVAL;
        }
    }
    if (a[2] && copy_to_guest(a[2], &old, sizeof(old)) != 0)
        return -EFAULT;
    if (a[1])
        signal_set_blocked(t, blocked);
    return 0;
}

int64_t sys_rt_sigpending(SysCall *sc, const uint64_t *a)
{
    SignalThread *t = thread_sig(sc);
    uint64_t host = 0;

    if (a[1] != 8)
        return -EINVAL;
    syscall(SYS_rt_sigpending, &host, 8);
    uint64_t set = (host | signal_pending_mask(t)) & t->blocked;
    return copy_to_guest(a[0], &set, sizeof(set)) != 0 ? -EFAULT : 0;
}

/* Wait until a signal the temporary mask lets through is pending, then
 * return -EINTR; delivery restores the old mask after the handler. */
int64_t sys_rt_sigsuspend(SysCall *sc, const uint64_t *a)
{
    SignalThread *t = thread_sig(sc);
    uint64_t mask;

    if (a[1] != 8)
        return -EINVAL;
    if (copy_from_guest(&mask, a[0], sizeof(mask)) != 0)
        return -EFAULT;
    t->saved_blocked = t->blocked;
    t->restore_saved = true;
    signal_set_blocked(t, mask);
    for (;;) {
        __atomic_store_n(&sc->env->interrupt_request, 0, __ATOMIC_SEQ_CST);
        if ((signal_pending_mask(t) & ~t->blocked) || t->sync_sig)
            break;
        uint64_t host_mask = (t->blocked | signal_pending_mask(t)) & ~UNBLOCKABLE;
        safe_syscall(&sc->env->interrupt_request, SYS_rt_sigsuspend,
                     (uint64_t)(uintptr_t)&host_mask, 8, 0, 0, 0, 0);
    }
    __atomic_store_n(&sc->env->interrupt_request, 1, __ATOMIC_SEQ_CST);
    return -EINTR;
}

/* Take a signal of `set` from ferry's queue or, failing that, from the
 * host kernel's (where blocked signals wait). */
int64_t sys_rt_sigtimedwait(SysCall *sc, const uint64_t *a)
{
    SignalThread *t = thread_sig(sc);
    uint64_t set;
    uint8_t info[GUEST_SIGINFO_SIZE];

    if (a[3] != 8)
        return -EINVAL;
    if (copy_from_guest(&set, a[0], sizeof(set)) != 0)
        return -EFAULT;
    set &= ~UNBLOCKABLE;
    if (a[2] && !guest_range_ok(a[2], 16, PROT_READ))
        return -EFAULT;
    for (;;) {
        int sig = signal_dequeue(t, set, info);
        if (sig) {
            signal_sync_host_mask(t);
            if (a[1] && copy_to_guest(a[1], info, sizeof(info)) != 0)
                return -EFAULT;
            return sig;
        }
        memset(info, 0, sizeof(info));
        int64_t r = safe_syscall(&sc->env->interrupt_request, SYS_rt_sigtimedwait,
                                 (uint64_t)(uintptr_t)&set, (uint64_t)(uintptr_t)info,
                                 a[2] ? (uint64_t)(uintptr_t)g2h(a[2]) : 0, 8, 0, 0);
        if (r > 0) {
            if (a[1] && copy_to_guest(a[1], info, sizeof(info)) != 0)
                return -EFAULT;
            return r;
        }
        if (r != -EINTR && r != -GUEST_ERESTART_NOINTR)
            return r;
        /* Interrupted: by one of `set` (now in ferry's queue), or by
         * another signal, which the guest gets with -EINTR. */
        if (!(signal_pending_mask(t) & set))
            return -EINTR;
    }
}

int64_t sys_sigaltstack(SysCall *sc, const uint64_t *a)
{
    SignalThread *t = thread_sig(sc);
    GuestStack ss, old;

    if (a[0] && copy_from_guest(&ss, a[0], sizeof(ss)) != 0)
        return -EFAULT;
    if (a[1]) {
        signal_altstack(t, NULL, &old);
        if (!guest_range_ok(a[1], sizeof(old), PROT_WRITE))
            return -EFAULT;
    }
    int r = signal_altstack(t, a[0] ? &ss : NULL, NULL);
    if (r == 0 && a[1])
        copy_to_guest(a[1], &old, sizeof(old));
    return r;
}

/* Returns the restored x0, so the dispatcher's "x0 = result" keeps it. */
int64_t sys_rt_sigreturn(SysCall *sc, const uint64_t *a)
{
    SignalThread *t = thread_sig(sc);
    if (!signal_frame_return(t)) {
        uint64_t sp = sc->env->x[GREG_SP];
        signal_raise_sync(t, SIGSEGV, 0, sp);
        return (int64_t)sc->env->x[0];
    }
    return (int64_t)sc->env->x[0];
}

/* arm64 numbers of the calls that return -EINTR after a handler even with
 * SA_RESTART (the kernel's ERESTARTNOHAND / ERESTART_RESTARTBLOCK / plain
 * EINTR cases). */
bool syscall_never_restarted(uint64_t nr)
{
    switch (nr) {
    case 4:     /* io_getevents */
    case 22:    /* epoll_pwait */
    case 72:    /* pselect6 */
    case 73:    /* ppoll */
    case 101:   /* nanosleep */
    case 115:   /* clock_nanosleep */
    case 133:   /* rt_sigsuspend */
    case 137:   /* rt_sigtimedwait */
    case 188:   /* msgrcv */
    case 189:   /* msgsnd */
    case 192:   /* semtimedop */
    case 193:   /* semop */
    case 292:   /* io_pgetevents */
    case 441:   /* epoll_pwait2 */
        return true;
    default:
        return false;
    }
}
