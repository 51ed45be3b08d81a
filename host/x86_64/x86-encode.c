/*
 * x86-64 instruction encoder.  Every instruction with a ModRM byte goes
 * through one composer, emit_rm(): legacy prefixes, REX, opcode bytes, then
 * ModRM / SIB / displacement worked out from an X86Operand.  VEX-encoded
 * instructions go through emit_vex_rm() which shares the ModRM part.  The
 * public functions below are thin: they pick opcode bytes and attributes.
 */
#include <assert.h>
#include <string.h>

#include "host/x86_64/x86-encode.h"

/* The composer's helpers are inlined so operands are not copied per call. */
#define ALWAYS_INLINE inline __attribute__((always_inline))

/* ---- raw bytes ---------------------------------------------------------- */

/*
 * Every instruction is composed into a small local Enc (no bounds checks
 * while composing) and copied into the buffer once by enc_commit(), which
 * checks the room left once per instruction.  An x86 instruction is at
 * most 15 bytes.  While at least ENC_MAX bytes are free the copy is a
 * fixed-size one (bytes past the instruction are scratch the next
 * instruction overwrites); nearer the end it copies exactly, and an
 * instruction that does not fit sets overflow and fills the buffer.
 */
enum { ENC_MAX = 16 };

typedef struct Enc {
    uint8_t b[ENC_MAX];
    unsigned n;
} Enc;

static inline void put8(Enc *e, uint8_t v)
{
    e->b[e->n++] = v;
}

static inline void put16(Enc *e, uint16_t v)
{
    memcpy(&e->b[e->n], &v, 2);         /* x86 is little-endian */
    e->n += 2;
}

static inline void put32(Enc *e, uint32_t v)
{
    memcpy(&e->b[e->n], &v, 4);
    e->n += 4;
}

static inline void put64(Enc *e, uint64_t v)
{
    memcpy(&e->b[e->n], &v, 8);
    e->n += 8;
}

/* An immediate of `size` bytes (1, 2 or 4; 8-byte operations take a
 * sign-extended imm32). */
static void emit_imm(Enc *e, int size, int64_t imm)
{
    switch (size) {
    case 1: put8(e, (uint8_t)imm); break;
    case 2: put16(e, (uint16_t)imm); break;
    default: put32(e, (uint32_t)imm); break;
    }
}

/* Copy n bytes to the buffer, or set overflow (writing nothing) if they do
 * not fit. */
static inline void cb_write(CodeBuf *cb, const uint8_t *p, size_t n)
{
    if ((size_t)(cb->end - cb->ptr) < n) {
        cb->ptr = cb->end;              /* the buffer counts as full */
        cb->overflow = true;
        return;
    }
    for (size_t i = 0; i < n; i++) {   /* short: cheaper than a memcpy call */
        cb->ptr[i] = p[i];
    }
    cb->ptr += n;
}

static inline void enc_commit(CodeBuf *cb, const Enc *e)
{
    assert(e->n <= ENC_MAX);
    if (__builtin_expect((size_t)(cb->end - cb->ptr) >= ENC_MAX, 1)) {
        memcpy(cb->ptr, e->b, ENC_MAX); /* fixed size: one or two moves */
        cb->ptr += e->n;
        return;
    }
    cb_write(cb, e->b, e->n);
}

void x86_byte(CodeBuf *cb, uint8_t b)
{
    cb_write(cb, &b, 1);
}

void x86_bytes(CodeBuf *cb, const uint8_t *p, size_t n)
{
    cb_write(cb, p, n);
}

void x86_u32(CodeBuf *cb, uint32_t v)
{
    cb_write(cb, (const uint8_t *)&v, 4);
}

void x86_u64(CodeBuf *cb, uint64_t v)
{
    cb_write(cb, (const uint8_t *)&v, 8);
}

static bool fits_int8(int64_t v) { return v >= INT8_MIN && v <= INT8_MAX; }
static bool fits_int32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

/* ---- the ModRM composer ------------------------------------------------- */

/* Attributes of one encoding, combined with |. */
enum {
    A_W        = 1 << 0,    /* REX.W: 64-bit operand size */
    A_OPSIZE   = 1 << 1,    /* 0x66: 16-bit operand size */
    A_BYTE_REG = 1 << 2,    /* the ModRM.reg operand is an 8-bit register */
    A_BYTE_RM  = 1 << 3,    /* the ModRM.rm register operand is 8-bit */
    A_LOCK     = 1 << 4,    /* 0xF0 */
};
#define A_PREFIX(p) ((unsigned)(p) << 8)        /* mandatory prefix 66/F2/F3 */
#define A_PREFIX_OF(a) ((uint8_t)((a) >> 8))

