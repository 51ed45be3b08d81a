/*
 * ferry's own descriptors must stay out of the guest's file-descriptor
 * table.  The pattern of a Debian maintainer script under debconf: a shell
 * saves the pipe to the frontend as fd 3 (`exec 3>&1`), vfork()s a perl
 * program (posix_spawn), and perl duplicates fd 3 onto stdout and writes
 * "VERSION 2.0\n" there.  The program runs in three stages, each started
 * by execve("/proc/self/exe"):
 *   1. ([SYSROOT]) closes every descriptor above stderr and re-executes
 *      itself, so stage 2 starts with exactly 0, 1 and 2 open;
 *   2. "--spawner [SYSROOT]" looks up a path (so anything opened lazily for
 *      that is open), checks that nothing but stdio is open, puts a pipe's
 *      write end at fd 3, forks a child that writes to fd 3, posix_spawn()s
 *      stage 3, and reads what both wrote.  Run with -L SYSROOT (the
 *      argument names it), it also checks that an absolute path still
 *      names the sysroot's file once fd 3 has been replaced;
 *   3. "--confmodule" dups fd 3 onto stdout, writes the greeting, keeps
 *      running a little, and exits 0 only if fd 1 is still the pipe.
 * proc-spawn-fds-sysroot.c builds the same program dynamically linked.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "sys-check.h"

#define GREETING "VERSION 2.0\n"

extern char **environ;

static volatile sig_atomic_t sigchld_count;

static void on_sigchld(int sig)
{
    (void)sig;
    sigchld_count++;
}

static int is_pipe(int fd)
{
    struct stat st;
    return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

/* Some work after the write, so the program passes through freshly
 * translated code again before it exits. */
static unsigned long busy_work(unsigned long n)
{
    unsigned long acc = 1;
    for (unsigned long i = 0; i < n; i++)
        acc = acc * 6364136223846793005ul + i;
    return acc;
}

static int run_confmodule(void)
{
    /* Like perl's open(STDOUT, ">&3"): no check before the write. */
    int fd = fcntl(3, F_DUPFD_CLOEXEC, 0);
    if (fd < 0)
        return 2;
    if (dup2(fd, 1) != 1)
        return 3;
    close(fd);
    if (write(1, GREETING, strlen(GREETING)) != (ssize_t)strlen(GREETING))
        return 4;
    char text[32];
    snprintf(text, sizeof text, "%lu", busy_work(100000));
    return is_pipe(1) && strlen(text) > 0 ? 0 : 5;
}

static int first_open_fd_above_stderr(void)
{
    for (int fd = 3; fd < 256; fd++)
        if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
            return fd;
    return -1;
}

static int wait_status(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return status;
}

static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static int run_spawner(const char *self, const char *sysroot)
{
    (void)access("/etc/hostname", F_OK);
    int open_fd = first_open_fd_above_stderr();
    if (open_fd >= 0)
        printf("descriptor %d is open after execve\n", open_fd);
    check(open_fd < 0, "only stdin, stdout and stderr are open after execve");

    struct sigaction sa = { .sa_handler = on_sigchld };
    sigaction(SIGCHLD, &sa, NULL);

    /* The read end well away from 3, the write end at 3 (`exec 3>&1`). */
    int p[2];
    check(pipe2(p, O_CLOEXEC) == 0, "pipe2");
    int rd = fcntl(p[0], F_DUPFD_CLOEXEC, 20);
    close(p[0]);
    check(dup2(p[1], 3) == 3, "dup2 the pipe's write end to fd 3");
    if (p[1] != 3)
        close(p[1]);
    if (sysroot) {
        char in_root[4096];
        snprintf(in_root, sizeof in_root, "%s/lib/libm.so.6", sysroot);
        check(same_file("/lib/libm.so.6", in_root),
              "with fd 3 replaced, /lib/libm.so.6 is still the sysroot's");
    }

    pid_t pid = fork();
    if (pid == 0) {
        int ok = is_pipe(3) && write(3, "fork\n", 5) == 5;
        _exit(ok ? 0 : 1);
    }
    int status = wait_status(pid);
    check(pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "a fork child still has the pipe at fd 3");

    char *child_argv[] = { (char *)"proc-spawn-fds", (char *)"--confmodule", NULL };
    pid_t spawned;
    int rc = posix_spawn(&spawned, self, NULL, NULL, child_argv, environ);
    check(rc == 0, "posix_spawn");
    close(3);
    status = rc == 0 ? wait_status(spawned) : -1;
    if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0))
        printf("spawned child: status %#x\n", status);
    check(rc == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "the spawned program wrote through its dup of fd 3 and exited 0");

    char buf[64] = { 0 };
    size_t len = 0;
    ssize_t n;
    while (len < sizeof buf - 1 && (n = read(rd, buf + len, sizeof buf - 1 - len)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        len += (size_t)n;
    }
    check(strcmp(buf, "fork\n" GREETING) == 0, "the pipe carried both children's lines");
    check(sigchld_count >= 1, "SIGCHLD was delivered");
    return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--confmodule") == 0)
        return run_confmodule();
    if (argc >= 2 && strcmp(argv[1], "--spawner") == 0)
        return run_spawner("/proc/self/exe", argc > 2 ? argv[2] : NULL);

    for (int fd = 3; fd < 1024; fd++)
        close(fd);
    char *next_argv[] = { argv[0], (char *)"--spawner", argc > 1 ? argv[1] : NULL, NULL };
    execv("/proc/self/exe", next_argv);
    perror("execv /proc/self/exe");
    return 1;
}
