/*
 * Guest signal state and delivery (see signal.h for the model): the
 * per-process dispositions and per-thread masks and queues, the host
 * handler that turns host signals into pending guest signals or
 * synchronous guest faults, delivery at instruction boundaries with the
 * kernel's default actions, SA_RESTART decisions, and sigaltstack.
 */
#include "linux-user/signal.h"

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <glib.h>

#include "host/x86_64/signal-host.h"
#include "linux-user/guest-mem.h"
#include "linux-user/log.h"
#include "linux-user/signal-fatal.h"
#include "tcg/exec.h"
#include "tcg/tb.h"

#define NEVER_BLOCKED (GUEST_SIGBIT(SIGKILL) | GUEST_SIGBIT(SIGSTOP))

/* The thread whose guest code runs on this host thread. */
static __thread SignalThread *current_thread;

SignalThread *signal_thread_current(void)
{
    return current_thread;
}

/* ---- classification ----------------------------------------------------- */

/* Signals ferry keeps a host handler for and never blocks on the host: the
 * ones a fault in translated code raises, plus SIGILL/SIGFPE/SIGTRAP so a
 * fault in ferry itself is reported as such. */
static bool host_sync_signal(int sig)
{
    return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP;
}

static uint64_t host_sync_mask(void)
{
    return GUEST_SIGBIT(SIGSEGV) | GUEST_SIGBIT(SIGBUS) | GUEST_SIGBIT(SIGILL) |
           GUEST_SIGBIT(SIGFPE) | GUEST_SIGBIT(SIGTRAP);
}

typedef enum DefaultAction { DEF_TERM, DEF_IGNORE, DEF_STOP } DefaultAction;

static DefaultAction default_action(int sig)
{
    switch (sig) {
    case SIGCHLD: case SIGURG: case SIGWINCH: case SIGCONT:
        return DEF_IGNORE;
    case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
        return DEF_STOP;
    default:
        return DEF_TERM;       /* core-dumping ones too, without a core file */
    }
}

static bool action_is_handler(const GuestSigAction *a)
{
    return a->handler != GUEST_SIG_DFL && a->handler != GUEST_SIG_IGN;
}

static int lowest_signal(uint64_t set)
{
    return set ? __builtin_ctzll(set) + 1 : 0;
}

/* ---- the host handler --------------------------------------------------- */

static _Noreturn void internal_fault(int sig, const siginfo_t *si, uintptr_t host_pc)
{
    char msg[256];
    int n = snprintf(msg, sizeof msg,
                     "ferry-aarch64: internal error: %s at host PC %#" PRIxPTR
                     " (address %p) outside translated code\n",
                     sigabbrev_np(sig) ? sigabbrev_np(sig) : "signal", host_pc, si->si_addr);
    if (n > 0) (void)!write(STDERR_FILENO, msg, (size_t)n < sizeof msg ? (size_t)n : sizeof msg - 1);
    if (ferry_log_file && ferry_log_file != stderr)
        fflush(ferry_log_file);         /* best effort: we are dying anyway */
    signal(SIGABRT, SIG_DFL);
    abort();
}

/* A fault of a guest memory access in translated code: leave translated
 * code through the epilogue (which saves the pinned guest registers) as if
 * the faulting instruction had exited with EXIT_INTERRUPT, and record the
 * signal.  NZCV and the other registers are already in env: the lowering
 * saves them before every memory access.  Pinned registers the block
 * borrowed for its own values get their guest values back from env first. */
