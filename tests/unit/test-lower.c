/*
 * Unit tests of the IR -> x86-64 lowering: small IR blocks are built with
 * the builder, lowered and run on a CPUState (harness in
 * test-lower-harness.c).  Expected values come from the Arm ARM pseudo-code
 * (AddWithCarry, ConditionHolds, the instruction descriptions),
 * re-implemented independently, and from hand-worked examples.  Golden
 * tests count host instructions with capstone.
 */
#include <stdlib.h>
#include <string.h>

#include "test-lower.h"

/* Guest registers used as inputs and output: all pinned or all in env. */
static const int reg_sets[2][3] = { { 0, 1, 2 }, { 5, 6, 7 } };

/* Run dst = op(a, b) at `bits` with a and b in guest registers. */
static uint64_t run_op2(IROp op, int bits, uint64_t a, uint64_t b, int fs, int rs)
{
    Block blk;
    CPUState env;
    const int *r = reg_sets[rs];
    block_begin(&blk);
    IRTemp x = ir_get_reg(&blk.b, r[0]);
    IRTemp y = ir_get_reg(&blk.b, r[1]);
    ir_set_reg(&blk.b, r[2], ir_op2(&blk.b, op, bits, x, y));
    ir_exit(&blk.b, EXIT_SVC, 0x1004, 0);
    block_lower(&blk, feature_sets[fs]);
    env_init(&env);
    env.x[r[0]] = a;
    env.x[r[1]] = b;
    ck_assert_uint_eq(run(&blk, &env), EXIT_SVC);
    ck_assert_uint_eq(env.x[r[0]], a);
    ir_builder_free(&blk.b);
    return env.x[r[2]];
}

/* Same with b as a constant (immediate operand forms). */
static uint64_t run_op2_imm(IROp op, int bits, uint64_t a, uint64_t b, int fs, int rs)
{
    Block blk;
    CPUState env;
    const int *r = reg_sets[rs];
    block_begin(&blk);
    IRTemp x = ir_get_reg(&blk.b, r[0]);
    ir_set_reg(&blk.b, r[2], ir_op2(&blk.b, op, bits, x, ir_const(&blk.b, b)));
    ir_exit(&blk.b, EXIT_SVC, 0x1004, 0);
    block_lower(&blk, feature_sets[fs]);
    env_init(&env);
    env.x[r[0]] = a;
    run(&blk, &env);
    ir_builder_free(&blk.b);
    return env.x[r[2]];
}

static uint64_t run_op1(IROp op, int bits, uint64_t a, uint64_t imm, int fs, int rs)
{
    Block blk;
    CPUState env;
    const int *r = reg_sets[rs];
    block_begin(&blk);
    IRTemp x = ir_get_reg(&blk.b, r[0]);
    IRTemp d = ir_new_temp(&blk.b);
    IRInsn *in = ir_emit(&blk.b, op, bits, d, x, IR_NONE, IR_NONE);
    in->imm = imm;
    ir_set_reg(&blk.b, r[2], d);
    ir_exit(&blk.b, EXIT_SVC, 0x1004, 0);
    block_lower(&blk, feature_sets[fs]);
    env_init(&env);
    env.x[r[0]] = a;
    run(&blk, &env);
    ir_builder_free(&blk.b);
    return env.x[r[2]];
}

#define FOR_ALL_SETUPS for (int fs = 0; fs < 2; fs++) for (int rs = 0; rs < 2; rs++)

/* ---- tests: arithmetic ------------------------------------------------------------ */

