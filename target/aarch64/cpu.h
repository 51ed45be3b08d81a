/*
 * AArch64 guest CPU state: the one struct translated code reads and writes
 * through the pinned state pointer (host r15).  Field order matters for code
 * size: X registers come first so their offsets fit in a disp8 where possible.
 */
#ifndef FERRY_TARGET_AARCH64_CPU_H
#define FERRY_TARGET_AARCH64_CPU_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/* Guest register numbers used by the IR (GET_REG / SET_REG).  0..30 are
 * X0..X30, 31 is SP.  XZR never reaches the IR: the translator turns it into
 * the constant 0 (reads) or drops the write. */
enum { GREG_LR = 30, GREG_SP = 31, GREG_COUNT = 32 };

/*
 * Saved NZCV.  While a block runs, guest NZCV lives in host EFLAGS.  When it
 * has to leave EFLAGS (block end, an instruction that clobbers EFLAGS while
 * the flags are still live) the backend stores it with
 *     lahf; seto al; mov [env->flags_x86], ax
 * after making sure CF holds ARM's C (not its inverse).  So:
 *     bits 15..8 = AH from LAHF: SF(7) ZF(6) CF(0) => N, Z, C
 *     bit  0     = OF            => V
 * and restoring EFLAGS is   mov ax,[..]; add al,0x7f; sahf.
 * C code uses cpu_get_nzcv()/cpu_set_nzcv() and never reads the field raw.
 */
#define FLAGSX86_N 0x8000u
#define FLAGSX86_Z 0x4000u
#define FLAGSX86_C 0x0100u
#define FLAGSX86_V 0x0001u

typedef struct CPUState {
    uint64_t x[GREG_COUNT];   /* X0..X30, then SP at index 31 */
    uint64_t pc;              /* valid whenever translated code has exited */
    uint64_t flags_x86;       /* see above; only the low 16 bits are used */
    uint64_t tpidr_el0;
    uint64_t tpidrro_el0;
    uint32_t fpcr;
    uint32_t fpsr;

    /* Exclusive monitor for LDXR/STXR (compared by value with cmpxchg). */
    uint64_t excl_addr;       /* -1 when the monitor is open */
    uint64_t excl_val[2];
    uint64_t excl_size;       /* access size in bytes (pairs: total) */

    /* Set by the exit that left translated code (see tcg/exec.h). */
    uint64_t exit_info;       /* SVC immediate, BRK immediate, faulting insn */

    /* Asynchronous work pending (signals): checked at block entry. */
    volatile int32_t interrupt_request;
    int32_t pad0;

    /* FP/AdvSIMD registers, 16-byte aligned for movdqa. */
    _Alignas(16) uint64_t v[32][2];

    /* Per-CPU scratch the backend may use (e.g. vector temporaries). */
    _Alignas(16) uint64_t scratch[8][2];

    void *opaque;             /* owner (linux-user thread / process context) */

    /* Host-side state of translated code (host/x86_64/backend.h): its
     * spill slots, and the bounds of the return-address stack that BL/BLR
     * build on the host stack (host_sp: rsp at the base of the current run,
     * host_sp_limit: a call below it starts the stack again from the base). */
    uint64_t host_sp;
    uint64_t host_sp_limit;
    /* the inline indirect-branch table (tcg/tb-internal.h), read by the
     * code rather than built into it, so code does not depend on where
     * the table was mapped */
    uint64_t indirect_table;
    uint64_t indirect_mask;   /* its index mask, shifted left by 2 */
    uint64_t spill[32];
} CPUState;

#define ENV_OFF(field) ((int32_t)offsetof(CPUState, field))
#define ENV_XREG_OFF(n) ((int32_t)(offsetof(CPUState, x) + 8 * (n)))
#define ENV_VREG_OFF(n) ((int32_t)(offsetof(CPUState, v) + 16 * (n)))

/* Architectural NZCV (bits 31..28 as in PSTATE / MRS NZCV). */
#define NZCV_N (1u << 31)
#define NZCV_Z (1u << 30)
#define NZCV_C (1u << 29)
#define NZCV_V (1u << 28)

static inline uint32_t cpu_get_nzcv(const CPUState *env)
{
    uint32_t f = (uint32_t)env->flags_x86, r = 0;
    if (f & FLAGSX86_N) r |= NZCV_N;
    if (f & FLAGSX86_Z) r |= NZCV_Z;
    if (f & FLAGSX86_C) r |= NZCV_C;
    if (f & FLAGSX86_V) r |= NZCV_V;
    return r;
}

/* Always sets AH bit 1 (reserved-one in EFLAGS), harmless for SAHF. */
static inline uint16_t nzcv_to_flags_x86(uint32_t nzcv)
{
    uint16_t f = 0x0200;
    if (nzcv & NZCV_N) f |= FLAGSX86_N;
    if (nzcv & NZCV_Z) f |= FLAGSX86_Z;
    if (nzcv & NZCV_C) f |= FLAGSX86_C;
    if (nzcv & NZCV_V) f |= FLAGSX86_V;
    return f;
}

static inline void cpu_set_nzcv(CPUState *env, uint32_t nzcv)
{
    env->flags_x86 = nzcv_to_flags_x86(nzcv);
}

#endif
