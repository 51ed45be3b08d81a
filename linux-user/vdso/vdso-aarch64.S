/*
 * ferry's guest vDSO (arm64 code, built by aarch64-linux-gnu-gcc at build
 * time and embedded in ferry-aarch64).  It exports what the arm64 kernel's
 * vDSO exports, under the same version (LINUX_2.6.39), so the guest's C
 * library finds it by name and version:
 *
 *   __kernel_rt_sigreturn   the return path of a signal handler (the
 *                           "mov x8, #139; svc #0" pair unwinders look for)
 *   __kernel_clock_gettime  CLOCK_MONOTONIC without a system call: ferry's
 *                           CNTVCT_EL0 counts nanoseconds of the host's
 *                           CLOCK_MONOTONIC at CNTFRQ_EL0 = 1 GHz, so one MRS
 *                           reads the same clock the syscall would.  Every
 *                           other clock (and any other counter frequency)
 *                           takes the system call.
 *   __kernel_gettimeofday   the system call
 *   __kernel_clock_getres   the system call
 */

#define NR_CLOCK_GETTIME  113
#define NR_CLOCK_GETRES   114
#define NR_RT_SIGRETURN   139
#define NR_GETTIMEOFDAY   169
#define CLOCK_MONOTONIC   1
#define NSEC_PER_SEC_LO   0xca00      /* 1000000000 = 0x3b9aca00 */
#define NSEC_PER_SEC_HI   0x3b9a

    .text

/* A nop before the trampoline, as in the kernel's vDSO: an unwinder that
 * looks one instruction before a return address stays inside the symbol. */
    .p2align 2
    nop
    .globl __kernel_rt_sigreturn
    .type __kernel_rt_sigreturn, %function
__kernel_rt_sigreturn:
    mov     x8, #NR_RT_SIGRETURN
    svc     #0
    .size __kernel_rt_sigreturn, . - __kernel_rt_sigreturn

/* int __kernel_clock_gettime(clockid_t id, struct timespec *ts) */
    .p2align 2
    .globl __kernel_clock_gettime
    .type __kernel_clock_gettime, %function
__kernel_clock_gettime:
    cmp     w0, #CLOCK_MONOTONIC
    b.ne    1f
    movz    x3, #NSEC_PER_SEC_LO
    movk    x3, #NSEC_PER_SEC_HI, lsl #16
    mrs     x4, cntfrq_el0
    cmp     x4, x3
    b.ne    1f
    mrs     x2, cntvct_el0
    udiv    x4, x2, x3              /* tv_sec */
    msub    x5, x4, x3, x2          /* tv_nsec */
    stp     x4, x5, [x1]
    mov     w0, #0
    ret
1:  mov     x8, #NR_CLOCK_GETTIME
    svc     #0
    ret
    .size __kernel_clock_gettime, . - __kernel_clock_gettime

/* int __kernel_gettimeofday(struct timeval *tv, struct timezone *tz) */
    .p2align 2
    .globl __kernel_gettimeofday
    .type __kernel_gettimeofday, %function
__kernel_gettimeofday:
    mov     x8, #NR_GETTIMEOFDAY
    svc     #0
    ret
    .size __kernel_gettimeofday, . - __kernel_gettimeofday

/* int __kernel_clock_getres(clockid_t id, struct timespec *res) */
    .p2align 2
    .globl __kernel_clock_getres
    .type __kernel_clock_getres, %function
__kernel_clock_getres:
    mov     x8, #NR_CLOCK_GETRES
    svc     #0
    ret
    .size __kernel_clock_getres, . - __kernel_clock_getres

    .section .note.GNU-stack, "", %progbits
