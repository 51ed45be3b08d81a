/*
 * ioctl.  arm64 and x86-64 share the asm-generic request numbers and, being
 * both LP64, the argument structures of the common requests (struct
 * termios and termios2, winsize, the FIO* integers), so requests go to the
 * host unchanged.  The names below are for -strace; a request not listed
 * here is still passed through and noted under -d unimp.
 */
#include "syscall/syscall-internal.h"

#include <stdint.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "linux-user/guest-mem.h"
#include "linux-user/log.h"

static const struct { unsigned long req; const char *name; } ioctl_names[] = {
    { 0x5401, "TCGETS" }, { 0x5402, "TCSETS" }, { 0x5403, "TCSETSW" },
    { 0x5404, "TCSETSF" }, { 0x5405, "TCGETA" }, { 0x5406, "TCSETA" },
    { 0x5407, "TCSETAW" }, { 0x5408, "TCSETAF" }, { 0x5409, "TCSBRK" },
    { 0x540A, "TCXONC" }, { 0x540B, "TCFLSH" }, { 0x540C, "TIOCEXCL" },
    { 0x540D, "TIOCNXCL" }, { 0x540E, "TIOCSCTTY" }, { 0x540F, "TIOCGPGRP" },
    { 0x5410, "TIOCSPGRP" }, { 0x5411, "TIOCOUTQ" }, { 0x5412, "TIOCSTI" },
    { 0x5413, "TIOCGWINSZ" }, { 0x5414, "TIOCSWINSZ" }, { 0x5415, "TIOCMGET" },
    { 0x541B, "FIONREAD" }, { 0x541C, "TIOCLINUX" }, { 0x5421, "FIONBIO" },
    { 0x5422, "TIOCNOTTY" }, { 0x5429, "TIOCGSID" }, { 0x802C542A, "TCGETS2" },
    { 0x402C542B, "TCSETS2" }, { 0x402C542C, "TCSETSW2" }, { 0x402C542D, "TCSETSF2" },
    { 0x80045430, "TIOCGPTN" }, { 0x40045431, "TIOCSPTLCK" },
    { 0x5450, "FIONCLEX" }, { 0x5451, "FIOCLEX" }, { 0x5452, "FIOASYNC" },
    { 0x5460, "FIOQSIZE" }, { 0x1260, "BLKGETSIZE" }, { 0x80081272, "BLKGETSIZE64" },
    { 0x1268, "BLKSSZGET" }, { 0x80086601, "FS_IOC_GETFLAGS" },
    { 0x40086602, "FS_IOC_SETFLAGS" },
};

const char *ioctl_request_name(unsigned long req)
{
    for (size_t i = 0; i < sizeof(ioctl_names) / sizeof(ioctl_names[0]); i++)
        if (ioctl_names[i].req == req)
            return ioctl_names[i].name;
    return NULL;
}

int64_t sys_ioctl(SysCall *sc, const uint64_t *a)
{
    /* The request is an unsigned int in the kernel. */
    unsigned long req = (uint32_t)a[1];
    if (!ioctl_request_name(req) && log_enabled(LOG_UNIMP))
        ferry_log("ioctl %#lx on fd %d passed to the host unchanged\n", req, (int)a[0]);
    return host_result(syscall(SYS_ioctl, (int)a[0], req, a[2]));
}
