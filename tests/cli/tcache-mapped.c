/*
 * Guest program for the translation-cache test: maps FILE (two pages) at a
 * fixed address with PROT_EXEC and, given "call", calls the function at the
 * start of its second page (the test writes `mov w0, #42; ret` there).
 * Given "nocall" it only maps it -- with the file cut to one page, the
 * second page of the mapping is past the end of the file (reading it is
 * SIGBUS), and a block the earlier run translated there must not be read.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define BASE ((void *)0x10000000)

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s FILE call|nocall\n", argv[0]);
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) {
        perror(argv[1]);
        return 1;
    }
    void *p = mmap(BASE, 8192, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, fd, 0);
    if (p == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    if (strcmp(argv[2], "call") == 0) {
        int (*f)(void) = (int (*)(void))((char *)p + 4096);
        __builtin___clear_cache((char *)p + 4096, (char *)p + 4104);
        printf("%d\n", f());
    } else {
        printf("mapped\n");
    }
    return 0;
}
