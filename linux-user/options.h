/*
 * Command line and FERRY_* environment variables of ferry-aarch64, spelt
 * like qemu-user's: `ferry-aarch64 [options] program [args...]`.  Options
 * stop at the first non-option; everything after it belongs to the guest.
 */
#ifndef FERRY_LINUX_USER_OPTIONS_H
#define FERRY_LINUX_USER_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>

#define FERRY_PROGNAME "ferry-aarch64"

typedef struct EnvEdit {
    bool unset;              /* -U name, else -E name=value */
    char *text;
} EnvEdit;

typedef struct FerryOptions {
    const char *prog;        /* the guest program as given */
    int guest_argc;          /* guest arguments, argv[0] = prog */
    char **guest_argv;       /* points into main's argv */
    const char *argv0;       /* -0: argv[0] the guest sees, or NULL */
    const char *sysroot;     /* -L, or NULL */
    GArray *env_edits;       /* of EnvEdit, in the order given */
    uint64_t log_mask;       /* -d */
    const char *log_file;    /* -D, or NULL */
    bool strace;
    const char *cpu;         /* -cpu name, or NULL for the default */
    uint64_t stack_size;     /* -s, or 0 for the default */
    bool one_insn_per_tb;
    bool perfmap;            /* -perfmap: /tmp/perf-PID.map for perf */
    const char *tcache;      /* -tcache DIR|off, or NULL for the default directory */
    const char *binfmt_action; /* --binfmt install|remove|status, or NULL */
    const char *binfmt_name;   /* --binfmt-name, or NULL for the default */
    const char *binfmt_flags;  /* --binfmt-flags, or NULL for the default */
    bool via_binfmt;         /* started by the kernel through binfmt_misc */
    int exec_fd;             /* the program opened by the kernel (AT_EXECFD), or -1 */
} FerryOptions;

/* Parse FERRY_* variables, then the command line (which wins).  Prints and
 * exits for -h, -version, -d help, -cpu help (status 0) and for any error
 * (one line on stderr, status 1).  When the kernel started ferry through
 * binfmt_misc, argv holds only the program and its arguments, and the
 * options come from FERRY_* variables alone.  For a setuid program
 * (AT_SECURE) the variables that could let its caller read its memory or
 * substitute its libraries are ignored. */
void options_parse(FerryOptions *o, int argc, char **argv);

/* The guest's environment: host_env with the -E/-U edits applied and
 * ferry's own variables removed; FERRY_GUEST_ENV_NAME=value becomes
 * NAME=value (see options_hide_loader_variables).  NULL-terminated; free
 * with g_strfreev. */
char **options_guest_environ(const FerryOptions *o, char **host_env);

/* The environment for an execve of ferry itself on behalf of the guest:
 * guest_env with the variables the host's dynamic loader would act on
 * (LD_*, GLIBC_TUNABLES) renamed FERRY_GUEST_ENV_NAME, so that they reach
 * the next guest's loader untouched instead of ferry's own.  Free with
 * g_strfreev. */
char **options_hide_loader_variables(char *const *guest_env);

/* Print "ferry-aarch64: <message>" on stderr and exit with status. */
_Noreturn void ferry_fatal(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
