/*
 * /proc reached through a directory descriptor: openat/readlinkat/
 * fstatat/faccessat/statx relative to a descriptor on /proc, /proc/self,
 * /proc/<own pid>, /proc/thread-self or /proc/self/task/<tid> (or to a
 * current directory there) name the same files as the absolute paths,
 * so they show this arm64 program (its exe, maps, auxv, cmdline,
 * cpuinfo), never whatever runs it.  Expected
 * values: the program's own file (stat of argv[0]), its own addresses and
 * getauxval, and the absolute /proc paths read the same way.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include "sys-check.h"

#define BUF_SIZE (1 << 16)

static char real_exe[PATH_MAX];
static struct stat exe_stat;

/* Read all of fd into buf (NUL-terminated); the length, or -1. */
static long read_all(int fd, char *buf)
{
    long n = 0;
    if (fd < 0)
        return -1;
    for (;;) {
        ssize_t r = read(fd, buf + n, BUF_SIZE - 1 - n);
        if (r <= 0)
            break;
        n += r;
    }
    close(fd);
    buf[n] = 0;
    return n;
}

/* Does maps text have a line covering addr, and none that names the
 * x86-64-only [vsyscall] page? */
static int maps_describe_this_program(const char *text, uintptr_t addr)
{
    int covered = 0;
    for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        unsigned long start, end;
        if (sscanf(l, "%lx-%lx", &start, &end) == 2 && start <= addr && addr < end)
            covered = 1;
        if (strncmp(l, "ffffffffff600000", 16) == 0)
            return 0;
    }
    return covered && strstr(text, "[vsyscall]") == NULL;
}

static int same_file(const struct stat *st)
{
    return st->st_dev == exe_stat.st_dev && st->st_ino == exe_stat.st_ino;
}

/* Everything that should hold for a descriptor on one process or thread
 * directory (label names it). */