static bool guest_fault(SignalThread *t, int sig, const siginfo_t *si, void *uc)
{
    uintptr_t host_pc = host_context_pc(uc);
    const TranslationBlock *tb = t ? tb_at_host_pc(host_pc) : NULL;
    if (!tb)
        return false;
    t->env->pc = tb_guest_pc_at(tb, (uint32_t)(host_pc - tb->code));
    host_context_restore_borrowed(uc, tb->borrowed, t->env);
    t->sync_sig = sig;
    /* SI_KERNEL: a general-protection fault (non-canonical address). */
    t->sync_addr = si->si_code == SI_KERNEL ? 0 : h2g(si->si_addr);
    t->sync_code = sig == SIGSEGV ? 0 : si->si_code;   /* SEGV: from the guest map later */
    __atomic_store_n(&t->env->interrupt_request, 1, __ATOMIC_SEQ_CST);
    host_context_set_pc(uc, exec_exit_address());
    host_context_set_result(uc, EXIT_INTERRUPT);
    return true;
}

static void host_signal_handler(int sig, siginfo_t *si, void *uc)
{
    SignalThread *t = current_thread;
    int saved_errno = errno;

    if (si->si_code > 0 && host_sync_signal(sig)) {
        if ((sig == SIGSEGV || sig == SIGBUS) && guest_fault(t, sig, si, uc))
            return;
        if (sig == SIGSEGV || sig == SIGBUS)
            guest_read_fault(uc);       /* returns only if no guarded read */
        internal_fault(sig, si, host_context_pc(uc));
    }
    if (!t)
        return;
    memcpy(t->info[sig], si, GUEST_SIGINFO_SIZE);
    __atomic_fetch_or(&t->pending, GUEST_SIGBIT(sig), __ATOMIC_SEQ_CST);
    if (!host_sync_signal(sig))
        host_context_block(uc, sig);    /* further instances wait in the host kernel */
    __atomic_store_n(&t->env->interrupt_request, 1, __ATOMIC_SEQ_CST);
    host_signal_rewind_syscall(uc);
    errno = saved_errno;
}

static void install_host_handler(int sig, uint64_t extra_flags)
{
    HostKSigAction h = {
        .handler = (uint64_t)(uintptr_t)host_signal_handler,
        .flags = SA_SIGINFO | SA_ONSTACK | extra_flags,
        .mask = ~0ull,
    };
    host_sigaction(sig, &h, NULL);
}

void signal_host_install_sync(void)
{
    for (int sig = 1; sig <= GUEST_NSIG; sig++)
        if (host_sync_signal(sig))
            install_host_handler(sig, 0);
}

/* ---- masks and queues --------------------------------------------------- */

uint64_t signal_pending_mask(const SignalThread *t)
{
    return __atomic_load_n(&t->pending, __ATOMIC_SEQ_CST);
}

void signal_sync_host_mask(const SignalThread *t)
{
    uint64_t held = signal_pending_mask(t);
    uint64_t mask = (t->blocked | held) & ~host_sync_mask() & ~NEVER_BLOCKED;
    host_sigprocmask(SIG_SETMASK, &mask, NULL);
}

void signal_set_blocked(SignalThread *t, uint64_t mask)
{
    t->blocked = mask & ~NEVER_BLOCKED;
    signal_sync_host_mask(t);
    if (signal_pending_mask(t) & ~t->blocked)
        __atomic_store_n(&t->env->interrupt_request, 1, __ATOMIC_SEQ_CST);
}

int signal_dequeue(SignalThread *t, uint64_t set, void *info)
{
    int sig = lowest_signal(signal_pending_mask(t) & set);
    if (!sig)
        return 0;
    memcpy(info, t->info[sig], GUEST_SIGINFO_SIZE);
    __atomic_fetch_and(&t->pending, ~GUEST_SIGBIT(sig), __ATOMIC_SEQ_CST);
    return sig;
}

/* ---- dispositions ------------------------------------------------------- */

void signal_set_action(SignalProcess *sp, int sig, const GuestSigAction *act)
{
    pthread_mutex_lock(&sp->lock);
    sp->action[sig] = *act;
    sp->action[sig].mask &= ~NEVER_BLOCKED;
    pthread_mutex_unlock(&sp->lock);
    if (host_sync_signal(sig))
        return;                         /* always ferry's handler */
    uint64_t child_flags = sig == SIGCHLD ? act->flags & (SA_NOCLDSTOP | SA_NOCLDWAIT) : 0;
    if (action_is_handler(act)) {
        install_host_handler(sig, child_flags);
    } else {
        HostKSigAction h = {
            .handler = act->handler == GUEST_SIG_IGN ? (uint64_t)(uintptr_t)SIG_IGN
                                                     : (uint64_t)(uintptr_t)SIG_DFL,
            .flags = child_flags,
        };
        host_sigaction(sig, &h, NULL);
    }
}

