/*
 * C helpers for the integer AdvSIMD forms without an inline lowering (see
 * simd-helpers.h for the descriptor; simd-int.c lists what is inline):
 * the scalar B/H/S forms of the saturating, doubling and narrowing ops,
 * the saturating shifts by register, SUQADD/USQADD, SQRDMLAH/SQRDMLSH,
 * URECPE/URSQRTE, and the shifts by register on hosts without AVX2.  The
 * helper implements every operation of the descriptor.  Lane values are
 * widened to 128 bits so every intermediate is exact; FPSR.QC records
 * saturation.
 */
#include <string.h>

#include "target/aarch64/cpu.h"
#include "target/aarch64/fp-arm.h"
#include "target/aarch64/simd-helpers.h"
#include "tcg/ir-vec.h"

typedef __int128 i128;

typedef struct Lanes {
    CPUState *env;
    bool sgn;
    bool qc;
} Lanes;

static i128 get_elem(const CPUState *env, int r, int idx, int lg, bool sgn)
{
    const uint8_t *p = (const uint8_t *)env->v[r] + (idx << lg);
    switch (lg) {
    case 0: return sgn ? (i128)(int8_t)p[0] : (i128)p[0];
    case 1: { uint16_t v; memcpy(&v, p, 2); return sgn ? (i128)(int16_t)v : (i128)v; }
    case 2: { uint32_t v; memcpy(&v, p, 4); return sgn ? (i128)(int32_t)v : (i128)v; }
    default: { uint64_t v; memcpy(&v, p, 8); return sgn ? (i128)(int64_t)v : (i128)v; }
    }
}

static void put_elem(uint64_t *out, int idx, int lg, i128 v)
{
    uint64_t x = (uint64_t)v;
    memcpy((uint8_t *)out + (idx << lg), &x, (size_t)1 << lg);
}

static i128 ones(int bits) { return bits >= 64 ? (i128)~0ull : (((i128)1 << bits) - 1); }

static i128 sat(Lanes *l, i128 x, int bits, bool sgn)
{
    i128 lo = sgn ? -((i128)1 << (bits - 1)) : 0;
    i128 hi = sgn ? ((i128)1 << (bits - 1)) - 1 : ones(bits);
    if (x < lo) {
        l->qc = true;
        return lo;
    }
    if (x > hi) {
        l->qc = true;
        return hi;
    }
    return x;
}

/* a shifted right by n (n > 0; arithmetic on the extended value). */
static i128 shr(i128 a, int n, bool round)
{
    if (n > 100) {
        n = 100;
    }
    if (round) {
        a += (i128)1 << (n - 1);
    }
    return a >> n;
}

/* a << s for 0 <= s < bits (|a| < 2^64 so no overflow). */
static i128 shl(i128 a, int s) { return a * ((i128)1 << s); }

/* Shift by a signed register amount (the low byte of b). */
static i128 shift_reg(Lanes *l, i128 a, i128 b, int bits, bool round, bool saturate)
{
    int s = (int8_t)(uint8_t)b;
    if (s < 0) {
        return shr(a, -s, round);
    }
    if (!saturate) {
        return s >= bits ? 0 : shl(a, s);
    }
    if (a == 0) {
        return 0;
    }
    if (s >= bits) {
        return sat(l, a > 0 ? ones(bits) * 4 : -ones(bits) * 4, bits, l->sgn);
    }
    return sat(l, shl(a, s), bits, l->sgn);
}

static i128 polymul(i128 a, i128 b, int bits)
{
    uint64_t x = (uint64_t)a, y = (uint64_t)b, r = 0;
    for (int i = 0; i < bits; i++) {
        if ((y >> i) & 1) {
            r ^= x << i;
        }
    }
    return (i128)r;
}

static int count_leading(uint64_t x, int bits)
{
    x &= (uint64_t)ones(bits);
    return x ? __builtin_clzll(x) - (64 - bits) : bits;
}

