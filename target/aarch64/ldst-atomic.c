/*
 * A64 LSE atomics (FEAT_LSE) and the RCpc unscaled forms (FEAT_LRCPC2):
 *   LDADD, LDCLR, LDEOR, LDSET, LDSMAX, LDSMIN, LDUMAX, LDUMIN, SWP
 *     (B, H, W, X; plain, A, L, AL; the ST* aliases are Rt = XZR)
 *   CAS, CASA, CASL, CASAL (B, H, W, X)
 *   CASP, CASPA, CASPL, CASPAL (W pair, X pair)
 *   LDAPUR*, STLUR* (FEAT_LRCPC2)
 * The host is TSO and every locked x86 instruction is a full barrier, so
 * the acquire/release variants translate exactly like the plain ones.
 * CASP of two X registers is a 16-byte compare-and-exchange done by a
 * helper, after a locked no-op on the first word in translated code has
 * made any fault a normal guest fault.  Encodings: insns-ldst.def.
 */
#include "target/aarch64/translate.h"

/* env->scratch[7] carries the CASP compare values in and the old values out. */
#define ENV_CASP_LO ENV_OFF(scratch[7][0])
#define ENV_CASP_HI ENV_OFF(scratch[7][1])

static IRTemp gen_atomic_rmw(DisasContext *s, int kind, int mop, IRTemp addr, IRTemp val)
{
    IRTemp d = ir_new_temp(s->b);
    IRInsn *in = ir_emit(s->b, IR_ATOMIC_RMW, 64, d, addr, val, IR_NONE);
    in->cond = (uint8_t)kind;
    in->mop = (uint8_t)mop;
    s->b->blk.temps[d].zext32 = (mop & MO_SIZE) < MO_64;
    return d;
}

/* Atomic memory operations: size 111 V=0 00 A R 1 Rs o3 opc 00 Rn Rt. */
bool trans_lse_atomic(DisasContext *s, uint32_t insn)
{
    static const int kinds[8] = {
        IR_ATOMIC_ADD, IR_ATOMIC_CLR, IR_ATOMIC_EOR, IR_ATOMIC_SET,
        IR_ATOMIC_SMAX, IR_ATOMIC_SMIN, IR_ATOMIC_UMAX, IR_ATOMIC_UMIN,
    };
    if (!cpu_model_has(s->model, FEAT_LSE)) {
        return false;
    }
    unsigned size = extract32(insn, 30, 2), opc = extract32(insn, 12, 3);
    bool o3 = extract32(insn, 15, 1);
    int rs = extract32(insn, 16, 5), rn = extract32(insn, 5, 5), rt = extract32(insn, 0, 5);
    if (o3 && opc != 0) {
        return false;                   /* LDAPR (o3 opc = 1 100) has its own entry */
    }
    int kind = o3 ? IR_ATOMIC_SWP : kinds[opc];
    IRTemp addr = read_xsp(s, rn, 1);
    IRTemp old = gen_atomic_rmw(s, kind, (int)size, addr, read_x(s, rs, 1));
    write_x(s, rt, old, size == 3);
    return true;
}

/* CAS: size 001000 1 L 1 Rs o0 11111 Rn Rt.  Rs = compare value and
 * receives the old value; Rt = new value. */
bool trans_cas(DisasContext *s, uint32_t insn)
{
    if (!cpu_model_has(s->model, FEAT_LSE)) {
        return false;
    }
    unsigned size = extract32(insn, 30, 2);
    int rs = extract32(insn, 16, 5), rn = extract32(insn, 5, 5), rt = extract32(insn, 0, 5);
    IRTemp addr = read_xsp(s, rn, 1);
    IRTemp old = ir_cmpxchg(s->b, (int)size, addr, read_x(s, rs, 1), read_x(s, rt, 1));
    write_x(s, rs, old, size == 3);
    return true;
}

/*
 * CASP of two X registers: compare (lo, hi) with env's scratch pair, swap
 * in (new_lo, new_hi) when equal, and leave the old pair in the scratch
 * pair.  Translated code has already touched the first word with a locked
 * access, so a 16-byte-aligned pair cannot fault here.  A misaligned pair
 * (an alignment fault on Arm) is compared and written without atomicity.
 */
