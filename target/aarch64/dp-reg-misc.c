/*
 * A64 data processing, 1-, 2- and 3-source register classes: RBIT, REV16,
 * REV32, REV, CLZ, CLS; UDIV, SDIV, LSLV, LSRV, ASRV, RORV, CRC32 (a
 * table-driven C helper) and CRC32C (the host's crc32 instruction); MADD, MSUB, SMADDL, SMSUBL, UMADDL, UMSUBL, SMULH,
 * UMULH.  Encodings in insns-dp-reg.def.
 *
 * Sources are read as whole X registers even for W operations: a 32-bit IR
 * op reads only the low half of its inputs, so no zero-extension is needed
 * (write_x zero-extends W results).
 */
#include <pthread.h>

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

/* CRC-32 (IEEE 802.3, reflected polynomial 0xedb88320) of each byte value,
 * for the table-driven helper below. */
static const uint32_t crc32_ieee_table[256] = {
    0x00000000, 0x77073096, 0xee0e612c, 0x990951ba, 0x076dc419, 0x706af48f,
    0xe963a535, 0x9e6495a3, 0x0edb8832, 0x79dcb8a4, 0xe0d5e91e, 0x97d2d988,
    0x09b64c2b, 0x7eb17cbd, 0xe7b82d07, 0x90bf1d91, 0x1db71064, 0x6ab020f2,
    0xf3b97148, 0x84be41de, 0x1adad47d, 0x6ddde4eb, 0xf4d4b551, 0x83d385c7,
    0x136c9856, 0x646ba8c0, 0xfd62f97a, 0x8a65c9ec, 0x14015c4f, 0x63066cd9,
    0xfa0f3d63, 0x8d080df5, 0x3b6e20c8, 0x4c69105e, 0xd56041e4, 0xa2677172,
    0x3c03e4d1, 0x4b04d447, 0xd20d85fd, 0xa50ab56b, 0x35b5a8fa, 0x42b2986c,
    0xdbbbc9d6, 0xacbcf940, 0x32d86ce3, 0x45df5c75, 0xdcd60dcf, 0xabd13d59,
    0x26d930ac, 0x51de003a, 0xc8d75180, 0xbfd06116, 0x21b4f4b5, 0x56b3c423,
    0xcfba9599, 0xb8bda50f, 0x2802b89e, 0x5f058808, 0xc60cd9b2, 0xb10be924,
    0x2f6f7c87, 0x58684c11, 0xc1611dab, 0xb6662d3d, 0x76dc4190, 0x01db7106,
    0x98d220bc, 0xefd5102a, 0x71b18589, 0x06b6b51f, 0x9fbfe4a5, 0xe8b8d433,
    0x7807c9a2, 0x0f00f934, 0x9609a88e, 0xe10e9818, 0x7f6a0dbb, 0x086d3d2d,
    0x91646c97, 0xe6635c01, 0x6b6b51f4, 0x1c6c6162, 0x856530d8, 0xf262004e,
    0x6c0695ed, 0x1b01a57b, 0x8208f4c1, 0xf50fc457, 0x65b0d9c6, 0x12b7e950,
    0x8bbeb8ea, 0xfcb9887c, 0x62dd1ddf, 0x15da2d49, 0x8cd37cf3, 0xfbd44c65,
    0x4db26158, 0x3ab551ce, 0xa3bc0074, 0xd4bb30e2, 0x4adfa541, 0x3dd895d7,
    0xa4d1c46d, 0xd3d6f4fb, 0x4369e96a, 0x346ed9fc, 0xad678846, 0xda60b8d0,
    0x44042d73, 0x33031de5, 0xaa0a4c5f, 0xdd0d7cc9, 0x5005713c, 0x270241aa,
    0xbe0b1010, 0xc90c2086, 0x5768b525, 0x206f85b3, 0xb966d409, 0xce61e49f,
    0x5edef90e, 0x29d9c998, 0xb0d09822, 0xc7d7a8b4, 0x59b33d17, 0x2eb40d81,
    0xb7bd5c3b, 0xc0ba6cad, 0xedb88320, 0x9abfb3b6, 0x03b6e20c, 0x74b1d29a,
    0xead54739, 0x9dd277af, 0x04db2615, 0x73dc1683, 0xe3630b12, 0x94643b84,
    0x0d6d6a3e, 0x7a6a5aa8, 0xe40ecf0b, 0x9309ff9d, 0x0a00ae27, 0x7d079eb1,
    0xf00f9344, 0x8708a3d2, 0x1e01f268, 0x6906c2fe, 0xf762575d, 0x806567cb,
    0x196c3671, 0x6e6b06e7, 0xfed41b76, 0x89d32be0, 0x10da7a5a, 0x67dd4acc,
    0xf9b9df6f, 0x8ebeeff9, 0x17b7be43, 0x60b08ed5, 0xd6d6a3e8, 0xa1d1937e,
    0x38d8c2c4, 0x4fdff252, 0xd1bb67f1, 0xa6bc5767, 0x3fb506dd, 0x48b2364b,
    0xd80d2bda, 0xaf0a1b4c, 0x36034af6, 0x41047a60, 0xdf60efc3, 0xa867df55,
    0x316e8eef, 0x4669be79, 0xcb61b38c, 0xbc66831a, 0x256fd2a0, 0x5268e236,
    0xcc0c7795, 0xbb0b4703, 0x220216b9, 0x5505262f, 0xc5ba3bbe, 0xb2bd0b28,
    0x2bb45a92, 0x5cb36a04, 0xc2d7ffa7, 0xb5d0cf31, 0x2cd99e8b, 0x5bdeae1d,
    0x9b64c2b0, 0xec63f226, 0x756aa39c, 0x026d930a, 0x9c0906a9, 0xeb0e363f,
    0x72076785, 0x05005713, 0x95bf4a82, 0xe2b87a14, 0x7bb12bae, 0x0cb61b38,
    0x92d28e9b, 0xe5d5be0d, 0x7cdcefb7, 0x0bdbdf21, 0x86d3d2d4, 0xf1d4e242,
    0x68ddb3f8, 0x1fda836e, 0x81be16cd, 0xf6b9265b, 0x6fb077e1, 0x18b74777,
    0x88085ae6, 0xff0f6a70, 0x66063bca, 0x11010b5c, 0x8f659eff, 0xf862ae69,
    0x616bffd3, 0x166ccf45, 0xa00ae278, 0xd70dd2ee, 0x4e048354, 0x3903b3c2,
    0xa7672661, 0xd06016f7, 0x4969474d, 0x3e6e77db, 0xaed16a4a, 0xd9d65adc,
    0x40df0b66, 0x37d83bf0, 0xa9bcae53, 0xdebb9ec5, 0x47b2cf7f, 0x30b5ffe9,
    0xbdbdf21c, 0xcabac28a, 0x53b39330, 0x24b4a3a6, 0xbad03605, 0xcdd70693,
    0x54de5729, 0x23d967bf, 0xb3667a2e, 0xc4614ab8, 0x5d681b02, 0x2a6f2b94,
    0xb40bbe37, 0xc30c8ea1, 0x5a05df1b, 0x2d02ef8d,
};