/* One lane: eb result bits, ib input bits. */
static i128 int_op(Lanes *l, int op, i128 a, i128 b, i128 acc, int eb, int ib)
{
    bool sgn = l->sgn;
    i128 t;
    switch (op) {
    case VI_ADD: case VI_ADDLP: return a + b;
    case VI_ADALP: return acc + a + b;
    case VI_SUB: return a - b;
    case VI_MUL: return a * b;
    case VI_MLA: return acc + a * b;
    case VI_MLS: return acc - a * b;
    case VI_PMUL: return polymul(a, b, ib);
    case VI_QADD: return sat(l, a + b, eb, sgn);
    case VI_QSUB: return sat(l, a - b, eb, sgn);
    case VI_HADD: return (a + b) >> 1;
    case VI_RHADD: return (a + b + 1) >> 1;
    case VI_HSUB: return (a - b) >> 1;
    case VI_SHL: return shift_reg(l, a, b, eb, false, false);
    case VI_RSHL: return shift_reg(l, a, b, eb, true, false);
    case VI_QSHL: return shift_reg(l, a, b, eb, false, true);
    case VI_QRSHL: return shift_reg(l, a, b, eb, true, true);
    case VI_MAX: return a > b ? a : b;
    case VI_MIN: return a < b ? a : b;
    case VI_ABD: return a > b ? a - b : b - a;
    case VI_ABA: return acc + (a > b ? a - b : b - a);
    case VI_QDMULH: return sat(l, (2 * a * b) >> eb, eb, true);
    case VI_QRDMULH: return sat(l, (2 * a * b + ((i128)1 << (eb - 1))) >> eb, eb, true);
    case VI_QRDMLAH: return sat(l, ((acc << eb) + 2 * a * b + ((i128)1 << (eb - 1))) >> eb, eb, true);
    case VI_QRDMLSH: return sat(l, ((acc << eb) - 2 * a * b + ((i128)1 << (eb - 1))) >> eb, eb, true);
    case VI_QDMULL: return sat(l, 2 * a * b, eb, true);
    case VI_QDMLAL: t = sat(l, 2 * a * b, eb, true); return sat(l, acc + t, eb, true);
    case VI_QDMLSL: t = sat(l, 2 * a * b, eb, true); return sat(l, acc - t, eb, true);
    case VI_CMTST: return ((uint64_t)a & (uint64_t)b & (uint64_t)ones(eb)) ? -1 : 0;
    case VI_CMEQ: return a == b ? -1 : 0;
    case VI_CMGT: return a > b ? -1 : 0;
    case VI_CMGE: return a >= b ? -1 : 0;
    case VI_CMLE0: return a <= 0 ? -1 : 0;
    case VI_CMLT0: return a < 0 ? -1 : 0;
    case VI_ABS: return a < 0 ? -a : a;
    case VI_NEG: return -a;
    case VI_QABS: return sat(l, a < 0 ? -a : a, eb, true);
    case VI_QNEG: return sat(l, -a, eb, true);
    case VI_CLS: return count_leading((uint64_t)(a < 0 ? ~a : a), eb) - 1;
    case VI_CLZ: return count_leading((uint64_t)a, eb);
    case VI_CNT: return __builtin_popcountll((uint64_t)a & (uint64_t)ones(eb));
    case VI_NOT: return ~a;
    case VI_RBIT: {
        uint64_t x = (uint64_t)a, r = 0;
        for (int i = 0; i < eb; i++) {
            r |= ((x >> i) & 1) << (eb - 1 - i);
        }
        return (i128)r;
    }
    case VI_SUQADD: case VI_USQADD: return sat(l, acc + a, eb, sgn);
    case VI_SHR: return shr(a, (int)b, false);
    case VI_RSHR: return shr(a, (int)b, true);
    case VI_SRA: return acc + shr(a, (int)b, false);
    case VI_RSRA: return acc + shr(a, (int)b, true);
    case VI_SRI: {
        i128 mask = b >= eb ? 0 : ones(eb) >> (int)b;
        return (acc & ~mask) | (shr(a & ones(eb), (int)b, false) & mask);
    }
    case VI_SLI: {
        i128 mask = shl(ones(eb), (int)b) & ones(eb);
        return (acc & ~mask) | (shl(a, (int)b) & mask);
    }
    case VI_SHLI: return shl(a, (int)b);
    case VI_QSHLI: return sat(l, shl(a, (int)b), eb, sgn);
    case VI_QSHLUI: return sat(l, shl(a, (int)b), eb, false);
    case VI_XTN: return a;
    case VI_QXTN: return sat(l, a, eb, sgn);
    case VI_QXTUN: return sat(l, a, eb, false);
    case VI_SHRN: return shr(a, (int)b, false);
    case VI_RSHRN: return shr(a, (int)b, true);
    case VI_QSHRN: return sat(l, shr(a, (int)b, false), eb, sgn);
    case VI_QRSHRN: return sat(l, shr(a, (int)b, true), eb, sgn);
    case VI_QSHRUN: return sat(l, shr(a, (int)b, false), eb, false);
    case VI_QRSHRUN: return sat(l, shr(a, (int)b, true), eb, false);
    case VI_ADDHN: return (a + b) >> eb;
    case VI_RADDHN: return (a + b + ((i128)1 << (eb - 1))) >> eb;
    case VI_SUBHN: return (a - b) >> eb;
    case VI_RSUBHN: return (a - b + ((i128)1 << (eb - 1))) >> eb;
    case VI_URECPE: return fpa_urecpe((uint32_t)a);
    case VI_URSQRTE: return fpa_ursqrte((uint32_t)a);
    default: return 0;
    }
}

