/*
 * seccomp, no_new_privs and a netlink route dump, as ferry documents them
 * (docs/syscalls.md).  Self-checking, no .expected: ferry refuses to install
 * a seccomp mode (EINVAL, the process keeps running) where an arm64 kernel
 * would install it, so this program's output is ferry's, not a reference
 * emulator's.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "sys-check.h"

/* A filter as an arm64 program writes it: kill anything but arm64, allow
 * every call except getppid, which fails with EPERM. */
static const struct sock_filter arm64_filter[] = {
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_AARCH64, 1, 0),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 173 /* arm64 getppid */, 0, 1),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

static void check_no_new_privs(void)
{
    check(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0, "PR_SET_NO_NEW_PRIVS 1");
    check(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1, "PR_GET_NO_NEW_PRIVS = 1");
}

static void check_seccomp_refused(void)
{
    struct sock_fprog prog = {
        .len = sizeof(arm64_filter) / sizeof(arm64_filter[0]),
        .filter = (struct sock_filter *)arm64_filter,
    };
    int mode_before = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
    uint32_t action = SECCOMP_RET_ERRNO;
    long r;

    check(mode_before == 0 || mode_before == SECCOMP_MODE_FILTER,
          "PR_GET_SECCOMP: no mode, or one inherited from the host");
    check(syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0,
          "SECCOMP_GET_ACTION_AVAIL RET_ERRNO");
    action = 0x12345678;
    errno = 0;
    check(syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == -1 && errno == EOPNOTSUPP,
          "SECCOMP_GET_ACTION_AVAIL of an unknown action: EOPNOTSUPP");

    errno = 0;
    r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
    check(r == -1 && errno == EINVAL, "SECCOMP_SET_MODE_FILTER refused with EINVAL");
    errno = 0;
    r = prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0);
    check(r == -1 && errno == EINVAL, "PR_SET_SECCOMP filter refused with EINVAL");
    errno = 0;
    r = syscall(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 0, NULL);
    check(r == -1 && errno == EINVAL, "SECCOMP_SET_MODE_STRICT refused with EINVAL");
    errno = 0;
    r = prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0);
    check(r == -1 && errno == EINVAL, "PR_SET_SECCOMP strict refused with EINVAL");

    check(getppid() > 0, "getppid still works after the refused filter");
    check(getpid() > 0, "getpid still works");
    check(prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == mode_before, "PR_GET_SECCOMP unchanged");
}

/* Send an RTM_GETADDR dump request for IPv4 and look through the replies
 * for the loopback address. */
static int dump_finds_loopback(int fd)
{
    struct {
        struct nlmsghdr nh;
        struct ifaddrmsg ifa;
    } req = {
        .nh = { .nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg)),
                .nlmsg_type = RTM_GETADDR,
                .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP, .nlmsg_seq = 1 },
        .ifa = { .ifa_family = AF_INET },
    };
    struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
    static char buf[32768];
    int found = 0, newaddr = 0;

    if (sendto(fd, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
        return 0;
    for (;;) {
        ssize_t n = recv(fd, buf, sizeof(buf), 0);
        if (n <= 0)
            return 0;
        for (struct nlmsghdr *nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, (size_t)n);
             nh = NLMSG_NEXT(nh, n)) {
            if (nh->nlmsg_type == NLMSG_DONE)
                return newaddr && found;
            if (nh->nlmsg_type == NLMSG_ERROR || nh->nlmsg_type != RTM_NEWADDR)
                return 0;
            newaddr = 1;
            struct ifaddrmsg *ifa = NLMSG_DATA(nh);
            int len = IFA_PAYLOAD(nh);
            for (struct rtattr *rta = IFA_RTA(ifa); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
                uint32_t addr;
                if (rta->rta_type != IFA_LOCAL || RTA_PAYLOAD(rta) != 4)
                    continue;
                memcpy(&addr, RTA_DATA(rta), 4);
                if (addr == htonl(INADDR_LOOPBACK))
                    found = 1;
            }
        }
    }
}

static void check_netlink_route(void)
{
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    struct sockaddr_nl self = { .nl_family = AF_NETLINK };
    socklen_t len = sizeof(self);

    check(fd >= 0, "socket(AF_NETLINK, NETLINK_ROUTE)");
    check(bind(fd, (struct sockaddr *)&self, sizeof(self)) == 0, "bind sockaddr_nl");
    check(getsockname(fd, (struct sockaddr *)&self, &len) == 0 && len == sizeof(self)
          && self.nl_family == AF_NETLINK && self.nl_pid != 0, "getsockname gives a port id");
    check(dump_finds_loopback(fd), "RTM_GETADDR dump has RTM_NEWADDR 127.0.0.1");
    close(fd);
}

int main(void)
{
    check_no_new_privs();
    check_seccomp_refused();
    check_netlink_route();
    return failures ? 1 : 0;
}
