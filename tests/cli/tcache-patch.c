/*
 * Guest program for the translation-cache test: a program that patches its
 * own text.  It calls value() (mov w0, #1; ret), makes the page writable,
 * rewrites the immediate to 2, makes it executable again and calls value()
 * once more, printing both results: "1 2" on every run.  A later run must
 * not start with the translation of the patched code that an earlier run
 * left in the file.
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

__attribute__((noinline, aligned(64))) static int value(void)
{
    return 1;
}

int main(void)
{
    int (*volatile fn)(void) = value;
    int before = fn();
    uint32_t *code = (uint32_t *)(uintptr_t)value;
    uintptr_t page = (uintptr_t)code & ~(uintptr_t)4095;
    if (mprotect((void *)page, 8192, PROT_READ | PROT_WRITE | PROT_EXEC) != 0) {
        perror("mprotect");
        return 2;
    }
    if ((code[0] & 0xffe0001fu) != 0x52800000u) {      /* mov w0, #imm16 */
        fprintf(stderr, "value() starts with %#x, not mov w0, #imm\n", code[0]);
        return 2;
    }
    code[0] = 0x52800040u;                              /* mov w0, #2 */
    __builtin___clear_cache((char *)code, (char *)(code + 1));
    mprotect((void *)page, 8192, PROT_READ | PROT_EXEC);
    printf("%d %d\n", before, fn());
    return 0;
}
