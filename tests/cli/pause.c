/* A guest that calls a named function, then sleeps for the time given in
 * milliseconds (argv[1]) so that a test can look at ferry from outside. */
#include <stdlib.h>
#include <time.h>

int __attribute__((noinline)) perfmap_marker_function(int n)
{
    int s = 0;
    for (int i = 0; i < n; i++) {
        s += i * i;
    }
    return s;
}

int main(int argc, char **argv)
{
    long ms = argc > 1 ? atol(argv[1]) : 0;
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000 };
    int s = perfmap_marker_function(100);
    nanosleep(&t, NULL);
    return s == 328350 ? 0 : 1;
}
