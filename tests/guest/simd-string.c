/*
 * glibc's string and memory routines (which use AdvSIMD) on many lengths,
 * alignments and contents, each result checked against a plain byte loop.
 * Prints one line per function with the number of checks; any mismatch is
 * printed and makes the exit status 1.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOVEC __attribute__((noinline, optimize("no-tree-loop-distribute-patterns", "no-tree-vectorize")))

static int failures;
static unsigned long checks;

static void check(const char *fn, int ok, size_t len, size_t align, long got, long want)
{
    checks++;
    if (!ok) {
        failures++;
        if (failures < 30) {
            printf("FAIL %s len=%zu align=%zu got=%ld want=%ld\n", fn, len, align, got, want);
        }
    }
}

NOVEC static size_t ref_strlen(const char *s) { size_t n = 0; while (s[n]) n++; return n; }
NOVEC static size_t ref_strnlen(const char *s, size_t m) { size_t n = 0; while (n < m && s[n]) n++; return n; }
NOVEC static const void *ref_memchr(const void *p, int c, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) if (s[i] == (unsigned char)c) return s + i;
    return NULL;
}
NOVEC static const void *ref_memrchr(const void *p, int c, size_t n)
{
    const unsigned char *s = p;
    while (n--) if (s[n] == (unsigned char)c) return s + n;
    return NULL;
}
NOVEC static const char *ref_strchr(const char *s, int c)
{
    for (;; s++) { if (*s == (char)c) return s; if (!*s) return NULL; }
}
NOVEC static const char *ref_strchrnul(const char *s, int c)
{
    for (;; s++) if (*s == (char)c || !*s) return s;
}
NOVEC static const char *ref_strrchr(const char *s, int c)
{
    const char *r = NULL;
    for (;; s++) { if (*s == (char)c) r = s; if (!*s) return r; }
}
NOVEC static int sign(int x) { return (x > 0) - (x < 0); }
NOVEC static int ref_strcmp(const char *a, const char *b)
{
    while (*a && *a == *b) { a++; b++; }
    return sign((unsigned char)*a - (unsigned char)*b);
}
NOVEC static int ref_strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) { if (*a != *b || !*a) return sign((unsigned char)*a - (unsigned char)*b); }
    return 0;
}
NOVEC static int ref_memcmp(const void *x, const void *y, size_t n)
{
    const unsigned char *a = x, *b = y;
    for (size_t i = 0; i < n; i++) if (a[i] != b[i]) return sign(a[i] - b[i]);
    return 0;
}
NOVEC static int same(const void *x, const void *y, size_t n) { return ref_memcmp(x, y, n) == 0; }
NOVEC static void fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) { seed = seed * 1103515245u + 12345u; p[i] = (unsigned char)((seed >> 16) % 255 + 1); }
}
NOVEC static int all_are(const unsigned char *p, size_t n, int c)
{
    for (size_t i = 0; i < n; i++) if (p[i] != (unsigned char)c) return 0;
    return 1;
}

#define BUF 4200
static unsigned char A[BUF + 64], B[BUF + 64], C[BUF + 64];

static const size_t lens[] = { 0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 23, 31, 32, 33, 47, 48, 63, 64, 65,
                               95, 96, 127, 128, 129, 191, 255, 256, 257, 511, 512, 513, 1000, 1023,
                               1024, 2049, 4095 };
#define NLENS (sizeof(lens) / sizeof(lens[0]))

static void test_strlen_family(void)
{
    unsigned long start = checks;
    for (size_t li = 0; li < NLENS; li++) {
        for (size_t al = 0; al < 33; al++) {
            size_t len = lens[li];
            char *s = (char *)A + al;
            fill(A, BUF + 64, (unsigned)(len * 31 + al));
            s[len] = 0;
            check("strlen", strlen(s) == len, len, al, (long)strlen(s), (long)len);
            size_t lim = len / 2 + al;
            check("strnlen", strnlen(s, lim) == ref_strnlen(s, lim), len, al, (long)strnlen(s, lim), (long)ref_strnlen(s, lim));
            check("rawmemchr", rawmemchr(s, 0) == s + len, len, al, 0, 0);
            int c = len ? (unsigned char)s[len * 2 / 3] : 'x';
            check("strchr", strchr(s, c) == ref_strchr(s, c), len, al, strchr(s, c) - s, ref_strchr(s, c) - s);
            check("strchr0", strchr(s, 0) == s + len, len, al, 0, 0);
            check("strchrnul", strchrnul(s, c + 1) == ref_strchrnul(s, c + 1), len, al, 0, 0);
            check("strrchr", strrchr(s, c) == ref_strrchr(s, c), len, al, strrchr(s, c) - s, ref_strrchr(s, c) - s);
            check("memchr", memchr(s, c, len) == ref_memchr(s, c, len), len, al, 0, 0);
            check("memchr-miss", memchr(s, 0, len) == ref_memchr(s, 0, len), len, al, 0, 0);
            check("memrchr", memrchr(s, c, len) == ref_memrchr(s, c, len), len, al, 0, 0);
        }
    }
    printf("strlen/strchr/memchr family: %lu checks\n", checks - start);
}

static void test_copy_family(void)
{
    unsigned long start = checks;
    for (size_t li = 0; li < NLENS; li++) {
        for (size_t da = 0; da < 17; da++) {
            for (size_t sa = 0; sa < 17; sa += 3) {
                size_t len = lens[li];
                fill(A, BUF + 64, (unsigned)(len + sa));
                memset(B, 0xee, sizeof(B));
                memcpy(B + da, A + sa, len);
                check("memcpy", same(B + da, A + sa, len) && all_are(B, da, 0xee) &&
                      all_are(B + da + len, 20, 0xee), len, da, 0, 0);
                /* overlapping moves both ways */
                memcpy(C, A, BUF);
                memmove(C + da, C + sa, len);
                check("memmove", same(C + da, A + sa, len), len, da, 0, 0);
                memset(B + da, (int)(len & 0xff), len);
                check("memset", all_are(B + da, len, (int)(len & 0xff)) && all_are(B, da, 0xee) &&
                      all_are(B + da + len, 20, 0xee), len, da, 0, 0);
                A[sa + len] = 0;
                memset(B, 0xee, sizeof(B));
                char *e = stpcpy((char *)B + da, (char *)A + sa);
                check("stpcpy", e == (char *)B + da + ref_strlen((char *)A + sa) &&
                      ref_strcmp((char *)B + da, (char *)A + sa) == 0 && B[da + len + 1] == 0xee, len, da, 0, 0);
                strcpy((char *)C + da, (char *)A + sa);
                check("strcpy", ref_strcmp((char *)C + da, (char *)A + sa) == 0, len, da, 0, 0);
            }
        }
    }
    printf("memcpy/memmove/memset/strcpy family: %lu checks\n", checks - start);
}