static void check_process_dir(int dfd, const char *label)
{
    static char rel[BUF_SIZE], abs[BUF_SIZE];
    char what[160], link[PATH_MAX];
    struct stat st;

    snprintf(what, sizeof what, "%s: descriptor opened", label);
    check(dfd >= 0, what);

    ssize_t n = readlinkat(dfd, "exe", link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    snprintf(what, sizeof what, "%s: readlinkat exe is the program", label);
    check(n > 0 && strcmp(link, real_exe) == 0, what);

    snprintf(what, sizeof what, "%s: fstatat exe is the program's file", label);
    check(fstatat(dfd, "exe", &st, 0) == 0 && same_file(&st), what);

    struct statx sx;
    snprintf(what, sizeof what, "%s: statx exe is the program's file", label);
    check(syscall(SYS_statx, dfd, "exe", 0, STATX_INO, &sx) == 0 && sx.stx_ino == exe_stat.st_ino &&
          makedev(sx.stx_dev_major, sx.stx_dev_minor) == exe_stat.st_dev, what);

    snprintf(what, sizeof what, "%s: faccessat exe X_OK", label);
    check(faccessat(dfd, "exe", X_OK, 0) == 0, what);

    Elf64_Ehdr eh;
    int fd = openat(dfd, "exe", O_RDONLY);
    snprintf(what, sizeof what, "%s: openat exe reads an AArch64 ELF", label);
    check(fd >= 0 && read(fd, &eh, sizeof eh) == sizeof eh && eh.e_machine == EM_AARCH64, what);
    if (fd >= 0)
        close(fd);

    long len = read_all(openat(dfd, "maps", O_RDONLY), rel);
    snprintf(what, sizeof what, "%s: openat maps lists this program's code, no x86-64 pages", label);
    check(len > 0 && maps_describe_this_program(rel, (uintptr_t)&check_process_dir), what);
    read_all(open("/proc/self/maps", O_RDONLY), abs);
    snprintf(what, sizeof what, "%s: openat maps equals /proc/self/maps", label);
    check(len > 0 && strcmp(rel, abs) == 0, what);

    len = read_all(openat(dfd, "auxv", O_RDONLY), rel);
    int entry_ok = 0;
    for (long i = 0; i + 16 <= len; i += 16) {
        uint64_t pair[2];
        memcpy(pair, rel + i, sizeof pair);
        if (pair[0] == AT_ENTRY)
            entry_ok = pair[1] == getauxval(AT_ENTRY);
    }
    snprintf(what, sizeof what, "%s: openat auxv has this program's AT_ENTRY", label);
    check(entry_ok, what);

    len = read_all(openat(dfd, "cmdline", O_RDONLY), rel);
    long abs_len = read_all(open("/proc/self/cmdline", O_RDONLY), abs);
    snprintf(what, sizeof what, "%s: openat cmdline equals /proc/self/cmdline", label);
    check(len > 0 && len == abs_len && memcmp(rel, abs, (size_t)len) == 0, what);
}

int main(int argc, char **argv)
{
    static char rel[BUF_SIZE], abs[BUF_SIZE];
    char path[128], link[PATH_MAX];
    (void)argc;

    check(realpath(argv[0], real_exe) != NULL && stat(real_exe, &exe_stat) == 0,
          "the program's own file");

    int self = open("/proc/self", O_RDONLY | O_DIRECTORY);
    check_process_dir(self, "/proc/self");

    snprintf(path, sizeof path, "/proc/%d", getpid());
    int by_pid = open(path, O_RDONLY | O_DIRECTORY);
    check_process_dir(by_pid, "/proc/<pid>");

    int thread_self = open("/proc/thread-self", O_RDONLY | O_DIRECTORY);
    check_process_dir(thread_self, "/proc/thread-self");

    snprintf(path, sizeof path, "task/%ld", (long)syscall(SYS_gettid));
    int task = openat(self, path, O_RDONLY | O_DIRECTORY);
    check_process_dir(task, "/proc/self + task/<tid>");

    /* Paths with more than one component below a /proc descriptor. */
    int proc = open("/proc", O_RDONLY | O_DIRECTORY);
    check(proc >= 0, "open /proc");
    ssize_t n = readlinkat(proc, "self/exe", link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    check(n > 0 && strcmp(link, real_exe) == 0, "readlinkat(/proc, self/exe) is the program");
    struct stat st;
    int fd = openat(proc, "self/exe", O_RDONLY);
    check(fd >= 0 && fstat(fd, &st) == 0 && same_file(&st), "openat(/proc, self/exe) opens the program");
    if (fd >= 0)
        close(fd);
    snprintf(path, sizeof path, "%d/exe", getpid());
    n = readlinkat(proc, path, link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    check(n > 0 && strcmp(link, real_exe) == 0, "readlinkat(/proc, <pid>/exe) is the program");
    snprintf(path, sizeof path, "self/task/%ld/exe", (long)syscall(SYS_gettid));
    check(fstatat(proc, path, &st, 0) == 0 && same_file(&st), "fstatat(/proc, self/task/<tid>/exe)");
    long len = read_all(openat(proc, "self/maps", O_RDONLY), rel);
    check(len > 0 && maps_describe_this_program(rel, (uintptr_t)&main), "openat(/proc, self/maps)");

    /* /proc/cpuinfo describes the CPU the program runs on, both ways. */
    len = read_all(openat(proc, "cpuinfo", O_RDONLY), rel);
    long abs_len = read_all(open("/proc/cpuinfo", O_RDONLY), abs);
    char *rel_end = strstr(rel, "\n\n"), *abs_end = strstr(abs, "\n\n");
    /* The first CPU's block, minus any line that varies from read to read. */
    int same = len > 0 && abs_len > 0 && rel_end && abs_end;
    if (same) {
        *rel_end = *abs_end = 0;
        for (char *r = rel, *a = abs; same && r && a;) {
            char *rn = strchr(r, '\n'), *an = strchr(a, '\n');
            size_t rl = rn ? (size_t)(rn - r) : strlen(r), al = an ? (size_t)(an - a) : strlen(a);
            if (strncmp(r, "cpu MHz", 7) != 0 && strncmp(r, "bogomips", 8) != 0)
                same = rl == al && memcmp(r, a, rl) == 0;
            r = rn ? rn + 1 : NULL;
            a = an ? an + 1 : NULL;
        }
    }
    check(same, "openat(/proc, cpuinfo) equals /proc/cpuinfo");

    /* The same relative to the current directory. */
    char cwd[PATH_MAX];
    check(getcwd(cwd, sizeof cwd) != NULL && chdir("/proc/self") == 0, "chdir /proc/self");
    n = readlink("exe", link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    check(n > 0 && strcmp(link, real_exe) == 0, "cwd /proc/self: readlink exe is the program");
    check(stat("exe", &st) == 0 && same_file(&st), "cwd /proc/self: stat exe is the program's file");
    len = read_all(open("maps", O_RDONLY), rel);
    check(len > 0 && maps_describe_this_program(rel, (uintptr_t)&main), "cwd /proc/self: open maps");
    check(chdir("/proc") == 0, "chdir /proc");
    n = readlink("self/exe", link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    check(n > 0 && strcmp(link, real_exe) == 0, "cwd /proc: readlink self/exe is the program");
    check(chdir(cwd) == 0, "chdir back");

    /* A relative path that is not one of ours still reaches the file. */
    fd = openat(self, "status", O_RDONLY);
    len = read_all(fd, rel);
    check(len > 0 && strstr(rel, "Pid:\t") != NULL, "openat(/proc/self, status) reads a status file");
    check(openat(self, "no-such-entry", O_RDONLY) < 0, "openat(/proc/self, no-such-entry) fails");

    printf("%s\n", failures ? "FAILED" : "all passed");
    return failures != 0;
}
