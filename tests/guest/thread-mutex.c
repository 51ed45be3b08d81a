/*
 * Threads: 8 threads add to one counter under a pthread mutex; the total is
 * exact only if the mutex (futex WAIT/WAKE) excludes for real.  Each
 * thread's return value comes back through pthread_join.
 */
#include <pthread.h>
#include <stdio.h>

#define THREADS 8
#define ITERS 200000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static pthread_barrier_t start;     /* all threads start together */

static void *add(void *arg)
{
    pthread_barrier_wait(&start);
    for (int i = 0; i < ITERS; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
    }
    return (void *)((long)arg * 10 + 1);
}

int main(void)
{
    pthread_t t[THREADS];
    long sum = 0;

    pthread_barrier_init(&start, NULL, THREADS);

    for (long i = 0; i < THREADS; i++)
        if (pthread_create(&t[i], NULL, add, (void *)i) != 0)
            return 1;
    for (int i = 0; i < THREADS; i++) {
        void *ret;
        if (pthread_join(t[i], &ret) != 0)
            return 2;
        sum += (long)ret;
    }
    printf("counter %ld (expected %ld)\n", counter, (long)THREADS * ITERS);
    printf("sum of return values %ld\n", sum);
    return counter == (long)THREADS * ITERS && sum == 288 ? 0 : 3;
}
