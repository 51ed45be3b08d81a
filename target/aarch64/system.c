/*
 * A64 exception generation and system instructions as EL0 code under Linux
 * sees them: SVC/BRK/HLT/UDF, the hint space (all NOPs, including the PAC
 * and BTI hints), barriers and CLREX, DC/IC cache maintenance, and MRS/MSR
 * of the registers EL0 may touch (TPIDR_EL0, TPIDRRO_EL0, NZCV, FPCR, FPSR,
 * the generic timer's CNTVCT/CNTFRQ, and the identification registers the
 * kernel emulates, which come from the CPU model).  Everything else in the
 * system space is undefined at EL0.  Encodings: insns-branch-sys.def.
 */
#include <time.h>

#include "tcg/exec.h"
#include "target/aarch64/simd.h"
#include "target/aarch64/translate.h"

/* The generic timer ferry presents: a 1 GHz counter, i.e. nanoseconds of
 * the host's monotonic clock. */
#define CNTFRQ_HZ 1000000000ull

/* The DC ZVA block size; matches DCZID_EL0 (BS = 4: 16 words). */
#define ZVA_BLOCK 64u
/* The cache line size IC IVAU works on; matches CTR_EL0.IminLine. */
#define ICACHE_LINE 64u

/* FPCR bits EL0 can change (AHP, DN, FZ, RMode, and FZ16 with FEAT_FP16);
 * the trap enables read as zero because ferry does not trap floating-point
 * exceptions.  FPSR: QC and the cumulative exception bits. */
#define FPCR_WRITABLE 0x07c00000u
#define FPCR_FZ16_BIT 0x00080000u
#define FPSR_WRITABLE 0x0800009fu

static int sysreg_key_of(uint32_t insn)
{
    return extract32(insn, 5, 16);
}

/* ---- exception generation -------------------------------------------- */

bool trans_svc(DisasContext *s, uint32_t insn)
{
    gen_exit(s, EXIT_SVC, s->pc + 4, extract32(insn, 5, 16));
    return true;
}

bool trans_brk(DisasContext *s, uint32_t insn)
{
    gen_exit(s, EXIT_BRK, s->pc, extract32(insn, 5, 16));
    return true;
}

bool trans_hlt(DisasContext *s, uint32_t insn)
{
    gen_exit(s, EXIT_HLT, s->pc, extract32(insn, 5, 16));
    return true;
}

/* UDF #imm16 is permanently undefined. */
bool trans_udf(DisasContext *s, uint32_t insn)
{
    return false;
}

/* ---- hints and barriers ------------------------------------------------ */

/* NOP, YIELD, WFE, WFI, SEV, SEVL, the PAC hints (PACIASP, AUTIASP,
 * XPACLRI, ...) when FEAT_PAuth is not advertised, BTI, and unallocated
 * hints, which the architecture defines to behave as NOP. */
bool trans_hint(DisasContext *s, uint32_t insn)
{
    return true;
}

/* Continue at the next instruction through a fresh lookup rather than a
 * chained jump, so code invalidated before this point is retranslated. */
static void end_block_relookup(DisasContext *s)
{
    ir_goto_ptr(s->b, cst(s, s->pc + 4), IR_JUMP_BR);
}

/* DMB/DSB: the host is TSO, so only barriers that order earlier stores
 * before later loads (the full ones: option bits 1..0 = 11, and the
 * reserved options with 00, which behave as SY) need a fence.  Load-only
 * (x1) and store-only (10) barriers need nothing.  DSB with CRm 0000 or
 * 0100 is SSBB / PSSBB: speculation barriers, nothing to do. */
static void gen_memory_barrier(DisasContext *s, unsigned crm, bool is_dsb)
{
    if (is_dsb && (crm == 0 || crm == 4)) {
        return;
    }
    if ((crm & 3) == 3 || (crm & 3) == 0) {
        ir_fence(s->b);
    }
}

bool trans_barrier(DisasContext *s, uint32_t insn)
{
    unsigned crm = extract32(insn, 8, 4);
    switch (extract32(insn, 5, 3)) {
    case 2: /* CLREX */
        ir_st_env(s->b, 64, ENV_OFF(excl_addr), cst(s, ~0ull));
        return true;
    case 4: /* DSB */
        gen_memory_barrier(s, crm, true);
        return true;
    case 5: /* DMB */
        gen_memory_barrier(s, crm, false);
        return true;
    case 6: /* ISB */
        end_block_relookup(s);
        return true;
    default: /* SB (FEAT_SB not advertised), DSB nXS, TME */
        return false;
    }
}

/* ---- cache maintenance (SYS) ------------------------------------------ */

static uint64_t helper_ic_ivau(void *env, uint64_t addr, uint64_t unused1, uint64_t unused2)
{
    tb_invalidate_range(addr & ~(uint64_t)(ICACHE_LINE - 1), ICACHE_LINE);
    return 0;
}

/* DC ZVA: zero the aligned 64-byte block with plain stores, so a fault is
 * an ordinary guest fault at this instruction. */
static void gen_dc_zva(DisasContext *s, int rt)
{
    IRTemp base = ir_andi(s->b, 64, read_x(s, rt, 1), ~(uint64_t)(ZVA_BLOCK - 1));
    IRTemp zero = cst(s, 0);
    for (unsigned off = 0; off < ZVA_BLOCK; off += 8) {
        ir_store(s->b, MO_64, ir_addi(s->b, 64, base, off), zero);
    }
}

