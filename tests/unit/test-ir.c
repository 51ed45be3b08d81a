/*
 * Unit tests of the IR builder's constant folding and of the liveness pass.
 * Expected values come from the Arm ARM's definitions of the instructions
 * the ops model (e.g. SDIV rounds toward zero and MIN/-1 = MIN, CLZ(0) =
 * datasize, CLS counts sign bits after the top one).
 */
#include <check.h>

#include "check-run.h"
#include <stdint.h>

#include "tcg/ir.h"

static uint64_t fold(IROp op, int bits, uint64_t a, uint64_t c)
{
    uint64_t r = 0xdeadbeef;
    ck_assert(ir_fold_eval(op, bits, a, c, 0, &r));
    return r;
}

START_TEST(fold_arithmetic)
{
    ck_assert_uint_eq(fold(IR_ADD, 32, 0xffffffff, 1), 0);
    ck_assert_uint_eq(fold(IR_ADD, 64, 0xffffffff, 1), 0x100000000ull);
    ck_assert_uint_eq(fold(IR_SUB, 32, 0, 1), 0xffffffffull);
    ck_assert_uint_eq(fold(IR_SDIV, 64, (uint64_t)INT64_MIN, (uint64_t)-1), (uint64_t)INT64_MIN);
    ck_assert_uint_eq(fold(IR_SDIV, 32, 0x80000000u, 0xffffffffu), 0x80000000u);
    ck_assert_uint_eq(fold(IR_SDIV, 64, (uint64_t)-7, 2), (uint64_t)-3);   /* toward zero */
    ck_assert_uint_eq(fold(IR_UDIV, 64, 42, 0), 0);
    ck_assert_uint_eq(fold(IR_SDIV, 32, 42, 0), 0);
    ck_assert_uint_eq(fold(IR_MULUH, 64, ~0ull, ~0ull), 0xfffffffffffffffeull);
    ck_assert_uint_eq(fold(IR_MULSH, 64, (uint64_t)-1, (uint64_t)-1), 0);
    ck_assert_uint_eq(fold(IR_MULSH, 64, (uint64_t)INT64_MIN, 2), (uint64_t)-1);
}
END_TEST

START_TEST(fold_shifts_take_amount_modulo_width)
{
    /* LSLV/LSRV/ASRV/RORV use the amount modulo the data size. */
    ck_assert_uint_eq(fold(IR_SHL, 32, 1, 33), 2);
    ck_assert_uint_eq(fold(IR_SHL, 64, 1, 65), 2);
    ck_assert_uint_eq(fold(IR_SAR, 32, 0x80000000u, 31), 0xffffffffu);
    ck_assert_uint_eq(fold(IR_SHR, 32, 0x80000000u, 31), 1);
    ck_assert_uint_eq(fold(IR_ROR, 32, 1, 1), 0x80000000u);
    ck_assert_uint_eq(fold(IR_ROR, 64, 0x12, 4), 0x2000000000000001ull);
    ck_assert_uint_eq(fold(IR_ROR, 64, 0x12, 0), 0x12);
}
END_TEST

START_TEST(fold_bit_ops)
{
    ck_assert_uint_eq(fold(IR_CLZ, 64, 0, 0), 64);
    ck_assert_uint_eq(fold(IR_CLZ, 32, 0, 0), 32);
    ck_assert_uint_eq(fold(IR_CLZ, 32, 1, 0), 31);
    ck_assert_uint_eq(fold(IR_CTZ, 64, 0, 0), 64);
    ck_assert_uint_eq(fold(IR_CTZ, 32, 0x80000000u, 0), 31);
    ck_assert_uint_eq(fold(IR_CLS, 64, 0, 0), 63);
    ck_assert_uint_eq(fold(IR_CLS, 64, ~0ull, 0), 63);
    ck_assert_uint_eq(fold(IR_CLS, 32, 0x7fffffff, 0), 0);
    ck_assert_uint_eq(fold(IR_CLS, 32, 0x0000ffff, 0), 15);
    ck_assert_uint_eq(fold(IR_RBIT, 64, 1, 0), 1ull << 63);
    ck_assert_uint_eq(fold(IR_RBIT, 32, 1, 0), 1ull << 31);
    ck_assert_uint_eq(fold(IR_BSWAP, 32, 0x11223344, 0), 0x44332211);
    ck_assert_uint_eq(fold(IR_BSWAP, 64, 0x1122334455667788ull, 0), 0x8877665544332211ull);
    ck_assert_uint_eq(fold(IR_REV16, 64, 0x1122334455667788ull, 0), 0x2211443366558877ull);
    ck_assert_uint_eq(fold(IR_REV16, 32, 0x11223344, 0), 0x22114433);
}
END_TEST

START_TEST(builder_folds_constants_and_identities)
{
    IRBuilder b;
    ir_builder_init(&b, 0x1000);
    IRTemp x = ir_get_reg(&b, 3);
    IRTemp s = ir_add(&b, 64, ir_const(&b, 40), ir_const(&b, 2));
    ck_assert(ir_is_const(&b, s));
    ck_assert_uint_eq(ir_const_val(&b, s), 42);
    ck_assert_uint_eq(ir_add(&b, 64, x, ir_const(&b, 0)), x);
    /* A 32-bit add of 0 to a 64-bit value is a zero-extension, not a no-op. */
    ck_assert_uint_ne(ir_add(&b, 32, x, ir_const(&b, 0)), x);
    ck_assert(ir_is_const(&b, ir_and(&b, 64, x, ir_const(&b, 0))));
    /* Reads of a register are cached within the block; writes update the cache. */
    ck_assert_uint_eq(ir_get_reg(&b, 3), x);
    IRTemp y = ir_add(&b, 64, x, ir_const(&b, 1));
    ir_set_reg(&b, 4, y);
    ck_assert_uint_eq(ir_get_reg(&b, 4), y);
    /* Zero-extending a 32-bit result is free. */
    IRTemp w = ir_add(&b, 32, x, ir_const(&b, 5));
    ck_assert_uint_eq(ir_zext(&b, 64, w, 32), w);
    ir_builder_free(&b);
}
END_TEST

