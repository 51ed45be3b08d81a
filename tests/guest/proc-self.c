/*
 * /proc/self as an arm64 process sees it: exe, cmdline, environ, auxv,
 * stat, status, comm, maps and smaps describe this program (never the
 * translator running it).  Expected values come from the program's own
 * view of itself (argv, environ, getauxval, addresses of its code and
 * stack) and the kernel's documented formats (proc(5)).
 * Run with arguments: alpha 'beta gamma'.
 */
#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include "sys-check.h"

extern char **environ;

static char *read_file(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY);
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    if (fd < 0)
        return NULL;
    for (;;) {
        ssize_t r = read(fd, buf + n, cap - n);
        if (r <= 0)
            break;
        n += (size_t)r;
        if (n == cap)
            buf = realloc(buf, (cap *= 2) + 1);
    }
    close(fd);
    buf[n] = 0;
    if (len)
        *len = n;
    return buf;
}

/* argv or envp strings laid end to end with their NULs. */
static int same_strings(const char *data, size_t len, char **v)
{
    size_t pos = 0;
    for (; *v; v++) {
        size_t n = strlen(*v) + 1;
        if (pos + n > len || memcmp(data + pos, *v, n) != 0)
            return 0;
        pos += n;
    }
    return pos == len;
}

static void check_exe(const char *argv0)
{
    char link[PATH_MAX], real[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", link, sizeof link - 1);
    check(n > 0, "readlink /proc/self/exe");
    link[n > 0 ? n : 0] = 0;
    check(realpath(argv0, real) && strcmp(link, real) == 0, "/proc/self/exe is the program");

    struct stat a, b;
    check(stat("/proc/self/exe", &a) == 0 && stat(argv0, &b) == 0 && a.st_ino == b.st_ino &&
          a.st_dev == b.st_dev, "stat /proc/self/exe is the program's file");

    Elf64_Ehdr eh;
    int fd = open("/proc/self/exe", O_RDONLY);
    check(fd >= 0 && read(fd, &eh, sizeof eh) == sizeof eh && eh.e_machine == EM_AARCH64,
          "open /proc/self/exe reads an AArch64 ELF");
    close(fd);

    char pid_path[64];
    snprintf(pid_path, sizeof pid_path, "/proc/%d/exe", getpid());
    n = readlink(pid_path, link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    check(n > 0 && strcmp(link, real) == 0, "/proc/<pid>/exe is the program");
}

static void check_cmdline_environ(char **argv, char **envp)
{
    size_t len;
    char *data = read_file("/proc/self/cmdline", &len);
    check(data && same_strings(data, len, argv), "/proc/self/cmdline is argv");
    free(data);
    data = read_file("/proc/self/environ", &len);
    check(data && same_strings(data, len, envp), "/proc/self/environ is the initial environment");
    free(data);
}

static void check_auxv(char **envp)
{
    size_t len;
    char *data = read_file("/proc/self/auxv", &len);
    char **p = envp;
    while (*p)
        p++;
    const uint64_t *stack_auxv = (const uint64_t *)(p + 1);
    size_t stack_len = 0;
    while (stack_auxv[stack_len / 8] != AT_NULL)
        stack_len += 16;
    stack_len += 16;
    check(data && len == stack_len && memcmp(data, stack_auxv, len) == 0,
          "/proc/self/auxv is the auxiliary vector on the initial stack");

    static const unsigned long types[] = { AT_PHDR, AT_PHENT, AT_PHNUM, AT_PAGESZ, AT_ENTRY,
                                           AT_HWCAP, AT_HWCAP2, AT_RANDOM, AT_EXECFN };
    int all = data != NULL;
    for (size_t t = 0; t < sizeof types / sizeof types[0]; t++) {
        int found = 0;
        for (size_t i = 0; data && i + 16 <= len; i += 16) {
            const uint64_t *pair = (const uint64_t *)(data + i);
            if (pair[0] == types[t])
                found = pair[1] == getauxval(types[t]);
        }
        all &= found;
    }
    check(all, "/proc/self/auxv values match getauxval");
    free(data);
}

/* Field n (proc(5) numbering) of /proc/self/stat, and the comm field. */
static unsigned long long stat_field(const char *line, int n)
{
    const char *p = strrchr(line, ')');
    for (int field = 2; p && field < n; field++)
        p = strchr(p + 1, ' ');
    return p ? strtoull(p + 1, NULL, 10) : 0;
}

static void stat_comm(const char *line, char *comm, size_t size)
{
    const char *open = strchr(line, '('), *close = strrchr(line, ')');
    size_t n = open && close > open ? (size_t)(close - open - 1) : 0;
    if (n >= size)
        n = size - 1;
    memcpy(comm, open ? open + 1 : "", n);
    comm[n] = 0;
}

static void check_stat(char **argv, char **envp, const char *expected_comm)
{
    char *line = read_file("/proc/self/stat", NULL);
    char comm[64], *status, *name;
    check(line != NULL, "read /proc/self/stat");
    if (!line)
        return;
    stat_comm(line, comm, sizeof comm);
    check(strcmp(comm, expected_comm) == 0, "stat: comm is the program's name (15 bytes at most)");
    check(strtoull(line, NULL, 10) == (unsigned long long)getpid(), "stat: pid");
    unsigned long long main_addr = (unsigned long long)(uintptr_t)&check_stat;
    check(stat_field(line, 26) <= main_addr && main_addr < stat_field(line, 27),
          "stat: startcode <= code < endcode");
    check(stat_field(line, 28) == (unsigned long long)(uintptr_t)(argv - 1),
          "stat: startstack is where argc is");
    check(stat_field(line, 48) == (unsigned long long)(uintptr_t)argv[0], "stat: arg_start is argv[0]");
    check(envp[0] && stat_field(line, 50) == (unsigned long long)(uintptr_t)envp[0],
          "stat: env_start is envp[0]");
    free(line);

    status = read_file("/proc/self/status", NULL);
    name = status ? strstr(status, "Name:\t") : NULL;
    check(name && strncmp(name + 6, expected_comm, strlen(expected_comm)) == 0 &&
          name[6 + strlen(expected_comm)] == '\n', "status: Name is the program's name");
    free(status);

    prctl(PR_SET_NAME, "renamed-guest", 0, 0, 0);
    char *c = read_file("/proc/self/comm", NULL);
    line = read_file("/proc/self/stat", NULL);
    stat_comm(line ? line : "", comm, sizeof comm);
    check(c && strcmp(c, "renamed-guest\n") == 0 && strcmp(comm, "renamed-guest") == 0,
          "prctl(PR_SET_NAME) shows in comm and stat");
    prctl(PR_SET_NAME, expected_comm, 0, 0, 0);
    free(c);
    free(line);
}

typedef struct MapLine {
    unsigned long start, end, offset, inode;
    char perms[5];
    const char *name;     /* "" when none */
    int name_column;
} MapLine;

static int parse_map_line(const char *line, MapLine *m)
{
    int at = 0;
    unsigned maj, min;
    if (sscanf(line, "%lx-%lx %4s %lx %x:%x %lu %n", &m->start, &m->end, m->perms, &m->offset,
               &maj, &min, &m->inode, &at) < 7)
        return 0;
    m->name = line + at;
    m->name_column = at;
    return 1;
}

static void check_maps(const char *exe_real)
{
    char *maps = read_file("/proc/self/maps", NULL);
    int local = 0, saw_exe_code = 0, saw_stack = 0, saw_vdso = 0, saw_ferry = 0, sorted = 1;
    int columns_ok = 1, saw_heap = 0, saw_file = 0;
    unsigned long prev_end = 0, code = (unsigned long)(uintptr_t)&check_maps;
    unsigned long stack = (unsigned long)(uintptr_t)&local, vdso = getauxval(AT_SYSINFO_EHDR);
    void *heap = malloc(100);
    unsigned long brk_end = (unsigned long)(uintptr_t)sbrk(0);

    /* A file mapping at a non-zero offset. */
    char tmp[] = "/tmp/guest-proc-self-XXXXXX";
    int fd = mkstemp(tmp);
    struct stat st;
    fstat(fd, &st);
    ftruncate(fd, 3 * 4096);
    char *fmap = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 4096);
    free(maps);
    maps = read_file("/proc/self/maps", NULL);

    check(maps != NULL, "read /proc/self/maps");
    for (char *line = maps ? strtok(maps, "\n") : NULL; line; line = strtok(NULL, "\n")) {
        MapLine m;
        if (!parse_map_line(line, &m)) {
            printf("unparsable maps line: %s\n", line);
            sorted = 0;
            continue;
        }
        if (m.start < prev_end || m.end <= m.start)
            sorted = 0;
        prev_end = m.end;
        if (*m.name && m.name_column != 73)
            columns_ok = 0;
        if (strstr(line, "ferry-aarch64"))
            saw_ferry = 1;
        if (strcmp(m.name, exe_real) == 0 && m.perms[2] == 'x' && m.start <= code && code < m.end)
            saw_exe_code = 1;
        if (strcmp(m.name, "[stack]") == 0 && m.start <= stack && stack < m.end && m.perms[0] == 'r' &&
            m.perms[1] == 'w')
            saw_stack = 1;
        if (strcmp(m.name, "[vdso]") == 0 && m.start == vdso && strcmp(m.perms, "r-xp") == 0)
            saw_vdso = 1;
        if (strcmp(m.name, "[heap]") == 0 && m.start < brk_end && brk_end <= m.end)
            saw_heap = 1;
        if (strcmp(m.name, tmp) == 0 && m.start == (unsigned long)(uintptr_t)fmap &&
            strcmp(m.perms, "r--s") == 0 && m.offset == 4096 && m.inode == st.st_ino)
            saw_file = 1;
    }
    check(sorted, "maps: lines in address order, well formed");
    check(columns_ok, "maps: names start in column 73");
    check(saw_exe_code, "maps: the program's code, named by its path");
    check(saw_stack, "maps: [stack] holds a local variable");
    check(vdso == 0 || saw_vdso, "maps: [vdso] at AT_SYSINFO_EHDR, r-xp");
    check(saw_heap, "maps: [heap] ends at the break");
    check(saw_file, "maps: a shared file mapping with its offset and inode");
    check(!saw_ferry, "maps: nothing of the translator");
    free(maps);
    free(heap);
    munmap(fmap, 4096);
    close(fd);
    unlink(tmp);
}

static void check_smaps(void)
{
    char *smaps = read_file("/proc/self/smaps", NULL);
    int local = 0, ok = 0;
    unsigned long stack = (unsigned long)(uintptr_t)&local;
    check(smaps != NULL, "read /proc/self/smaps");
    for (char *line = smaps ? strtok(smaps, "\n") : NULL; line; line = strtok(NULL, "\n")) {
        MapLine m;
        if (parse_map_line(line, &m) && strcmp(m.name, "[stack]") == 0 && m.start <= stack && stack < m.end) {
            unsigned long kb = 0;
            char *size = strtok(NULL, "\n");
            ok = size && sscanf(size, "Size: %lu kB", &kb) == 1 && kb == (m.end - m.start) / 1024;
            char *rss = strtok(NULL, "\n");
            ok &= rss && strncmp(rss, "KernelPageSize:", 15) == 0;
        }
    }
    check(ok, "smaps: [stack] followed by its Size in kB");
    free(smaps);
}

int main(int argc, char **argv, char **envp)
{
    char real[PATH_MAX], comm[16];
    const char *base = strrchr(argv[0], '/');
    snprintf(comm, sizeof comm, "%s", base ? base + 1 : argv[0]);
    if (!realpath(argv[0], real))
        real[0] = 0;

    check(argc == 3 && strcmp(argv[1], "alpha") == 0 && strcmp(argv[2], "beta gamma") == 0,
          "run with arguments alpha 'beta gamma'");
    check_exe(argv[0]);
    check_cmdline_environ(argv, envp);
    check_auxv(envp);
    check_stat(argv, envp, comm);
    check_maps(real);
    check_smaps();
    return failures ? 1 : 0;
}
