/*
 * Struct and flag conversions between the arm64 and x86-64 Linux ABIs
 * (see convert.h for which ones differ).
 */
#include "syscall/convert.h"

#include <string.h>

_Static_assert(sizeof(Aarch64Stat) == 128, "arm64 struct stat is 128 bytes");
_Static_assert(offsetof(Aarch64Stat, size) == 48, "st_size");
_Static_assert(offsetof(Aarch64Stat, blksize) == 56, "st_blksize");
_Static_assert(offsetof(Aarch64Stat, mtime_sec) == 88, "st_mtime");
_Static_assert(sizeof(Aarch64EpollEvent) == 16, "arm64 struct epoll_event");
_Static_assert(sizeof(struct epoll_event) == 12, "host struct epoll_event is packed");

void stat_to_aarch64(Aarch64Stat *dst, const struct stat *src)
{
    memset(dst, 0, sizeof(*dst));
    dst->dev = src->st_dev;
    dst->ino = src->st_ino;
    dst->mode = src->st_mode;
    dst->nlink = (uint32_t)src->st_nlink;
    dst->uid = src->st_uid;
    dst->gid = src->st_gid;
    dst->rdev = src->st_rdev;
    dst->size = src->st_size;
    dst->blksize = (int32_t)src->st_blksize;
    dst->blocks = src->st_blocks;
    dst->atime_sec = src->st_atim.tv_sec;
    dst->atime_nsec = (uint64_t)src->st_atim.tv_nsec;
    dst->mtime_sec = src->st_mtim.tv_sec;
    dst->mtime_nsec = (uint64_t)src->st_mtim.tv_nsec;
    dst->ctime_sec = src->st_ctim.tv_sec;
    dst->ctime_nsec = (uint64_t)src->st_ctim.tv_nsec;
}

void epoll_event_to_host(struct epoll_event *dst, const Aarch64EpollEvent *src)
{
    dst->events = src->events;
    dst->data.u64 = src->data;
}

void epoll_event_to_aarch64(Aarch64EpollEvent *dst, const struct epoll_event *src)
{
    dst->events = src->events;
    dst->pad = 0;
    dst->data = src->data.u64;
}

_Static_assert(sizeof(Aarch64SemidDs) == 88, "arm64 struct semid64_ds");
_Static_assert(sizeof(HostSemidDs) == 104, "x86-64 struct semid64_ds");

void semid_ds_to_aarch64(Aarch64SemidDs *dst, const HostSemidDs *src)
{
    memset(dst, 0, sizeof(*dst));
    memcpy(dst->perm, src->perm, sizeof(dst->perm));
    dst->otime = src->otime;
    dst->ctime = src->ctime;
    dst->nsems = src->nsems;
}

void semid_ds_to_host(HostSemidDs *dst, const Aarch64SemidDs *src)
{
    memset(dst, 0, sizeof(*dst));
    memcpy(dst->perm, src->perm, sizeof(dst->perm));
    dst->otime = src->otime;
    dst->ctime = src->ctime;
    dst->nsems = src->nsems;
}

/* The four open-flag bits the two ABIs place differently. */
static const struct { int guest, host; } open_flag_moves[] = {
    { 040000,  0200000 },   /* O_DIRECTORY */
    { 0100000, 0400000 },   /* O_NOFOLLOW */
    { 0200000, 040000 },    /* O_DIRECT */
    { 0400000, 0100000 },   /* O_LARGEFILE */
};
#define OPEN_MOVED_BITS 0740000

int open_flags_to_host(int guest_flags)
{
    int host = guest_flags & ~OPEN_MOVED_BITS;
    for (size_t i = 0; i < sizeof(open_flag_moves) / sizeof(open_flag_moves[0]); i++)
        if (guest_flags & open_flag_moves[i].guest)
            host |= open_flag_moves[i].host;
    return host;
}

int open_flags_to_guest(int host_flags)
{
    int guest = host_flags & ~OPEN_MOVED_BITS;
    for (size_t i = 0; i < sizeof(open_flag_moves) / sizeof(open_flag_moves[0]); i++)
        if (host_flags & open_flag_moves[i].host)
            guest |= open_flag_moves[i].guest;
    return guest;
}
