/*
 * execve("/proc/self/exe") runs this program again (not the translator):
 * the first run re-executes itself with the argument "--child" and a new
 * argv[0]; the child checks what it got and exits with 42, which the
 * parent (in a fork) waits for.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "sys-check.h"

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--child") == 0) {
        char link[4096];
        ssize_t n = readlink("/proc/self/exe", link, sizeof link - 1);
        link[n > 0 ? n : 0] = 0;
        int ok = strcmp(argv[0], "renamed-argv0") == 0 && n > 0 && strstr(link, "proc-reexec");
        return ok ? 42 : 1;
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
