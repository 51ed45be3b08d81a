/* system/main.c -- ferry-system-x86_64: command line and VM definition file,
 * the host terminal (raw while the guest runs, restored on every way out),
 * console input routing, and putting the VM, devices and boot image
 * together. */
#include "system/boot.h"
#include "system/devices.h"
#include "system/vm.h"
#include "ferry-config.h"

#include <ctype.h>
#include <errno.h>
#include <glib.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define MAX_DRIVES 4

typedef struct DriveSpec {
    char *file;
    bool readonly;
} DriveSpec;

typedef struct Options {
    char *kernel, *initrd, *append;
    uint64_t ram_size;
    int ncpus;
    DriveSpec drives[MAX_DRIVES];
    int ndrives;
    bool virtio_console;
    bool verbose, report_startup;
    bool boot_on_pvm;                /* try a Linux kernel on a PVM host anyway */
} Options;

typedef struct Console {
    VM *vm;
    Serial serial;
    VirtioConsole vcon;
    bool use_virtio;                 /* input goes to hvc0, not ttyS0 */
    bool tty;
    bool escape;                     /* Ctrl-A seen */
    struct termios saved;
} Console;

/* The terminal to restore when the process leaves by a signal. */
static struct termios *restore_on_signal;

static void usage(FILE *f)
{
    fprintf(f,
        "usage: ferry-system-x86_64 -kernel FILE [options]\n"
        "       ferry-system-x86_64 --config VM.conf|NAME [options]\n"
        "  -kernel FILE       bzImage, x86-64 ELF (PVH note or 64-bit entry), or boot sector\n"
        "  -initrd FILE       initial ramdisk\n"
        "  -append CMDLINE    kernel command line\n"
        "  -m SIZE            guest RAM (MiB, or with K/M/G suffix; default 256M)\n"
        "  -smp N             vCPUs, one host thread each (default 1)\n"
        "  -drive file=IMG,if=virtio[,readonly=on]   virtio-mmio block device\n"
        "  -nographic         console on stdio (always the case)\n"
        "  -virtio-console    add a virtio console (implied by console=hvc0)\n"
        "  --config FILE      VM definition (GKeyFile); NAME looks in\n"
        "                     $XDG_CONFIG_HOME/ferry/vms/NAME.conf\n"
        "  --check-kvm        exit 0 when /dev/kvm can run a VM, else say why, exit 1\n"
        "  --report-startup   print CPU/wall time at the guest's first exit\n"
        "  --boot-on-pvm      start a Linux kernel even on a PVM host (see the docs)\n"
        "  -v                 verbose\n"
        "  -version, -h\n"
        "Console: Ctrl-A x quits, Ctrl-A Ctrl-A sends Ctrl-A.  The guest ends the run\n"
        "with port 0xf4 (exit status = value written) or an i8042 reset.\n");
}

static bool parse_size(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s)
        return false;
    uint64_t mult = 1ULL << 20;
    switch (toupper((unsigned char)*end)) {
    case 0: break;
    case 'K': mult = 1ULL << 10; end++; break;
    case 'M': end++; break;
    case 'G': mult = 1ULL << 30; end++; break;
    default: return false;
    }
    if (*end == 'B' || *end == 'b')
        end++;
    if (*end || v == 0 || v > (1ULL << 46) / mult)
        return false;
    *out = v * mult;
    return true;
}

static bool add_drive(Options *o, const char *spec)
{
    if (o->ndrives >= MAX_DRIVES) {
        fprintf(stderr, "ferry-system: at most %d drives\n", MAX_DRIVES);
        return false;
    }
    DriveSpec d = { 0 };
    gchar **parts = g_strsplit(spec, ",", -1);
    bool ok = true;
    for (gchar **p = parts; *p && ok; p++) {
        if (g_str_has_prefix(*p, "file="))
            d.file = g_strdup(*p + 5);
        else if (strcmp(*p, "if=virtio") == 0 || strcmp(*p, "format=raw") == 0)
            continue;
        else if (strcmp(*p, "readonly=on") == 0 || strcmp(*p, "readonly=true") == 0)
            d.readonly = true;
        else if (strcmp(*p, "readonly=off") == 0 || strcmp(*p, "readonly=false") == 0)
            d.readonly = false;
        else {
            fprintf(stderr, "ferry-system: -drive: unsupported '%s' (file=, if=virtio, "
                    "format=raw, readonly=on|off)\n", *p);
            ok = false;
        }
    }
    g_strfreev(parts);
    if (ok && !d.file) {
        fprintf(stderr, "ferry-system: -drive needs file=IMG\n");
        ok = false;
    }
    if (ok)
        o->drives[o->ndrives++] = d;
    return ok;
}

/* Paths in a definition file are relative to the file. */
static char *config_path(GKeyFile *kf, const char *group, const char *key, const char *dir)
{
    char *v = g_key_file_get_string(kf, group, key, NULL);
    if (v && !g_path_is_absolute(v)) {
        char *abs = g_build_filename(dir, v, NULL);
        g_free(v);
        v = abs;
    }
    return v;
}

