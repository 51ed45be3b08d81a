/*
 * Guest program: prints what it was started with (argv, environment,
 * auxiliary vector values that do not vary between runs) so the CLI test
 * can check -0, -E, -U, the removal of FERRY_* variables and the auxv.
 */
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
    for (char **e = environ; *e; e++) printf("env %s\n", *e);

    const unsigned char *random = (const unsigned char *)getauxval(AT_RANDOM);
    const char *platform = (const char *)getauxval(AT_PLATFORM);
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    printf("AT_PAGESZ=%lu\n", getauxval(AT_PAGESZ));
    printf("AT_CLKTCK=%lu\n", getauxval(AT_CLKTCK));
    printf("AT_PLATFORM=%s\n", platform ? platform : "(none)");
    printf("AT_EXECFN is the program: %s\n", execfn && strstr(execfn, "startup") ? "yes" : "no");
    printf("AT_RANDOM present: %s\n", random ? "yes" : "no");
    printf("AT_SECURE=%lu\n", getauxval(AT_SECURE));
    printf("AT_UID matches: %s\n", getauxval(AT_UID) == (unsigned long)getuid() ? "yes" : "no");
    printf("AT_HWCAP has FP and ASIMD: %s\n", (getauxval(AT_HWCAP) & 3) == 3 ? "yes" : "no");
    printf("AT_PHDR set: %s\n", getauxval(AT_PHDR) ? "yes" : "no");
    printf("stack is 16-byte aligned: %s\n", ((unsigned long)__builtin_frame_address(0) & 15) == 0 ? "yes" : "no");
    return 0;
}