/* Attributes implied by an integer operand size. */
static ALWAYS_INLINE unsigned size_attrs(int size)
{
    switch (size) {
    case 1: return A_BYTE_REG | A_BYTE_RM;
    case 2: return A_OPSIZE;
    case 8: return A_W;
    default: return 0;
    }
}

static bool is_high(X86Reg r) { return r != X86_NOREG && (r & 8); }

/* spl/bpl/sil/dil exist only with a REX prefix (without one, 4..7 are ah..bh). */
static bool needs_rex_for_byte(int r) { return r >= 4 && r < 8; }

static ALWAYS_INLINE uint8_t rex_rxb(int reg, X86Operand rm)
{
    uint8_t rex = (reg & 8) ? 4 : 0;
    if (rm.kind == X86_OP_REG) {
        rex |= is_high(rm.reg) ? 1 : 0;
    } else {
        rex |= is_high(rm.index) ? 2 : 0;
        rex |= is_high(rm.base) ? 1 : 0;
    }
    return rex;
}

static ALWAYS_INLINE void emit_prefixes_and_rex(Enc *e, unsigned attrs, int reg, X86Operand rm)
{
    if (attrs & A_OPSIZE) {
        put8(e, 0x66);
    }
    if (attrs & A_LOCK) {
        put8(e, 0xf0);
    }
    if (A_PREFIX_OF(attrs)) {
        put8(e, A_PREFIX_OF(attrs));
    }
    uint8_t rex = ((attrs & A_W) ? 8 : 0) | rex_rxb(reg, rm);
    bool byte_reg_needs_rex = ((attrs & A_BYTE_REG) && needs_rex_for_byte(reg)) ||
                              ((attrs & A_BYTE_RM) && rm.kind == X86_OP_REG &&
                               needs_rex_for_byte(rm.reg));
    if (rex || byte_reg_needs_rex) {
        put8(e, 0x40 | rex);
    }
}

/* Opcodes of 1-3 bytes packed into an integer: 0x8b, 0x0faf, 0x0f38f7. */
static ALWAYS_INLINE void emit_opcode(Enc *e, uint32_t opcode)
{
    if (opcode > 0xffff) {
        put8(e, (uint8_t)(opcode >> 16));
    }
    if (opcode > 0xff) {
        put8(e, (uint8_t)(opcode >> 8));
    }
    put8(e, (uint8_t)opcode);
}

static ALWAYS_INLINE uint8_t scale_bits(uint8_t scale)
{
    switch (scale) {
    case 1: return 0;
    case 2: return 1;
    case 4: return 2;
    case 8: return 3;
    default: assert(!"scale must be 1, 2, 4 or 8"); return 0;
    }
}

/* ModRM (+ SIB + displacement) for reg field `reg` and operand `rm`.
 * [base] with base rsp/r12 needs a SIB; base rbp/r13 has no mod=00 form so
 * takes a disp8 of 0; no base means SIB base=101 with mod=00 and a disp32
 * (index=100 for "no index" gives an absolute address). */
static ALWAYS_INLINE void emit_modrm(Enc *e, int reg, X86Operand rm)
{
    uint8_t r = (uint8_t)((reg & 7) << 3);
    if (rm.kind == X86_OP_REG) {
        put8(e, 0xc0 | r | (rm.reg & 7));
        return;
    }
    assert(rm.kind == X86_OP_MEM);
    assert(rm.index != X86_RSP);
    uint8_t index = rm.index == X86_NOREG ? 4 : (rm.index & 7);
    uint8_t ss = rm.index == X86_NOREG ? 0 : scale_bits(rm.scale);
    if (rm.base == X86_NOREG) {
        put8(e, 0x04 | r);
        put8(e, (uint8_t)(ss << 6 | index << 3 | 5));
        put32(e, (uint32_t)rm.disp);
        return;
    }
    uint8_t base = rm.base & 7;
    uint8_t mod = (rm.disp == 0 && base != 5) ? 0 : fits_int8(rm.disp) ? 1 : 2;
    if (rm.index != X86_NOREG || base == 4) {
        put8(e, (uint8_t)(mod << 6 | r | 4));
        put8(e, (uint8_t)(ss << 6 | index << 3 | base));
    } else {
        put8(e, (uint8_t)(mod << 6 | r | base));
    }
    if (mod == 1) {
        put8(e, (uint8_t)rm.disp);
    } else if (mod == 2) {
        put32(e, (uint32_t)rm.disp);
    }
}

/* The composer: prefixes, REX, opcode, ModRM/SIB/disp. */
static ALWAYS_INLINE void emit_rm(Enc *e, unsigned attrs, uint32_t opcode, int reg, X86Operand rm)
{
    emit_prefixes_and_rex(e, attrs, reg, rm);
    emit_opcode(e, opcode);
    emit_modrm(e, reg, rm);
}

