/* tests/system/startup-bench.c -- measures ferry-system-x86_64's start-up:
 * runs "VMM --report-startup ARGS..." N times and reports the medians of
 * (1) the VMM's CPU time when the guest's first instruction (a port write)
 * exits to it, (2) wall time from just before exec to that moment, (3) wall
 * time of the whole run and (4) peak RSS (the guest touches a few pages, so
 * this is the VMM's overhead).
 * usage: startup-bench N VMM GUEST-ARGS... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* One run: fills cpu ms, first-exit wall ms, total wall ms, max RSS KiB. */
static int run_once(char **argv, double *cpu_ms, double *first_ms, double *total_ms, double *rss_kb)
{
    int pfd[2];
    if (pipe(pfd) < 0)
        return -1;
    double t0 = now_s();
    pid_t pid = fork();
    if (pid == 0) {
        dup2(pfd[1], 2);
        close(pfd[0]);
        int null = open("/dev/null", 0);
        dup2(null, 0);
        execv(argv[0], argv);
        _exit(127);
    }
    close(pfd[1]);
    char buf[4096];
    size_t len = 0;
    ssize_t n;
    while ((n = read(pfd[0], buf + len, sizeof(buf) - 1 - len)) > 0)
        len += (size_t)n;
    buf[len] = 0;
    close(pfd[0]);
    int status;
    struct rusage ru;
    wait4(pid, &status, 0, &ru);
    *total_ms = (now_s() - t0) * 1e3;
    *rss_kb = (double)ru.ru_maxrss;
    const char *p = strstr(buf, "first guest exit: cpu ");
    double mono;
    if (!p || sscanf(p, "first guest exit: cpu %lf ms, monotonic %lf", cpu_ms, &mono) != 2) {
        fprintf(stderr, "startup-bench: no start-up report in:\n%s", buf);
        return -1;
    }
    *first_ms = (mono - t0) * 1e3;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: startup-bench N VMM GUEST-ARGS...\n");
        return 2;
    }
    int runs = atoi(argv[1]);
    char **child = calloc((size_t)argc + 1, sizeof(char *));
    child[0] = argv[2];
    child[1] = "--report-startup";
    for (int i = 3; i < argc; i++)
        child[i - 1] = argv[i];
    double *cpu = calloc((size_t)runs, sizeof(double)), *first = calloc((size_t)runs, sizeof(double));
    double *total = calloc((size_t)runs, sizeof(double)), *rss = calloc((size_t)runs, sizeof(double));
    for (int i = 0; i < runs; i++)
        if (run_once(child, &cpu[i], &first[i], &total[i], &rss[i]) < 0)
            return 1;
    printf("runs %d: to first guest instruction: %.2f ms CPU, %.2f ms wall; whole run %.2f ms "
           "wall; peak RSS %.0f KiB (medians)\n", runs, median(cpu, runs), median(first, runs),
           median(total, runs), median(rss, runs));
    return 0;
}
