/*
 * Guest threads (see thread.h): the process's thread group, creating a
 * thread for clone(CLONE_VM|CLONE_THREAD|...) on a new host thread, ending
 * one thread (exit) or all of them (exit_group), and what a fork child
 * keeps.
 *
 * Each guest thread gets a host pthread with a host stack of its own; the
 * guest stack is whatever the guest passed to clone.  A thread that calls
 * exit unwinds (longjmp) to its host thread's start routine and returns
 * from it, so the host C library reclaims the host stack.  The first
 * thread runs on the host thread main() ran on, which cannot return
 * without ending the process, so it leaves with a raw exit system call.
 * The last thread to call exit ends the process with the first thread's
 * status, as the kernel reports a thread group whose leader exited first.
 *
 * Robust futex lists are passed to the host kernel as they are (the
 * syscall table passes set_robust_list/get_robust_list through): struct
 * robust_list_head has the same layout on arm64 and x86-64, guest addresses
 * are host addresses and guest tids are host tids, so the host kernel walks
 * the guest's list when the host thread dies, exactly as an arm64 kernel
 * would, including deaths by exit_group or a fatal signal.
 */
#include "linux-user/thread.h"

#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <glib.h>

#include "linux-user/guest-mem.h"
#include "linux-user/log.h"

/* Host stack of each further thread: translation and the syscall layer
 * run on it, the guest never does. */
#define THREAD_HOST_STACK_SIZE (8u << 20)

/* linux-user/signal.c's per-thread state, referenced weakly so threads
 * work in a build without it (the state then stays NULL).  Prototypes as
 * in linux-user/signal.h. */
extern struct SignalThread *signal_thread_create(CPUState *env, const struct SignalThread *parent)
    __attribute__((weak));
extern void signal_thread_attach(struct SignalThread *t) __attribute__((weak));

/* ---- the thread group ---------------------------------------------------- */

static void group_add_locked(ThreadGroup *g, GuestThread *t)
{
    t->next = g->list;
    g->list = t;
    g->count++;
}

static void group_remove_locked(ThreadGroup *g, GuestThread *t)
{
    for (GuestThread **pp = &g->list; *pp; pp = &(*pp)->next) {
        if (*pp == t) {
            *pp = t->next;
            break;
        }
    }
    t->next = NULL;
    g->count--;
}

GuestThread *thread_init_main(GuestProcess *proc, CPUState *env,
                              ThreadRunFn *run)
{
    ThreadGroup *g = g_new0(ThreadGroup, 1);
    GuestThread *t = g_new0(GuestThread, 1);

    pthread_mutex_init(&g->lock, NULL);
    g->run = run;
    t->env = env;
    t->proc = proc;
    t->tid = (int)syscall(SYS_gettid);
    t->on_initial_host_thread = true;
    env->opaque = t;
    group_add_locked(g, t);
    g->leader = t;
    proc->threads = g;
    return t;
}

void thread_foreach(GuestProcess *proc, void (*fn)(GuestThread *t, void *opaque), void *opaque)
{
    ThreadGroup *g = proc->threads;
    pthread_mutex_lock(&g->lock);
    for (GuestThread *t = g->list; t; t = t->next)
        fn(t, opaque);
    pthread_mutex_unlock(&g->lock);
}

void thread_after_fork_child(GuestThread *t)
{
    ThreadGroup *g = t->proc->threads;
    /* Another thread may have held the lock at the fork: start afresh. */
    pthread_mutex_init(&g->lock, NULL);
    g->list = NULL;
    g->count = 0;
    group_add_locked(g, t);
    g->leader = t;
    t->tid = (int)syscall(SYS_gettid);
}

/* ---- creating a thread ----------------------------------------------------- */

/* Handed from thread_clone to the new host thread; lives on the parent's
 * stack until the child posts `ready`. */
typedef struct ThreadStart {
    GuestThread *t;
    ThreadCloneArgs args;
    sigset_t host_mask;        /* the parent's host signal mask */
    sem_t ready;
    int tid;
} ThreadStart;

static void put_guest_u32(uint64_t addr, uint32_t v)
{
    if (addr)
        copy_to_guest(addr, &v, sizeof v);
}