START_TEST(binary_ops_match_arm_semantics)
{
    static const IROp ops[] = { IR_ADD, IR_SUB, IR_AND, IR_OR, IR_XOR, IR_ANDN, IR_ORN, IR_XORN,
                                IR_MUL, IR_SHL, IR_SHR, IR_SAR, IR_ROR, IR_UDIV, IR_SDIV,
                                IR_MULUH, IR_MULSH };
    for (size_t o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
        for (int bits = 32; bits <= 64; bits += 32) {
            if ((ops[o] == IR_MULUH || ops[o] == IR_MULSH) && bits == 32) {
                continue;
            }
            FOR_ALL_SETUPS {
                for (size_t i = 0; i < N_EDGE; i += 3) {
                    for (size_t j = 0; j < N_EDGE; j += 2) {
                        uint64_t a = edge_values[i], b = edge_values[j];
                        uint64_t want = ref_op2(ops[o], bits, a, b);
                        uint64_t got = run_op2(ops[o], bits, a, b, fs, rs);
                        ck_assert_msg(got == want, "%s/%d fs%d rs%d %#lx,%#lx: got %#lx want %#lx",
                                      ir_op_info[ops[o]].name, bits, fs, rs, a, b, got, want);
                        got = run_op2_imm(ops[o], bits, a, b, fs, rs);
                        ck_assert_msg(got == want, "%s/%d imm fs%d rs%d %#lx,%#lx: got %#lx want %#lx",
                                      ir_op_info[ops[o]].name, bits, fs, rs, a, b, got, want);
                    }
                }
            }
        }
    }
}
END_TEST

START_TEST(division_corner_cases)
{
    FOR_ALL_SETUPS {
        ck_assert_uint_eq(run_op2(IR_UDIV, 64, 12345, 0, fs, rs), 0);
        ck_assert_uint_eq(run_op2(IR_SDIV, 64, (uint64_t)INT64_MIN, (uint64_t)-1, fs, rs), (uint64_t)INT64_MIN);
        ck_assert_uint_eq(run_op2(IR_SDIV, 32, 0x80000000u, 0xffffffffu, fs, rs), 0x80000000u);
        ck_assert_uint_eq(run_op2(IR_SDIV, 64, (uint64_t)-7, 2, fs, rs), (uint64_t)-3);
        ck_assert_uint_eq(run_op2(IR_SDIV, 32, 7, 0, fs, rs), 0);
        ck_assert_uint_eq(run_op2(IR_UDIV, 32, 0xffffffffu, 2, fs, rs), 0x7fffffffu);
    }
}
END_TEST


START_TEST(unary_ops_match_arm_semantics)
{
    FOR_ALL_SETUPS {
        ck_assert_uint_eq(run_op1(IR_CLZ, 64, 0, 0, fs, rs), 64);
        ck_assert_uint_eq(run_op1(IR_CLZ, 32, 0xffffffff00000000ull, 0, fs, rs), 32);
        ck_assert_uint_eq(run_op1(IR_CLZ, 64, 1, 0, fs, rs), 63);
        ck_assert_uint_eq(run_op1(IR_CLZ, 32, 0x00008000, 0, fs, rs), 16);
        ck_assert_uint_eq(run_op1(IR_CTZ, 64, 0, 0, fs, rs), 64);          /* Arm: CLZ(RBIT(0)) */
        ck_assert_uint_eq(run_op1(IR_CTZ, 32, 0xffffffff00000000ull, 0, fs, rs), 32);
        ck_assert_uint_eq(run_op1(IR_CTZ, 64, 1ull << 63, 0, fs, rs), 63);
        ck_assert_uint_eq(run_op1(IR_CTZ, 32, 0x00018000, 0, fs, rs), 15);
        ck_assert_uint_eq(run_op1(IR_CLS, 64, 0, 0, fs, rs), 63);
        ck_assert_uint_eq(run_op1(IR_CLS, 64, ~0ull, 0, fs, rs), 63);
        ck_assert_uint_eq(run_op1(IR_CLS, 32, 0xfff0ffff, 0, fs, rs), 11);
        ck_assert_uint_eq(run_op1(IR_CLS, 64, 0x4000000000000000ull, 0, fs, rs), 0);
        ck_assert_uint_eq(run_op1(IR_RBIT, 64, 1, 0, fs, rs), 1ull << 63);
        ck_assert_uint_eq(run_op1(IR_RBIT, 32, 1, 0, fs, rs), 1u << 31);
        ck_assert_uint_eq(run_op1(IR_BSWAP, 64, 0x0102030405060708ull, 0, fs, rs), 0x0807060504030201ull);
        ck_assert_uint_eq(run_op1(IR_BSWAP, 32, 0xaabbccdd11223344ull, 0, fs, rs), 0x44332211u);
        ck_assert_uint_eq(run_op1(IR_REV16, 64, 0x0102030405060708ull, 0, fs, rs), 0x0201040306050807ull);
        ck_assert_uint_eq(run_op1(IR_REV16, 32, 0x11223344, 0, fs, rs), 0x22114433u);
        ck_assert_uint_eq(run_op1(IR_NEG, 32, 1, 0, fs, rs), 0xffffffffu);
        ck_assert_uint_eq(run_op1(IR_NOT, 64, 0, 0, fs, rs), ~0ull);
        ck_assert_uint_eq(run_op1(IR_SEXT, 64, 0x80, 8, fs, rs), 0xffffffffffffff80ull);
        ck_assert_uint_eq(run_op1(IR_SEXT, 32, 0x8000, 16, fs, rs), 0xffff8000u);
        ck_assert_uint_eq(run_op1(IR_SEXT, 64, 0x80000000u, 32, fs, rs), 0xffffffff80000000ull);
        ck_assert_uint_eq(run_op1(IR_ZEXT, 64, 0x1234567890ull, 32, fs, rs), 0x34567890u);
        ck_assert_uint_eq(run_op1(IR_ZEXT, 64, 0x1ff, 8, fs, rs), 0xff);
        ck_assert_uint_eq(run_op1(IR_MOV, 32, 0xffffffff12345678ull, 0, fs, rs), 0x12345678u);
        for (size_t i = 0; i < N_EDGE; i++) {
            uint64_t v = edge_values[i];
            ck_assert_uint_eq(run_op1(IR_RBIT, 64, v, 0, fs, rs), ref_rbit(v, 64));
            ck_assert_uint_eq(run_op1(IR_RBIT, 32, v, 0, fs, rs), ref_rbit(v & 0xffffffff, 32));
        }
    }
}
END_TEST


