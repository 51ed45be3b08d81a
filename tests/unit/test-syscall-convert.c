/*
 * Unit tests of the guest system-call layer (syscall/): the arm64 struct
 * stat and epoll_event layouts, open-flag conversion, the syscall table's
 * numbers, -strace formatting, and a few calls made through
 * syscall_dispatch.  Expected offsets come from the kernel's
 * asm-generic/stat.h and eventpoll.h read by hand; syscall numbers from
 * include/uapi/asm-generic/unistd.h (guest) and the x86-64 syscall_64.tbl
 * (host); flag values from arm64's asm/fcntl.h and asm-generic/fcntl.h.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <glib.h>

#include "linux-user/guest-mem.h"
#include "syscall/convert.h"
#include "syscall/syscall-internal.h"

/* The translation cache is not needed here. */
/* Weak: the real one wins when the signal code pulls in the cache. */
__attribute__((weak)) void tb_invalidate_range(uint64_t start, uint64_t len) { (void)start; (void)len; }
__attribute__((weak)) void exec_code_mapped(uint64_t start, uint64_t len) { (void)start; (void)len; }

static uint64_t rd64(const uint8_t *p, size_t off) { uint64_t v; memcpy(&v, p + off, 8); return v; }
static uint32_t rd32(const uint8_t *p, size_t off) { uint32_t v; memcpy(&v, p + off, 4); return v; }

/* ---- struct stat ---- */

START_TEST(stat_layout)
{
    struct stat h;
    uint8_t g[128];
    memset(&h, 0, sizeof(h));
    h.st_dev = 0x1111;  h.st_ino = 0x2222;  h.st_mode = 0100644;  h.st_nlink = 3;
    h.st_uid = 1000;    h.st_gid = 1001;    h.st_rdev = 0x0503;    h.st_size = 0x123456789;
    h.st_blksize = 4096; h.st_blocks = 77;
    h.st_atim.tv_sec = 1700000001; h.st_atim.tv_nsec = 11;
    h.st_mtim.tv_sec = 1700000002; h.st_mtim.tv_nsec = 22;
    h.st_ctim.tv_sec = 1700000003; h.st_ctim.tv_nsec = 33;
    memset(g, 0xaa, sizeof(g));
    ck_assert_uint_eq(sizeof(Aarch64Stat), 128);
    stat_to_aarch64((Aarch64Stat *)g, &h);

    ck_assert_uint_eq(rd64(g, 0), 0x1111);           /* st_dev */
    ck_assert_uint_eq(rd64(g, 8), 0x2222);           /* st_ino */
    ck_assert_uint_eq(rd32(g, 16), 0100644);         /* st_mode */
    ck_assert_uint_eq(rd32(g, 20), 3);               /* st_nlink */
    ck_assert_uint_eq(rd32(g, 24), 1000);            /* st_uid */
    ck_assert_uint_eq(rd32(g, 28), 1001);            /* st_gid */
    ck_assert_uint_eq(rd64(g, 32), 0x0503);          /* st_rdev */
    ck_assert_uint_eq(rd64(g, 40), 0);               /* __pad1 */
    ck_assert_uint_eq(rd64(g, 48), 0x123456789);     /* st_size */
    ck_assert_uint_eq(rd32(g, 56), 4096);            /* st_blksize */
    ck_assert_uint_eq(rd32(g, 60), 0);               /* __pad2 */
    ck_assert_uint_eq(rd64(g, 64), 77);              /* st_blocks */
    ck_assert_uint_eq(rd64(g, 72), 1700000001);      /* st_atime */
    ck_assert_uint_eq(rd64(g, 80), 11);
    ck_assert_uint_eq(rd64(g, 88), 1700000002);      /* st_mtime */
    ck_assert_uint_eq(rd64(g, 96), 22);
    ck_assert_uint_eq(rd64(g, 104), 1700000003);     /* st_ctime */
    ck_assert_uint_eq(rd64(g, 112), 33);
    ck_assert_uint_eq(rd64(g, 120), 0);              /* __unused4/5 */
}
END_TEST

