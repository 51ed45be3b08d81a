/*
 * Guest test of synchronous signals and the signal frame: SIGSEGV from a
 * NULL dereference (si_code, si_addr, fault_address) left through
 * siglongjmp, SIGILL from UDF and SIGTRAP from BRK resumed by moving the
 * PC in the ucontext, a register changed in the ucontext, NZCV and FP/SIMD
 * registers preserved across a handler that uses them, the frame's layout
 * (fpsimd record, x29 frame record, 16-byte alignment), sigaltstack with
 * SA_ONSTACK, and a stack overflow caught on the alternate stack.
 * Self-checking; one line per check.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>
#include <asm/sigcontext.h>

#include "sys-check.h"

/* The faults and the endless recursion below are the point of the test. */
#pragma GCC diagnostic ignored "-Winfinite-recursion"
#pragma GCC diagnostic ignored "-Warray-bounds"

static sigjmp_buf jump;
static volatile int got_sig, got_code;
static volatile uintptr_t got_addr, got_fault_address, got_pc;

static void on_segv(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    got_sig = sig;
    got_code = si->si_code;
    got_addr = (uintptr_t)si->si_addr;
    got_fault_address = uc->uc_mcontext.fault_address;
    got_pc = uc->uc_mcontext.pc;
    siglongjmp(jump, 1);
}

static void test_null_deref(void)
{
    struct sigaction sa = { 0 };
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    volatile int *p = (volatile int *)16;
    if (sigsetjmp(jump, 1) == 0) {
        (void)*p;
        check(0, "NULL dereference faulted");
    }
    check(got_sig == SIGSEGV && got_code == SEGV_MAPERR, "SIGSEGV with SEGV_MAPERR");
    check(got_addr == 16 && got_fault_address == 16, "si_addr and fault_address = 16");

    /* A write to a read-only page: SEGV_ACCERR. */
    static const int ro = 5;
    if (sigsetjmp(jump, 1) == 0) {
        *(volatile int *)&ro = 6;
        check(0, "write to rodata faulted");
    }
    check(got_code == SEGV_ACCERR && got_addr == (uintptr_t)&ro, "SEGV_ACCERR at the rodata address");
    /* The mask was restored by siglongjmp: a second fault works too. */
    if (sigsetjmp(jump, 1) == 0)
        (void)*p;
    check(got_sig == SIGSEGV, "second fault after siglongjmp");
    signal(SIGSEGV, SIG_DFL);
}

/* Resume after the faulting instruction, optionally setting x0. */
static volatile long set_x0 = -1;
static void skip_insn(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    got_sig = sig;
    got_code = si->si_code;
    got_addr = (uintptr_t)si->si_addr;
    got_pc = uc->uc_mcontext.pc;
    uc->uc_mcontext.pc += 4;
    if (set_x0 >= 0)
        uc->uc_mcontext.regs[0] = (unsigned long)set_x0;
}

static void test_udf_brk(void)
{
    struct sigaction sa = { 0 };
    sa.sa_sigaction = skip_insn;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGTRAP, &sa, NULL);

    uintptr_t at;
    long x0;
    set_x0 = 42;
    __asm__ volatile("mov x0, #7\n adr %0, 1f\n1: udf #0\n mov %1, x0"
                     : "=&r"(at), "=r"(x0) : : "x0", "memory");
    /* The kernel's do_undefinstr sends ILL_ILLOPC (qemu-user says ILL_ILLOPN). */
    check(got_sig == SIGILL && got_code == ILL_ILLOPC, "udf: SIGILL ILL_ILLOPC");
    check(got_addr == at && got_pc == at, "udf: si_addr and pc = the udf");
    check(x0 == 42, "x0 changed in the ucontext is seen after return");

    set_x0 = -1;
    got_sig = 0;
    __asm__ volatile("adr %0, 1f\n1: brk #0x3e8" : "=r"(at) : : "memory");
    check(got_sig == SIGTRAP && got_code == TRAP_BRKPT, "brk: SIGTRAP TRAP_BRKPT");
    check(got_pc == at, "brk: pc = the brk");
    signal(SIGILL, SIG_DFL);
    signal(SIGTRAP, SIG_DFL);
}

