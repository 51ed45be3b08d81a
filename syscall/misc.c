/*
 * System calls about the machine and the process's own settings: uname
 * (the guest sees an aarch64 machine), prctl (the options that mean the
 * same on both sides go through; arm64-only ones answer as an arm64 kernel
 * without those features does), seccomp (queries go through; installing a
 * mode is refused, see guest_seccomp_refused), and semctl, the one System
 * V IPC call whose structure differs between the two ABIs.
 */
#include "syscall/syscall-internal.h"

#include <string.h>
#include <unistd.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

#include "linux-user/guest-mem.h"
#include "linux-user/log.h"
#include "syscall/convert.h"

int64_t sys_uname(SysCall *sc, const uint64_t *a)
{
    struct utsname u;   /* six 65-byte fields on both ABIs */
    if (syscall(SYS_uname, &u) != 0)
        return -errno;
    memset(u.machine, 0, sizeof(u.machine));
    strcpy(u.machine, "aarch64");
    return copy_to_guest(a[0], &u, sizeof(u)) ? -EFAULT : 0;
}

/* prctl options passed to the host unchanged. */
static bool prctl_passthrough(int option)
{
    switch (option) {
    case PR_SET_PDEATHSIG: case PR_GET_PDEATHSIG:
    case PR_GET_DUMPABLE: case PR_SET_DUMPABLE:
    case PR_GET_KEEPCAPS: case PR_SET_KEEPCAPS:
    case PR_SET_NAME: case PR_GET_NAME:
    case PR_CAPBSET_READ: case PR_CAPBSET_DROP:
    case PR_GET_SECUREBITS: case PR_SET_SECUREBITS:
    case PR_SET_TIMERSLACK: case PR_GET_TIMERSLACK:
    case PR_SET_CHILD_SUBREAPER: case PR_GET_CHILD_SUBREAPER:
    case PR_SET_NO_NEW_PRIVS: case PR_GET_NO_NEW_PRIVS:
    case PR_SET_THP_DISABLE: case PR_GET_THP_DISABLE:
    case PR_CAP_AMBIENT:
    case PR_GET_SECCOMP:    /* only ever a mode ferry itself inherited */
    case PR_SET_VMA:
        return true;
    default:
        return false;
    }
}

/*
 * Installing a seccomp mode would constrain ferry, not just the guest:
 * strict mode allows only read/write/exit/sigreturn, which ferry cannot
 * live on, and a guest filter tests arm64 system-call numbers (and
 * AUDIT_ARCH_AARCH64) while the host kernel would run it against ferry's
 * x86-64 calls.  Both are refused with EINVAL, each named once per process.
 */
static int64_t guest_seccomp_refused(SysCall *sc, unsigned mode)
{
    static const char *const why[] = {
        [SECCOMP_MODE_STRICT] = "seccomp strict mode is not supported (ferry itself needs "
                                "system calls it forbids); returning EINVAL",
        [SECCOMP_MODE_FILTER] = "seccomp filters are not supported (the guest's filter is "
                                "for arm64 system-call numbers); returning EINVAL",
    };
    uint8_t bit = 1u << mode;

    if (!(sc->st->seccomp_reported & bit)) {
        sc->st->seccomp_reported |= bit;
        fprintf(stderr, "ferry-aarch64: %s\n", why[mode]);
        if (log_enabled(LOG_UNIMP) && ferry_log_file && ferry_log_file != stderr)
            ferry_log("%s\n", why[mode]);
    }
    return -EINVAL;
}

int64_t sys_seccomp(SysCall *sc, const uint64_t *a)
{
    unsigned op = (unsigned)a[0];

    switch (op) {
    case SECCOMP_SET_MODE_STRICT:
        return guest_seccomp_refused(sc, SECCOMP_MODE_STRICT);
    case SECCOMP_SET_MODE_FILTER:
        return guest_seccomp_refused(sc, SECCOMP_MODE_FILTER);
    case SECCOMP_GET_ACTION_AVAIL:      /* a u32 action in, nothing out */
    case SECCOMP_GET_NOTIF_SIZES:       /* three u16 sizes, same on both ABIs */
        return host_result(syscall(SYS_seccomp, op, a[1], a[2]));
    default:
        return -EINVAL;
    }
}

int64_t sys_prctl(SysCall *sc, const uint64_t *a)
{
    int option = (int)a[0];
    if (option == PR_SET_SECCOMP) {
        if (a[1] == SECCOMP_MODE_STRICT || a[1] == SECCOMP_MODE_FILTER)
            return guest_seccomp_refused(sc, (unsigned)a[1]);
        return -EINVAL;
    }
    if (prctl_passthrough(option))
        return host_result(syscall(SYS_prctl, option, a[1], a[2], a[3], a[4]));
    /* Everything else, among them the arm64 ones (SVE/SME vector lengths,
     * pointer-authentication keys, tagged addresses, MTE), gets what a
     * kernel without the feature answers. */
    if (log_enabled(LOG_UNIMP))
        ferry_log("unsupported prctl option %d\n", option);
    return -EINVAL;
}

#define GUEST_IPC_64 0x100
#define GUEST_IPC_SET 1
#define GUEST_IPC_STAT 2
#define GUEST_SEM_STAT 18
#define GUEST_SEM_STAT_ANY 20

int64_t sys_semctl(SysCall *sc, const uint64_t *a)
{
    int id = (int)a[0], num = (int)a[1], cmd = (int)a[2];
    HostSemidDs h;
    Aarch64SemidDs g;

    switch (cmd & ~GUEST_IPC_64) {
    case GUEST_IPC_STAT: case GUEST_SEM_STAT: case GUEST_SEM_STAT_ANY: {
        long r = syscall(SYS_semctl, id, num, cmd, &h);
        if (r < 0)
            return -errno;
        semid_ds_to_aarch64(&g, &h);
        return copy_to_guest(a[3], &g, sizeof(g)) ? -EFAULT : r;
    }
    case GUEST_IPC_SET:
        if (copy_from_guest(&g, a[3], sizeof(g)) != 0)
            return -EFAULT;
        semid_ds_to_host(&h, &g);
        return host_result(syscall(SYS_semctl, id, num, cmd, &h));
    default:
        /* Values, semaphore arrays (unsigned short) and struct seminfo are
         * the same on both ABIs. */
        return host_result(syscall(SYS_semctl, id, num, cmd, a[3]));
    }
}
