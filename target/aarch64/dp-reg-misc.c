/*
 * A64 data processing, 1-, 2- and 3-source register classes: RBIT, REV16,
 * REV32, REV, CLZ, CLS; UDIV, SDIV, LSLV, LSRV, ASRV, RORV, CRC32 and CRC32C
 * (through a C helper); MADD, MSUB, SMADDL, SMSUBL, UMADDL, UMSUBL, SMULH,
 * UMULH.  Encodings in insns-dp-reg.def.
 *
 * Sources are read as whole X registers even for W operations: a 32-bit IR
 * op reads only the low half of its inputs, so no zero-extension is needed
 * (write_x zero-extends W results).
 */
#include "target/aarch64/translate.h"

/* ---- 1 source ------------------------------------------------------------ */

bool trans_dp_1src(DisasContext *s, uint32_t insn)
{
    int sf = extract32(insn, 31, 1);
    unsigned opcode2 = extract32(insn, 16, 5);
    unsigned opcode = extract32(insn, 10, 6);
    int rn = extract32(insn, 5, 5), rd = extract32(insn, 0, 5);
    int bits = sf_bits(sf);
    IRBuilder *b = s->b;

    if (opcode2 != 0) {
        return false;           /* pointer authentication: not implemented */
    }
    IROp op;
    switch (opcode) {
    case 0: op = IR_RBIT; break;
    case 1: op = IR_REV16; break;
    case 2:
        if (sf) {               /* REV32: byte swap within each word */
            IRTemp swapped = ir_op1(b, IR_BSWAP, 64, read_x(s, rn, 1));
            write_x(s, rd, ir_ror(b, 64, swapped, cst(s, 32)), 1);
            return true;
        }
        op = IR_BSWAP;          /* REV Wd */
        break;
    case 3:
        if (!sf) {
            return false;
        }
        op = IR_BSWAP;          /* REV Xd */
        break;
    case 4: op = IR_CLZ; break;
    case 5: op = IR_CLS; break;
    default:
        return false;
    }
    write_x(s, rd, ir_op1(b, op, bits, read_x(s, rn, 1)), sf);
    return true;
}

/* ---- 2 source ------------------------------------------------------------ */

/* CRC32 helper: desc = operand size in bytes | (1 << 8) for CRC32C.  The
 * accumulator is bit-reflected, without the initial or final inversion. */
enum { CRC_DESC_CASTAGNOLI = 1 << 8 };

static uint64_t helper_crc32(void *env, uint64_t acc, uint64_t val, uint64_t desc)
{
    uint32_t poly = (desc & CRC_DESC_CASTAGNOLI) ? 0x82f63b78u : 0xedb88320u;
    unsigned nbytes = desc & 0xff;
    uint32_t crc = (uint32_t)acc;
    for (unsigned i = 0; i < nbytes; i++) {
        crc ^= (uint8_t)(val >> (8 * i));
        for (int bit = 0; bit < 8; bit++) {
            crc = (crc >> 1) ^ (poly & -(crc & 1));
        }
    }
    return crc;
}

static bool gen_crc32(DisasContext *s, int sf, unsigned opcode, int rm, int rn, int rd)
{
    unsigned sz = opcode & 3;
    bool castagnoli = opcode & 4;
    if ((sz == 3) != (sf == 1)) {
        return false;
    }
    if (s->model && !cpu_model_has(s->model, FEAT_CRC32)) {
        return false;
    }
    uint64_t desc = (1u << sz) | (castagnoli ? CRC_DESC_CASTAGNOLI : 0);
    IRTemp r = ir_call(s->b, helper_crc32, read_x(s, rn, 1), read_x(s, rm, 1), cst(s, desc));
    write_x(s, rd, r, 0);
    return true;
}

bool trans_dp_2src(DisasContext *s, uint32_t insn)
{
    int sf = extract32(insn, 31, 1);
    int rm = extract32(insn, 16, 5);
    unsigned opcode = extract32(insn, 10, 6);
    int rn = extract32(insn, 5, 5), rd = extract32(insn, 0, 5);
    int bits = sf_bits(sf);

    IROp op;
    switch (opcode) {
    case 2:  op = IR_UDIV; break;
    case 3:  op = IR_SDIV; break;
    case 8:  op = IR_SHL; break;        /* LSLV: amount taken modulo bits */
    case 9:  op = IR_SHR; break;
    case 10: op = IR_SAR; break;
    case 11: op = IR_ROR; break;
    case 16 ... 23:
        return gen_crc32(s, sf, opcode, rm, rn, rd);
    default:
        return false;
    }
    IRTemp r = ir_op2(s->b, op, bits, read_x(s, rn, 1), read_x(s, rm, 1));
    write_x(s, rd, r, sf);
    return true;
}

/* ---- 3 source ------------------------------------------------------------ */

/* The widening forms: Xa +/- ext(Wn) * ext(Wm). */
static void gen_mul_long(DisasContext *s, bool is_signed, bool is_sub,
                         int rm, int ra, int rn, int rd)
{
    IRBuilder *b = s->b;
    IRTemp n = read_x(s, rn, 1), m = read_x(s, rm, 1);
    if (is_signed) {
        n = ir_sext(b, 64, n, 32);
        m = ir_sext(b, 64, m, 32);
    } else {
        n = ir_zext(b, 64, n, 32);
        m = ir_zext(b, 64, m, 32);
    }
    IRTemp prod = ir_op2(b, IR_MUL, 64, n, m);
    IRTemp acc = read_x(s, ra, 1);
    IRTemp r = is_sub ? ir_sub(b, 64, acc, prod) : ir_add(b, 64, acc, prod);
    write_x(s, rd, r, 1);
}

bool trans_dp_3src(DisasContext *s, uint32_t insn)
{
    int sf = extract32(insn, 31, 1);
    unsigned op31 = extract32(insn, 21, 3);
    int rm = extract32(insn, 16, 5);
    bool o0 = extract32(insn, 15, 1);
    int ra = extract32(insn, 10, 5);
    int rn = extract32(insn, 5, 5), rd = extract32(insn, 0, 5);
    int bits = sf_bits(sf);
    IRBuilder *b = s->b;

    if (op31 == 0) {            /* MADD, MSUB */
        IRTemp prod = ir_op2(b, IR_MUL, bits, read_x(s, rn, 1), read_x(s, rm, 1));
        IRTemp acc = read_x(s, ra, 1);
        IRTemp r = o0 ? ir_sub(b, bits, acc, prod) : ir_add(b, bits, acc, prod);
        write_x(s, rd, r, sf);
        return true;
    }
    if (!sf) {
        return false;
    }
    switch (op31) {
    case 1:                     /* SMADDL, SMSUBL */
        gen_mul_long(s, true, o0, rm, ra, rn, rd);
        return true;
    case 5:                     /* UMADDL, UMSUBL */
        gen_mul_long(s, false, o0, rm, ra, rn, rd);
        return true;
    case 2:                     /* SMULH */
    case 6:                     /* UMULH */
        if (o0) {
            return false;
        }
        write_x(s, rd, ir_op2(b, op31 == 2 ? IR_MULSH : IR_MULUH, 64,
                              read_x(s, rn, 1), read_x(s, rm, 1)), 1);
        return true;
    default:
        return false;
    }
}
