/*
 * A fork made with a raw clone system call whose exit signal is not
 * SIGCHLD (SIGUSR1, then none at all), without CLONE_VM: the child is a
 * full process that runs code nobody ran before (new translations) and
 * makes system calls, the parent is told by the exit signal it chose (or
 * by nothing), reaps it with waitpid(__WALL), and the code the parent
 * itself translated while the child ran still computes what it did.
 * Then clones with flags the kernel acts on by itself (a new PID or UTS
 * namespace, a shared descriptor table or file-system context, a pidfd).
 * Expected values: the kernel's clone(2) and wait(2) semantics (checked
 * with the same program built for amd64 and run natively), and each
 * function's result as first computed in the parent.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "sys-check.h"

#define NFUNCS 48

/* Families of distinct functions: each one is new code the first time it
 * runs (so it is translated then).  Family A runs in the parent, B in the
 * child; the parent re-runs A after the child has translated B. */
#define DEFINE_FN(family, n)                                              \
    static __attribute__((noinline)) unsigned family##_##n(unsigned x)    \
    {                                                                     \
        unsigned s = (n) * 2654435761u;                                   \
        for (unsigned i = 0; i < x; i++)                                  \
            s = (s ^ (i * (n + 3))) * 40503u + (s >> ((n) % 13 + 1));     \
        return s;                                                         \
    }