/* An opcode whose ModRM.reg field is an opcode extension ("/digit"), not a
 * register: only the rm operand can be a byte register. */
static ALWAYS_INLINE void emit_rm_digit(Enc *e, unsigned attrs, uint32_t opcode, int digit, X86Operand rm)
{
    emit_rm(e, attrs & ~(unsigned)A_BYTE_REG, opcode, digit, rm);
}

/* An opcode with the register in its low 3 bits (push, bswap, mov r,imm). */
static ALWAYS_INLINE void emit_plus_reg(Enc *e, unsigned attrs, uint32_t opcode, X86Reg r)
{
    emit_prefixes_and_rex(e, attrs, 0, x86_r(r));
    emit_opcode(e, opcode + (r & 7));
}

/* ---- VEX ---------------------------------------------------------------- */

static uint8_t vex_pp(uint8_t prefix)
{
    switch (prefix) {
    case 0x66: return 1;
    case 0xf3: return 2;
    case 0xf2: return 3;
    default: return 0;
    }
}

static void emit_vex(Enc *e, uint8_t prefix, X86OpMap map, bool w, int l, uint8_t opcode,
                     int reg, int vvvv, X86Operand rm)
{
    uint8_t rxb = rex_rxb(reg, rm);
    uint8_t low = (uint8_t)((~vvvv & 15) << 3 | (l ? 4 : 0) | vex_pp(prefix));
    if (map == X86_MAP_0F && !w && !(rxb & 3)) {
        put8(e, 0xc5);
        put8(e, (uint8_t)((rxb & 4 ? 0 : 0x80) | low));
    } else {
        put8(e, 0xc4);
        put8(e, (uint8_t)((~rxb & 7) << 5 | map));
        put8(e, (uint8_t)((w ? 0x80 : 0) | low));
    }
    put8(e, opcode);
    emit_modrm(e, reg, rm);
}

void x86_vex(CodeBuf *cb, uint8_t prefix, X86OpMap map, bool w, int l, uint8_t opcode,
             int reg, int vvvv, X86Operand rm)
{
    Enc e = { .n = 0 };
    emit_vex(&e, prefix, map, w, l, opcode, reg, vvvv, rm);
    enc_commit(cb, &e);
}

/* ---- integer ALU -------------------------------------------------------- */

void x86_alu(CodeBuf *cb, X86AluOp op, int size, X86Operand dst, X86Operand src)
{
    Enc e = { .n = 0 };
    unsigned attrs = size_attrs(size);
    uint8_t byte_form = size == 1 ? 0 : 1;
    if (src.kind == X86_OP_IMM) {
        assert(fits_int32(src.imm));
        if (size != 1 && fits_int8(src.imm)) {
            emit_rm_digit(&e, attrs, 0x83, op, dst);
            put8(&e, (uint8_t)src.imm);
        } else if (dst.kind == X86_OP_REG && dst.reg == X86_RAX) {
            emit_prefixes_and_rex(&e, attrs & ~(A_BYTE_REG | A_BYTE_RM), 0, dst);
            put8(&e, (uint8_t)(op << 3 | 4 | byte_form));
            emit_imm(&e, size, src.imm);
        } else {
            emit_rm_digit(&e, attrs, 0x80 | byte_form, op, dst);
            emit_imm(&e, size, src.imm);
        }
    } else if (src.kind == X86_OP_REG) {
        emit_rm(&e, attrs, (uint32_t)(op << 3 | byte_form), src.reg, dst);
    } else {
        assert(dst.kind == X86_OP_REG);
        emit_rm(&e, attrs, (uint32_t)(op << 3 | 2 | byte_form), dst.reg, src);
    }
    enc_commit(cb, &e);
}

void x86_lock_alu(CodeBuf *cb, X86AluOp op, int size, X86Operand mem, X86Operand src)
{
    Enc e = { .n = 0 };
    assert(mem.kind == X86_OP_MEM);
    unsigned attrs = size_attrs(size) | A_LOCK;
    uint8_t byte_form = size == 1 ? 0 : 1;
    if (src.kind == X86_OP_IMM) {
        bool imm8 = size != 1 && fits_int8(src.imm);
        emit_rm_digit(&e, attrs, imm8 ? 0x83 : 0x80 | byte_form, op, mem);
        emit_imm(&e, imm8 ? 1 : size, src.imm);
    } else {
        emit_rm(&e, attrs, (uint32_t)(op << 3 | byte_form), src.reg, mem);
    }
    enc_commit(cb, &e);
}

/* ---- moves -------------------------------------------------------------- */

