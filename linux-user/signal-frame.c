/*
 * The arm64 signal frame: building struct rt_sigframe on the guest stack
 * when a handler runs, reading it back in rt_sigreturn, and the sigreturn
 * trampoline used when the guest gives no SA_RESTORER (the vDSO's, or a
 * page of ferry's own when there is no vDSO).
 *
 * Layout (arch/arm64/include/uapi/asm/{sigcontext,ucontext}.h):
 *   rt_sigframe { siginfo_t info (128); struct ucontext uc; }
 *   ucontext { uc_flags; uc_link; stack_t uc_stack; sigset_t uc_sigmask;
 *              pad to 1024-bit sigset; sigcontext uc_mcontext (16-aligned) }
 *   sigcontext { fault_address; regs[31]; sp; pc; pstate;
 *                __reserved[4096] (16-aligned): records, each with a
 *                {magic, size} header, ending with a {0, 0} record }
 * Above the frame sits a frame record {x29, x30} that x29 points at.
 */
#include "linux-user/signal.h"

#include <stddef.h>
#include <string.h>
#include <sys/mman.h>

#include "linux-user/guest-mem.h"
#include "linux-user/vdso.h"
#include "target/aarch64/simd.h"

#define FPSIMD_MAGIC 0x46508001u
#define FPSIMD_SIZE  528u
#define ESR_MAGIC    0x45535201u
#define EXTRA_MAGIC  0x45585401u
#define PSTATE_NZCV  0xf0000000u

typedef struct GuestSigcontext {
    uint64_t fault_address;
    uint64_t regs[31];
    uint64_t sp;
    uint64_t pc;
    uint64_t pstate;
    _Alignas(16) uint8_t reserved[4096];
} GuestSigcontext;

typedef struct GuestUcontext {
    uint64_t uc_flags;
    uint64_t uc_link;
    GuestStack uc_stack;
    uint64_t uc_sigmask;
    uint8_t unused[1024 / 8 - 8];
    GuestSigcontext uc_mcontext;
} GuestUcontext;

typedef struct GuestRtSigframe {
    uint8_t info[GUEST_SIGINFO_SIZE];
    GuestUcontext uc;
} GuestRtSigframe;

typedef struct GuestCtxHeader {
    uint32_t magic;
    uint32_t size;
} GuestCtxHeader;

typedef struct GuestFpsimdContext {
    GuestCtxHeader head;
    uint32_t fpsr;
    uint32_t fpcr;
    uint64_t vregs[32][2];
} GuestFpsimdContext;

_Static_assert(offsetof(GuestUcontext, uc_mcontext) == 176, "arm64 ucontext layout");
_Static_assert(offsetof(GuestSigcontext, reserved) == 288, "arm64 sigcontext layout");
_Static_assert(sizeof(GuestRtSigframe) == 4688, "arm64 rt_sigframe size");
_Static_assert(sizeof(GuestFpsimdContext) == FPSIMD_SIZE, "fpsimd_context size");

/* ---- the trampoline ----------------------------------------------------- */

