/*
 * A64 data processing with an immediate operand: PC-relative addresses
 * (ADR, ADRP), add/subtract immediate (with and without flags, SP forms),
 * logical immediate (bitmask immediates), move wide (MOVN/MOVZ/MOVK),
 * bitfield moves (SBFM/BFM/UBFM and all their aliases) and EXTR.
 *
 * The encoding table is insns-dp-imm.def.  Every function returns false for
 * an encoding the architecture leaves unallocated, so it raises SIGILL.
 *
 * Sources are read as whole X registers even for W operations: a 32-bit IR
 * op reads only the low half of its inputs, so no zero-extension is needed
 * (write_x zero-extends W results).
 */
#include "target/aarch64/translate.h"

/* All-ones in the low `width` bits (width 1..64). */
static uint64_t ones(unsigned width)
{
    return width >= 64 ? ~0ull : (1ull << width) - 1;
}

/* ---- ADR, ADRP ----------------------------------------------------------- */

static int64_t pcrel_imm21(uint32_t insn)
{
    uint32_t immlo = extract32(insn, 29, 2);
    uint32_t immhi = extract32(insn, 5, 19);
    return sextract64(((uint64_t)immhi << 2) | immlo, 0, 21);
}

bool trans_adr(DisasContext *s, uint32_t insn)
{
    uint64_t target = s->pc + (uint64_t)pcrel_imm21(insn);
    write_x(s, extract32(insn, 0, 5), cst(s, target), 1);
    return true;
}

bool trans_adrp(DisasContext *s, uint32_t insn)
{
    uint64_t page = s->pc & ~0xfffull;
    uint64_t target = page + ((uint64_t)pcrel_imm21(insn) << 12);
    write_x(s, extract32(insn, 0, 5), cst(s, target), 1);
    return true;
}

/* ---- ADD/ADDS/SUB/SUBS (immediate) --------------------------------------- */

bool trans_add_sub_imm(DisasContext *s, uint32_t insn)
{
    int sf = extract32(insn, 31, 1);
    bool is_sub = extract32(insn, 30, 1);
    bool set_flags = extract32(insn, 29, 1);
    bool shift12 = extract32(insn, 22, 1);
    uint64_t imm = extract32(insn, 10, 12);
    int rn = extract32(insn, 5, 5), rd = extract32(insn, 0, 5);
    int bits = sf_bits(sf);
    IRBuilder *b = s->b;

    if (shift12) {
        imm <<= 12;
    }
    IRTemp x = read_xsp(s, rn, 1);
    IRTemp y = cst(s, imm);
    IRTemp r;
    if (set_flags) {
        r = is_sub ? ir_subs(b, bits, x, y) : ir_adds(b, bits, x, y);
        write_x(s, rd, r, sf);
    } else {
        r = is_sub ? ir_sub(b, bits, x, y) : ir_add(b, bits, x, y);
        write_xsp(s, rd, r, sf);
    }
    return true;
}

/* ---- logical (immediate) ------------------------------------------------- */

/*
 * DecodeBitMasks for the logical-immediate form: the element size comes
 * from the highest set bit of N:NOT(imms); the element is S+1 ones rotated
 * right by R, replicated to fill the register.  Returns false for the
 * reserved patterns (no element size, or an all-ones element).
 */
static bool decode_logic_imm(unsigned n, unsigned imms, unsigned immr,
                             int bits, uint64_t *out)
{
    unsigned combined = (n << 6) | (~imms & 0x3f);
    if (combined == 0) {
        return false;
    }
    int len = 31 - __builtin_clz(combined);
    if (len < 1) {
        return false;
    }
    unsigned esize = 1u << len;
    unsigned levels = esize - 1;
    unsigned sbits = imms & levels, rot = immr & levels;
    if (sbits == levels) {
        return false;
    }
    uint64_t elem = ones(sbits + 1);
    if (rot) {
        elem = ((elem >> rot) | (elem << (esize - rot))) & ones(esize);
    }
    uint64_t mask = 0;
    for (unsigned pos = 0; pos < (unsigned)bits; pos += esize) {
        mask |= elem << pos;
    }
    *out = mask;
    return true;
}

