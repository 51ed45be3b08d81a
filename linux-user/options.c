/*
 * ferry-aarch64's options: one table gives each option its spelling, its
 * FERRY_* environment variable, whether it takes an argument and its help
 * line.  Environment variables are applied first, then the command line,
 * so the command line wins.  The parser is our own so it never reorders or
 * consumes the guest's arguments: it stops at the first non-option.
 */
#include "linux-user/options.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/auxv.h>

#include "ferry-config.h"
#include "linux-user/binfmt.h"
#include "linux-user/log.h"
#include "target/aarch64/cpu-model.h"

_Noreturn void ferry_fatal(int status, const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fputs(FERRY_PROGNAME ": ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(status);
}

typedef void OptionHandler(FerryOptions *o, const char *arg);

typedef struct OptionDef {
    const char *name;        /* spelt with one or two leading dashes */
    const char *env;         /* FERRY_* variable, or NULL */
    const char *arg_name;    /* NULL: the option takes no argument */
    OptionHandler *handle;
    const char *help;
} OptionDef;

static const OptionDef option_table[];

static void print_usage(FILE *out);

static void opt_help(FerryOptions *o, const char *arg)
{
    print_usage(stdout);
    exit(0);
}

static void opt_version(FerryOptions *o, const char *arg)
{
    printf(FERRY_PROGNAME " version " FERRY_VERSION "\n"
           "Copyright (c) 2026 the ferry developers\n");
    exit(0);
}

static void opt_sysroot(FerryOptions *o, const char *arg) { o->sysroot = arg; }
static void opt_argv0(FerryOptions *o, const char *arg)   { o->argv0 = arg; }
static void opt_log_file(FerryOptions *o, const char *arg) { o->log_file = arg; }
static void opt_strace(FerryOptions *o, const char *arg)  { o->strace = true; }
static void opt_one_insn(FerryOptions *o, const char *arg) { o->one_insn_per_tb = true; }
static void opt_perfmap(FerryOptions *o, const char *arg) { o->perfmap = true; }
static void opt_tcache(FerryOptions *o, const char *arg)  { o->tcache = arg; }
static void opt_binfmt(FerryOptions *o, const char *arg)  { o->binfmt_action = arg; }
static void opt_binfmt_name(FerryOptions *o, const char *arg)  { o->binfmt_name = arg; }
static void opt_binfmt_flags(FerryOptions *o, const char *arg) { o->binfmt_flags = arg; }

/* -E a=1,b=2 / -U a,b: comma-separated lists, applied in order. */
static void add_env_edits(FerryOptions *o, const char *list, bool unset)
{
    char **items = g_strsplit(list, ",", -1);
    for (char **p = items; *p; p++) {
        if (!**p) continue;
        if (!unset && !strchr(*p, '='))
            ferry_fatal(1, "-E %s: expected NAME=VALUE", *p);
        if (unset && strchr(*p, '='))
            ferry_fatal(1, "-U %s: expected a variable name", *p);
        EnvEdit e = { unset, g_strdup(*p) };
        g_array_append_val(o->env_edits, e);
    }
    g_strfreev(items);
}

static void opt_set_env(FerryOptions *o, const char *arg)   { add_env_edits(o, arg, false); }
static void opt_unset_env(FerryOptions *o, const char *arg) { add_env_edits(o, arg, true); }

static void opt_log(FerryOptions *o, const char *arg)
{
    char *bad;
    if (strcmp(arg, "help") == 0) {
        printf("Log items (comma separated):\n");
#define X(id, name, help) printf("%-10s %s\n", name, help);
        LOG_ITEMS(X)
#undef X
        exit(0);
    }
    if (!log_parse_items(arg, &o->log_mask, &bad))
        ferry_fatal(1, "-d: unknown log item '%s' (-d help lists them)", bad);
}

static void print_cpu_name(const char *name, void *opaque)
{
    printf("  %s\n", name);
}

static void opt_cpu(FerryOptions *o, const char *arg)
{
    if (strcmp(arg, "help") == 0) {
        printf("Available CPU models:\n");
        cpu_model_list(print_cpu_name, NULL);
        exit(0);
    }
    o->cpu = arg;
}

/* A size with an optional k/M/G suffix (powers of 1024). */
static void opt_stack_size(FerryOptions *o, const char *arg)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 0);
    unsigned shift = 0;
    switch (*end) {
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    }
    if (errno || end == arg || *end || v == 0 || v > (1ull << 40) >> shift)
        ferry_fatal(1, "-s %s: not a valid stack size", arg);
    o->stack_size = (uint64_t)v << shift;
}

