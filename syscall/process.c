/*
 * Process system calls: clone as fork (and vfork run as a fork the parent
 * waits on), and execve.  A guest execve of an arm64 program (or of a
 * script whose interpreter is one) re-runs ferry on it with ferry's
 * options; anything else is executed by the host directly.  clone for
 * threads, exit and the tid bookkeeping are in thread.c.
 */
#include "syscall/syscall-internal.h"

#include <elf.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <glib.h>

#include "host/x86_64/signal-host.h"
#include "linux-user/binfmt.h"
#include "linux-user/guest-mem.h"
#include "linux-user/log.h"
#include "linux-user/options.h"
#include "syscall/path.h"
#include "linux-user/signal.h"
#include "linux-user/thread.h"
#include "tcg/exec.h"

#define GUEST_AT_FDCWD (-100)
#define GUEST_AT_EMPTY_PATH 0x1000
#define GUEST_ARG_MAX (1u << 20)          /* argv/envp entries we accept */

static void flush_logs(void)
{
    fflush(stdout);
    fflush(stderr);
    if (ferry_log_file)
        fflush(ferry_log_file);
}

/* ---- clone ---- */

#define CLONE_FORK_FLAGS (CSIGNAL | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | \
                          CLONE_PARENT_SETTID | CLONE_SETTLS | CLONE_VFORK | CLONE_HOST_FLAGS)
/* What a new process may carry that the host kernel acts on by itself:
 * namespaces, sharing the descriptor table or file-system context, the
 * parent, tracing, a pidfd (into parent_tid). */
#define CLONE_HOST_FLAGS (CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | \
                          CLONE_NEWPID | CLONE_NEWNET | CLONE_FS | CLONE_FILES | CLONE_SYSVSEM |   \
                          CLONE_PARENT | CLONE_IO | CLONE_PTRACE | CLONE_UNTRACED | CLONE_DETACHED | \
                          CLONE_PIDFD)

/* Keep a helper descriptor away from the low numbers the guest expects to
 * get from open(). */
static int move_fd_high(int fd)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur < 128)
        return fd;
    int high = fcntl(fd, F_DUPFD_CLOEXEC, (int)(rl.rlim_cur - 64));
    if (high < 0)
        return fd;
    close(fd);
    return high;
}

static void put_guest_u32(uint64_t addr, uint32_t v)
{
    if (addr)
        copy_to_guest(addr, &v, sizeof(v));
}

/* Block until the vfork child has exec'd or exited: it holds the write end
 * of a close-on-exec pipe, so read() returns 0 at either. */
static void wait_for_vfork_child(int fd)
{
    char c;
    while (read(fd, &c, 1) < 0 && errno == EINTR)
        ;
    close(fd);
}

/* A new process (no CLONE_VM).  The C library's fork() always asks for
 * SIGCHLD and nothing else; for any other exit signal (or none), or with
 * host flags, the clone is made directly (a pidfd goes to pidfd_addr), and
 * the child then runs what fork() runs from ferry's atfork handlers: a
 * private translation cache and fresh signal state.  (thread_after_fork_child
 * follows in the caller for both.) */
static long fork_with_flags(uint64_t flags, uint64_t pidfd_addr)
{
    uint64_t host_flags = flags & (CSIGNAL | CLONE_HOST_FLAGS);
    if (host_flags == SIGCHLD)
        return fork();
    exec_before_fork();
    guest_mem_before_fork();
    long pid = syscall(SYS_clone, (unsigned long)host_flags, 0,
                       (flags & CLONE_PIDFD) ? g2h(pidfd_addr) : NULL, NULL, 0);
    if (pid == 0) {
        guest_mem_after_fork_child();
        exec_after_fork();
        signal_after_fork();
    } else {
        guest_mem_after_fork_parent();
        exec_after_fork_parent();
    }
    return pid;
}