static void mov_reg_imm(Enc *e, int size, X86Reg dst, int64_t imm)
{
    if (size == 8 && (uint64_t)imm <= UINT32_MAX) {
        size = 4;                       /* mov r32 zero-extends */
    }
    if (size == 8 && fits_int32(imm)) {
        emit_rm_digit(e, A_W, 0xc7, 0, x86_r(dst));
        put32(e, (uint32_t)imm);
    } else if (size == 8) {
        emit_plus_reg(e, A_W, 0xb8, dst);
        put64(e, (uint64_t)imm);
    } else {
        emit_plus_reg(e, size_attrs(size), size == 1 ? 0xb0 : 0xb8, dst);
        emit_imm(e, size, imm);
    }
}

void x86_mov(CodeBuf *cb, int size, X86Operand dst, X86Operand src)
{
    Enc e = { .n = 0 };
    unsigned attrs = size_attrs(size);
    uint8_t byte_form = size == 1 ? 0 : 1;
    if (src.kind == X86_OP_IMM) {
        if (dst.kind == X86_OP_REG) {
            mov_reg_imm(&e, size, dst.reg, src.imm);
        } else {
            assert(size < 8 || fits_int32(src.imm));
            emit_rm_digit(&e, attrs, 0xc6 | byte_form, 0, dst);
            emit_imm(&e, size, src.imm);
        }
    } else if (src.kind == X86_OP_REG) {
        emit_rm(&e, attrs, 0x88 | byte_form, src.reg, dst);
    } else {
        assert(dst.kind == X86_OP_REG);
        emit_rm(&e, attrs, 0x8a | byte_form, dst.reg, src);
    }
    enc_commit(cb, &e);
}

void x86_movzx(CodeBuf *cb, int dsize, int ssize, X86Reg dst, X86Operand src)
{
    Enc e = { .n = 0 };
    assert(ssize == 1 || ssize == 2);
    unsigned attrs = (size_attrs(dsize) & (A_W | A_OPSIZE)) | (ssize == 1 ? A_BYTE_RM : 0);
    emit_rm(&e, attrs, ssize == 1 ? 0x0fb6 : 0x0fb7, dst, src);
    enc_commit(cb, &e);
}

void x86_movsx(CodeBuf *cb, int dsize, int ssize, X86Reg dst, X86Operand src)
{
    Enc e = { .n = 0 };
    unsigned attrs = (size_attrs(dsize) & (A_W | A_OPSIZE)) | (ssize == 1 ? A_BYTE_RM : 0);
    uint32_t opcode = ssize == 1 ? 0x0fbe : ssize == 2 ? 0x0fbf : 0x63;
    emit_rm(&e, attrs, opcode, dst, src);
    enc_commit(cb, &e);
}

void x86_lea(CodeBuf *cb, int size, X86Reg dst, X86Operand mem)
{
    Enc e = { .n = 0 };
    assert(mem.kind == X86_OP_MEM);
    emit_rm(&e, size_attrs(size), 0x8d, dst, mem);
    enc_commit(cb, &e);
}

void x86_test(CodeBuf *cb, int size, X86Operand a, X86Operand b)
{
    Enc e = { .n = 0 };
    unsigned attrs = size_attrs(size);
    uint8_t byte_form = size == 1 ? 0 : 1;
    if (b.kind == X86_OP_IMM) {
        if (a.kind == X86_OP_REG && a.reg == X86_RAX) {
            emit_prefixes_and_rex(&e, attrs & ~(A_BYTE_REG | A_BYTE_RM), 0, a);
            put8(&e, 0xa8 | byte_form);
        } else {
            emit_rm_digit(&e, attrs, 0xf6 | byte_form, 0, a);
        }
        emit_imm(&e, size, b.imm);
    } else {
        emit_rm(&e, attrs, 0x84 | byte_form, b.reg, a);
    }
    enc_commit(cb, &e);
}

/* ---- shifts and BMI ----------------------------------------------------- */

void x86_shift_imm(CodeBuf *cb, X86ShiftOp op, int size, X86Operand dst, uint8_t count)
{
    Enc e = { .n = 0 };
    uint8_t byte_form = size == 1 ? 0 : 1;
    if (count == 1) {
        emit_rm_digit(&e, size_attrs(size), 0xd0 | byte_form, op, dst);
    } else {
        emit_rm_digit(&e, size_attrs(size), 0xc0 | byte_form, op, dst);
        put8(&e, count);
    }
    enc_commit(cb, &e);
}

void x86_shift_cl(CodeBuf *cb, X86ShiftOp op, int size, X86Operand dst)
{
    Enc e = { .n = 0 };
    emit_rm_digit(&e, size_attrs(size), size == 1 ? 0xd2 : 0xd3, op, dst);
    enc_commit(cb, &e);
}

