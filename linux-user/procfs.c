/*
 * The /proc files ferry makes up for the guest (see procfs.h): which paths
 * are ours, and the content of exe, cmdline, environ, auxv, stat and
 * cpuinfo.  maps and smaps are in procfs-maps.c.  Generated content goes
 * into a memfd, so the guest reads, seeks, maps and closes it like any
 * file.
 */
#include "linux-user/procfs.h"

#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <linux/prctl.h>
#include <sys/syscall.h>
#include <glib.h>

#include "linux-user/guest-mem.h"
#include "target/aarch64/cpu-model.h"

#define COMM_LEN 16                       /* TASK_COMM_LEN, with the NUL */
#define GUEST_COUNTER_HZ 1000000000ull    /* CNTFRQ_EL0 under ferry */
#define GUEST_HZ 100                      /* the jiffy rate BogoMIPS is computed at */

typedef enum ProcFile {
    PF_NONE, PF_EXE, PF_MAPS, PF_SMAPS, PF_SMAPS_ROLLUP, PF_CMDLINE, PF_ENVIRON, PF_AUXV, PF_STAT,
    PF_STATUS, PF_STATM, PF_CPUINFO,
} ProcFile;

static const struct { const char *name; ProcFile file; } per_process_files[] = {
    { "exe", PF_EXE }, { "maps", PF_MAPS }, { "smaps", PF_SMAPS }, { "smaps_rollup", PF_SMAPS_ROLLUP },
    { "cmdline", PF_CMDLINE }, { "environ", PF_ENVIRON }, { "auxv", PF_AUXV }, { "stat", PF_STAT },
    { "status", PF_STATUS }, { "statm", PF_STATM },
};

/* What a /proc path names: one of our files, and the host directory of the
 * process or thread it is about ("/proc/<pid>" or ".../task/<tid>"). */
typedef struct ProcTarget {
    ProcFile file;
    char host_dir[64];
} ProcTarget;

bool procfs_may_name(const char *path)
{
    const char *slash = strrchr(path, '/'), *last = slash ? slash + 1 : path;
    if (strcmp(last, "cpuinfo") == 0)
        return true;
    for (size_t i = 0; i < G_N_ELEMENTS(per_process_files); i++)
        if (strcmp(last, per_process_files[i].name) == 0)
            return true;
    return false;
}

/* Is id this process or one of its threads? */
static bool is_own_task(long id)
{
    long pid = syscall(SYS_getpid);
    return id == pid || (id > 0 && syscall(SYS_tgkill, pid, id, 0) == 0);
}

/* Parse a decimal id component ending at '/' or the end; advances *p. */
static long parse_id(const char **p)
{
    const char *s = *p;
    long v = 0;
    if (*s < '0' || *s > '9')
        return -1;
    while (*s >= '0' && *s <= '9') {
        if (v > (LONG_MAX - 9) / 10)
            return -1;
        v = v * 10 + (*s++ - '0');
    }
    if (*s != '/' && *s != '\0')
        return -1;
    *p = s;
    return v;
}

/* "/proc/self/maps" -> PF_MAPS of this process; PF_NONE for anything ferry
 * leaves to the host. */
