/*
 * The IR builder: appends instructions to a block, folds constants and
 * trivial identities on the way in, and caches guest register reads within
 * the block.  Also the op table generated from ir-ops.def and the `-d op`
 * dump.
 */
#include <glib.h>
#include <inttypes.h>
#include <string.h>

#include "tcg/ir.h"

const IROpInfo ir_op_info[IR_OP_COUNT] = {
#define IR_OP(name, nout, nin, flags) [IR_##name] = { #name, nout, nin, flags },
#include "tcg/ir-ops.def"
#undef IR_OP
};

static void ext_memo_clear(IRBuilder *b)
{
    for (int i = 0; i < 4; i++) {
        b->ext_memo[i] = IR_NONE;
    }
}

void ir_builder_init(IRBuilder *b, uint64_t guest_pc)
{
    memset(b, 0, sizeof(*b));
    b->blk.guest_pc = guest_pc;
    b->blk.guest_end = guest_pc;
    b->blk.nzcv_live_succ = 3;
    for (int i = 0; i < 32; i++) {
        b->reg_cache[i] = IR_NONE;
    }
    ext_memo_clear(b);
}

void ir_builder_reset(IRBuilder *b, uint64_t guest_pc)
{
    IRBlock keep = b->blk;
    b->blk = (IRBlock){ .guest_pc = guest_pc, .guest_end = guest_pc,
                        .insns = keep.insns, .cap_insns = keep.cap_insns,
                        .temps = keep.temps, .cap_temps = keep.cap_temps,
                        .nzcv_live_succ = 3 };
    b->ended = false;
    for (int i = 0; i < 32; i++) {
        b->reg_cache[i] = IR_NONE;
    }
    ext_memo_clear(b);
}

void ir_builder_free(IRBuilder *b)
{
    g_free(b->blk.insns);
    g_free(b->blk.temps);
    memset(&b->blk, 0, sizeof(b->blk));
}

IRTemp ir_new_temp(IRBuilder *b)
{
    return ir_block_new_temp(&b->blk);
}

IRTemp ir_block_new_temp(IRBlock *blk)
{
    if (blk->n_temps == blk->cap_temps) {
        blk->cap_temps = blk->cap_temps ? blk->cap_temps * 2 : 256;
        blk->temps = g_renew(IRTempInfo, blk->temps, blk->cap_temps);
    }
    IRTemp t = blk->n_temps++;
    blk->temps[t] = (IRTempInfo){ .def = UINT32_MAX, .hreg = -1, .spill = -1 };
    return t;
}

IRTemp ir_const(IRBuilder *b, uint64_t val)
{
    IRTemp t = ir_new_temp(b);
    IRTempInfo *ti = &b->blk.temps[t];
    ti->is_const = true;
    ti->val = val;
    ti->zext32 = (val >> 32) == 0;
    return t;
}

/* A result of a 32-bit operation, or a narrow load, has a zero upper half. */
static bool result_is_zext32(const IRInsn *in)
{
    if (in->op == IR_LOAD) {
        return (in->mop & MO_SIZE) < MO_64 && (in->bits == 32 || !(in->mop & MO_SIGN));
    }
    if (in->op == IR_ZEXT) {
        return in->imm <= 32;
    }
    if (in->op == IR_FLAGS_GET || in->op == IR_SETCC) {
        return true;
    }
    return in->bits == 32;
}

IRInsn *ir_emit(IRBuilder *b, IROp op, int bits, IRTemp dst,
                IRTemp s0, IRTemp s1, IRTemp s2)
{
    IRBlock *blk = &b->blk;
    g_assert(!b->ended);
    if (blk->n_insns == blk->cap_insns) {
        blk->cap_insns = blk->cap_insns ? blk->cap_insns * 2 : 256;
        blk->insns = g_renew(IRInsn, blk->insns, blk->cap_insns);
    }
    IRInsn *in = &blk->insns[blk->n_insns];
    *in = (IRInsn){ .op = op, .bits = (uint8_t)bits, .dst = dst,
                    .src = { s0, s1, s2 } };
    if (dst != IR_NONE) {
        blk->temps[dst].def = blk->n_insns;
    }
    blk->n_insns++;
    if (ir_op_info[op].flags & IRF_TERM) {
        b->ended = true;
    }
    return in;
}

