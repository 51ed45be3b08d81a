/*
 * A64 data processing on registers: logical and add/subtract with a shifted
 * register, add/subtract with an extended register (SP forms included),
 * add/subtract with carry, conditional compare (register and immediate) and
 * conditional select.  The 1-, 2- and 3-source classes (bit counting and
 * reversal, divide, variable shifts, CRC32, multiply) are in dp-reg-misc.c.
 *
 * The encoding table is insns-dp-reg.def.  Every function returns false for
 * an encoding the architecture leaves unallocated, so it raises SIGILL.
 * Flags always go through the flag-setting IR ops (NZCV lives in host
 * EFLAGS), never through ordinary arithmetic.
 *
 * Sources are read as whole X registers even for W operations: a 32-bit IR
 * op reads only the low half of its inputs, so no zero-extension is needed
 * (write_x zero-extends W results).
 */
#include "target/aarch64/translate.h"

enum { SHIFT_LSL, SHIFT_LSR, SHIFT_ASR, SHIFT_ROR };

/* Rm shifted by a constant amount (already checked to be < bits). */
static IRTemp shift_by_imm(DisasContext *s, int bits, IRTemp x,
                           unsigned type, unsigned amount)
{
    IRBuilder *b = s->b;
    if (amount == 0) {
        return x;
    }
    switch (type) {
    case SHIFT_LSL: return ir_shli(b, bits, x, amount);
    case SHIFT_LSR: return ir_shri(b, bits, x, amount);
    case SHIFT_ASR: return ir_sari(b, bits, x, amount);
    default:        return ir_ror(b, bits, x, cst(s, amount));
    }
}

/* ---- logical (shifted register) ------------------------------------------ */

bool trans_logic_shift(DisasContext *s, uint32_t insn)
{
    int sf = extract32(insn, 31, 1);
    unsigned opc = extract32(insn, 29, 2);
    unsigned type = extract32(insn, 22, 2);
    bool invert = extract32(insn, 21, 1);
    int rm = extract32(insn, 16, 5);
    unsigned amount = extract32(insn, 10, 6);
    int rn = extract32(insn, 5, 5), rd = extract32(insn, 0, 5);
    int bits = sf_bits(sf);
    IRBuilder *b = s->b;

    if (!sf && amount >= 32) {
        return false;
    }
    IRTemp y = shift_by_imm(s, bits, read_x(s, rm, 1), type, amount);

    /* MOV (register) and MVN: ORR/ORN with XZR as the first operand. */
    if (opc == 1 && rn == 31) {
        IRTemp r = invert ? ir_op1(b, IR_NOT, bits, y) : ir_op1(b, IR_MOV, bits, y);
        write_x(s, rd, r, sf);
        return true;
    }

    IRTemp x = read_x(s, rn, 1);
    static const IROp plain[4] = { IR_AND, IR_OR, IR_XOR, IR_AND };
    static const IROp negated[4] = { IR_ANDN, IR_ORN, IR_XORN, IR_ANDN };
    IRTemp r = ir_op2(b, invert ? negated[opc] : plain[opc], bits, x, y);
    if (opc == 3) {
        ir_flags_nz(b, bits, r);
    }
    write_x(s, rd, r, sf);
    return true;
}

/* ---- add/subtract (shifted register, extended register) ------------------ */

/* Emit ADD/SUB, with or without flags, of two prepared operands. */
static IRTemp gen_add_sub(IRBuilder *b, int bits, bool is_sub, bool set_flags,
                          IRTemp x, IRTemp y)
{
    if (set_flags) {
        return is_sub ? ir_subs(b, bits, x, y) : ir_adds(b, bits, x, y);
    }
    return is_sub ? ir_sub(b, bits, x, y) : ir_add(b, bits, x, y);
}

bool trans_add_sub_shift(DisasContext *s, uint32_t insn)
{
    int sf = extract32(insn, 31, 1);
    bool is_sub = extract32(insn, 30, 1);
    bool set_flags = extract32(insn, 29, 1);
    unsigned type = extract32(insn, 22, 2);
    int rm = extract32(insn, 16, 5);
    unsigned amount = extract32(insn, 10, 6);
    int rn = extract32(insn, 5, 5), rd = extract32(insn, 0, 5);
    int bits = sf_bits(sf);

    if (type == SHIFT_ROR || (!sf && amount >= 32)) {
        return false;
    }
    IRTemp y = shift_by_imm(s, bits, read_x(s, rm, 1), type, amount);
    if (is_sub && !set_flags && rn == 31) {     /* NEG */
        write_x(s, rd, ir_op1(s->b, IR_NEG, bits, y), sf);
        return true;
    }
    IRTemp x = read_x(s, rn, 1);
    write_x(s, rd, gen_add_sub(s->b, bits, is_sub, set_flags, x, y), sf);
    return true;
}

