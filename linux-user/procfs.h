/*
 * The guest's view of /proc.  A guest that opens /proc/self/maps,
 * /proc/self/exe, /proc/cpuinfo and friends must see an arm64 process
 * running its own program, not ferry: these files are generated from the
 * guest's state into an anonymous file (memfd) whose descriptor the guest
 * gets.  Everything else under /proc is the host's.
 *
 * Handled, for /proc/self, /proc/thread-self, /proc/<own pid or tid>
 * (optionally followed by task/<tid>):
 *   exe      the guest program (readlink: its path; open/stat/exec: the file)
 *   maps     the guest's mappings only, named [stack], [heap], [vdso] or by file
 *   smaps    the same lines, each with the host's counters for that memory
 *   smaps_rollup  those counters summed
 *   cmdline  environ  auxv   read from the guest's initial stack
 *   stat     the host's line with the guest's vsize, rss and code/stack/brk/
 *            arg/env bounds
 *   status   the host's file with the memory lines (Vm*, Rss*) the guest's
 *   statm    the same memory sizes, in pages
 * and /proc/cpuinfo, one block per online host CPU describing the -cpu model.
 * The process name (comm, used by stat, status and ps) is the host's, set to
 * the guest program's name at start-up; prctl(PR_SET_NAME) goes to the host.
 * For another ferry guest's /proc/<pid>/exe, the program mapped at its
 * AT_ENTRY is shown instead of ferry; its cmdline is the host's file, which
 * procfs_init made the guest's; its status, statm and stat's vsize and rss
 * count its guest's memory (the guest map read from its memory, when the
 * host lets this process read it, as it does for the same user).
 *
 * Paths are absolute here: one relative to a directory inside /proc (a
 * descriptor or the current directory) arrives as the absolute path of the
 * same file (syscall/path.c, path_proc_absolute).
 */
#ifndef FERRY_LINUX_USER_PROCFS_H
#define FERRY_LINUX_USER_PROCFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include "linux-user/process.h"

/* Could path, completed to an absolute path, be one of the files ferry
 * makes up?  (Only its last component is looked at: a cheap filter.) */
bool procfs_may_name(const char *path);

/* open/openat/openat2 of path with host open flags.  Returns false when the
 * path is not one ferry makes up (the caller opens the host's); otherwise
 * true with *result a new descriptor or -errno. */
bool procfs_open(const GuestProcess *proc, const char *path, int host_flags, int *result);

/* readlink of path.  false: not ferry's (use the host's); true: *result is
 * the length written to buf (not NUL-terminated, truncated to size) or
 * -errno. */
bool procfs_readlink(const GuestProcess *proc, const char *path, char *buf, size_t size,
                     ssize_t *result);

/* For calls that follow path to a file (stat, access, execve, xattrs): the
 * host file to use instead, or NULL when path is not one ferry redirects
 * (only /proc/self/exe and its aliases are). */
const char *procfs_exe_target(const GuestProcess *proc, const char *path);

/* At start-up, once the guest's stack is built: name this host process
 * after the guest program (the basename of the path it was started with,
 * truncated to 15 bytes, as the kernel does at exec), and where the kernel
 * allows it (prctl PR_SET_MM_MAP) point the host's own record of the
 * command line, environment and auxiliary vector at the guest's, so other
 * processes (ps, pgrep, another guest) read the guest's argv from the
 * host's /proc/<pid>/cmdline. */
void procfs_init(const GuestProcess *proc, const char *prog_path);

/* The guest's view of a host path: inside the -L sysroot the prefix is
 * removed ("/sysroot/lib/libc.so.6" -> "/lib/libc.so.6").  Returns a
 * pointer into host_path or host_path itself. */
const char *procfs_guest_path(const GuestProcess *proc, const char *host_path);

/* The same in two steps, for many paths: the canonical sysroot (false when
 * there is none to strip; root has PATH_MAX bytes), then one path against
 * it (root NULL: unchanged). */
bool procfs_sysroot(const GuestProcess *proc, char *root);
const char *procfs_path_in_root(const char *root, const char *host_path);

/* procfs-maps.c: append the guest's /proc/self/maps (smaps when detailed)
 * to out (a GString). */
struct _GString;
void procfs_write_maps(const GuestProcess *proc, struct _GString *out, bool detailed);
/* smaps_rollup: the guest's smaps counters summed over its mappings. */
void procfs_write_smaps_rollup(const GuestProcess *proc, struct _GString *out);

/* The guest's memory as /proc/<pid>/status counts it, in bytes: the guest
 * map's ranges classified as the kernel classifies a process's mappings,
 * with resident and swapped sizes from the host's smaps of those ranges. */
typedef struct ProcVmTotals {
    uint64_t size, peak;         /* VmSize, VmPeak */
    uint64_t locked;             /* VmLck: mlocked mappings */
    uint64_t rss, anon, file, shmem, swap;
    uint64_t data;               /* VmData: private writable, not stack */
    uint64_t stack;              /* VmStk */
    uint64_t exec;               /* VmExe + VmLib: executable, not writable */
    uint64_t page_tables;        /* VmPTE, estimated from the resident ranges */
    uint64_t program_text;       /* VmExe: the executable mapping holding the entry point */
} ProcVmTotals;
/* pid 0: this process.  Otherwise another process running this same
 * ferry binary, loaded delta bytes from this one (false when its map
 * cannot be read).  entry: the guest program's AT_ENTRY. */
bool procfs_vm_totals(pid_t pid, intptr_t delta, uint64_t entry, ProcVmTotals *t);

/* procfs-status.c: the host's status file of host_dir ("/proc/<pid>" or a
 * task directory) with the Vm and Rss lines describing the guest memory
 * counted in t. */
bool procfs_write_status(const char *host_dir, const ProcVmTotals *t, struct _GString *out);
/* The statm line of the memory counted in t (sizes in pages). */
void procfs_write_statm(const ProcVmTotals *t, struct _GString *out);

#endif