static ProcFile parse_proc_path(const char *path, ProcTarget *t)
{
    const char *p;
    long pid, task = -1;

    t->file = PF_NONE;
    if (strncmp(path, "/proc/", 6) != 0)
        return PF_NONE;
    pid = syscall(SYS_getpid);
    p = path + 6;
    if (strcmp(p, "cpuinfo") == 0)
        return t->file = PF_CPUINFO;
    if (strncmp(p, "self/", 5) == 0) {
        p += 5;
    } else if (strncmp(p, "thread-self/", 12) == 0) {
        p += 12;
        task = syscall(SYS_gettid);
    } else {
        long id = parse_id(&p);
        if (id <= 0 || *p != '/' || !is_own_task(id))
            return PF_NONE;
        if (id != pid)
            task = id;
        p++;
    }
    if (strncmp(p, "task/", 5) == 0) {
        p += 5;
        long id = parse_id(&p);
        if (id <= 0 || *p != '/' || !is_own_task(id))
            return PF_NONE;
        task = id;
        p++;
    }
    for (size_t i = 0; i < G_N_ELEMENTS(per_process_files); i++) {
        if (strcmp(p, per_process_files[i].name) == 0) {
            if (task > 0)
                snprintf(t->host_dir, sizeof t->host_dir, "/proc/%ld/task/%ld", pid, task);
            else
                snprintf(t->host_dir, sizeof t->host_dir, "/proc/%ld", pid);
            return t->file = per_process_files[i].file;
        }
    }
    return PF_NONE;
}

/* ---- guest view of paths ---- */

bool procfs_sysroot(const GuestProcess *proc, char *root)
{
    return proc->sysroot && realpath(proc->sysroot, root) && strcmp(root, "/") != 0;
}

const char *procfs_path_in_root(const char *root, const char *host_path)
{
    if (!root)
        return host_path;
    size_t n = strlen(root);
    if (strncmp(host_path, root, n) != 0)
        return host_path;
    if (host_path[n] == '/')
        return host_path + n;
    return host_path[n] == '\0' ? "/" : host_path;
}

const char *procfs_guest_path(const GuestProcess *proc, const char *host_path)
{
    char root[PATH_MAX];
    return procfs_path_in_root(procfs_sysroot(proc, root) ? root : NULL, host_path);
}

static void set_comm(const char *prog_path)
{
    char comm[COMM_LEN];
    const char *base = strrchr(prog_path, '/');
    g_strlcpy(comm, base ? base + 1 : prog_path, sizeof comm);
    prctl(PR_SET_NAME, comm, 0, 0, 0);
}

/* The host's /proc/self/stat fields up to count - 1, by proc(5) number. */
static bool host_stat_fields(uint64_t *fields, int count)
{
    char *line = NULL;
    if (!g_file_get_contents("/proc/self/stat", &line, NULL, NULL))
        return false;
    char *p = strrchr(line, ')');
    int field = 2;
    memset(fields, 0, sizeof(*fields) * count);
    while (p && (p = strchr(p + 1, ' ')) != NULL) {
        field++;
        if (field < count)
            fields[field] = g_ascii_strtoull(p + 1, NULL, 10);
    }
    g_free(line);
    return field >= count - 1;
}

/* Point the host kernel's record of the command line, environment and
 * auxv at the guest's; the code, data, brk and stack bounds stay the
 * host's (ferry's own allocator uses the host brk). */
static void publish_guest_view(const GuestProcess *proc)
{
    uint64_t f[52];
    const GuestImage *img = &proc->image;
    if (!host_stat_fields(f, 52))
        return;
    struct prctl_mm_map map = {
        .start_code = f[26], .end_code = f[27], .start_data = f[45], .end_data = f[46],
        .start_brk = f[47], .brk = h2g(sbrk(0)), .start_stack = f[28],
        .arg_start = img->arg_start, .arg_end = img->arg_end,
        .env_start = img->env_start, .env_end = img->env_end,
        .auxv = g2h(img->auxv), .auxv_size = (uint32_t)img->auxv_len, .exe_fd = (uint32_t)-1,
    };
    if (prctl(PR_SET_MM, PR_SET_MM_MAP, &map, sizeof map, 0) != 0) {
        map.auxv = NULL;    /* a host whose saved auxv is smaller */
        map.auxv_size = 0;
        prctl(PR_SET_MM, PR_SET_MM_MAP, &map, sizeof map, 0);
    }
}

void procfs_init(const GuestProcess *proc, const char *prog_path)
{
    set_comm(prog_path);
    publish_guest_view(proc);
}

/* ---- content ---- */

