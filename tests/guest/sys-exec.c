/*
 * Guest test of execve and posix_spawn: an arm64 program (this one again,
 * by path and through /proc/self/exe) must run translated, a host program
 * natively, a missing one must fail with ENOENT, and a script whose
 * interpreter is this program must run it.  No expected-output file: the
 * reference emulator runs arm64 children only when binfmt_misc is set up,
 * so this test only checks its own exit status.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "sys-check.h"

extern char **environ;

/* Run path with args in a forked child; its exit status, or -1. */
static int run(const char *path, char *const *args)
{
    pid_t pid = fork();
    if (pid == 0) {
        execve(path, args, environ);
        _exit(99);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "child-exec") == 0)
        return atoi(argv[2]);
    if (argc >= 3 && strcmp(argv[2], "child-exec") == 0)   /* run as a script's interpreter */
        return argc == 4 ? atoi(argv[3]) : 98;

    char *self = argv[0];
    char *args[] = { self, "child-exec", "17", NULL };
    check(run("/proc/self/exe", args) == 17, "execve of /proc/self/exe");
    check(run(self, args) == 17, "execve by path");
    char *sh[] = { "/bin/sh", "-c", "exit 5", NULL };
    check(run("/bin/sh", sh) == 5, "execve of a host /bin/sh");
    check(execve("/nonexistent/ferry", args, environ) < 0 && errno == ENOENT, "execve of a missing file");

    char *sargs[] = { self, "child-exec", "9", NULL };
    pid_t pid;
    int status;
    check(posix_spawn(&pid, "/proc/self/exe", NULL, NULL, sargs, environ) == 0 &&
          waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 9, "posix_spawn");

    /* A script run by this program: argv = interp, script, child-exec, 23. */
    char script[] = "/tmp/ferry-sys-exec-XXXXXX";
    int fd = mkstemp(script);
    char real[4096];
    if (fd >= 0 && realpath(self, real)) {
        dprintf(fd, "#!%s\n", real);
        close(fd);
        chmod(script, 0755);
        char *sc[] = { script, "child-exec", "23", NULL };
        check(run(script, sc) == 23, "execve of a script with an arm64 interpreter");
        unlink(script);
    }
    printf("%d failures\n", failures);
    return failures != 0;
}