/* Does the op read its first operand signed regardless of VD_SIGNED? */
static bool a_signed(int op, bool sgn)
{
    switch (op) {
    case VI_QXTUN: case VI_QSHRUN: case VI_QRSHRUN: case VI_QSHLUI:
    case VI_CMLE0: case VI_CMLT0: case VI_ABS: case VI_NEG: case VI_QABS: case VI_QNEG:
    case VI_CLS: case VI_QDMULH: case VI_QRDMULH: case VI_QDMULL: case VI_QDMLAL:
    case VI_QDMLSL: case VI_QRDMLAH: case VI_QRDMLSH:
        return true;
    case VI_SUQADD: case VI_USQADD:
        return !sgn;
    case VI_CLZ: case VI_CNT: case VI_NOT: case VI_RBIT: case VI_SRI: case VI_SLI:
    case VI_URECPE: case VI_URSQRTE: case VI_CMTST:
        return false;
    default:
        return sgn;
    }
}

static bool b_signed(int op, bool sgn)
{
    switch (op) {
    case VI_QDMULH: case VI_QRDMULH: case VI_QDMULL: case VI_QDMLAL: case VI_QDMLSL:
    case VI_QRDMLAH: case VI_QRDMLSH:
        return true;
    default:
        return sgn;
    }
}

static void reduce_across(Lanes *l, int op, int d, int n, int lg, int lanes, uint64_t *out)
{
    const CPUState *env = l->env;
    i128 acc = get_elem(env, n, 0, lg, l->sgn);
    for (int i = 1; i < lanes; i++) {
        i128 x = get_elem(env, n, i, lg, l->sgn);
        switch (op) {
        case VI_MAXV: acc = x > acc ? x : acc; break;
        case VI_MINV: acc = x < acc ? x : acc; break;
        default: acc += x; break;
        }
    }
    put_elem(out, 0, op == VI_ADDLV ? lg + 1 : lg, acc);
}

