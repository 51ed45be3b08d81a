/*
 * -strace formatting, driven by the argument kinds of syscalls.def:
 *   openat(AT_FDCWD,"/etc/passwd",O_RDONLY) = 3
 *   openat(AT_FDCWD,"/nope",O_RDONLY) = -1 errno=2 (No such file or directory)
 * Flag names are the arm64 ABI's values, which is what the guest passed.
 */
#include "syscall/syscall-internal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "linux-user/guest-mem.h"

typedef struct FlagName {
    uint64_t bit;
    const char *name;
} FlagName;

/* A bounded string builder: never overruns, always NUL-terminated. */
typedef struct Out {
    char *buf;
    size_t size, len;
} Out;

static void out_printf(Out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out_printf(Out *o, const char *fmt, ...)
{
    va_list ap;
    if (o->len + 1 >= o->size)
        return;
    va_start(ap, fmt);
    int n = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        o->len = o->len + (size_t)n < o->size ? o->len + (size_t)n : o->size - 1;
}

/* arm64 open flags (asm-generic plus arm64's own O_DIRECTORY..O_LARGEFILE). */
static const FlagName open_flags[] = {
    { 0100, "O_CREAT" }, { 0200, "O_EXCL" }, { 0400, "O_NOCTTY" },
    { 01000, "O_TRUNC" }, { 02000, "O_APPEND" }, { 04000, "O_NONBLOCK" },
    { 04010000, "O_SYNC" }, { 010000, "O_DSYNC" }, { 040000, "O_DIRECTORY" },
    { 0100000, "O_NOFOLLOW" }, { 0200000, "O_DIRECT" }, { 0400000, "O_LARGEFILE" },
    { 01000000, "O_NOATIME" }, { 02000000, "O_CLOEXEC" }, { 010000000, "O_PATH" },
    { 020000000, "__O_TMPFILE" }, { 0, NULL }
};
static const FlagName prot_flags[] = {
    { 1, "PROT_READ" }, { 2, "PROT_WRITE" }, { 4, "PROT_EXEC" },
    { 0x10, "PROT_BTI" }, { 0x20, "PROT_MTE" }, { 0, NULL }
};
static const FlagName mmap_flags[] = {
    { 0x01, "MAP_SHARED" }, { 0x02, "MAP_PRIVATE" }, { 0x10, "MAP_FIXED" },
    { 0x20, "MAP_ANONYMOUS" }, { 0x100, "MAP_GROWSDOWN" }, { 0x800, "MAP_DENYWRITE" },
    { 0x1000, "MAP_EXECUTABLE" }, { 0x2000, "MAP_LOCKED" }, { 0x4000, "MAP_NORESERVE" },
    { 0x8000, "MAP_POPULATE" }, { 0x10000, "MAP_NONBLOCK" }, { 0x20000, "MAP_STACK" },
    { 0x40000, "MAP_HUGETLB" }, { 0x100000, "MAP_FIXED_NOREPLACE" }, { 0, NULL }
};
static const FlagName at_flags[] = {
    { 0x100, "AT_SYMLINK_NOFOLLOW" }, { 0x200, "AT_REMOVEDIR" },
    { 0x400, "AT_SYMLINK_FOLLOW" }, { 0x800, "AT_NO_AUTOMOUNT" },
    { 0x1000, "AT_EMPTY_PATH" }, { 0, NULL }
};
static const FlagName clone_flags[] = {
    { 0x100, "CLONE_VM" }, { 0x200, "CLONE_FS" }, { 0x400, "CLONE_FILES" },
    { 0x800, "CLONE_SIGHAND" }, { 0x1000, "CLONE_PIDFD" }, { 0x2000, "CLONE_PTRACE" },
    { 0x4000, "CLONE_VFORK" }, { 0x8000, "CLONE_PARENT" }, { 0x10000, "CLONE_THREAD" },
    { 0x20000, "CLONE_NEWNS" }, { 0x40000, "CLONE_SYSVSEM" }, { 0x80000, "CLONE_SETTLS" },
    { 0x100000, "CLONE_PARENT_SETTID" }, { 0x200000, "CLONE_CHILD_CLEARTID" },
    { 0x1000000, "CLONE_CHILD_SETTID" }, { 0, NULL }
};

static const char *const signal_names[GUEST_NSIG + 1] = {
    [1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL", [5] = "SIGTRAP",
    [6] = "SIGABRT", [7] = "SIGBUS", [8] = "SIGFPE", [9] = "SIGKILL", [10] = "SIGUSR1",
    [11] = "SIGSEGV", [12] = "SIGUSR2", [13] = "SIGPIPE", [14] = "SIGALRM",
    [15] = "SIGTERM", [16] = "SIGSTKFLT", [17] = "SIGCHLD", [18] = "SIGCONT",
    [19] = "SIGSTOP", [20] = "SIGTSTP", [21] = "SIGTTIN", [22] = "SIGTTOU",
    [23] = "SIGURG", [24] = "SIGXCPU", [25] = "SIGXFSZ", [26] = "SIGVTALRM",
    [27] = "SIGPROF", [28] = "SIGWINCH", [29] = "SIGIO", [30] = "SIGPWR", [31] = "SIGSYS",
};

static const char *const fcntl_names[] = {
    [0] = "F_DUPFD", [1] = "F_GETFD", [2] = "F_SETFD", [3] = "F_GETFL", [4] = "F_SETFL",
    [5] = "F_GETLK", [6] = "F_SETLK", [7] = "F_SETLKW", [8] = "F_SETOWN", [9] = "F_GETOWN",
    [10] = "F_SETSIG", [11] = "F_GETSIG",
};

/* Print set bits by name, then any remainder in hex; "0" when none. */
static void put_flags(Out *o, const FlagName *names, uint64_t v)
{
    bool any = false;
    for (const FlagName *f = names; f->name; f++) {
        if ((v & f->bit) == f->bit) {
            out_printf(o, "%s%s", any ? "|" : "", f->name);
            v &= ~f->bit;
            any = true;
        }
    }
    if (v || !any)
        out_printf(o, any ? "|%#" PRIx64 : "%#" PRIx64, v);
}

static void put_open_flags(Out *o, uint64_t v)
{
    static const char *const acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };
    out_printf(o, "%s", acc[v & 3]);
    v &= ~(uint64_t)3;
    if (v) {
        out_printf(o, "|");
        put_flags(o, open_flags, v);
    }
}

static void put_escaped(Out *o, const char *s, size_t len, size_t max)
{
    out_printf(o, "\"");
    for (size_t i = 0; i < len && i < max; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            out_printf(o, "\\%c", c);
        else if (c == '\n')
            out_printf(o, "\\n");
        else if (c == '\t')
            out_printf(o, "\\t");
        else if (c < 0x20 || c >= 0x7f)
            out_printf(o, "\\%03o", c);
        else
            out_printf(o, "%c", c);
    }
    out_printf(o, "\"%s", len > max ? "..." : "");
}

static void put_ptr(Out *o, uint64_t v)
{
    if (v)
        out_printf(o, "%#" PRIx64, v);
    else
        out_printf(o, "NULL");
}

static void put_string(Out *o, uint64_t addr)
{
    const char *s = addr ? guest_str(addr) : NULL;
    if (s)
        put_escaped(o, s, strlen(s), 64);
    else
        put_ptr(o, addr);
}

static void put_buffer(Out *o, uint64_t addr, uint64_t len)
{
    char data[32];
    size_t n = len < sizeof(data) ? len : sizeof(data);
    if (addr && copy_from_guest(data, addr, n) == 0) {
        put_escaped(o, data, n, n);
        if (len > n)
            out_printf(o, "...");
    } else {
        put_ptr(o, addr);
    }
}

static void put_signal(Out *o, uint64_t v)
{
    if (v <= GUEST_NSIG && signal_names[v])
        out_printf(o, "%s", signal_names[v]);
    else if (v >= 32 && v <= GUEST_NSIG)
        out_printf(o, "SIGRT_%d", (int)v - 32);
    else
        out_printf(o, "%d", (int)v);
}

static void put_arg(Out *o, int kind, uint64_t v, uint64_t next)
{
    switch (kind) {
    case A_INT: case A_FD:
        out_printf(o, "%d", (int)v);
        break;
    case A_UINT: case A_SIZE:
        out_printf(o, "%" PRIu64, v);
        break;
    case A_OFF:
        out_printf(o, "%" PRId64, (int64_t)v);
        break;
    case A_PTR:
        put_ptr(o, v);
        break;
    case A_STR:
        put_string(o, v);
        break;
    case A_BUF:
        put_buffer(o, v, next);
        break;
    case A_DIRFD:
        if ((int)v == -100)
            out_printf(o, "AT_FDCWD");
        else
            out_printf(o, "%d", (int)v);
        break;
    case A_OFLAGS:
        put_open_flags(o, (uint32_t)v);
        break;
    case A_MODE:
        out_printf(o, "%#o", (unsigned)v);
        break;
    case A_SIG:
        put_signal(o, v);
        break;
    case A_SIGHOW: {
        static const char *const how[] = { "SIG_BLOCK", "SIG_UNBLOCK", "SIG_SETMASK" };
        if (v < 3)
            out_printf(o, "%s", how[v]);
        else
            out_printf(o, "%d", (int)v);
        break;
    }
    case A_PROT:
        if (v == 0)
            out_printf(o, "PROT_NONE");
        else
            put_flags(o, prot_flags, v);
        break;
    case A_MMAP:
        put_flags(o, mmap_flags, v);
        break;
    case A_ATFLAGS:
        put_flags(o, at_flags, v);
        break;
    case A_IOCTL: {
        const char *name = ioctl_request_name((unsigned long)v);
        if (name)
            out_printf(o, "%s", name);
        else
            out_printf(o, "%#" PRIx64, v);
        break;
    }
    case A_FCNTL:
        if (v < sizeof(fcntl_names) / sizeof(fcntl_names[0]) && fcntl_names[v])
            out_printf(o, "%s", fcntl_names[v]);
        else if (v == 1030)
            out_printf(o, "F_DUPFD_CLOEXEC");
        else
            out_printf(o, "%d", (int)v);
        break;
    case A_CLONE:
        if (v & ~(uint64_t)0xff) {
            put_flags(o, clone_flags, v & ~(uint64_t)0xff);
            out_printf(o, "|");
        }
        put_signal(o, v & 0xff);
        break;
    default:
        out_printf(o, "%#" PRIx64, v);
        break;
    }
}

/* open's mode argument means nothing without O_CREAT or O_TMPFILE: leave
 * it out, as the kernel ignores it. */
static bool mode_unused(const SyscallDesc *d, int i, const uint64_t *args)
{
    return d->args[i] == A_MODE && i > 0 && d->args[i - 1] == A_OFLAGS &&
           !(args[i - 1] & (0100 | 020000000));
}

void strace_format_call(char *buf, size_t size, uint64_t nr, const uint64_t *args)
{
    Out o = { buf, size, 0 };
    const SyscallDesc *d = syscall_lookup(nr);

    buf[0] = '\0';
    if (!d) {
        out_printf(&o, "syscall_%" PRIu64 "(%#" PRIx64 ",%#" PRIx64 ",%#" PRIx64 ",%#"
                   PRIx64 ",%#" PRIx64 ",%#" PRIx64 ")", nr, args[0], args[1], args[2],
                   args[3], args[4], args[5]);
        return;
    }
    out_printf(&o, "%s(", d->name);
    int n = syscall_arg_count(d);
    for (int i = 0; i < n; i++) {
        if (mode_unused(d, i, args))
            break;
        if (i)
            out_printf(&o, ",");
        put_arg(&o, d->args[i], args[i], i + 1 < SYSCALL_MAX_ARGS ? args[i + 1] : 0);
    }
    out_printf(&o, ")");
}

void strace_format_result(char *buf, size_t size, int ret_kind, int64_t ret)
{
    if (ret < 0 && ret >= -4095)
        snprintf(buf, size, " = -1 errno=%d (%s)", (int)-ret, strerror((int)-ret));
    else if (ret_kind == R_HEX)
        snprintf(buf, size, " = %#" PRIx64, (uint64_t)ret);
    else
        snprintf(buf, size, " = %" PRId64, ret);
}