bool trans_logic_imm(DisasContext *s, uint32_t insn)
{
    int sf = extract32(insn, 31, 1);
    unsigned opc = extract32(insn, 29, 2);
    unsigned n = extract32(insn, 22, 1);
    unsigned immr = extract32(insn, 16, 6), imms = extract32(insn, 10, 6);
    int rn = extract32(insn, 5, 5), rd = extract32(insn, 0, 5);
    int bits = sf_bits(sf);
    IRBuilder *b = s->b;
    uint64_t mask;

    if (!sf && n) {
        return false;
    }
    if (!decode_logic_imm(n, imms, immr, bits, &mask)) {
        return false;
    }
    IRTemp x = read_x(s, rn, 1);
    IRTemp y = cst(s, mask);
    IRTemp r;
    switch (opc) {
    case 0: r = ir_and(b, bits, x, y); break;
    case 1: r = ir_or(b, bits, x, y); break;
    case 2: r = ir_xor(b, bits, x, y); break;
    default:
        r = ir_and(b, bits, x, y);
        ir_flags_nz(b, bits, r);
        write_x(s, rd, r, sf);
        return true;
    }
    write_xsp(s, rd, r, sf);
    return true;
}

/* ---- move wide ----------------------------------------------------------- */

bool trans_move_wide(DisasContext *s, uint32_t insn)
{
    int sf = extract32(insn, 31, 1);
    unsigned opc = extract32(insn, 29, 2);
    unsigned hw = extract32(insn, 21, 2);
    uint64_t imm16 = extract32(insn, 5, 16);
    int rd = extract32(insn, 0, 5);
    int bits = sf_bits(sf);
    unsigned pos = hw * 16;

    if (!sf && hw >= 2) {
        return false;
    }
    uint64_t field = imm16 << pos;
    switch (opc) {
    case 0:     /* MOVN */
        write_x(s, rd, cst(s, ~field & ones(bits)), sf);
        return true;
    case 2:     /* MOVZ */
        write_x(s, rd, cst(s, field), sf);
        return true;
    case 3: {   /* MOVK */
        IRTemp old = read_x(s, rd, 1);
        IRTemp kept = ir_andi(s->b, bits, old, ~(0xffffull << pos) & ones(bits));
        write_x(s, rd, ir_or(s->b, bits, kept, cst(s, field)), sf);
        return true;
    }
    default:
        return false;
    }
}

/* ---- bitfield moves ------------------------------------------------------ */

/* UBFM: UBFX/LSR when imms >= immr, UBFIZ/LSL otherwise (also UXTB/UXTH). */
static IRTemp gen_ubfm(IRBuilder *b, int bits, IRTemp x, unsigned immr, unsigned imms)
{
    if (imms >= immr) {
        unsigned width = imms - immr + 1;
        IRTemp field = immr ? ir_shri(b, bits, x, immr) : x;
        if (imms == (unsigned)bits - 1) {
            return field;                           /* LSR */
        }
        if (immr == 0 && (width == 8 || width == 16 || width == 32)) {
            return ir_zext(b, bits, x, width);      /* UXTB, UXTH */
        }
        return ir_andi(b, bits, field, ones(width));
    }
    unsigned width = imms + 1, pos = bits - immr;
    if (pos + width == (unsigned)bits) {
        return ir_shli(b, bits, x, pos);            /* LSL */
    }
    return ir_shli(b, bits, ir_andi(b, bits, x, ones(width)), pos);
}

