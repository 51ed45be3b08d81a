/*
 * execve("/proc/self/exe") runs this program again (not the translator):
 * the first run re-executes itself with the argument "--child" and a new
 * argv[0]; the child checks what it got and exits with 42, which the
 * parent (in a fork) waits for.  The child also looks at its parent (the
 * forked first run, another emulated arm64 process) the way ps and pidof
 * would: /proc/PPID/exe is this program, /proc/PPID/cmdline the parent's
 * argv (its only argument-less argv[0]), /proc/PPID/comm its name.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "sys-check.h"

static ssize_t read_small(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, buf, size - 1) : -1;
    if (fd >= 0)
        close(fd);
    buf[n > 0 ? n : 0] = 0;
    return n;
}

static int parent_is_this_program(const char *exe)
{
    char path[64], link[PATH_MAX], cmdline[PATH_MAX], real[PATH_MAX], comm[64];
    snprintf(path, sizeof path, "/proc/%d/exe", getppid());
    ssize_t n = readlink(path, link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    snprintf(path, sizeof path, "/proc/%d/cmdline", getppid());
    ssize_t len = read_small(path, cmdline, sizeof cmdline);
    snprintf(path, sizeof path, "/proc/%d/comm", getppid());
    read_small(path, comm, sizeof comm);
    int ok = 1;
    if (n <= 0 || strcmp(link, exe) != 0) {
        printf("parent's exe: %s\n", link);
        ok = 0;
    }
    if (len <= 0 || (size_t)len != strlen(cmdline) + 1 || !realpath(cmdline, real) || strcmp(real, exe) != 0) {
        printf("parent's cmdline: %s (%zd bytes)\n", cmdline, len);
        ok = 0;
    }
    if (strcmp(comm, "proc-reexec\n") != 0) {
        printf("parent's comm: %s", comm);
        ok = 0;
    }
    return ok;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--child") == 0) {
        char link[4096];
        ssize_t n = readlink("/proc/self/exe", link, sizeof link - 1);
        link[n > 0 ? n : 0] = 0;
        int ok = strcmp(argv[0], "renamed-argv0") == 0 && n > 0 && strstr(link, "proc-reexec");
        return ok && parent_is_this_program(link) ? 42 : 1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        char *args[] = { "renamed-argv0", "--child", NULL };
        execv("/proc/self/exe", args);
        _exit(99);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    check(WIFEXITED(status) && WEXITSTATUS(status) == 42,
          "execve(/proc/self/exe) re-ran the program with argv[0] and --child");
    return failures ? 1 : 0;
}
