/*
 * __int128 arithmetic: multiplication (MUL/UMULH/SMULH), division and
 * remainder through libgcc (__divti3, __udivti3, __modti3, __umodti3),
 * shifts by variable amounts across the 64-bit boundary, add/subtract with
 * carries, comparisons and conversions to and from double, on values near
 * the edges.  The expected output comes from qemu-aarch64-static.
 */
#include <stdint.h>
#include <stdio.h>

typedef unsigned __int128 u128;
typedef __int128 s128;

static void p(const char *name, u128 v)
{
    printf("%-8s %016llx%016llx\n", name, (unsigned long long)(v >> 64), (unsigned long long)v);
}

static volatile uint64_t seeds[] = {
    0, 1, 2, 3, 0x7fffffffffffffffull, 0x8000000000000000ull, 0xffffffffffffffffull,
    0x123456789abcdef0ull, 0xfedcba9876543210ull, 1000000007ull, 0x100000000ull, 0xdeadbeefull,
};
enum { NS = sizeof(seeds) / sizeof(seeds[0]) };

static u128 make(int i, int j) { return (u128)seeds[i] << 64 | seeds[j]; }

int main(void)
{
    for (int i = 0; i < NS; i++) {
        for (int j = 0; j < NS; j += 3) {
            u128 a = make(i, j), b = make((j + 5) % NS, (i + 2) % NS);
            s128 sa = (s128)a, sb = (s128)b;
            printf("-- %d %d\n", i, j);
            p("add", a + b);
            p("sub", a - b);
            p("mul", a * b);
            p("mul64", (u128)seeds[i] * seeds[j]);
            p("smul64", (u128)((s128)(int64_t)seeds[i] * (int64_t)seeds[j]));
            if (b) {
                p("udiv", a / b);
                p("umod", a % b);
            }
            if (sb && !(sa == (s128)((u128)1 << 127) && sb == -1)) {
                p("sdiv", (u128)(sa / sb));
                p("smod", (u128)(sa % sb));
            }
            if (seeds[j]) {
                p("udiv64", a / seeds[j]);
            }
            unsigned sh = (unsigned)(seeds[j] * 7 + i) & 127;
            p("shl", a << sh);
            p("lshr", a >> sh);
            p("ashr", (u128)(sa >> sh));
            printf("cmp      %d %d %d\n", a < b, sa < sb, a == b);
            printf("todbl    %a %a\n", (double)a, (double)sa);
        }
    }
    volatile double d = 1.2345678901234567e30, nd = -8.5e37;
    p("fromdbl", (u128)d);
    p("sfromdbl", (u128)(s128)nd);
    return 0;
}
