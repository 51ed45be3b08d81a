/*
 * The guest's stacks, driven by stack-limit.sh:
 *   stack rlimit        print RLIMIT_STACK's soft limit in KiB (or "unlimited")
 *   stack recurse KIB   recurse through about KIB KiB of the main stack,
 *                       print "reached KIB" (dies of SIGSEGV past the limit)
 *   stack growsdown     a MAP_GROWSDOWN mapping grows when the memory below
 *                       it is touched, as arm64 Linux grows it: the grown
 *                       pages are usable by the program and by system calls,
 *                       /proc/self/maps shows the mapping starting lower,
 *                       munmap removes all of it; prints "growsdown ok" or
 *                       the first check that failed
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>

#define FRAME_BYTES 1024

static __attribute__((noinline)) long recurse(long depth)
{
    volatile char frame[FRAME_BYTES];
    frame[0] = (char)depth;
    frame[FRAME_BYTES - 1] = (char)(depth >> 8);
    if (depth == 0)
        return 0;
    return recurse(depth - 1) + frame[0] + frame[FRAME_BYTES - 1];
}

/* The start of the /proc/self/maps line containing addr, or 0. */
static unsigned long maps_start_of(unsigned long addr)
{
    char line[512];
    unsigned long start = 0, lo, hi;
    FILE *f = fopen("/proc/self/maps", "r");
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && lo <= addr && addr < hi)
            start = lo;
    if (f)
        fclose(f);
    return start;
}

static int fail(const char *what)
{
    printf("growsdown: %s\n", what);
    return 1;
}

static int growsdown(void)
{
    const unsigned long page = 4096, area = 64ul << 20;
    /* Room below the mapping: the kernel keeps a gap (1 MiB by default)
     * between a growing stack and the mapping under it. */
    char *reserve = mmap(NULL, area, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (reserve == MAP_FAILED)
        return fail("reserve");
    munmap(reserve, area);
    char *top = reserve + area - 16 * page;
    char *p = mmap(top, 4 * page, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED, -1, 0);
    if (p != top)
        return fail("mmap MAP_GROWSDOWN");
    p[0] = 1;
    if (maps_start_of((unsigned long)p) != (unsigned long)p)
        return fail("maps line before growth");

    /* One page below, then 256 KiB below. */
    volatile char *below = p - 1;
    *below = 2;
    volatile char *far = p - (256ul << 10);
    *far = 3;
    if (*below != 2 || *far != 3)
        return fail("grown memory keeps what was written");
    unsigned long start = maps_start_of((unsigned long)p);
    if (start == 0 || start > (unsigned long)far)
        return fail("maps shows the mapping starting at or below the lowest touched page");
    if (maps_start_of((unsigned long)far) != start)
        return fail("the grown pages are part of the same mapping");

    /* System calls read and write the grown pages. */
    int pipefd[2];
    char *buf = (char *)far;
    if (pipe(pipefd) != 0 || write(pipefd[1], "grown", 5) != 5 || read(pipefd[0], buf, 5) != 5 ||
        memcmp(buf, "grown", 5) != 0)
        return fail("read() into the grown pages");
    struct stat *st = (struct stat *)(((unsigned long)far + 64) & ~63ul);
    if (fstat(pipefd[0], st) != 0 || !S_ISFIFO(st->st_mode))
        return fail("fstat() into the grown pages");
    close(pipefd[0]);
    close(pipefd[1]);

    /* mprotect and munmap of the whole grown mapping. */
    if (mprotect((void *)start, (unsigned long)p + 4 * page - start, PROT_READ) != 0)
        return fail("mprotect of the grown mapping");
    if (munmap((void *)start, (unsigned long)p + 4 * page - start) != 0)
        return fail("munmap of the grown mapping");
    if (maps_start_of((unsigned long)p) != 0 || maps_start_of((unsigned long)far) != 0)
        return fail("gone from maps after munmap");
    printf("growsdown ok\n");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "rlimit") == 0) {
        struct rlimit rl;
        if (getrlimit(RLIMIT_STACK, &rl) != 0)
            return 1;
        if (rl.rlim_cur == RLIM_INFINITY)
            printf("unlimited\n");
        else
            printf("%lu\n", (unsigned long)(rl.rlim_cur / 1024));
        return 0;
    }
    if (argc >= 3 && strcmp(argv[1], "recurse") == 0) {
        long kib = atol(argv[2]);
        long r = recurse(kib * 1024 / (FRAME_BYTES + 64));
        printf("reached %ld\n", kib + (r & 0));
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "growsdown") == 0)
        return growsdown();
    fprintf(stderr, "usage: stack rlimit | recurse KIB | growsdown\n");
    return 2;
}
