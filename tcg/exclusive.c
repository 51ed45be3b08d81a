/*
 * Exclusive sections (see exclusive.h): a count of the threads inside
 * cpu_exec, the list of their CPUs to kick, and a flag saying a section is
 * wanted, all under one mutex; the flag is also read without it by the
 * dispatcher's cheap check.
 */
#include "tcg/exclusive.h"

#include <pthread.h>
#include <stdlib.h>

typedef struct ExclusiveState {
    pthread_mutex_t lock;
    pthread_cond_t cond;        /* running dropped, or a section ended */
    int running;                /* threads in cpu_exec and not parked */
    bool pending;               /* a section is waiting or under way */
    CPUState **cpus;            /* CPUs inside cpu_exec (parked or not) */
    int n_cpus, cap_cpus;
} ExclusiveState;

static ExclusiveState excl = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .cond = PTHREAD_COND_INITIALIZER,
};

static void cpus_add(CPUState *env)
{
    if (excl.n_cpus == excl.cap_cpus) {
        int cap = excl.cap_cpus ? 2 * excl.cap_cpus : 16;
        CPUState **p = realloc(excl.cpus, (size_t)cap * sizeof(*p));
        if (!p) {
            abort();
        }
        excl.cpus = p;
        excl.cap_cpus = cap;
    }
    excl.cpus[excl.n_cpus++] = env;
}

static void cpus_remove(CPUState *env)
{
    for (int i = 0; i < excl.n_cpus; i++) {
        if (excl.cpus[i] == env) {
            excl.cpus[i] = excl.cpus[--excl.n_cpus];
            return;
        }
    }
}

static void wait_while_pending(void)
{
    while (excl.pending) {
        pthread_cond_wait(&excl.cond, &excl.lock);
    }
}

void exclusive_cpu_enter(CPUState *env)
{
    pthread_mutex_lock(&excl.lock);
    wait_while_pending();
    excl.running++;
    cpus_add(env);
    pthread_mutex_unlock(&excl.lock);
}

void exclusive_cpu_leave(CPUState *env)
{
    pthread_mutex_lock(&excl.lock);
    excl.running--;
    cpus_remove(env);
    if (excl.pending) {
        pthread_cond_broadcast(&excl.cond);
    }
    pthread_mutex_unlock(&excl.lock);
}

bool exclusive_requested(void)
{
    return __atomic_load_n(&excl.pending, __ATOMIC_ACQUIRE);
}

void exclusive_park(CPUState *env)
{
    pthread_mutex_lock(&excl.lock);
    excl.running--;
    pthread_cond_broadcast(&excl.cond);
    wait_while_pending();
    excl.running++;
    pthread_mutex_unlock(&excl.lock);
}

void exclusive_run(CPUState *self, void (*fn)(void *opaque), void *opaque)
{
    pthread_mutex_lock(&excl.lock);
    if (self) {
        excl.running--;             /* the caller is at a safe point */
        pthread_cond_broadcast(&excl.cond);
    }
    wait_while_pending();           /* one section at a time */
    __atomic_store_n(&excl.pending, true, __ATOMIC_RELEASE);
    for (int i = 0; i < excl.n_cpus; i++) {
        if (excl.cpus[i] != self) {
            __atomic_store_n(&excl.cpus[i]->interrupt_request, 1, __ATOMIC_RELEASE);
        }
    }
    while (excl.running > 0) {
        pthread_cond_wait(&excl.cond, &excl.lock);
    }
    pthread_mutex_unlock(&excl.lock);

    fn(opaque);

    pthread_mutex_lock(&excl.lock);
    __atomic_store_n(&excl.pending, false, __ATOMIC_RELEASE);
    if (self) {
        excl.running++;
    }
    pthread_cond_broadcast(&excl.cond);
    pthread_mutex_unlock(&excl.lock);
}

void exclusive_after_fork_child(void)
{
    pthread_mutex_init(&excl.lock, NULL);
    pthread_cond_init(&excl.cond, NULL);
    excl.running = 0;
    excl.pending = false;
    excl.n_cpus = 0;
}
