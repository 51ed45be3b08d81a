/* ferry bench: run a program and report what it cost, measured from a
 * process small enough not to inflate the peak resident memory.
 *
 *   peakrss RESULT PROGRAM ARGS...
 *
 * forks, execs PROGRAM with ARGS (environment, descriptors and working
 * directory inherited), waits, and writes one line to RESULT:
 *   wall_seconds user_seconds sys_seconds maxrss_kib
 * then exits as the program did (a signal is re-raised).  A process started
 * straight from the harness (Python, ~20 MiB) would report the harness's
 * resident size as its own peak: the kernel keeps the high-water mark of
 * the memory the process had before exec. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double seconds(struct timeval tv) { return tv.tv_sec + tv.tv_usec / 1e6; }

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: peakrss RESULT PROGRAM ARGS...\n");
        return 2;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        perror("peakrss: fork");
        return 127;
    }
    if (pid == 0) {
        execv(argv[2], argv + 2);
        perror("peakrss: exec");
        _exit(127);
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("peakrss: wait4");
        return 127;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    FILE *f = fopen(argv[1], "w");
    if (f) {
        fprintf(f, "%.6f %.6f %.6f %ld\n",
                (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9,
                seconds(ru.ru_utime), seconds(ru.ru_stime), ru.ru_maxrss);
        fclose(f);
    }
    if (WIFSIGNALED(status)) {
        signal(WTERMSIG(status), SIG_DFL);
        raise(WTERMSIG(status));
        return 128 + WTERMSIG(status);
    }
    return WEXITSTATUS(status);
}
