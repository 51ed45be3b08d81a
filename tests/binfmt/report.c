/*
 * Guest program for the binfmt_misc test: prints how the kernel and ferry
 * started it (argv, credentials from the auxiliary vector, whether any
 * FERRY_* variable reached it).  With "exec-child" as its only argument it
 * first executes itself again through /proc/self/exe as "report child".
 */
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "exec-child") == 0) {
        char *child_argv[] = { "report", "child", NULL };
        execv("/proc/self/exe", child_argv);
        perror("execv /proc/self/exe");
        return 1;
    }
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
    printf("AT_UID=%lu AT_EUID=%lu AT_SECURE=%lu\n", getauxval(AT_UID), getauxval(AT_EUID),
           getauxval(AT_SECURE));
    printf("getuid=%d geteuid=%d\n", (int)getuid(), (int)geteuid());
    int ferry_vars = 0;
    for (char **e = environ; *e; e++) ferry_vars += strncmp(*e, "FERRY_", 6) == 0;
    printf("FERRY_ variables seen: %d\n", ferry_vars);
    return 0;
}