/* Append len bytes of guest memory at addr; false on a fault. */
static bool append_guest_bytes(GString *out, uint64_t addr, uint64_t len)
{
    if (len == 0)
        return true;
    if (len > (64u << 20))
        return false;
    size_t old = out->len;
    g_string_set_size(out, old + len);
    if (copy_from_guest(out->str + old, addr, len) != 0) {
        g_string_set_size(out, old);
        return false;
    }
    return true;
}

static char *read_host_text(const char *path)
{
    char *text = NULL;
    return g_file_get_contents(path, &text, NULL, NULL) ? text : NULL;
}

typedef struct StatField { int field; uint64_t value; } StatField;

/* The host's stat line of host_dir with some fields (proc(5) numbers them
 * from 1) replaced. */
static bool write_stat_fields(const char *host_dir, const StatField *fields, size_t count, GString *out)
{
    char path[96];
    snprintf(path, sizeof path, "%s/stat", host_dir);
    char *line = read_host_text(path);
    if (!line)
        return false;
    char *close_paren = strrchr(line, ')');
    if (!close_paren) {
        g_free(line);
        return false;
    }
    g_string_append_len(out, line, close_paren + 1 - line);
    char **words = g_strsplit(g_strstrip(close_paren + 1), " ", -1);
    for (int i = 0; words[i]; i++) {
        int number = i + 3;          /* words[0] is field 3 (state) */
        const char *text = words[i];
        char value[24];
        for (size_t k = 0; k < count; k++) {
            if (fields[k].field == number) {
                snprintf(value, sizeof value, "%" G_GUINT64_FORMAT, fields[k].value);
                text = value;
            }
        }
        g_string_append_printf(out, " %s", text);
    }
    g_string_append_c(out, '\n');
    g_strfreev(words);
    g_free(line);
    return true;
}

/* The stat line with the fields that describe the program's memory the
 * guest's: 23 vsize (bytes), 24 rss (pages), 26 startcode, 27 endcode,
 * 28 startstack, 45 start_data .. 51 env_end. */
static bool write_stat(const GuestProcess *proc, const ProcTarget *t, GString *out)
{
    const GuestImage *img = &proc->image;
    ProcVmTotals totals;
    procfs_vm_totals(0, 0, img->prog_entry, &totals);
    StatField fields[] = {
        { 23, totals.size }, { 24, totals.rss / GUEST_PAGE_SIZE },
        { 26, img->start_code }, { 27, img->end_code }, { 28, img->sp },
        { 45, img->start_data }, { 46, img->end_data }, { 47, img->brk_start },
        { 48, img->arg_start }, { 49, img->arg_end }, { 50, img->env_start }, { 51, img->env_end },
    };
    return write_stat_fields(t->host_dir, fields, G_N_ELEMENTS(fields), out);
}

/* Online CPU numbers from the host ("0-3,8-11"). */
static GArray *online_cpus(void)
{
    GArray *cpus = g_array_new(FALSE, FALSE, sizeof(int));
    char *text = read_host_text("/sys/devices/system/cpu/online");
    if (text) {
        char **ranges = g_strsplit(g_strstrip(text), ",", -1);
        for (int i = 0; ranges[i]; i++) {
            int lo, hi;
            int n = sscanf(ranges[i], "%d-%d", &lo, &hi);
            if (n == 1)
                hi = lo;
            for (int c = lo; n >= 1 && c <= hi && c - lo < 65536; c++)
                g_array_append_val(cpus, c);
        }
        g_strfreev(ranges);
        g_free(text);
    }
    if (cpus->len == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        for (int c = 0; c < (n > 0 ? n : 1); c++)
            g_array_append_val(cpus, c);
    }
    return cpus;
}

/* arm64 Linux's /proc/cpuinfo: one block per online CPU, the MIDR fields of
 * the model, the HWCAP names, and BogoMIPS derived from the counter rate. */
