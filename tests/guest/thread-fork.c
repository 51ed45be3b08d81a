/*
 * Threads and fork: a program with running threads forks; the child has
 * only the forking thread, can take locks other threads held at the fork
 * (malloc, stdio) once the parent's state is copied, can start threads of
 * its own, and exits with its own status.  Also fork from a thread that is
 * not the main one.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

static int failures;
#define CHECK(cond, ...) do { if (!(cond)) { printf("FAIL: " __VA_ARGS__); printf("\n"); failures++; } } while (0)

static volatile int stop;

/* Busy threads that allocate and free while the fork happens. */
static void *churn(void *arg)
{
    while (!stop) {
        char *p = malloc(64 + (rand() & 1023));
        memset(p, 1, 64);
        free(p);
    }
    return NULL;
}

static void *child_thread(void *arg)
{
    return (void *)((long)arg + 1);
}

static int count_threads(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    int threads = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "Threads: %d", &threads) == 1)
            break;
    if (f)
        fclose(f);
    return threads;
}

/* In a fork child: only this thread exists; start and join one. */
static int child_work(void)
{
    if (count_threads() != 1)
        return 11;
    char *p = malloc(1000);        /* malloc usable despite the churners */
    free(p);
    pthread_t t;
    void *r;
    if (pthread_create(&t, NULL, child_thread, (void *)41L) != 0)
        return 10;
    pthread_join(t, &r);
    return (long)r == 42 ? 7 : 12;
}

static int fork_and_wait(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        _exit(child_work());
    int status;
    if (waitpid(pid, &status, 0) != pid)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -2;
}

static void *fork_from_thread(void *arg)
{
    return (void *)(long)fork_and_wait();
}

int main(void)
{
    pthread_t c[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&c[i], NULL, churn, NULL);

    for (int round = 0; round < 5; round++) {
        int st = fork_and_wait();
        CHECK(st == 7, "fork from main, round %d: child status %d", round, st);
    }
    pthread_t t;
    void *r;
    pthread_create(&t, NULL, fork_from_thread, NULL);
    pthread_join(t, &r);
    CHECK((long)r == 7, "fork from a thread: child status %ld", (long)r);

    stop = 1;
    for (int i = 0; i < 3; i++)
        pthread_join(c[i], NULL);
    printf("fork with threads: %s\n", failures ? "FAILED" : "ok");
    return failures != 0;
}
