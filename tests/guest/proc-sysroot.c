/*
 * A dynamically linked program run with -L SYSROOT (FERRY_LD_PREFIX): an
 * absolute path names the sysroot's file when one exists there, the
 * host's otherwise.  Run with the arm64 cross libc's root
 * (/usr/aarch64-linux-gnu), where /lib/libc.so.6 is an arm64 library and
 * no /etc exists; the host has no /lib/libc.so.6.  The program's maps name
 * its libraries as it opened them, inside its own root.
 * Argument: the sysroot (to check that nothing shows the host's view).
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/auxv.h>
#include <time.h>

#include "sys-check.h"

static int elf_machine(const char *path)
{
    Elf64_Ehdr eh;
    int fd = open(path, O_RDONLY);
    int ok = fd >= 0 && read(fd, &eh, sizeof eh) == sizeof eh && memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0;
    if (fd >= 0)
        close(fd);
    return ok ? eh.e_machine : -1;
}

int main(int argc, char **argv)
{
    const char *sysroot = argc > 1 ? argv[1] : "/usr/aarch64-linux-gnu";
    struct stat st;

    check(elf_machine("/lib/libc.so.6") == EM_AARCH64, "open /lib/libc.so.6: the sysroot's arm64 libc");
    check(stat("/lib/ld-linux-aarch64.so.1", &st) == 0 && S_ISREG(st.st_mode),
          "stat /lib/ld-linux-aarch64.so.1 (a file of the sysroot)");
    check(access("/lib/libc.so.6", R_OK) == 0, "access /lib/libc.so.6");
    check(access("/etc/passwd", R_OK) == 0, "/etc/passwd: not in the sysroot, so the host's");
    check(access("/lib/no-such-file.so", F_OK) != 0, "a file in neither is missing");
    FILE *f = fopen("/proc/self/maps", "r");
    char line[1024];
    int saw_libc = 0, saw_sysroot = 0;
    while (f && fgets(line, sizeof line, f)) {
        if (strstr(line, " /lib/libc.so.6\n"))
            saw_libc = 1;
        if (strstr(line, sysroot))
            saw_sysroot = 1;
    }
    if (f)
        fclose(f);
    check(saw_libc, "maps: libc named /lib/libc.so.6");
    check(!saw_sysroot, "maps: no path shows the sysroot's host location");
    struct timespec t;
    check(getauxval(AT_SYSINFO_EHDR) != 0 && clock_gettime(CLOCK_MONOTONIC, &t) == 0,
          "clock_gettime in a dynamic program");
    return failures ? 1 : 0;
}
