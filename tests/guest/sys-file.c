/*
 * Guest test of the file system calls: open flags (including the ones
 * arm64 numbers differently from x86-64), read/write in all their forms,
 * struct stat fields, links, renames, directories, fcntl, pipes, epoll,
 * eventfd, memfd and /proc/self/exe.  Self-checking; prints one line per
 * check so the output can be compared with the reference emulator's.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/uio.h>

#include "sys-check.h"


static void test_read_write(void)
{
    int fd = open("f1", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    check(fd >= 0, "open O_CREAT|O_EXCL");
    check(open("f1", O_RDWR | O_CREAT | O_EXCL, 0640) < 0 && errno == EEXIST, "O_EXCL on existing file gives EEXIST");
    check(write(fd, "hello, world\n", 13) == 13, "write");
    check(lseek(fd, 0, SEEK_CUR) == 13, "lseek SEEK_CUR");
    check(lseek(fd, 7, SEEK_SET) == 7, "lseek SEEK_SET");
    char buf[64] = { 0 };
    check(read(fd, buf, sizeof(buf)) == 6 && memcmp(buf, "world\n", 6) == 0, "read after lseek");
    check(pwrite(fd, "HELLO", 5, 0) == 5, "pwrite");
    check(pread(fd, buf, 5, 0) == 5 && memcmp(buf, "HELLO", 5) == 0, "pread");
    struct iovec iov[2] = { { "ab", 2 }, { "cde", 3 } };
    check(lseek(fd, 0, SEEK_END) == 13 && writev(fd, iov, 2) == 5, "writev");
    char x[2], y[3];
    struct iovec riov[2] = { { x, 2 }, { y, 3 } };
    check(lseek(fd, 13, SEEK_SET) == 13 && readv(fd, riov, 2) == 5 &&
          memcmp(x, "ab", 2) == 0 && memcmp(y, "cde", 3) == 0, "readv");
    check((fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0, "F_GETFD shows O_CLOEXEC");
    check((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR, "F_GETFL access mode");
    check(fcntl(fd, F_SETFL, O_APPEND | O_NONBLOCK) == 0 &&
          (fcntl(fd, F_GETFL) & (O_APPEND | O_NONBLOCK)) == (O_APPEND | O_NONBLOCK), "F_SETFL O_APPEND|O_NONBLOCK");
    check(ftruncate(fd, 4) == 0, "ftruncate");

    struct stat st;
    check(fstat(fd, &st) == 0 && st.st_size == 4 && S_ISREG(st.st_mode) &&
          (st.st_mode & 0777) == 0640 && st.st_nlink == 1 && st.st_blksize > 0, "fstat size/mode/nlink");
    check(fsync(fd) == 0 && fdatasync(fd) == 0, "fsync, fdatasync");
    check(flock(fd, LOCK_EX) == 0 && flock(fd, LOCK_UN) == 0, "flock");
    struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };
    check(fcntl(fd, F_SETLK, &lk) == 0, "fcntl F_SETLK");
    lk.l_type = F_WRLCK;
    check(fcntl(fd, F_GETLK, &lk) == 0 && lk.l_type == F_UNLCK, "fcntl F_GETLK (own lock)");
    int d = dup(fd), d2 = dup3(fd, 40, O_CLOEXEC);
    check(d > fd && d2 == 40 && (fcntl(40, F_GETFD) & FD_CLOEXEC), "dup, dup3 O_CLOEXEC");
    close(d);
    close(d2);
    close(fd);
}

static void test_stat_and_links(void)
{
    struct stat st, lst;
    check(stat("f1", &st) == 0 && st.st_size == 4, "stat");
    check(link("f1", "f2") == 0 && stat("f1", &st) == 0 && st.st_nlink == 2, "link raises st_nlink");
    check(symlink("f1", "s1") == 0, "symlink");
    char target[64] = { 0 };
    check(readlink("s1", target, sizeof(target)) == 2 && strcmp(target, "f1") == 0, "readlink");
    check(lstat("s1", &lst) == 0 && S_ISLNK(lst.st_mode) && lst.st_size == 2, "lstat of a symlink");
    check(open("s1", O_RDONLY | O_NOFOLLOW) < 0 && errno == ELOOP, "O_NOFOLLOW on a symlink gives ELOOP");
    check(open("f1", O_RDONLY | O_DIRECTORY) < 0 && errno == ENOTDIR, "O_DIRECTORY on a file gives ENOTDIR");
    check(fstatat(AT_FDCWD, "s1", &st, 0) == 0 && S_ISREG(st.st_mode), "fstatat follows symlinks");
    check(rename("f2", "f3") == 0 && access("f2", F_OK) < 0 && access("f3", F_OK) == 0, "rename");
    check(renameat2(AT_FDCWD, "f3", AT_FDCWD, "f1", RENAME_NOREPLACE) < 0 && errno == EEXIST,
          "renameat2 RENAME_NOREPLACE");
    check(chmod("f3", 0600) == 0 && stat("f3", &st) == 0 && (st.st_mode & 0777) == 0600, "chmod");
    check(faccessat(AT_FDCWD, "f3", R_OK | W_OK, 0) == 0, "faccessat");
    struct timespec ts[2] = { { 1000000000, 5 }, { 1234567890, 123456789 } };
    check(utimensat(AT_FDCWD, "f3", ts, 0) == 0 && stat("f3", &st) == 0 &&
          st.st_mtim.tv_sec == 1234567890 && st.st_mtim.tv_nsec == 123456789 &&
          st.st_atim.tv_sec == 1000000000, "utimensat and st_mtim/st_atim");
    check(truncate("f3", 100) == 0 && stat("f3", &st) == 0 && st.st_size == 100, "truncate");
    struct statx sx;
    check(statx(AT_FDCWD, "f3", 0, STATX_SIZE, &sx) == 0 && sx.stx_size == 100, "statx");
    struct statfs sf;
    check(statfs(".", &sf) == 0 && sf.f_bsize > 0 && sf.f_namelen > 0, "statfs");
    check(unlink("f3") == 0 && unlink("s1") == 0, "unlink");
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_directories(void)
{
    check(mkdir("d", 0755) == 0 && mkdir("d", 0755) < 0 && errno == EEXIST, "mkdir");
    close(open("d/b", O_CREAT | O_WRONLY, 0600));
    close(open("d/a", O_CREAT | O_WRONLY, 0600));
    mkdir("d/c", 0700);
    DIR *dir = opendir("d");
    char *names[8];
    int n = 0;
    for (struct dirent *e; dir && (e = readdir(dir)) && n < 8;)
        names[n++] = strdup(e->d_name);
    closedir(dir);
    qsort(names, n, sizeof(names[0]), cmp_names);
    printf("     getdents64:");
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]);
        free(names[i]);
    }
    printf("\n");
    check(n == 5, "getdents64 lists five entries");
    char cwd[4096], sub[4096];
    check(getcwd(cwd, sizeof(cwd)) != NULL, "getcwd");
    check(chdir("d/c") == 0 && getcwd(sub, sizeof(sub)) && strlen(sub) == strlen(cwd) + 4 &&
          strcmp(sub + strlen(cwd), "/d/c") == 0, "chdir");
    int dfd = open("..", O_RDONLY | O_DIRECTORY);
    check(dfd >= 0 && fchdir(dfd) == 0, "fchdir");
    check(unlinkat(dfd, "a", 0) == 0 && unlinkat(dfd, "c", AT_REMOVEDIR) == 0, "unlinkat, AT_REMOVEDIR");
    check(rmdir("c") < 0 && errno == ENOENT, "rmdir of a removed directory gives ENOENT");
    close(dfd);
    check(chdir(cwd) == 0 && unlink("d/b") == 0 && rmdir("d") == 0, "rmdir");
    mode_t old = umask(027);
    close(open("u", O_CREAT | O_WRONLY, 0777));
    struct stat st;
    check(stat("u", &st) == 0 && (st.st_mode & 0777) == 0750, "umask applies to new files");
    umask(old);
    unlink("u");
}

static void test_pipes_and_events(void)
{
    int p[2];
    check(pipe2(p, O_CLOEXEC | O_NONBLOCK) == 0, "pipe2");
    char c;
    check(read(p[0], &c, 1) < 0 && errno == EAGAIN, "empty non-blocking pipe gives EAGAIN");
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 0x1122334455667788ull };
    check(ep >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0, "epoll_ctl ADD");
    struct epoll_event out[4];
    check(epoll_wait(ep, out, 4, 0) == 0, "epoll_wait with nothing ready");
    check(write(p[1], "xyz", 3) == 3, "write to pipe");
    memset(out, 0, sizeof(out));
    check(epoll_wait(ep, out, 4, 1000) == 1 && out[0].events == EPOLLIN &&
          out[0].data.u64 == 0x1122334455667788ull, "epoll_wait returns the event and its data");
    int avail = 0;
    check(ioctl(p[0], FIONREAD, &avail) == 0 && avail == 3, "ioctl FIONREAD");
    close(ep);
    close(p[0]);
    close(p[1]);

    int efd = eventfd(5, EFD_CLOEXEC);
    uint64_t v = 0;
    check(efd >= 0 && read(efd, &v, 8) == 8 && v == 5, "eventfd");
    close(efd);

    int m = memfd_create("ferry", MFD_CLOEXEC);
    check(m >= 0 && write(m, "memfd!", 6) == 6, "memfd_create");
    int dst = open("copy", O_CREAT | O_RDWR | O_TRUNC, 0600);
    off_t off = 0;
    check(sendfile(dst, m, &off, 6) == 6 && off == 6, "sendfile");
    int dst2 = open("copy2", O_CREAT | O_RDWR | O_TRUNC, 0600);
    loff_t in_off = 0;
    check(copy_file_range(dst, &in_off, dst2, NULL, 6, 0) == 6 && in_off == 6, "copy_file_range");
    check(pwrite(dst2, "?", 1, 5) == 1, "pwrite into the copy");
    struct stat st;
    check(fstat(dst2, &st) == 0 && st.st_size == 6, "copied size");
    char *map = mmap(NULL, 6, PROT_READ, MAP_SHARED, dst2, 0);
    check(map != MAP_FAILED && memcmp(map, "memfd?", 6) == 0, "mmap of the copy");
    munmap(map, 6);
    close(m);
    close(dst);
    close(dst2);
    unlink("copy");
    unlink("copy2");
}

static void test_proc_self_exe(const char *argv0)
{
    char link[4096] = { 0 };
    ssize_t n = readlink("/proc/self/exe", link, sizeof(link) - 1);
    const char *base = strrchr(link, '/');
    check(n > 0 && base && strcmp(base + 1, "sys-file") == 0, "/proc/self/exe names the guest program");
    int fd = open("/proc/self/exe", O_RDONLY);
    unsigned char head[20];
    check(fd >= 0 && read(fd, head, 20) == 20 && memcmp(head, "\177ELF", 4) == 0 &&
          (head[18] | head[19] << 8) == 183, "/proc/self/exe opens the arm64 ELF");
    close(fd);
}

int main(int argc, char **argv)
{
    char dir[] = "/tmp/ferry-sys-file-XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) != 0) {
        perror("mkdtemp");
        return 1;
    }
    test_read_write();
    test_stat_and_links();
    test_directories();
    test_pipes_and_events();
    test_proc_self_exe(argv[0]);
    unlink("f1");
    chdir("/");
    check(rmdir(dir) == 0, "temporary directory removed");
    printf("%d failures\n", failures);
    return failures != 0;
}