static void write_cpuinfo(const GuestProcess *proc, GString *out)
{
    const CPUModel *m = proc->cpu_name ? cpu_model_find(proc->cpu_name) : NULL;
    if (!m)
        m = cpu_model_default();
    char features[1024];
    cpu_model_feature_string(m, features, sizeof features);
    uint64_t lpj = GUEST_COUNTER_HZ / GUEST_HZ;
    uint64_t bogo_int = lpj / (500000 / GUEST_HZ), bogo_frac = (lpj / (5000 / GUEST_HZ)) % 100;
    GArray *cpus = online_cpus();
    for (guint i = 0; i < cpus->len; i++) {
        g_string_append_printf(out, "processor\t: %d\n", g_array_index(cpus, int, i));
        g_string_append_printf(out, "BogoMIPS\t: %" G_GUINT64_FORMAT ".%02" G_GUINT64_FORMAT "\n",
                               bogo_int, bogo_frac);
        g_string_append_printf(out, "Features\t: %s\n", features);
        g_string_append_printf(out, "CPU implementer\t: 0x%02x\n", (unsigned)(m->midr >> 24) & 0xff);
        g_string_append(out, "CPU architecture: 8\n");
        g_string_append_printf(out, "CPU variant\t: 0x%x\n", (unsigned)(m->midr >> 20) & 0xf);
        g_string_append_printf(out, "CPU part\t: 0x%03x\n", (unsigned)(m->midr >> 4) & 0xfff);
        g_string_append_printf(out, "CPU revision\t: %u\n\n", (unsigned)m->midr & 0xf);
    }
    g_array_free(cpus, TRUE);
}

static bool write_own_status(const GuestProcess *proc, const ProcTarget *t, GString *out)
{
    ProcVmTotals totals;
    procfs_vm_totals(0, 0, proc->image.prog_entry, &totals);
    if (t->file == PF_STATM) {
        procfs_write_statm(&totals, out);
        return true;
    }
    return procfs_write_status(t->host_dir, &totals, out);
}

static bool generate(const GuestProcess *proc, const ProcTarget *t, GString *out)
{
    const GuestImage *img = &proc->image;
    switch (t->file) {
    case PF_MAPS:    procfs_write_maps(proc, out, false); return true;
    case PF_SMAPS:   procfs_write_maps(proc, out, true); return true;
    case PF_SMAPS_ROLLUP: procfs_write_smaps_rollup(proc, out); return true;
    case PF_CMDLINE: return append_guest_bytes(out, img->arg_start, img->arg_end - img->arg_start);
    case PF_ENVIRON: return append_guest_bytes(out, img->env_start, img->env_end - img->env_start);
    case PF_AUXV:    return append_guest_bytes(out, img->auxv, img->auxv_len);
    case PF_STAT:    return write_stat(proc, t, out);
    case PF_STATUS:
    case PF_STATM:   return write_own_status(proc, t, out);
    case PF_CPUINFO: write_cpuinfo(proc, out); return true;
    default:         return false;
    }
}

/* A memfd holding content, positioned at its start. */
static int content_fd(const GString *content, int host_flags)
{
    int fd = (int)syscall(SYS_memfd_create, "ferry-proc",
                          (host_flags & O_CLOEXEC) ? MFD_CLOEXEC : 0);
    if (fd < 0)
        return -errno;
    for (size_t done = 0; done < content->len;) {
        ssize_t n = write(fd, content->str + done, content->len - done);
        if (n <= 0) {
            int err = n < 0 ? errno : EIO;
            close(fd);
            return -err;
        }
        done += (size_t)n;
    }
    lseek(fd, 0, SEEK_SET);
    return fd;
}

static bool other_guest_status(const char *path, int host_flags, int *result);

