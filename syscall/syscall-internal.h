/*
 * What the files of syscall/ share: the table entry type generated from
 * syscalls.def, the per-call context handed to every handler, the
 * per-process state of the syscall layer, and small helpers.  Not for use
 * outside syscall/ (and its unit test).
 */
#ifndef FERRY_SYSCALL_INTERNAL_H
#define FERRY_SYSCALL_INTERNAL_H

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include "linux-user/signal.h"
#include "syscall/syscall.h"

#define SYSCALL_TABLE_SIZE 512
#define SYSCALL_MAX_ARGS   6

/* How -strace shows an argument. */
typedef enum ArgKind {
    A_NONE = 0,
    A_INT,      /* signed 32-bit decimal */
    A_UINT,     /* unsigned 64-bit decimal */
    A_HEX,      /* 0x... */
    A_PTR,      /* guest address, NULL for 0 */
    A_STR,      /* NUL-terminated guest string */
    A_BUF,      /* guest data whose length is the next argument */
    A_FD,       /* file descriptor */
    A_DIRFD,    /* file descriptor or AT_FDCWD */
    A_OFLAGS,   /* O_* flags (arm64 values) */
    A_MODE,     /* octal permission bits */
    A_SIZE,     /* unsigned decimal length */
    A_OFF,      /* signed 64-bit decimal offset */
    A_SIG,      /* signal number */
    A_SIGHOW,   /* SIG_BLOCK / SIG_UNBLOCK / SIG_SETMASK */
    A_PROT,     /* PROT_* */
    A_MMAP,     /* MAP_* */
    A_ATFLAGS,  /* AT_* flags */
    A_IOCTL,    /* ioctl request */
    A_FCNTL,    /* fcntl command */
    A_CLONE,    /* CLONE_* flags and exit signal */
} ArgKind;

/* How -strace shows the result. */
typedef enum RetKind {
    R_INT,      /* decimal; -4095..-1 is an errno */
    R_HEX,      /* addresses (mmap, brk); errors as for R_INT */
    R_NORETURN, /* exit, execve: the line is written before the call */
} RetKind;

typedef enum SyscallMode {
    SC_UNALLOCATED = 0, /* no such number in the arm64 ABI */
    SC_IMPL,            /* a C handler */
    SC_PASS,            /* the host system call with the same arguments */
    SC_NOSYS,           /* -ENOSYS by decision, named once on stderr */
    SC_NOSYS_QUIET,     /* -ENOSYS by decision, only under -d unimp */
} SyscallMode;

/* Per-process state of the syscall layer (GuestProcess.sys).  Created on
 * the first system call; a fork copies it with the rest of memory. */
typedef struct SyscallState {
    uint8_t reported[SYSCALL_TABLE_SIZE / 8];   /* ENOSYS named already */
    bool clone_vm_reported;
    uint8_t seccomp_reported;                   /* misc.c: SECCOMP_* refusals named */
    char ferry_exe[PATH_MAX];                   /* ferry's own path */
    struct PathCache *paths;                    /* path.c: sysroot look-ups */
} SyscallState;

/* One system call in progress. */
typedef struct SysCall {
    GuestProcess *proc;
    CPUState *env;
    SyscallState *st;
    int nr;
} SysCall;

typedef int64_t SyscallHandler(SysCall *sc, const uint64_t *args);

typedef struct SyscallDesc {
    const char *name;
    SyscallHandler *handler;        /* SC_IMPL */
    long host_nr;                   /* SC_PASS */
    const char *reason;             /* SC_NOSYS, SC_NOSYS_QUIET */
    uint8_t mode;                   /* SyscallMode */
    uint8_t ret;                    /* RetKind */
    uint8_t args[SYSCALL_MAX_ARGS]; /* ArgKind, A_NONE after the last */
} SyscallDesc;

/* The handlers named in syscalls.def. */
#define SYSCALL(nr, name, handler, ...) SyscallHandler handler;
#define PASS(...)
#define NOSYS(...)
#define NOSYS_QUIET(...)
#include "syscall/syscalls.def"
#undef SYSCALL
#undef PASS
#undef NOSYS
#undef NOSYS_QUIET

/* Table look-up: NULL when nr is outside the table or unallocated. */
const SyscallDesc *syscall_lookup(uint64_t nr);
/* Name of a guest system call, or NULL. */
const char *syscall_name(uint64_t nr);
/* Number of arguments an entry declares. */
int syscall_arg_count(const SyscallDesc *d);

/* The state behind proc->sys, created on first use. */
SyscallState *syscall_state(GuestProcess *proc);
/* Name an unsupported call (or feature) once per process on stderr. */
void syscall_report_unsupported(SysCall *sc, const char *what, const char *reason);

/* strace.c: format "name(args)" and " = result" into buf (always
 * NUL-terminated, truncated to size). */
void strace_format_call(char *buf, size_t size, uint64_t nr, const uint64_t *args);
void strace_format_result(char *buf, size_t size, int ret_kind, int64_t ret);

/* ioctl.c: symbolic name of an ioctl request, or NULL. */
const char *ioctl_request_name(unsigned long req);

/* thread.c: clone with CLONE_VM (and without CLONE_VFORK): a new thread. */
int64_t syscall_clone_thread(SysCall *sc, uint64_t flags, uint64_t newsp, uint64_t ptid,
                             uint64_t tls, uint64_t ctid);

/* True for the calls Linux never restarts after a signal handler ran,
 * whatever SA_RESTART says (sleeps, poll/select/epoll, sigsuspend, ...). */
bool syscall_never_restarted(uint64_t nr);

/* A raw host syscall() result turned into the kernel's -errno form. */
static inline int64_t host_result(long r)
{
    return r == -1 ? -(int64_t)errno : r;
}

#endif