bool signal_guest_handles(const SignalThread *t, int sig)
{
    return action_is_handler(&t->proc->action[sig]) && !(t->blocked & GUEST_SIGBIT(sig));
}

/* ---- set-up ------------------------------------------------------------- */

static void signal_process_init(SignalProcess *sp)
{
    memset(sp, 0, sizeof(*sp));
    pthread_mutex_init(&sp->lock, NULL);
    /* Ignored signals survive execve: inherit them from the host. */
    for (int sig = 1; sig <= GUEST_NSIG; sig++) {
        HostKSigAction old;
        if (host_sync_signal(sig) || sig == SIGKILL || sig == SIGSTOP)
            continue;
        if (host_sigaction(sig, NULL, &old) == 0 && old.handler == (uint64_t)(uintptr_t)SIG_IGN)
            sp->action[sig].handler = GUEST_SIG_IGN;
    }
}

SignalThread *signal_thread_create(CPUState *env, const SignalThread *parent)
{
    SignalThread *t = g_new0(SignalThread, 1);
    t->env = env;
    t->proc = parent->proc;
    t->blocked = parent->blocked;
    t->altstack_flags = GUEST_SS_DISABLE;
    return t;
}

void signal_thread_attach(SignalThread *t)
{
    fatal_signals_thread_init();        /* the host handler's own stack */
    current_thread = t;
    signal_sync_host_mask(t);
}

/* A fork child starts with nothing pending (its parent keeps the queue). */
static void signal_after_fork_child(void)
{
    SignalThread *t = current_thread;
    if (!t)
        return;
    __atomic_store_n(&t->pending, 0, __ATOMIC_SEQ_CST);
    signal_sync_host_mask(t);
}

void signal_after_fork(void)
{
    signal_after_fork_child();
}

static void *idle_host_thread(void *arg)
{
    return arg;
}

/* The host C library installs its own handlers for signals 32 and 33 (its
 * cancellation and set*id broadcast) at the process's first
 * pthread_create, replacing whatever is there -- so a guest handler
 * installed before the guest's first thread would be lost, and the guest
 * library's own set*id broadcast would then run the host library's
 * handler, which crashes.  Have that happen before the guest's first
 * thread starts, with a host thread that does nothing, then put back what
 * the guest installed.  Done only when a first thread is made: a
 * single-threaded program does not pay for a host thread at start-up.
 * Forks inherit the flag with the host library's state. */
void signal_before_first_thread(SignalThread *t)
{
    SignalProcess *sp = t->proc;
    if (sp->host_threads_ready)
        return;
    pthread_t idle;
    if (pthread_create(&idle, NULL, idle_host_thread, NULL) == 0)
        pthread_join(idle, NULL);
    sp->host_threads_ready = true;
    for (int sig = 32; sig <= 33; sig++)
        if (sp->action[sig].handler != GUEST_SIG_DFL)
            signal_set_action(sp, sig, &sp->action[sig]);
    signal_sync_host_mask(t);           /* the host library unblocked 32 and 33 */
}

SignalThread *signal_init_main(GuestProcess *proc, CPUState *env)
{
    SignalProcess *sp = g_new0(SignalProcess, 1);
    SignalThread *t = g_new0(SignalThread, 1);
    uint64_t mask = 0;

    signal_process_init(sp);
    sp->image = proc ? &proc->image : NULL;
    t->env = env;
    t->proc = sp;
    t->altstack_flags = GUEST_SS_DISABLE;
    /* The blocked mask survives execve too. */
    if (host_sigprocmask(SIG_BLOCK, NULL, &mask) == 0)
        t->blocked = mask & ~NEVER_BLOCKED;
    signal_host_install_sync();
    current_thread = t;
    signal_sync_host_mask(t);
    pthread_atfork(NULL, NULL, signal_after_fork_child);
    return t;
}

