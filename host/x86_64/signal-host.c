/*
 * x86-64 host signal plumbing for guest signals (see signal-host.h): the
 * sigreturn restorer the host kernel needs for every handler, raw
 * rt_sigaction / rt_sigprocmask, the safe_syscall stub and ucontext access.
 */
#include "host/x86_64/signal-host.h"
#include "host/x86_64/backend.h"
#include "target/aarch64/cpu.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>
#include <sys/syscall.h>

#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000
#endif

/* The restorer: rt_sigreturn (15). */
extern const char ferry_host_restorer[];
__asm__(".text\n"
        ".globl ferry_host_restorer\n"
        ".type ferry_host_restorer, @function\n"
        "ferry_host_restorer:\n"
        "    mov $15, %eax\n"
        "    syscall\n"
        "    hlt\n"
        ".size ferry_host_restorer, .-ferry_host_restorer\n");

/*
 * safe_syscall(flag, nr, a0..a5): SysV arguments rdi=flag rsi=nr rdx=a0
 * rcx=a1 r8=a2 r9=a3 [rsp+8]=a4 [rsp+16]=a5; the kernel wants rax=nr rdi
 * rsi rdx r10 r8 r9.  [safe_syscall_start, safe_syscall_end) is the range
 * in which a signal means "not started".
 */
extern const char safe_syscall_start[], safe_syscall_end[], safe_syscall_interrupted[];
__asm__(".text\n"
        ".globl safe_syscall\n"
        ".type safe_syscall, @function\n"
        "safe_syscall:\n"
        "    .cfi_startproc\n"
        "    push %rbx\n"
        "    .cfi_adjust_cfa_offset 8\n"
        "    .cfi_rel_offset %rbx, 0\n"
        "    mov %rdi, %rbx\n"
        "    mov %rsi, %rax\n"
        "    mov %rdx, %rdi\n"
        "    mov %rcx, %rsi\n"
        "    mov %r8, %rdx\n"
        "    mov %r9, %r10\n"
        "    mov 16(%rsp), %r8\n"
        "    mov 24(%rsp), %r9\n"
        ".globl safe_syscall_start\n"
        "safe_syscall_start:\n"
        "    cmpl $0, (%rbx)\n"
        "    jne safe_syscall_interrupted\n"
        "    syscall\n"
        ".globl safe_syscall_end\n"
        "safe_syscall_end:\n"
        "    pop %rbx\n"
        "    .cfi_adjust_cfa_offset -8\n"
        "    .cfi_restore %rbx\n"
        "    ret\n"
        "    .cfi_adjust_cfa_offset 8\n"
        "    .cfi_rel_offset %rbx, 0\n"
        ".globl safe_syscall_interrupted\n"
        "safe_syscall_interrupted:\n"
        "    mov $-513, %rax\n"
        "    pop %rbx\n"
        "    .cfi_adjust_cfa_offset -8\n"
        "    .cfi_restore %rbx\n"
        "    ret\n"
        "    .cfi_endproc\n"
        ".size safe_syscall, .-safe_syscall\n");

int host_sigaction(int sig, const HostKSigAction *act, HostKSigAction *old)
{
    HostKSigAction a;
    const HostKSigAction *p = act;
    if (act && act->handler != (uint64_t)(uintptr_t)SIG_DFL &&
        act->handler != (uint64_t)(uintptr_t)SIG_IGN) {
        a = *act;
        a.flags |= SA_RESTORER;
        a.restorer = (uint64_t)(uintptr_t)ferry_host_restorer;
        p = &a;
    }
    long r = syscall(SYS_rt_sigaction, sig, p, old, 8);
    return r == 0 ? 0 : -errno;
}

int host_sigprocmask(int how, const uint64_t *set, uint64_t *old)
{
    long r = syscall(SYS_rt_sigprocmask, how, set, old, 8);
    return r == 0 ? 0 : -errno;
}

uintptr_t host_context_pc(const void *uc)
{
    return (uintptr_t)((const ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP];
}

void host_context_set_pc(void *uc, uintptr_t pc)
{
    ((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP] = (greg_t)pc;
}

void host_context_set_result(void *uc, uint64_t rax)
{
    ((ucontext_t *)uc)->uc_mcontext.gregs[REG_RAX] = (greg_t)rax;
}

void host_context_restore_borrowed(void *uc, uint16_t borrowed, const CPUState *env)
{
    /* ucontext's gregs index of each x86 register by number */
    static const int greg_of[16] = {
        REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
        REG_R8, REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15,
    };
    for (int i = 0; i < BACKEND_N_PINNED; i++) {
        X86Reg h = backend_pinned[i].hreg;
        if (borrowed & (1u << h)) {
            const uint64_t *slot = (const uint64_t *)((const char *)env + ENV_XREG_OFF(backend_pinned[i].greg));
            ((ucontext_t *)uc)->uc_mcontext.gregs[greg_of[h]] = (greg_t)*slot;
        }
    }
}

void host_signal_rewind_syscall(void *uc)
{
    uintptr_t pc = host_context_pc(uc);
    if (pc >= (uintptr_t)safe_syscall_start && pc < (uintptr_t)safe_syscall_end)
        host_context_set_pc(uc, (uintptr_t)safe_syscall_interrupted);
}

uint64_t host_context_sigmask(const void *uc)
{
    uint64_t mask;
    memcpy(&mask, &((const ucontext_t *)uc)->uc_sigmask, sizeof mask);
    return mask;
}

void host_context_block(void *uc, int sig)
{
    /* The kernel restores the mask from uc_sigmask as a 64-bit word. */
    uint64_t *mask = (uint64_t *)&((ucontext_t *)uc)->uc_sigmask;
    *mask |= 1ull << (sig - 1);
}
