/*
 * Guest paths to host paths (syscall/ only).  With -L sysroot (or
 * FERRY_LD_PREFIX) an absolute guest path names the file inside the
 * sysroot when one exists there, and the host's file otherwise, as if the
 * guest's root were the sysroot laid over the host's.  Symbolic links met
 * on the way are resolved inside the sysroot (an absolute link target
 * means the sysroot's file), like a chroot would.
 *
 * Never redirected: relative paths, "/" itself, and the host's kernel and
 * scratch trees /proc, /sys, /dev, /tmp, /run, /var/tmp, /var/run (the
 * guest shares them with the host), and paths already inside the sysroot.
 * /proc/self/exe (and its aliases) means the guest program.
 *
 * Found paths are cached until the guest unlinks or renames something;
 * "not in the sysroot" answers are cached for one second only, so files
 * that appear in the sysroot are seen soon after.
 */
#ifndef FERRY_SYSCALL_PATH_H
#define FERRY_SYSCALL_PATH_H

#include <stdbool.h>
#include "syscall/syscall-internal.h"

/* The host path for guest_path: guest_path itself, or buf (PATH_MAX
 * bytes) holding the path inside the sysroot.  follow: the call follows a
 * symbolic link in the last component (open without O_NOFOLLOW, stat,
 * access, execve); false for lstat, readlink, unlink, rename... */
const char *path_to_host(SysCall *sc, const char *guest_path, bool follow, char *buf);

/* A path relative to a directory inside /proc, given by descriptor or as
 * the current directory (AT_FDCWD) — "maps" after open("/proc/self") or
 * chdir("/proc/self") — as the absolute path naming the same file
 * ("/proc/1234/maps", in buf, PATH_MAX bytes), so that the guest's view of
 * /proc (linux-user/procfs.c) and path_to_host see it as they see absolute
 * paths.  Anything else is returned unchanged; the directory is looked at
 * only when the last component names a file ferry makes up. */
const char *path_proc_absolute(int dirfd, const char *guest_path, char *buf);

/* The guest changed the file system's names (unlink, rename): forget what
 * was learnt about the sysroot. */
void path_forget(SysCall *sc);

#endif