/* ---- delivery ----------------------------------------------------------- */

static void log_delivery(const SignalThread *t, int sig, const char *what)
{
    if (log_enabled(LOG_UNIMP) || log_enabled(LOG_STRACE))
        ferry_log("--- guest signal %d (%s) at PC 0x%" PRIx64 ": %s ---\n",
                  sig, sigabbrev_np(sig) ? sigabbrev_np(sig) : "?", t->env->pc, what);
}

/* Stop the whole process the way the default action would. */
static void stop_by_signal(SignalThread *t, int sig)
{
    HostKSigAction dfl = { .handler = (uint64_t)(uintptr_t)SIG_DFL }, old;
    uint64_t only = GUEST_SIGBIT(sig);
    host_sigaction(sig, &dfl, &old);
    host_sigprocmask(SIG_UNBLOCK, &only, NULL);
    syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), sig);
    host_sigaction(sig, &old, NULL);
    signal_sync_host_mask(t);
}

static void take_default_action(SignalThread *t, int sig, int code, uint64_t addr)
{
    switch (default_action(sig)) {
    case DEF_IGNORE:
        return;
    case DEF_STOP:
        log_delivery(t, sig, "default action: stop");
        stop_by_signal(t, sig);
        return;
    case DEF_TERM:
        guest_signal_fatal(t->env, sig, code, addr);
    }
}

/* Run the guest's handler for sig (or its disposition).  old_mask is what
 * the handler's return restores. */
static void deliver(SignalThread *t, int sig, const uint8_t *info, uint64_t fault_addr)
{
    SignalProcess *sp = t->proc;
    uint64_t old_mask = t->restore_saved ? t->saved_blocked : t->blocked;
    int code;
    memcpy(&code, info + 8, sizeof(code));

    t->restore_saved = false;
    pthread_mutex_lock(&sp->lock);
    GuestSigAction act = sp->action[sig];
    if (action_is_handler(&act) && (act.flags & GUEST_SA_RESETHAND))
        sp->action[sig] = (GuestSigAction){ 0 };
    pthread_mutex_unlock(&sp->lock);

    if (act.handler == GUEST_SIG_IGN) {
        signal_set_blocked(t, old_mask);
        return;
    }
    if (act.handler == GUEST_SIG_DFL) {
        signal_set_blocked(t, old_mask);
        take_default_action(t, sig, code, fault_addr);
        return;
    }
    if (act.flags & GUEST_SA_RESETHAND)
        signal_set_action(sp, sig, &sp->action[sig]);
    if (log_enabled(LOG_UNIMP) || log_enabled(LOG_STRACE)) {
        char what[96];
        snprintf(what, sizeof what, "si_code %d, address 0x%" PRIx64 ", to the guest's handler",
                 code, fault_addr);
        log_delivery(t, sig, what);
    }
    if (!signal_frame_setup(t, sig, &act, info, old_mask, fault_addr)) {
        /* No room for the frame: the kernel kills with SIGSEGV. */
        log_delivery(t, sig, "cannot write the signal frame");
        guest_die_by_signal(SIGSEGV);
    }
    uint64_t mask = old_mask | act.mask;
    if (!(act.flags & GUEST_SA_NODEFER))
        mask |= GUEST_SIGBIT(sig);
    signal_set_blocked(t, mask);
}

static int segv_code(uint64_t addr)
{
    return guest_range_ok(addr, 1, 0) ? SEGV_ACCERR : SEGV_MAPERR;
}

void signal_raise_sync(SignalThread *t, int sig, int code, uint64_t addr)
{
    t->sync_sig = sig;
    t->sync_code = code;
    t->sync_addr = addr;
    __atomic_store_n(&t->env->interrupt_request, 1, __ATOMIC_SEQ_CST);
}

