/*
 * Guest test of asynchronous signals: every catchable signal 1..64 raised
 * and counted by a handler, masks with pending signals delivered on
 * unblock, real-time signals queued in order with their values, standard
 * ones coalesced, SA_RESTART against EINTR on a blocking pipe read, a
 * spinning loop interrupted by SIGALRM, rt_sigsuspend, rt_sigtimedwait,
 * SA_RESETHAND, SA_NODEFER, a nested handler and SIGCHLD from a child.
 * Self-checking; one line per check.  The same source built for x86-64
 * passes natively; qemu-user fails the first check (it keeps some host
 * signals for itself).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "sys-check.h"

static volatile int count[65], last_sig, last_code, last_value[8], n_values;

static void counter(int sig, siginfo_t *si, void *uc)
{
    count[sig]++;
    last_sig = sig;
    last_code = si->si_code;
    if (si->si_code == SI_QUEUE && n_values < 8)
        last_value[n_values++] = si->si_value.sival_int;
}

static void install(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa = { 0 };
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | flags;
    sigaction(sig, &sa, NULL);
}

static void test_all_signals(void)
{
    int ok = 1, n = 0;
    for (int sig = 1; sig <= 64; sig++) {
        struct sigaction sa = { 0 };
        sa.sa_sigaction = counter;
        sa.sa_flags = SA_SIGINFO;
        if (sigaction(sig, &sa, NULL) != 0)
            continue;             /* SIGKILL, SIGSTOP, the C library's own 32 and 33 */
        raise(sig);
        ok &= count[sig] == 1 && last_sig == sig && last_code == SI_TKILL;
        n++;
        signal(sig, SIG_DFL);
    }
    check(n == 60, "60 signals accept a handler (all but 9, 19, 32, 33)");
    check(ok, "every catchable signal raised once reaches its handler with SI_TKILL");
}

static void test_masks(void)
{
    sigset_t set, old, pend;
    install(SIGUSR1, counter, 0);
    install(SIGUSR2, counter, 0);
    count[SIGUSR1] = count[SIGUSR2] = 0;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, &old);
    raise(SIGUSR1);
    raise(SIGUSR2);
    raise(SIGUSR2);
    check(count[SIGUSR1] == 0 && count[SIGUSR2] == 0, "blocked signals are not delivered");
    sigpending(&pend);
    check(sigismember(&pend, SIGUSR1) && sigismember(&pend, SIGUSR2), "sigpending shows them");
    sigprocmask(SIG_SETMASK, &old, NULL);
    check(count[SIGUSR1] == 1 && count[SIGUSR2] == 1, "unblocking delivers each once (standard signals coalesce)");
    sigpending(&pend);
    check(!sigismember(&pend, SIGUSR1), "nothing pending afterwards");
}

static void test_rt_queue(void)
{
    int sig = SIGRTMIN + 1;
    sigset_t set, old;
    install(sig, counter, 0);
    count[sig] = 0;
    n_values = 0;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_BLOCK, &set, &old);
    for (int i = 0; i < 3; i++)
        sigqueue(getpid(), sig, (union sigval){ .sival_int = 100 + i });
    check(count[sig] == 0, "real-time signal blocked");
    sigprocmask(SIG_SETMASK, &old, NULL);
    check(count[sig] == 3, "three queued real-time signals delivered three times");
    check(n_values == 3 && last_value[0] == 100 && last_value[1] == 101 && last_value[2] == 102,
          "in order, with their sigqueue values");
}

/* SA_RESTART against EINTR on a read from an empty pipe. */
static int pipe_fds[2];
static volatile int alarms;
static void on_alarm_write(int sig, siginfo_t *si, void *uc)
{
    alarms++;
    (void)!write(pipe_fds[1], "x", 1);
}
static void on_alarm(int sig, siginfo_t *si, void *uc)
{
    alarms++;
}

static void arm_timer_ms(int ms)
{
    struct itimerval it = { .it_value = { .tv_sec = 0, .tv_usec = ms * 1000 } };
    setitimer(ITIMER_REAL, &it, NULL);
}

static void test_restart(void)
{
    char c;
    pipe(pipe_fds);
    install(SIGALRM, on_alarm, 0);
    alarms = 0;
    arm_timer_ms(50);
    ssize_t r = read(pipe_fds[0], &c, 1);
    check(r == -1 && errno == EINTR && alarms == 1, "read interrupted without SA_RESTART: EINTR");

    install(SIGALRM, on_alarm_write, SA_RESTART);
    alarms = 0;
    arm_timer_ms(50);
    r = read(pipe_fds[0], &c, 1);
    check(r == 1 && c == 'x' && alarms == 1, "with SA_RESTART the read restarts and gets the handler's byte");
    close(pipe_fds[0]);
    close(pipe_fds[1]);
}