static uint64_t helper_casp_128(void *envp, uint64_t addr, uint64_t new_lo, uint64_t new_hi)
{
    CPUState *env = envp;
    uint64_t lo = env->scratch[7][0], hi = env->scratch[7][1];
    volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)addr;
    if (addr & 15) {
        uint64_t cur_lo = p[0], cur_hi = p[1];
        if (cur_lo == lo && cur_hi == hi) {
            p[0] = new_lo;
            p[1] = new_hi;
        }
        lo = cur_lo;
        hi = cur_hi;
    } else {
        __asm__ volatile("lock cmpxchg16b %0"
                         : "+m"(*(volatile unsigned __int128 *)p), "+a"(lo), "+d"(hi)
                         : "b"(new_lo), "c"(new_hi)
                         : "memory", "cc");
    }
    env->scratch[7][0] = lo;
    env->scratch[7][1] = hi;
    return 0;
}

/* CASP: 0 sz 001000 0 L 1 Rs o0 11111 Rn Rt; Rs and Rt even.  The first
 * register of each pair is the one at the lower address. */
bool trans_casp(DisasContext *s, uint32_t insn)
{
    if (!cpu_model_has(s->model, FEAT_LSE)) {
        return false;
    }
    IRBuilder *b = s->b;
    bool is_x = extract32(insn, 30, 1);
    int rs = extract32(insn, 16, 5), rn = extract32(insn, 5, 5), rt = extract32(insn, 0, 5);
    if ((rs & 1) || (rt & 1)) {
        return false;
    }
    IRTemp addr = read_xsp(s, rn, 1);
    if (!is_x) {
        IRTemp expect = ir_or(b, 64, read_x(s, rs, 0), ir_shli(b, 64, read_x(s, rs + 1, 0), 32));
        IRTemp newv = ir_or(b, 64, read_x(s, rt, 0), ir_shli(b, 64, read_x(s, rt + 1, 0), 32));
        IRTemp old = ir_cmpxchg(b, MO_64, addr, expect, newv);
        write_x(s, rs, old, 0);
        write_x(s, rs + 1, ir_shri(b, 64, old, 32), 0);
        return true;
    }
    gen_atomic_rmw(s, IR_ATOMIC_ADD, MO_64, addr, cst(s, 0));   /* fault here, not in C */
    ir_st_env(b, 64, ENV_CASP_LO, read_x(s, rs, 1));
    ir_st_env(b, 64, ENV_CASP_HI, read_x(s, rs + 1, 1));
    ir_call(b, helper_casp_128, addr, read_x(s, rt, 1), read_x(s, rt + 1, 1));
    IRTemp old_lo = ir_ld_env(b, 64, ENV_CASP_LO);
    IRTemp old_hi = ir_ld_env(b, 64, ENV_CASP_HI);
    write_x(s, rs, old_lo, 1);
    write_x(s, rs + 1, old_hi, 1);
    return true;
}

/* LDAPUR/STLUR: size 011001 opc 0 imm9 00 Rn Rt.  opc 00 STLUR, 01 LDAPUR,
 * 10 LDAPURS to X, 11 LDAPURS to W. */
bool trans_ldapur_stlur(DisasContext *s, uint32_t insn)
{
    if (!cpu_model_has(s->model, FEAT_LRCPC2)) {
        return false;
    }
    unsigned size = extract32(insn, 30, 2), opc = extract32(insn, 22, 2);
    int rn = extract32(insn, 5, 5), rt = extract32(insn, 0, 5);
    if ((size == 3 && opc >= 2) || (size == 2 && opc == 3)) {
        return false;
    }
    IRTemp addr = ir_addi(s->b, 64, read_xsp(s, rn, 1), (uint64_t)sextract64(insn, 12, 9));
    if (opc == 0) {
        ir_store(s->b, (int)size | MO_REL, addr, read_x(s, rt, 1));
        return true;
    }
    int sf = opc == 2 || size == 3;
    int mop = (int)size | MO_ACQ | (opc >= 2 ? MO_SIGN : 0);
    write_x(s, rt, ir_load(s->b, sf_bits(sf), mop, addr), sf);
    return true;
}
