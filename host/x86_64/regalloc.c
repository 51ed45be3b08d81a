/*
 * Register allocation for the x86-64 lowering: where every IR temp lives.
 *
 * Linear scan in program order over block-local temps: a temp gets a host
 * register when it is defined and gives it back after its last use; when no
 * register is free the live temp whose last use is furthest away goes to a
 * frame slot and is used from there as a memory operand.  Guest registers
 * are not copied on read: GET_REG of a pinned register aliases its host
 * register, GET_REG of any other one aliases its env slot, until a SET_REG
 * of the same guest register forces live aliases out.  Two look-ahead hints
 * avoid moves: a value whose next fate is SET_REG of a pinned register is
 * computed straight into that register, and an address ADD used by one
 * memory access is folded into the access's addressing mode.
 *
 * A block that needs more than the four allocatable registers at once
 * borrows pinned registers whose guest registers it never names: the entry
 * stores each to its guest register's env slot, every exit loads it back,
 * and in between env holds the guest value (a fault in the block finds it
 * there: TranslationBlock.borrowed, linux-user/signal.c).
 */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/x86_64/lower-internal.h"
#include "target/aarch64/cpu.h"

#define PINNED_ENTRY(g, h) { g, h },
const PinnedReg backend_pinned[BACKEND_N_PINNED] = { BACKEND_PINNED(PINNED_ENTRY) };

X86Reg backend_pinned_hreg(int greg)
{
#define PINNED_CASE(g, h) case g: return h;
    switch (greg) {
    BACKEND_PINNED(PINNED_CASE)
    default:
        return X86_NOREG;
    }
}

static int pinned_greg(X86Reg h)
{
    for (int i = 0; i < BACKEND_N_PINNED; i++) {
        if (backend_pinned[i].hreg == h) {
            return backend_pinned[i].greg;
        }
    }
    return -1;
}

/* Registers temps may have, in the order they are taken: the four
 * allocatable ones (rdx and rcx last: mul/div and variable shifts want
 * them), then the pinned ones a block may borrow -- callee-saved first (a
 * helper call leaves them alone), sp's and x0's last. */
static const X86Reg alloc_order[N_ALLOCATABLE + BACKEND_N_PINNED] = {
    X86_R10, X86_R11, X86_RCX, X86_RDX,
    X86_R14, X86_R13, X86_R12, X86_RSI, X86_RDI, X86_R8, X86_R9, X86_RBP, X86_RBX,
};
#define N_ALLOC_ORDER (int)(sizeof alloc_order / sizeof alloc_order[0])
#define BASE_ALLOCATABLE (reg_bit(X86_R10) | reg_bit(X86_R11) | reg_bit(X86_RCX) | reg_bit(X86_RDX))

/* Registers of alloc_order this block's temps may have. */
static uint16_t allocatable(const LowerCtx *lc)
{
    return BASE_ALLOCATABLE | lc->borrowed;
}

/* ---- borrowing pinned registers ------------------------------------------- */

/* Most temps that need a register at one time (computed values live from
 * their definition to their last use; guest register reads, constants,
 * folded addresses and values computed straight into a pinned register
 * need none).  delta: n_insns + 1 entries of scratch. */
static int register_pressure(const LowerCtx *lc, int32_t *delta)
{
    const IRBlock *blk = lc->blk;
    memset(delta, 0, (blk->n_insns + 1) * sizeof *delta);
    for (uint32_t i = 0; i < blk->n_insns; i++) {
        const IRInsn *in = &blk->insns[i];
        IRTemp t = in->dst;
        if (t == IR_NONE || in->op == IR_GET_REG || temp_is_const(lc, t) || lc->skip[i]) {
            continue;
        }
        const TempLoc *l = &lc->loc[t];
        if (l->kind == LOC_ADDR || l->kind == LOC_TEST || l->sink >= 0 || l->last_use <= i ||
            l->last_use >= blk->n_insns) {
            continue;
        }
        delta[i]++;
        delta[l->last_use]--;
    }
    int live = 0, most = 0;
    for (uint32_t i = 0; i < blk->n_insns; i++) {
        live += delta[i];
        most = live > most ? live : most;
    }
    return most;
}