/* Emit an op with one result and mark the result's known-zero upper half. */
static IRTemp emit_result(IRBuilder *b, IROp op, int bits, IRTemp s0, IRTemp s1, IRTemp s2,
                          IRInsn **out)
{
    IRTemp d = ir_new_temp(b);
    IRInsn *in = ir_emit(b, op, bits, d, s0, s1, s2);
    if (out) {
        *out = in;
    }
    return d;
}

static void finish_result(IRBuilder *b, IRTemp d)
{
    IRTempInfo *ti = &b->blk.temps[d];
    ti->zext32 = result_is_zext32(&b->blk.insns[ti->def]);
}

/* ---- constant evaluation ------------------------------------------------ */

static uint64_t width_mask(int bits) { return bits == 64 ? ~0ull : 0xffffffffull; }

static uint64_t bit_reverse(uint64_t x, int bits)
{
    uint64_t r = 0;
    for (int i = 0; i < bits; i++) {
        r |= ((x >> i) & 1) << (bits - 1 - i);
    }
    return r;
}

static uint64_t byte_reverse(uint64_t x, int bits)
{
    uint64_t r = 0;
    for (int i = 0; i < bits / 8; i++) {
        r |= ((x >> (8 * i)) & 0xff) << (bits - 8 - 8 * i);
    }
    return r;
}

static int count_trailing_zeros(uint64_t x, int bits)
{
    int n = 0;
    while (n < bits && !((x >> n) & 1)) {
        n++;
    }
    return n;
}

static int count_leading_zeros(uint64_t x, int bits)
{
    int n = 0;
    for (int i = bits - 1; i >= 0 && !((x >> i) & 1); i--) {
        n++;
    }
    return n;
}

/* Evaluate a pure, flag-free op on constants.  Returns false for ops that
 * are not folded here. */

bool ir_fold_eval(IROp op, int bits, uint64_t a, uint64_t c, uint64_t imm, uint64_t *out)
{
    uint64_t m = width_mask(bits);
    unsigned sh = (unsigned)(c & (bits - 1));
    a &= m;
    c &= m;
    int64_t sa = bits == 64 ? (int64_t)a : (int64_t)(int32_t)a;
    int64_t sc = bits == 64 ? (int64_t)c : (int64_t)(int32_t)c;
    uint64_t r;
    switch (op) {
    case IR_MOV:  r = a; break;
    case IR_ADD:  r = a + c; break;
    case IR_SUB:  r = a - c; break;
    case IR_AND:  r = a & c; break;
    case IR_OR:   r = a | c; break;
    case IR_XOR:  r = a ^ c; break;
    case IR_ANDN: r = a & ~c; break;
    case IR_ORN:  r = a | ~c; break;
    case IR_XORN: r = a ^ ~c; break;
    case IR_MUL:  r = a * c; break;
    case IR_MULUH: r = (uint64_t)(((unsigned __int128)a * c) >> 64); break;
    case IR_MULSH: r = (uint64_t)(((__int128)(int64_t)a * (int64_t)c) >> 64); break;
    case IR_UDIV: r = c ? a / c : 0; break;
    case IR_SDIV:
        if (sc == 0) {
            r = 0;
        } else if (sc == -1) {
            r = (uint64_t)-(uint64_t)sa;        /* MIN / -1 wraps to MIN */
        } else {
            r = (uint64_t)(sa / sc);
        }
        break;
    case IR_SHL:  r = a << sh; break;
    case IR_SHR:  r = a >> sh; break;
    case IR_SAR:  r = (uint64_t)(sa >> sh); break;
    case IR_ROR:  r = sh ? (a >> sh) | (a << (bits - sh)) : a; break;
    case IR_NEG:  r = -a; break;
    case IR_NOT:  r = ~a; break;
    case IR_CLZ:  r = (uint64_t)count_leading_zeros(a, bits); break;
    case IR_CTZ:  r = (uint64_t)count_trailing_zeros(a, bits); break;
    case IR_CLS:  r = (uint64_t)count_leading_zeros((a ^ (a << 1)) | 1, bits); break;
    case IR_RBIT: r = bit_reverse(a, bits); break;
    case IR_BSWAP: r = byte_reverse(a, bits); break;
    case IR_REV16:
        r = ((a >> 8) & 0x00ff00ff00ff00ffull) | ((a << 8) & 0xff00ff00ff00ff00ull);
        break;
    case IR_SEXT: {
        int from = (int)imm;
        r = (uint64_t)((int64_t)(a << (64 - from)) >> (64 - from));
        break;
    }
    case IR_ZEXT:
        r = imm >= 64 ? a : a & ((1ull << imm) - 1);
        break;
    default:
        return false;
    }
    *out = r & m;
    return true;
}