static char *find_config(const char *name)
{
    if (strchr(name, '/') || g_file_test(name, G_FILE_TEST_EXISTS))
        return g_strdup(name);
    return g_strdup_printf("%s/ferry/vms/%s.conf", g_get_user_config_dir(), name);
}

static bool load_config(Options *o, const char *name)
{
    char *path = find_config(name);
    GKeyFile *kf = g_key_file_new();
    GError *err = NULL;
    bool ok = g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &err);
    if (!ok) {
        fprintf(stderr, "ferry-system: --config %s: %s\n", path, err->message);
        g_error_free(err);
        goto out;
    }
    char *dir = g_path_get_dirname(path);
    o->kernel = config_path(kf, "vm", "kernel", dir);
    o->initrd = config_path(kf, "vm", "initrd", dir);
    o->append = g_key_file_get_string(kf, "vm", "append", NULL);
    char *mem = g_key_file_get_string(kf, "vm", "memory", NULL);
    if (mem && !parse_size(mem, &o->ram_size)) {
        fprintf(stderr, "ferry-system: %s: bad memory size '%s'\n", path, mem);
        ok = false;
    }
    g_free(mem);
    if (g_key_file_has_key(kf, "vm", "cpus", NULL))
        o->ncpus = g_key_file_get_integer(kf, "vm", "cpus", NULL);
    o->virtio_console = g_key_file_get_boolean(kf, "vm", "virtio-console", NULL);
    gchar **groups = g_key_file_get_groups(kf, NULL);
    for (gchar **g = groups; *g && ok; g++) {
        if (!g_str_has_prefix(*g, "drive"))
            continue;
        if (o->ndrives >= MAX_DRIVES) {
            fprintf(stderr, "ferry-system: %s: at most %d drives\n", path, MAX_DRIVES);
            ok = false;
            break;
        }
        DriveSpec d = { .file = config_path(kf, *g, "file", dir),
                        .readonly = g_key_file_get_boolean(kf, *g, "readonly", NULL) };
        if (!d.file) {
            fprintf(stderr, "ferry-system: %s: [%s] needs file=\n", path, *g);
            ok = false;
        } else {
            o->drives[o->ndrives++] = d;
        }
    }
    g_strfreev(groups);
    g_free(dir);
out:
    g_key_file_free(kf);
    g_free(path);
    return ok;
}

/* Returns -1 to go on, or an exit status. */
static int parse_args(Options *o, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = true;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0 || strcmp(a, "-help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "-version") == 0 || strcmp(a, "--version") == 0) {
            printf("ferry-system-x86_64 version %s\n", FERRY_VERSION);
            return 0;
        } else if (strcmp(a, "--check-kvm") == 0) {
            char why[256];
            if (vm_kvm_usable(why, sizeof(why)))
                return 0;
            fprintf(stderr, "ferry-system: %s\n", why);
            return 1;
        }
        takes = strcmp(a, "-kernel") == 0 || strcmp(a, "-initrd") == 0 ||
                strcmp(a, "-append") == 0 || strcmp(a, "-m") == 0 || strcmp(a, "-smp") == 0 ||
                strcmp(a, "-drive") == 0 || strcmp(a, "--config") == 0 ||
                strcmp(a, "-config") == 0;
        if (takes && !v) {
            fprintf(stderr, "ferry-system: %s needs an argument\n", a);
            return 1;
        }
        if (strcmp(a, "-kernel") == 0) o->kernel = g_strdup(v);
        else if (strcmp(a, "-initrd") == 0) o->initrd = g_strdup(v);
        else if (strcmp(a, "-append") == 0) o->append = g_strdup(v);
        else if (strcmp(a, "-m") == 0) {
            if (!parse_size(v, &o->ram_size)) {
                fprintf(stderr, "ferry-system: -m %s: not a memory size\n", v);
                return 1;
            }
        } else if (strcmp(a, "-smp") == 0) {
            o->ncpus = atoi(v);
            if (strncmp(v, "cpus=", 5) == 0)
                o->ncpus = atoi(v + 5);
        } else if (strcmp(a, "-drive") == 0) {
            if (!add_drive(o, v))
                return 1;
        } else if (strcmp(a, "--config") == 0 || strcmp(a, "-config") == 0) {
            if (!load_config(o, v))
                return 1;
        } else if (strcmp(a, "-nographic") == 0) {
            continue;
        } else if (strcmp(a, "-virtio-console") == 0) {
            o->virtio_console = true;
        } else if (strcmp(a, "-v") == 0) {
            o->verbose = true;
        } else if (strcmp(a, "--report-startup") == 0) {
            o->report_startup = true;
        } else if (strcmp(a, "--boot-on-pvm") == 0) {
            o->boot_on_pvm = true;
        } else {
            fprintf(stderr, "ferry-system: unknown option '%s' (try -h)\n", a);
            return 1;
        }
        if (takes)
            i++;
    }
    if (!o->kernel) {
        fprintf(stderr, "ferry-system: no guest: give -kernel FILE or --config VM.conf\n");
        return 1;
    }
    return -1;
}

