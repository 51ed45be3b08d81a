/*
 * A64 branches: B, BL, B.cond, CBZ/CBNZ, TBZ/TBNZ and the register forms
 * BR, BLR, RET.  Direct branches end the block with chainable exits
 * (GOTO_TB, BRCOND, BRCMP); register branches with GOTO_PTR and a hint.
 * BL and BLR carry their return address so the backend can push a return
 * frame that RET's prediction checks.  The pointer-authenticating forms
 * (BRAA, RETAA, ...) are not in the table: no model advertises FEAT_PAuth,
 * so they are undefined.  Encodings: insns-branch-sys.def.
 */
#include "target/aarch64/translate.h"

static uint64_t branch_target(DisasContext *s, uint32_t insn, int lo, int len)
{
    return s->pc + ((uint64_t)sextract64(insn, lo, len) << 2);
}

bool trans_b(DisasContext *s, uint32_t insn)
{
    ir_goto_tb(s->b, branch_target(s, insn, 0, 26));
    return true;
}

bool trans_bl(DisasContext *s, uint32_t insn)
{
    write_x(s, GREG_LR, cst(s, s->pc + 4), 1);
    ir_call_tb(s->b, branch_target(s, insn, 0, 26), s->pc + 4);
    return true;
}

bool trans_b_cond(DisasContext *s, uint32_t insn)
{
    uint64_t taken = branch_target(s, insn, 5, 19);
    IRCond cond = (IRCond)extract32(insn, 0, 4);
    if (cond == COND_AL || cond == COND_NV) {
        ir_goto_tb(s->b, taken);
    } else {
        ir_brcond(s->b, cond, taken, s->pc + 4);
    }
    return true;
}

/* CBZ/CBNZ: sf, op (1 = CBNZ), imm19, Rt. */
bool trans_cbz(DisasContext *s, uint32_t insn)
{
    int sf = extract32(insn, 31, 1);
    int cmp = extract32(insn, 24, 1) ? IR_CMP_NEZ : IR_CMP_EQZ;
    /* the compare looks at the low sf_bits bits only: no zero-extension */
    IRTemp x = read_x(s, extract32(insn, 0, 5), 1);
    ir_brcmp(s->b, sf_bits(sf), cmp, x, branch_target(s, insn, 5, 19), s->pc + 4);
    return true;
}

/* TBZ/TBNZ: b5, op (1 = TBNZ), b40, imm14, Rt.  Tests bit b5:b40. */
bool trans_tbz(DisasContext *s, uint32_t insn)
{
    unsigned bit = (extract32(insn, 31, 1) << 5) | extract32(insn, 19, 5);
    int cmp = extract32(insn, 24, 1) ? IR_CMP_NEZ : IR_CMP_EQZ;
    IRTemp x = read_x(s, extract32(insn, 0, 5), 1);
    IRTemp t = ir_andi(s->b, 64, x, 1ull << bit);
    ir_brcmp(s->b, 64, cmp, t, branch_target(s, insn, 5, 14), s->pc + 4);
    return true;
}

bool trans_br(DisasContext *s, uint32_t insn)
{
    ir_goto_ptr(s->b, read_x(s, extract32(insn, 5, 5), 1), IR_JUMP_BR);
    return true;
}

/* BLR reads the target before writing X30, so BLR X30 jumps to the old X30. */
bool trans_blr(DisasContext *s, uint32_t insn)
{
    IRTemp target = read_x(s, extract32(insn, 5, 5), 1);
    write_x(s, GREG_LR, cst(s, s->pc + 4), 1);
    ir_call_ptr(s->b, target, s->pc + 4);
    return true;
}

bool trans_ret(DisasContext *s, uint32_t insn)
{
    ir_goto_ptr(s->b, read_x(s, extract32(insn, 5, 5), 1), IR_JUMP_RET);
    return true;
}
