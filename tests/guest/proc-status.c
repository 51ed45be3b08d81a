/*
 * The memory lines of /proc/self/status (and statm, and stat's vsize and
 * rss) describe this program's memory: VmSize is what its own
 * /proc/self/maps ranges add up to, and mapping,
 * touching and unmapping memory moves VmSize, VmRSS, RssAnon, RssFile,
 * RssShmem, VmData, VmLck, VmPeak and VmHWM by the amounts the kernel's
 * accounting (proc(5), Documentation/filesystems/proc.rst) gives.  Only
 * lines an arm64 kernel prints appear.  Expected values come from the
 * sizes this program maps and from its own maps file.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "sys-check.h"

#define MiB (1024L * 1024L)
#define KB_PER_MIB 1024L
#define TEXT_SIZE (1 << 16)

typedef struct Status {
    long peak, size, lck, hwm, rss, anon, file, shmem, data, stk, exe, lib, pte, swap;
    int threads;
    int has_x86_lines;
} Status;

static char text[TEXT_SIZE];

static long read_text(const char *path)
{
    int fd = open(path, O_RDONLY);
    long n = 0;
    if (fd < 0)
        return -1;
    for (ssize_t r; (r = read(fd, text + n, TEXT_SIZE - 1 - n)) > 0;)
        n += r;
    close(fd);
    text[n] = 0;
    return n;
}

static long field(const char *key)
{
    char pattern[32];
    snprintf(pattern, sizeof pattern, "\n%s:", key);
    const char *p = strstr(text, pattern);
    return p ? strtol(p + strlen(pattern), NULL, 10) : -1;
}

/* Field n (proc(5) numbering) of the stat line in text. */
static unsigned long long stat_field(int n)
{
    const char *p = strrchr(text, ')');
    for (int field = 2; p && field < n; field++)
        p = strchr(p + 1, ' ');
    return p ? strtoull(p + 1, NULL, 10) : 0;
}

static int read_status_of(const char *path, Status *s)
{
    if (read_text(path) <= 0)
        return 0;
    s->peak = field("VmPeak");
    s->size = field("VmSize");
    s->lck = field("VmLck");
    s->hwm = field("VmHWM");
    s->rss = field("VmRSS");
    s->anon = field("RssAnon");
    s->file = field("RssFile");
    s->shmem = field("RssShmem");
    s->data = field("VmData");
    s->stk = field("VmStk");
    s->exe = field("VmExe");
    s->lib = field("VmLib");
    s->pte = field("VmPTE");
    s->swap = field("VmSwap");
    s->threads = (int)field("Threads");
    s->has_x86_lines = strstr(text, "\nx86_") != NULL || strstr(text, "\nuntag_mask:") != NULL;
    return s->size > 0;
}

static int read_status(Status *s)
{
    return read_status_of("/proc/self/status", s);
}

/* kB that /proc/self/maps ranges add up to (the x86-64 [vsyscall] page is
 * not a mapping of the process, so it is left out). */
static long maps_total_kb(void)
{
    long total = 0;
    if (read_text("/proc/self/maps") <= 0)
        return -1;
    for (char *l = text; l && *l;) {
        unsigned long start, end;
        char *nl = strchr(l, '\n');
        if (nl)
            *nl = 0;
        if (sscanf(l, "%lx-%lx", &start, &end) == 2 && !strstr(l, "[vsyscall]"))
            total += (long)((end - start) / 1024);
        l = nl ? nl + 1 : NULL;
    }
    return total;
}

static void touch(char *p, long len)
{
    for (long i = 0; i < len; i += 4096)
        p[i] = (char)i;
}

static void check_near(long got, long want, long slack, const char *what)
{
    char line[200];
    snprintf(line, sizeof line, "%s (got %ld kB, want %ld +- %ld kB)", what, got, want, slack);
    check(got >= want - slack && got <= want + slack, line);
}