/* SBFM: SBFX/ASR when imms >= immr, SBFIZ otherwise (also SXTB/SXTH/SXTW). */
static IRTemp gen_sbfm(IRBuilder *b, int bits, IRTemp x, unsigned immr, unsigned imms)
{
    if (imms >= immr) {
        unsigned width = imms - immr + 1;
        if (imms == (unsigned)bits - 1) {
            return ir_sari(b, bits, x, immr);       /* ASR */
        }
        if (immr == 0 && (width == 8 || width == 16 || width == 32)) {
            return ir_sext(b, bits, x, width);      /* SXTB, SXTH, SXTW */
        }
        unsigned up = bits - 1 - imms;
        return ir_sari(b, bits, ir_shli(b, bits, x, up), up + immr);
    }
    /* Sign-extend the low imms+1 bits, then place them at bits - immr. */
    unsigned width = imms + 1;
    unsigned up = bits - width;
    return ir_sari(b, bits, ir_shli(b, bits, x, up), immr - width);
}

/* BFM: BFXIL when imms >= immr, BFI otherwise; other bits of Rd are kept. */
static IRTemp gen_bfm(IRBuilder *b, int bits, IRTemp dst, IRTemp x,
                      unsigned immr, unsigned imms)
{
    unsigned width, pos;
    IRTemp field;
    if (imms >= immr) {
        width = imms - immr + 1;
        pos = 0;
        field = ir_andi(b, bits, ir_shri(b, bits, x, immr), ones(width));
    } else {
        width = imms + 1;
        pos = bits - immr;
        field = ir_shli(b, bits, ir_andi(b, bits, x, ones(width)), pos);
    }
    uint64_t hole = ones(width) << pos;
    if (hole == ones(bits)) {
        return field;
    }
    IRTemp kept = ir_andi(b, bits, dst, ~hole & ones(bits));
    return ir_or(b, bits, kept, field);
}

bool trans_bitfield(DisasContext *s, uint32_t insn)
{
    int sf = extract32(insn, 31, 1);
    unsigned opc = extract32(insn, 29, 2);
    unsigned n = extract32(insn, 22, 1);
    unsigned immr = extract32(insn, 16, 6), imms = extract32(insn, 10, 6);
    int rn = extract32(insn, 5, 5), rd = extract32(insn, 0, 5);
    int bits = sf_bits(sf);
    IRBuilder *b = s->b;

    if (n != (unsigned)sf || (!sf && (immr >= 32 || imms >= 32))) {
        return false;
    }
    IRTemp x = read_x(s, rn, 1);
    IRTemp r;
    switch (opc) {
    case 0: r = gen_sbfm(b, bits, x, immr, imms); break;
    case 1: r = gen_bfm(b, bits, read_x(s, rd, 1), x, immr, imms); break;
    case 2: r = gen_ubfm(b, bits, x, immr, imms); break;
    default: return false;
    }
    write_x(s, rd, r, sf);
    return true;
}

/* ---- EXTR (and its alias ROR immediate) ---------------------------------- */

bool trans_extr(DisasContext *s, uint32_t insn)
{
    int sf = extract32(insn, 31, 1);
    unsigned n = extract32(insn, 22, 1);
    int rm = extract32(insn, 16, 5);
    unsigned lsb = extract32(insn, 10, 6);
    int rn = extract32(insn, 5, 5), rd = extract32(insn, 0, 5);
    int bits = sf_bits(sf);
    IRBuilder *b = s->b;

    if (n != (unsigned)sf || (!sf && lsb >= 32)) {
        return false;
    }
    IRTemp lo = read_x(s, rm, 1);
    IRTemp r;
    if (lsb == 0) {
        r = ir_op1(b, IR_MOV, bits, lo);
    } else if (rn == rm) {
        r = ir_ror(b, bits, lo, cst(s, lsb));
    } else {
        IRTemp hi = read_x(s, rn, 1);
        r = ir_or(b, bits, ir_shri(b, bits, lo, lsb), ir_shli(b, bits, hi, bits - lsb));
    }
    write_x(s, rd, r, sf);
    return true;
}
