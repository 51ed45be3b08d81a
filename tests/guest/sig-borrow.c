/*
 * A fault inside a block that needs many registers at once, with x1, x2,
 * x3 and x30 set by an earlier block and not named by the faulting one.
 * The SIGSEGV handler must see them in its ucontext with the values they
 * had, and they must still have them after the handler returns (it skips
 * the faulting load and puts a value in its destination).  Everything is
 * checked against constants, so the program passes exactly when the
 * registers survive.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#define X1 0x1111000011110001ull
#define X2 0x2222000022220002ull
#define X3 0x3333000033330003ull
#define X30 0x3030000030300030ull

static volatile uint64_t seen[4];
static volatile int faults;

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    (void)si;
    ucontext_t *uc = ctx;
    seen[0] = uc->uc_mcontext.regs[1];
    seen[1] = uc->uc_mcontext.regs[2];
    seen[2] = uc->uc_mcontext.regs[3];
    seen[3] = uc->uc_mcontext.regs[30];
    uc->uc_mcontext.regs[17] = 0x1717;  /* what the skipped load "read" */
    uc->uc_mcontext.pc += 4;
    faults++;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    void *hole = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (hole == MAP_FAILED) {
        perror("mmap");
        return 2;
    }
    static uint64_t words[8] = { 1, 2, 4, 8, 16, 32, 64, 128 };
    uint64_t after[4], sum, mix;
    int ok = 1;
    for (int round = 0; round < 3; round++) {
        __asm__ volatile(
            "mov x1, %[x1]\n"
            "mov x2, %[x2]\n"
            "mov x3, %[x3]\n"
            "mov x30, %[x30]\n"
            "b 1f\n"
            /* one block: eight values live at once, then the fault */
            "1: ldr x9, [%[w]]\n"
            "ldr x10, [%[w], #8]\n"
            "ldr x11, [%[w], #16]\n"
            "ldr x12, [%[w], #24]\n"
            "ldr x13, [%[w], #32]\n"
            "ldr x14, [%[w], #40]\n"
            "ldr x15, [%[w], #48]\n"
            "ldr x16, [%[w], #56]\n"
            "add x21, x9, x10, lsl #8\n"
            "add x22, x11, x12, lsl #8\n"
            "add x23, x13, x14, lsl #8\n"
            "add x24, x15, x16, lsl #8\n"
            "ldr x17, [%[hole]]\n"
            "add x21, x21, x9\n"
            "add x22, x22, x10\n"
            "add x23, x23, x11\n"
            "add x24, x24, x12\n"
            "add x25, x13, x14\n"
            "add x25, x25, x15\n"
            "add x25, x25, x16\n"
            "add x25, x25, x17\n"
            "add x21, x21, x22\n"
            "add x23, x23, x24\n"
            "add %[sum], x21, x23\n"
            "mov %[mix], x25\n"
            "b 2f\n"
            "2: stp x1, x2, [%[after]]\n"
            "stp x3, x30, [%[after], #16]\n"
            : [sum] "=&r"(sum), [mix] "=&r"(mix)
            : [x1] "r"(X1), [x2] "r"(X2), [x3] "r"(X3), [x30] "r"(X30),
              [w] "r"(words), [hole] "r"(hole), [after] "r"(after)
            : "x1", "x2", "x3", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16",
              "x17", "x21", "x22", "x23", "x24", "x25", "x30", "memory");
        /* x21 = 1 + 2*256 + 1 = 514, x22 = 4 + 8*256 + 2 = 2054,
         * x23 = 16 + 32*256 + 4 = 8212, x24 = 64 + 128*256 + 8 = 32840,
         * sum = 514 + 2054 + 8212 + 32840; x25 = 16 + 32 + 64 + 128 + 0x1717 */
        ok &= sum == 43620 && mix == 240 + 0x1717;
        ok &= seen[0] == X1 && seen[1] == X2 && seen[2] == X3 && seen[3] == X30;
        ok &= after[0] == X1 && after[1] == X2 && after[2] == X3 && after[3] == X30;
        if (!ok) {
            printf("round %d: sum %llu mix %#llx\n", round, (unsigned long long)sum,
                   (unsigned long long)mix);
            printf("  handler saw x1 %#llx x2 %#llx x3 %#llx x30 %#llx\n",
                   (unsigned long long)seen[0], (unsigned long long)seen[1],
                   (unsigned long long)seen[2], (unsigned long long)seen[3]);
            printf("  after: x1 %#llx x2 %#llx x3 %#llx x30 %#llx\n",
                   (unsigned long long)after[0], (unsigned long long)after[1],
                   (unsigned long long)after[2], (unsigned long long)after[3]);
            return 1;
        }
    }
    printf("faults %d, registers kept\n", faults);
    return faults == 3 ? 0 : 1;
}