/* ---- tests: flags ------------------------------------------------------------------- */

typedef enum { F_ADDS, F_SUBS, F_ADCS, F_SBCS } FlagOp;

/* dst = op(a, b) with carry-in c for ADCS/SBCS; then SETCC of every
 * condition (into X10..X23) and a BRCOND on `branch`. */
static void run_flag_op(FlagOp fop, int bits, uint64_t a, uint64_t b, int carry_in, IRCond branch,
                        int fs, int rs, CPUState *env)
{
    Block blk;
    const int *r = reg_sets[rs];
    block_begin(&blk);
    IRTemp x = ir_get_reg(&blk.b, r[0]);
    IRTemp y = ir_get_reg(&blk.b, r[1]);
    IRTemp d;
    switch (fop) {
    case F_ADDS: d = ir_adds(&blk.b, bits, x, y); break;
    case F_SUBS: d = ir_subs(&blk.b, bits, x, y); break;
    case F_ADCS: d = ir_adc(&blk.b, bits, x, y, true); break;
    default:     d = ir_sbc(&blk.b, bits, x, y, true); break;
    }
    ir_set_reg(&blk.b, r[2], d);
    for (int c = 0; c < 14; c++) {
        ir_set_reg(&blk.b, 10 + c, ir_setcc(&blk.b, (IRCond)c));
    }
    ir_brcond(&blk.b, branch, 0x2000, 0x3000);
    block_lower(&blk, feature_sets[fs]);
    env_init(env);
    env->x[r[0]] = a;
    env->x[r[1]] = b;
    cpu_set_nzcv(env, carry_in ? NZCV_C : 0);
    run(&blk, env);
    ir_builder_free(&blk.b);
}

