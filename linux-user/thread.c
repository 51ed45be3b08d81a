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
 * are host addresses and guest tids are host tids, so when a thread dies
 * with its process (exit_group, a fatal signal) the host kernel walks the
 * guest's list exactly as an arm64 kernel would.  A thread that calls exit
 * walks it here instead, before clear_child_tid wakes its joiner: the host
 * thread outlives the guest thread for a moment, and by the time the host
 * kernel would walk the list the joiner may already have handed the guest
 * stack holding the list head to a new thread.
 */
#include "linux-user/thread.h"
#include "linux-user/signal.h"

#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <glib.h>

#include "linux-user/guest-mem.h"
#include "linux-user/log.h"
#include "tcg/exec.h"

/* Host stack of each further thread: translation and the syscall layer
 * run on it, the guest never does. */
#define THREAD_HOST_STACK_SIZE (8u << 20)

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
    if (t->sig)
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
    if (parent->sig) {
        signal_before_first_thread(parent->sig);
        t->sig = signal_thread_create(env, parent->sig);
    }

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

/* ---- robust futex list at thread exit ----------------------------------- */

/* struct robust_list_head (same on arm64 and x86-64) and the futex word's
 * bits, from the kernel's uapi linux/futex.h. */
typedef struct GuestRobustHead {
    uint64_t next;                   /* struct robust_list *; bit 0: PI futex */
    int64_t futex_offset;            /* from a list entry to its futex word */
    uint64_t list_op_pending;
} GuestRobustHead;
#define ROBUST_LIST_LIMIT 2048       /* the kernel's bound on a (cyclic) list */

/* What the host kernel is left to walk once the guest list has been
 * handled: an empty list (it only ever reads it). */
static struct robust_list_head exited_robust_head = { { &exited_robust_head.list }, 0, NULL };

static bool guest_u64(uint64_t addr, uint64_t *v)
{
    return copy_from_guest(v, addr, sizeof *v) == 0;
}

/* The owner `tid` is gone: mark the futex word OWNER_DIED (keeping
 * WAITERS) and wake a non-PI waiter, as the kernel's handle_futex_death. */
static void robust_futex_owner_died(uint64_t uaddr, int tid, bool pi, bool pending_op)
{
    if ((uaddr & 3) || !guest_range_ok(uaddr, 4, PROT_READ | PROT_WRITE))
        return;
    uint32_t *word = g2h(uaddr);
    uint32_t uval = __atomic_load_n(word, __ATOMIC_SEQ_CST);
    for (;;) {
        if (pending_op && !pi && uval == 0) {
            /* died between taking the lock and recording it: wake a waiter
             * that may have seen the lock free */
            syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0);
            return;
        }
        if ((uval & FUTEX_TID_MASK) != (uint32_t)tid)
            return;
        uint32_t mval = (uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
        if (__atomic_compare_exchange_n(word, &uval, mval, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
            break;
    }
    if (!pi && (uval & FUTEX_WAITERS))
        syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0);
}

/* Walk the calling thread's robust list (the one it gave the host kernel)
 * and leave the kernel an empty one. */
static void release_robust_list(int tid)
{
    struct robust_list_head *kernel_head;
    size_t len;
    if (syscall(SYS_get_robust_list, 0, &kernel_head, &len) != 0 || !kernel_head ||
        kernel_head == &exited_robust_head)
        return;
    syscall(SYS_set_robust_list, &exited_robust_head, sizeof exited_robust_head);

    uint64_t head_addr = h2g(kernel_head);
    GuestRobustHead head;
    if (copy_from_guest(&head, head_addr, sizeof head) != 0)
        return;
    uint64_t entry = head.next & ~1ull;
    bool pi = head.next & 1;
    uint64_t pending = head.list_op_pending & ~1ull;
    bool pending_pi = head.list_op_pending & 1;
    for (int limit = ROBUST_LIST_LIMIT; entry != head_addr && limit > 0; limit--) {
        uint64_t next;
        if (!guest_u64(entry, &next))
            break;
        if (entry != pending)
            robust_futex_owner_died(entry + (uint64_t)head.futex_offset, tid, pi, false);
        entry = next & ~1ull;
        pi = next & 1;
    }
    if (pending)
        robust_futex_owner_died(pending + (uint64_t)head.futex_offset, tid, pending_pi, true);
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
    exec_before_exit();
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
        exec_before_exit();
        flush_logs();
        _exit(process_status);
    }
    release_robust_list(t->tid);
    clear_child_tid(t);
    if (t->on_initial_host_thread) {
        /* main() cannot return without ending the process: end just this
         * host thread.  Its CPUState stays (GuestProcess.cpu names it). */
        for (;;)
            syscall(SYS_exit, 0);
    }
    longjmp(t->exit_jmp, 1);
}
