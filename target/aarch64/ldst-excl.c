/*
 * A64 exclusive and ordered accesses: LDXR/LDAXR/STXR/STLXR (B, H, W, X),
 * the pairs LDXP/LDAXP/STXP/STLXP (W, X), LDAR/STLR and, with FEAT_LOR,
 * LDLAR/STLLR.  CAS and CASP share this encoding class but belong to LSE,
 * which no model advertises yet, so they are undefined.
 *
 * The exclusive monitor compares values, not reservations: a load
 * exclusive records address, value and size in env (excl_addr, excl_val,
 * excl_size); a store exclusive succeeds when its address is the recorded
 * one and a locked compare-and-exchange still finds the recorded value, and
 * it always clears the monitor.  The host is TSO and the exchange is
 * locked, so the acquire/release forms need nothing more; LDAR is a plain
 * load and STLR an XCHG (which also orders it before a later LDAR).
 * Encodings: insns-ldst.def.
 */
#include "target/aarch64/translate.h"

#define ENV_EXCL_VAL0 ENV_OFF(excl_val[0])
#define ENV_EXCL_VAL1 ENV_OFF(excl_val[1])

/* 1 when x != 0, else 0, without touching guest NZCV. */
static IRTemp nonzero_bit(IRBuilder *b, IRTemp x)
{
    return ir_shri(b, 64, ir_or(b, 64, x, ir_op1(b, IR_NEG, 64, x)), 63);
}

static void open_monitor(DisasContext *s, IRTemp addr, unsigned bytes)
{
    ir_st_env(s->b, 64, ENV_OFF(excl_addr), addr);
    ir_st_env(s->b, 64, ENV_OFF(excl_size), cst(s, bytes));
}

static void clear_monitor(DisasContext *s)
{
    ir_st_env(s->b, 64, ENV_OFF(excl_addr), cst(s, ~0ull));
}

/*
 * Store-exclusive of one value of size mop (up to 64 bits) at addr: the
 * status (0 = stored, 1 = failed) for Rs.  On an address mismatch the
 * exchange still runs, with the recorded value as the new one, so memory
 * is unchanged and the block needs no internal branch.
 */
static IRTemp gen_store_exclusive(DisasContext *s, int mop, IRTemp addr, IRTemp newv)
{
    IRBuilder *b = s->b;
    IRTemp expect = ir_ld_env(b, 64, ENV_EXCL_VAL0);
    IRTemp mism = nonzero_bit(b, ir_xor(b, 64, addr, ir_ld_env(b, 64, ENV_OFF(excl_addr))));
    IRTemp pick_old = ir_op1(b, IR_NEG, 64, mism);
    IRTemp store = ir_xor(b, 64, newv,
                          ir_and(b, 64, ir_xor(b, 64, newv, expect), pick_old));
    IRTemp old = ir_cmpxchg(b, mop, addr, expect, store);
    IRTemp changed = nonzero_bit(b, ir_xor(b, 64, old, expect));
    clear_monitor(s);
    return ir_or(b, 64, mism, changed);
}

/* LDXR/LDAXR, STXR/STLXR: size = bits 31..30, L = bit 22. */
static bool trans_exclusive(DisasContext *s, uint32_t insn)
{
    unsigned size = extract32(insn, 30, 2);
    int rs = extract32(insn, 16, 5), rn = extract32(insn, 5, 5);
    int rt = extract32(insn, 0, 5);
    IRTemp addr = read_xsp(s, rn, 1);

    if (extract32(insn, 22, 1)) {
        IRTemp v = ir_load(s->b, 64, (int)size, addr);
        open_monitor(s, addr, 1u << size);
        ir_st_env(s->b, 64, ENV_EXCL_VAL0, v);
        write_x(s, rt, v, size == 3);
    } else {
        IRTemp status = gen_store_exclusive(s, (int)size, addr, read_x(s, rt, 1));
        write_x(s, rs, status, 0);
    }
    return true;
}

/*
 * STXP of two X registers: a 16-byte compare-and-exchange of the recorded
 * pair.  Guest memory must not fault inside a helper, so a locked no-op
 * exchange on the first word (which needs the same page to be writable)
 * runs first in translated code.  A misaligned pair fails.
 */