static const OptionDef option_table[] = {
    { "h",       NULL,                "",        opt_help,       "print this help and exit" },
    { "help",    NULL,                "",        opt_help,       "print this help and exit" },
    { "version", NULL,                "",        opt_version,    "print the version and exit" },
    { "L",       "FERRY_LD_PREFIX",   "path",    opt_sysroot,    "arm64 system root: where a dynamic program's ELF interpreter is found" },
    { "E",       "FERRY_SET_ENV",     "var=val", opt_set_env,    "set variables in the guest's environment (comma list)" },
    { "U",       "FERRY_UNSET_ENV",   "var",     opt_unset_env,  "remove variables from the guest's environment (comma list)" },
    { "0",       "FERRY_ARGV0",       "argv0",   opt_argv0,      "argv[0] the guest sees (default: program)" },
    { "d",       "FERRY_LOG",         "items",   opt_log,        "log these items ('-d help' lists them)" },
    { "D",       "FERRY_LOG_FILENAME", "logfile", opt_log_file,  "write the log to logfile (default stderr)" },
    { "strace",  "FERRY_STRACE",      "",        opt_strace,     "log system calls" },
    { "cpu",     "FERRY_CPU",         "model",   opt_cpu,        "CPU model to present ('-cpu help' lists them)" },
    { "s",       "FERRY_STACK_SIZE",  "size",    opt_stack_size, "guest stack size (k/M/G suffixes)" },
    { "one-insn-per-tb", "FERRY_ONE_INSN_PER_TB", "", opt_one_insn, "translate one guest instruction per block" },
    { "singlestep", NULL,             "",        opt_one_insn,   "same as -one-insn-per-tb" },
    { "perfmap", "FERRY_PERFMAP",     "",        opt_perfmap,    "write /tmp/perf-PID.map so perf names translated code" },
    { "tcache",  "FERRY_TCACHE",      "dir|off", opt_tcache,     "keep translations in this directory for the next run (default $XDG_CACHE_HOME/ferry or ~/.cache/ferry), or off" },
    { "binfmt",  NULL,                "action",  opt_binfmt,     "install, remove or show (status) the binfmt_misc registration" },
    { "binfmt-name", NULL,            "name",    opt_binfmt_name, "its name (default " BINFMT_DEFAULT_NAME ")" },
    { "binfmt-flags", NULL,           "flags",   opt_binfmt_flags, "its flags (default " BINFMT_DEFAULT_FLAGS ")" },
    { NULL },
};

static bool option_takes_arg(const OptionDef *d) { return d->arg_name && d->arg_name[0]; }

static void print_usage(FILE *out)
{
    fprintf(out, "usage: " FERRY_PROGNAME " [options] program [arguments...]\n"
                 "Run a Linux AArch64 program on this machine.\n\n"
                 "%-22s %-22s %s\n", "Option", "Environment variable", "Description");
    for (const OptionDef *d = option_table; d->name; d++) {
        char spelling[64];
        snprintf(spelling, sizeof spelling, "-%s%s%s", d->name,
                 option_takes_arg(d) ? " " : "", option_takes_arg(d) ? d->arg_name : "");
        fprintf(out, "%-22s %-22s %s\n", spelling, d->env ? d->env : "", d->help);
    }
    fprintf(out, "\nOptions end at the first argument that does not start with '-' (or at '--').\n"
                 "The FERRY_* variables are not passed on to the guest.\n"
                 "Started through binfmt_misc, ferry takes its options from FERRY_* variables only.\n");
}

static const OptionDef *find_option(const char *name)
{
    for (const OptionDef *d = option_table; d->name; d++)
        if (strcmp(d->name, name) == 0) return d;
    return NULL;
}

typedef struct GivenOption {
    const OptionDef *def;
    const char *arg;
} GivenOption;

/* Split argv into options (checked, not yet applied) and the guest part. */
static GArray *scan_command_line(FerryOptions *o, int argc, char **argv)
{
    GArray *given = g_array_new(FALSE, FALSE, sizeof(GivenOption));
    int i = 1;
    while (i < argc && argv[i][0] == '-' && argv[i][1]) {
        const char *name = argv[i] + 1;
        if (strcmp(name, "-") == 0) { i++; break; }   /* "--" */
        if (name[0] == '-') name++;                    /* --option */
        GivenOption g = { find_option(name), NULL };
        if (!g.def) ferry_fatal(1, "unknown option '%s' (-h for help)", argv[i]);
        i++;
        if (option_takes_arg(g.def)) {
            if (i >= argc) ferry_fatal(1, "option '%s' needs an argument (%s)", argv[i - 1], g.def->arg_name);
            g.arg = argv[i++];
        }
        g_array_append_val(given, g);
    }
    o->guest_argv = argv + i;
    o->guest_argc = argc - i;
    o->prog = i < argc ? argv[i] : NULL;
    return given;
}

/* Started by the kernel through binfmt_misc: argv is [ferry, path, args...],
 * or with flag P [ferry, path, argv0, args...]; no options. */
