/*
 * The AdvSIMD cryptographic extension: AESE/AESD/AESMC/AESIMC (inline
 * AES-NI through the VAES* IR ops), the SHA-1 and SHA-256 instructions
 * (C helpers on env->v, following the Arm ARM pseudo-code), and the
 * polynomial multiplies PMULL/PMULL2 (64-bit lanes: inline PCLMULQDQ;
 * 8-bit lanes and PMUL: a C helper).  Encodings: insns-simd.def.
 *
 * Helpers that work on V registers get their register numbers packed in
 * one constant argument (crypto_regs below).
 */
#include <string.h>

#include "target/aarch64/simd.h"

/* ---- helper arguments --------------------------------------------------- */

enum { CR_Q = 1 << 15, CR_HIGH = 1 << 16 };

static uint64_t crypto_regs(uint32_t insn)
{
    return extract32(insn, 0, 5) | extract32(insn, 5, 5) << 5 | extract32(insn, 16, 5) << 10;
}

typedef struct Vec128 { uint32_t e[4]; } Vec128;

static Vec128 vget(const CPUState *env, int r)
{
    Vec128 v;
    memcpy(v.e, env->v[r], 16);
    return v;
}

static void vput(CPUState *env, int r, Vec128 v)
{
    memcpy(env->v[r], v.e, 16);
}

