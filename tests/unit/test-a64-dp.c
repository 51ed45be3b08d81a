/*
 * Unit tests of the A64 data-processing translation at the IR level:
 * bitmask immediates decoded to the values GNU as prints for the same
 * encodings, unallocated encodings rejected, and the IR shape of common
 * instructions (one IR op for a compare, a shift, a CSET...), so that a
 * code-quality regression fails here.  Full value checks against the
 * reference emulator are the guest tests dp-imm, dp-reg and dp-undef.
 */
#include <check.h>
#include <stdint.h>

#include "target/aarch64/translate.h"

/* Translate one instruction into b (initialised here); false if rejected. */
static bool translate_one(IRBuilder *b, uint32_t insn)
{
    ir_builder_init(b, 0x400000);
    DisasContext s = { .b = b, .pc = 0x400000, .insn = insn,
                       .model = cpu_model_default() };
    const A64InsnDef *def = a64_decode(insn);
    return def && def->trans(&s, insn);
}

/* Instructions that compute something (not register reads and writes). */
static unsigned count_compute_ops(const IRBlock *blk, IROp *only_op)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < blk->n_insns; i++) {
        IROp op = (IROp)blk->insns[i].op;
        if (op == IR_GET_REG || op == IR_SET_REG || op == IR_INSN_START) {
            continue;
        }
        *only_op = op;
        n++;
    }
    return n;
}

/* The constant second operand of the single compute op. */
static uint64_t single_op_constant(const IRBlock *blk, IROp expect_op)
{
    for (uint32_t i = 0; i < blk->n_insns; i++) {
        const IRInsn *in = &blk->insns[i];
        if (in->op == expect_op) {
            ck_assert(blk->temps[in->src[1]].is_const);
            return blk->temps[in->src[1]].val;
        }
    }
    ck_abort_msg("op %s not found", ir_op_info[expect_op].name);
    return 0;
}

/* Bitmask immediates: encodings and values as printed by GNU objdump. */
static const struct { uint32_t insn; IROp op; uint64_t mask; } bitmask_cases[] = {
    { 0x9200f020, IR_AND, 0x5555555555555555ull },
    { 0x32089c20, IR_OR,  0xff00ff00ull },
    { 0xd2410420, IR_XOR, 0x8000000000000001ull },
    { 0x721f7420, IR_AND, 0x7ffffffeull },
    { 0x927cec20, IR_AND, 0xfffffffffffffff0ull },
    { 0xb2008020, IR_OR,  0x0001000100010001ull },
};

START_TEST(logical_immediates_decode)
{
    IRBuilder b;
    ck_assert(translate_one(&b, bitmask_cases[_i].insn));
    ck_assert_uint_eq(single_op_constant(&b.blk, bitmask_cases[_i].op),
                      bitmask_cases[_i].mask);
    ir_builder_free(&b);
}
END_TEST

/* Unallocated encodings inside the classes (see the Arm ARM's decode
 * tables); the same words raise SIGILL under the reference emulator. */
static const uint32_t unallocated[] = {
    0x12400020,     /* logical imm, sf=0 N=1 */
    0x9240fc20,     /* logical imm, all-ones element */
    0x12c00000,     /* MOVN W with hw=2 */
    0x93000020,     /* SBFM X with N=0 */
    0x13008020,     /* SBFM W with imms=32 */
    0x13828020,     /* EXTR W with lsb=32 */
    0x8bc20020,     /* ADD shifted with ROR */
    0x0b028020,     /* ADD W shifted by 32 */
    0x8b221420,     /* ADD extended with shift 5 */
    0x5ac00c20,     /* REV X-form with sf=0 */
    0x1ac24c20,     /* CRC32X with sf=0 */
    0x1b220020,     /* SMADDL with sf=0 */
    0x9b428020,     /* SMULH with o0=1 */
};

START_TEST(unallocated_rejected)
{
    IRBuilder b;
    ck_assert_msg(!translate_one(&b, unallocated[_i]), "%08x accepted", unallocated[_i]);
    ir_builder_free(&b);
}
END_TEST

/* Common instructions and the single IR op each must become. */
static const struct { uint32_t insn; IROp op; const char *text; } shapes[] = {
    { 0xeb02003f, IR_SUBS,      "cmp x1, x2" },
    { 0xd37df020, IR_SHL,       "lsl x0, x1, #3" },
    { 0x937ffc20, IR_SAR,       "asr x0, x1, #63" },
    { 0x1a9f17e0, IR_SETCC,     "cset w0, eq" },
    { 0xcb0103e0, IR_NEG,       "neg x0, x1" },
    { 0x9b027c20, IR_MUL,       "mul x0, x1, x2" },
    { 0x93407c20, IR_SEXT,      "sxtw x0, w1" },
    { 0x7200003f, IR_FLAGS_NZ,  "tst w1, #1 (AND, then FLAGS_NZ)" },
};

START_TEST(common_instruction_shapes)
{
    IRBuilder b;
    IROp op = IR_OP_COUNT;
    ck_assert(translate_one(&b, shapes[_i].insn));
    unsigned n = count_compute_ops(&b.blk, &op);
    if (shapes[_i].op == IR_FLAGS_NZ) {
        ck_assert_msg(n == 2 && op == IR_FLAGS_NZ, "%s: %u ops", shapes[_i].text, n);
    } else {
        ck_assert_msg(n == 1 && op == shapes[_i].op, "%s: %u ops, last %s",
                      shapes[_i].text, n, n ? ir_op_info[op].name : "-");
    }
    ir_builder_free(&b);
}
END_TEST

START_TEST(register_moves_and_constants_need_no_op)
{
    static const uint32_t words[] = {
        0xaa0103e0,     /* mov x0, x1 */
        0xd2c24680,     /* mov x0, #0x123400000000 */
        0x12800000,     /* mov w0, #0xffffffff */
    };
    for (unsigned i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        IRBuilder b;
        IROp op;
        ck_assert(translate_one(&b, words[i]));
        ck_assert_uint_eq(count_compute_ops(&b.blk, &op), 0);
        ir_builder_free(&b);
    }
}
END_TEST

START_TEST(move_wide_values)
{
    IRBuilder b;
    ck_assert(translate_one(&b, 0xd2c24680));       /* mov x0, #0x123400000000 */
    const IRInsn *set = &b.blk.insns[b.blk.n_insns - 1];
    ck_assert_uint_eq(set->op, IR_SET_REG);
    ck_assert_uint_eq(b.blk.temps[set->src[0]].val, 0x123400000000ull);
    ir_builder_free(&b);
}
END_TEST

static Suite *dp_suite(void)
{
    Suite *s = suite_create("a64-dp");
    TCase *tc = tcase_create("dp");
    tcase_add_loop_test(tc, logical_immediates_decode, 0,
                        sizeof(bitmask_cases) / sizeof(bitmask_cases[0]));
    tcase_add_loop_test(tc, unallocated_rejected, 0,
                        sizeof(unallocated) / sizeof(unallocated[0]));
    tcase_add_loop_test(tc, common_instruction_shapes, 0,
                        sizeof(shapes) / sizeof(shapes[0]));
    tcase_add_test(tc, register_moves_and_constants_need_no_op);
    tcase_add_test(tc, move_wide_values);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(dp_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
