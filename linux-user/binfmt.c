/*
 * binfmt_misc support of ferry-aarch64: the `--binfmt install|remove|status`
 * commands, which write the kernel's registration file, and the detection of
 * a start through binfmt_misc from ferry's own auxiliary vector.
 *
 * A registration is one line written to /proc/sys/fs/binfmt_misc/register:
 *     :name:M::magic:mask:interpreter:flags
 * The magic and mask below match any little-endian 64-bit ELF for
 * e_machine EM_AARCH64 (183) of type ET_EXEC (2) or ET_DYN (3) -- the mask
 * clears bit 0 of e_type -- whatever its EI_OSABI byte says.
 */
#include "linux-user/binfmt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib.h>

#include "linux-user/options.h"

#ifndef AT_FLAGS_PRESERVE_ARGV0
#define AT_FLAGS_PRESERVE_ARGV0 1
#endif

#define ELF_HEADER_PREFIX_LEN 20

/* e_ident (class 64, little endian, version 1, OSABI 0, padding), e_type
 * ET_EXEC, e_machine EM_AARCH64. */
static const unsigned char arm64_elf_magic[ELF_HEADER_PREFIX_LEN] = {
    0x7f, 'E', 'L', 'F', 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x02, 0x00, 0xb7, 0x00,
};
/* Byte 7 (EI_OSABI) is ignored; byte 16 ignores bit 0 (ET_EXEC or ET_DYN). */
static const unsigned char arm64_elf_mask[ELF_HEADER_PREFIX_LEN] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xfe, 0xff, 0xff, 0xff,
};

/* FERRY_* variables a child ferry inherits through its environment.  The
 * argv[0] override and the environment edits apply to one program only. */
static const char *const inherited_variables[] = {
    "FERRY_LD_PREFIX", "FERRY_CPU", "FERRY_LOG", "FERRY_LOG_FILENAME", "FERRY_STRACE",
    "FERRY_STACK_SIZE", "FERRY_ONE_INSN_PER_TB", "FERRY_TCACHE", NULL,
};

/* ---- started by the kernel ---- */

void binfmt_launch_detect(BinfmtLaunch *launch)
{
    launch->preserve_argv0 = (getauxval(AT_FLAGS) & AT_FLAGS_PRESERVE_ARGV0) != 0;
    errno = 0;
    unsigned long fd = getauxval(AT_EXECFD);
    launch->exec_fd = errno == 0 && fd <= INT_MAX ? (int)fd : -1;
    launch->active = launch->preserve_argv0 || launch->exec_fd >= 0;
}

bool binfmt_launched(void)
{
    BinfmtLaunch launch;
    binfmt_launch_detect(&launch);
    return launch.active;
}

char **binfmt_child_environ(char *const *guest_envp)
{
    char **env = g_strdupv((char **)guest_envp);
    if (getauxval(AT_SECURE)) return env;    /* a setuid program passes nothing on */
    for (const char *const *name = inherited_variables; *name; name++) {
        const char *value = getenv(*name);
        if (value) env = g_environ_setenv(env, *name, value, TRUE);
    }
    return env;
}

/* ---- checking the request ---- */

static void report(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static void report(const char *fmt, ...)
{
    va_list ap;
    fputs(FERRY_PROGNAME ": ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* The kernel takes any name without '/' (and not "." or ".."); we keep to
 * characters that are safe in file names and shell scripts. */
static bool name_is_valid(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || len > 64 || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
        strcmp(name, "register") == 0 || strcmp(name, "status") == 0)
        return false;
    return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-") == len;
}

/* Flags: P preserve argv[0], O open the binary for the interpreter,
 * C credentials from the binary (implies O), F open the interpreter now. */
static bool flags_are_valid(const char *flags)
{
    for (const char *p = flags; *p; p++)
        if (!strchr("POCF", *p) || strchr(p + 1, *p)) return false;
    return true;
}

static char *entry_path(const char *name)
{
    return g_strdup_printf(BINFMT_DIR "/%s", name);
}

static void append_escaped(GString *s, const unsigned char *bytes, size_t len)
{
    for (size_t i = 0; i < len; i++) g_string_append_printf(s, "\\x%02x", bytes[i]);
}

/* The absolute path of this ferry executable. */
static char *own_executable(void)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) {
        report("cannot find this program's own path (/proc/self/exe): %s", g_strerror(errno));
        return NULL;
    }
    buf[n] = '\0';
    if (g_str_has_suffix(buf, " (deleted)")) {
        report("%s has been deleted or replaced since it started; run the new one", buf);
        return NULL;
    }
    if (strchr(buf, ':') || strchr(buf, '\n')) {
        report("cannot register %s: binfmt_misc does not allow ':' or newlines in the path", buf);
        return NULL;
    }
    return g_strdup(buf);
}

static char *registration_line(const char *name, const char *interpreter, const char *flags)
{
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, ":%s:M::", name);
    append_escaped(s, arm64_elf_magic, sizeof arm64_elf_magic);
    g_string_append_c(s, ':');
    append_escaped(s, arm64_elf_mask, sizeof arm64_elf_mask);
    g_string_append_printf(s, ":%s:%s", interpreter, flags);
    return g_string_free(s, FALSE);
}

/* ---- the binfmt_misc file system ---- */

static bool binfmt_is_mounted(void)
{
    return access(BINFMT_DIR "/register", F_OK) == 0;
}