/* ---- epoll_event ---- */

START_TEST(epoll_layout)
{
    uint8_t g[16] = { 0 }, back[16];
    struct epoll_event h;
    uint8_t hb[12];
    uint32_t ev = 0x80000019;                        /* EPOLLET|EPOLLHUP|EPOLLERR|EPOLLIN */
    uint64_t data = 0x1122334455667788ull;

    memcpy(g + 0, &ev, 4);
    memcpy(g + 8, &data, 8);
    epoll_event_to_host(&h, (const Aarch64EpollEvent *)g);
    memcpy(hb, &h, sizeof(hb));
    ck_assert_uint_eq(sizeof(h), 12);
    ck_assert_uint_eq(rd32(hb, 0), ev);
    ck_assert_uint_eq(rd64(hb, 4), data);            /* packed: data right after events */

    memset(back, 0xff, sizeof(back));
    epoll_event_to_aarch64((Aarch64EpollEvent *)back, &h);
    ck_assert_uint_eq(rd32(back, 0), ev);
    ck_assert_uint_eq(rd32(back, 4), 0);
    ck_assert_uint_eq(rd64(back, 8), data);
}
END_TEST

/* ---- semid64_ds ---- */

START_TEST(semid_layout)
{
    uint8_t h[104], g[88], back[104];
    int64_t otime = 1700000100, ctime = 1700000200;
    uint64_t nsems = 5;

    /* x86-64: ipc64_perm (48), sem_otime, pad, sem_ctime, pad, sem_nsems. */
    memset(h, 0, sizeof(h));
    for (int i = 0; i < 48; i++)
        h[i] = (uint8_t)(i + 1);
    memcpy(h + 48, &otime, 8);
    memcpy(h + 64, &ctime, 8);
    memcpy(h + 80, &nsems, 8);
    memset(g, 0xee, sizeof(g));
    semid_ds_to_aarch64((Aarch64SemidDs *)g, (const HostSemidDs *)h);
    /* arm64 (asm-generic, 64-bit): ipc64_perm, sem_otime, sem_ctime, sem_nsems. */
    ck_assert_mem_eq(g, h, 48);
    ck_assert_uint_eq(rd64(g, 48), (uint64_t)otime);
    ck_assert_uint_eq(rd64(g, 56), (uint64_t)ctime);
    ck_assert_uint_eq(rd64(g, 64), nsems);
    ck_assert_uint_eq(rd64(g, 72), 0);
    ck_assert_uint_eq(rd64(g, 80), 0);

    semid_ds_to_host((HostSemidDs *)back, (const Aarch64SemidDs *)g);
    ck_assert_mem_eq(back, h, sizeof(h));
}
END_TEST

/* ---- open flags ---- */

START_TEST(open_flags)
{
    /* arm64: O_DIRECTORY 040000, O_NOFOLLOW 0100000, O_DIRECT 0200000,
     * O_LARGEFILE 0400000; x86-64: 0200000, 0400000, 040000, 0100000. */
    ck_assert_int_eq(open_flags_to_host(040000), 0200000);
    ck_assert_int_eq(open_flags_to_host(0100000), 0400000);
    ck_assert_int_eq(open_flags_to_host(0200000), 040000);
    ck_assert_int_eq(open_flags_to_host(0400000), 0100000);
    /* O_RDWR|O_CREAT|O_EXCL|O_TRUNC|O_APPEND|O_NONBLOCK|O_CLOEXEC|O_PATH are shared. */
    int shared = 02 | 0100 | 0200 | 01000 | 02000 | 04000 | 02000000 | 010000000;
    ck_assert_int_eq(open_flags_to_host(shared), shared);
    ck_assert_int_eq(open_flags_to_host(shared | 040000 | 0100000), shared | 0200000 | 0400000);
    /* O_TMPFILE is __O_TMPFILE|O_DIRECTORY in each ABI's numbering. */
    ck_assert_int_eq(open_flags_to_host(020000000 | 040000 | 02), 020000000 | 0200000 | 02);
    /* F_GETFL on the host reports O_LARGEFILE (0100000) on 64-bit. */
    ck_assert_int_eq(open_flags_to_guest(0100000 | 02), 0400000 | 02);
    for (int bit = 0; bit < 31; bit++)
        ck_assert_int_eq(open_flags_to_guest(open_flags_to_host(1 << bit)), 1 << bit);
}
END_TEST