static uint16_t choose_borrowed(const LowerCtx *lc, int32_t *delta)
{
    int need = register_pressure(lc, delta) - N_ALLOCATABLE;
    if (need <= 0) {
        return 0;
    }
    uint64_t named = 0;                 /* guest registers the block reads or writes */
    for (uint32_t i = 0; i < lc->blk->n_insns; i++) {
        const IRInsn *in = &lc->blk->insns[i];
        if (in->op == IR_GET_REG || in->op == IR_SET_REG) {
            named |= 1ull << (in->imm & 63);
        }
    }
    uint16_t borrowed = 0;
    for (int i = N_ALLOCATABLE; i < N_ALLOC_ORDER && need > 0; i++) {
        if (!(named & (1ull << pinned_greg(alloc_order[i])))) {
            borrowed |= reg_bit(alloc_order[i]);
            need--;
        }
    }
    return borrowed;
}

/* env slot of the guest register pinned to borrowed register h */
static X86Operand borrowed_home(X86Reg h)
{
    return x86_m(HREG_ENV, ENV_XREG_OFF(pinned_greg(h)));
}

/* At the block's entry: env takes the guest values of the borrowed registers. */
void lower_borrowed_save(LowerCtx *lc)
{
    for (int i = N_ALLOCATABLE; i < N_ALLOC_ORDER; i++) {
        if (lc->borrowed & reg_bit(alloc_order[i])) {
            x86_mov(lc->cb, 8, borrowed_home(alloc_order[i]), x86_r(alloc_order[i]));
        }
    }
}

/* On every way out: the borrowed registers hold guest values again. */
void lower_borrowed_restore(LowerCtx *lc)
{
    for (int i = N_ALLOCATABLE; i < N_ALLOC_ORDER; i++) {
        if (lc->borrowed & reg_bit(alloc_order[i])) {
            x86_mov(lc->cb, 8, x86_r(alloc_order[i]), borrowed_home(alloc_order[i]));
        }
    }
}

/* ---- look-ahead hints --------------------------------------------------- */

static bool insn_touches_greg(const IRInsn *in, int greg)
{
    return (in->op == IR_GET_REG || in->op == IR_SET_REG) && (int)in->imm == greg;
}

/* A value whose fate is SET_REG of a pinned register is computed directly
 * into it when nothing between definition and write could observe the
 * register's old value or fault half-way. */
static void compute_sinks(LowerCtx *lc)
{
    IRBlock *blk = lc->blk;
    for (uint32_t j = 0; j < blk->n_insns; j++) {
        const IRInsn *set = &blk->insns[j];
        if (set->op != IR_SET_REG || lc->skip[j] || temp_is_const(lc, set->src[0])) {
            continue;
        }
        X86Reg p = backend_pinned_hreg((int)set->imm);
        IRTemp t = set->src[0];
        uint32_t i = blk->temps[t].def;
        if (p == X86_NOREG || lc->loc[t].sink >= 0 || i >= j) {
            continue;
        }
        const IRInsn *def = &blk->insns[i];
        if (def->dst != t || def->op == IR_GET_REG || (ir_op_info[def->op].flags & IRF_VEC)) {
            continue;
        }
        bool ok = true;
        for (uint32_t k = i + 1; k < j && ok; k++) {
            const IRInsn *in = &blk->insns[k];
            uint16_t f = ir_op_info[in->op].flags;
            ok = !insn_touches_greg(in, (int)set->imm) && !(f & (IRF_MEM | IRF_VEC | IRF_EXIT)) &&
                 in->op != IR_CALL && in->op != IR_CALL_FLAGS;
        }
        if (ok) {
            lc->loc[t].sink = (int8_t)p;
        }
    }
}