int64_t sys_clone(SysCall *sc, const uint64_t *a)
{
    /* arm64 argument order: flags, newsp, parent_tid, tls, child_tid. */
    uint64_t flags = a[0], newsp = a[1], ptid = a[2], tls = a[3], ctid = a[4];
    bool vfork = (flags & CLONE_VFORK) != 0;
    uint64_t allowed = CLONE_FORK_FLAGS | (vfork ? CLONE_VM : 0);
    int wait_pipe[2] = { -1, -1 };
    char what[64];

    if ((flags & CLONE_VM) && !vfork)
        return syscall_clone_thread(sc, flags, newsp, ptid, tls, ctid);
    if (flags & ~allowed) {
        if (!sc->st->clone_vm_reported) {
            snprintf(what, sizeof(what), "clone flags %#" PRIx64, flags & ~allowed);
            syscall_report_unsupported(sc, what, "only fork and vfork are supported");
            sc->st->clone_vm_reported = true;
        }
        return -ENOSYS;
    }
    /* clone() returns the pidfd through parent_tid, so not both. */
    if ((flags & CLONE_PIDFD) && (flags & CLONE_PARENT_SETTID))
        return -EINVAL;
    if ((flags & CLONE_PIDFD) && !guest_range_ok(ptid, sizeof(int), PROT_WRITE))
        return -EFAULT;
    if (vfork && pipe2(wait_pipe, O_CLOEXEC) != 0)
        return -errno;

    flush_logs();
    long pid = fork_with_flags(flags, ptid);
    if (pid < 0) {
        int64_t err = -errno;
        if (vfork) {
            close(wait_pipe[0]);
            close(wait_pipe[1]);
        }
        return err;
    }
    if (pid == 0) {
        CPUState *env = sc->env;
        thread_after_fork_child(guest_thread(env));
        if (vfork) {
            close(wait_pipe[0]);
            move_fd_high(wait_pipe[1]);
        }
        if (newsp)
            env->x[GREG_SP] = newsp;
        if (flags & CLONE_SETTLS)
            env->tpidr_el0 = tls;
        if (flags & CLONE_CHILD_SETTID)
            put_guest_u32(ctid, (uint32_t)syscall(SYS_gettid));
        if (flags & CLONE_CHILD_CLEARTID)
            guest_thread(env)->clear_child_tid = ctid;
        return 0;
    }
    if (flags & CLONE_PARENT_SETTID)
        put_guest_u32(ptid, (uint32_t)pid);
    if (vfork) {
        close(wait_pipe[1]);
        wait_for_vfork_child(wait_pipe[0]);
    }
    return pid;
}

/* ---- execve ---- */

/* Read a NULL-terminated array of guest string pointers (NULL array = empty). */
static int64_t read_guest_strv(uint64_t addr, GPtrArray *out)
{
    for (uint32_t i = 0; addr; i++) {
        uint64_t p;
        if (i >= GUEST_ARG_MAX)
            return -E2BIG;
        if (copy_from_guest(&p, addr + 8ull * i, sizeof(p)) != 0)
            return -EFAULT;
        if (!p)
            break;
        const char *s = guest_str(p);
        if (!s)
            return -EFAULT;
        g_ptr_array_add(out, (gpointer)s);
    }
    return 0;
}

typedef enum ExecKind { EXEC_HOST, EXEC_ARM64, EXEC_SCRIPT } ExecKind;

static bool is_arm64_elf(const unsigned char *buf, size_t len)
{
    return len >= 20 && memcmp(buf, ELFMAG, SELFMAG) == 0 && buf[EI_CLASS] == ELFCLASS64 &&
           buf[EI_DATA] == ELFDATA2LSB && (buf[18] | buf[19] << 8) == EM_AARCH64;
}

/* The host path of a guest path (syscall/path.c: inside the -L sysroot
 * when it exists there; /proc/self/exe is the guest program). */
static char *sysroot_path(SysCall *sc, const char *path)
{
    char buf[PATH_MAX];
    return g_strdup(path_to_host(sc, path, true, buf));
}

static size_t read_head(const char *path, unsigned char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    ssize_t n = read(fd, buf, size);
    close(fd);
    return n > 0 ? (size_t)n : 0;
}

/* "#!interp arg" as the kernel reads it: one optional argument, the rest of
 * the line after spaces. */
static bool parse_shebang(const unsigned char *buf, size_t len, char **interp, char **arg)
{
    if (len < 3 || buf[0] != '#' || buf[1] != '!')
        return false;
    char *line = g_strndup((const char *)buf + 2, len - 2);
    line[strcspn(line, "\n")] = '\0';
    char *p = line + strspn(line, " \t");
    size_t n = strcspn(p, " \t");
    if (n == 0) {
        g_free(line);
        return false;
    }
    *interp = g_strndup(p, n);
    p += n;
    p += strspn(p, " \t");
    g_strchomp(p);
    *arg = *p ? g_strdup(p) : NULL;
    g_free(line);
    return true;
}

/* What kind of program is path?  For scripts run by an arm64 interpreter,
 * *interp and *arg say which. */
