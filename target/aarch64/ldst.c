/*
 * A64 integer loads and stores of one register: unsigned scaled offset,
 * unscaled, pre- and post-index, unprivileged (LDTR/STTR: the same as
 * LDR/STR at EL0), register offset with UXTW/LSL/SXTW/SXTX, PC-relative
 * literal, LDAPR (FEAT_LRCPC), and the prefetches (PRFM/PRFUM: data
 * prefetches become a host cache hint, which never faults).
 *
 * Base register 31 is SP, data register 31 is XZR.  Writeback with
 * Rn == Rt is CONSTRAINED UNPREDICTABLE; ferry does what common cores do:
 * a load writes the base first and the loaded value last (the loaded value
 * wins), a store stores the register's value from before the writeback.
 * Encodings: insns-ldst.def.
 */
#include "target/aarch64/translate.h"

/* What the size:opc fields ask for. */
typedef struct MemAccess {
    int mop;            /* MO_* size, plus MO_SIGN for LDRS* */
    int sf;             /* loads: 1 = result in an X register, 0 = W */
    bool is_load;
    bool is_prefetch;
} MemAccess;

/* size = bits 31..30, opc = bits 23..22 of the register forms. */
static bool decode_size_opc(unsigned size, unsigned opc, MemAccess *a)
{
    *a = (MemAccess){ .mop = (int)size };
    switch (opc) {
    case 0:                                 /* STRB/STRH/STR */
        return true;
    case 1:                                 /* LDRB/LDRH/LDR */
        a->is_load = true;
        a->sf = size == 3;
        return true;
    case 2:                                 /* LDRSB/LDRSH/LDRSW to X; PRFM */
        if (size == 3) {
            a->is_prefetch = true;
            return true;
        }
        a->is_load = true;
        a->mop |= MO_SIGN;
        a->sf = 1;
        return true;
    default:                                /* LDRSB/LDRSH to W */
        if (size >= 2) {
            return false;
        }
        a->is_load = true;
        a->mop |= MO_SIGN;
        a->sf = 0;
        return true;
    }
}

/* PRFM/PRFUM: prfop (the Rt field) is type:2 (PLD, PLI, PST), target:2
 * (L1, L2, L3, SLC) and policy:1 (KEEP, STRM).  Data prefetches, for loads
 * or stores, ask the host to bring the line to the same level; instruction
 * prefetches and the reserved type emit nothing. */
static void gen_prefetch(DisasContext *s, int prfop, IRTemp addr)
{
    unsigned type = (unsigned)prfop >> 3, target = ((unsigned)prfop >> 1) & 3;
    if (type == 1 || type == 3) {
        return;
    }
    int level = prfop & 1 ? IR_PREFETCH_STREAM
              : target == 0 ? IR_PREFETCH_L1 : target == 1 ? IR_PREFETCH_L2 : IR_PREFETCH_L3;
    ir_prefetch(s->b, addr, level);
}

/* The access itself, then the base writeback (if wb_base != IR_NONE), then
 * the destination register, in the order the header comment promises. */
static void gen_access(DisasContext *s, const MemAccess *a, int rt, IRTemp addr,
                       int rn, IRTemp wb_base)
{
    if (a->is_load) {
        IRTemp v = ir_load(s->b, sf_bits(a->sf), a->mop, addr);
        if (wb_base != IR_NONE) {
            write_xsp(s, rn, wb_base, 1);
        }
        write_x(s, rt, v, a->sf);
    } else {
        ir_store(s->b, a->mop, addr, read_x(s, rt, 1));
        if (wb_base != IR_NONE) {
            write_xsp(s, rn, wb_base, 1);
        }
    }
}

/* LDR/STR (immediate, unsigned offset): imm12 scaled by the access size. */
bool trans_ldst_uimm(DisasContext *s, uint32_t insn)
{
    unsigned size = extract32(insn, 30, 2);
    int rn = extract32(insn, 5, 5), rt = extract32(insn, 0, 5);
    MemAccess a;
    if (!decode_size_opc(size, extract32(insn, 22, 2), &a)) {
        return false;
    }
    uint64_t off = (uint64_t)extract32(insn, 10, 12) << size;
    IRTemp addr = ir_addi(s->b, 64, read_xsp(s, rn, 1), off);
    if (a.is_prefetch) {
        gen_prefetch(s, rt, addr);
        return true;
    }
    gen_access(s, &a, rt, addr, rn, IR_NONE);
    return true;
}

