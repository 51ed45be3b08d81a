/*
 * File-system and file-descriptor system calls that need more than a
 * passthrough: open flags (arm64 numbers four of them differently), struct
 * stat (different layout), struct epoll_event (packed on x86-64), fcntl's
 * flag words, and paths: with -L an absolute path may name a file in the
 * sysroot (syscall/path.c), and /proc/self/{exe,maps,...} must describe the
 * guest program rather than ferry (linux-user/procfs.c).
 */
#include "syscall/syscall-internal.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <glib.h>
#include <linux/openat2.h>

#include "linux-user/guest-mem.h"
#include "linux-user/procfs.h"
#include "syscall/convert.h"
#include "syscall/path.h"

#define GUEST_AT_FDCWD (-100)
#define GUEST_AT_SYMLINK_NOFOLLOW 0x100

int64_t sys_openat(SysCall *sc, const uint64_t *a)
{
    char buf[PATH_MAX], proc_buf[PATH_MAX];
    const char *path = guest_str(a[1]);
    int flags = open_flags_to_host((int)a[2]), fd;

    if (!path)
        return -EFAULT;
    path = path_proc_absolute((int)a[0], path, proc_buf);
    if (procfs_open(sc->proc, path, flags, &fd))
        return fd;
    return host_result(syscall(SYS_openat, (int)a[0], path_to_host(sc, path, !(flags & O_NOFOLLOW), buf),
                               flags, (mode_t)a[3]));
}

/* struct open_how: u64 flags, mode, resolve (the same on every ABI but for
 * the open flags inside). */
int64_t sys_openat2(SysCall *sc, const uint64_t *a)
{
    uint64_t how[3];
    char buf[PATH_MAX], proc_buf[PATH_MAX];
    const char *path = guest_str(a[1]);
    int fd;
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
    /* RESOLVE_BENEATH / RESOLVE_IN_ROOT: the path is about dirfd, not "/". */
    if (!(how[2] & (RESOLVE_BENEATH | RESOLVE_IN_ROOT))) {
        path = path_proc_absolute((int)a[0], path, proc_buf);
        if (procfs_open(sc->proc, path, (int)how[0], &fd))
            return fd;
        path = path_to_host(sc, path, !(how[0] & O_NOFOLLOW), buf);
    }
    return host_result(syscall(SYS_openat2, (int)a[0], path, how, sizeof(how)));
}

int64_t sys_open_by_handle_at(SysCall *sc, const uint64_t *a)
{
    return host_result(syscall(SYS_open_by_handle_at, (int)a[0], g2h(a[1]),
                               open_flags_to_host((int)a[2])));
}

int64_t sys_readlinkat(SysCall *sc, const uint64_t *a)
{
    char buf[PATH_MAX], target[PATH_MAX], proc_buf[PATH_MAX];
    const char *path = guest_str(a[1]);
    ssize_t len;

    if (!path)
        return -EFAULT;
    path = path_proc_absolute((int)a[0], path, proc_buf);
    if ((int64_t)a[3] <= 0)
        return -EINVAL;
    if (procfs_readlink(sc->proc, path, target, MIN(sizeof(target), (size_t)a[3]), &len)) {
        if (len < 0)
            return len;
        return copy_to_guest(a[2], target, (size_t)len) ? -EFAULT : (int64_t)len;
    }
    path = path_to_host(sc, path, false, buf);
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
    char buf[PATH_MAX], proc_buf[PATH_MAX];
    const char *path = guest_str(a[1]);
    int flags = (int)a[3];

    if (!path)
        return -EFAULT;
    path = path_proc_absolute((int)a[0], path, proc_buf);
    path = path_to_host(sc, path, !(flags & GUEST_AT_SYMLINK_NOFOLLOW), buf);
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

/* Shared by epoll_pwait and epoll_pwait2: the host kernel writes its
 * 12-byte events straight into the guest's buffer (maxevents 16-byte
 * slots hold them with room to spare), then each is widened in place,
 * last first, so none is overwritten before it is read.  Every ready event
 * up to maxevents comes back from one call, as the kernel's would. */
static int64_t epoll_wait_converted(long host_nr, const uint64_t *a)
{
    int maxevents = (int)a[2];
    if (maxevents <= 0 || maxevents > INT_MAX / (int)sizeof(Aarch64EpollEvent))
        return -EINVAL;
    if (!guest_range_ok(a[1], (uint64_t)maxevents * sizeof(Aarch64EpollEvent), PROT_WRITE))
        return -EFAULT;

    uint8_t *buf = g2h(a[1]);
    long n = syscall(host_nr, (int)a[0], (struct epoll_event *)buf, maxevents, a[3], g2h(a[4]),
                     (size_t)a[5]);
    if (n < 0)
        return -errno;
    for (long i = n - 1; i >= 0; i--) {
        struct epoll_event h;
        Aarch64EpollEvent g;
        memcpy(&h, buf + i * sizeof(h), sizeof(h));
        epoll_event_to_aarch64(&g, &h);
        memcpy(buf + i * sizeof(g), &g, sizeof(g));
    }
    return n;
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