/* BMI/BMI2 scalar instructions are VEX.LZ with W selecting 64-bit size. */
static void emit_bmi(Enc *e, uint8_t prefix, X86OpMap map, uint8_t opcode, int size,
                     int reg, int vvvv, X86Operand rm)
{
    emit_vex(e, prefix, map, size == 8, 0, opcode, reg, vvvv, rm);
}

void x86_shlx(CodeBuf *cb, int size, X86Reg dst, X86Operand src, X86Reg count)
{
    Enc e = { .n = 0 };
    emit_bmi(&e, 0x66, X86_MAP_0F38, 0xf7, size, dst, count, src);
    enc_commit(cb, &e);
}

void x86_shrx(CodeBuf *cb, int size, X86Reg dst, X86Operand src, X86Reg count)
{
    Enc e = { .n = 0 };
    emit_bmi(&e, 0xf2, X86_MAP_0F38, 0xf7, size, dst, count, src);
    enc_commit(cb, &e);
}

void x86_sarx(CodeBuf *cb, int size, X86Reg dst, X86Operand src, X86Reg count)
{
    Enc e = { .n = 0 };
    emit_bmi(&e, 0xf3, X86_MAP_0F38, 0xf7, size, dst, count, src);
    enc_commit(cb, &e);
}

void x86_rorx(CodeBuf *cb, int size, X86Reg dst, X86Operand src, uint8_t count)
{
    Enc e = { .n = 0 };
    emit_bmi(&e, 0xf2, X86_MAP_0F3A, 0xf0, size, dst, 0, src);
    put8(&e, count);
    enc_commit(cb, &e);
}

void x86_andn(CodeBuf *cb, int size, X86Reg dst, X86Reg src1, X86Operand src2)
{
    Enc e = { .n = 0 };
    emit_bmi(&e, 0, X86_MAP_0F38, 0xf2, size, dst, src1, src2);
    enc_commit(cb, &e);
}

void x86_mulx(CodeBuf *cb, int size, X86Reg hi, X86Reg lo, X86Operand src)
{
    Enc e = { .n = 0 };
    emit_bmi(&e, 0xf2, X86_MAP_0F38, 0xf6, size, hi, lo, src);
    enc_commit(cb, &e);
}

/* ---- multiply, divide, bit operations ----------------------------------- */

void x86_unary(CodeBuf *cb, X86UnaryOp op, int size, X86Operand dst)
{
    Enc e = { .n = 0 };
    emit_rm_digit(&e, size_attrs(size), size == 1 ? 0xf6 : 0xf7, op, dst);
    enc_commit(cb, &e);
}

void x86_imul(CodeBuf *cb, int size, X86Reg dst, X86Operand src)
{
    Enc e = { .n = 0 };
    emit_rm(&e, size_attrs(size), 0x0faf, dst, src);
    enc_commit(cb, &e);
}

void x86_imul_imm(CodeBuf *cb, int size, X86Reg dst, X86Operand src, int32_t imm)
{
    Enc e = { .n = 0 };
    if (fits_int8(imm)) {
        emit_rm(&e, size_attrs(size), 0x6b, dst, src);
        put8(&e, (uint8_t)imm);
    } else {
        emit_rm(&e, size_attrs(size), 0x69, dst, src);
        emit_imm(&e, size, imm);
    }
    enc_commit(cb, &e);
}

void x86_bswap(CodeBuf *cb, int size, X86Reg r)
{
    Enc e = { .n = 0 };
    assert(size == 4 || size == 8);
    emit_plus_reg(&e, size_attrs(size), 0x0fc8, r);
    enc_commit(cb, &e);
}

void x86_lzcnt(CodeBuf *cb, int size, X86Reg dst, X86Operand src)
{
    Enc e = { .n = 0 };
    emit_rm(&e, size_attrs(size) | A_PREFIX(0xf3), 0x0fbd, dst, src);
    enc_commit(cb, &e);
}

void x86_tzcnt(CodeBuf *cb, int size, X86Reg dst, X86Operand src)
{
    Enc e = { .n = 0 };
    emit_rm(&e, size_attrs(size) | A_PREFIX(0xf3), 0x0fbc, dst, src);
    enc_commit(cb, &e);
}

void x86_popcnt(CodeBuf *cb, int size, X86Reg dst, X86Operand src)
{
    Enc e = { .n = 0 };
    emit_rm(&e, size_attrs(size) | A_PREFIX(0xf3), 0x0fb8, dst, src);
    enc_commit(cb, &e);
}

void x86_bsf(CodeBuf *cb, int size, X86Reg dst, X86Operand src)
{
    Enc e = { .n = 0 };
    emit_rm(&e, size_attrs(size), 0x0fbc, dst, src);
    enc_commit(cb, &e);
}

