/*
 * FPCR.FZ switched on after the same FP code already ran with it clear:
 * the code must then flush denormal inputs and tiny results to zero
 * (and raise IDC / UFC), then behave normally again once FZ is cleared.
 * Also FZ set by returning from a signal handler whose frame carries it.
 * Prints results as bit patterns; expected output from the reference.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

static uint64_t get_fpsr(void) { uint64_t v; __asm__ volatile("mrs %0, fpsr" : "=r"(v)); return v; }
static void set_fpsr(uint64_t v) { __asm__ volatile("msr fpsr, %0" :: "r"(v)); }
static uint64_t get_fpcr(void) { uint64_t v; __asm__ volatile("mrs %0, fpcr" : "=r"(v)); return v; }
static void set_fpcr(uint64_t v) { __asm__ volatile("msr fpcr, %0" :: "r"(v)); }

static uint64_t bits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }

/* The same instructions every time: scalar and vector add, multiply, fma. */
static void __attribute__((noinline)) kernel(double a, double b, double c, uint64_t out[5])
{
    double r0, r1, r2;
    __asm__ volatile("fadd %d0, %d3, %d4\n\t"
                     "fmul %d1, %d3, %d4\n\t"
                     "fmadd %d2, %d3, %d4, %d5"
                     : "=&w"(r0), "=&w"(r1), "=&w"(r2) : "w"(a), "w"(b), "w"(c));
    double v[2] = { a, b }, w[2] = { b, a }, s[2];
    __asm__ volatile("ldr q0, [%1]\n\tldr q1, [%2]\n\tfmul v0.2d, v0.2d, v1.2d\n\tstr q0, [%0]"
                     :: "r"(s), "r"(v), "r"(w) : "v0", "v1", "memory");
    out[0] = bits(r0); out[1] = bits(r1); out[2] = bits(r2);
    out[3] = bits(s[0]); out[4] = bits(s[1]);
}

static void run(const char *label)
{
    static const double cases[][3] = {
        { 0x1p-1040, 0x1p-3, 0.0 },        /* denormal input */
        { 0x1p-520, 0x1p-520, 0x1p-1022 }, /* tiny product */
        { 1.5, 2.25, -3.0 },               /* normal */
    };
    for (unsigned i = 0; i < 3; i++) {
        uint64_t out[5];
        set_fpsr(0);
        kernel(cases[i][0], cases[i][1], cases[i][2], out);
        printf("%s case %u: %016llx %016llx %016llx %016llx %016llx fpsr %02llx\n", label, i,
               (unsigned long long)out[0], (unsigned long long)out[1], (unsigned long long)out[2],
               (unsigned long long)out[3], (unsigned long long)out[4],
               (unsigned long long)(get_fpsr() & 0x9f));
    }
}

static void set_fz_on_return(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    struct _aarch64_ctx *h = (struct _aarch64_ctx *)uc->uc_mcontext.__reserved;
    while (h->magic) {
        if (h->magic == FPSIMD_MAGIC) {
            ((struct fpsimd_context *)h)->fpcr |= 1u << 24;
        }
        h = (struct _aarch64_ctx *)((char *)h + h->size);
    }
}

int main(void)
{
    run("fz0");
    set_fpcr(get_fpcr() | (1u << 24));
    run("fz1");
    set_fpcr(get_fpcr() & ~(1u << 24));
    run("fz0 again");
    struct sigaction sa = { .sa_sigaction = set_fz_on_return, .sa_flags = SA_SIGINFO };
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    printf("fpcr after sigreturn %llx\n", (unsigned long long)get_fpcr());
    run("fz1 via sigreturn");
    return 0;
}