uint64_t signal_sigreturn_trampoline(SignalProcess *sp)
{
    static const uint32_t code[] = {
        0xd2801168,     /* mov x8, #139  (rt_sigreturn) */
        0xd4000001,     /* svc #0 */
    };
    pthread_mutex_lock(&sp->lock);
    if (!sp->sigreturn_tramp && sp->image)
        sp->sigreturn_tramp = vdso_sigreturn_addr(sp->image);
    if (!sp->sigreturn_tramp) {
        int64_t page = guest_mmap(0, GUEST_PAGE_SIZE, PROT_READ | PROT_WRITE,
                                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (page > 0 && copy_to_guest((uint64_t)page, code, sizeof code) == 0 &&
            guest_mprotect((uint64_t)page, GUEST_PAGE_SIZE, PROT_READ | PROT_EXEC) == 0)
            sp->sigreturn_tramp = (uint64_t)page;
    }
    pthread_mutex_unlock(&sp->lock);
    return sp->sigreturn_tramp;
}

/* ---- building ----------------------------------------------------------- */

static uint64_t altstack_state(const SignalThread *t, uint64_t sp)
{
    if (!t->altstack_size)
        return GUEST_SS_DISABLE;
    bool on = !(t->altstack_flags & GUEST_SS_AUTODISARM) &&
              sp > t->altstack_sp && sp - t->altstack_sp <= t->altstack_size;
    return on ? GUEST_SS_ONSTACK : 0;
}

/* The stack the frame goes on: the alternate one for SA_ONSTACK when it
 * is set up and not already in use (disarming it for SS_AUTODISARM). */
static uint64_t frame_stack(SignalThread *t, const GuestSigAction *act, uint64_t sp)
{
    if ((act->flags & GUEST_SA_ONSTACK) && altstack_state(t, sp) == 0) {
        sp = t->altstack_sp + t->altstack_size;
        if (t->altstack_flags & GUEST_SS_AUTODISARM) {
            t->altstack_sp = 0;
            t->altstack_size = 0;
            t->altstack_flags = GUEST_SS_DISABLE;
        }
    }
    return sp;
}

static void save_fpsimd(const CPUState *env, uint8_t *reserved)
{
    GuestFpsimdContext fp = {
        .head = { FPSIMD_MAGIC, FPSIMD_SIZE },
        .fpsr = env->fpsr,
        .fpcr = env->fpcr,
    };
    memcpy(fp.vregs, env->v, sizeof(fp.vregs));
    memcpy(reserved, &fp, sizeof(fp));
    /* the terminating {0, 0} record follows (the buffer is zeroed) */
}

bool signal_frame_setup(SignalThread *t, int sig, const GuestSigAction *act,
                        const uint8_t *info, uint64_t old_mask, uint64_t fault_addr)
{
    CPUState *env = t->env;
    static __thread GuestRtSigframe f;        /* 4.6 KiB: keep it off the stack */
    uint64_t user_sp = env->x[GREG_SP];

    memset(&f, 0, sizeof(f));
    memcpy(f.info, info, sizeof(f.info));
    f.uc.uc_stack = (GuestStack){ .sp = t->altstack_sp, .flags = t->altstack_flags,
                                  .size = t->altstack_size };
    f.uc.uc_sigmask = old_mask;
    GuestSigcontext *mc = &f.uc.uc_mcontext;
    mc->fault_address = fault_addr;
    memcpy(mc->regs, env->x, sizeof(mc->regs));
    mc->sp = user_sp;
    mc->pc = env->pc;
    mc->pstate = cpu_get_nzcv(env);
    save_fpsimd(env, mc->reserved);

    uint64_t sp = frame_stack(t, act, user_sp);
    uint64_t record = (sp - 16) & ~15ull;
    uint64_t frame = record - sizeof(f);
    uint64_t fp_lr[2] = { env->x[29], env->x[30] };
    if (copy_to_guest(frame, &f, sizeof(f)) != 0 || copy_to_guest(record, fp_lr, sizeof(fp_lr)) != 0)
        return false;

    uint64_t ret = (act->flags & GUEST_SA_RESTORER) ? act->restorer
                                                    : signal_sigreturn_trampoline(t->proc);
    env->x[0] = (uint64_t)sig;
    if (act->flags & GUEST_SA_SIGINFO) {
        env->x[1] = frame + offsetof(GuestRtSigframe, info);
        env->x[2] = frame + offsetof(GuestRtSigframe, uc);
    }
    env->x[GREG_SP] = frame;
    env->x[29] = record;
    env->x[30] = ret;
    env->pc = act->handler;
    return true;
}

/* ---- rt_sigreturn -------------------------------------------------------- */

/* Walk the records in __reserved; the fpsimd one is required. */
static bool restore_records(CPUState *env, const uint8_t *reserved)
{
    size_t off = 0;
    bool have_fpsimd = false;
    while (off + sizeof(GuestCtxHeader) <= sizeof(((GuestSigcontext *)0)->reserved)) {
        GuestCtxHeader h;
        memcpy(&h, reserved + off, sizeof(h));
        if (h.magic == 0)
            return have_fpsimd && h.size == 0;
        if (h.size < sizeof(h) || (h.size & 15) || off + h.size > sizeof(((GuestSigcontext *)0)->reserved))
            return false;
        if (h.magic == FPSIMD_MAGIC) {
            GuestFpsimdContext fp;
            if (h.size != FPSIMD_SIZE || have_fpsimd)
                return false;
            memcpy(&fp, reserved + off, sizeof(fp));
            memcpy(env->v, fp.vregs, sizeof(fp.vregs));
            env->fpsr = fp.fpsr;
            helper_fpcr_write(env, fp.fpcr, 0, 0);   /* MXCSR and FZ follow */
            have_fpsimd = true;
        } else if (h.magic == EXTRA_MAGIC) {
            return false;               /* never produced by ferry */
        }
        off += h.size;                  /* ESR and unknown records: skipped */
    }
    return false;
}

bool signal_frame_return(SignalThread *t)
{
    CPUState *env = t->env;
    static __thread GuestRtSigframe f;
    uint64_t frame = env->x[GREG_SP];

    if ((frame & 15) || copy_from_guest(&f, frame, sizeof(f)) != 0)
        return false;
    const GuestSigcontext *mc = &f.uc.uc_mcontext;
    if (mc->pstate & ~(uint64_t)PSTATE_NZCV & 0xf)   /* must return to EL0 */
        return false;
    CPUState saved = *env;
    if (!restore_records(env, mc->reserved)) {
        *env = saved;
        return false;
    }
    memcpy(env->x, mc->regs, sizeof(mc->regs));
    env->x[GREG_SP] = mc->sp;
    env->pc = mc->pc;
    cpu_set_nzcv(env, (uint32_t)mc->pstate & PSTATE_NZCV);
    signal_set_blocked(t, f.uc.uc_sigmask);
    /* Like the kernel, a failure to restore the alternate stack (e.g.
     * EPERM while on it) is not an error. */
    signal_altstack(t, &f.uc.uc_stack, NULL);
    return true;
}