static void restore_terminal(void *opaque)
{
    Console *c = opaque;
    if (c->tty)
        tcsetattr(STDIN_FILENO, TCSANOW, &c->saved);
}

static void restore_and_die(int sig)
{
    if (restore_on_signal)
        tcsetattr(STDIN_FILENO, TCSANOW, restore_on_signal);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Raw input (Ctrl-C goes to the guest), output processing kept so a bare
 * newline from a tiny guest still returns the carriage. */
static void enter_raw_terminal(Console *c)
{
    c->tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &c->saved) == 0;
    if (!c->tty)
        return;
    struct termios raw = c->saved;
    cfmakeraw(&raw);
    raw.c_oflag |= OPOST | ONLCR;
    tcsetattr(STDIN_FILENO, TCSANOW, &raw);
    restore_on_signal = &c->saved;
    signal(SIGTERM, restore_and_die);
    signal(SIGHUP, restore_and_die);
    signal(SIGQUIT, restore_and_die);
}

static void console_deliver(Console *c, const uint8_t *buf, size_t n)
{
    if (c->use_virtio)
        virtio_console_push_input(&c->vcon, buf, n);
    else
        serial_push_input(&c->serial, buf, n);
}

static bool stdin_ready(void *opaque, int fd)
{
    Console *c = opaque;
    uint8_t buf[256], out[256];
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0)
        return n < 0 && (errno == EINTR || errno == EAGAIN);
    size_t m = 0;
    for (ssize_t i = 0; i < n; i++) {
        if (c->tty && c->escape) {
            c->escape = false;
            if (buf[i] == 'x') {
                fprintf(stderr, "\r\nferry-system: terminated by Ctrl-A x\r\n");
                vm_request_stop(c->vm, 0);
                return false;
            }
            if (buf[i] != 0x01)
                continue;
        } else if (c->tty && buf[i] == 0x01) {
            c->escape = true;
            continue;
        }
        out[m++] = buf[i];
    }
    if (m)
        console_deliver(c, out, m);
    return true;
}

static int run_vm(Options *o)
{
    VM *vm = g_new0(VM, 1);          /* lives until the process exits */
    VMOptions vo = { .ram_size = o->ram_size, .ncpus = o->ncpus, .verbose = o->verbose,
                     .report_startup = o->report_startup };
    if (!vm_create(vm, &vo))
        return 1;

    GString *cmdline = g_string_new(o->append ? o->append : "");
    Console *con = g_new0(Console, 1);
    con->vm = vm;
    serial_init(&con->serial, vm, STDOUT_FILENO);
    legacy_devices_init(vm);
    int index = 0;
    for (int i = 0; i < o->ndrives; i++) {
        VirtioBlk *b = g_new0(VirtioBlk, 1);
        if (!virtio_blk_init(b, vm, index++, o->drives[i].file, o->drives[i].readonly, cmdline))
            return 1;
    }
    con->use_virtio = o->virtio_console || strstr(cmdline->str, "console=hvc");
    if (con->use_virtio && !virtio_console_init(&con->vcon, vm, index++, STDOUT_FILENO, cmdline))
        return 1;

    BootConfig bc = { .kernel = o->kernel, .initrd = o->initrd, .cmdline = cmdline->str };
    BootInfo bi;
    if (!boot_load(vm, &bc, &bi))
        return 1;
    if (bi.linux_version[0] && vm->pvm_host && !o->boot_on_pvm) {
        /* It would spend minutes decompressing at emulated CPL0, then stop. */
        fprintf(stderr, "ferry-system: %s is Linux %s\nferry-system: not starting it: %s "
                "(--boot-on-pvm tries anyway)\n", o->kernel, bi.linux_version,
                vm_pvm_explanation);
        return 1;
    }
    if (o->verbose)
        fprintf(stderr, "ferry-system: entry 0x%llx, command line '%s'\n",
                (unsigned long long)bi.entry, cmdline->str);

    enter_raw_terminal(con);
    vm->on_stop = restore_terminal;
    vm->on_stop_opaque = con;
    iothread_watch(vm, STDIN_FILENO, stdin_ready, con);
    if (!iothread_start(vm))
        return 1;
    return vm_run(vm);
}

int main(int argc, char **argv)
{
    Options o = { .ram_size = 256ULL << 20, .ncpus = 1 };
    int status = parse_args(&o, argc, argv);
    if (status >= 0)
        return status;
    status = run_vm(&o);
    fflush(stdout);
    fflush(stderr);
    _exit(status);                   /* vCPU threads may still be inside KVM_RUN */
}