static bool is_const_val(IRBuilder *b, IRTemp t, uint64_t v, int bits)
{
    return ir_is_const(b, t) && (ir_const_val(b, t) & width_mask(bits)) == (v & width_mask(bits));
}

/* A temp that can stand for a `bits`-wide result unchanged. */
static bool fits_width(IRBuilder *b, IRTemp t, int bits)
{
    return bits == 64 || b->blk.temps[t].zext32;
}

/* A 32-bit operation reads only the low half of its inputs, so an input
 * that is just a 32-bit extension or move of another temp can be replaced by
 * that temp (and the extension then dies in the liveness pass). */
/* The instruction defining temp t in this block, or NULL. */
static const IRInsn *def_insn(const IRBuilder *b, IRTemp t)
{
    if (t == IR_NONE || b->blk.temps[t].is_const || b->blk.temps[t].def == UINT32_MAX) {
        return NULL;
    }
    return &b->blk.insns[b->blk.temps[t].def];
}

static IRTemp low_half_source(IRBuilder *b, int bits, IRTemp t)
{
    const IRInsn *in = bits == 32 ? def_insn(b, t) : NULL;
    if (!in) {
        return t;
    }
    bool to_32_or_more = (in->op == IR_ZEXT || in->op == IR_SEXT) && in->imm >= 32;
    bool narrow_move = in->op == IR_MOV && in->bits == 32;
    return to_32_or_more || narrow_move ? in->src[0] : t;
}

/* Identities that return an existing temp (or a constant) without code. */
static IRTemp fold_identity(IRBuilder *b, IROp op, int bits, IRTemp x, IRTemp y)
{
    switch (op) {
    case IR_ADD: case IR_OR: case IR_XOR:
        if (is_const_val(b, x, 0, bits) && fits_width(b, y, bits)) {
            return y;
        }
        /* fall through */
    case IR_SUB: case IR_SHL: case IR_SHR: case IR_SAR: case IR_ROR: case IR_ANDN:
        if (is_const_val(b, y, 0, bits) && fits_width(b, x, bits)) {
            return x;
        }
        break;
    case IR_AND:
        if (is_const_val(b, x, 0, bits) || is_const_val(b, y, 0, bits)) {
            return ir_const(b, 0);
        }
        if (is_const_val(b, y, ~0ull, bits) && fits_width(b, x, bits)) {
            return x;
        }
        if (is_const_val(b, x, ~0ull, bits) && fits_width(b, y, bits)) {
            return y;
        }
        break;
    case IR_MUL:
        if (is_const_val(b, y, 1, bits) && fits_width(b, x, bits)) {
            return x;
        }
        if (is_const_val(b, y, 0, bits)) {
            return ir_const(b, 0);
        }
        break;
    default:
        break;
    }
    return IR_NONE;
}

