/*
 * A guest JIT's pattern: code written through one mapping of a memfd and run
 * through another (RW and RX views of the same pages).  After the writer
 * changes the code and issues the architected cache maintenance on the
 * executable view (__builtin___clear_cache: DC CVAU + IC IVAU), the new code
 * must run, not a stale translation.  Also the mprotect route: one mapping
 * flipped RW -> RX between rewrites.  Self-checking (exit status): the
 * architecture requires every rewrite to run; qemu-aarch64 7.2 keeps running
 * the first translation in the two-views case, so it is no oracle here.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef int (*Fn)(void);

static int failures;

static void check(int ok, const char *what)
{
    printf("%s: %s\n", ok ? "ok" : "FAIL", what);
    failures += !ok;
}

/* movz w0, #imm; ret */
static void emit_return(uint32_t *p, unsigned imm)
{
    p[0] = 0x52800000u | ((imm & 0xffff) << 5);
    p[1] = 0xd65f03c0u;
}

static void test_two_views(void)
{
    int fd = memfd_create("jit", 0);
    check(fd >= 0 && ftruncate(fd, 4096) == 0, "memfd of one page");
    uint32_t *rw = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    uint32_t *rx = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
    check(rw != MAP_FAILED && rx != MAP_FAILED && rw != rx, "RW and RX views at different addresses");
    Fn f = (Fn)(uintptr_t)rx;
    for (unsigned v = 1; v <= 5; v++) {
        emit_return(rw, v * 11);
        __builtin___clear_cache((char *)rx, (char *)rx + 8);
        char what[64];
        snprintf(what, sizeof what, "rewrite %u through the RW view runs", v);
        check(f() == (int)(v * 11), what);
    }
    munmap(rw, 4096);
    munmap(rx, 4096);
    close(fd);
}

static void test_mprotect_flip(void)
{
    uint32_t *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    Fn f = (Fn)(uintptr_t)p;
    for (unsigned v = 1; v <= 3; v++) {
        mprotect(p, 4096, PROT_READ | PROT_WRITE);
        emit_return(p, 100 + v);
        mprotect(p, 4096, PROT_READ | PROT_EXEC);
        __builtin___clear_cache((char *)p, (char *)p + 8);
        char what[64];
        snprintf(what, sizeof what, "rewrite %u after mprotect runs", v);
        check(f() == (int)(100 + v), what);
    }
    munmap(p, 4096);
}

int main(void)
{
    test_two_views();
    test_mprotect_flip();
    return failures ? 1 : 0;
}
