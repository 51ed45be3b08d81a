/*
 * Threads: priority-inheritance mutexes (FUTEX_LOCK_PI / UNLOCK_PI /
 * TRYLOCK_PI, the owner's tid in the futex word) and robust mutexes (a
 * thread that exits holding one leaves it to the next locker with
 * EOWNERDEAD, through the robust list the kernel walks at thread exit).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/syscall.h>

static int failures;
#define CHECK(cond, ...) do { if (!(cond)) { printf("FAIL: " __VA_ARGS__); printf("\n"); failures++; } } while (0)

/* ---- PI mutex ---- */

static pthread_mutex_t pi;
static long pi_counter;

static void *pi_worker(void *arg)
{
    for (int i = 0; i < 20000; i++) {
        pthread_mutex_lock(&pi);
        pi_counter++;
        pthread_mutex_unlock(&pi);
    }
    return NULL;
}

static void *pi_trylock(void *arg)
{
    return (void *)(long)pthread_mutex_trylock(&pi);
}

static void test_pi(void)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    CHECK(pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT) == 0, "setprotocol");
    CHECK(pthread_mutex_init(&pi, &a) == 0, "PI mutex init");

    /* held by main: the word holds main's tid; another thread's trylock fails */
    pthread_mutex_lock(&pi);
    unsigned word = *(volatile unsigned *)&pi;   /* __lock is the first field */
    CHECK((word & 0x3fffffff) == (unsigned)syscall(SYS_gettid), "PI word %#x holds the owner's tid", word);
    pthread_t t;
    void *r;
    pthread_create(&t, NULL, pi_trylock, NULL);
    pthread_join(t, &r);
    CHECK((long)r == EBUSY, "trylock of a held PI mutex: %ld", (long)r);
    pthread_mutex_unlock(&pi);

    pthread_t w[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&w[i], NULL, pi_worker, NULL);
    for (int i = 0; i < 4; i++)
        pthread_join(w[i], NULL);
    printf("PI mutex: counter %ld\n", pi_counter);
    CHECK(pi_counter == 80000, "PI counter");
}

/* ---- robust mutex ---- */

static pthread_mutex_t robust;

static void *die_holding(void *arg)
{
    pthread_mutex_lock(&robust);
    return NULL;                /* thread exits with the mutex held */
}

static void *lock_after_death(void *arg)
{
    return (void *)(long)pthread_mutex_lock(&robust);
}

static void test_robust(int pi_too)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    if (pi_too)
        pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
    CHECK(pthread_mutex_init(&robust, &a) == 0, "robust init");

    pthread_t t;
    void *r;
    pthread_create(&t, NULL, die_holding, NULL);
    pthread_join(t, NULL);
    /* another thread locks: the owner died */
    pthread_create(&t, NULL, lock_after_death, NULL);
    pthread_join(t, &r);
    printf("robust%s mutex after owner death: %s\n", pi_too ? " PI" : "",
           (long)r == EOWNERDEAD ? "EOWNERDEAD" : "something else");
    CHECK((long)r == EOWNERDEAD, "robust lock returned %ld", (long)r);
    /* that locker died too without making it consistent: still EOWNERDEAD here */
    int e = pthread_mutex_lock(&robust);
    CHECK(e == EOWNERDEAD, "second lock returned %d", e);
    CHECK(pthread_mutex_consistent(&robust) == 0, "consistent");
    CHECK(pthread_mutex_unlock(&robust) == 0, "unlock");
    CHECK(pthread_mutex_lock(&robust) == 0, "lock after consistent");
    pthread_mutex_unlock(&robust);
    pthread_mutex_destroy(&robust);
}

/* ---- a waiter blocked in the kernel when the owner dies ---- */

static pthread_mutex_t robust2;
static pthread_barrier_t held;

static void *hold_then_die(void *arg)
{
    pthread_mutex_lock(&robust2);
    pthread_barrier_wait(&held);
    usleep(20000);              /* let main block on the futex */
    return NULL;
}

static void test_robust_waiter(void)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&robust2, &a);
    pthread_barrier_init(&held, NULL, 2);
    pthread_t t;
    pthread_create(&t, NULL, hold_then_die, NULL);
    pthread_barrier_wait(&held);
    int e = pthread_mutex_lock(&robust2);       /* blocks until the owner is gone */
    printf("blocked robust locker woke with %s\n", e == EOWNERDEAD ? "EOWNERDEAD" : "something else");
    CHECK(e == EOWNERDEAD, "blocked locker got %d", e);
    pthread_mutex_consistent(&robust2);
    pthread_mutex_unlock(&robust2);
    pthread_join(t, NULL);
}

int main(void)
{
    test_pi();
    test_robust(0);
    test_robust(1);
    test_robust_waiter();
    printf("%s\n", failures ? "FAILED" : "all ok");
    return failures != 0;
}