static bool ensure_mounted(void)
{
    if (binfmt_is_mounted()) return true;
    struct stat st;
    if (stat(BINFMT_DIR, &st) != 0) {
        report("%s: %s (is /proc mounted, and does this kernel have binfmt_misc?)", BINFMT_DIR,
               g_strerror(errno));
        return false;
    }
    if (mount("binfmt_misc", BINFMT_DIR, "binfmt_misc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0) {
        int err = errno;
        report("cannot mount binfmt_misc on %s: %s%s", BINFMT_DIR, g_strerror(err),
               err == EPERM || err == EACCES ? " (this needs root, outside a restricted container)" : "");
        return false;
    }
    return true;
}

/* Write text with one write(), as binfmt_misc wants; 0 or an errno. */
static int write_control_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return errno;
    ssize_t n = write(fd, text, strlen(text));
    int err = n < 0 ? errno : (size_t)n != strlen(text) ? EIO : 0;
    close(fd);
    return err;
}

static const char *permission_hint(int err)
{
    return err == EACCES || err == EPERM ? " (this needs root)" : "";
}

/* Does this entry's text describe a handler for arm64 ELF files? */
static bool entry_handles_arm64(const char *text)
{
    const char *magic = strstr(text, "\nmagic ");
    if (!magic) return false;
    magic += strlen("\nmagic ");
    return g_str_has_prefix(magic, "7f454c4602") && strlen(magic) >= 40 &&
           strncmp(magic + 36, "b700", 4) == 0;
}

/* binfmt_misc tries the newest entry first, so an older handler of the same
 * files stays registered but unused; say so. */
static void note_other_arm64_handlers(const char *name)
{
    GDir *dir = g_dir_open(BINFMT_DIR, 0, NULL);
    if (!dir) return;
    for (const char *entry; (entry = g_dir_read_name(dir)) != NULL;) {
        if (strcmp(entry, name) == 0 || strcmp(entry, "register") == 0 || strcmp(entry, "status") == 0)
            continue;
        char *path = entry_path(entry), *text = NULL;
        if (g_file_get_contents(path, &text, NULL, NULL) && g_str_has_prefix(text, "enabled") &&
            entry_handles_arm64(text))
            fprintf(stderr, FERRY_PROGNAME ": note: binfmt_misc entry '%s' also handles arm64 ELF files;"
                    " '%s' is newer and is the one the kernel uses\n", entry, name);
        g_free(text);
        g_free(path);
    }
    g_dir_close(dir);
}

/* ---- the commands ---- */

static int binfmt_install(const char *name, const char *flags)
{
    if (!ensure_mounted()) return 1;
    char *path = entry_path(name);
    bool exists = access(path, F_OK) == 0;
    g_free(path);
    if (exists) {
        report("a binfmt_misc entry named '%s' is already registered; remove it first with "
               "--binfmt remove --binfmt-name %s", name, name);
        return 1;
    }
    char *self = own_executable();
    if (!self) return 1;
    char *line = registration_line(name, self, flags);
    int err = write_control_file(BINFMT_DIR "/register", line);
    int status = 0;
    if (err == EEXIST) {
        report("a binfmt_misc entry named '%s' is already registered", name);
        status = 1;
    } else if (err == EINVAL) {
        report("the kernel refused the registration (Invalid argument): %s", line);
        status = 1;
    } else if (err) {
        report("cannot register with %s/register: %s%s", BINFMT_DIR, g_strerror(err), permission_hint(err));
        status = 1;
    } else {
        printf("registered binfmt_misc entry '%s': arm64 ELF programs run with %s (flags %s)\n",
               name, self, flags);
        fflush(stdout);
        note_other_arm64_handlers(name);
    }
    g_free(line);
    g_free(self);
    return status;
}

static int binfmt_remove(const char *name)
{
    char *path = entry_path(name);
    int status = 1;
    if (!binfmt_is_mounted()) {
        report("binfmt_misc is not mounted on %s, so nothing is registered", BINFMT_DIR);
    } else if (access(path, F_OK) != 0) {
        report("no binfmt_misc entry named '%s'", name);
    } else {
        int err = write_control_file(path, "-1");
        if (err) {
            report("cannot remove %s: %s%s", path, g_strerror(err), permission_hint(err));
        } else {
            printf("removed binfmt_misc entry '%s'\n", name);
            status = 0;
        }
    }
    g_free(path);
    return status;
}

/* Exit status 0 when registered, 1 when not (so scripts can test it). */
static int binfmt_status(const char *name)
{
    if (!binfmt_is_mounted()) {
        printf("%s: not registered (binfmt_misc is not mounted on %s)\n", name, BINFMT_DIR);
        return 1;
    }
    char *path = entry_path(name), *text = NULL;
    GError *err = NULL;
    int status = 1;
    if (access(path, F_OK) != 0) {
        printf("%s: not registered\n", name);
    } else if (!g_file_get_contents(path, &text, NULL, &err)) {
        report("%s", err->message);
        g_error_free(err);
    } else {
        printf("%s: registered (%s)\n%s", name, path, text);
        status = 0;
    }
    g_free(text);
    g_free(path);
    return status;
}

int binfmt_command(const char *action, const char *name, const char *flags)
{
    name = name ? name : BINFMT_DEFAULT_NAME;
    flags = flags ? flags : BINFMT_DEFAULT_FLAGS;
    if (!name_is_valid(name)) {
        report("--binfmt-name '%s': use 1 to 64 letters, digits, '.', '_', '+' or '-'", name);
        return 1;
    }
    if (!flags_are_valid(flags)) {
        report("--binfmt-flags '%s': flags are letters from POCF, each at most once", flags);
        return 1;
    }
    if (strcmp(action, "install") == 0) return binfmt_install(name, flags);
    if (strcmp(action, "remove") == 0) return binfmt_remove(name);
    if (strcmp(action, "status") == 0) return binfmt_status(name);
    report("--binfmt '%s': expected install, remove or status", action);
    return 1;
}