/* (a + c1) + c2 -> a + (c1 + c2): an address and the one next to it
 * (LDP's second access) then share the base register. */
static void reassociate_const_add(IRBuilder *b, IROp op, int bits, IRTemp *x, IRTemp *y)
{
    if (op != IR_ADD || !ir_is_const(b, *y) || ir_is_const(b, *x)) {
        return;
    }
    uint32_t def = b->blk.temps[*x].def;
    if (def >= b->blk.n_insns) {
        return;
    }
    const IRInsn *in = &b->blk.insns[def];
    if (in->op != IR_ADD || in->dst != *x || in->bits != bits || !ir_is_const(b, in->src[1]) ||
        ir_is_const(b, in->src[0])) {
        return;
    }
    uint64_t c = ir_const_val(b, in->src[1]) + ir_const_val(b, *y);
    *x = in->src[0];
    *y = ir_const(b, c & width_mask(bits));
}

IRTemp ir_op2(IRBuilder *b, IROp op, int bits, IRTemp x, IRTemp y)
{
    uint64_t r;
    x = low_half_source(b, bits, x);
    y = low_half_source(b, bits, y);
    reassociate_const_add(b, op, bits, &x, &y);
    if (ir_is_const(b, x) && ir_is_const(b, y) &&
        ir_fold_eval(op, bits, ir_const_val(b, x), ir_const_val(b, y), 0, &r)) {
        return ir_const(b, r);
    }
    IRTemp id = fold_identity(b, op, bits, x, y);
    if (id != IR_NONE) {
        return id;
    }
    IRTemp d = emit_result(b, op, bits, x, y, IR_NONE, NULL);
    finish_result(b, d);
    return d;
}

IRTemp ir_op1(IRBuilder *b, IROp op, int bits, IRTemp x)
{
    uint64_t r;
    x = low_half_source(b, bits, x);
    if (ir_is_const(b, x) && ir_fold_eval(op, bits, ir_const_val(b, x), 0, 0, &r)) {
        return ir_const(b, r);
    }
    if (op == IR_MOV && fits_width(b, x, bits)) {
        return x;
    }
    /* CLZ(RBIT(y)) counts y's trailing zeros; the RBIT (20 host
     * instructions) then usually dies in the liveness pass. */
    const IRInsn *def = def_insn(b, x);
    if (op == IR_CLZ && def && def->op == IR_RBIT && def->bits == bits) {
        op = IR_CTZ;
        x = def->src[0];
    }
    IRTemp d = emit_result(b, op, bits, x, IR_NONE, IR_NONE, NULL);
    finish_result(b, d);
    return d;
}

static IRTemp extend(IRBuilder *b, IROp op, int bits, IRTemp x, int from)
{
    uint64_t r;
    if (from >= bits) {
        return ir_op1(b, IR_MOV, bits, x);
    }
    if (ir_is_const(b, x) && ir_fold_eval(op, bits, ir_const_val(b, x), 0, (uint64_t)from, &r)) {
        return ir_const(b, r);
    }
    if (op == IR_ZEXT && from == 32 && b->blk.temps[x].zext32) {
        return x;
    }
    /* temps are defined once and a block is straight-line code, so an
     * earlier extension of the same temp still holds -- if its defining
     * instruction is still there (a rejected guest instruction's IR is
     * discarded, and its temp numbers reused) */
    for (int i = 0; i < 4; i++) {
        IRTemp t = b->ext_memo[i];
        if (t == IR_NONE || t >= b->blk.n_temps || b->blk.temps[t].def >= b->blk.n_insns) {
            continue;
        }
        const IRInsn *def = &b->blk.insns[b->blk.temps[t].def];
        if (def->dst == t && def->op == op && def->bits == bits &&
            def->src[0] == x && def->imm == (uint64_t)from) {
            return def->dst;
        }
    }
    IRInsn *in;
    IRTemp d = emit_result(b, op, bits, x, IR_NONE, IR_NONE, &in);
    in->imm = (uint64_t)from;
    finish_result(b, d);
    b->ext_memo[b->ext_next++ & 3] = d;
    return d;
}