/* The handler clobbers NZCV and v8..v31 and inspects its own frame. */
static volatile int frame_ok, fpsimd_ok;
static void clobber(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    struct fpsimd_context *fp = (struct fpsimd_context *)uc->uc_mcontext.__reserved;
    struct _aarch64_ctx *end = &fp->head;
    for (int i = 0; i < 16 && end->magic; i++)         /* other records may follow */
        end = (struct _aarch64_ctx *)((char *)end + end->size);
    uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
    frame_ok = ((uintptr_t)uc & 15) == 0 && (uintptr_t)si + 128 == (uintptr_t)uc && sp < (uintptr_t)si;
    fpsimd_ok = fp->head.magic == FPSIMD_MAGIC && fp->head.size == 528 &&
                end->magic == 0 && end->size == 0 &&
                fp->vregs[16] == (((__uint128_t)0x1111222233334444ull << 64) | 0x5555666677778888ull);
    volatile double d = 1.0;
    for (int i = 0; i < 10; i++)
        d = d * 3.5 + si->si_signo;
    __asm__ volatile("movi v16.16b, #0x55\n movi v31.16b, #0xaa\n cmp xzr, xzr\n fmov d8, #2.0"
                     : : : "v8", "v16", "v31", "cc");
}

static void test_state_preserved(void)
{
    struct sigaction sa = { 0 };
    sa.sa_sigaction = clobber;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    uint64_t lo, hi, nzcv;
    pid_t tid = gettid(), pid = getpid();
    /* v16 = pattern, NZCV = N and C set, then tgkill in the same asm so
     * the compiler keeps nothing live in between. */
    __asm__ volatile(
        "ldr x9, =0x5555666677778888\n fmov d16, x9\n"
        "ldr x9, =0x1111222233334444\n mov v16.d[1], x9\n"
        "mov x0, %3\n mov x1, %4\n mov x2, #10\n mov x8, #131\n"
        "mov x9, #0xa0000000\n msr nzcv, x9\n"
        "svc #0\n"
        "mrs %2, nzcv\n"
        "fmov %0, d16\n mov %1, v16.d[1]\n"
        : "=r"(lo), "=r"(hi), "=r"(nzcv)
        : "r"((long)pid), "r"((long)tid)
        : "x0", "x1", "x2", "x8", "x9", "v16", "cc", "memory");
    check(lo == 0x5555666677778888ull && hi == 0x1111222233334444ull, "v16 preserved across the handler");
    check(nzcv == 0xa0000000ull, "NZCV preserved across the handler");
    check(fpsimd_ok, "frame holds the fpsimd record (magic, size 528, v16) and the end record");
    check(frame_ok, "frame: ucontext after siginfo, 16-byte aligned, handler below it");
    signal(SIGUSR1, SIG_DFL);
}

static char *alt_base;
static size_t alt_size = 64 * 1024;
static volatile int on_alt, ss_flags_in_handler;
static void on_altstack(int sig)
{
    char here;
    stack_t cur;
    on_alt = (uintptr_t)&here > (uintptr_t)alt_base && (uintptr_t)&here < (uintptr_t)alt_base + alt_size;
    sigaltstack(NULL, &cur);
    ss_flags_in_handler = cur.ss_flags;
}

static void test_sigaltstack(void)
{
    stack_t ss = { .ss_sp = alt_base = malloc(alt_size), .ss_size = alt_size, .ss_flags = 0 };
    check(sigaltstack(&ss, NULL) == 0, "sigaltstack set");
    struct sigaction sa = { 0 };
    sa.sa_handler = on_altstack;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    check(on_alt, "SA_ONSTACK handler runs on the alternate stack");
    check(ss_flags_in_handler == SS_ONSTACK, "sigaltstack reports SS_ONSTACK inside");
    sa.sa_flags = 0;
    sigaction(SIGUSR2, &sa, NULL);
    raise(SIGUSR2);
    check(!on_alt, "without SA_ONSTACK the handler stays on the normal stack");
    stack_t old;
    sigaltstack(NULL, &old);
    check(old.ss_flags == 0 && old.ss_sp == alt_base && old.ss_size == alt_size, "sigaltstack read back");
}

/* Unbounded recursion: SIGSEGV on the alternate stack. */
static volatile int overflow_caught;
static void on_overflow(int sig, siginfo_t *si, void *uc)
{
    char here;
    overflow_caught = (uintptr_t)&here > (uintptr_t)alt_base &&
                      (uintptr_t)&here < (uintptr_t)alt_base + alt_size;
    siglongjmp(jump, 1);
}

static int recurse(volatile char *prev)
{
    volatile char buf[1024];
    buf[0] = prev ? prev[0] + 1 : 0;
    return recurse(buf) + buf[5];
}

static void test_stack_overflow(void)
{
    struct sigaction sa = { 0 };
    sa.sa_sigaction = on_overflow;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigaction(SIGSEGV, &sa, NULL);
    if (sigsetjmp(jump, 1) == 0)
        recurse(NULL);
    check(overflow_caught, "stack overflow caught on the alternate stack");
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    test_null_deref();
    test_udf_brk();
    test_state_preserved();
    test_sigaltstack();
    test_stack_overflow();
    return failures != 0;
}