static GArray *scan_binfmt_arguments(FerryOptions *o, const BinfmtLaunch *launch, int argc, char **argv)
{
    o->via_binfmt = true;
    o->exec_fd = launch->exec_fd;
    if (argc < 2) ferry_fatal(1, "started through binfmt_misc without a program path");
    o->prog = argv[1];
    int first = launch->preserve_argv0 && argc >= 3 ? 2 : 1;
    o->guest_argv = argv + first;
    o->guest_argc = argc - first;
    return g_array_new(FALSE, FALSE, sizeof(GivenOption));
}

/* Variables a setuid program's caller must not control: reading its
 * memory through the logs, or giving it another ELF interpreter. */
static bool unsafe_for_setuid(const OptionDef *d)
{
    return d->handle == opt_log || d->handle == opt_log_file || d->handle == opt_strace ||
           d->handle == opt_sysroot;
}

static bool option_given(GArray *given, const OptionDef *d)
{
    for (guint k = 0; k < given->len; k++)
        if (g_array_index(given, GivenOption, k).def->handle == d->handle) return true;
    return false;
}

void options_parse(FerryOptions *o, int argc, char **argv)
{
    memset(o, 0, sizeof *o);
    o->exec_fd = -1;
    o->env_edits = g_array_new(FALSE, FALSE, sizeof(EnvEdit));
    BinfmtLaunch launch;
    binfmt_launch_detect(&launch);
    GArray *given = launch.active ? scan_binfmt_arguments(o, &launch, argc, argv)
                                  : scan_command_line(o, argc, argv);
    bool secure = getauxval(AT_SECURE) != 0;

    /* Environment first; a variable whose option is also on the command
     * line is ignored, except the -E/-U lists, which add up. */
    for (const OptionDef *d = option_table; d->name; d++) {
        const char *v = d->env ? getenv(d->env) : NULL;
        bool list = d->handle == opt_set_env || d->handle == opt_unset_env;
        if (v && secure && unsafe_for_setuid(d)) continue;
        if (v && (list || !option_given(given, d))) d->handle(o, option_takes_arg(d) ? v : NULL);
    }
    for (guint k = 0; k < given->len; k++) {
        GivenOption *g = &g_array_index(given, GivenOption, k);
        g->def->handle(o, g->arg);
    }
    g_array_free(given, TRUE);
    /* a setuid program neither reads nor writes translation files: they
     * belong to the user who started it */
    if (secure) o->tcache = "off";
    if (!o->prog && !o->binfmt_action) ferry_fatal(1, "no program given (-h for help)");
}

static bool is_ferry_variable(const char *entry)
{
    size_t len = strcspn(entry, "=");
    for (const OptionDef *d = option_table; d->name; d++)
        if (d->env && strlen(d->env) == len && strncmp(d->env, entry, len) == 0) return true;
    return false;
}

#define HIDDEN_VARIABLE_PREFIX "FERRY_GUEST_ENV_"

static bool is_host_loader_variable(const char *entry)
{
    return strncmp(entry, "LD_", 3) == 0 || strncmp(entry, "GLIBC_TUNABLES=", 15) == 0;
}

char **options_hide_loader_variables(char *const *guest_env)
{
    GPtrArray *out = g_ptr_array_new();
    for (char *const *p = guest_env; p && *p; p++)
        g_ptr_array_add(out, is_host_loader_variable(*p) ? g_strconcat(HIDDEN_VARIABLE_PREFIX, *p, NULL)
                                                         : g_strdup(*p));
    g_ptr_array_add(out, NULL);
    return (char **)g_ptr_array_free(out, FALSE);
}

char **options_guest_environ(const FerryOptions *o, char **host_env)
{
    GPtrArray *kept = g_ptr_array_new();
    const size_t hidden_len = strlen(HIDDEN_VARIABLE_PREFIX);
    for (char **p = host_env; p && *p; p++) {
        if (strncmp(*p, HIDDEN_VARIABLE_PREFIX, hidden_len) == 0 && strchr(*p, '='))
            g_ptr_array_add(kept, g_strdup(*p + hidden_len));
        else if (strchr(*p, '=') && !is_ferry_variable(*p))
            g_ptr_array_add(kept, g_strdup(*p));
    }
    g_ptr_array_add(kept, NULL);
    char **env = (char **)g_ptr_array_free(kept, FALSE);
    for (guint k = 0; k < o->env_edits->len; k++) {
        const EnvEdit *e = &g_array_index(o->env_edits, EnvEdit, k);
        if (e->unset) {
            env = g_environ_unsetenv(env, e->text);
        } else {
            char *eq = strchr(e->text, '=');
            char *name = g_strndup(e->text, (gsize)(eq - e->text));
            env = g_environ_setenv(env, name, eq + 1, TRUE);
            g_free(name);
        }
    }
    return env;
}
