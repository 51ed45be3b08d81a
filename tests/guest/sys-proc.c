/*
 * Guest test of process, signal-recording, time and machine system calls:
 * ids, fork/vfork with wait4 and waitid, uname, resource limits, sigaction and
 * sigprocmask read-back, sigaltstack, clocks and sleeps, getrandom.
 * Self-checking; one line per check.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/personality.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "sys-check.h"


static void test_ids(void)
{
    check(getpid() > 1 && getpid() == syscall(SYS_gettid), "getpid == gettid");
    check(getppid() > 0 && getppid() != getpid(), "getppid");
    check(getuid() == geteuid() && getgid() == getegid(), "uid/gid");
    check(getpgid(0) == getpgrp() && getsid(0) > 0, "getpgid, getsid");
    gid_t groups[256];
    check(getgroups(256, groups) >= 0, "getgroups");
    check(kill(getpid(), 0) == 0, "kill with signal 0");
    int tid = syscall(SYS_set_tid_address, NULL);
    check(tid == getpid(), "set_tid_address returns the tid");
}

static void test_fork_wait(void)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(42);
    int status = 0;
    struct rusage ru;
    check(pid > 0 && wait4(pid, &status, 0, &ru) == pid && WIFEXITED(status) &&
          WEXITSTATUS(status) == 42, "fork, wait4 exit status");

    int p[2];
    pipe(p);
    pid = fork();
    if (pid == 0) {
        close(p[0]);
        write(p[1], "from child", 10);
        _exit(0);
    }
    close(p[1]);
    char buf[16] = { 0 };
    check(read(p[0], buf, sizeof(buf)) == 10 && strcmp(buf, "from child") == 0, "pipe from a child");
    close(p[0]);
    waitpid(pid, &status, 0);

    pid = vfork();
    if (pid == 0)
        _exit(7);
    check(pid > 0 && waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 7, "vfork");

    /* A child killed by a signal. */
    pid = fork();
    if (pid == 0) {
        pause();
        _exit(0);
    }
    kill(pid, SIGTERM);
    check(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM,
          "child killed by SIGTERM");

    siginfo_t si;
    pid = fork();
    if (pid == 0)
        _exit(3);
    memset(&si, 0, sizeof(si));
    check(waitid(P_PID, pid, &si, WEXITED) == 0 && si.si_pid == pid && si.si_code == CLD_EXITED &&
          si.si_status == 3, "waitid");

}

static void test_machine(void)
{
    struct utsname u;
    check(uname(&u) == 0 && strcmp(u.machine, "aarch64") == 0 && strcmp(u.sysname, "Linux") == 0,
          "uname: Linux aarch64");
    struct sysinfo si;
    check(sysinfo(&si) == 0 && si.totalram > 0 && si.mem_unit > 0, "sysinfo");
    struct rlimit rl, rl2;
    check(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur > 0, "getrlimit");
    check(prlimit(0, RLIMIT_NOFILE, NULL, &rl2) == 0 && rl2.rlim_cur == rl.rlim_cur, "prlimit64");
    rl2.rlim_cur = rl.rlim_cur > 64 ? 64 : rl.rlim_cur;
    check(setrlimit(RLIMIT_NOFILE, &rl2) == 0 && getrlimit(RLIMIT_NOFILE, &rl2) == 0 &&
          rl2.rlim_cur == (rl.rlim_cur > 64 ? 64 : rl.rlim_cur), "setrlimit");
    setrlimit(RLIMIT_NOFILE, &rl);
    struct rusage ru;
    check(getrusage(RUSAGE_SELF, &ru) == 0, "getrusage");
    struct tms t;
    check(times(&t) != (clock_t)-1, "times");
    cpu_set_t set;
    check(sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0, "sched_getaffinity");
    check(sched_yield() == 0, "sched_yield");
    errno = 0;
    check(getpriority(PRIO_PROCESS, 0) >= -20 && errno == 0, "getpriority");
    unsigned char r1[16], r2[16];
    check(getrandom(r1, 16, 0) == 16 && getrandom(r2, 16, 0) == 16 && memcmp(r1, r2, 16) != 0, "getrandom");
    check(personality(0xffffffff) == 0, "personality query");
    int id = semget(IPC_PRIVATE, 3, 0600);
    struct semid_ds ds;
    memset(&ds, 0, sizeof(ds));
    check(id >= 0 && semctl(id, 0, IPC_STAT, &ds) == 0 && ds.sem_nsems == 3 &&
          (ds.sem_perm.mode & 0777) == 0600 && ds.sem_ctime > 1600000000, "semctl IPC_STAT");
    check(semctl(id, 0, IPC_RMID) == 0, "semctl IPC_RMID");
}

static void handler(int sig) { (void)sig; }

static void test_signals(void)
{
    struct sigaction sa = { 0 }, old;
    sa.sa_handler = handler;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    check(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction install");
    check(sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_handler == handler &&
          (old.sa_flags & SA_RESTART) && sigismember(&old.sa_mask, SIGUSR2), "sigaction read back");
    check(sigaction(SIGKILL, &sa, NULL) < 0 && errno == EINVAL, "sigaction SIGKILL gives EINVAL");
    sigset_t set, oset;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    check(sigprocmask(SIG_BLOCK, &set, NULL) == 0 && sigprocmask(SIG_SETMASK, NULL, &oset) == 0 &&
          sigismember(&oset, SIGUSR1), "sigprocmask block, read back");
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    sa.sa_handler = SIG_IGN;
    check(sigaction(SIGUSR2, &sa, NULL) == 0 && kill(getpid(), SIGUSR2) == 0, "ignored signal is ignored");

    static char stackbuf[65536];
    stack_t ss = { .ss_sp = stackbuf, .ss_size = sizeof(stackbuf), .ss_flags = 0 }, oss;
    check(sigaltstack(&ss, NULL) == 0 && sigaltstack(NULL, &oss) == 0 && oss.ss_sp == stackbuf &&
          oss.ss_size == sizeof(stackbuf), "sigaltstack");
    ss.ss_size = 1024;
    check(sigaltstack(&ss, NULL) < 0 && errno == ENOMEM, "sigaltstack too small gives ENOMEM");
}

static void test_time(void)
{
    struct timespec a, b, res;
    check(clock_gettime(CLOCK_MONOTONIC, &a) == 0, "clock_gettime");
    check(clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0, "clock_getres");
    struct timespec d = { 0, 2000000 };
    check(nanosleep(&d, NULL) == 0, "nanosleep");
    check(clock_nanosleep(CLOCK_MONOTONIC, 0, &d, NULL) == 0, "clock_nanosleep");
    clock_gettime(CLOCK_MONOTONIC, &b);
    long ns = (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec);
    check(ns >= 4000000, "monotonic clock advanced over the sleeps");
    struct timeval tv;
    struct timespec rt;
    check(gettimeofday(&tv, NULL) == 0 && clock_gettime(CLOCK_REALTIME, &rt) == 0 &&
          rt.tv_sec - tv.tv_sec <= 1 && tv.tv_sec > 1600000000, "gettimeofday agrees with CLOCK_REALTIME");
    check(time(NULL) >= tv.tv_sec, "time");
}

int main(int argc, char **argv)
{
    test_ids();
    test_fork_wait();
    test_machine();
    test_signals();
    test_time();
    printf("%d failures\n", failures);
    return failures != 0;
}
