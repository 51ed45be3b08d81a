/* ferry bench: integer kernel -- a sieve of Eratosthenes, a hash table of
 * 64-bit keys, and a sort of pseudo-random keys; prints one checksum per
 * part.  Usage: intmix SCALE (work grows linearly with SCALE). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t next_random(uint64_t *state)
{
    uint64_t x = *state;               /* xorshift64* */
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1Dull;
}

static uint64_t sieve_checksum(size_t limit)
{
    unsigned char *composite = calloc(limit + 1, 1);
    uint64_t count = 0, sum = 0;
    for (size_t i = 2; i <= limit; i++) {
        if (composite[i])
            continue;
        count++;
        sum += i;
        for (size_t j = i * i; j <= limit; j += i)
            composite[j] = 1;
    }
    free(composite);
    return count * 1000003u + sum;
}

static uint64_t hash_table_checksum(size_t operations)
{
    size_t capacity = 1u << 20;        /* open addressing, linear probing */
    uint64_t *keys = calloc(capacity, sizeof *keys);
    uint32_t *counts = calloc(capacity, sizeof *counts);
    uint64_t state = 88172645463325252ull, checksum = 0;
    for (size_t n = 0; n < operations; n++) {
        uint64_t key = (next_random(&state) % 600000) + 1;
        size_t slot = (key * 0x9E3779B97F4A7C15ull) >> 44;
        while (keys[slot] != 0 && keys[slot] != key)
            slot = (slot + 1) & (capacity - 1);
        keys[slot] = key;
        counts[slot]++;
        checksum = checksum * 31 + counts[slot];
    }
    free(keys);
    free(counts);
    return checksum;
}

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static uint64_t sort_checksum(size_t n)
{
    uint64_t *v = malloc(n * sizeof *v), state = 2463534242ull, checksum = 0;
    for (size_t i = 0; i < n; i++)
        v[i] = next_random(&state);
    qsort(v, n, sizeof *v, compare_u64);
    for (size_t i = 0; i < n; i += 97)
        checksum ^= v[i] + i;
    free(v);
    return checksum;
}

int main(int argc, char **argv)
{
    long scale = argc > 1 ? atol(argv[1]) : 10;
    printf("sieve %llu\n", (unsigned long long)sieve_checksum(2000000u * scale));
    printf("hash  %llu\n", (unsigned long long)hash_table_checksum(1000000u * scale));
    printf("sort  %llu\n", (unsigned long long)sort_checksum(200000u * scale));
    return 0;
}