static bool is_address_user(const IRInsn *in, IRTemp t)
{
    switch (in->op) {
    case IR_LOAD: case IR_STORE: case IR_CMPXCHG: case IR_XCHG: case IR_ATOMIC_RMW:
    case IR_PREFETCH:
        return in->src[0] == t;
    default:
        return false;
    }
}

static void extend_life(LowerCtx *lc, IRTemp t, uint32_t until)
{
    if (t != IR_NONE && lc->loc[t].last_use < until) {
        lc->loc[t].last_use = until;
    }
}

static const IRInsn *def_of(const LowerCtx *lc, IRTemp t)
{
    uint32_t d = lc->blk->temps[t].def;
    return d < lc->blk->n_insns && lc->blk->insns[d].dst == t ? &lc->blk->insns[d] : NULL;
}

/* base + (x << k), k <= 3, with the shift used only here: [base + x*2^k]. */
static uint32_t uses_of(const LowerCtx *lc, IRTemp t) { return lc->blk->temps[t].n_uses; }

static void fold_scaled_index(LowerCtx *lc, TempLoc *l, uint32_t add)
{
    const IRInsn *in = &lc->blk->insns[add];
    for (int side = 0; side < 2; side++) {
        IRTemp idx = in->src[1 - side], base = in->src[side];
        const IRInsn *shl = def_of(lc, idx);
        if (!shl || shl->op != IR_SHL || shl->bits != 64 || uses_of(lc, idx) != 1 ||
            temp_is_const(lc, shl->src[0]) || !temp_is_const(lc, shl->src[1]) ||
            temp_const(lc, shl->src[1]) > 3 || temp_is_const(lc, base)) {
            continue;
        }
        lc->skip[shl - lc->blk->insns] = true;
        l->index = shl->src[0];
        l->scale = (uint8_t)(1u << temp_const(lc, shl->src[1]));
        l->base = base;
        return;
    }
}

/* ADD base, (x << k) with k 1..3 and the shift used only there (not as an
 * address: those are folded above) becomes lea d, [base + x*2^k]. */
static void compute_scaled_add_folds(LowerCtx *lc)
{
    IRBlock *blk = lc->blk;
    for (uint32_t i = 0; i < blk->n_insns; i++) {
        const IRInsn *in = &blk->insns[i];
        if (in->op != IR_ADD || lc->loc[in->dst].kind == LOC_ADDR) {
            continue;
        }
        for (int side = 0; side < 2; side++) {
            IRTemp idx = in->src[1 - side], base = in->src[side];
            const IRInsn *shl = def_of(lc, idx);
            if (!shl || shl->op != IR_SHL || shl->bits != in->bits || uses_of(lc, idx) != 1 ||
                temp_is_const(lc, shl->src[0]) || !temp_is_const(lc, shl->src[1]) ||
                temp_const(lc, shl->src[1]) - 1 > 2 || temp_is_const(lc, base) ||
                lc->skip[shl - blk->insns]) {
                continue;
            }
            TempLoc *l = &lc->loc[in->dst];
            lc->skip[shl - blk->insns] = true;
            l->scaled_add = true;
            l->base = base;
            l->index = shl->src[0];
            l->scale = (uint8_t)(1u << temp_const(lc, shl->src[1]));
            extend_life(lc, l->index, i);
            break;
        }
    }
}

/* base + index / base + disp used only as one memory access's address
 * becomes that access's addressing mode. */
