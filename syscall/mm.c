/*
 * Memory-management system calls.  The guest memory map (linux-user's
 * guest-mem) does the work for mmap/munmap/mprotect/mremap/brk; madvise is
 * passed to the host only for ranges the guest owns.  Protection keys do
 * not exist on arm64 without POE, so they behave as such a kernel does.
 */
#include "syscall/syscall-internal.h"

#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux-user/guest-mem.h"
#include "tcg/exec.h"

int64_t sys_brk(SysCall *sc, const uint64_t *a)
{
    return guest_brk(a[0]);
}

int64_t sys_mmap(SysCall *sc, const uint64_t *a)
{
    return guest_mmap(a[0], a[1], (int)a[2], (int)a[3], (int)a[4], (off_t)a[5]);
}

int64_t sys_munmap(SysCall *sc, const uint64_t *a)
{
    return guest_munmap(a[0], a[1]);
}

int64_t sys_mprotect(SysCall *sc, const uint64_t *a)
{
    return guest_mprotect(a[0], a[1], (int)a[2]);
}

int64_t sys_mremap(SysCall *sc, const uint64_t *a)
{
    return guest_mremap(a[0], a[1], a[2], (int)a[3], a[4]);
}

/* Does this advice throw away page contents (so code there is stale)? */
static bool advice_discards(int advice)
{
    return advice == MADV_DONTNEED || advice == MADV_REMOVE || advice == MADV_FREE;
}

int64_t sys_madvise(SysCall *sc, const uint64_t *a)
{
    uint64_t addr = a[0], len = a[1];
    int advice = (int)a[2];

    if (addr & (GUEST_PAGE_SIZE - 1))
        return -EINVAL;
    if (len == 0)
        return 0;
    uint64_t span = (len + GUEST_PAGE_SIZE - 1) & ~(GUEST_PAGE_SIZE - 1);
    if (span < len || addr + span > GUEST_ADDR_MAX + 1)
        return -EINVAL;
    if (!guest_range_ok(addr, span, 0))
        return -ENOMEM;
    int64_t r = host_result(syscall(SYS_madvise, addr, len, advice));
    if (r == 0 && advice_discards(advice))
        tb_invalidate_range(addr, span);
    return r;
}

int64_t sys_pkey_mprotect(SysCall *sc, const uint64_t *a)
{
    if ((int)a[3] != -1)
        return -EINVAL;
    return guest_mprotect(a[0], a[1], (int)a[2]);
}

int64_t sys_pkey_alloc(SysCall *sc, const uint64_t *a)
{
    return a[0] ? -EINVAL : -ENOSPC;
}

int64_t sys_pkey_free(SysCall *sc, const uint64_t *a)
{
    return -EINVAL;
}