/* ExtendReg: UXTB/UXTH/UXTW/UXTX, SXTB/SXTH/SXTW/SXTX, then LSL 0..4. */
static IRTemp extend_reg(IRBuilder *b, int bits, IRTemp x, unsigned option, unsigned shift)
{
    int from = 8 << (option & 3);
    if (from < bits) {
        x = (option & 4) ? ir_sext(b, bits, x, from) : ir_zext(b, bits, x, from);
    }
    return shift ? ir_shli(b, bits, x, shift) : x;
}

bool trans_add_sub_ext(DisasContext *s, uint32_t insn)
{
    int sf = extract32(insn, 31, 1);
    bool is_sub = extract32(insn, 30, 1);
    bool set_flags = extract32(insn, 29, 1);
    unsigned opt = extract32(insn, 22, 2);
    int rm = extract32(insn, 16, 5);
    unsigned option = extract32(insn, 13, 3);
    unsigned shift = extract32(insn, 10, 3);
    int rn = extract32(insn, 5, 5), rd = extract32(insn, 0, 5);
    int bits = sf_bits(sf);

    if (opt != 0 || shift > 4) {
        return false;
    }
    IRTemp y = extend_reg(s->b, bits, read_x(s, rm, 1), option, shift);
    IRTemp x = read_xsp(s, rn, 1);
    IRTemp r = gen_add_sub(s->b, bits, is_sub, set_flags, x, y);
    if (set_flags) {
        write_x(s, rd, r, sf);
    } else {
        write_xsp(s, rd, r, sf);
    }
    return true;
}

/* ---- add/subtract with carry --------------------------------------------- */

bool trans_adc_sbc(DisasContext *s, uint32_t insn)
{
    int sf = extract32(insn, 31, 1);
    bool is_sub = extract32(insn, 30, 1);
    bool set_flags = extract32(insn, 29, 1);
    int rm = extract32(insn, 16, 5);
    int rn = extract32(insn, 5, 5), rd = extract32(insn, 0, 5);
    int bits = sf_bits(sf);

    IRTemp x = read_x(s, rn, 1);
    IRTemp y = read_x(s, rm, 1);
    IRTemp r = is_sub ? ir_sbc(s->b, bits, x, y, set_flags)
                      : ir_adc(s->b, bits, x, y, set_flags);
    write_x(s, rd, r, sf);
    return true;
}

/* ---- conditional compare ------------------------------------------------- */

bool trans_ccmp(DisasContext *s, uint32_t insn)
{
    int sf = extract32(insn, 31, 1);
    bool is_cmp = extract32(insn, 30, 1);      /* CCMP; else CCMN */
    bool has_imm = extract32(insn, 11, 1);
    unsigned rm_or_imm = extract32(insn, 16, 5);
    IRCond cond = (IRCond)extract32(insn, 12, 4);
    int rn = extract32(insn, 5, 5);
    uint32_t nzcv = extract32(insn, 0, 4);
    int bits = sf_bits(sf);
    IRBuilder *b = s->b;

    IRTemp x = read_x(s, rn, 1);
    IRTemp y = has_imm ? cst(s, rm_or_imm) : read_x(s, rm_or_imm, 1);
    if (cond == COND_AL || cond == COND_NV) {
        /* Always true: a plain compare. */
        if (is_cmp) {
            ir_subs(b, bits, x, y);
        } else {
            ir_adds(b, bits, x, y);
        }
        return true;
    }
    ir_ccmp(b, bits, cond, x, y, nzcv << 28, !is_cmp);
    return true;
}

/* ---- conditional select -------------------------------------------------- */

bool trans_csel(DisasContext *s, uint32_t insn)
{
    int sf = extract32(insn, 31, 1);
    bool else_inverted = extract32(insn, 30, 1);   /* CSINV, CSNEG */
    bool else_stepped = extract32(insn, 10, 1);    /* CSINC, CSNEG */
    int rm = extract32(insn, 16, 5);
    IRCond cond = (IRCond)extract32(insn, 12, 4);
    int rn = extract32(insn, 5, 5), rd = extract32(insn, 0, 5);
    int bits = sf_bits(sf);
    IRBuilder *b = s->b;
    bool always = cond == COND_AL || cond == COND_NV;

    /* CSET / CSETM: CSINC / CSINV of XZR, XZR. */
    if (rn == 31 && rm == 31 && !always && else_stepped != else_inverted) {
        IRTemp bit = ir_setcc(b, (IRCond)(cond ^ 1));
        IRTemp r = else_inverted ? ir_op1(b, IR_NEG, bits, bit) : bit;
        write_x(s, rd, r, sf);
        return true;
    }

    IRTemp x = read_x(s, rn, 1);
    if (always) {
        write_x(s, rd, ir_op1(b, IR_MOV, bits, x), sf);
        return true;
    }
    IRTemp y = read_x(s, rm, 1);
    if (else_inverted && else_stepped) {
        y = ir_op1(b, IR_NEG, bits, y);
    } else if (else_inverted) {
        y = ir_op1(b, IR_NOT, bits, y);
    } else if (else_stepped) {
        y = ir_addi(b, bits, y, 1);
    }
    write_x(s, rd, ir_csel(b, bits, cond, x, y), sf);
    return true;
}