/* imm9 forms; bits 11..10: 00 unscaled (LDUR), 01 post-index,
 * 10 unprivileged (LDTR), 11 pre-index. */
bool trans_ldst_imm9(DisasContext *s, uint32_t insn)
{
    unsigned size = extract32(insn, 30, 2);
    unsigned mode = extract32(insn, 10, 2);
    int rn = extract32(insn, 5, 5), rt = extract32(insn, 0, 5);
    MemAccess a;
    if (!decode_size_opc(size, extract32(insn, 22, 2), &a)) {
        return false;
    }
    if (a.is_prefetch && mode != 0) {
        return false;                   /* PRFUM only; no prefetch has writeback */
    }
    uint64_t imm = (uint64_t)sextract64(insn, 12, 9);
    IRTemp base = read_xsp(s, rn, 1);
    IRTemp moved = ir_addi(s->b, 64, base, imm);
    if (a.is_prefetch) {
        gen_prefetch(s, rt, moved);
        return true;
    }
    switch (mode) {
    case 1:
        gen_access(s, &a, rt, base, rn, moved);
        break;
    case 3:
        gen_access(s, &a, rt, moved, rn, moved);
        break;
    default:
        gen_access(s, &a, rt, moved, rn, IR_NONE);
        break;
    }
    return true;
}

/* Rm extended by option (010 UXTW, 011 LSL, 110 SXTW, 111 SXTX) and
 * shifted by the access size when S is set. */
bool trans_ldst_reg(DisasContext *s, uint32_t insn)
{
    unsigned size = extract32(insn, 30, 2);
    unsigned option = extract32(insn, 13, 3);
    bool scaled = extract32(insn, 12, 1);
    int rm = extract32(insn, 16, 5), rn = extract32(insn, 5, 5);
    int rt = extract32(insn, 0, 5);
    MemAccess a;
    if (!(option & 2) || !decode_size_opc(size, extract32(insn, 22, 2), &a)) {
        return false;
    }
    IRTemp off = read_x(s, rm, 1);
    if (option == 2) {
        off = ir_zext(s->b, 64, off, 32);
    } else if (option == 6) {
        off = ir_sext(s->b, 64, off, 32);
    }
    if (scaled && size) {
        off = ir_shli(s->b, 64, off, size);
    }
    IRTemp addr = ir_add(s->b, 64, read_xsp(s, rn, 1), off);
    if (a.is_prefetch) {
        gen_prefetch(s, rt, addr);
        return true;
    }
    gen_access(s, &a, rt, addr, rn, IR_NONE);
    return true;
}

/* LDAPRB/LDAPRH/LDAPR: a load-acquire with RCpc ordering; on the host a
 * plain load. */
bool trans_ldapr(DisasContext *s, uint32_t insn)
{
    if (!cpu_model_has(s->model, FEAT_LRCPC)) {
        return false;
    }
    unsigned size = extract32(insn, 30, 2);
    int sf = size == 3;
    IRTemp addr = read_xsp(s, extract32(insn, 5, 5), 1);
    IRTemp v = ir_load(s->b, sf_bits(sf), (int)size | MO_ACQ, addr);
    write_x(s, extract32(insn, 0, 5), v, sf);
    return true;
}

/* LDR (literal): opc 00 W, 01 X, 10 LDRSW, 11 PRFM. */
bool trans_ldr_lit(DisasContext *s, uint32_t insn)
{
    unsigned opc = extract32(insn, 30, 2);
    uint64_t addr = s->pc + ((uint64_t)sextract64(insn, 5, 19) << 2);
    if (opc == 3) {
        gen_prefetch(s, extract32(insn, 0, 5), cst(s, addr));
        return true;
    }
    int sf = opc != 0;
    int mop = opc == 1 ? MO_64 : opc == 2 ? (MO_32 | MO_SIGN) : MO_32;
    IRTemp v = ir_load(s->b, sf_bits(sf), mop, cst(s, addr));
    write_x(s, extract32(insn, 0, 5), v, sf);
    return true;
}