static volatile int flag;
static void set_flag(int sig, siginfo_t *si, void *uc)
{
    flag = 1;
}

static void test_spin(void)
{
    install(SIGALRM, set_flag, 0);
    flag = 0;
    arm_timer_ms(30);
    while (!flag)
        ;
    check(flag, "a spinning loop gets SIGALRM");
}

static void test_sigsuspend(void)
{
    sigset_t block, empty, now;
    install(SIGALRM, on_alarm, 0);
    sigemptyset(&block);
    sigaddset(&block, SIGALRM);
    sigprocmask(SIG_BLOCK, &block, NULL);
    alarms = 0;
    arm_timer_ms(30);
    sigemptyset(&empty);
    int r = sigsuspend(&empty);
    check(r == -1 && errno == EINTR && alarms == 1, "sigsuspend returns EINTR after the handler");
    sigprocmask(SIG_BLOCK, NULL, &now);
    check(sigismember(&now, SIGALRM), "sigsuspend restored the old mask");
    sigprocmask(SIG_UNBLOCK, &block, NULL);
}

static void test_sigtimedwait(void)
{
    sigset_t set;
    siginfo_t si;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    raise(SIGUSR1);
    struct timespec ts = { 1, 0 };
    int r = sigtimedwait(&set, &si, &ts);
    check(r == SIGUSR1 && si.si_signo == SIGUSR1 && si.si_pid == getpid(),
          "sigtimedwait takes the pending SIGUSR1 with its siginfo");
    ts.tv_sec = 0;
    ts.tv_nsec = 20 * 1000 * 1000;
    r = sigtimedwait(&set, &si, &ts);
    check(r == -1 && errno == EAGAIN, "sigtimedwait times out with EAGAIN");
    sigprocmask(SIG_UNBLOCK, &set, NULL);
}

static volatile int self_blocked;
static void check_mask(int sig, siginfo_t *si, void *uc)
{
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    self_blocked = sigismember(&now, sig);
    count[sig]++;
}

static void test_flags(void)
{
    struct sigaction sa;
    install(SIGUSR1, counter, SA_RESETHAND);
    count[SIGUSR1] = 0;
    raise(SIGUSR1);
    sigaction(SIGUSR1, NULL, &sa);
    check(count[SIGUSR1] == 1 && sa.sa_handler == SIG_DFL, "SA_RESETHAND: handled once, then SIG_DFL");

    install(SIGUSR1, check_mask, 0);
    raise(SIGUSR1);
    check(self_blocked, "the signal is blocked inside its handler");
    install(SIGUSR1, check_mask, SA_NODEFER);
    raise(SIGUSR1);
    check(!self_blocked, "SA_NODEFER: it is not");
    signal(SIGUSR1, SIG_DFL);
}

static volatile int nested_inner, nested_order;
static void inner(int sig, siginfo_t *si, void *uc)
{
    nested_inner = ++nested_order;
}
static void outer(int sig, siginfo_t *si, void *uc)
{
    raise(SIGUSR2);
    nested_order++;
}

static void test_nested(void)
{
    install(SIGUSR1, outer, 0);
    install(SIGUSR2, inner, 0);
    nested_order = 0;
    raise(SIGUSR1);
    check(nested_inner == 1 && nested_order == 2, "a signal raised in a handler runs nested, at once");
    signal(SIGUSR1, SIG_DFL);
    signal(SIGUSR2, SIG_DFL);
}

static volatile int child_pid, child_status, child_code;
static void on_child(int sig, siginfo_t *si, void *uc)
{
    child_pid = si->si_pid;
    child_status = si->si_status;
    child_code = si->si_code;
}

static void test_sigchld(void)
{
    install(SIGCHLD, on_child, SA_RESTART);
    pid_t pid = fork();
    if (pid == 0)
        _exit(7);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    check(child_pid == pid && child_status == 7 && child_code == CLD_EXITED,
          "SIGCHLD handler sees si_pid, si_status and CLD_EXITED");
    signal(SIGCHLD, SIG_DFL);

    /* A child killed by a signal the parent sent. */
    pid = fork();
    if (pid == 0) {
        pause();
        _exit(0);
    }
    kill(pid, SIGTERM);
    waitpid(pid, &status, 0);
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM, "a child dies of SIGTERM (default action)");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    test_all_signals();
    test_masks();
    test_rt_queue();
    test_restart();
    test_spin();
    test_sigsuspend();
    test_sigtimedwait();
    test_flags();
    test_nested();
    test_sigchld();
    return failures != 0;
}