void x86_bsr(CodeBuf *cb, int size, X86Reg dst, X86Operand src)
{
    Enc e = { .n = 0 };
    emit_rm(&e, size_attrs(size), 0x0fbd, dst, src);
    enc_commit(cb, &e);
}

void x86_bt_imm(CodeBuf *cb, int size, X86Operand a, uint8_t bit)
{
    Enc e = { .n = 0 };
    emit_rm_digit(&e, size_attrs(size), 0x0fba, 4, a);
    put8(&e, bit);
    enc_commit(cb, &e);
}

void x86_cmov(CodeBuf *cb, X86Cond cc, int size, X86Reg dst, X86Operand src)
{
    Enc e = { .n = 0 };
    emit_rm(&e, size_attrs(size), 0x0f40 + cc, dst, src);
    enc_commit(cb, &e);
}

void x86_setcc(CodeBuf *cb, X86Cond cc, X86Operand dst8)
{
    Enc e = { .n = 0 };
    emit_rm_digit(&e, A_BYTE_RM, 0x0f90 + cc, 0, dst8);
    enc_commit(cb, &e);
}

/* ---- exchange and atomics ----------------------------------------------- */

void x86_xchg(CodeBuf *cb, int size, X86Operand a, X86Reg r)
{
    Enc e = { .n = 0 };
    bool reg_pair = a.kind == X86_OP_REG;
    if (reg_pair && size != 1 && (a.reg == X86_RAX || r == X86_RAX) &&
        !(size == 4 && a.reg == X86_RAX && r == X86_RAX)) {
        /* 0x90+r: xchg with the accumulator (0x90 alone would be a NOP,
         * which does not zero-extend, hence the eax,eax exception). */
        emit_plus_reg(&e, size_attrs(size), 0x90, a.reg == X86_RAX ? r : a.reg);
    } else {
        emit_rm(&e, size_attrs(size), size == 1 ? 0x86 : 0x87, r, a);
    }
    enc_commit(cb, &e);
}

void x86_lock_cmpxchg(CodeBuf *cb, int size, X86Operand mem, X86Reg r)
{
    Enc e = { .n = 0 };
    emit_rm(&e, size_attrs(size) | A_LOCK, size == 1 ? 0x0fb0 : 0x0fb1, r, mem);
    enc_commit(cb, &e);
}

void x86_lock_xadd(CodeBuf *cb, int size, X86Operand mem, X86Reg r)
{
    Enc e = { .n = 0 };
    emit_rm(&e, size_attrs(size) | A_LOCK, size == 1 ? 0x0fc0 : 0x0fc1, r, mem);
    enc_commit(cb, &e);
}

void x86_lock_cmpxchg16b(CodeBuf *cb, X86Operand mem)
{
    Enc e = { .n = 0 };
    emit_rm_digit(&e, A_W | A_LOCK, 0x0fc7, 1, mem);
    enc_commit(cb, &e);
}

/* F2 [66] [REX] 0F 38 F0/F1: the accumulator dst is always 32-bit (REX.W
 * only widens the source); the byte form's source is an 8-bit register. */
void x86_crc32(CodeBuf *cb, int size, X86Reg dst, X86Operand src)
{
    Enc e = { .n = 0 };
    unsigned attrs = A_PREFIX(0xf2) | (size_attrs(size) & ~A_BYTE_REG);
    emit_rm(&e, attrs, size == 1 ? 0x0f38f0 : 0x0f38f1, dst, src);
    enc_commit(cb, &e);
}

/* ---- stack -------------------------------------------------------------- */

void x86_push(CodeBuf *cb, X86Reg r)
{
    Enc e = { .n = 0 };
    emit_plus_reg(&e, 0, 0x50, r);
    enc_commit(cb, &e);
}

void x86_pop(CodeBuf *cb, X86Reg r)
{
    Enc e = { .n = 0 };
    emit_plus_reg(&e, 0, 0x58, r);
    enc_commit(cb, &e);
}

void x86_push_imm32(CodeBuf *cb, int32_t imm)
{
    Enc e = { .n = 0 };
    put8(&e, 0x68);
    put32(&e, (uint32_t)imm);
    enc_commit(cb, &e);
}

/* ---- zero-operand instructions and NOPs --------------------------------- */

#define X86_DEFINE_SIMPLE(name, ...)                                  \
    void x86_##name(CodeBuf *cb)                                      \
    {                                                                 \
        static const uint8_t bytes[] = { __VA_ARGS__ };               \
        x86_bytes(cb, bytes, sizeof(bytes));                         \
    }
X86_SIMPLE_INSNS(X86_DEFINE_SIMPLE)
#undef X86_DEFINE_SIMPLE

