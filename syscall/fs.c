/*
 * File-system and file-descriptor system calls that need more than a
 * passthrough: open flags (arm64 numbers four of them differently), struct
 * stat (different layout), struct epoll_event (packed on x86-64), fcntl's
 * flag words, and /proc/self/exe, which must name the guest program rather
 * than ferry.
 */
#include "syscall/syscall-internal.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <glib.h>

#include "linux-user/guest-mem.h"
#include "syscall/convert.h"

#define GUEST_AT_FDCWD (-100)
#define GUEST_AT_SYMLINK_NOFOLLOW 0x100

/* Is path (absolute) /proc/self/exe or /proc/<our pid>/exe? */
static bool is_proc_self_exe(const char *path)
{
    char mine[64];
    if (strcmp(path, "/proc/self/exe") == 0 || strcmp(path, "/proc/thread-self/exe") == 0)
        return true;
    snprintf(mine, sizeof(mine), "/proc/%ld/exe", (long)syscall(SYS_getpid));
    return strcmp(path, mine) == 0;
}

/* The host path to use for a guest path: the guest program itself for
 * /proc/self/exe, else the path unchanged. */
static const char *host_path(SysCall *sc, const char *path)
{
    if (path[0] == '/' && sc->proc->exe_path && is_proc_self_exe(path))
        return sc->proc->exe_path;
    return path;
}

int64_t sys_openat(SysCall *sc, const uint64_t *a)
{
    const char *path = guest_str(a[1]);
    if (!path)
        return -EFAULT;
    return host_result(syscall(SYS_openat, (int)a[0], host_path(sc, path),
                               open_flags_to_host((int)a[2]), (mode_t)a[3]));
}

/* struct open_how: u64 flags, mode, resolve (the same on every ABI but for
 * the open flags inside). */
int64_t sys_openat2(SysCall *sc, const uint64_t *a)
{
    uint64_t how[3];
    const char *path = guest_str(a[1]);
    size_t size = a[3];

    if (!path)
        return -EFAULT;
    if (size < sizeof(how))
        return -EINVAL;
    if (size > 4096)
        return -E2BIG;
    if (copy_from_guest(how, a[2], sizeof(how)) != 0)
        return -EFAULT;
    for (size_t off = sizeof(how); off < size; off++) {
        uint8_t byte;
        if (copy_from_guest(&byte, a[2] + off, 1) != 0)
            return -EFAULT;
        if (byte)
            return -E2BIG;
    }
    how[0] = (uint64_t)(uint32_t)open_flags_to_host((int)how[0]) | (how[0] & ~0xffffffffull);
    return host_result(syscall(SYS_openat2, (int)a[0], host_path(sc, path), how, sizeof(how)));
}

int64_t sys_open_by_handle_at(SysCall *sc, const uint64_t *a)
{
    return host_result(syscall(SYS_open_by_handle_at, (int)a[0], g2h(a[1]),
                               open_flags_to_host((int)a[2])));
}

int64_t sys_readlinkat(SysCall *sc, const uint64_t *a)
{
    const char *path = guest_str(a[1]);
    if (!path)
        return -EFAULT;
    if (path[0] == '/' && sc->proc->exe_path && is_proc_self_exe(path)) {
        size_t len = strlen(sc->proc->exe_path);
        if ((int64_t)a[3] <= 0)
            return -EINVAL;
        if (len > a[3])
            len = a[3];
        return copy_to_guest(a[2], sc->proc->exe_path, len) ? -EFAULT : (int64_t)len;
    }
    return host_result(syscall(SYS_readlinkat, (int)a[0], path, g2h(a[2]), (size_t)a[3]));
}

static int64_t put_guest_stat(uint64_t addr, const struct stat *st)
{
    Aarch64Stat g;
    stat_to_aarch64(&g, st);
    return copy_to_guest(addr, &g, sizeof(g)) ? -EFAULT : 0;
}