/* ---- the table ---- */

START_TEST(table_numbers)
{
    static const struct { int nr; const char *name; } known[] = {
        { 0, "io_setup" }, { 17, "getcwd" }, { 23, "dup" }, { 24, "dup3" }, { 25, "fcntl" },
        { 29, "ioctl" }, { 48, "faccessat" }, { 56, "openat" }, { 57, "close" },
        { 59, "pipe2" }, { 61, "getdents64" }, { 62, "lseek" }, { 63, "read" },
        { 64, "write" }, { 78, "readlinkat" }, { 79, "newfstatat" }, { 80, "fstat" },
        { 93, "exit" }, { 94, "exit_group" }, { 96, "set_tid_address" },
        { 99, "set_robust_list" }, { 101, "nanosleep" }, { 113, "clock_gettime" },
        { 129, "kill" }, { 134, "rt_sigaction" }, { 135, "rt_sigprocmask" },
        { 139, "rt_sigreturn" }, { 160, "uname" }, { 169, "gettimeofday" },
        { 172, "getpid" }, { 178, "gettid" }, { 198, "socket" }, { 214, "brk" },
        { 215, "munmap" }, { 216, "mremap" }, { 220, "clone" }, { 221, "execve" },
        { 222, "mmap" }, { 226, "mprotect" }, { 233, "madvise" }, { 260, "wait4" },
        { 261, "prlimit64" }, { 278, "getrandom" }, { 291, "statx" }, { 293, "rseq" },
        { 434, "pidfd_open" }, { 435, "clone3" }, { 439, "faccessat2" },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(known); i++) {
        const char *name = syscall_name(known[i].nr);
        ck_assert_msg(name && strcmp(name, known[i].name) == 0,
                      "syscall %d is %s, expected %s", known[i].nr, name ? name : "(none)", known[i].name);
    }
    /* Architecture-reserved and never-allocated numbers, and out of range. */
    ck_assert_ptr_null(syscall_name(244));
    ck_assert_ptr_null(syscall_name(259));
    ck_assert_ptr_null(syscall_name(300));
    ck_assert_ptr_null(syscall_name(423));
    ck_assert_ptr_null(syscall_name(100000));
    ck_assert_ptr_null(syscall_name((uint64_t)-1));
}
END_TEST

START_TEST(table_entries)
{
    /* Passthrough entries call the host's x86-64 numbers. */
    static const struct { int guest, host; } pass[] = {
        { 63, 0 }, { 64, 1 }, { 57, 3 }, { 62, 8 }, { 172, 39 }, { 24, 292 }, { 113, 228 },
        { 61, 217 }, { 59, 293 }, { 260, 61 }, { 129, 62 }, { 278, 318 }, { 46, 77 },
    };
    for (size_t i = 0; i < G_N_ELEMENTS(pass); i++) {
        const SyscallDesc *d = syscall_lookup(pass[i].guest);
        ck_assert_ptr_nonnull(d);
        ck_assert_int_eq(d->mode, SC_PASS);
        ck_assert_int_eq(d->host_nr, pass[i].host);
    }
    /* Every allocated number is implemented, passed through or refused with a reason. */
    int allocated = 0;
    for (int nr = 0; nr < SYSCALL_TABLE_SIZE; nr++) {
        const SyscallDesc *d = syscall_lookup(nr);
        if (!d)
            continue;
        allocated++;
        ck_assert_ptr_nonnull(d->name);
        if (d->mode == SC_IMPL)
            ck_assert_ptr_nonnull(d->handler);
        if (d->mode == SC_NOSYS || d->mode == SC_NOSYS_QUIET)
            ck_assert_msg(d->reason && *d->reason, "%s has no reason", d->name);
    }
    /* asm-generic, 64-bit: 0..243, then 260..294 (244..259 are reserved
     * for architecture calls, arm64 has none), then 424..469. */
    ck_assert_int_eq(allocated, 244 + (294 - 260 + 1) + (469 - 424 + 1));
}
END_TEST