/* A synchronous signal: blocked or ignored means death (force_sig). */
static void deliver_sync(SignalThread *t)
{
    int sig = t->sync_sig, code = t->sync_code;
    uint64_t addr = t->sync_addr;
    uint8_t info[GUEST_SIGINFO_SIZE] = { 0 };

    t->sync_sig = 0;
    if (sig == SIGSEGV && code == 0)
        code = segv_code(addr);
    const GuestSigAction *act = &t->proc->action[sig];
    if ((t->blocked & GUEST_SIGBIT(sig)) || act->handler == GUEST_SIG_IGN)
        guest_signal_fatal(t->env, sig, code, addr);
    memcpy(info, &sig, 4);                  /* si_signo; si_errno = 0 */
    memcpy(info + 8, &code, 4);             /* si_code */
    memcpy(info + 16, &addr, 8);            /* si_addr */
    deliver(t, sig, info, sig == SIGSEGV || sig == SIGBUS ? addr : 0);
}

void signal_process_pending(SignalThread *t)
{
    __atomic_store_n(&t->env->interrupt_request, 0, __ATOMIC_SEQ_CST);
    if (t->sync_sig) {
        deliver_sync(t);
    } else {
        uint8_t info[GUEST_SIGINFO_SIZE];
        int sig = signal_dequeue(t, ~t->blocked, info);
        if (sig) {
            deliver(t, sig, info, 0);
        } else if (t->restore_saved) {
            t->restore_saved = false;
            t->blocked = t->saved_blocked;
        }
        signal_sync_host_mask(t);
    }
    if (t->sync_sig || (signal_pending_mask(t) & ~t->blocked))
        __atomic_store_n(&t->env->interrupt_request, 1, __ATOMIC_SEQ_CST);
}

bool signal_syscall_should_restart(const SignalThread *t, int64_t ret, bool restartable)
{
    int sig = t->sync_sig ? t->sync_sig : lowest_signal(signal_pending_mask(t) & ~t->blocked);
    if (!sig)
        return ret == -GUEST_ERESTART_NOINTR;
    const GuestSigAction *act = &t->proc->action[sig];
    if (!action_is_handler(act) || ret == -GUEST_ERESTART_NOINTR)
        return true;
    return restartable && (act->flags & GUEST_SA_RESTART);
}

/* ---- sigaltstack -------------------------------------------------------- */

static bool on_altstack(const SignalThread *t, uint64_t sp)
{
    if (t->altstack_flags & GUEST_SS_AUTODISARM)
        return false;
    return sp > t->altstack_sp && sp - t->altstack_sp <= t->altstack_size;
}

int signal_altstack(SignalThread *t, const GuestStack *ss, GuestStack *old)
{
    uint64_t sp = t->env->x[GREG_SP];
    if (old) {
        int32_t state = !t->altstack_size ? GUEST_SS_DISABLE : on_altstack(t, sp) ? GUEST_SS_ONSTACK : 0;
        *old = (GuestStack){
            .sp = t->altstack_sp,
            .flags = state | (int32_t)((uint32_t)t->altstack_flags & GUEST_SS_AUTODISARM),
            .size = t->altstack_size,
        };
    }
    if (!ss)
        return 0;
    if (on_altstack(t, sp))
        return -EPERM;
    uint32_t mode = (uint32_t)ss->flags & ~GUEST_SS_AUTODISARM;
    if (mode != 0 && mode != GUEST_SS_DISABLE && mode != GUEST_SS_ONSTACK)
        return -EINVAL;
    if (mode == GUEST_SS_DISABLE) {
        t->altstack_sp = 0;
        t->altstack_size = 0;
    } else {
        if (ss->size < GUEST_MINSIGSTKSZ)
            return -ENOMEM;
        t->altstack_sp = ss->sp;
        t->altstack_size = ss->size;
    }
    t->altstack_flags = ss->flags;
    return 0;
}