static void *thread_main(void *opaque)
{
    ThreadStart *s = opaque;
    GuestThread *t = s->t;
    sigset_t host_mask = s->host_mask;

    t->tid = (int)syscall(SYS_gettid);
    if (s->args.flags & CLONE_PARENT_SETTID)
        put_guest_u32(s->args.parent_tid, (uint32_t)t->tid);
    if (s->args.flags & CLONE_CHILD_SETTID)
        put_guest_u32(s->args.child_tid, (uint32_t)t->tid);
    if (t->sig && signal_thread_attach)
        signal_thread_attach(t->sig);
    s->tid = t->tid;
    sem_post(&s->ready);                 /* s is gone after this */

    pthread_sigmask(SIG_SETMASK, &host_mask, NULL);
    if (setjmp(t->exit_jmp) == 0)
        t->proc->threads->run(t->proc, t->env);
    /* thread_exit came back here: the guest thread is over. */
    free(t->env);
    g_free(t);
    return NULL;
}

/* The child's CPU: the parent's registers, returning 0 from clone on the
 * new stack with the new TLS pointer. */
static CPUState *child_cpu(const CPUState *parent, const ThreadCloneArgs *a)
{
    CPUState *env;
    if (posix_memalign((void **)&env, 64, sizeof *env) != 0)
        return NULL;
    memcpy(env, parent, sizeof *env);
    env->x[0] = 0;
    if (a->stack)
        env->x[GREG_SP] = a->stack;
    if (a->flags & CLONE_SETTLS)
        env->tpidr_el0 = a->tls;
    env->excl_addr = UINT64_MAX;        /* the monitor is per thread */
    env->interrupt_request = 0;
    return env;
}

static int start_host_thread(ThreadStart *s)
{
    pthread_attr_t attr;
    pthread_t host;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, THREAD_HOST_STACK_SIZE);
    int err = pthread_create(&host, &attr, thread_main, s);
    pthread_attr_destroy(&attr);
    return err;
}

int64_t thread_clone(GuestThread *parent, const ThreadCloneArgs *a)
{
    ThreadGroup *g = parent->proc->threads;
    GuestThread *t = g_new0(GuestThread, 1);
    CPUState *env = child_cpu(parent->env, a);
    if (!env) {
        g_free(t);
        return -ENOMEM;
    }
    env->opaque = t;
    t->env = env;
    t->proc = parent->proc;
    t->clear_child_tid = (a->flags & CLONE_CHILD_CLEARTID) ? a->child_tid : 0;
    if (parent->sig && signal_thread_create)
        t->sig = signal_thread_create(env, parent->sig);

    ThreadStart s = { .t = t, .args = *a };
    sigset_t all;
    sem_init(&s.ready, 0, 0);
    /* No host signal may reach the new thread before it is set up; it
     * restores the parent's mask itself. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &s.host_mask);

    pthread_mutex_lock(&g->lock);
    group_add_locked(g, t);
    pthread_mutex_unlock(&g->lock);

    int err = start_host_thread(&s);
    if (err == 0) {
        while (sem_wait(&s.ready) != 0 && errno == EINTR)
            ;
    } else {
        pthread_mutex_lock(&g->lock);
        group_remove_locked(g, t);
        pthread_mutex_unlock(&g->lock);
        free(env);
        g_free(t);
    }
    pthread_sigmask(SIG_SETMASK, &s.host_mask, NULL);
    sem_destroy(&s.ready);
    return err ? -err : s.tid;
}

/* ---- ending threads ---------------------------------------------------------- */

static void flush_logs(void)
{
    fflush(stdout);
    fflush(stderr);
    if (ferry_log_file)
        fflush(ferry_log_file);
}

_Noreturn void thread_exit_group(GuestThread *t, int status)
{
    flush_logs();
    _exit(status & 0xff);
}

/* CLONE_CHILD_CLEARTID: zero the tid word and wake one waiter (a joiner),
 * as the kernel does for a thread that exits while the memory lives on. */
static void clear_child_tid(GuestThread *t)
{
    if (!t->clear_child_tid)
        return;
    uint32_t zero = 0;
    if (copy_to_guest(t->clear_child_tid, &zero, sizeof zero) == 0)
        syscall(SYS_futex, g2h(t->clear_child_tid), FUTEX_WAKE, 1, NULL, NULL, 0);
}

_Noreturn void thread_exit(GuestThread *t, int status)
{
    ThreadGroup *g = t->proc->threads;

    pthread_mutex_lock(&g->lock);
    if (t == g->leader)
        g->leader_status = status & 0xff;
    group_remove_locked(g, t);
    bool last = g->count == 0;
    int process_status = g->leader_status;
    pthread_mutex_unlock(&g->lock);

    if (last) {
        flush_logs();
        _exit(process_status);
    }
    clear_child_tid(t);
    if (t->on_initial_host_thread) {
        /* main() cannot return without ending the process: end just this
         * host thread.  Its CPUState stays (GuestProcess.cpu names it). */
        for (;;)
            syscall(SYS_exit, 0);
    }
    longjmp(t->exit_jmp, 1);
}