static ExecKind classify(SysCall *sc, const char *path, char **interp, char **arg)
{
    unsigned char head[256];
    size_t len = read_head(path, head, sizeof(head));

    if (is_arm64_elf(head, len))
        return EXEC_ARM64;
    if (parse_shebang(head, len, interp, arg)) {
        char *host_interp = sysroot_path(sc, *interp);
        unsigned char ihead[64];
        size_t ilen = read_head(host_interp, ihead, sizeof(ihead));
        g_free(host_interp);
        if (is_arm64_elf(ihead, ilen))
            return EXEC_SCRIPT;
        g_free(*interp);
        g_free(*arg);
    }
    return EXEC_HOST;
}

/* ferry's own options, so the new program runs the way this one does. */
static void add_ferry_options(const GuestProcess *proc, GPtrArray *av)
{
    if (proc->sysroot) {
        g_ptr_array_add(av, g_strdup("-L"));
        g_ptr_array_add(av, g_strdup(proc->sysroot));
    }
    if (proc->cpu_name) {
        g_ptr_array_add(av, g_strdup("-cpu"));
        g_ptr_array_add(av, g_strdup(proc->cpu_name));
    }
    if (ferry_log_mask) {
        GString *items = g_string_new(NULL);
#define X(id, name, help) \
        if (ferry_log_mask & LOG_##id) g_string_append_printf(items, "%s%s", items->len ? "," : "", name);
        LOG_ITEMS(X)
#undef X
        g_ptr_array_add(av, g_strdup("-d"));
        g_ptr_array_add(av, g_string_free(items, FALSE));
    }
    if (ferry_log_file && ferry_log_file != stderr) {
        char link[64], target[PATH_MAX];
        snprintf(link, sizeof(link), "/proc/self/fd/%d", fileno(ferry_log_file));
        ssize_t n = readlink(link, target, sizeof(target) - 1);
        if (n > 0) {
            target[n] = '\0';
            g_ptr_array_add(av, g_strdup("-D"));
            g_ptr_array_add(av, g_strdup(target));
        }
    }
    if (proc->strace)
        g_ptr_array_add(av, g_strdup("-strace"));
    if (proc->max_insns == 1)
        g_ptr_array_add(av, g_strdup("-one-insn-per-tb"));
    if (proc->perfmap)
        g_ptr_array_add(av, g_strdup("-perfmap"));
    if (proc->tcache) {
        g_ptr_array_add(av, g_strdup("-tcache"));
        g_ptr_array_add(av, g_strdup(proc->tcache));
    }
}

/* The host execve, interruptible like a passthrough call: a guest signal
 * that arrives before the exec makes it return -GUEST_ERESTART_NOINTR, so
 * the signal is delivered (its default action may end the process, as on
 * Linux) instead of being lost with this process image. */
static int64_t host_execve(SysCall *sc, const char *path, void *argv, void *envp)
{
    exec_before_exit();
    flush_logs();
    return safe_syscall(&sc->env->interrupt_request, SYS_execve, (uint64_t)(uintptr_t)path,
                        (uint64_t)(uintptr_t)argv, (uint64_t)(uintptr_t)envp, 0, 0, 0);
}

static int64_t exec_ferry(SysCall *sc, GPtrArray *av, char *const *guest_envp)
{
    char **envp = options_hide_loader_variables(guest_envp);
    g_ptr_array_add(av, NULL);
    int64_t err = host_execve(sc, "/proc/self/exe", av->pdata, envp);
    if (err != -GUEST_ERESTART_NOINTR && sc->st->ferry_exe[0])
        err = host_execve(sc, sc->st->ferry_exe, av->pdata, envp);
    g_strfreev(envp);
    return err;
}

/* ferry was started by the kernel through binfmt_misc: hand execve back to
 * the kernel, which starts arm64 programs through binfmt_misc again and so
 * honours their setuid bits (flag C).  ferry's options travel in the
 * environment. */
static int64_t exec_through_binfmt(SysCall *sc, const GuestProcess *proc, const char *guest_path,
                                   GPtrArray *argv, GPtrArray *envp)
{
    const char *path = strcmp(guest_path, "/proc/self/exe") == 0 && proc->exe_path ? proc->exe_path
                                                                                    : guest_path;
    char **env = binfmt_child_environ((char *const *)envp->pdata);
    g_ptr_array_add(argv, NULL);
    int64_t ret = host_execve(sc, path, argv->pdata, env);
    g_strfreev(env);
    return ret;
}

static int64_t do_execve(SysCall *sc, const char *guest_path, uint64_t argv_addr, uint64_t envp_addr)
{
    GuestProcess *proc = sc->proc;
    GPtrArray *argv = g_ptr_array_new();
    GPtrArray *envp = g_ptr_array_new();
    GPtrArray *av = g_ptr_array_new_with_free_func(g_free);
    char *path = NULL, *interp = NULL, *arg = NULL;
    struct stat st;
    int64_t ret = read_guest_strv(argv_addr, argv);

    if (ret == 0)
        ret = read_guest_strv(envp_addr, envp);
    if (ret != 0)
        goto out;
    g_ptr_array_add(envp, NULL);

    if (binfmt_launched()) {
        ret = exec_through_binfmt(sc, proc, guest_path, argv, envp);
        goto out;
    }

    path = sysroot_path(sc, guest_path);

    if (stat(path, &st) != 0) {
        ret = -errno;
        goto out;
    }
    if (!S_ISREG(st.st_mode) || access(path, X_OK) != 0) {
        ret = -EACCES;
        goto out;
    }

    g_ptr_array_add(av, g_strdup(sc->st->ferry_exe[0] ? sc->st->ferry_exe : "ferry-aarch64"));
    add_ferry_options(proc, av);
    switch (classify(sc, path, &interp, &arg)) {
    case EXEC_ARM64:
        if (argv->len > 0) {
            g_ptr_array_add(av, g_strdup("-0"));
            g_ptr_array_add(av, g_strdup(g_ptr_array_index(argv, 0)));
        }
        g_ptr_array_add(av, g_strdup(path));
        break;
    case EXEC_SCRIPT:
        g_ptr_array_add(av, sysroot_path(sc, interp));
        if (arg)
            g_ptr_array_add(av, g_strdup(arg));
        g_ptr_array_add(av, g_strdup(guest_path));
        g_free(interp);
        g_free(arg);
        break;
    case EXEC_HOST:
        g_ptr_array_add(argv, NULL);
        ret = host_execve(sc, path, argv->pdata, envp->pdata);
        goto out;
    }
    for (guint i = 1; i < argv->len; i++)
        g_ptr_array_add(av, g_strdup(g_ptr_array_index(argv, i)));
    ret = exec_ferry(sc, av, (char *const *)envp->pdata);
out:
    g_free(path);
    g_ptr_array_free(av, TRUE);
    g_ptr_array_free(argv, TRUE);
    g_ptr_array_free(envp, TRUE);
    return ret;
}

int64_t sys_execve(SysCall *sc, const uint64_t *a)
{
    const char *path = guest_str(a[0]);
    if (!path)
        return -EFAULT;
    return do_execve(sc, path, a[1], a[2]);
}

/* A name for what descriptor fd refers to that still works once the exec
 * has closed it (fexecve's descriptor is usually close-on-exec, and the new
 * ferry opens the program only after the exec): the path /proc gives for
 * it when that names the same file, else /proc/self/fd/N (a deleted file or
 * a memfd: then only a descriptor without close-on-exec can be run). */
static char *exec_fd_name(SysCall *sc, int fd)
{
    char link[64], target[PATH_MAX];
    struct stat by_fd, by_name;
    snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof(target) - 1);
    if (n > 0 && target[0] == '/' && fstat(fd, &by_fd) == 0) {
        target[n] = '\0';
        char *host = sysroot_path(sc, target);
        bool same = stat(host, &by_name) == 0 && by_name.st_dev == by_fd.st_dev &&
                    by_name.st_ino == by_fd.st_ino;
        g_free(host);
        if (same)
            return g_strdup(target);
    }
    return g_strdup(link);
}

int64_t sys_execveat(SysCall *sc, const uint64_t *a)
{
    int dirfd = (int)a[0];
    const char *path = guest_str(a[1]);
    char *full;

    if (!path)
        return -EFAULT;
    if (path[0] == '\0' && ((int)a[4] & GUEST_AT_EMPTY_PATH)) {
        full = exec_fd_name(sc, dirfd);
    } else if (path[0] == '/' || dirfd == GUEST_AT_FDCWD) {
        full = g_strdup(path);
    } else {
        char *dir = exec_fd_name(sc, dirfd);
        full = g_strdup_printf("%s/%s", dir, path);
        g_free(dir);
    }
    int64_t ret = do_execve(sc, full, a[2], a[3]);
    g_free(full);
    return ret;
}
