/*
 * Guest signal system calls, recording stage: rt_sigaction, rt_sigprocmask
 * and sigaltstack keep the guest's view (handlers, blocked mask, alternate
 * stack) in SyscallState.sig for the signal-delivery code to use.  Until
 * delivery exists, the host is told only what it can do on the guest's
 * behalf: ignoring a signal (SIG_IGN) and blocking it.  A guest handler
 * leaves the host action at its default.  Signals ferry itself relies on
 * (synchronous faults) and the host C library's internal ones are never
 * blocked or changed on the host.
 */
#include "syscall/syscall-internal.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "linux-user/guest-mem.h"

#define GUEST_SIG_DFL 0
#define GUEST_SIG_IGN 1
#define GUEST_SS_ONSTACK 1
#define GUEST_SS_DISABLE 2
#define GUEST_SS_AUTODISARM (1u << 31)
#define GUEST_MINSIGSTKSZ 5120       /* arm64's, larger than x86-64's */
#define SIGBIT(sig) (1ull << ((sig) - 1))

/* Signals whose host action and mask stay ferry's: faults ferry turns into
 * guest signals, and the two the host C library reserves (32, 33). */
static bool host_reserved(int sig)
{
    return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE ||
           sig == SIGTRAP || sig == 32 || sig == 33;
}

static uint64_t host_reserved_mask(void)
{
    uint64_t m = 0;
    for (int sig = 1; sig <= GUEST_NSIG; sig++)
        if (host_reserved(sig))
            m |= SIGBIT(sig);
    return m;
}

/* The host's kernel sigaction layout (x86-64): handler, flags, restorer,
 * mask. */
struct host_ksigaction {
    uint64_t handler, flags, restorer, mask;
};

void guest_signals_init(GuestSignals *sig)
{
    uint64_t mask = 0;

    memset(sig, 0, sizeof(*sig));
    /* Ignored signals and the blocked mask survive execve: inherit them. */
    for (int s = 1; s <= GUEST_NSIG; s++) {
        struct host_ksigaction old;
        if (host_reserved(s))
            continue;
        if (syscall(SYS_rt_sigaction, s, NULL, &old, 8) == 0 &&
            old.handler == (uint64_t)(uintptr_t)SIG_IGN)
            sig->action[s].handler = GUEST_SIG_IGN;
    }
    if (syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &mask, 8) == 0)
        sig->blocked = mask & ~(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP));
    sig->altstack_flags = GUEST_SS_DISABLE;
}

/* Mirror a guest disposition on the host as far as ferry can honour it. */
static void apply_host_action(int sig, const GuestSigAction *act)
{
    struct host_ksigaction h = { 0 };
    if (host_reserved(sig))
        return;
    h.handler = act->handler == GUEST_SIG_IGN ? (uint64_t)(uintptr_t)SIG_IGN
                                              : (uint64_t)(uintptr_t)SIG_DFL;
    if (sig == SIGCHLD)
        h.flags = act->flags & (SA_NOCLDSTOP | SA_NOCLDWAIT);
    syscall(SYS_rt_sigaction, sig, &h, NULL, 8);
}

int64_t sys_rt_sigaction(SysCall *sc, const uint64_t *a)
{
    GuestSignals *gs = &sc->st->sig;
    int sig = (int)a[0];
    GuestSigAction act;

    if (a[3] != 8)
        return -EINVAL;
    if (sig < 1 || sig > GUEST_NSIG)
        return -EINVAL;
    if (a[1] && (sig == SIGKILL || sig == SIGSTOP))
        return -EINVAL;
    if (a[1] && copy_from_guest(&act, a[1], sizeof(act)) != 0)
        return -EFAULT;
    if (a[2] && copy_to_guest(a[2], &gs->action[sig], sizeof(act)) != 0)
        return -EFAULT;
    if (a[1]) {
        act.mask &= ~(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP));
        gs->action[sig] = act;
        apply_host_action(sig, &act);
    }
    return 0;
}

int64_t sys_rt_sigprocmask(SysCall *sc, const uint64_t *a)
{
    GuestSignals *gs = &sc->st->sig;
    uint64_t old = gs->blocked, set, blocked = gs->blocked;

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
    if (a[1]) {
        gs->blocked = blocked & ~(SIGBIT(SIGKILL) | SIGBIT(SIGSTOP));
        uint64_t host_mask = gs->blocked & ~host_reserved_mask();
        syscall(SYS_rt_sigprocmask, SIG_SETMASK, &host_mask, NULL, 8);
    }
    return 0;
}

/* arm64 stack_t: void *ss_sp; int ss_flags; size_t ss_size. */
typedef struct GuestStack {
    uint64_t sp;
    int32_t flags;
    int32_t pad;
    uint64_t size;
} GuestStack;

int64_t sys_sigaltstack(SysCall *sc, const uint64_t *a)
{
    GuestSignals *gs = &sc->st->sig;
    GuestStack old = { gs->altstack_sp, gs->altstack_flags, 0, gs->altstack_size }, ss;

    if (a[0]) {
        if (copy_from_guest(&ss, a[0], sizeof(ss)) != 0)
            return -EFAULT;
        uint32_t mode = (uint32_t)ss.flags & ~GUEST_SS_AUTODISARM;
        if (mode != 0 && mode != GUEST_SS_DISABLE && mode != GUEST_SS_ONSTACK)
            return -EINVAL;
        if (mode != GUEST_SS_DISABLE && ss.size < GUEST_MINSIGSTKSZ)
            return -ENOMEM;
    }
    if (a[1] && copy_to_guest(a[1], &old, sizeof(old)) != 0)
        return -EFAULT;
    if (a[0]) {
        if (((uint32_t)ss.flags & ~GUEST_SS_AUTODISARM) == GUEST_SS_DISABLE) {
            gs->altstack_sp = 0;
            gs->altstack_size = 0;
            gs->altstack_flags = GUEST_SS_DISABLE;
        } else {
            gs->altstack_sp = ss.sp;
            gs->altstack_size = ss.size;
            gs->altstack_flags = ss.flags & (int32_t)GUEST_SS_AUTODISARM;
        }
    }
    return 0;
}