uint64_t helper_vint(void *envp, uint64_t regs, uint64_t desc, uint64_t imm)
{
    CPUState *env = envp;
    Lanes l = { env, (desc & VD_SIGNED) != 0, false };
    int op = vd_op(desc), lg = vd_size(desc), shape = vd_shape(desc);
    int d = va_d((uint32_t)regs), n = va_n((uint32_t)regs), m = va_m((uint32_t)regs);
    bool q = regs & VA_Q, high = regs & VA_HIGH, scalar = desc & VD_SCALAR;
    bool sa = a_signed(op, l.sgn), sb = b_signed(op, l.sgn);
    int bytes = q ? 16 : 8, eb = 8 << lg;
    uint64_t out[2] = { 0, 0 };
    int lanes = scalar ? 1 : bytes >> lg;
    switch (shape) {
    case VSH_SAME: case VSH_ELEM: case VSH_IMM:
        for (int i = 0; i < lanes; i++) {
            i128 a = get_elem(env, n, i, lg, sa);
            i128 b = (regs & VA_ZERO_M) ? 0 :
                     shape == VSH_SAME ? get_elem(env, m, i, lg, sb) :
                     shape == VSH_ELEM ? get_elem(env, m, (int)imm, lg, sb) : (i128)imm;
            i128 acc = get_elem(env, d, i, lg, l.sgn);
            if (op == VI_DOT) {
                i128 s = acc;
                for (int k = 0; k < 4; k++) {
                    int mi = shape == VSH_ELEM ? (int)imm * 4 + k : i * 4 + k;
                    s += get_elem(env, n, i * 4 + k, 0, l.sgn) * get_elem(env, m, mi, 0, l.sgn);
                }
                put_elem(out, i, lg, s);
                continue;
            }
            put_elem(out, i, lg, int_op(&l, op, a, b, acc, eb, eb));
        }
        break;
    case VSH_LONG: case VSH_LONG_ELEM: case VSH_LONG_IMM: case VSH_WIDE: {
        int part = high ? 8 >> lg : 0;
        lanes = scalar ? 1 : 8 >> lg;
        for (int i = 0; i < lanes; i++) {
            i128 a = shape == VSH_WIDE ? get_elem(env, n, i, lg + 1, sa)
                                       : get_elem(env, n, part + i, lg, sa);
            i128 b = shape == VSH_LONG ? get_elem(env, m, part + i, lg, sb) :
                     shape == VSH_WIDE ? get_elem(env, m, part + i, lg, sb) :
                     shape == VSH_LONG_ELEM ? get_elem(env, m, (int)imm, lg, sb) : (i128)imm;
            i128 acc = get_elem(env, d, i, lg + 1, l.sgn);
            put_elem(out, i, lg + 1, int_op(&l, op, a, b, acc, 2 * eb, eb));
        }
        break;
    }
    case VSH_NARROW: case VSH_NARROW_IMM: {
        int part = high ? 8 >> lg : 0;
        lanes = scalar ? 1 : 8 >> lg;
        if (high) {
            out[0] = env->v[d][0];
        }
        for (int i = 0; i < lanes; i++) {
            i128 a = get_elem(env, n, i, lg + 1, sa);
            i128 b = shape == VSH_NARROW ? get_elem(env, m, i, lg + 1, sb) : (i128)imm;
            put_elem(out, part + i, lg, int_op(&l, op, a, b, 0, eb, 2 * eb));
        }
        break;
    }
    case VSH_PAIR: {
        int half = lanes / 2;
        if (scalar) {
            put_elem(out, 0, lg, int_op(&l, op, get_elem(env, n, 0, lg, sa),
                                        get_elem(env, n, 1, lg, sa), 0, eb, eb));
            break;
        }
        for (int i = 0; i < lanes; i++) {
            int src = i < half ? n : m, j = (i % half) * 2;
            put_elem(out, i, lg, int_op(&l, op, get_elem(env, src, j, lg, sa),
                                        get_elem(env, src, j + 1, lg, sa), 0, eb, eb));
        }
        break;
    }
    case VSH_PAIR_LONG:
        lanes /= 2;
        for (int i = 0; i < lanes; i++) {
            i128 acc = get_elem(env, d, i, lg + 1, l.sgn);
            put_elem(out, i, lg + 1, int_op(&l, op, get_elem(env, n, 2 * i, lg, sa),
                                            get_elem(env, n, 2 * i + 1, lg, sa), acc, 2 * eb, eb));
        }
        break;
    default: /* VSH_ACROSS */
        reduce_across(&l, op, d, n, lg, bytes >> lg, out);
        break;
    }
    bool keep_upper;
    switch (shape) {
    case VSH_LONG: case VSH_LONG_ELEM: case VSH_LONG_IMM: case VSH_WIDE:
        keep_upper = !scalar;
        break;
    case VSH_NARROW: case VSH_NARROW_IMM:
        keep_upper = high && !scalar;
        break;
    case VSH_ACROSS:
        keep_upper = false;
        break;
    default:
        keep_upper = q && !scalar;
        break;
    }
    env->v[d][0] = out[0];
    env->v[d][1] = keep_upper ? out[1] : 0;
    if (l.qc) {
        env->fpsr |= FPSR_QC;
    }
    return 0;
}