bool procfs_open(const GuestProcess *proc, const char *path, int host_flags, int *result)
{
    ProcTarget t;
    if (parse_proc_path(path, &t) == PF_NONE)
        return (host_flags & O_ACCMODE) == O_RDONLY && other_guest_status(path, host_flags, result);
    if (t.file == PF_EXE) {
        int fd = open(proc->exe_path, host_flags, 0);
        *result = fd < 0 ? -errno : fd;
        return true;
    }
    if ((host_flags & O_ACCMODE) != O_RDONLY) {
        *result = -EACCES;
        return true;
    }
    GString *content = g_string_new(NULL);
    *result = generate(proc, &t, content) ? content_fd(content, host_flags) : -EIO;
    g_string_free(content, TRUE);
    return true;
}

/* The value of AT_ENTRY in a process's auxv file, or 0. */
static uint64_t auxv_entry(const char *auxv_path)
{
    char *data = NULL;
    gsize len = 0;
    uint64_t entry = 0;
    if (!g_file_get_contents(auxv_path, &data, &len, NULL))
        return 0;
    for (gsize i = 0; i + 16 <= len; i += 16) {
        uint64_t pair[2];
        memcpy(pair, data + i, sizeof pair);
        if (pair[0] == AT_ENTRY)
            entry = pair[1];
    }
    g_free(data);
    return entry;
}

/* Is the process of pid_dir running this same ferry binary?  Its path
 * goes to ferry_path (PATH_MAX bytes). */
static bool runs_this_ferry(const char *pid_dir, char *ferry_path)
{
    char link[96], target[PATH_MAX];
    snprintf(link, sizeof link, "%s/exe", pid_dir);
    ssize_t n = readlink(link, target, sizeof target - 1);
    ssize_t m = readlink("/proc/self/exe", ferry_path, PATH_MAX - 1);
    if (n <= 0 || n != m || memcmp(target, ferry_path, (size_t)n) != 0)
        return false;
    ferry_path[m] = '\0';
    return true;
}

/* Where the maps file of pid_dir has the start of file path (offset 0). */
static uint64_t mapped_at(const char *pid_dir, const char *path)
{
    char *maps_path = g_strconcat(pid_dir, "/maps", NULL), *maps = NULL;
    uint64_t base = 0;
    if (g_file_get_contents(maps_path, &maps, NULL, NULL)) {
        char **lines = g_strsplit(maps, "\n", -1);
        for (int i = 0; lines[i] && !base; i++) {
            uint64_t start, offset;
            int at = 0;
            if (sscanf(lines[i], "%" SCNx64 "-%*[0-9a-f] %*s %" SCNx64 " %*s %*s %n", &start, &offset,
                       &at) >= 2 && at > 0 && offset == 0 && strcmp(lines[i] + at, path) == 0)
                base = start;
        }
        g_strfreev(lines);
        g_free(maps);
    }
    g_free(maps_path);
    return base;
}

/* /proc/<pid>/status, statm or stat (or .../task/<tid>/...) of another
 * process running this ferry: its guest's memory, read from its guest map
 * (in stat: vsize and rss). */