bool trans_sys(DisasContext *s, uint32_t insn)
{
    int rt = extract32(insn, 0, 5);
    switch (sysreg_key_of(insn)) {
    case SYSREG_KEY(1, 3, 7, 4, 1):     /* DC ZVA */
        gen_dc_zva(s, rt);
        return true;
    case SYSREG_KEY(1, 3, 7, 10, 1):    /* DC CVAC */
    case SYSREG_KEY(1, 3, 7, 11, 1):    /* DC CVAU */
    case SYSREG_KEY(1, 3, 7, 14, 1):    /* DC CIVAC */
        return true;                    /* host caches are coherent */
    case SYSREG_KEY(1, 3, 7, 12, 1):    /* DC CVAP */
        return cpu_model_has(s->model, FEAT_DPB);
    case SYSREG_KEY(1, 3, 7, 5, 1):     /* IC IVAU */
        ir_call(s->b, helper_ic_ivau, read_x(s, rt, 1), IR_NONE, IR_NONE);
        gen_exit(s, EXIT_ISB_FLUSH, s->pc + 4, 0);
        return true;
    default:
        return false;
    }
}

/* ---- MRS / MSR ----------------------------------------------------------- */

static uint64_t helper_read_counter(void *env, uint64_t unused0, uint64_t unused1, uint64_t unused2)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

enum {
    KEY_NZCV        = SYSREG_KEY(3, 3, 4, 2, 0),
    KEY_FPCR        = SYSREG_KEY(3, 3, 4, 4, 0),
    KEY_FPSR        = SYSREG_KEY(3, 3, 4, 4, 1),
    KEY_TPIDR_EL0   = SYSREG_KEY(3, 3, 13, 0, 2),
    KEY_TPIDRRO_EL0 = SYSREG_KEY(3, 3, 13, 0, 3),
    KEY_CNTFRQ_EL0  = SYSREG_KEY(3, 3, 14, 0, 0),
    KEY_CNTPCT_EL0  = SYSREG_KEY(3, 3, 14, 0, 1),
    KEY_CNTVCT_EL0  = SYSREG_KEY(3, 3, 14, 0, 2),
};

/* The identification registers Linux emulates live at op1 = 0 (EL1
 * registers); EL0 reads them only through FEAT_CPUID (HWCAP_CPUID). */
static bool read_id_reg(DisasContext *s, uint32_t key, uint64_t *val)
{
    bool el1_space = ((key >> 11) & 7) == 0;
    if (el1_space && !cpu_model_has(s->model, FEAT_CPUID)) {
        return false;
    }
    return cpu_model_read_id_reg(s->model, key, val);
}

bool trans_mrs(DisasContext *s, uint32_t insn)
{
    int rt = extract32(insn, 0, 5);
    uint32_t key = sysreg_key_of(insn);
    IRBuilder *b = s->b;
    IRTemp v;
    uint64_t idval;

    switch (key) {
    case KEY_NZCV:        v = ir_flags_get(b); break;
    case KEY_FPCR:        v = ir_ld_env(b, 32, ENV_OFF(fpcr)); break;
    case KEY_FPSR:        v = ir_call(b, helper_fpsr_read, IR_NONE, IR_NONE, IR_NONE); break;
    case KEY_TPIDR_EL0:   v = ir_ld_env(b, 64, ENV_OFF(tpidr_el0)); break;
    case KEY_TPIDRRO_EL0: v = ir_ld_env(b, 64, ENV_OFF(tpidrro_el0)); break;
    case KEY_CNTFRQ_EL0:  v = cst(s, CNTFRQ_HZ); break;
    case KEY_CNTPCT_EL0:
    case KEY_CNTVCT_EL0:
        v = ir_call(b, helper_read_counter, IR_NONE, IR_NONE, IR_NONE);
        break;
    default:
        if (!read_id_reg(s, key, &idval)) {
            return false;
        }
        v = cst(s, idval);
        break;
    }
    write_x(s, rt, v, 1);
    return true;
}

bool trans_msr_reg(DisasContext *s, uint32_t insn)
{
    IRBuilder *b = s->b;
    IRTemp v = read_x(s, extract32(insn, 0, 5), 1);

    switch (sysreg_key_of(insn)) {
    case KEY_NZCV:
        ir_flags_from(b, v);
        return true;
    case KEY_TPIDR_EL0:
        ir_st_env(b, 64, ENV_OFF(tpidr_el0), v);
        return true;
    case KEY_FPSR:
        ir_call(b, helper_fpsr_write, ir_andi(b, 32, v, FPSR_WRITABLE), IR_NONE, IR_NONE);
        return true;
    case KEY_FPCR:
        /* Code translated later may depend on the rounding mode: look the
         * next block up afresh. */
        ir_call(b, helper_fpcr_write,
                ir_andi(b, 32, v, FPCR_WRITABLE |
                                  (cpu_model_has(s->model, FEAT_FPHP) ? FPCR_FZ16_BIT : 0)),
                IR_NONE, IR_NONE);
        end_block_relookup(s);
        return true;
    default:
        return false;
    }
}
