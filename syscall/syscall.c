/*
 * System-call dispatch: the table generated from syscalls.def, the entry
 * point the CPU loop calls for every SVC, passthrough to the host (through
 * the interruptible safe_syscall), restart after signals, -ENOSYS
 * reporting and the -strace line around each call.
 */
#include "syscall/syscall-internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <glib.h>

#include "host/x86_64/signal-host.h"
#include "linux-user/log.h"

static const SyscallDesc syscall_table[SYSCALL_TABLE_SIZE] = {
#define SYSCALL(nr, nm, h, r, ...) \
    [nr] = { .name = #nm, .handler = h, .mode = SC_IMPL, .ret = r, .args = { __VA_ARGS__ } },
#define PASS(nr, nm, host, r, ...) \
    [nr] = { .name = #nm, .host_nr = host, .mode = SC_PASS, .ret = r, .args = { __VA_ARGS__ } },
#define NOSYS(nr, nm, why) \
    [nr] = { .name = #nm, .reason = why, .mode = SC_NOSYS, .ret = R_INT },
#define NOSYS_QUIET(nr, nm, why) \
    [nr] = { .name = #nm, .reason = why, .mode = SC_NOSYS_QUIET, .ret = R_INT },
#include "syscall/syscalls.def"
#undef SYSCALL
#undef PASS
#undef NOSYS
#undef NOSYS_QUIET
};

const SyscallDesc *syscall_lookup(uint64_t nr)
{
    if (nr >= SYSCALL_TABLE_SIZE || syscall_table[nr].mode == SC_UNALLOCATED)
        return NULL;
    return &syscall_table[nr];
}

const char *syscall_name(uint64_t nr)
{
    const SyscallDesc *d = syscall_lookup(nr);
    return d ? d->name : NULL;
}

int syscall_arg_count(const SyscallDesc *d)
{
    int n = 0;
    while (n < SYSCALL_MAX_ARGS && d->args[n] != A_NONE)
        n++;
    return n;
}

/* ferry's own path, for execve.  Without /proc (a chroot that has not
 * mounted it), the path the kernel was given when it started ferry. */
static void resolve_ferry_exe(SyscallState *st)
{
    ssize_t n = readlink("/proc/self/exe", st->ferry_exe, sizeof(st->ferry_exe) - 1);
    st->ferry_exe[n > 0 ? n : 0] = '\0';
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    if (n <= 0 && execfn && !realpath(execfn, st->ferry_exe))
        st->ferry_exe[0] = '\0';
}

SyscallState *syscall_state(GuestProcess *proc)
{
    if (!proc->sys) {
        SyscallState *st = g_new0(SyscallState, 1);
        resolve_ferry_exe(st);
        proc->sys = st;
    }
    return proc->sys;
}

void syscall_report_unsupported(SysCall *sc, const char *what, const char *reason)
{
    fprintf(stderr, "ferry-aarch64: unsupported %s%s%s\n", what,
            reason ? ": " : "", reason ? reason : "");
    if (log_enabled(LOG_UNIMP) && ferry_log_file && ferry_log_file != stderr)
        ferry_log("unsupported %s%s%s\n", what, reason ? ": " : "", reason ? reason : "");
}

/* -ENOSYS for nr, naming it once per process (quiet entries only under
 * -d unimp). */
static int64_t syscall_enosys(SysCall *sc, const SyscallDesc *d)
{
    uint64_t nr = (uint64_t)sc->env->x[8];
    bool first = true;
    char what[96];

    if (nr < SYSCALL_TABLE_SIZE) {
        first = !(sc->st->reported[nr / 8] & (1u << (nr % 8)));
        sc->st->reported[nr / 8] |= 1u << (nr % 8);
    }
    if (!first)
        return -ENOSYS;
    if (d)
        snprintf(what, sizeof(what), "syscall %" PRIu64 " (%s)", nr, d->name);
    else
        snprintf(what, sizeof(what), "syscall %" PRIu64, nr);
    if (d && d->mode == SC_NOSYS_QUIET) {
        if (log_enabled(LOG_UNIMP))
            ferry_log("unsupported %s: %s\n", what, d->reason);
    } else {
        syscall_report_unsupported(sc, what, d ? d->reason : NULL);
    }
    return -ENOSYS;
}

static int64_t syscall_run(SysCall *sc, const SyscallDesc *d, const uint64_t *a)
{
    if (!d)
        return syscall_enosys(sc, d);
    switch (d->mode) {
    case SC_IMPL:
        return d->handler(sc, a);
    case SC_PASS:
        /* Interruptible: see host/x86_64/signal-host.h. */
        return safe_syscall(&sc->env->interrupt_request, d->host_nr,
                            a[0], a[1], a[2], a[3], a[4], a[5]);
    default:
        return syscall_enosys(sc, d);
    }
}

static bool strace_on(const GuestProcess *proc)
{
    return proc->strace || log_enabled(LOG_STRACE);
}

void syscall_dispatch(GuestProcess *proc, CPUState *env)
{
    SysCall sc = { .proc = proc, .env = env, .st = syscall_state(proc), .nr = (int)env->x[8] };
    uint64_t nr = env->x[8];
    uint64_t args[SYSCALL_MAX_ARGS];
    const SyscallDesc *d = syscall_lookup(nr);
    char call[512], result[96];
    int ret_kind = d ? d->ret : R_INT;
    bool trace = strace_on(proc);
    long pid = 0;

    memcpy(args, env->x, sizeof(args));
    if (trace) {
        pid = syscall(SYS_getpid);
        strace_format_call(call, sizeof(call), nr, args);
        if (ret_kind == R_NORETURN) {
            ferry_log("%ld %s\n", pid, call);
            if (ferry_log_file)
                fflush(ferry_log_file);
        }
    }

    int64_t ret = syscall_run(&sc, d, args);
    if (ret == -EINTR || ret == -GUEST_ERESTART_NOINTR) {
        /* A guest signal interrupted the call: run it again after the
         * handler (pc back on the SVC, x0 still the first argument) or
         * report EINTR, as Linux decides with SA_RESTART. */
        SignalThread *sig = signal_thread_current();
        if (sig && signal_syscall_should_restart(sig, ret, !syscall_never_restarted(nr))) {
            if (trace)
                ferry_log("%ld %s = ? (interrupted, restarted after the signal)\n", pid, call);
            env->pc -= 4;
            return;
        }
        ret = -EINTR;
    }

    if (trace) {
        pid = syscall(SYS_getpid);   /* a fork child reports as itself */
        strace_format_result(result, sizeof(result), ret_kind, ret);
        if (ret_kind == R_NORETURN)
            ferry_log("%ld %s%s\n", pid, d ? d->name : "?", result);
        else
            ferry_log("%ld %s%s\n", pid, call, result);
    }
    env->x[0] = (uint64_t)ret;
}