int main(int argc, char **argv)
{
    Status s0, s1, s2, s3;
    (void)argc;

    check(read_status(&s0), "read /proc/self/status");
    check(s0.peak >= 0 && s0.lck >= 0 && s0.hwm >= 0 && s0.rss >= 0 && s0.anon >= 0 && s0.file >= 0 &&
          s0.shmem >= 0 && s0.data >= 0 && s0.stk >= 0 && s0.exe >= 0 && s0.lib >= 0 && s0.pte >= 0 &&
          s0.swap >= 0, "every Vm/Rss line is present");
    check(!s0.has_x86_lines, "no x86-64-only lines (x86_Thread_features, untag_mask)");
    check(s0.threads == 1, "Threads: 1");
    long maps_kb = maps_total_kb();
    read_status(&s0);
    check_near(s0.size, maps_kb, 1024, "VmSize is what /proc/self/maps adds up to");
    check(s0.rss <= s0.size && s0.rss == s0.anon + s0.file + s0.shmem, "VmRSS = RssAnon + RssFile + RssShmem <= VmSize");
    check(s0.exe > 0 && s0.exe <= s0.size && s0.stk > 0 && s0.data > 0, "VmExe, VmStk, VmData are non-zero");
    check(s0.peak >= s0.size && s0.hwm >= s0.rss, "VmPeak >= VmSize, VmHWM >= VmRSS");

    /* statm: the same sizes in pages (proc(5)). */
    long size, resident, shared_pages, text_pages, lib, data, dt;
    read_status(&s1);
    check(read_text("/proc/self/statm") > 0 &&
          sscanf(text, "%ld %ld %ld %ld %ld %ld %ld", &size, &resident, &shared_pages, &text_pages, &lib,
                 &data, &dt) == 7, "read /proc/self/statm");
    check_near(size * 4, s1.size, 256, "statm size is VmSize");
    check_near(resident * 4, s1.rss, 256, "statm resident is VmRSS");
    check_near(shared_pages * 4, s1.file + s1.shmem, 256, "statm shared is RssFile + RssShmem");
    check_near(text_pages * 4, s1.exe, 4, "statm text is VmExe");
    check_near(data * 4, s1.data + s1.stk, 256, "statm data is VmData + VmStk");
    check(lib == 0 && dt == 0, "statm lib and dt are 0");
    check(read_text("/proc/self/smaps_rollup") > 0 && strstr(text, "[rollup]\n") != NULL,
          "read /proc/self/smaps_rollup");
    check_near(field("Rss"), s1.rss, 256, "smaps_rollup Rss is VmRSS");
    check_near(field("Anonymous"), s1.anon, 256, "smaps_rollup Anonymous is RssAnon");
    check_near(field("Pss_Anon") + field("Pss_File") + field("Pss_Shmem"), field("Pss"), 16,
               "smaps_rollup Pss_Anon + Pss_File + Pss_Shmem is Pss");
    check(read_text("/proc/self/stat") > 0, "read /proc/self/stat");
    check_near((long)(stat_field(23) / 1024), s1.size, 256, "stat vsize is VmSize");
    check_near((long)stat_field(24) * 4, s1.rss, 256, "stat rss is VmRSS");

    /* 64 MiB of private anonymous memory, every page touched. */
    long big = 64 * MiB;
    char *p = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check(p != MAP_FAILED, "mmap 64 MiB");
    touch(p, big);
    read_status(&s1);
    check_near(s1.size - s0.size, 64 * KB_PER_MIB, 1024, "VmSize grows by 64 MiB");
    check_near(s1.data - s0.data, 64 * KB_PER_MIB, 1024, "VmData grows by 64 MiB");
    check_near(s1.rss - s0.rss, 64 * KB_PER_MIB, 2048, "VmRSS grows by 64 MiB");
    check_near(s1.anon - s0.anon, 64 * KB_PER_MIB, 2048, "RssAnon grows by 64 MiB");
    check(s1.peak >= s1.size && s1.hwm >= s1.rss, "VmPeak and VmHWM follow");
    munmap(p, big);
    read_status(&s2);
    check_near(s2.size, s0.size, 1024, "VmSize back after munmap");
    check_near(s2.rss, s0.rss, 2048, "VmRSS back after munmap");
    check(s2.peak >= s0.size + 63 * KB_PER_MIB, "VmPeak remembers the 64 MiB");
    check(s2.hwm >= s0.rss + 60 * KB_PER_MIB, "VmHWM remembers the 64 MiB");

    /* Shared anonymous memory is shared memory, not data. */
    long shared = 16 * MiB;
    char *q = mmap(NULL, shared, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    check(q != MAP_FAILED, "mmap 16 MiB shared");
    touch(q, shared);
    read_status(&s3);
    check_near(s3.shmem - s2.shmem, 16 * KB_PER_MIB, 1024, "RssShmem grows by 16 MiB");
    check_near(s3.data - s2.data, 0, 1024, "VmData does not count shared memory");
    check_near(s3.size - s2.size, 16 * KB_PER_MIB, 1024, "VmSize grows by 16 MiB");
    munmap(q, shared);

    /* A file mapping read through is resident file memory. */
    struct stat st;
    int fd = open(argv[0], O_RDONLY);
    check(fd >= 0 && fstat(fd, &st) == 0, "open the program's file");
    long file_len = (long)st.st_size & ~4095L;
    volatile char *f = mmap(NULL, (size_t)file_len, PROT_READ, MAP_PRIVATE, fd, 0);
    check(f != MAP_FAILED, "mmap the program's file");
    read_status(&s2);
    long sum = 0;
    for (long i = 0; i < file_len; i += 4096)
        sum += f[i];
    read_status(&s3);
    check_near(s3.file - s2.file, file_len / 1024, file_len / 1024 / 8 + 64,
               "RssFile grows by the file's size once read");
    munmap((void *)f, (size_t)file_len);
    close(fd);

    /* A MAP_GROWSDOWN mapping is stack memory, not data. */
    read_status(&s2);
    char *g = mmap(NULL, MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0);
    check(g != MAP_FAILED, "mmap MAP_GROWSDOWN");
    read_status(&s3);
    check_near(s3.stk - s2.stk, KB_PER_MIB, 0, "VmStk grows by a 1 MiB MAP_GROWSDOWN mapping");
    check_near(s3.data - s2.data, 0, 0, "VmData does not count it");
    munmap(g, MiB);

    /* Locked memory. */
    char *l = mmap(NULL, MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    read_status(&s2);
    if (mlock(l, MiB) == 0) {
        read_status(&s3);
        check_near(s3.lck - s2.lck, KB_PER_MIB, 0, "VmLck grows by 1 MiB after mlock");
        check_near(s3.rss - s2.rss, KB_PER_MIB, 256, "mlock makes the 1 MiB resident");
        munlock(l, MiB);
    } else {
        printf("skip mlock (not permitted here)\n");
    }
    munmap(l, MiB);

    /* Another process's status file, read by its parent: a child that maps
     * and touches 32 MiB reports its own view, then waits while the parent
     * reads /proc/<child>/status. */
    int report[2], go[2];
    if (pipe(report) != 0 || pipe(go) != 0)
        check(0, "pipes");
    pid_t child = fork();
    if (child == 0) {
        Status own;
        char *m = mmap(NULL, 32 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        touch(m, 32 * MiB);
        read_status(&own);
        char c;
        if (write(report[1], &own, sizeof own) != sizeof own || read(go[0], &c, 1) != 1)
            _exit(2);
        _exit(0);
    }
    Status own, seen;
    char path[64];
    check(child > 0 && read(report[0], &own, sizeof own) == sizeof own, "child reports its status");
    snprintf(path, sizeof path, "/proc/%d/status", (int)child);
    check(read_status_of(path, &seen), "read /proc/<child>/status");
    check_near(seen.size, own.size, 1024, "child's VmSize seen by the parent is the child's own");
    check_near(seen.rss, own.rss, 2048, "child's VmRSS seen by the parent is the child's own");
    check_near(seen.data, own.data, 1024, "child's VmData seen by the parent is the child's own");
    check(seen.rss >= 32 * KB_PER_MIB && seen.peak >= seen.size, "child's 32 MiB are resident");
    snprintf(path, sizeof path, "/proc/%d/statm", (int)child);
    check(read_text(path) > 0 && sscanf(text, "%ld %ld", &size, &resident) == 2, "read /proc/<child>/statm");
    check_near(size * 4, own.size, 1024, "child's statm size seen by the parent is the child's VmSize");
    snprintf(path, sizeof path, "/proc/%d/stat", (int)child);
    check(read_text(path) > 0, "read /proc/<child>/stat");
    check_near((long)(stat_field(23) / 1024), own.size, 1024, "child's stat vsize seen by the parent");
    check_near((long)stat_field(24) * 4, own.rss, 2048, "child's stat rss seen by the parent");
    if (write(go[1], "g", 1) != 1)
        check(0, "write go");
    int status;
    check(waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "child exits 0");

    printf("%s (checksum %ld)\n", failures ? "FAILED" : "all passed", sum & 1);
    return failures != 0;
}
