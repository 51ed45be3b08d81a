/*
 * Guest program that dies the way its argument says: udf (SIGILL), hlt
 * (SIGILL), brk (SIGTRAP), segv (SIGSEGV).  The CLI test checks ferry dies
 * of the same signal as a native arm64 run.
 */
#include <string.h>

int main(int argc, char **argv)
{
    const char *how = argc > 1 ? argv[1] : "";
    if (strcmp(how, "udf") == 0) __asm__ volatile("udf #0");
    if (strcmp(how, "hlt") == 0) __asm__ volatile("hlt #0");
    if (strcmp(how, "brk") == 0) __asm__ volatile("brk #0");
    if (strcmp(how, "segv") == 0) return *(volatile int *)16;
    return 3;
}
