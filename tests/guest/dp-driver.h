/*
 * Driver for the data-processing guest tests, included once by each test
 * program (dp-imm.c, dp-reg.c) next to its stubs.  It runs every stub
 * registered in the dp_tab section (see dp-harness.inc) over a fixed set of
 * edge-value inputs and prints, per group of stubs, the number of stubs and
 * an FNV-1a hash of every result and NZCV value.  The expected output comes
 * from running the same program on a reference AArch64 implementation.
 *
 *   dp-imm          one line per group
 *   dp-imm -v       one line per stub and input (to find a disagreement)
 */
#ifndef FERRY_TESTS_GUEST_DP_DRIVER_H
#define FERRY_TESTS_GUEST_DP_DRIVER_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

struct dp_result {
    uint64_t value;
    uint64_t nzcv;
};

typedef struct dp_result (*dp_stub_fn)(uint64_t d, uint64_t n, uint64_t m,
                                       uint64_t a, uint64_t nzcv);

struct dp_entry {
    dp_stub_fn fn;
    const char *group;
    uint64_t kind;
};

extern const struct dp_entry __start_dp_tab[], __stop_dp_tab[];

enum { KIND_ONE = 1, KIND_PAIR = 2, KIND_PAIR_ALL_FLAGS = 3 };

static const uint64_t edge_values[] = {
    0, 1, 2, 3, 31, 32, 63, 64, 65, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
    0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull, 0x00000000fffffffeull,
    0xffffffff00000001ull, 0x7fffffffffffffffull, 0x8000000000000000ull,
    0x8000000000000001ull, 0xffffffffffffffffull, 0xfffffffffffffffeull,
    0x0123456789abcdefull, 0xfedcba9876543210ull, 0x5555555555555555ull,
    0xaaaaaaaaaaaaaaaaull, 0x00ff00ff00ff00ffull, 0x8000000080000000ull,
};
enum { N_EDGE = sizeof(edge_values) / sizeof(edge_values[0]) };

struct run_state {
    int verbose;
    uint64_t hash;
};

static void hash_u64(struct run_state *st, uint64_t v)
{
    for (int i = 0; i < 8; i++) {
        st->hash ^= (v >> (8 * i)) & 0xff;
        st->hash *= 0x100000001b3ull;
    }
}

static void run_one(struct run_state *st, const struct dp_entry *e, unsigned index,
                    uint64_t d, uint64_t n, uint64_t m, uint64_t a, uint64_t nzcv)
{
    struct dp_result r = e->fn(d, n, m, a, nzcv);
    hash_u64(st, r.value);
    hash_u64(st, r.nzcv);
    if (st->verbose) {
        /* The first instruction after the stub's MSR is the one under test. */
        uint32_t word;
        memcpy(&word, (const char *)e->fn + 4, 4);
        printf("%s #%u %08x d=%016" PRIx64 " n=%016" PRIx64 " m=%016" PRIx64
               " a=%016" PRIx64 " f=%x -> %016" PRIx64 " f=%x\n",
               e->group, index, word, d, n, m, a, (unsigned)(nzcv >> 28),
               r.value, (unsigned)(r.nzcv >> 28));
    }
}

static void run_stub(struct run_state *st, const struct dp_entry *e, unsigned index)
{
    switch (e->kind) {
    case KIND_ONE:
        for (unsigned i = 0; i < N_EDGE; i++) {
            run_one(st, e, index, edge_values[(i * 7 + 3) % N_EDGE], edge_values[i],
                    edge_values[(i * 5 + 1) % N_EDGE], edge_values[(i * 11 + 2) % N_EDGE],
                    (uint64_t)(i % 16) << 28);
        }
        break;
    case KIND_PAIR:
        for (unsigned i = 0; i < N_EDGE; i++) {
            for (unsigned j = 0; j < N_EDGE; j++) {
                run_one(st, e, index, edge_values[(i + j) % N_EDGE], edge_values[i],
                        edge_values[j], edge_values[(i * 3 + j) % N_EDGE],
                        (uint64_t)((i * N_EDGE + j) % 16) << 28);
            }
        }
        break;
    default:
        for (unsigned i = 0; i < N_EDGE; i += 2) {
            for (unsigned j = 1; j < N_EDGE; j += 2) {
                for (uint64_t f = 0; f < 16; f++) {
                    run_one(st, e, index, edge_values[(i + j) % N_EDGE], edge_values[i],
                            edge_values[j], edge_values[(i * 3 + j) % N_EDGE], f << 28);
                }
            }
        }
        break;
    }
}

int main(int argc, char **argv)
{
    struct run_state st = { .verbose = argc > 1 && strcmp(argv[1], "-v") == 0 };
    const struct dp_entry *e = __start_dp_tab;
    unsigned total = 0;

    while (e < __stop_dp_tab) {
        const char *group = e->group;
        unsigned count = 0;
        st.hash = 0xcbf29ce484222325ull;
        for (; e < __stop_dp_tab && strcmp(e->group, group) == 0; e++, count++) {
            run_stub(&st, e, count);
        }
        if (!st.verbose) {
            printf("%-24s %5u %016" PRIx64 "\n", group, count, st.hash);
        }
        total += count;
    }
    printf("stubs %u\n", total);
    return 0;
}

#endif
