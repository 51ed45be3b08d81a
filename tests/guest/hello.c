/*
 * ferry's built-in example: an arm64 program the build compiles with
 * aarch64-linux-gnu-gcc -static and runs under ferry-aarch64.  It prints a
 * greeting, its arguments and a few computed values, and checks the values
 * it knows (exit status 1 if one is wrong).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t fibonacci(unsigned n)
{
    uint64_t a = 0, b = 1;
    for (unsigned i = 0; i < n; i++) {
        uint64_t t = a + b;
        a = b;
        b = t;
    }
    return a;
}

static unsigned count_primes_below(unsigned limit)
{
    char *composite = calloc(limit, 1);
    unsigned count = 0;
    for (unsigned i = 2; i < limit; i++) {
        if (composite[i]) {
            continue;
        }
        count++;
        for (unsigned j = 2 * i; j < limit; j += i) {
            composite[j] = 1;
        }
    }
    free(composite);
    return count;
}

static uint32_t fnv1a(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) {
        h = (h ^ (uint8_t)*s) * 16777619u;
    }
    return h;
}

static int compare_ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int failures = 0;
    const char *name = strrchr(argv[0], '/');

    printf("Hello from arm64, running under ferry!\n");
    printf("argc = %d, program = %s\n", argc, name ? name + 1 : argv[0]);
    for (int i = 1; i < argc; i++) {
        printf("argv[%d] = \"%s\"\n", i, argv[i]);
    }

    uint64_t fib = fibonacci(90);
    printf("fibonacci(90) = %llu\n", (unsigned long long)fib);
    failures += fib != 2880067194370816120ull;

    unsigned primes = count_primes_below(100000);
    printf("primes below 100000 = %u\n", primes);
    failures += primes != 9592;

    printf("fnv1a(\"ferry\") = 0x%08x\n", fnv1a("ferry"));

    volatile uint64_t x = 0xfedcba9876543210ull, y = 0x0123456789abcdefull;
    unsigned __int128 product = (unsigned __int128)x * y;
    printf("x * y = 0x%016llx%016llx, x / 1000 = %llu, x %% 1000 = %llu\n",
           (unsigned long long)(product >> 64), (unsigned long long)product,
           (unsigned long long)(x / 1000), (unsigned long long)(x % 1000));
    volatile int64_t neg = -1234567890123ll;
    printf("signed: %lld / 7 = %lld, >> 3 = %lld\n", (long long)neg,
           (long long)(neg / 7), (long long)(neg >> 3));

    int values[] = { 42, -7, 19, 0, 1000, -300, 5 };
    size_t n = sizeof(values) / sizeof(values[0]);
    qsort(values, n, sizeof(values[0]), compare_ints);
    printf("sorted:");
    for (size_t i = 0; i < n; i++) {
        printf(" %d", values[i]);
    }
    printf("\n");

    volatile double numerator = 22.0;
    printf("22/7 = %.6f\n", numerator / 7);

    printf(failures ? "FAILED %d checks\n" : "all checks passed\n", failures);
    return failures ? 1 : 0;
}
