/*
 * set*id in a multi-threaded process: the C library changes the ids of
 * every thread by signalling each one (its internal set*id signal, 33 on
 * arm64 Linux) and running a handler there.  The guest's handler must be
 * the one that runs, also for threads started before and after the call,
 * and the ids must change in every thread.  Self-checking; prints one line.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#define N_THREADS 4

static pthread_barrier_t ready, changed, done;
static long seen_gid[N_THREADS];

static void *worker(void *arg)
{
    long i = (long)arg;
    pthread_barrier_wait(&ready);
    pthread_barrier_wait(&changed);
    /* the raw syscall: this thread's own credentials, not a cached value */
    seen_gid[i] = syscall(SYS_getegid);
    pthread_barrier_wait(&done);
    return NULL;
}

int main(void)
{
    gid_t start = getegid();
    gid_t other = start == 0 ? 1 : start;   /* root: switch to 1; else stay */
    pthread_t t[N_THREADS];
    pthread_barrier_init(&ready, NULL, N_THREADS + 1);
    pthread_barrier_init(&changed, NULL, N_THREADS + 1);
    pthread_barrier_init(&done, NULL, N_THREADS + 1);
    for (long i = 0; i < N_THREADS; i++) {
        if (pthread_create(&t[i], NULL, worker, (void *)i) != 0) {
            perror("pthread_create");
            return 1;
        }
    }
    pthread_barrier_wait(&ready);
    if (setresgid(-1, other, -1) != 0) {      /* broadcast to every thread */
        perror("setresgid");
        return 1;
    }
    pthread_barrier_wait(&changed);
    pthread_barrier_wait(&done);
    int bad = 0;
    for (int i = 0; i < N_THREADS; i++) {
        pthread_join(t[i], NULL);
        if (seen_gid[i] != (long)other) {
            fprintf(stderr, "thread %d sees egid %ld, want %ld\n", i, seen_gid[i], (long)other);
            bad = 1;
        }
    }
    if (syscall(SYS_getegid) != (long)other) {
        fprintf(stderr, "main thread egid %ld, want %ld\n", syscall(SYS_getegid), (long)other);
        bad = 1;
    }
    /* and again after all threads are gone, with new ones started later */
    if (setresgid(-1, start, -1) != 0) {
        perror("setresgid back");
        return 1;
    }
    printf("set*id reached %d threads: %s\n", N_THREADS, bad ? "no" : "yes");
    return bad;
}
