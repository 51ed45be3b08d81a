/*
 * The one IR pass before lowering: a backward walk that
 *   - drops pure instructions whose results nobody reads,
 *   - turns flag-setting arithmetic whose NZCV nobody reads into the plain
 *     form (ADDS -> ADD, ...) and drops dead pure flag writes,
 *   - records in each instruction whether guest NZCV is needed after it
 *     (IRInsn.flags_live), which tells the backend when EFLAGS must be saved,
 *   - drops guest register writes that a later write replaces unseen,
 * then moves base-register updates next to their register write (below),
 * and a forward walk that records each temp's last use.
 *
 * Guest NZCV is live at the end of a block (the next block may read it)
 * unless the translator found that every successor writes it before
 * reading it (IRBlock.nzcv_dead_at_end, see tcg/exec.c).
 */
#include <glib.h>
#include <string.h>

#include "tcg/ir.h"

static IROp without_flags(IROp op)
{
    switch (op) {
    case IR_ADDS: return IR_ADD;
    case IR_SUBS: return IR_SUB;
    case IR_ADCS: return IR_ADC;
    case IR_SBCS: return IR_SBC;
    default:      return op;
    }
}

static bool is_const_offset_add(const IRBlock *blk, const IRInsn *in)
{
    return (in->op == IR_ADD || in->op == IR_SUB) && in->bits == 64 &&
           !blk->temps[in->src[0]].is_const && blk->temps[in->src[1]].is_const;
}

/*
 * Writeback addressing (LDR x0, [x1], #8 and [x1, #8]!) computes x1 + 8
 * before the access and writes it to x1 after.  A memory access in
 * between stops the backend from computing the sum straight into x1's
 * host register, so the sum is moved down to its register write (when the
 * write is its only use) or recomputed there (when the access uses it as
 * its address too: the access then folds it into its addressing mode).
 * Both are base + constant on an SSA temp, valid anywhere after the base.
 */
static bool place_base_updates(IRBlock *blk)
{
    bool moved = false;
    uint32_t n = blk->n_insns;
    for (uint32_t j = 1; j < n; j++) {
        IRInsn *set = &blk->insns[j];
        if (set->op != IR_SET_REG || blk->temps[set->src[0]].is_const) {
            continue;
        }
        IRTemp t = set->src[0];
        uint32_t i = blk->temps[t].def;
        if (i >= j - 1 || blk->insns[i].dst != t || !is_const_offset_add(blk, &blk->insns[i])) {
            continue;
        }
        bool mem_between = false, other_use = false;
        for (uint32_t k = i + 1; k < n; k++) {
            const IRInsn *in = &blk->insns[k];
            mem_between |= k < j && (ir_op_info[in->op].flags & IRF_MEM);
            other_use |= k != j && (in->src[0] == t || in->src[1] == t || in->src[2] == t);
        }
        if (!mem_between) {
            continue;
        }
        moved = true;
        IRInsn add = blk->insns[i];
        add.flags_live = set->flags_live;   /* NZCV needs do not change across SET_REG */
        if (other_use) {
            if (n == blk->cap_insns) {
                blk->cap_insns *= 2;
                blk->insns = g_renew(IRInsn, blk->insns, blk->cap_insns);
            }
            memmove(&blk->insns[j + 1], &blk->insns[j], (n - j) * sizeof(IRInsn));
            add.dst = ir_block_new_temp(blk);
            blk->temps[add.dst].zext32 = blk->temps[t].zext32;
            blk->insns[j] = add;
            blk->insns[j + 1].src[0] = add.dst;
            blk->temps[add.dst].def = j;
            n++;
            j++;
        } else {
            memmove(&blk->insns[i], &blk->insns[i + 1], (j - 1 - i) * sizeof(IRInsn));
            blk->insns[j - 1] = add;
        }
        for (uint32_t k = i; k < n; k++) {
            if (blk->insns[k].dst != IR_NONE) {
                blk->temps[blk->insns[k].dst].def = k;
            }
        }
    }
    blk->n_insns = n;
    return moved;
}