/* ---- strace formatting and dispatch, on a guest page ---- */

static uint8_t *page;

static void setup_page(void)
{
    if (page)
        return;
    page = mmap(NULL, 4 * GUEST_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert_ptr_ne(page, MAP_FAILED);
    guest_mem_init();
    guest_mem_record(h2g(page), 4 * GUEST_PAGE_SIZE, PROT_READ | PROT_WRITE, "test");
}

static char *format(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                    uint64_t a4, uint64_t a5)
{
    static char buf[256];
    uint64_t args[6] = { a0, a1, a2, a3, a4, a5 };
    strace_format_call(buf, sizeof(buf), nr, args);
    return buf;
}

START_TEST(strace_lines)
{
    char res[96];
    setup_page();
    strcpy((char *)page, "/etc/passwd");
    strcpy((char *)page + 64, "hi\n");
    uint64_t s = h2g(page);

    ck_assert_str_eq(format(56, (uint64_t)-100, s, 0, 0, 0, 0), "openat(AT_FDCWD,\"/etc/passwd\",O_RDONLY)");
    ck_assert_str_eq(format(56, 3, s, 0101 | 02000000, 0644, 0, 0),
                     "openat(3,\"/etc/passwd\",O_WRONLY|O_CREAT|O_CLOEXEC,0644)");
    ck_assert_str_eq(format(64, 1, s + 64, 3, 0, 0, 0), "write(1,\"hi\\n\",3)");
    ck_assert_str_eq(format(222, 0, 8192, 3, 0x22, (uint64_t)-1, 0),
                     "mmap(NULL,8192,PROT_READ|PROT_WRITE,MAP_PRIVATE|MAP_ANONYMOUS,-1,0)");
    ck_assert_str_eq(format(94, 0, 0, 0, 0, 0, 0), "exit_group(0)");
    ck_assert_str_eq(format(134, 2, 0, 0, 8, 0, 0), "rt_sigaction(SIGINT,NULL,NULL,8)");
    ck_assert_str_eq(format(220, 0x1200011, 0, 0, 0, 0x4000, 0),
                     "clone(CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD,0,NULL,0,0x4000)");
    ck_assert_str_eq(format(29, 0, 0x5401, 0x1000, 0, 0, 0), "ioctl(0,TCGETS,0x1000)");
    ck_assert_str_eq(format(172, 0, 0, 0, 0, 0, 0), "getpid()");
    ck_assert_str_eq(format(1000, 1, 2, 3, 4, 5, 6), "syscall_1000(0x1,0x2,0x3,0x4,0x5,0x6)");

    strace_format_result(res, sizeof(res), R_INT, 3);
    ck_assert_str_eq(res, " = 3");
    strace_format_result(res, sizeof(res), R_INT, -2);
    ck_assert_str_eq(res, " = -1 errno=2 (No such file or directory)");
    strace_format_result(res, sizeof(res), R_HEX, 0x7f0000001000);
    ck_assert_str_eq(res, " = 0x7f0000001000");
    strace_format_result(res, sizeof(res), R_HEX, -12);
    ck_assert_str_eq(res, " = -1 errno=12 (Cannot allocate memory)");
}
END_TEST

static GuestProcess proc;
static CPUState env;

static int64_t call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
    env.x[8] = nr;
    env.x[0] = a0; env.x[1] = a1; env.x[2] = a2; env.x[3] = a3; env.x[4] = 0; env.x[5] = 0;
    syscall_dispatch(&proc, &env);
    return (int64_t)env.x[0];
}

