/* ferry bench: the start-up probe -- a static program that prints one line. */
#include <stdio.h>

int main(void)
{
    puts("hello, world");
    return 0;
}