IRTemp ir_sext(IRBuilder *b, int bits, IRTemp x, int from) { return extend(b, IR_SEXT, bits, x, from); }
IRTemp ir_zext(IRBuilder *b, int bits, IRTemp x, int from) { return extend(b, IR_ZEXT, bits, x, from); }

/* ---- guest state -------------------------------------------------------- */

IRTemp ir_get_reg(IRBuilder *b, int reg)
{
    g_assert(reg >= 0 && reg < 32);
    if (b->reg_cache[reg] != IR_NONE) {
        return b->reg_cache[reg];
    }
    IRInsn *in;
    IRTemp d = emit_result(b, IR_GET_REG, 64, IR_NONE, IR_NONE, IR_NONE, &in);
    in->imm = (uint64_t)reg;
    b->reg_cache[reg] = d;
    return d;
}

void ir_set_reg(IRBuilder *b, int reg, IRTemp val)
{
    g_assert(reg >= 0 && reg < 32);
    IRInsn *in = ir_emit(b, IR_SET_REG, 64, IR_NONE, val, IR_NONE, IR_NONE);
    in->imm = (uint64_t)reg;
    b->reg_cache[reg] = val;
}

IRTemp ir_ld_env(IRBuilder *b, int bits, int32_t off)
{
    IRInsn *in;
    IRTemp d = emit_result(b, IR_LD_ENV, bits, IR_NONE, IR_NONE, IR_NONE, &in);
    in->imm = (uint64_t)(int64_t)off;
    finish_result(b, d);
    return d;
}

void ir_st_env(IRBuilder *b, int bits, int32_t off, IRTemp val)
{
    IRInsn *in = ir_emit(b, IR_ST_ENV, bits, IR_NONE, val, IR_NONE, IR_NONE);
    in->imm = (uint64_t)(int64_t)off;
}

/* ---- flags -------------------------------------------------------------- */

/* NZCV of AddWithCarry(x, y, carry) at this width (Arm ARM). */
static uint32_t add_with_carry_nzcv(int bits, uint64_t x, uint64_t y, unsigned carry, uint64_t *res)
{
    uint64_t m = width_mask(bits), sign = 1ull << (bits - 1);
    x &= m;
    y &= m;
    uint64_t r = (x + y + carry) & m;
    bool c = bits == 64 ? (r < x || (carry && r == x)) : ((x + y + carry) >> 32) != 0;
    bool v = ((x ^ r) & (y ^ r) & sign) != 0;
    *res = r;
    return (r & sign ? 0x80000000u : 0) | (r == 0 ? 0x40000000u : 0) |
           (c ? 0x20000000u : 0) | (v ? 0x10000000u : 0);
}

static IRTemp flag_op2(IRBuilder *b, IROp op, int bits, IRTemp x, IRTemp y)
{
    x = low_half_source(b, bits, x);
    y = low_half_source(b, bits, y);
    if ((op == IR_ADDS || op == IR_SUBS) && ir_is_const(b, x) && ir_is_const(b, y)) {
        uint64_t r, yv = ir_const_val(b, y);
        uint32_t nzcv = op == IR_ADDS ? add_with_carry_nzcv(bits, ir_const_val(b, x), yv, 0, &r)
                                      : add_with_carry_nzcv(bits, ir_const_val(b, x), ~yv, 1, &r);
        ir_flags_set(b, nzcv);
        return ir_const(b, r);
    }
    IRTemp d = emit_result(b, op, bits, x, y, IR_NONE, NULL);
    finish_result(b, d);
    return d;
}