int64_t sys_newfstatat(SysCall *sc, const uint64_t *a)
{
    struct stat st;
    const char *path = guest_str(a[1]);
    int flags = (int)a[3];

    if (!path)
        return -EFAULT;
    if (!(flags & GUEST_AT_SYMLINK_NOFOLLOW))
        path = host_path(sc, path);
    long r = syscall(SYS_newfstatat, (int)a[0], path, &st, flags);
    if (r < 0)
        return -errno;
    return put_guest_stat(a[2], &st);
}

int64_t sys_fstat(SysCall *sc, const uint64_t *a)
{
    struct stat st;
    if (syscall(SYS_fstat, (int)a[0], &st) < 0)
        return -errno;
    return put_guest_stat(a[1], &st);
}

int64_t sys_fcntl(SysCall *sc, const uint64_t *a)
{
    int fd = (int)a[0], cmd = (int)a[1];
    long r;

    switch (cmd) {
    case F_GETFL:
        r = syscall(SYS_fcntl, fd, cmd);
        return r < 0 ? -errno : open_flags_to_guest((int)r);
    case F_SETFL:
        return host_result(syscall(SYS_fcntl, fd, cmd, open_flags_to_host((int)a[2])));
    default:
        /* struct flock, f_owner_ex and the command numbers are shared. */
        return host_result(syscall(SYS_fcntl, fd, cmd, a[2]));
    }
}

/* ---- epoll: struct epoll_event is packed on x86-64 only ---- */

#define EPOLL_BATCH_MAX 1024   /* events fetched per call; fewer is allowed */

int64_t sys_epoll_ctl(SysCall *sc, const uint64_t *a)
{
    Aarch64EpollEvent g;
    struct epoll_event h, *hp = NULL;

    if (a[3] && (int)a[1] != EPOLL_CTL_DEL) {
        if (copy_from_guest(&g, a[3], sizeof(g)) != 0)
            return -EFAULT;
        epoll_event_to_host(&h, &g);
        hp = &h;
    }
    return host_result(syscall(SYS_epoll_ctl, (int)a[0], (int)a[1], (int)a[2], hp));
}

/* Shared by epoll_pwait and epoll_pwait2: wait with host_nr into a host
 * buffer, then convert what arrived. */
static int64_t epoll_wait_converted(long host_nr, const uint64_t *a)
{
    int maxevents = (int)a[2];
    if (maxevents <= 0)
        return -EINVAL;
    int batch = maxevents < EPOLL_BATCH_MAX ? maxevents : EPOLL_BATCH_MAX;
    if (!guest_range_ok(a[1], (uint64_t)batch * sizeof(Aarch64EpollEvent), PROT_WRITE))
        return -EFAULT;

    struct epoll_event *host = g_new(struct epoll_event, batch);
    long n = syscall(host_nr, (int)a[0], host, batch, a[3], g2h(a[4]), (size_t)a[5]);
    int64_t ret = n < 0 ? -errno : n;
    for (long i = 0; i < n && ret >= 0; i++) {
        Aarch64EpollEvent g;
        epoll_event_to_aarch64(&g, &host[i]);
        if (copy_to_guest(a[1] + i * sizeof(g), &g, sizeof(g)) != 0)
            ret = -EFAULT;
    }
    g_free(host);
    return ret;
}

int64_t sys_epoll_pwait(SysCall *sc, const uint64_t *a)
{
    /* a[3] is the timeout in milliseconds. */
    return epoll_wait_converted(SYS_epoll_pwait, a);
}

int64_t sys_epoll_pwait2(SysCall *sc, const uint64_t *a)
{
    /* a[3] points to a struct timespec (same layout on both ABIs). */
    uint64_t b[SYSCALL_MAX_ARGS] = { a[0], a[1], a[2], (uint64_t)(uintptr_t)g2h(a[3]), a[4], a[5] };
    if (!a[3])
        b[3] = 0;
    return epoll_wait_converted(SYS_epoll_pwait2, b);
}