/* Instruction i (on the final numbering) defines its dst and reads its sources. */
static inline __attribute__((always_inline)) void note_def_and_uses(IRBlock *blk, const IRInsn *in, uint32_t i)
{
    if (in->dst != IR_NONE) {
        blk->temps[in->dst].def = i;
        blk->temps[in->dst].last_use = i;
    }
    #pragma GCC unroll 3
    for (int s = 0; s < 3; s++) {
        if (in->src[s] != IR_NONE) {
            blk->temps[in->src[s]].last_use = i;
            blk->temps[in->src[s]].n_uses++;
        }
    }
}

/* Each temp's defining instruction and last reader, from scratch. */
static void number_temps(IRBlock *blk)
{
    for (uint32_t t = 0; t < blk->n_temps; t++) {
        blk->temps[t].def = UINT32_MAX;
        blk->temps[t].last_use = 0;
        blk->temps[t].n_uses = 0;
    }
    for (uint32_t i = 0; i < blk->n_insns; i++) {
        note_def_and_uses(blk, &blk->insns[i], i);
    }
}

void ir_liveness(IRBlock *blk)
{
    /* No allocation: during the backward walk temps[t].last_use != 0 means
     * "t is read later" and insn.pad != 0 means "keep this insn". */
    uint32_t n = blk->n_insns;
    for (uint32_t t = 0; t < blk->n_temps; t++) {
        blk->temps[t].last_use = 0;
        blk->temps[t].n_uses = 0;
    }
    bool flags_live = !blk->nzcv_dead_at_end;
    uint64_t overwritten = 0;       /* guest registers a later SET_REG replaces */

    for (uint32_t i = n; i-- > 0;) {
        IRInsn *in = &blk->insns[i];
        uint16_t f = ir_op_info[in->op].flags;
        bool dst_live = in->dst != IR_NONE && blk->temps[in->dst].last_use;
        in->pad = 0;

        if ((f & IRF_WFLAGS) && !flags_live && (f & IRF_PURE)) {
            IROp plain = without_flags((IROp)in->op);
            if (plain != in->op) {
                in->op = plain;
                f = ir_op_info[plain].flags;
            }
        }
        bool writes_live_flags = (f & IRF_WFLAGS) && flags_live;
        if ((f & IRF_PURE) && !dst_live && !writes_live_flags) {
            continue;                       /* dead: drop it */
        }
        /* A guest register write that a later write of the same register
         * replaces, with no read of it and nothing that could fault or
         * leave in between, is never seen (and the value may die). */
        if (in->op == IR_SET_REG) {
            uint64_t bit = 1ull << (in->imm & 63);
            if (overwritten & bit) {
                continue;
            }
            overwritten |= bit;
        } else if (in->op == IR_GET_REG) {
            overwritten &= ~(1ull << (in->imm & 63));
        } else if (f & (IRF_MEM | IRF_TERM | IRF_EXIT)) {
            overwritten = 0;
        }

        in->pad = 1;
        in->flags_live = flags_live;
        if (f & IRF_WFLAGS) {
            flags_live = false;
        }
        if (f & IRF_RFLAGS) {
            flags_live = true;
        }
        #pragma GCC unroll 3
        for (int s = 0; s < 3; s++) {
            if (in->src[s] != IR_NONE) {
                blk->temps[in->src[s]].last_use = 1;
            }
        }
    }

    /* Compact, and on the new indices record each kept temp's definition
     * and last reader (a dropped instruction's temp keeps a stale def,
     * which no kept instruction reads). */
    uint32_t j = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (!blk->insns[i].pad) {
            continue;
        }
        blk->insns[i].pad = 0;
        if (i != j) {
            blk->insns[j] = blk->insns[i];
        }
        note_def_and_uses(blk, &blk->insns[j], j);
        j++;
    }
    blk->n_insns = j;
    if (place_base_updates(blk)) {
        number_temps(blk);
    }
}
