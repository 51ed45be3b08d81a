/*
 * File-system calls whose only conversion is the path: with -L an absolute
 * path may name a file inside the sysroot (path.c).  Everything else about
 * these calls is the same on arm64 and x86-64, so each handler translates
 * its path argument(s) and makes the host call.  unlink and rename also
 * make path.c forget what it learnt, since names may have gone.
 */
#include "syscall/path.h"

#include <fcntl.h>
#include <limits.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "linux-user/guest-mem.h"

#define GUEST_AT_SYMLINK_NOFOLLOW 0x100

static bool follows(uint64_t at_flags)
{
    return !(at_flags & GUEST_AT_SYMLINK_NOFOLLOW);
}

/* A call whose path is argument idx; the others pass through unchanged.
 * A path in argument 1 is relative to the directory descriptor in
 * argument 0 (the *at calls). */
static int64_t with_path(SysCall *sc, const uint64_t *a, long host_nr, int idx, bool follow)
{
    char buf[PATH_MAX], proc_buf[PATH_MAX];
    uint64_t h[SYSCALL_MAX_ARGS];
    for (int i = 0; i < SYSCALL_MAX_ARGS; i++)
        h[i] = a[i];
    if (a[idx]) {            /* NULL: futimens, statx(AT_EMPTY_PATH) on dirfd */
        const char *path = guest_str(a[idx]);
        if (!path)
            return -EFAULT;
        if (idx == 1)
            path = path_proc_absolute((int)a[0], path, proc_buf);
        h[idx] = (uint64_t)(uintptr_t)path_to_host(sc, path, follow, buf);
    }
    return host_result(syscall(host_nr, h[0], h[1], h[2], h[3], h[4], h[5]));
}

int64_t sys_faccessat(SysCall *sc, const uint64_t *a)
{
    return with_path(sc, a, SYS_faccessat, 1, true);
}

int64_t sys_faccessat2(SysCall *sc, const uint64_t *a)
{
    return with_path(sc, a, SYS_faccessat2, 1, follows(a[3]));
}

int64_t sys_statx(SysCall *sc, const uint64_t *a)
{
    return with_path(sc, a, SYS_statx, 1, follows(a[2]));
}

int64_t sys_getxattr(SysCall *sc, const uint64_t *a)
{
    return with_path(sc, a, SYS_getxattr, 0, true);
}

int64_t sys_lgetxattr(SysCall *sc, const uint64_t *a)
{
    return with_path(sc, a, SYS_lgetxattr, 0, false);
}

int64_t sys_listxattr(SysCall *sc, const uint64_t *a)
{
    return with_path(sc, a, SYS_listxattr, 0, true);
}

int64_t sys_llistxattr(SysCall *sc, const uint64_t *a)
{
    return with_path(sc, a, SYS_llistxattr, 0, false);
}

int64_t sys_utimensat(SysCall *sc, const uint64_t *a)
{
    return with_path(sc, a, SYS_utimensat, 1, follows(a[3]));
}

int64_t sys_truncate(SysCall *sc, const uint64_t *a)
{
    return with_path(sc, a, SYS_truncate, 0, true);
}

int64_t sys_statfs(SysCall *sc, const uint64_t *a)
{
    return with_path(sc, a, SYS_statfs, 0, true);
}

int64_t sys_unlinkat(SysCall *sc, const uint64_t *a)
{
    int64_t r = with_path(sc, a, SYS_unlinkat, 1, false);
    path_forget(sc);
    return r;
}

/* renameat and renameat2: both names are translated. */
static int64_t rename_paths(SysCall *sc, const uint64_t *a, unsigned flags)
{
    char buf_old[PATH_MAX], buf_new[PATH_MAX];
    const char *old_path = guest_str(a[1]), *new_path = guest_str(a[3]);
    if (!old_path || !new_path)
        return -EFAULT;
    int64_t r = host_result(syscall(SYS_renameat2, (int)a[0], path_to_host(sc, old_path, false, buf_old),
                                    (int)a[2], path_to_host(sc, new_path, false, buf_new), flags));
    path_forget(sc);
    return r;
}

int64_t sys_renameat(SysCall *sc, const uint64_t *a)
{
    return rename_paths(sc, a, 0);
}

int64_t sys_renameat2(SysCall *sc, const uint64_t *a)
{
    return rename_paths(sc, a, (unsigned)a[4]);
}