static void check_flag_op(FlagOp fop, int bits, uint64_t a, uint64_t b, int carry_in)
{
    uint64_t want;
    int c = fop == F_ADDS ? 0 : fop == F_SUBS ? 1 : carry_in;
    uint64_t y = (fop == F_SUBS || fop == F_SBCS) ? ~b : b;
    uint32_t nzcv = ref_add_with_carry(bits, a, y, c, &want);
    FOR_ALL_SETUPS {
        for (int br = 0; br < 14; br++) {
            CPUState env;
            run_flag_op(fop, bits, a, b, carry_in, (IRCond)br, fs, rs, &env);
            ck_assert_msg(env.x[reg_sets[rs][2]] == want, "op%d/%d %#lx,%#lx,c%d: result %#lx want %#lx",
                          fop, bits, a, b, carry_in, env.x[reg_sets[rs][2]], want);
            ck_assert_msg(cpu_get_nzcv(&env) == nzcv, "op%d/%d %#lx,%#lx,c%d: nzcv %#x want %#x",
                          fop, bits, a, b, carry_in, cpu_get_nzcv(&env), nzcv);
            for (int cc = 0; cc < 14; cc++) {
                ck_assert_msg(env.x[10 + cc] == ref_cond(nzcv, (IRCond)cc),
                              "op%d/%d %#lx,%#lx: setcc %s", fop, bits, a, b, ir_cond_name((IRCond)cc));
            }
            ck_assert_uint_eq(env.pc, ref_cond(nzcv, (IRCond)br) ? 0x2000 : 0x3000);
        }
    }
}

START_TEST(flags_worked_examples)
{
    CPUState env;
    /* SUBS 3 - 5: negative, borrow (C=0), no overflow */
    run_flag_op(F_SUBS, 64, 3, 5, 0, COND_CC, 0, 0, &env);
    ck_assert_uint_eq(cpu_get_nzcv(&env), NZCV_N);
    ck_assert_uint_eq(env.pc, 0x2000);
    /* ADDS 0xffffffff + 1 in 32 bits: zero with carry */
    run_flag_op(F_ADDS, 32, 0xffffffff, 1, 0, COND_HI, 0, 1, &env);
    ck_assert_uint_eq(cpu_get_nzcv(&env), NZCV_Z | NZCV_C);
    ck_assert_uint_eq(env.x[7], 0);
    ck_assert_uint_eq(env.pc, 0x3000);
    /* SUBS 5 - 3: C=1 (no borrow), HI taken */
    run_flag_op(F_SUBS, 32, 5, 3, 0, COND_HI, 1, 0, &env);
    ck_assert_uint_eq(cpu_get_nzcv(&env), NZCV_C);
    ck_assert_uint_eq(env.pc, 0x2000);
    /* ADDS INT64_MAX + 1 overflows */
    run_flag_op(F_ADDS, 64, INT64_MAX, 1, 0, COND_VS, 0, 0, &env);
    ck_assert_uint_eq(cpu_get_nzcv(&env), NZCV_N | NZCV_V);
    ck_assert_uint_eq(env.pc, 0x2000);
}
END_TEST

START_TEST(flags_all_conditions)
{
    static const uint64_t vals[] = { 0, 1, 5, 0x7fffffff, 0x80000000, 0xffffffff,
                                     0x8000000000000000ull, 0xffffffffffffffffull };
    for (size_t i = 0; i < 8; i++) {
        for (size_t j = 0; j < 8; j += 1) {
            for (int bits = 32; bits <= 64; bits += 32) {
                check_flag_op(F_ADDS, bits, vals[i], vals[j], 0);
                check_flag_op(F_SUBS, bits, vals[i], vals[j], 0);
                if ((i + j) % 3 == 0) {
                    check_flag_op(F_ADCS, bits, vals[i], vals[j], (int)(i & 1));
                    check_flag_op(F_SBCS, bits, vals[i], vals[j], (int)(j & 1));
                }
            }
        }
    }
}
END_TEST