static void compute_address_folds(LowerCtx *lc)
{
    IRBlock *blk = lc->blk;
    for (uint32_t i = 0; i < blk->n_insns; i++) {
        const IRInsn *in = &blk->insns[i];
        IRTemp t = in->dst;
        if ((in->op != IR_ADD && in->op != IR_SUB) || in->bits != 64 || uses_of(lc, t) != 1) {
            continue;
        }
        uint32_t user = blk->temps[t].last_use;     /* its one reader */
        if (!is_address_user(&blk->insns[user], t)) {
            continue;
        }
        IRTemp a = in->src[0], b = in->src[1];
        if (in->op == IR_ADD && temp_is_const(lc, a)) {
            IRTemp x = a; a = b; b = x;
        }
        if (temp_is_const(lc, a)) {
            continue;
        }
        TempLoc *l = &lc->loc[t];
        if (temp_is_const(lc, b)) {
            int64_t d = (int64_t)temp_const(lc, b);
            if (in->op == IR_SUB) {
                d = -d;
            }
            if (d < INT32_MIN || d > INT32_MAX) {
                continue;
            }
            l->index = IR_NONE;
            l->disp = (int32_t)d;
        } else if (in->op == IR_ADD) {
            l->index = b;
            l->disp = 0;
            fold_scaled_index(lc, l, i);
        } else {
            continue;
        }
        l->kind = LOC_ADDR;
        if (l->scale == 0) {
            l->scale = 1;
            l->base = a;
        }
        extend_life(lc, l->base, user);
        extend_life(lc, l->index, user);
    }
    compute_scaled_add_folds(lc);
}

/* AND whose only reader is FLAGS_NZ (TST / ANDS to XZR) becomes an x86
 * test at the FLAGS_NZ. */
static void compute_test_folds(LowerCtx *lc)
{
    IRBlock *blk = lc->blk;
    for (uint32_t j = 0; j < blk->n_insns; j++) {
        const IRInsn *nz = &blk->insns[j];
        if (nz->op != IR_FLAGS_NZ || temp_is_const(lc, nz->src[0])) {
            continue;
        }
        IRTemp t = nz->src[0];
        const IRInsn *and = def_of(lc, t);
        if (!and || and->op != IR_AND || and->bits != nz->bits || lc->loc[t].last_use != j ||
            temp_is_const(lc, and->src[0])) {
            continue;
        }
        bool other_use = false;
        for (uint32_t k = (uint32_t)(and - blk->insns) + 1; k < j && !other_use; k++) {
            for (int s = 0; s < 3; s++) {
                other_use |= blk->insns[k].src[s] == t;
            }
        }
        if (other_use) {
            continue;
        }
        TempLoc *l = &lc->loc[t];
        l->kind = LOC_TEST;
        l->base = and->src[0];
        l->index = and->src[1];
        extend_life(lc, l->base, j);
        extend_life(lc, l->index, j);
    }
}

/*
 * Per-temp and per-insn arrays, kept per thread from one block to the next
 * (translation is frequent and blocks are small: allocating them for every
 * block cost more than the allocation itself does); they only grow.
 */
typedef struct RegallocScratch {
    TempLoc *loc;
    IRTemp *active;
    uint32_t cap_temps;
    bool *skip;
    int32_t *delta;         /* register_pressure */
    uint32_t cap_insns;
} RegallocScratch;

static __thread RegallocScratch scratch;

static void scratch_reserve(uint32_t n_temps, uint32_t n_insns)
{
    RegallocScratch *r = &scratch;
    if (n_temps > r->cap_temps) {
        uint32_t cap = n_temps < 512 ? 512 : n_temps * 2;
        r->loc = g_renew(TempLoc, r->loc, cap);
        r->active = g_renew(IRTemp, r->active, cap);
        r->cap_temps = cap;
    }
    if (n_insns > r->cap_insns) {
        uint32_t cap = n_insns < 512 ? 512 : n_insns * 2;
        r->skip = g_renew(bool, r->skip, cap);
        r->delta = g_renew(int32_t, r->delta, cap + 1);
        r->cap_insns = cap;
    }
}

