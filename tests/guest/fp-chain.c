/*
 * Chains of scalar FP instructions inside one block, where each result
 * feeds the next (ferry keeps such values in host registers within a
 * block): special values (NaNs that take the rare path in the middle of a
 * chain, denormals, infinities), single and double views of the same
 * registers, fused multiply-adds, loads and stores of S/D/Q registers, and
 * ops that write a register behind the chain's back (INS, FABS).  Runs
 * under FPCR default, DN and FZ; prints one hash line per mode (with an
 * argument, every result).  Expected output from qemu-aarch64-static.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const uint64_t vals[] = {
    0x3ff8000000000000, 0xc004000000000000, 0x0000000000000001, 0x7ff0000000000000,
    0x7ff4000000000abc, 0xfff8000000000123, 0x8000000000000000, 0x0010000000000000,
    0x7fefffffffffffff, 0x3f800000bf000000,
};
#define NV (sizeof(vals) / sizeof(vals[0]))
#define NOUT 28

static void chain(const uint64_t *in, uint64_t *out)
{
    __asm__ volatile(
        "ldr d0, [%0]\n"
        "ldr d1, [%0, #8]\n"
        "ldp d2, d3, [%0, #16]\n"
        "ldr s23, [%0, #4]\n"
        "fadd d4, d0, d1\n"
        "fmul d5, d4, d2\n"
        "fsub d6, d5, d0\n"
        "fdiv d7, d6, d3\n"
        "fmadd d16, d4, d5, d7\n"
        "fnmul d17, d16, d1\n"
        "fsqrt d18, d17\n"
        "fmsub d19, d18, d2, d4\n"
        "fadd s20, s4, s5\n"
        "fmul d21, d20, d19\n"
        "fnmadd s22, s20, s0, s1\n"
        "fmul d24, d23, d0\n"
        "fmul s25, s23, s2\n"
        "stp d4, d5, [%1]\n"
        "str d6, [%1, #16]\n"
        "str s7, [%1, #24]\n"
        "ins v4.s[1], v23.s[0]\n"
        "fadd d26, d4, d4\n"
        "fabs d5, d1\n"
        "fmul d27, d5, d26\n"
        "fnmsub d28, d27, d3, d6\n"
        "fdiv s29, s28, s22\n"
        "fsqrt s30, s29\n"
        "fadd d31, d30, d28\n"
        "str q16, [%1, #32]\n"
        "stp q17, q18, [%1, #48]\n"
        "stp q19, q20, [%1, #80]\n"
        "stp q21, q22, [%1, #112]\n"
        "stp q24, q25, [%1, #144]\n"
        "stp q26, q27, [%1, #176]\n"
        "stur d28, [%1, #28]\n"
        "str d29, [%1, #36]\n"
        "str q30, [%1, #160]\n"
        "str d31, [%1, #8]\n"
        : : "r"(in), "r"(out)
        : "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v16", "v17", "v18", "v19", "v20",
          "v21", "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31", "memory");
}

static uint64_t fpcr_get(void) { uint64_t v; __asm__ volatile("mrs %0, fpcr" : "=r"(v)); return v; }
static void fpcr_set(uint64_t v) { __asm__ volatile("msr fpcr, %0" : : "r"(v)); }
static uint64_t fpsr_get(void) { uint64_t v; __asm__ volatile("mrs %0, fpsr" : "=r"(v)); return v; }
static void fpsr_set(uint64_t v) { __asm__ volatile("msr fpsr, %0" : : "r"(v)); }

int main(int argc, char **argv)
{
    static const struct { const char *name; uint64_t fpcr; } modes[] = {
        { "default", 0 }, { "dn", 1u << 25 }, { "fz", 1u << 24 }, { "fz+dn", 3u << 24 },
    };
    uint64_t saved = fpcr_get();
    for (unsigned mi = 0; mi < sizeof(modes) / sizeof(modes[0]); mi++) {
        uint64_t hash = 1469598103934665603ull;
        for (unsigned a = 0; a < NV; a++)
            for (unsigned b = 0; b < NV; b++)
                for (unsigned c = 0; c < NV; c += 3)
                    for (unsigned d = 0; d < NV; d += 2) {
                        uint64_t in[4] = { vals[a], vals[b], vals[(c + a) % NV], vals[d] };
                        uint64_t out[NOUT];
                        memset(out, 0x5a, sizeof(out));
                        fpcr_set(modes[mi].fpcr);
                        fpsr_set(0);
                        chain(in, out);
                        uint64_t fpsr = fpsr_get();
                        fpcr_set(saved);
                        for (int i = 0; i < NOUT; i++) {
                            hash = (hash ^ out[i]) * 1099511628211ull;
                        }
                        hash = (hash ^ fpsr) * 1099511628211ull;
                        if (argc > 1) {
                            printf("%s %u %u %u %u:", modes[mi].name, a, b, c, d);
                            for (int i = 0; i < NOUT; i++) {
                                printf(" %016llx", (unsigned long long)out[i]);
                            }
                            printf(" fpsr %llx\n", (unsigned long long)fpsr);
                        }
                    }
        printf("%s %016llx\n", modes[mi].name, (unsigned long long)hash);
    }
    return 0;
}