IRTemp ir_adds(IRBuilder *b, int bits, IRTemp x, IRTemp y) { return flag_op2(b, IR_ADDS, bits, x, y); }
IRTemp ir_subs(IRBuilder *b, int bits, IRTemp x, IRTemp y) { return flag_op2(b, IR_SUBS, bits, x, y); }

IRTemp ir_adc(IRBuilder *b, int bits, IRTemp x, IRTemp y, bool set_flags)
{
    return flag_op2(b, set_flags ? IR_ADCS : IR_ADC, bits, x, y);
}

IRTemp ir_sbc(IRBuilder *b, int bits, IRTemp x, IRTemp y, bool set_flags)
{
    return flag_op2(b, set_flags ? IR_SBCS : IR_SBC, bits, x, y);
}

void ir_flags_nz(IRBuilder *b, int bits, IRTemp x)
{
    x = low_half_source(b, bits, x);
    ir_emit(b, IR_FLAGS_NZ, bits, IR_NONE, x, IR_NONE, IR_NONE);
}

void ir_flags_set(IRBuilder *b, uint32_t nzcv)
{
    IRInsn *in = ir_emit(b, IR_FLAGS_SET, 32, IR_NONE, IR_NONE, IR_NONE, IR_NONE);
    in->imm = nzcv & 0xf0000000u;
}

void ir_flags_from(IRBuilder *b, IRTemp nzcv)
{
    if (ir_is_const(b, nzcv)) {
        ir_flags_set(b, (uint32_t)ir_const_val(b, nzcv));
        return;
    }
    ir_emit(b, IR_FLAGS_FROM, 32, IR_NONE, nzcv, IR_NONE, IR_NONE);
}

IRTemp ir_flags_get(IRBuilder *b)
{
    IRTemp d = emit_result(b, IR_FLAGS_GET, 32, IR_NONE, IR_NONE, IR_NONE, NULL);
    finish_result(b, d);
    return d;
}

void ir_ccmp(IRBuilder *b, int bits, IRCond cond, IRTemp x, IRTemp y,
             uint32_t nzcv_if_false, bool negate)
{
    IRInsn *in = ir_emit(b, negate ? IR_CCMN : IR_CCMP, bits, IR_NONE, x, y, IR_NONE);
    in->cond = (uint8_t)cond;
    in->imm = nzcv_if_false & 0xf0000000u;
}

IRTemp ir_setcc(IRBuilder *b, IRCond cond)
{
    if (cond == COND_AL || cond == COND_NV) {
        return ir_const(b, 1);
    }
    IRInsn *in;
    IRTemp d = emit_result(b, IR_SETCC, 64, IR_NONE, IR_NONE, IR_NONE, &in);
    in->cond = (uint8_t)cond;
    finish_result(b, d);
    return d;
}

IRTemp ir_csel(IRBuilder *b, int bits, IRCond cond, IRTemp x, IRTemp y)
{
    if (cond == COND_AL || cond == COND_NV) {
        return ir_op1(b, IR_MOV, bits, x);
    }
    IRInsn *in;
    x = low_half_source(b, bits, x);
    y = low_half_source(b, bits, y);
    IRTemp d = emit_result(b, IR_CSEL, bits, x, y, IR_NONE, &in);
    in->cond = (uint8_t)cond;
    finish_result(b, d);
    return d;
}

/* ---- memory ------------------------------------------------------------- */

IRTemp ir_load(IRBuilder *b, int bits, int mop, IRTemp addr)
{
    IRInsn *in;
    IRTemp d = emit_result(b, IR_LOAD, bits, addr, IR_NONE, IR_NONE, &in);
    in->mop = (uint8_t)mop;
    finish_result(b, d);
    return d;
}

void ir_store(IRBuilder *b, int mop, IRTemp addr, IRTemp val)
{
    IRInsn *in = ir_emit(b, IR_STORE, 64, IR_NONE, addr, val, IR_NONE);
    in->mop = (uint8_t)mop;
}