static int count_op(const IRBlock *blk, IROp op)
{
    int n = 0;
    for (uint32_t i = 0; i < blk->n_insns; i++) {
        n += blk->insns[i].op == op;
    }
    return n;
}

START_TEST(liveness_drops_dead_values_and_flags)
{
    IRBuilder b;
    ir_builder_init(&b, 0x1000);
    ir_insn_start(&b, 0x1000);
    IRTemp x = ir_get_reg(&b, 1);
    IRTemp y = ir_get_reg(&b, 2);
    ir_add(&b, 64, x, y);                       /* result unused: dropped */
    IRTemp a = ir_adds(&b, 64, x, y);           /* flags overwritten below: ADD */
    ir_set_reg(&b, 0, a);
    ir_insn_start(&b, 0x1004);
    ir_subs(&b, 64, x, ir_const(&b, 1));        /* flags live at block end */
    ir_insn_start(&b, 0x1008);
    ir_brcond(&b, COND_NE, 0x1000, 0x100c);
    ir_liveness(&b.blk);

    ck_assert_int_eq(count_op(&b.blk, IR_ADDS), 0);
    ck_assert_int_eq(count_op(&b.blk, IR_ADD), 1);
    ck_assert_int_eq(count_op(&b.blk, IR_SUBS), 1);
    for (uint32_t i = 0; i < b.blk.n_insns; i++) {
        const IRInsn *in = &b.blk.insns[i];
        if (in->op == IR_SUBS) {
            ck_assert(in->flags_live);          /* BRCOND reads them */
        }
        if (in->op == IR_ADD) {
            ck_assert(in->flags_live == false);
        }
    }
    /* x is last read by the SUBS. */
    for (uint32_t i = 0; i < b.blk.n_insns; i++) {
        if (b.blk.insns[i].op == IR_SUBS) {
            ck_assert_uint_eq(b.blk.temps[x].last_use, i);
        }
    }
    ir_builder_free(&b);
}
END_TEST

/* rbit x1, x0; clz x1, x1 (count trailing zeros): one CTZ of x0, and the
 * bit reverse is dead once liveness has run. */
START_TEST(builder_fuses_clz_of_rbit)
{
    IRBuilder b;
    ir_builder_init(&b, 0x1000);
    IRTemp x = ir_get_reg(&b, 0);
    ir_set_reg(&b, 1, ir_op1(&b, IR_RBIT, 64, x));
    IRTemp c = ir_op1(&b, IR_CLZ, 64, ir_get_reg(&b, 1));
    ir_set_reg(&b, 1, c);
    const IRInsn *def = &b.blk.insns[b.blk.temps[c].def];
    ck_assert_int_eq(def->op, IR_CTZ);
    ck_assert_uint_eq(def->src[0], x);
    /* the 32-bit form too, but not across widths */
    IRTemp w = ir_op1(&b, IR_CLZ, 32, ir_op1(&b, IR_RBIT, 32, x));
    ck_assert_int_eq(b.blk.insns[b.blk.temps[w].def].op, IR_CTZ);
    IRTemp m = ir_op1(&b, IR_CLZ, 64, ir_op1(&b, IR_RBIT, 32, x));
    ck_assert_int_eq(b.blk.insns[b.blk.temps[m].def].op, IR_CLZ);
    ir_builder_free(&b);
}
END_TEST

START_TEST(liveness_keeps_flags_live_out_of_block)
{
    IRBuilder b;
    ir_builder_init(&b, 0x2000);
    ir_insn_start(&b, 0x2000);
    IRTemp x = ir_get_reg(&b, 1);
    ir_flags_nz(&b, 64, x);                     /* no reader in the block */
    ir_goto_tb(&b, 0x2004);
    ir_liveness(&b.blk);
    ck_assert_int_eq(count_op(&b.blk, IR_FLAGS_NZ), 1);

    ir_builder_init(&b, 0x3000);
    ir_insn_start(&b, 0x3000);
    x = ir_get_reg(&b, 1);
    ir_flags_nz(&b, 64, x);                     /* overwritten: dead */
    ir_ccmp(&b, 64, COND_EQ, x, x, 0, false);   /* dead too: overwritten next */
    ir_flags_set(&b, 0x40000000);
    ir_goto_tb(&b, 0x3004);
    ir_liveness(&b.blk);
    ck_assert_int_eq(count_op(&b.blk, IR_FLAGS_NZ), 0);
    ck_assert_int_eq(count_op(&b.blk, IR_CCMP), 0);
    ck_assert_int_eq(count_op(&b.blk, IR_GET_REG), 0);
    ck_assert_int_eq(count_op(&b.blk, IR_FLAGS_SET), 1);
    ir_builder_free(&b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ir");
    TCase *tc = tcase_create("ir");
    tcase_add_test(tc, fold_arithmetic);
    tcase_add_test(tc, fold_shifts_take_amount_modulo_width);
    tcase_add_test(tc, fold_bit_ops);
    tcase_add_test(tc, builder_folds_constants_and_identities);
    tcase_add_test(tc, liveness_drops_dead_values_and_flags);
    tcase_add_test(tc, liveness_keeps_flags_live_out_of_block);
    tcase_add_test(tc, builder_fuses_clz_of_rbit);
    suite_add_tcase(s, tc);
    return check_run_suite(s);
}