void regalloc_init(LowerCtx *lc)
{
    IRBlock *blk = lc->blk;
    scratch_reserve(blk->n_temps, blk->n_insns);
    lc->loc = scratch.loc;
    lc->active = scratch.active;
    lc->n_active = 0;
    lc->slots_used = 0;
    for (int r = 0; r < 16; r++) {
        lc->reg_owner[r] = IR_NONE;
    }
    for (int g = 0; g < 32; g++) {
        lc->env_holds[g] = IR_NONE;
    }
    for (uint32_t t = 0; t < blk->n_temps; t++) {
        lc->loc[t] = (TempLoc){
            .kind = blk->temps[t].is_const ? LOC_CONST : LOC_NONE,
            .reg = -1, .sink = -1, .slot = -1,
            .base = IR_NONE, .index = IR_NONE,
            .last_use = blk->temps[t].last_use,
        };
    }
    lc->skip = scratch.skip;
    memset(lc->skip, 0, blk->n_insns * sizeof(*lc->skip));
    compute_sinks(lc);
    compute_address_folds(lc);
    compute_test_folds(lc);
    lc->borrowed = choose_borrowed(lc, scratch.delta);
}

void regalloc_free(LowerCtx *lc)
{
    lc->loc = NULL;                 /* the arrays stay in the thread's scratch */
    lc->active = NULL;
    lc->skip = NULL;
}

void regalloc_begin_insn(LowerCtx *lc)
{
    lc->busy = 0;
}

/* ---- locations ------------------------------------------------------------ */

static void activate(LowerCtx *lc, IRTemp t)
{
    lc->active[lc->n_active++] = t;
}

static void free_temp(LowerCtx *lc, IRTemp t)
{
    TempLoc *l = &lc->loc[t];
    if (l->kind == LOC_CONST || l->kind == LOC_NONE) {
        return;
    }
    if (l->kind == LOC_REG) {
        lc->reg_owner[l->reg] = IR_NONE;
    } else if (l->kind == LOC_SPILL) {
        lc->slots_dying |= 1u << l->slot;   /* the insn may still read it */
    }
    l->kind = LOC_NONE;
    for (uint32_t i = 0; i < lc->n_active; i++) {
        if (lc->active[i] == t) {
            lc->active[i] = lc->active[--lc->n_active];
            break;
        }
    }
}

_Static_assert(sizeof(((CPUState *)0)->spill) == BACKEND_FRAME_SIZE, "env->spill holds the spill slots");

static X86Operand slot_operand(int slot)
{
    return x86_m(HREG_ENV, ENV_OFF(spill) + 8 * slot);
}

/* A value some guest register's env slot still holds (a SET_REG stored
 * it there) needs no spill slot: it becomes an alias of that slot, which
 * lower_before_guest_write moves out before the register changes. */
static bool spill_to_env_home(LowerCtx *lc, IRTemp t)
{
    for (int g = 0; g < 32; g++) {
        if (lc->env_holds[g] == t) {
            TempLoc *l = &lc->loc[t];
            lc->reg_owner[l->reg] = IR_NONE;
            l->kind = LOC_ENV;
            l->env_off = ENV_XREG_OFF(g);
            return true;
        }
    }
    return false;
}

static void spill(LowerCtx *lc, IRTemp t)
{
    TempLoc *l = &lc->loc[t];
    if (spill_to_env_home(lc, t)) {
        return;
    }
    if (lc->slots_used == UINT32_MAX) {
        fprintf(stderr, "ferry: backend ran out of spill slots\n");
        abort();
    }
    int slot = __builtin_ctz(~lc->slots_used);
    lc->slots_used |= 1u << slot;
    x86_mov(lc->cb, 8, slot_operand(slot), x86_r((X86Reg)l->reg));
    lc->reg_owner[l->reg] = IR_NONE;
    l->kind = LOC_SPILL;
    l->slot = (int16_t)slot;
}