/* Flags survive flag-clobbering ops between producer and consumer. */
START_TEST(flags_survive_clobbers)
{
    FOR_ALL_SETUPS {
        Block blk;
        CPUState env;
        const int *r = reg_sets[rs];
        block_begin(&blk);
        IRTemp x = ir_get_reg(&blk.b, r[0]);
        IRTemp y = ir_get_reg(&blk.b, r[1]);
        ir_subs(&blk.b, 64, x, y);                  /* cmp x, y */
        IRTemp t = ir_op2(&blk.b, IR_MUL, 64, x, y);        /* clobbers EFLAGS */
        t = ir_op2(&blk.b, IR_SHL, 64, t, y);               /* flagless with BMI2 */
        t = ir_op2(&blk.b, IR_UDIV, 64, t, x);
        ir_set_reg(&blk.b, r[2], t);
        ir_set_reg(&blk.b, 20, ir_csel(&blk.b, 64, COND_HI, x, y));
        ir_set_reg(&blk.b, 21, ir_adc(&blk.b, 64, x, y, false));
        ir_set_reg(&blk.b, 22, ir_sbc(&blk.b, 32, x, y, false));
        ir_brcond(&blk.b, COND_LS, 0x2000, 0x3000);
        block_lower(&blk, feature_sets[fs]);
        env_init(&env);
        env.x[r[0]] = 10;
        env.x[r[1]] = 3;
        run(&blk, &env);
        /* 10 - 3: C=1, Z=0 -> HI holds, LS does not */
        ck_assert_uint_eq(cpu_get_nzcv(&env), NZCV_C);
        ck_assert_uint_eq(env.x[r[2]], (30ull << 3) / 10);
        ck_assert_uint_eq(env.x[20], 10);
        ck_assert_uint_eq(env.x[21], 14);
        ck_assert_uint_eq(env.x[22], 7);
        ck_assert_uint_eq(env.pc, 0x3000);
        ir_builder_free(&blk.b);
    }
}
END_TEST

START_TEST(flags_get_set_ccmp)
{
    FOR_ALL_SETUPS {
        for (uint32_t nz = 0; nz < 16; nz++) {
            Block blk;
            CPUState env;
            const int *r = reg_sets[rs];
            block_begin(&blk);
            /* MSR NZCV from a register, MRS it back, CCMP on it */
            ir_flags_from(&blk.b, ir_get_reg(&blk.b, r[0]));
            ir_set_reg(&blk.b, r[2], ir_flags_get(&blk.b));
            ir_ccmp(&blk.b, 64, COND_EQ, ir_get_reg(&blk.b, r[1]), ir_const(&blk.b, 7),
                    0x90000000u /* N, V */, false);
            ir_set_reg(&blk.b, 20, ir_setcc(&blk.b, COND_CS));
            ir_ccmp(&blk.b, 32, COND_NE, ir_get_reg(&blk.b, r[1]), ir_get_reg(&blk.b, r[1]),
                    0x20000000u /* C */, true);
            ir_exit(&blk.b, EXIT_SVC, 0x1004, 0);
            block_lower(&blk, feature_sets[fs]);
            env_init(&env);
            env.x[r[0]] = (uint64_t)nz << 28 | 0x0123456;
            env.x[r[1]] = 7;
            run(&blk, &env);
            ck_assert_uint_eq(env.x[r[2]], (uint64_t)nz << 28);
            bool eq = nz & 4;
            /* CCMP: EQ ? flags(7 - 7) = Z C : N V */
            uint32_t after1 = eq ? (NZCV_Z | NZCV_C) : (NZCV_N | NZCV_V);
            ck_assert_uint_eq(env.x[20], (after1 & NZCV_C) != 0);
            /* CCMN: NE ? flags(7 + 7) = 0 : C */
            uint32_t after2 = (after1 & NZCV_Z) ? NZCV_C : 0;
            ck_assert_uint_eq(cpu_get_nzcv(&env), after2);
            ir_builder_free(&blk.b);
        }
    }
}
END_TEST


/* ---- tests: memory, calls, registers ------------------------------------------------- */

