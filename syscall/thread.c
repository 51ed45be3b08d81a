/*
 * Thread system calls: clone with CLONE_VM|CLONE_THREAD (a new guest
 * thread on a host thread, linux-user/thread.c), clone3 (threads, and the
 * fork/vfork forms handed to clone), exit (one thread) and exit_group (all
 * of them), and set_tid_address.  futex, futex_waitv, set/get_robust_list,
 * membarrier, getcpu, gettid and sched_{set,get}affinity pass straight
 * through to the host (see syscalls.def): guest addresses and tids are host
 * ones and their structures have the same layout on both sides.
 */
#include "syscall/syscall-internal.h"

#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "linux-user/guest-mem.h"
#include "linux-user/thread.h"

/* What a new thread must share with its parent (the kernel insists on
 * VM with SIGHAND and SIGHAND with THREAD; ferry's host threads also
 * always share the rest of the memory-side state). */
#define THREAD_REQUIRED_FLAGS (CLONE_VM | CLONE_SIGHAND | CLONE_THREAD)
/* Everything a thread-creating clone may carry.  CLONE_FS and CLONE_FILES
 * are optional: without them the new thread unshares its own copy. */
#define THREAD_ALLOWED_FLAGS (THREAD_REQUIRED_FLAGS | CLONE_FS | CLONE_FILES | CLONE_SYSVSEM | \
                              CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID |      \
                              CLONE_CHILD_CLEARTID | CLONE_DETACHED | CLONE_IO)

/* The arm64 (asm-generic) struct clone_args: every field is a __u64. */
typedef struct GuestCloneArgs {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal;
    uint64_t stack, stack_size, tls, set_tid, set_tid_size, cgroup;
} GuestCloneArgs;
#define CLONE_ARGS_SIZE_VER0 64

int64_t syscall_clone_thread(SysCall *sc, uint64_t flags, uint64_t newsp, uint64_t ptid,
                             uint64_t tls, uint64_t ctid)
{
    if ((flags & THREAD_REQUIRED_FLAGS) != THREAD_REQUIRED_FLAGS ||
        (flags & ~(THREAD_ALLOWED_FLAGS | CSIGNAL))) {
        char what[64];
        snprintf(what, sizeof what, "clone flags %#" PRIx64, flags);
        syscall_report_unsupported(sc, what,
            "CLONE_VM is supported for threads (CLONE_VM|CLONE_SIGHAND|CLONE_THREAD) and vfork");
        return -EINVAL;
    }
    ThreadCloneArgs args = {
        .flags = flags, .stack = newsp, .parent_tid = ptid, .child_tid = ctid, .tls = tls,
    };
    return thread_clone(guest_thread(sc->env), &args);
}

/* clone3: the same as clone, with the arguments in a struct and the stack
 * given as base and size. */
int64_t sys_clone3(SysCall *sc, const uint64_t *a)
{
    GuestCloneArgs ca;
    uint64_t size = a[1];

    if (size < CLONE_ARGS_SIZE_VER0)
        return -EINVAL;
    memset(&ca, 0, sizeof ca);
    if (copy_from_guest(&ca, a[0], size < sizeof ca ? size : sizeof ca) != 0)
        return -EFAULT;
    for (uint64_t off = sizeof ca; off < size; off++) {   /* newer fields: must be unused */
        uint8_t byte;
        if (copy_from_guest(&byte, a[0] + off, 1) != 0)
            return -EFAULT;
        if (byte)
            return -E2BIG;
    }
    if ((ca.flags & CSIGNAL) || (ca.exit_signal & ~(uint64_t)CSIGNAL))
        return -EINVAL;
    if ((ca.stack == 0) != (ca.stack_size == 0))
        return -EINVAL;
    /* Features clone() cannot express: the guest libc falls back to clone
     * on ENOSYS. */
    if ((ca.flags & (CLONE_PIDFD | (1ull << 32) /* CLONE_CLEAR_SIGHAND */ |
                     (1ull << 33) /* CLONE_INTO_CGROUP */)) || ca.set_tid_size)
        return -ENOSYS;

    uint64_t sp = ca.stack ? ca.stack + ca.stack_size : 0;
    if (ca.flags & CLONE_VM && !(ca.flags & CLONE_VFORK))
        return syscall_clone_thread(sc, ca.flags, sp, ca.parent_tid, ca.tls, ca.child_tid);
    uint64_t clone_args[SYSCALL_MAX_ARGS] = {
        ca.flags | ca.exit_signal, sp, ca.parent_tid, ca.tls, ca.child_tid, 0,
    };
    return sys_clone(sc, clone_args);
}

int64_t sys_exit(SysCall *sc, const uint64_t *a)
{
    thread_exit(guest_thread(sc->env), (int)a[0]);
}

int64_t sys_exit_group(SysCall *sc, const uint64_t *a)
{
    thread_exit_group(guest_thread(sc->env), (int)a[0]);
}

int64_t sys_set_tid_address(SysCall *sc, const uint64_t *a)
{
    GuestThread *t = guest_thread(sc->env);
    t->clear_child_tid = a[0];
    return t->tid;
}