IRTemp ir_cmpxchg(IRBuilder *b, int mop, IRTemp addr, IRTemp expect, IRTemp newv)
{
    IRInsn *in;
    IRTemp d = emit_result(b, IR_CMPXCHG, 64, addr, expect, newv, &in);
    in->mop = (uint8_t)mop;
    b->blk.temps[d].zext32 = (mop & MO_SIZE) < MO_64;
    return d;
}

IRTemp ir_xchg(IRBuilder *b, int mop, IRTemp addr, IRTemp val)
{
    IRInsn *in;
    IRTemp d = emit_result(b, IR_XCHG, 64, addr, val, IR_NONE, &in);
    in->mop = (uint8_t)mop;
    b->blk.temps[d].zext32 = (mop & MO_SIZE) < MO_64;
    return d;
}

void ir_fence(IRBuilder *b)
{
    ir_emit(b, IR_FENCE, 64, IR_NONE, IR_NONE, IR_NONE, IR_NONE);
}

void ir_prefetch(IRBuilder *b, IRTemp addr, int level)
{
    ir_emit(b, IR_PREFETCH, 64, IR_NONE, addr, IR_NONE, IR_NONE)->imm = (uint64_t)level;
}

/* ---- helpers ------------------------------------------------------------ */

static IRTemp call(IRBuilder *b, IROp op, IRHelper fn, IRTemp a0, IRTemp a1, IRTemp a2)
{
    IRInsn *in;
    IRTemp d = emit_result(b, op, 64, a0, a1, a2, &in);
    in->imm = (uint64_t)(uintptr_t)fn;
    return d;
}

IRTemp ir_call(IRBuilder *b, IRHelper fn, IRTemp a0, IRTemp a1, IRTemp a2)
{
    return call(b, IR_CALL, fn, a0, a1, a2);
}

IRTemp ir_call_flags(IRBuilder *b, IRHelper fn, IRTemp a0, IRTemp a1, IRTemp a2)
{
    return call(b, IR_CALL_FLAGS, fn, a0, a1, a2);
}

/* ---- block structure ---------------------------------------------------- */

void ir_insn_start(IRBuilder *b, uint64_t pc)
{
    IRInsn *in = ir_emit(b, IR_INSN_START, 64, IR_NONE, IR_NONE, IR_NONE, IR_NONE);
    in->imm = pc;
}

void ir_goto_tb(IRBuilder *b, uint64_t pc)
{
    IRInsn *in = ir_emit(b, IR_GOTO_TB, 64, IR_NONE, IR_NONE, IR_NONE, IR_NONE);
    in->imm = pc;
}

void ir_brcond(IRBuilder *b, IRCond cond, uint64_t taken, uint64_t not_taken)
{
    if (cond == COND_AL || cond == COND_NV) {
        ir_goto_tb(b, taken);
        return;
    }
    IRInsn *in = ir_emit(b, IR_BRCOND, 64, IR_NONE, IR_NONE, IR_NONE, IR_NONE);
    in->cond = (uint8_t)cond;
    in->imm = taken;
    in->imm2 = not_taken;
}

void ir_brcmp(IRBuilder *b, int bits, int cmp, IRTemp x, uint64_t taken, uint64_t not_taken)
{
    if (ir_is_const(b, x)) {
        bool zero = (ir_const_val(b, x) & width_mask(bits)) == 0;
        ir_goto_tb(b, zero == (cmp == IR_CMP_EQZ) ? taken : not_taken);
        return;
    }
    IRInsn *in = ir_emit(b, IR_BRCMP, bits, IR_NONE, x, IR_NONE, IR_NONE);
    in->cond = (uint8_t)cmp;
    in->imm = taken;
    in->imm2 = not_taken;
}