START_TEST(memory_ops)
{
    FOR_ALL_SETUPS {
        static uint64_t mem[4];
        mem[0] = 0x8182838485868788ull;
        mem[1] = 0;
        mem[2] = 5;
        Block blk;
        CPUState env;
        const int *r = reg_sets[rs];
        block_begin(&blk);
        IRTemp base = ir_get_reg(&blk.b, r[0]);
        ir_set_reg(&blk.b, 10, ir_load(&blk.b, 64, MO_8 | MO_SIGN, base));
        ir_set_reg(&blk.b, 11, ir_load(&blk.b, 32, MO_16 | MO_SIGN, base));
        ir_set_reg(&blk.b, 12, ir_load(&blk.b, 64, MO_32 | MO_SIGN, base));
        ir_set_reg(&blk.b, 13, ir_load(&blk.b, 64, MO_32, ir_addi(&blk.b, 64, base, 4)));
        ir_store(&blk.b, MO_16, ir_addi(&blk.b, 64, base, 8), ir_get_reg(&blk.b, r[1]));
        ir_store(&blk.b, MO_64 | MO_REL, ir_addi(&blk.b, 64, base, 24), ir_const(&blk.b, 99));
        IRTemp old = ir_cmpxchg(&blk.b, MO_64, ir_addi(&blk.b, 64, base, 16), ir_const(&blk.b, 5),
                                ir_const(&blk.b, 6));
        ir_set_reg(&blk.b, 14, old);
        ir_set_reg(&blk.b, 15, ir_xchg(&blk.b, MO_8, ir_addi(&blk.b, 64, base, 9),
                                       ir_get_reg(&blk.b, r[1])));
        ir_fence(&blk.b);
        ir_exit(&blk.b, EXIT_SVC, 0x1004, 0);
        block_lower(&blk, feature_sets[fs]);
        env_init(&env);
        env.x[r[0]] = (uint64_t)(uintptr_t)mem;
        env.x[r[1]] = 0xabcd;
        run(&blk, &env);
        ck_assert_uint_eq(env.x[10], 0xffffffffffffff88ull);
        ck_assert_uint_eq(env.x[11], 0xffff8788u);
        ck_assert_uint_eq(env.x[12], 0xffffffff85868788ull);
        ck_assert_uint_eq(env.x[13], 0x81828384u);
        ck_assert_uint_eq(env.x[14], 5);
        ck_assert_uint_eq(env.x[15], 0xab);          /* byte 9 after the 16-bit store */
        ck_assert_uint_eq(mem[1], 0xcdcd);           /* xchg wrote 0xcd to byte 9 */
        ck_assert_uint_eq(mem[2], 6);
        ck_assert_uint_eq(mem[3], 99);
        ir_builder_free(&blk.b);
    }
}
END_TEST

static uint64_t test_helper(void *env, uint64_t a, uint64_t b, uint64_t c)
{
    uintptr_t frame = (uintptr_t)__builtin_frame_address(0);
    ck_assert_uint_eq(frame % 16, 0);           /* rsp was 16-aligned at the call */
    ck_assert_ptr_eq(env, ((CPUState *)env)->opaque);
    return a * 100 + b * 10 + c;
}

static uint64_t flags_helper(void *env, uint64_t a, uint64_t b, uint64_t c)
{
    CPUState *s = env;
    uint32_t nzcv = cpu_get_nzcv(s);
    cpu_set_nzcv(s, NZCV_Z);
    return nzcv;
}

START_TEST(helper_calls)
{
    FOR_ALL_SETUPS {
        Block blk;
        CPUState env;
        const int *r = reg_sets[rs];
        block_begin(&blk);
        IRTemp x = ir_get_reg(&blk.b, r[0]);
        IRTemp y = ir_get_reg(&blk.b, r[1]);
        IRTemp live[6];
        for (int i = 0; i < 6; i++) {
            live[i] = ir_op2(&blk.b, IR_MUL, 64, x, ir_const(&blk.b, (uint64_t)i + 2));
        }
        ir_subs(&blk.b, 64, x, y);
        /* arguments in rotated order to force a register cycle */
        IRTemp res = ir_call(&blk.b, test_helper, live[1], live[0], y);
        ir_set_reg(&blk.b, r[2], res);
        IRTemp sum = live[0];
        for (int i = 1; i < 6; i++) {
            sum = ir_add(&blk.b, 64, sum, live[i]);
        }
        ir_set_reg(&blk.b, 20, sum);
        ir_set_reg(&blk.b, 21, ir_setcc(&blk.b, COND_LT));
        ir_set_reg(&blk.b, 22, ir_call_flags(&blk.b, flags_helper, IR_NONE, IR_NONE, IR_NONE));
        ir_brcond(&blk.b, COND_EQ, 0x2000, 0x3000);
        block_lower(&blk, feature_sets[fs]);
        env_init(&env);
        env.opaque = &env;
        env.x[r[0]] = 1;
        env.x[r[1]] = 4;
        run(&blk, &env);
        ck_assert_uint_eq(env.x[r[2]], 3 * 100 + 2 * 10 + 4);
        ck_assert_uint_eq(env.x[20], 2 + 3 + 4 + 5 + 6 + 7);
        ck_assert_uint_eq(env.x[21], 1);                     /* 1 < 4 */
        ck_assert_uint_eq(env.x[22], NZCV_N);                /* helper saw 1 - 4 */
        ck_assert_uint_eq(env.pc, 0x2000);                   /* helper set Z */
        ir_builder_free(&blk.b);
    }
}
END_TEST