START_TEST(dispatch_calls)
{
    setup_page();
    uint64_t buf = h2g(page) + GUEST_PAGE_SIZE;

    /* uname: machine is the fifth 65-byte field. */
    ck_assert_int_eq(call(160, buf, 0, 0, 0), 0);
    ck_assert_str_eq((char *)g2h(buf + 4 * 65), "aarch64");

    /* fstat of a file of known size: st_size at offset 48, S_IFREG mode at 16. */
    char tmpl[] = "/tmp/ferry-sys-XXXXXX";
    int fd = mkstemp(tmpl);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, "12345", 5), 5);
    ck_assert_int_eq(call(80, fd, buf, 0, 0), 0);
    ck_assert_uint_eq(rd64(g2h(buf), 48), 5);
    ck_assert_uint_eq(rd32(g2h(buf), 16) & 0170000, 0100000);

    /* newfstatat by name gives the same inode. */
    uint64_t ino = rd64(g2h(buf), 8);
    strcpy((char *)page, tmpl);
    ck_assert_int_eq(call(79, (uint64_t)-100, h2g(page), buf, 0), 0);
    ck_assert_uint_eq(rd64(g2h(buf), 8), ino);

    /* openat with arm64's O_DIRECTORY (040000): a file is not a directory,
     * "/" is. */
    ck_assert_int_eq(call(56, (uint64_t)-100, h2g(page), 040000, 0), -ENOTDIR);
    strcpy((char *)page + 512, "/");
    int64_t dfd = call(56, (uint64_t)-100, h2g(page) + 512, 040000, 0);
    ck_assert_int_ge(dfd, 0);
    /* F_GETFL reports arm64 numbering: O_DIRECTORY stays 040000 and
     * O_LARGEFILE is 0400000. */
    int64_t fl = call(25, dfd, 3, 0, 0);
    ck_assert_int_eq(fl & 040000, 040000);
    ck_assert_int_eq(fl & 0400000, 0400000);
    close((int)dfd);
    close(fd);
    unlink(tmpl);

    /* Errors come back as -errno. */
    strcpy((char *)page, "/nonexistent/ferry");
    ck_assert_int_eq(call(56, (uint64_t)-100, h2g(page), 0, 0), -ENOENT);
    ck_assert_int_eq(call(57, 9999, 0, 0, 0), -EBADF);

    /* Unknown and refused numbers. */
    ck_assert_int_eq(call(300, 0, 0, 0, 0), -ENOSYS);
    /* clone3 with a struct smaller than the first version's 64 bytes. */
    ck_assert_int_eq(call(435, 0, 0, 0, 0), -EINVAL);

    /* rt_sigaction records the arm64 sigaction and gives it back. */
    uint64_t act[4] = { 0x400123, 0x14000000, 0, 1ull << 9 };   /* SA_RESTART|SA_RESTORER */
    memcpy(g2h(buf), act, sizeof(act));
    ck_assert_int_eq(call(134, 10, buf, 0, 8), 0);
    memset(g2h(buf + 64), 0, 32);
    ck_assert_int_eq(call(134, 10, 0, buf + 64, 8), 0);
    ck_assert_mem_eq(g2h(buf + 64), act, sizeof(act));
    ck_assert_int_eq(call(134, 9, buf, 0, 8), -EINVAL);      /* SIGKILL */
    ck_assert_int_eq(call(134, 10, buf, 0, 16), -EINVAL);    /* sigsetsize */

    /* rt_sigprocmask: block SIGUSR2, read it back. */
    uint64_t set = 1ull << 11;
    memcpy(g2h(buf), &set, 8);
    ck_assert_int_eq(call(135, 0, buf, 0, 8), 0);
    ck_assert_int_eq(call(135, 0, 0, buf + 8, 8), 0);
    ck_assert_uint_eq(rd64(g2h(buf), 8) & set, set);
    ck_assert_int_eq(call(135, 1, buf, 0, 8), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("syscall-convert");
    TCase *tc = tcase_create("syscall");
    tcase_add_test(tc, stat_layout);
    tcase_add_test(tc, epoll_layout);
    tcase_add_test(tc, semid_layout);
    tcase_add_test(tc, open_flags);
    tcase_add_test(tc, table_numbers);
    tcase_add_test(tc, table_entries);
    tcase_add_test(tc, strace_lines);
    tcase_add_test(tc, dispatch_calls);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_NOFORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