/* The recommended multi-byte NOPs of lengths 1..9 (Intel SDM, NOP). */
static const uint8_t nop_table[9][9] = {
    { 0x90 },
    { 0x66, 0x90 },
    { 0x0f, 0x1f, 0x00 },
    { 0x0f, 0x1f, 0x40, 0x00 },
    { 0x0f, 0x1f, 0x44, 0x00, 0x00 },
    { 0x66, 0x0f, 0x1f, 0x44, 0x00, 0x00 },
    { 0x0f, 0x1f, 0x80, 0x00, 0x00, 0x00, 0x00 },
    { 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
    { 0x66, 0x0f, 0x1f, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00 },
};

void x86_nop(CodeBuf *cb, int len)
{
    while (len > 0) {
        int n = len > 9 ? 9 : len;
        x86_bytes(cb, nop_table[n - 1], (size_t)n);
        len -= n;
    }
}

/* ---- branches ----------------------------------------------------------- */

bool x86_rel32_reaches(uintptr_t from_end, uintptr_t target)
{
    return fits_int32((int64_t)(target - from_end));
}

void x86_patch_rel32(intptr_t exec_delta, uint8_t *disp, uintptr_t target)
{
    uintptr_t end = (uintptr_t)disp + exec_delta + 4;
    uint32_t rel = (uint32_t)(target - end);
    if (((uintptr_t)disp & 3) == 0) {
        __atomic_store_n((uint32_t *)disp, rel, __ATOMIC_RELEASE);
    } else {
        memcpy(disp, &rel, 4);          /* still one 4-byte store on x86 */
    }
}

/* Commit a branch whose last 4 bytes are a rel32 (0 if target is 0) and
 * return the rel32's writable address, or NULL if the buffer overflowed. */
static uint8_t *commit_rel32(CodeBuf *cb, Enc *e, uintptr_t target)
{
    put32(e, 0);
    enc_commit(cb, e);
    if (cb->overflow) {
        return NULL;
    }
    uint8_t *disp = cb->ptr - 4;
    if (target) {
        x86_patch_rel32(cb->exec_delta, disp, target);
    }
    return disp;
}

uint8_t *x86_jmp(CodeBuf *cb, uintptr_t target)
{
    Enc e = { .n = 0 };
    put8(&e, 0xe9);
    return commit_rel32(cb, &e, target);
}

uint8_t *x86_jcc(CodeBuf *cb, X86Cond cc, uintptr_t target)
{
    Enc e = { .n = 0 };
    put8(&e, 0x0f);
    put8(&e, (uint8_t)(0x80 + cc));
    return commit_rel32(cb, &e, target);
}

uint8_t *x86_call(CodeBuf *cb, uintptr_t target)
{
    Enc e = { .n = 0 };
    put8(&e, 0xe8);
    return commit_rel32(cb, &e, target);
}

/* lea dst, [rip + disp32] when addr is in reach of the code, else movabs:
 * code that names ferry's own functions and tables this way does not
 * depend on where ferry and its code buffer were mapped, only on the
 * distance between them (which the code buffer keeps fixed). */
void x86_mov_addr(CodeBuf *cb, X86Reg dst, uintptr_t addr)
{
    uintptr_t end = cb_exec_addr(cb, cb->ptr) + 7;
    if (!x86_rel32_reaches(end, addr)) {
        x86_mov(cb, 8, x86_r(dst), x86_i((int64_t)addr));
        return;
    }
    Enc e = { .n = 0 };
    put8(&e, (uint8_t)(0x48 | (dst >= 8 ? 4 : 0)));
    put8(&e, 0x8d);
    put8(&e, (uint8_t)(((dst & 7) << 3) | 5));
    commit_rel32(cb, &e, addr);
}

/* call rel32 when in reach, else through rax (clobbered either way by
 * the callee's convention). */
void x86_call_addr(CodeBuf *cb, uintptr_t target)
{
    if (x86_rel32_reaches(cb_exec_addr(cb, cb->ptr) + 5, target)) {
        x86_call(cb, target);
    } else {
        x86_call_abs(cb, target);
    }
}

void x86_call_abs(CodeBuf *cb, uintptr_t target)
{
    Enc e = { .n = 0 };
    mov_reg_imm(&e, 8, X86_RAX, (int64_t)target);
    emit_rm_digit(&e, 0, 0xff, 2, x86_r(X86_RAX));
    enc_commit(cb, &e);
}

void x86_jmp_reg(CodeBuf *cb, X86Operand target)
{
    Enc e = { .n = 0 };
    emit_rm_digit(&e, 0, 0xff, 4, target);
    enc_commit(cb, &e);
}

void x86_call_reg(CodeBuf *cb, X86Operand target)
{
    Enc e = { .n = 0 };
    emit_rm_digit(&e, 0, 0xff, 2, target);
    enc_commit(cb, &e);
}

/* Commit a short branch whose last byte is a rel8 placeholder and return
 * the placeholder's address, or NULL if the buffer overflowed. */
static uint8_t *commit_rel8(CodeBuf *cb, Enc *e)
{
    put8(e, 0);
    enc_commit(cb, e);
    return cb->overflow ? NULL : cb->ptr - 1;
}

uint8_t *x86_jmp8(CodeBuf *cb)
{
    Enc e = { .n = 0 };
    put8(&e, 0xeb);
    return commit_rel8(cb, &e);
}

uint8_t *x86_jcc8(CodeBuf *cb, X86Cond cc)
{
    Enc e = { .n = 0 };
    put8(&e, (uint8_t)(0x70 + cc));
    return commit_rel8(cb, &e);
}

void x86_bind_rel8(CodeBuf *cb, uint8_t *rel8)
{
    if (!rel8) {
        return;                         /* the branch itself overflowed */
    }
    ptrdiff_t rel = cb->ptr - (rel8 + 1);
    assert(rel >= INT8_MIN && rel <= INT8_MAX);
    *rel8 = (uint8_t)rel;
}

/* ---- SSE ---------------------------------------------------------------- */

static uint32_t map_opcode(X86OpMap map, uint8_t opcode)
{
    switch (map) {
    case X86_MAP_0F38: return 0x0f3800 | opcode;
    case X86_MAP_0F3A: return 0x0f3a00 | opcode;
    default: return 0x0f00 | opcode;
    }
}

static void emit_sse(Enc *e, uint8_t prefix, X86OpMap map, uint8_t opcode, int reg,
                     X86Operand rm, bool rex_w)
{
    emit_rm(e, A_PREFIX(prefix) | (rex_w ? A_W : 0), map_opcode(map, opcode), reg, rm);
}

void x86_sse(CodeBuf *cb, uint8_t prefix, X86OpMap map, uint8_t opcode, int reg,
             X86Operand rm, bool rex_w)
{
    Enc e = { .n = 0 };
    emit_sse(&e, prefix, map, opcode, reg, rm, rex_w);
    enc_commit(cb, &e);
}

void x86_sse_imm(CodeBuf *cb, uint8_t prefix, X86OpMap map, uint8_t opcode, int reg,
                 X86Operand rm, bool rex_w, uint8_t imm)
{
    Enc e = { .n = 0 };
    emit_sse(&e, prefix, map, opcode, reg, rm, rex_w);
    put8(&e, imm);
    enc_commit(cb, &e);
}

void x86_movdqu_load(CodeBuf *cb, int xmm, X86Operand mem) { x86_sse(cb, 0xf3, X86_MAP_0F, 0x6f, xmm, mem, false); }
void x86_movdqu_store(CodeBuf *cb, X86Operand mem, int xmm) { x86_sse(cb, 0xf3, X86_MAP_0F, 0x7f, xmm, mem, false); }
void x86_movdqa_load(CodeBuf *cb, int xmm, X86Operand rm) { x86_sse(cb, 0x66, X86_MAP_0F, 0x6f, xmm, rm, false); }
void x86_movdqa_store(CodeBuf *cb, X86Operand mem, int xmm) { x86_sse(cb, 0x66, X86_MAP_0F, 0x7f, xmm, mem, false); }
void x86_movd_load(CodeBuf *cb, int xmm, X86Operand rm) { x86_sse(cb, 0x66, X86_MAP_0F, 0x6e, xmm, rm, false); }
void x86_movd_store(CodeBuf *cb, X86Operand rm, int xmm) { x86_sse(cb, 0x66, X86_MAP_0F, 0x7e, xmm, rm, false); }

/* From a GPR: 66 REX.W 0F 6E; from memory the shorter F3 0F 7E. */
void x86_movq_load(CodeBuf *cb, int xmm, X86Operand rm)
{
    Enc e = { .n = 0 };
    if (rm.kind == X86_OP_REG) {
        emit_sse(&e, 0x66, X86_MAP_0F, 0x6e, xmm, rm, true);
    } else {
        emit_sse(&e, 0xf3, X86_MAP_0F, 0x7e, xmm, rm, false);
    }
    enc_commit(cb, &e);
}

/* To a GPR: 66 REX.W 0F 7E; to memory 66 0F D6. */
void x86_movq_store(CodeBuf *cb, X86Operand rm, int xmm)
{
    Enc e = { .n = 0 };
    if (rm.kind == X86_OP_REG) {
        emit_sse(&e, 0x66, X86_MAP_0F, 0x7e, xmm, rm, true);
    } else {
        emit_sse(&e, 0x66, X86_MAP_0F, 0xd6, xmm, rm, false);
    }
    enc_commit(cb, &e);
}