/* More live values than registers: spills. */
START_TEST(register_pressure)
{
    FOR_ALL_SETUPS {
        Block blk;
        CPUState env;
        block_begin(&blk);
        IRTemp v[20];
        for (int i = 0; i < 20; i++) {
            v[i] = ir_op2(&blk.b, IR_XOR, 64, ir_get_reg(&blk.b, i % 8),
                          ir_get_reg(&blk.b, 8 + i % 5));
            v[i] = ir_op2(&blk.b, IR_ROR, 64, v[i], ir_const(&blk.b, (uint64_t)i));
        }
        IRTemp acc = v[19];
        for (int i = 18; i >= 0; i--) {
            acc = ir_op2(&blk.b, i & 1 ? IR_ADD : IR_SUB, 64, acc, v[i]);
        }
        ir_set_reg(&blk.b, 0, acc);
        IRTemp sh = ir_op2(&blk.b, IR_SHR, 64, acc, ir_get_reg(&blk.b, 3));
        ir_goto_ptr(&blk.b, sh, IR_JUMP_RET);
        block_lower(&blk, feature_sets[fs]);
        env_init(&env);
        env.x[3] = 68;                   /* shift amounts are modulo 64 */
        uint64_t in[32];
        memcpy(in, env.x, sizeof(in));
        uint64_t want_v[20];
        for (int i = 0; i < 20; i++) {
            uint64_t t = in[i % 8] ^ in[8 + i % 5];
            want_v[i] = i ? (t >> i) | (t << (64 - i)) : t;
        }
        uint64_t want = want_v[19];
        for (int i = 18; i >= 0; i--) {
            want = i & 1 ? want + want_v[i] : want - want_v[i];
        }
        ck_assert_uint_eq(run(&blk, &env), 200 + IR_JUMP_RET);
        ck_assert_uint_eq(env.x[0], want);
        ck_assert_uint_eq(env.pc, want >> 4);
        ir_builder_free(&blk.b);
    }
}
END_TEST

START_TEST(brcmp_and_insn_offsets)
{
    for (int rs = 0; rs < 2; rs++) {
        for (uint64_t v = 0; v < 2; v++) {
            Block blk;
            CPUState env;
            block_begin(&blk);
            ir_set_reg(&blk.b, 9, ir_addi(&blk.b, 64, ir_get_reg(&blk.b, 9), 1));
            ir_insn_start(&blk.b, 0x1004);
            ir_brcmp(&blk.b, 32, IR_CMP_NEZ, ir_get_reg(&blk.b, reg_sets[rs][0]), 0x2000, 0x3000);
            block_lower(&blk, feature_sets[0]);
            env_init(&env);
            env.x[reg_sets[rs][0]] = v << 32 | v;
            run(&blk, &env);
            ck_assert_uint_eq(env.pc, v ? 0x2000 : 0x3000);
            ck_assert_uint_eq(blk.tb.n_insns, 2);
            ck_assert_uint_eq(blk.tb.insn_host_off[0], 0);
            ck_assert_uint_gt(blk.tb.insn_host_off[1], 0);
            ir_builder_free(&blk.b);
        }
    }
}
END_TEST


/* ---- golden code: host instructions per guest instruction ---------------------------- */

static int body_insns(Block *blk)
{
    return test_count_host_insns(blk->code, harness_body_end(), stderr);
}

