/*
 * Transparent execution through the kernel's binfmt_misc: registering
 * ferry-aarch64 as the handler of arm64 ELF files (`--binfmt install`,
 * `remove`, `status`), and recognising that the kernel started ferry that
 * way (AT_FLAGS, AT_EXECFD in ferry's own auxiliary vector).
 */
#ifndef FERRY_LINUX_USER_BINFMT_H
#define FERRY_LINUX_USER_BINFMT_H

#include <stdbool.h>

#define BINFMT_DEFAULT_NAME  "ferry-aarch64"
#define BINFMT_DEFAULT_FLAGS "POCF"
#define BINFMT_DIR           "/proc/sys/fs/binfmt_misc"

/* How the kernel started this ferry. */
typedef struct BinfmtLaunch {
    bool active;             /* through binfmt_misc (flag P or O seen) */
    bool preserve_argv0;     /* P: argv = [ferry, path, argv0, args...] */
    int exec_fd;             /* O: the program, opened by the kernel; else -1 */
} BinfmtLaunch;

/* Read AT_FLAGS and AT_EXECFD from ferry's own auxiliary vector.  Without
 * P or O the kernel's argv ([ferry, path, args...]) reads like an ordinary
 * command line, so such a start is not told apart (and need not be). */
void binfmt_launch_detect(BinfmtLaunch *launch);

/* binfmt_launch_detect's verdict alone: was this ferry started by the
 * kernel through binfmt_misc? */
bool binfmt_launched(void);

/* `--binfmt ACTION` with the registration's name and flags (NULL: the
 * defaults).  ACTION is install, remove or status.  Prints what it did or
 * one line saying why it could not; returns the exit status. */
int binfmt_command(const char *action, const char *name, const char *flags);

/* The environment for a program a binfmt-started guest executes: the
 * guest's envp plus the FERRY_* variables this ferry was given that a
 * child ferry should inherit (the kernel starts the child through
 * binfmt_misc, and the environment is all it can carry) -- none when this
 * ferry runs a setuid program.  Free with g_strfreev. */
char **binfmt_child_environ(char *const *guest_envp);

#endif