#define DEFINE_8(family, b) DEFINE_FN(family, b##0) DEFINE_FN(family, b##1) DEFINE_FN(family, b##2) \
    DEFINE_FN(family, b##3) DEFINE_FN(family, b##4) DEFINE_FN(family, b##5) DEFINE_FN(family, b##6) \
    DEFINE_FN(family, b##7)
#define DEFINE_48(family) DEFINE_8(family, 1) DEFINE_8(family, 2) DEFINE_8(family, 3) \
    DEFINE_8(family, 4) DEFINE_8(family, 5) DEFINE_8(family, 6)
#define REF_8(family, b) family##_##b##0, family##_##b##1, family##_##b##2, family##_##b##3, \
    family##_##b##4, family##_##b##5, family##_##b##6, family##_##b##7
#define REF_48(family) { REF_8(family, 1), REF_8(family, 2), REF_8(family, 3), \
    REF_8(family, 4), REF_8(family, 5), REF_8(family, 6) }

typedef unsigned Fn(unsigned);

DEFINE_48(pa)
DEFINE_48(pb)
DEFINE_48(ca)
DEFINE_48(cb)

static Fn *const parent_first[NFUNCS] = REF_48(pa);
static Fn *const parent_second[NFUNCS] = REF_48(pb);
static Fn *const child_first[NFUNCS] = REF_48(ca);
static Fn *const child_second[NFUNCS] = REF_48(cb);

static volatile sig_atomic_t usr1_count, chld_count;

static void on_usr1(int sig) { (void)sig; usr1_count++; }
static void on_chld(int sig) { (void)sig; chld_count++; }

static unsigned run_all(Fn *const *fns, unsigned *results)
{
    unsigned sum = 0;
    for (int i = 0; i < NFUNCS; i++) {
        unsigned r = fns[i](100 + i);
        if (results)
            results[i] = r;
        sum = sum * 31 + r;
    }
    return sum;
}

/* The child: wait for the parent's go, translate fresh code, report its
 * checksum and pid through the pipe, exit with a status that says whether
 * its system calls behaved. */
static void child(int go_fd, int report_fd, Fn *const *fns)
{
    char c;
    if (read(go_fd, &c, 1) != 1)
        _exit(10);
    unsigned sum = run_all(fns, NULL);
    pid_t self = getpid();
    if (self != (pid_t)syscall(SYS_gettid))
        _exit(11);
    if (getppid() == self)
        _exit(12);
    unsigned msg[2] = { sum, (unsigned)self };
    if (write(report_fd, msg, sizeof msg) != sizeof msg)
        _exit(13);
    _exit(42);
}

static void one_case(int exit_signal, const char *label, Fn *const *parent_fns, Fn *const *child_fns)
{
    char what[160];
    int go[2], report[2];
    if (pipe(go) != 0 || pipe(report) != 0) {
        check(0, "pipes");
        return;
    }
    usr1_count = chld_count = 0;

    long pid = syscall(SYS_clone, (unsigned long)exit_signal, 0L, NULL, 0L, NULL);
    if (pid == 0)
        child(go[0], report[1], child_fns);
    snprintf(what, sizeof what, "%s: clone returned a child pid", label);
    check(pid > 0, what);
    if (pid <= 0)
        return;

    /* New code in the parent while the child exists, before it translates. */
    unsigned before[NFUNCS], after[NFUNCS];
    unsigned parent_sum = run_all(parent_fns, before);
    if (write(go[1], "g", 1) != 1)
        check(0, "write go");

    unsigned msg[2] = { 0, 0 };
    ssize_t n = read(report[0], msg, sizeof msg);
    snprintf(what, sizeof what, "%s: child reported through the pipe", label);
    check(n == sizeof msg, what);
    snprintf(what, sizeof what, "%s: child's getpid() is the pid clone returned", label);
    check(msg[1] == (unsigned)pid, what);
    snprintf(what, sizeof what, "%s: child's fresh code computed the right checksum", label);
    check(msg[0] == run_all(child_fns, NULL), what);

    int status = 0;
    pid_t w;
    while ((w = waitpid((pid_t)pid, &status, __WALL)) < 0 && errno == EINTR)
        ;
    snprintf(what, sizeof what, "%s: waitpid(__WALL) reaps it, exit status 42", label);
    check(w == (pid_t)pid && WIFEXITED(status) && WEXITSTATUS(status) == 42, what);

    /* The parent's translations are its own: re-running them after the
     * child translated its code gives the same answers. */
    unsigned again = run_all(parent_fns, after);
    snprintf(what, sizeof what, "%s: parent's code translated during the child's life still right", label);
    check(again == parent_sum && memcmp(before, after, sizeof before) == 0, what);

    /* The exit signal is the one clone was given. */
    for (int i = 0; i < 200 && exit_signal == SIGUSR1 && usr1_count == 0; i++)
        usleep(1000);
    snprintf(what, sizeof what, "%s: the parent got %s and no SIGCHLD", label,
             exit_signal == SIGUSR1 ? "one SIGUSR1" : "no signal");
    check(usr1_count == (exit_signal == SIGUSR1) && chld_count == 0, what);
    close(go[0]); close(go[1]); close(report[0]); close(report[1]);
}

/* Raw clone of a new process with flags the kernel acts on itself.
 * Returns the child's pid (0 in the child), or -1 after reporting why. */
static long clone_with(unsigned long flags, int *pidfd, const char *label)
{
    char what[160];
    long pid = syscall(SYS_clone, flags, 0L, pidfd, 0L, NULL);
    if (pid < 0 && (errno == EPERM || errno == EINVAL || errno == EACCES || errno == EUSERS)) {
        printf("skip %s: %s (not permitted here)\n", label, strerror(errno));
        return -1;
    }
    snprintf(what, sizeof what, "%s: clone made a child", label);
    check(pid >= 0, what);
    return pid;
}

static int reap(long pid)
{
    int status = 0;
    while (waitpid((pid_t)pid, &status, __WALL) < 0 && errno == EINTR)
        ;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void host_flag_cases(void)
{
    long pid;
    char host[64], before[64];

    /* A new PID namespace: the child is pid 1 there. */
    if ((pid = clone_with(CLONE_NEWPID | SIGCHLD, NULL, "CLONE_NEWPID")) == 0)
        _exit(getpid() == 1 ? 0 : 1);
    if (pid > 0)
        check(reap(pid) == 0, "CLONE_NEWPID: the child is pid 1 in its namespace");

    /* A new UTS namespace: the child's host name is its own. */
    gethostname(before, sizeof before);
    if ((pid = clone_with(CLONE_NEWUTS | SIGCHLD, NULL, "CLONE_NEWUTS")) == 0)
        _exit(sethostname("ferry-uts-test", 14) == 0 && gethostname(host, sizeof host) == 0 &&
              strcmp(host, "ferry-uts-test") == 0 ? 0 : 1);
    if (pid > 0) {
        check(reap(pid) == 0, "CLONE_NEWUTS: the child renames its own host");
        check(gethostname(host, sizeof host) == 0 && strcmp(host, before) == 0,
              "CLONE_NEWUTS: the parent's host name is unchanged");
    }

    /* A shared descriptor table: what the child opens the parent has. */
    int fds[2];
    if (pipe(fds) != 0)
        check(0, "pipe");
    if ((pid = clone_with(CLONE_FILES | SIGCHLD, NULL, "CLONE_FILES")) == 0)
        _exit(dup2(fds[0], 100) == 100 ? 0 : 1);
    if (pid > 0) {
        check(reap(pid) == 0 && fcntl(100, F_GETFD) >= 0, "CLONE_FILES: the child's dup2 shows in the parent");
        close(100);
    }
    close(fds[0]);
    close(fds[1]);

    /* Shared file-system context: the child's chdir moves the parent. */
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd))
        check(0, "getcwd");
    if ((pid = clone_with(CLONE_FS | SIGCHLD, NULL, "CLONE_FS")) == 0)
        _exit(chdir("/") == 0 ? 0 : 1);
    if (pid > 0) {
        char now[4096];
        check(reap(pid) == 0 && getcwd(now, sizeof now) && strcmp(now, "/") == 0,
              "CLONE_FS: the child's chdir moves the parent");
        if (chdir(cwd) != 0)
            check(0, "chdir back");
    }

    /* A pidfd through parent_tid, polled for the child's exit. */
    int pidfd = -1;
    if ((pid = clone_with(CLONE_PIDFD | SIGCHLD, &pidfd, "CLONE_PIDFD")) == 0)
        _exit(5);
    if (pid > 0) {
        siginfo_t si;
        memset(&si, 0, sizeof si);
        check(pidfd >= 0 && waitid(P_PIDFD, (id_t)pidfd, &si, WEXITED) == 0 && si.si_pid == pid &&
              si.si_status == 5, "CLONE_PIDFD: waitid(P_PIDFD) reaps the child, status 5");
        close(pidfd);
    }
    errno = 0;
    check(syscall(SYS_clone, CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD, 0L, &pidfd, 0L, NULL) < 0 &&
          errno == EINVAL, "CLONE_PIDFD with CLONE_PARENT_SETTID is EINVAL");
}

int main(void)
{
    signal(SIGUSR1, on_usr1);
    signal(SIGCHLD, on_chld);

    one_case(SIGUSR1, "exit signal SIGUSR1", parent_first, child_first);
    one_case(0, "no exit signal", parent_second, child_second);

    /* Without __WALL or __WCLONE, wait never sees such a child. */
    long pid = syscall(SYS_clone, (unsigned long)SIGUSR1, 0L, NULL, 0L, NULL);
    if (pid == 0)
        _exit(7);
    int status;
    usleep(20000);
    pid_t w = waitpid((pid_t)pid, &status, WNOHANG);
    check(w < 0 && errno == ECHILD, "plain waitpid does not see a non-SIGCHLD child (ECHILD)");
    w = waitpid((pid_t)pid, &status, __WCLONE);
    check(w == (pid_t)pid && WIFEXITED(status) && WEXITSTATUS(status) == 7,
          "waitpid(__WCLONE) reaps it, exit status 7");

    host_flag_cases();

    printf("%s\n", failures ? "FAILED" : "all passed");
    return failures != 0;
}
