/*
 * Guest (arm64) <-> host (x86-64) conversions for the few kernel structures
 * and flag words whose layout or values differ between the two ABIs.  The
 * rest (timespec, statfs, statx, sysinfo, rlimit, rusage, termios, flock,
 * sigaction, stack_t, utsname, dirent64, msghdr, msqid64_ds, shmid64_ds,
 * ...) is identical on the two 64-bit ABIs and goes through unchanged.
 */
#ifndef FERRY_SYSCALL_CONVERT_H
#define FERRY_SYSCALL_CONVERT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/stat.h>

/* arm64 struct stat (asm-generic/stat.h), 128 bytes.  Field names avoid
 * st_atime & co, which the host C library defines as macros. */
typedef struct Aarch64Stat {
    uint64_t dev;
    uint64_t ino;
    uint32_t mode;
    uint32_t nlink;
    uint32_t uid;
    uint32_t gid;
    uint64_t rdev;
    uint64_t pad1;
    int64_t size;
    int32_t blksize;
    int32_t pad2;
    int64_t blocks;
    int64_t atime_sec;
    uint64_t atime_nsec;
    int64_t mtime_sec;
    uint64_t mtime_nsec;
    int64_t ctime_sec;
    uint64_t ctime_nsec;
    uint32_t unused4;
    uint32_t unused5;
} Aarch64Stat;

/* arm64 struct epoll_event: naturally aligned, 16 bytes (x86-64's is
 * packed, 12 bytes). */
typedef struct Aarch64EpollEvent {
    uint32_t events;
    uint32_t pad;
    uint64_t data;
} Aarch64EpollEvent;

/* struct semid64_ds (semctl IPC_STAT/IPC_SET): arm64 uses the asm-generic
 * layout, 88 bytes; x86-64 has a padding word after each time, 104 bytes.
 * The leading struct ipc64_perm (48 bytes) is the same on both. */
typedef struct Aarch64SemidDs {
    uint8_t perm[48];
    int64_t otime;
    int64_t ctime;
    uint64_t nsems;
    uint64_t unused3, unused4;
} Aarch64SemidDs;

typedef struct HostSemidDs {
    uint8_t perm[48];
    int64_t otime;
    uint64_t unused1;
    int64_t ctime;
    uint64_t unused2;
    uint64_t nsems;
    uint64_t unused3, unused4;
} HostSemidDs;

void semid_ds_to_aarch64(Aarch64SemidDs *dst, const HostSemidDs *src);
void semid_ds_to_host(HostSemidDs *dst, const Aarch64SemidDs *src);

/* Host struct stat (the x86-64 kernel layout) to the arm64 one. */
void stat_to_aarch64(Aarch64Stat *dst, const struct stat *src);

void epoll_event_to_host(struct epoll_event *dst, const Aarch64EpollEvent *src);
void epoll_event_to_aarch64(Aarch64EpollEvent *dst, const struct epoll_event *src);

/* Open flags: arm64 numbers O_DIRECTORY, O_NOFOLLOW, O_DIRECT and
 * O_LARGEFILE differently from x86-64; every other bit is shared. */
int open_flags_to_host(int guest_flags);
int open_flags_to_guest(int host_flags);

#endif