/* slice[k][b]: the CRC of byte b followed by k zero bytes, so the eight
 * bytes of a CRC32X are looked up independently (slice[0] is the table
 * above); made once, on first use. */
static uint32_t crc32_ieee_slice[8][256];
static pthread_once_t crc32_ieee_slice_once = PTHREAD_ONCE_INIT;

static void make_crc32_ieee_slices(void)
{
    for (int b = 0; b < 256; b++) {
        crc32_ieee_slice[0][b] = crc32_ieee_table[b];
    }
    for (int k = 1; k < 8; k++) {
        for (int b = 0; b < 256; b++) {
            uint32_t prev = crc32_ieee_slice[k - 1][b];
            crc32_ieee_slice[k][b] = (prev >> 8) ^ crc32_ieee_table[prev & 0xff];
        }
    }
}

/* CRC32B/H/W/X: the accumulator is bit-reflected, without the initial or
 * final inversion; nbytes of val are folded in, lowest first.  x86 has no
 * instruction for this polynomial, so it is a helper: a byte at a time,
 * or for CRC32X eight independent lookups (the byte loop is a chain of
 * eight dependent loads). */
static uint64_t helper_crc32_ieee(void *env, uint64_t acc, uint64_t val, uint64_t nbytes)
{
    uint32_t crc = (uint32_t)acc;
    if (nbytes == 8) {
        pthread_once(&crc32_ieee_slice_once, make_crc32_ieee_slices);
        uint64_t x = val ^ crc;
        const uint32_t (*t)[256] = crc32_ieee_slice;
        return t[7][x & 0xff] ^ t[6][(x >> 8) & 0xff] ^ t[5][(x >> 16) & 0xff] ^
               t[4][(x >> 24) & 0xff] ^ t[3][(x >> 32) & 0xff] ^ t[2][(x >> 40) & 0xff] ^
               t[1][(x >> 48) & 0xff] ^ t[0][x >> 56];
    }
    for (unsigned i = 0; i < nbytes; i++) {
        crc = crc32_ieee_table[(crc ^ (uint8_t)(val >> (8 * i))) & 0xff] ^ (crc >> 8);
    }
    return crc;
}

/* CRC32C* is the host's SSE4.2 crc32 instruction (IR CRC32C), inline. */
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
    IRTemp acc = read_x(s, rn, 0), val = read_x(s, rm, 1), r;
    if (castagnoli) {
        r = ir_new_temp(s->b);
        IRInsn *in = ir_emit(s->b, IR_CRC32C, 32, r, acc, val, IR_NONE);
        in->mop = (uint8_t)sz;
        s->b->blk.temps[r].zext32 = true;
    } else {
        r = ir_call(s->b, helper_crc32_ieee, acc, val, cst(s, 1u << sz));
    }
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