/* A register nobody owns and this insn does not use; evicts if needed. */
static X86Reg take_free_reg(LowerCtx *lc, uint16_t avoid)
{
    uint16_t blocked = lc->busy | avoid | (uint16_t)~allocatable(lc);
    for (int i = 0; i < N_ALLOC_ORDER; i++) {
        X86Reg r = alloc_order[i];
        if (lc->reg_owner[r] == IR_NONE && !(blocked & reg_bit(r))) {
            return r;
        }
    }
    X86Reg victim = X86_NOREG;
    uint32_t furthest = 0;
    for (int i = 0; i < N_ALLOC_ORDER; i++) {
        X86Reg r = alloc_order[i];
        IRTemp t = lc->reg_owner[r];
        if (!(blocked & reg_bit(r)) && t != IR_NONE && lc->loc[t].last_use >= furthest) {
            furthest = lc->loc[t].last_use;
            victim = r;
        }
    }
    if (victim == X86_NOREG) {
        fprintf(stderr, "ferry: backend ran out of registers\n");
        abort();
    }
    spill(lc, lc->reg_owner[victim]);
    return victim;
}

static void own(LowerCtx *lc, IRTemp t, X86Reg r)
{
    TempLoc *l = &lc->loc[t];
    l->kind = LOC_REG;
    l->reg = (int8_t)r;
    lc->reg_owner[r] = t;
    lc->busy |= reg_bit(r);
}

void lower_mark_busy(LowerCtx *lc, X86Reg r)
{
    lc->busy |= reg_bit(r);
}

X86Reg lower_scratch_not_rax(LowerCtx *lc)
{
    X86Reg r = take_free_reg(lc, reg_bit(X86_RAX));
    lc->busy |= reg_bit(r);
    return r;
}

X86Reg lower_scratch(LowerCtx *lc)
{
    if (!(lc->busy & reg_bit(X86_RAX))) {
        lc->busy |= reg_bit(X86_RAX);
        return X86_RAX;
    }
    return lower_scratch_not_rax(lc);
}

/* Make r free for this insn's fixed use (rcx shifts, rdx mul/div). */
void lower_reserve(LowerCtx *lc, X86Reg r)
{
    IRTemp t = lc->reg_owner[r];
    lc->busy |= reg_bit(r);
    if (t != IR_NONE) {
        X86Reg to = take_free_reg(lc, reg_bit(X86_RAX));
        x86_mov(lc->cb, 8, x86_r(to), x86_r(r));
        lc->reg_owner[r] = IR_NONE;
        own(lc, t, to);
        lc->busy &= (uint16_t)~reg_bit(to);
    }
}

void emit_mov_operand(LowerCtx *lc, int size, X86Reg dst, X86Operand src)
{
    if (src.kind == X86_OP_REG && src.reg == dst && size == 8) {
        return;
    }
    x86_mov(lc->cb, size, x86_r(dst), src);
}

static X86Operand memory_of(const LowerCtx *lc, const TempLoc *l)
{
    return l->kind == LOC_ENV ? x86_m(HREG_ENV, l->env_off) : slot_operand(l->slot);
}

