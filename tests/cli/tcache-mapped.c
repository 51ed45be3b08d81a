/*
 * Guest program for the translation-cache test: maps FILE (two pages' worth,
 * whatever its size) at a fixed address with PROT_EXEC and calls the
 * function at byte OFFSET of it, printing what it returns; given "nocall"
 * it only maps it.  With the file cut to one page, the second page of the
 * mapping is past the end of the file (reading it is SIGBUS), and a block
 * an earlier run translated there must not be read.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define BASE ((void *)0x10000000)

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s FILE OFFSET|nocall\n", argv[0]);
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
    if (strcmp(argv[2], "nocall") != 0) {
        char *code = (char *)p + strtol(argv[2], NULL, 0);
        int (*f)(void) = (int (*)(void))code;
        __builtin___clear_cache(code, code + 64);
        printf("%d\n", f());
    } else {
        printf("mapped\n");
    }
    return 0;
}