bool ir_branch_to_side_exit(IRBuilder *b, uint64_t taken)
{
    IRInsn *in = b->blk.n_insns ? &b->blk.insns[b->blk.n_insns - 1] : NULL;
    if (!b->ended || !in || (in->op != IR_BRCOND && in->op != IR_BRCMP) || in->imm != taken) {
        return false;
    }
    in->op = in->op == IR_BRCOND ? IR_EXIT_IF : IR_EXIT_IF_CMP;
    in->imm2 = 0;
    b->ended = false;
    return true;
}

void ir_goto_ptr(IRBuilder *b, IRTemp target, int hint)
{
    IRInsn *in = ir_emit(b, IR_GOTO_PTR, 64, IR_NONE, target, IR_NONE, IR_NONE);
    in->imm = (uint64_t)hint;
}

void ir_call_tb(IRBuilder *b, uint64_t pc, uint64_t return_pc)
{
    IRInsn *in = ir_emit(b, IR_GOTO_TB, 64, IR_NONE, IR_NONE, IR_NONE, IR_NONE);
    in->imm = pc;
    in->imm2 = return_pc;
    in->aux = IR_JUMP_CALL;
}

void ir_call_ptr(IRBuilder *b, IRTemp target, uint64_t return_pc)
{
    IRInsn *in = ir_emit(b, IR_GOTO_PTR, 64, IR_NONE, target, IR_NONE, IR_NONE);
    in->imm = IR_JUMP_CALL;
    in->imm2 = return_pc;
}

void ir_exit(IRBuilder *b, int reason, uint64_t pc, uint32_t info)
{
    IRInsn *in = ir_emit(b, IR_EXIT, 64, IR_NONE, IR_NONE, IR_NONE, IR_NONE);
    in->imm = (uint64_t)reason;
    in->imm2 = pc;
    in->aux = info;
}

/* ---- dump --------------------------------------------------------------- */

const char *ir_cond_name(IRCond c)
{
    static const char *const names[16] = {
        "eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc",
        "hi", "ls", "ge", "lt", "gt", "le", "al", "nv",
    };
    return names[c & 15];
}

static void dump_temp(const IRBlock *blk, IRTemp t, FILE *out)
{
    if (blk->temps[t].is_const) {
        fprintf(out, "$0x%" PRIx64, blk->temps[t].val);
    } else {
        fprintf(out, "t%u", t);
    }
}

void ir_dump(const IRBlock *blk, FILE *out)
{
    fprintf(out, "IR for 0x%" PRIx64 " (%u guest insns, %u ops)\n",
            blk->guest_pc, blk->n_guest_insns, blk->n_insns);
    for (uint32_t i = 0; i < blk->n_insns; i++) {
        const IRInsn *in = &blk->insns[i];
        const IROpInfo *info = &ir_op_info[in->op];
        if (in->op == IR_INSN_START) {
            fprintf(out, " ---- 0x%" PRIx64 "\n", in->imm);
            continue;
        }
        fprintf(out, "  ");
        if (in->dst != IR_NONE) {
            fprintf(out, "t%u = ", in->dst);
        }
        fprintf(out, "%s.%d", info->name, in->bits);
        if (info->flags & IRF_RFLAGS || in->op == IR_CSEL || in->op == IR_BRCOND) {
            fprintf(out, ".%s", ir_cond_name((IRCond)in->cond));
        }
        for (int s = 0; s < 3; s++) {
            if (in->src[s] != IR_NONE) {
                fprintf(out, s ? ", " : " ");
                dump_temp(blk, in->src[s], out);
            }
        }
        if (in->imm || in->imm2) {
            fprintf(out, " [0x%" PRIx64, in->imm);
            if (in->imm2) {
                fprintf(out, ", 0x%" PRIx64, in->imm2);
            }
            fprintf(out, "]");
        }
        if (in->mop) {
            fprintf(out, " mop=%d", in->mop);
        }
        if (info->flags & IRF_WFLAGS) {
            fprintf(out, in->flags_live ? " (flags live)" : "");
        }
        fprintf(out, "\n");
    }
}