X86Operand lower_operand(LowerCtx *lc, IRTemp t, int bits, unsigned allow)
{
    TempLoc *l = &lc->loc[t];
    X86Reg r;
    switch (l->kind) {
    case LOC_CONST: {
        uint64_t v = temp_const(lc, t);
        if (bits == 32) {
            v = (uint32_t)v;
        }
        if (allow & ALLOW_IMM64) {
            return x86_i((int64_t)v);
        }
        if ((allow & ALLOW_IMM) && bits == 32) {
            return x86_i((int32_t)(uint32_t)v);
        }
        if ((allow & ALLOW_IMM) && (int64_t)v >= INT32_MIN && (int64_t)v <= INT32_MAX) {
            return x86_i((int64_t)v);
        }
        r = lower_scratch(lc);
        x86_mov(lc->cb, 8, x86_r(r), x86_i((int64_t)v));
        return x86_r(r);
    }
    case LOC_REG:
        lc->busy |= reg_bit((X86Reg)l->reg);
        return x86_r((X86Reg)l->reg);
    case LOC_PINNED:
        return x86_r((X86Reg)l->reg);
    case LOC_ENV:
    case LOC_SPILL:
        if (allow & ALLOW_MEM) {
            return memory_of(lc, l);
        }
        if (l->last_use > lc->idx) {
            /* used again later: keep it in a register from now on */
            r = take_free_reg(lc, reg_bit(X86_RAX));
            x86_mov(lc->cb, 8, x86_r(r), memory_of(lc, l));
            if (l->kind == LOC_SPILL) {
                lc->slots_dying |= 1u << l->slot;   /* may be an operand already */
            }
            own(lc, t, r);
            return x86_r(r);
        }
        r = lower_scratch(lc);
        x86_mov(lc->cb, 8, x86_r(r), memory_of(lc, l));
        return x86_r(r);
    case LOC_ADDR: {
        X86Operand m = lower_address(lc, t);
        r = lower_scratch(lc);
        x86_lea(lc->cb, 8, r, m);
        return x86_r(r);
    }
    default:
        fprintf(stderr, "ferry: backend: temp %u used before definition\n", t);
        abort();
    }
}

X86Reg lower_operand_reg(LowerCtx *lc, IRTemp t, int bits)
{
    return lower_operand(lc, t, bits, ALLOW_REG).reg;
}

/* The memory operand for a guest address temp. */
X86Operand lower_address(LowerCtx *lc, IRTemp t)
{
    TempLoc *l = &lc->loc[t];
    if (l->kind == LOC_ADDR) {
        X86Reg base = lower_operand_reg(lc, l->base, 64);
        X86Reg index = l->index == IR_NONE ? X86_NOREG : lower_operand_reg(lc, l->index, 64);
        return x86_mi(base, index, l->scale, l->disp);
    }
    if (l->kind == LOC_CONST) {
        int64_t v = (int64_t)temp_const(lc, t);
        if (v >= INT32_MIN && v <= INT32_MAX) {
            return x86_m(X86_NOREG, (int32_t)v);
        }
    }
    return x86_m(lower_operand_reg(lc, t, 64), 0);
}

/* Sources (and folded-address parts) whose last use is this insn give
 * their locations back; their registers stay busy until the insn ends. */
void lower_release_sources(LowerCtx *lc)
{
    const IRInsn *in = lc->insn;
    #pragma GCC unroll 3
    for (int s = 0; s < 3; s++) {
        IRTemp t = in->src[s];
        if (t == IR_NONE || !temp_dies_here(lc, t)) {
            continue;
        }
        TempLoc *l = &lc->loc[t];
        if (l->kind == LOC_ADDR || l->kind == LOC_TEST) {
            if (temp_dies_here(lc, l->base)) {
                free_temp(lc, l->base);
            }
            if (l->index != IR_NONE && temp_dies_here(lc, l->index)) {
                free_temp(lc, l->index);
            }
            l->kind = LOC_NONE;
            continue;
        }
        free_temp(lc, t);
    }
    if (in->dst != IR_NONE && lc->loc[in->dst].scaled_add && temp_dies_here(lc, lc->loc[in->dst].index)) {
        free_temp(lc, lc->loc[in->dst].index);
    }
}

static bool pinned_has_live_alias(const LowerCtx *lc, X86Reg p)
{
    for (uint32_t i = 0; i < lc->n_active; i++) {
        const TempLoc *l = &lc->loc[lc->active[i]];
        if (l->kind == LOC_PINNED && l->reg == p && l->last_use > lc->idx) {
            return true;
        }
    }
    return false;
}

