/*
 * Guest threads.  Every guest thread runs on its own host thread with its
 * own CPUState; CPUState.opaque points at the thread's GuestThread, which
 * holds everything that is per thread (tid, clear_child_tid, the signal
 * state owned by linux-user/signal.c).  The guest tid is the host tid, so
 * futex words holding tids (PI and robust mutexes) mean the same thing to
 * the host kernel as to the guest.
 */
#ifndef FERRY_LINUX_USER_THREAD_H
#define FERRY_LINUX_USER_THREAD_H

#include <pthread.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include "linux-user/process.h"
#include "target/aarch64/cpu.h"

typedef struct GuestThread {
    CPUState *env;
    GuestProcess *proc;
    int tid;                          /* host tid == guest tid */
    uint64_t clear_child_tid;         /* CLONE_CHILD_CLEARTID / set_tid_address */
    struct SignalThread *sig;         /* linux-user/signal.c's per-thread state, or NULL */
    bool on_initial_host_thread;      /* runs on the host thread main() ran on */
    jmp_buf exit_jmp;                 /* thread_exit unwinds to the host thread's start */
    struct GuestThread *next;         /* ThreadGroup list */
} GuestThread;

/* What a thread's host thread runs: the CPU loop (never returns). */
typedef void ThreadRunFn(GuestProcess *proc, CPUState *env);

/* The live threads of the process (GuestProcess.threads). */
typedef struct ThreadGroup {
    pthread_mutex_t lock;
    GuestThread *list;
    int count;                        /* threads that have not called exit */
    GuestThread *leader;              /* its exit status is the process's */
    int leader_status;
    /* What a new thread's host thread runs (the CPU loop). */
    ThreadRunFn *run;
} ThreadGroup;

static inline GuestThread *guest_thread(const CPUState *env)
{
    return (GuestThread *)env->opaque;
}

/* main(): make env the process's first thread (sets env->opaque); further
 * threads will run `run` (cpu_loop_run) on their host threads. */
GuestThread *thread_init_main(GuestProcess *proc, CPUState *env,
                              ThreadRunFn *run);

/* What a thread-creating clone/clone3 asked for. */
typedef struct ThreadCloneArgs {
    uint64_t flags;
    uint64_t stack;                   /* new SP; 0 = the parent's */
    uint64_t parent_tid, child_tid, tls;
} ThreadCloneArgs;

/* Start a new guest thread as a copy of parent's CPU that returns 0 from
 * the clone.  Returns the new tid or -errno. */
int64_t thread_clone(GuestThread *parent, const ThreadCloneArgs *args);

/* The exit system call: end only the calling thread (clear_child_tid and
 * its futex wake included); the last thread ends the process. */
_Noreturn void thread_exit(GuestThread *t, int status);

/* exit_group: end every thread with this status. */
_Noreturn void thread_exit_group(GuestThread *t, int status);

/* In the child of a fork: t is the only thread left. */
void thread_after_fork_child(GuestThread *t);

/* Call fn for every live thread, under the group's lock (fn must not
 * create or end threads). */
void thread_foreach(GuestProcess *proc, void (*fn)(GuestThread *t, void *opaque), void *opaque);

#endif