static uint32_t rol32(uint32_t x, int n) { return (x << n) | (x >> (32 - n)); }
static uint32_t ror32(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

/* ---- AES ------------------------------------------------------------------ */

/* 0100 1110 0010 1000 0 opcode(4) 10 Rn Rd: 0100 AESE, 0101 AESD,
 * 0110 AESMC, 0111 AESIMC. */
bool trans_crypto_aes(DisasContext *s, uint32_t insn)
{
    static const IROp ops[4] = { IR_VAESE, IR_VAESD, IR_VAESMC, IR_VAESIMC };
    if (!cpu_model_has(s->model, FEAT_AES)) {
        return false;
    }
    uint32_t regs = va_pack((int)extract32(insn, 0, 5), (int)extract32(insn, 5, 5), 0, 0);
    vec_emit(s, ops[extract32(insn, 12, 2)], regs | VA_Q, MO_8, IR_NONE);
    return true;
}

/* ---- SHA-1 ---------------------------------------------------------------- */

static uint32_t sha_choose(uint32_t x, uint32_t y, uint32_t z) { return (x & y) | (~x & z); }
static uint32_t sha_parity(uint32_t x, uint32_t y, uint32_t z) { return x ^ y ^ z; }
static uint32_t sha_majority(uint32_t x, uint32_t y, uint32_t z) { return (x & y) | (x & z) | (y & z); }

/* SHA1C/SHA1P/SHA1M: four rounds on hash state Qd (a, b, c, d) and Sn (e)
 * with the schedule words in Vm. */
static void sha1_rounds(CPUState *env, uint64_t regs,
                        uint32_t (*f)(uint32_t, uint32_t, uint32_t))
{
    int d = regs & 31, n = (regs >> 5) & 31, m = (regs >> 10) & 31;
    Vec128 x = vget(env, d), w = vget(env, m);
    uint32_t y = (uint32_t)env->v[n][0];
    for (int e = 0; e < 4; e++) {
        uint32_t t = f(x.e[1], x.e[2], x.e[3]);
        y += rol32(x.e[0], 5) + t + w.e[e];
        x.e[1] = rol32(x.e[1], 30);
        uint32_t top = x.e[3];          /* <Y, X> = ROL(Y : X, 32) */
        x.e[3] = x.e[2];
        x.e[2] = x.e[1];
        x.e[1] = x.e[0];
        x.e[0] = y;
        y = top;
    }
    vput(env, d, x);
}

static uint64_t helper_sha1c(void *env, uint64_t regs, uint64_t u1, uint64_t u2)
{
    sha1_rounds(env, regs, sha_choose);
    return 0;
}

static uint64_t helper_sha1p(void *env, uint64_t regs, uint64_t u1, uint64_t u2)
{
    sha1_rounds(env, regs, sha_parity);
    return 0;
}

static uint64_t helper_sha1m(void *env, uint64_t regs, uint64_t u1, uint64_t u2)
{
    sha1_rounds(env, regs, sha_majority);
    return 0;
}

/* SHA1SU0: (Vn<63:0> : Vd<127:64>) ^ Vd ^ Vm. */
static uint64_t helper_sha1su0(void *envp, uint64_t regs, uint64_t u1, uint64_t u2)
{
    CPUState *env = envp;
    int d = regs & 31, n = (regs >> 5) & 31, m = (regs >> 10) & 31;
    uint64_t lo = env->v[d][1] ^ env->v[d][0] ^ env->v[m][0];
    uint64_t hi = env->v[n][0] ^ env->v[d][1] ^ env->v[m][1];
    env->v[d][0] = lo;
    env->v[d][1] = hi;
    return 0;
}

/* SHA1SU1: T = Vd ^ (Vn >> 32); each lane rotated by 1, lane 3 also
 * takes lane 0 rotated by 2. */
static uint64_t helper_sha1su1(void *envp, uint64_t regs, uint64_t u1, uint64_t u2)
{
    CPUState *env = envp;
    int d = regs & 31, n = (regs >> 5) & 31;
    Vec128 x = vget(env, d), y = vget(env, n), r;
    uint32_t t[4] = { x.e[0] ^ y.e[1], x.e[1] ^ y.e[2], x.e[2] ^ y.e[3], x.e[3] };
    for (int e = 0; e < 3; e++) {
        r.e[e] = rol32(t[e], 1);
    }
    r.e[3] = rol32(t[3], 1) ^ rol32(t[0], 2);
    vput(env, d, r);
    return 0;
}

/* SHA1H: Sd = ROL(Sn, 30), the rest of Vd zeroed. */
static uint64_t helper_sha1h(void *envp, uint64_t regs, uint64_t u1, uint64_t u2)
{
    CPUState *env = envp;
    int d = regs & 31, n = (regs >> 5) & 31;
    env->v[d][0] = rol32((uint32_t)env->v[n][0], 30);
    env->v[d][1] = 0;
    return 0;
}

/* ---- SHA-256 -------------------------------------------------------------- */

/* Four rounds on (x = a..d, y = e..h) with schedule words w; returns x
 * (part 1, SHA256H) or y (SHA256H2). */
static Vec128 sha256_hash(Vec128 x, Vec128 y, Vec128 w, bool part1)
{
    for (int e = 0; e < 4; e++) {
        uint32_t chs = sha_choose(y.e[0], y.e[1], y.e[2]);
        uint32_t maj = sha_majority(x.e[0], x.e[1], x.e[2]);
        uint32_t sigma1 = ror32(y.e[0], 6) ^ ror32(y.e[0], 11) ^ ror32(y.e[0], 25);
        uint32_t sigma0 = ror32(x.e[0], 2) ^ ror32(x.e[0], 13) ^ ror32(x.e[0], 22);
        uint32_t t1 = y.e[3] + sigma1 + chs + w.e[e];
        x.e[3] += t1;
        y.e[3] = t1 + sigma0 + maj;
        uint32_t x_top = x.e[3], y_top = y.e[3];   /* <Y, X> = ROL(Y : X, 32) */
        for (int k = 3; k > 0; k--) {
            x.e[k] = x.e[k - 1];
            y.e[k] = y.e[k - 1];
        }
        x.e[0] = y_top;
        y.e[0] = x_top;
    }
    return part1 ? x : y;
}

static uint64_t helper_sha256h(void *envp, uint64_t regs, uint64_t u1, uint64_t u2)
{
    CPUState *env = envp;
    int d = regs & 31, n = (regs >> 5) & 31, m = (regs >> 10) & 31;
    vput(env, d, sha256_hash(vget(env, d), vget(env, n), vget(env, m), true));
    return 0;
}

static uint64_t helper_sha256h2(void *envp, uint64_t regs, uint64_t u1, uint64_t u2)
{
    CPUState *env = envp;
    int d = regs & 31, n = (regs >> 5) & 31, m = (regs >> 10) & 31;
    vput(env, d, sha256_hash(vget(env, n), vget(env, d), vget(env, m), false));
    return 0;
}

/* SHA256SU0: T = Vn<31:0> : Vd<127:32>; Vd.e += sigma0(T.e). */
static uint64_t helper_sha256su0(void *envp, uint64_t regs, uint64_t u1, uint64_t u2)
{
    CPUState *env = envp;
    int d = regs & 31, n = (regs >> 5) & 31;
    Vec128 x = vget(env, d), y = vget(env, n), r;
    uint32_t t[4] = { x.e[1], x.e[2], x.e[3], y.e[0] };
    for (int e = 0; e < 4; e++) {
        r.e[e] = x.e[e] + (ror32(t[e], 7) ^ ror32(t[e], 18) ^ (t[e] >> 3));
    }
    vput(env, d, r);
    return 0;
}

static uint32_t sha256_sigma1_small(uint32_t x)
{
    return ror32(x, 17) ^ ror32(x, 19) ^ (x >> 10);
}

/* SHA256SU1: T0 = Vm<31:0> : Vn<127:32>; lanes 0-1 from Vm lanes 2-3,
 * lanes 2-3 from the new lanes 0-1. */
static uint64_t helper_sha256su1(void *envp, uint64_t regs, uint64_t u1, uint64_t u2)
{
    CPUState *env = envp;
    int d = regs & 31, n = (regs >> 5) & 31, m = (regs >> 10) & 31;
    Vec128 x = vget(env, d), y = vget(env, n), z = vget(env, m), r;
    uint32_t t0[4] = { y.e[1], y.e[2], y.e[3], z.e[0] };
    r.e[0] = sha256_sigma1_small(z.e[2]) + x.e[0] + t0[0];
    r.e[1] = sha256_sigma1_small(z.e[3]) + x.e[1] + t0[1];
    r.e[2] = sha256_sigma1_small(r.e[0]) + x.e[2] + t0[2];
    r.e[3] = sha256_sigma1_small(r.e[1]) + x.e[3] + t0[3];
    vput(env, d, r);
    return 0;
}

/* 0101 1110 000 Rm 0 opcode(3) 00 Rn Rd: SHA1C, SHA1P, SHA1M, SHA1SU0,
 * SHA256H, SHA256H2, SHA256SU1. */
bool trans_crypto_sha3reg(DisasContext *s, uint32_t insn)
{
    static const IRHelper helpers[7] = {
        helper_sha1c, helper_sha1p, helper_sha1m, helper_sha1su0,
        helper_sha256h, helper_sha256h2, helper_sha256su1,
    };
    unsigned opcode = extract32(insn, 12, 3);
    if (opcode == 7 || !cpu_model_has(s->model, opcode < 4 ? FEAT_SHA1 : FEAT_SHA2)) {
        return false;
    }
    ir_call(s->b, helpers[opcode], cst(s, crypto_regs(insn)), IR_NONE, IR_NONE);
    return true;
}

/* 0101 1110 0010 1000 0 opcode(4) 10 Rn Rd: 0000 SHA1H, 0001 SHA1SU1,
 * 0010 SHA256SU0. */
bool trans_crypto_sha2reg(DisasContext *s, uint32_t insn)
{
    static const IRHelper helpers[3] = { helper_sha1h, helper_sha1su1, helper_sha256su0 };
    unsigned opcode = extract32(insn, 12, 2);
    if (opcode == 3 || !cpu_model_has(s->model, opcode < 2 ? FEAT_SHA1 : FEAT_SHA2)) {
        return false;
    }
    ir_call(s->b, helpers[opcode], cst(s, crypto_regs(insn)), IR_NONE, IR_NONE);
    return true;
}

/* ---- polynomial multiplies ------------------------------------------------ */

static uint16_t clmul8(uint8_t a, uint8_t b)
{
    uint16_t r = 0;
    for (int i = 0; i < 8; i++) {
        if (b & (1u << i)) {
            r ^= (uint16_t)(a << i);
        }
    }
    return r;
}

/* PMULL/PMULL2 .8H: eight 8x8 -> 16-bit carry-less products of the low
 * (CR_HIGH: high) halves of Vn and Vm. */
static uint64_t helper_pmull8(void *envp, uint64_t regs, uint64_t u1, uint64_t u2)
{
    CPUState *env = envp;
    int d = regs & 31, n = (regs >> 5) & 31, m = (regs >> 10) & 31;
    int half = (regs & CR_HIGH) ? 1 : 0;
    uint64_t a = env->v[n][half], b = env->v[m][half], lo = 0, hi = 0;
    for (int i = 0; i < 4; i++) {
        lo |= (uint64_t)clmul8((uint8_t)(a >> (8 * i)), (uint8_t)(b >> (8 * i))) << (16 * i);
        hi |= (uint64_t)clmul8((uint8_t)(a >> (8 * i + 32)), (uint8_t)(b >> (8 * i + 32))) << (16 * i);
    }
    env->v[d][0] = lo;
    env->v[d][1] = hi;
    return 0;
}

/* PMUL .8B/.16B: the low 8 bits of each byte lane's carry-less product. */
static uint64_t helper_pmul8(void *envp, uint64_t regs, uint64_t u1, uint64_t u2)
{
    CPUState *env = envp;
    int d = regs & 31, n = (regs >> 5) & 31, m = (regs >> 10) & 31;
    uint64_t r[2] = { 0, 0 };
    for (int h = 0; h < ((regs & CR_Q) ? 2 : 1); h++) {
        for (int i = 0; i < 8; i++) {
            uint16_t p = clmul8((uint8_t)(env->v[n][h] >> (8 * i)), (uint8_t)(env->v[m][h] >> (8 * i)));
            r[h] |= (uint64_t)(p & 0xff) << (8 * i);
        }
    }
    env->v[d][0] = r[0];
    env->v[d][1] = r[1];
    return 0;
}

/* PMULL/PMULL2 (three different, opcode 1110): size 00 = .8H from bytes,
 * size 11 = .1Q from doublewords (FEAT_PMULL). */
bool gen_pmull(DisasContext *s, uint32_t insn)
{
    bool q = extract32(insn, 30, 1);
    unsigned size = extract32(insn, 22, 2);
    if (size == 3) {
        if (!cpu_model_has(s->model, FEAT_PMULL)) {
            return false;
        }
        uint32_t regs = va_pack((int)extract32(insn, 0, 5), (int)extract32(insn, 5, 5),
                                (int)extract32(insn, 16, 5), 0);
        vec_emit(s, IR_VPMULL64, regs | VA_Q | (q ? VA_HIGH : 0), MO_64, IR_NONE);
        return true;
    }
    if (size != 0) {
        return false;
    }
    ir_call(s->b, helper_pmull8, cst(s, crypto_regs(insn) | (q ? CR_HIGH : 0)), IR_NONE, IR_NONE);
    return true;
}

/* PMUL (three same, U = 1, opcode 10011, size 00). */
bool gen_pmul(DisasContext *s, uint32_t insn)
{
    bool q = extract32(insn, 30, 1);
    if (extract32(insn, 22, 2) != 0) {
        return false;
    }
    ir_call(s->b, helper_pmul8, cst(s, crypto_regs(insn) | (q ? CR_Q : 0)), IR_NONE, IR_NONE);
    return true;
}