X86Reg lower_alloc_dst(LowerCtx *lc, X86Reg prefer, uint16_t avoid)
{
    IRTemp t = lc->insn->dst;
    TempLoc *l = &lc->loc[t];
    if (l->sink >= 0 && !(avoid & reg_bit((X86Reg)l->sink)) &&
        !pinned_has_live_alias(lc, (X86Reg)l->sink)) {
        l->kind = LOC_PINNED;
        l->reg = l->sink;
        activate(lc, t);
        return (X86Reg)l->reg;
    }
    X86Reg r;
    if (prefer != X86_NOREG && (allocatable(lc) & reg_bit(prefer)) &&
        lc->reg_owner[prefer] == IR_NONE && !(avoid & reg_bit(prefer))) {
        r = prefer;
    } else {
        r = take_free_reg(lc, avoid | reg_bit(X86_RAX));
    }
    own(lc, t, r);
    activate(lc, t);
    return r;
}

void lower_set_dst_location(LowerCtx *lc, IRTemp t, LocKind kind, int reg, int32_t env_off)
{
    TempLoc *l = &lc->loc[t];
    l->kind = (uint8_t)kind;
    l->reg = (int8_t)reg;
    l->env_off = env_off;
    activate(lc, t);
}

/* Before guest register greg changes: temps that alias its old value and
 * are still needed move to registers of their own. */
void lower_before_guest_write(LowerCtx *lc, int greg, IRTemp src)
{
    X86Reg p = backend_pinned_hreg(greg);
    int32_t off = ENV_XREG_OFF(greg);
    const TempLoc *sl = &lc->loc[src];
    if (p != X86_NOREG ? (sl->kind == LOC_PINNED && sl->reg == p)
                       : (sl->kind == LOC_ENV && sl->env_off == off)) {
        return;                         /* writing back the same value */
    }
    for (uint32_t i = 0; i < lc->n_active; i++) {
        IRTemp t = lc->active[i];
        TempLoc *l = &lc->loc[t];
        bool alias = p != X86_NOREG ? (l->kind == LOC_PINNED && l->reg == p)
                                    : (l->kind == LOC_ENV && l->env_off == off);
        if (!alias || l->last_use <= lc->idx) {
            continue;
        }
        X86Reg r = take_free_reg(lc, reg_bit(X86_RAX));
        x86_mov(lc->cb, 8, x86_r(r), p != X86_NOREG ? x86_r(p) : x86_m(HREG_ENV, off));
        own(lc, t, r);
    }
}

/* After SET_REG copied t into pinned register p: p is t's cheapest home
 * from now on (until p changes, see lower_before_guest_write). */
void lower_note_copy_in_pinned(LowerCtx *lc, IRTemp t, X86Reg p)
{
    TempLoc *l = &lc->loc[t];
    if (l->last_use <= lc->idx || (l->kind != LOC_REG && l->kind != LOC_ENV && l->kind != LOC_SPILL)) {
        return;
    }
    if (l->kind == LOC_REG) {
        lc->reg_owner[l->reg] = IR_NONE;
    } else if (l->kind == LOC_SPILL) {
        lc->slots_dying |= 1u << l->slot;
    }
    l->kind = LOC_PINNED;
    l->reg = (int8_t)p;
}

/* Around a helper call: values needed afterwards leave caller-saved registers. */
void lower_spill_caller_saved(LowerCtx *lc)
{
    for (int i = 0; i < N_ALLOC_ORDER; i++) {
        IRTemp t = lc->reg_owner[alloc_order[i]];
        if (t != IR_NONE && lc->loc[t].last_use > lc->idx && x86_caller_saved(alloc_order[i])) {
            spill(lc, t);
        }
    }
}

void regalloc_after_insn(LowerCtx *lc)
{
    lower_release_sources(lc);
    IRTemp d = lc->insn->dst;
    if (d != IR_NONE && lc->loc[d].kind != LOC_ADDR && lc->loc[d].kind != LOC_TEST &&
        temp_dies_here(lc, d)) {
        free_temp(lc, d);
    }
    lc->slots_used &= ~lc->slots_dying;
    lc->slots_dying = 0;
}