static uint64_t helper_stxp_128(void *envp, uint64_t addr, uint64_t lo, uint64_t hi)
{
    CPUState *env = envp;
    bool ok = false;
    if (addr == env->excl_addr && (addr & 15) == 0) {
        uint64_t exp_lo = env->excl_val[0], exp_hi = env->excl_val[1];
        __asm__ volatile("lock cmpxchg16b %1"
                         : "=@ccz"(ok), "+m"(*(volatile unsigned __int128 *)(uintptr_t)addr),
                           "+a"(exp_lo), "+d"(exp_hi)
                         : "b"(lo), "c"(hi)
                         : "memory");
    }
    env->excl_addr = ~0ull;
    return ok ? 0 : 1;
}

/* LDXP/LDAXP, STXP/STLXP: size 10 = two W (one 64-bit access), 11 = two X. */
static bool trans_exclusive_pair(DisasContext *s, uint32_t insn)
{
    IRBuilder *b = s->b;
    bool is_x = extract32(insn, 30, 1);
    int rs = extract32(insn, 16, 5), rt2 = extract32(insn, 10, 5);
    int rn = extract32(insn, 5, 5), rt = extract32(insn, 0, 5);
    IRTemp addr = read_xsp(s, rn, 1);

    if (extract32(insn, 22, 1)) {
        if (is_x) {
            IRTemp lo = ir_load(b, 64, MO_64, addr);
            IRTemp hi = ir_load(b, 64, MO_64, ir_addi(b, 64, addr, 8));
            open_monitor(s, addr, 16);
            ir_st_env(b, 64, ENV_EXCL_VAL0, lo);
            ir_st_env(b, 64, ENV_EXCL_VAL1, hi);
            write_x(s, rt, lo, 1);
            write_x(s, rt2, hi, 1);
        } else {
            IRTemp v = ir_load(b, 64, MO_64, addr);
            open_monitor(s, addr, 8);
            ir_st_env(b, 64, ENV_EXCL_VAL0, v);
            write_x(s, rt, v, 0);
            write_x(s, rt2, ir_shri(b, 64, v, 32), 0);
        }
        return true;
    }

    IRTemp status;
    if (is_x) {
        IRTemp zero = cst(s, 0);
        ir_cmpxchg(b, MO_64, addr, zero, zero);
        status = ir_call(b, helper_stxp_128, addr, read_x(s, rt, 1), read_x(s, rt2, 1));
    } else {
        IRTemp pair = ir_or(b, 64, read_x(s, rt, 0),
                            ir_shli(b, 64, read_x(s, rt2, 0), 32));
        status = gen_store_exclusive(s, MO_64, addr, pair);
    }
    write_x(s, rs, status, 0);
    return true;
}

/* LDAR/STLR (o0 = 1) and LDLAR/STLLR (o0 = 0, FEAT_LOR). */
static bool trans_ordered(DisasContext *s, uint32_t insn)
{
    if (!extract32(insn, 15, 1) && !cpu_model_has(s->model, FEAT_LOR)) {
        return false;
    }
    unsigned size = extract32(insn, 30, 2);
    IRTemp addr = read_xsp(s, extract32(insn, 5, 5), 1);
    int rt = extract32(insn, 0, 5);
    if (extract32(insn, 22, 1)) {
        IRTemp v = ir_load(s->b, 64, (int)size | MO_ACQ, addr);
        write_x(s, rt, v, size == 3);
    } else {
        ir_xchg(s->b, (int)size | MO_REL, addr, read_x(s, rt, 1));
    }
    return true;
}

/* The class: o2 = bit 23, o1 = bit 21. */
bool trans_ldst_excl(DisasContext *s, uint32_t insn)
{
    bool o2 = extract32(insn, 23, 1), o1 = extract32(insn, 21, 1);
    if (!o2 && !o1) {
        return trans_exclusive(s, insn);
    }
    if (!o2 && o1) {
        /* size 0x with o1 = 1 is CASP */
        return extract32(insn, 31, 1) ? trans_exclusive_pair(s, insn) : false;
    }
    if (o2 && !o1) {
        return trans_ordered(s, insn);
    }
    return false;                       /* CAS */
}