START_TEST(golden_code)
{
    Block blk;
    /* ADD X0, X1, #16 (both pinned): lea rbp, [r12+16] */
    block_begin(&blk);
    ir_set_reg(&blk.b, 0, ir_addi(&blk.b, 64, ir_get_reg(&blk.b, 1), 16));
    ir_goto_tb(&blk.b, 0x1004);
    block_lower(&blk, feature_sets[0]);
    ck_assert_int_eq(body_insns(&blk), 1);
    ir_builder_free(&blk.b);

    /* ADD X9, X10, #16 (in env): load, add, store */
    block_begin(&blk);
    ir_set_reg(&blk.b, 9, ir_addi(&blk.b, 64, ir_get_reg(&blk.b, 10), 16));
    ir_goto_tb(&blk.b, 0x1004);
    block_lower(&blk, feature_sets[0]);
    ck_assert_int_eq(body_insns(&blk), 3);
    ir_builder_free(&blk.b);

    /* SUBS XZR, X0, X1; B.NE: cmp; cmc; lahf; seto; mov [flags], ax; jne */
    block_begin(&blk);
    ir_subs(&blk.b, 64, ir_get_reg(&blk.b, 0), ir_get_reg(&blk.b, 1));
    ir_brcond(&blk.b, COND_NE, 0x2000, 0x1004);
    block_lower(&blk, feature_sets[0]);
    ck_assert_int_eq(body_insns(&blk), 6);
    ir_builder_free(&blk.b);

    /* LDR X0, [X1, #8]: mov rbp, [r12+8] */
    block_begin(&blk);
    ir_set_reg(&blk.b, 0, ir_load(&blk.b, 64, MO_64, ir_addi(&blk.b, 64, ir_get_reg(&blk.b, 1), 8)));
    ir_goto_tb(&blk.b, 0x1004);
    block_lower(&blk, feature_sets[0]);
    ck_assert_int_eq(body_insns(&blk), 1);
    ir_builder_free(&blk.b);

    /* LDR X0, [X1, X2, LSL #3]: mov rbp, [r12+r13*8] */
    block_begin(&blk);
    ir_set_reg(&blk.b, 0, ir_load(&blk.b, 64, MO_64,
                                  ir_add(&blk.b, 64, ir_get_reg(&blk.b, 1),
                                         ir_shli(&blk.b, 64, ir_get_reg(&blk.b, 2), 3))));
    ir_goto_tb(&blk.b, 0x1004);
    block_lower(&blk, feature_sets[0]);
    ck_assert_int_eq(body_insns(&blk), 1);
    ir_builder_free(&blk.b);

    /* TST X1, #1; B.EQ: test r12, 1; lahf; seto al; mov [flags], ax; je */
    block_begin(&blk);
    ir_flags_nz(&blk.b, 64, ir_andi(&blk.b, 64, ir_get_reg(&blk.b, 1), 1));
    ir_brcond(&blk.b, COND_EQ, 0x2000, 0x1004);
    block_lower(&blk, feature_sets[0]);
    ck_assert_int_eq(body_insns(&blk), 5);
    ir_builder_free(&blk.b);

    /* STR W2, [X1, #8]: mov [r12+8], r13d */
    block_begin(&blk);
    ir_store(&blk.b, MO_32, ir_addi(&blk.b, 64, ir_get_reg(&blk.b, 1), 8), ir_get_reg(&blk.b, 2));
    ir_goto_tb(&blk.b, 0x1004);
    block_lower(&blk, feature_sets[0]);
    ck_assert_int_eq(body_insns(&blk), 1);
    ir_builder_free(&blk.b);
}
END_TEST

static Suite *lower_suite(void)
{
    Suite *s = suite_create("lower");
    TCase *tc = tcase_create("lower");
    tcase_add_checked_fixture(tc, harness_setup, harness_teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, binary_ops_match_arm_semantics);
    tcase_add_test(tc, division_corner_cases);
    tcase_add_test(tc, unary_ops_match_arm_semantics);
    tcase_add_test(tc, flags_worked_examples);
    tcase_add_test(tc, flags_all_conditions);
    tcase_add_test(tc, flags_survive_clobbers);
    tcase_add_test(tc, flags_get_set_ccmp);
    tcase_add_test(tc, memory_ops);
    tcase_add_test(tc, helper_calls);
    tcase_add_test(tc, register_pressure);
    tcase_add_test(tc, brcmp_and_insn_offsets);
    add_random_block_tests(tc);
    tcase_add_test(tc, golden_code);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(lower_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