static bool other_guest_status(const char *path, int host_flags, int *result)
{
    const char *p = path + 6;
    char pid_dir[64], host_dir[96], ferry[PATH_MAX];
    if (strncmp(path, "/proc/", 6) != 0)
        return false;
    long pid = parse_id(&p), task = -1;
    if (pid <= 0 || is_own_task(pid))
        return false;
    if (strncmp(p, "/task/", 6) == 0) {
        p += 6;
        if ((task = parse_id(&p)) <= 0)
            return false;
    }
    snprintf(pid_dir, sizeof pid_dir, "/proc/%ld", pid);
    bool statm = strcmp(p, "/statm") == 0, stat = strcmp(p, "/stat") == 0;
    if ((strcmp(p, "/status") != 0 && !statm && !stat) || !runs_this_ferry(pid_dir, ferry))
        return false;
    uint64_t ours = mapped_at("/proc/self", ferry), theirs = mapped_at(pid_dir, ferry);
    ProcVmTotals totals;
    char auxv[96];
    snprintf(auxv, sizeof auxv, "%s/auxv", pid_dir);
    if (!ours || !theirs ||
        !procfs_vm_totals((pid_t)pid, (intptr_t)(theirs - ours), auxv_entry(auxv), &totals))
        return false;
    if (task > 0)
        snprintf(host_dir, sizeof host_dir, "%s/task/%ld", pid_dir, task);
    else
        g_strlcpy(host_dir, pid_dir, sizeof host_dir);
    GString *content = g_string_new(NULL);
    StatField sizes[] = { { 23, totals.size }, { 24, totals.rss / GUEST_PAGE_SIZE } };
    bool ok = true;
    if (statm)
        procfs_write_statm(&totals, content);
    else if (stat)
        ok = write_stat_fields(host_dir, sizes, G_N_ELEMENTS(sizes), content);
    else
        ok = procfs_write_status(host_dir, &totals, content);
    *result = ok ? content_fd(content, host_flags) : -ENOENT;
    g_string_free(content, TRUE);
    return true;
}

/* Another process running this same ferry binary: the file its host maps
 * at the guest's AT_ENTRY (its auxv is the guest's, see procfs_init). */
static char *other_guest_program(const char *pid_dir)
{
    char link[96], self[PATH_MAX], *maps = NULL, *program = NULL;
    if (!runs_this_ferry(pid_dir, self))
        return NULL;
    snprintf(link, sizeof link, "%s/auxv", pid_dir);
    uint64_t entry = auxv_entry(link);
    snprintf(link, sizeof link, "%s/maps", pid_dir);
    if (!entry || !g_file_get_contents(link, &maps, NULL, NULL))
        return NULL;
    char **lines = g_strsplit(maps, "\n", -1);
    for (int i = 0; lines[i] && !program; i++) {
        uint64_t start, end;
        int at = 0;
        if (sscanf(lines[i], "%" SCNx64 "-%" SCNx64 " %*s %*s %*s %*s %n", &start, &end, &at) >= 2 &&
            at > 0 && start <= entry && entry < end && lines[i][at] == '/')
            program = g_strdup(lines[i] + at);
    }
    g_strfreev(lines);
    g_free(maps);
    return program;
}

/* Is path "/proc/<pid>/exe" of a process other than this one?  Its
 * directory goes to pid_dir. */
static bool other_pid_exe(const char *path, char *pid_dir, size_t size)
{
    const char *p = path + 6;
    if (strncmp(path, "/proc/", 6) != 0)
        return false;
    long id = parse_id(&p);
    if (id <= 0 || strcmp(p, "/exe") != 0 || is_own_task(id))
        return false;
    snprintf(pid_dir, size, "/proc/%ld", id);
    return true;
}

static ssize_t copy_link(const char *target, char *buf, size_t size)
{
    size_t len = MIN(strlen(target), size);
    memcpy(buf, target, len);
    return (ssize_t)len;
}

bool procfs_readlink(const GuestProcess *proc, const char *path, char *buf, size_t size,
                     ssize_t *result)
{
    ProcTarget t;
    char pid_dir[64];
    if (parse_proc_path(path, &t) != PF_EXE || !proc->exe_path) {
        char *program = other_pid_exe(path, pid_dir, sizeof pid_dir) ? other_guest_program(pid_dir) : NULL;
        if (!program)
            return false;
        *result = copy_link(procfs_guest_path(proc, program), buf, size);
        g_free(program);
        return true;
    }
    *result = copy_link(procfs_guest_path(proc, proc->exe_path), buf, size);
    return true;
}

const char *procfs_exe_target(const GuestProcess *proc, const char *path)
{
    ProcTarget t;
    if (!proc->exe_path || parse_proc_path(path, &t) != PF_EXE)
        return NULL;
    return proc->exe_path;
}