static void test_compare_family(void)
{
    unsigned long start = checks;
    for (size_t li = 0; li < NLENS; li++) {
        for (size_t a1 = 0; a1 < 17; a1 += 2) {
            for (size_t a2 = 0; a2 < 17; a2 += 5) {
                size_t len = lens[li];
                char *x = (char *)A + a1, *y = (char *)B + a2;
                fill((unsigned char *)x, len + 1, (unsigned)len);
                fill((unsigned char *)y, len + 1, (unsigned)len);
                x[len] = y[len] = 0;
                check("strcmp-eq", strcmp(x, y) == 0, len, a1, strcmp(x, y), 0);
                check("memcmp-eq", memcmp(x, y, len) == 0, len, a1, 0, 0);
                if (len) {
                    size_t at = (len * 7 + a2) % len;
                    y[at] = (char)(y[at] + (at & 1 ? 1 : -1));
                    if (!y[at]) y[at] = 1;
                    check("strcmp", sign(strcmp(x, y)) == ref_strcmp(x, y), len, a1, strcmp(x, y), ref_strcmp(x, y));
                    check("strncmp", sign(strncmp(x, y, at + 1)) == ref_strncmp(x, y, at + 1), len, a1, 0, 0);
                    check("strncmp-short", strncmp(x, y, at) == 0, len, a1, 0, 0);
                    check("memcmp", sign(memcmp(x, y, len)) == ref_memcmp(x, y, len), len, a1,
                          memcmp(x, y, len), ref_memcmp(x, y, len));
                }
            }
        }
    }
    printf("strcmp/strncmp/memcmp family: %lu checks\n", checks - start);
}

static int cmp_int(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

static void test_misc(void)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%f %g %e %.17g %a", 3.14159, 2.5e-7, 1e300, 0.1, 1.0 / 3);
    printf("printf: %s\n", buf);
    printf("strtod: %.17g %.17g %.17g\n", strtod("1e-310", NULL), strtod("123456789.987654321", NULL),
           strtod("0x1.fffffffffffffp1023", NULL));
    int v[1000];
    for (int i = 0; i < 1000; i++) v[i] = (i * 7919) % 1000;
    qsort(v, 1000, sizeof(int), cmp_int);
    int sorted = 1;
    for (int i = 0; i < 1000; i++) sorted &= v[i] == i;
    printf("qsort: %s\n", sorted ? "sorted" : "NOT SORTED");
    printf("strstr: %ld %ld\n", strstr("the quick brown fox jumps", "fox") - (char *)"the quick brown fox jumps",
           (long)(strstr("aaaaaaaaaaaaaaaaaaaaaaab", "aab") != NULL));
    printf("strspn: %zu %zu\n", strspn("abcabcxyz", "abc"), strcspn("hello, world", " ,"));
}

int main(void)
{
    test_strlen_family();
    test_copy_family();
    test_compare_family();
    test_misc();
    printf("%s\n", failures ? "FAILED" : "all passed");
    return failures != 0;
}
