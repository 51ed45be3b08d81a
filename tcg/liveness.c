/*
 * The one IR pass before lowering: a backward walk that
 *   - drops pure instructions whose results nobody reads,
 *   - turns flag-setting arithmetic whose NZCV nobody reads into the plain
 *     form (ADDS -> ADD, ...) and drops dead pure flag writes,
 *   - records in each instruction whether guest NZCV is needed after it
 *     (IRInsn.flags_live), which tells the backend when EFLAGS must be saved,
 * and then a forward walk that records each temp's last use.
 *
 * Guest NZCV is live at the end of every block: the next block may read it.
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

void ir_liveness(IRBlock *blk)
{
    uint32_t n = blk->n_insns;
    bool *temp_live = g_new0(bool, blk->n_temps ? blk->n_temps : 1);
    bool *keep = g_new0(bool, n ? n : 1);
    bool flags_live = true;

    for (uint32_t i = n; i-- > 0;) {
        IRInsn *in = &blk->insns[i];
        uint16_t f = ir_op_info[in->op].flags;
        bool dst_live = in->dst != IR_NONE && temp_live[in->dst];

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

        keep[i] = true;
        in->flags_live = flags_live;
        if (f & IRF_WFLAGS) {
            flags_live = false;
        }
        if (f & IRF_RFLAGS) {
            flags_live = true;
        }
        for (int s = 0; s < 3; s++) {
            if (in->src[s] != IR_NONE) {
                temp_live[in->src[s]] = true;
            }
        }
    }

    /* Compact and compute definitions and last uses on the new indices. */
    uint32_t j = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (keep[i]) {
            blk->insns[j++] = blk->insns[i];
        }
    }
    blk->n_insns = j;
    for (uint32_t t = 0; t < blk->n_temps; t++) {
        blk->temps[t].def = UINT32_MAX;
        blk->temps[t].last_use = 0;
    }
    for (uint32_t i = 0; i < j; i++) {
        IRInsn *in = &blk->insns[i];
        if (in->dst != IR_NONE) {
            blk->temps[in->dst].def = i;
            blk->temps[in->dst].last_use = i;
        }
        for (int s = 0; s < 3; s++) {
            if (in->src[s] != IR_NONE) {
                blk->temps[in->src[s]].last_use = i;
            }
        }
    }
    g_free(temp_live);
    g_free(keep);
}
