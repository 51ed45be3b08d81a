/*
 * A64 integer load/store pair: STP/LDP of W and X registers, LDPSW, and
 * the no-allocate STNP/LDNP, in the offset, pre-index and post-index modes
 * (bits 24..23: 00 no-allocate offset, 01 post, 10 offset, 11 pre).
 *
 * Both loads happen before any register is written, so a fault on the
 * second leaves the registers untouched.  The CONSTRAINED UNPREDICTABLE
 * cases resolve as in ldst.c: the base is written back before the loaded
 * values (loaded values win), Rt2 is written after Rt (LDP with Rt == Rt2
 * leaves the second value), stores store the values from before the
 * writeback.  Encodings: insns-ldst.def.
 */
#include "target/aarch64/translate.h"

enum { PAIR_NOALLOC = 0, PAIR_POST = 1, PAIR_OFFSET = 2, PAIR_PRE = 3 };

bool trans_ldst_pair(DisasContext *s, uint32_t insn)
{
    unsigned opc = extract32(insn, 30, 2);
    unsigned mode = extract32(insn, 23, 2);
    bool is_load = extract32(insn, 22, 1);
    int rt2 = extract32(insn, 10, 5), rn = extract32(insn, 5, 5);
    int rt = extract32(insn, 0, 5);
    IRBuilder *b = s->b;

    int mop, sf;
    switch (opc) {
    case 0: mop = MO_32; sf = 0; break;
    case 2: mop = MO_64; sf = 1; break;
    case 1:                             /* LDPSW; STGP is MTE's */
        if (!is_load || mode == PAIR_NOALLOC) {
            return false;
        }
        mop = MO_32 | MO_SIGN;
        sf = 1;
        break;
    default:
        return false;
    }
    unsigned esize = 1u << (mop & MO_SIZE);
    uint64_t off = (uint64_t)sextract64(insn, 15, 7) * esize;

    IRTemp base = read_xsp(s, rn, 1);
    IRTemp moved = ir_addi(b, 64, base, off);
    IRTemp addr = mode == PAIR_POST ? base : moved;
    IRTemp addr2 = ir_addi(b, 64, addr, esize);
    bool writeback = mode == PAIR_POST || mode == PAIR_PRE;

    if (is_load) {
        IRTemp v1 = ir_load(b, sf_bits(sf), mop, addr);
        IRTemp v2 = ir_load(b, sf_bits(sf), mop, addr2);
        if (writeback) {
            write_xsp(s, rn, moved, 1);
        }
        write_x(s, rt, v1, sf);
        write_x(s, rt2, v2, sf);
    } else {
        IRTemp v1 = read_x(s, rt, 1), v2 = read_x(s, rt2, 1);
        ir_store(b, mop, addr, v1);
        ir_store(b, mop, addr2, v2);
        if (writeback) {
            write_xsp(s, rn, moved, 1);
        }
    }
    return true;
}
