/*
 * Random straight-line IR blocks, lowered and run, checked against a small
 * IR interpreter built on the reference semantics in test-lower-harness.c.
 * FERRY_TEST_LOWER_ITERS sets the number of blocks (default 400).
 */
#include <stdlib.h>
#include <string.h>

#include "test-lower.h"


static uint64_t ref_ctz(uint64_t x, int bits)
{
    int n = 0;
    while (n < bits && !(x >> n & 1)) {
        n++;
    }
    return (uint64_t)n;
}

static uint64_t ref_clz(uint64_t x, int bits)
{
    int n = 0;
    for (int i = bits - 1; i >= 0 && !(x >> i & 1); i--) {
        n++;
    }
    return (uint64_t)n;
}

static uint64_t ref_op1(const IRInsn *in, uint64_t a)
{
    int bits = in->bits;
    uint64_t m = wmask(bits);
    a &= m;
    switch (in->op) {
    case IR_MOV:  return a;
    case IR_NEG:  return -a & m;
    case IR_NOT:  return ~a & m;
    case IR_CLZ:  return ref_clz(a, bits);
    case IR_CTZ:  return ref_ctz(a, bits);
    case IR_CLS: {                  /* sign bits after the top one */
        uint64_t top = a >> (bits - 1) & 1;
        int n = 0;
        for (int i = bits - 2; i >= 0 && (a >> i & 1) == top; i--) {
            n++;
        }
        return (uint64_t)n;
    }
    case IR_RBIT: return ref_rbit(a, bits);
    case IR_BSWAP: {
        uint64_t r = 0;
        for (int i = 0; i < bits / 8; i++) {
            r |= (a >> (8 * i) & 0xff) << (bits - 8 - 8 * i);
        }
        return r;
    }
    case IR_REV16: {
        uint64_t r = 0;
        for (int i = 0; i < bits / 8; i += 2) {
            r |= (a >> (8 * i) & 0xff) << (8 * i + 8) | (a >> (8 * i + 8) & 0xff) << (8 * i);
        }
        return r;
    }
    case IR_SEXT: {
        int from = (int)in->imm;
        uint64_t v = a & (from == 64 ? ~0ull : (1ull << from) - 1);
        if (from < 64 && (v >> (from - 1) & 1)) {
            v |= ~0ull << from;
        }
        return v & m;
    }
    case IR_ZEXT: return a & (in->imm >= 64 ? ~0ull : (1ull << in->imm) - 1);
    default: ck_abort(); return 0;
    }
}

static uint32_t ref_nz(int bits, uint64_t v)
{
    v &= wmask(bits);
    return (v >> (bits - 1) ? NZCV_N : 0) | (v == 0 ? NZCV_Z : 0);
}

static uint64_t random_helper(void *env, uint64_t a, uint64_t b, uint64_t c)
{
    return a * 3 + (b ^ (c >> 1));
}

/* A reference interpreter of the IR subset the random blocks use, built on
 * the Arm reference functions above. */
static void interpret(const IRBlock *blk, uint64_t *x, uint32_t *nzcv, uint64_t base, uint64_t *mem)
{
    uint64_t *val = calloc(blk->n_temps + 1, sizeof(uint64_t));
    for (uint32_t t = 0; t < blk->n_temps; t++) {
        if (blk->temps[t].is_const) {
            val[t] = blk->temps[t].val;
        }
    }
    for (uint32_t i = 0; i < blk->n_insns; i++) {
        const IRInsn *in = &blk->insns[i];
        uint64_t a = in->src[0] != IR_NONE ? val[in->src[0]] : 0;
        uint64_t b = in->src[1] != IR_NONE ? val[in->src[1]] : 0;
        uint64_t r = 0;
        switch (in->op) {
        case IR_INSN_START: case IR_EXIT: continue;
        case IR_GET_REG: r = x[in->imm]; break;
        case IR_SET_REG: x[in->imm] = a; continue;
        case IR_ADDS: *nzcv = ref_add_with_carry(in->bits, a, b, 0, &r); break;
        case IR_SUBS: *nzcv = ref_add_with_carry(in->bits, a, ~b, 1, &r); break;
        case IR_ADC: ref_add_with_carry(in->bits, a, b, (*nzcv & NZCV_C) != 0, &r); break;
        case IR_SBC: ref_add_with_carry(in->bits, a, ~b, (*nzcv & NZCV_C) != 0, &r); break;
        case IR_ADCS: *nzcv = ref_add_with_carry(in->bits, a, b, (*nzcv & NZCV_C) != 0, &r); break;
        case IR_SBCS: *nzcv = ref_add_with_carry(in->bits, a, ~b, (*nzcv & NZCV_C) != 0, &r); break;
        case IR_SETCC: r = ref_cond(*nzcv, (IRCond)in->cond); break;
        case IR_CSEL: r = (ref_cond(*nzcv, (IRCond)in->cond) ? a : b) & wmask(in->bits); break;
        case IR_LOAD: r = mem[(a - base) / 8]; break;
        case IR_STORE: mem[(a - base) / 8] = b; continue;
        case IR_MOV: case IR_NEG: case IR_NOT: case IR_CLZ: case IR_CTZ: case IR_CLS: case IR_RBIT:
        case IR_BSWAP: case IR_REV16: case IR_SEXT: case IR_ZEXT:
            r = ref_op1(in, a);
            break;
        case IR_FLAGS_NZ: *nzcv = ref_nz(in->bits, a); continue;
        case IR_FLAGS_GET: r = *nzcv; break;
        case IR_FLAGS_FROM: *nzcv = (uint32_t)a & 0xf0000000u; continue;
        case IR_FLAGS_SET: *nzcv = (uint32_t)in->imm; continue;
        case IR_CCMP: case IR_CCMN:
            if (ref_cond(*nzcv, (IRCond)in->cond)) {
                uint64_t ignored;
                *nzcv = in->op == IR_CCMP ? ref_add_with_carry(in->bits, a, ~b, 1, &ignored)
                                          : ref_add_with_carry(in->bits, a, b, 0, &ignored);
            } else {
                *nzcv = (uint32_t)in->imm;
            }
            continue;
        case IR_CALL: case IR_CALL_FLAGS:
            r = random_helper(NULL, a, b, in->src[2] != IR_NONE ? val[in->src[2]] : 0);
            break;
        default: r = ref_op2((IROp)in->op, in->bits, a, b); break;
        }
        if (in->dst != IR_NONE) {
            val[in->dst] = r;
        }
    }
    free(val);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Random straight-line blocks: guest register reads and writes (pinned
 * and not), arithmetic with register and constant operands, flag setters
 * and readers, loads and stores, enough live values to spill. */
START_TEST(random_blocks_match_interpreter)
{
    static const IROp ops[] = { IR_ADD, IR_SUB, IR_AND, IR_OR, IR_XOR, IR_ANDN, IR_ORN,
                                IR_MUL, IR_SHL, IR_SHR, IR_SAR, IR_ROR, IR_UDIV, IR_SDIV,
                                IR_MULUH, IR_MULSH, IR_XORN };
    static uint64_t mem[16], ref_mem[16];
    const char *iters_env = getenv("FERRY_TEST_LOWER_ITERS");
    int iters = iters_env ? atoi(iters_env) : 400;
    for (int iter = 0; iter < iters; iter++) {
        Block blk;
        CPUState env;
        int fs = iter & 1;
        block_begin(&blk);
        IRTemp pool[64];
        int n = 0;
        pool[n++] = ir_get_reg(&blk.b, 31);
        int len = 20 + (int)(rnd() % 60);
        for (int k = 0; k < len; k++) {
            int kind = (int)(rnd() % 16);
            IRTemp a = pool[rnd() % (uint64_t)n], c = pool[rnd() % (uint64_t)n];
            int bits = rnd() & 1 ? 64 : 32;
            IRTemp r = IR_NONE;
            if (rnd() % 4 == 0) {
                c = ir_const(&blk.b, rnd() % 3 == 0 ? rnd() : rnd() % 100);
            }
            switch (kind) {
            case 0: case 1: r = ir_get_reg(&blk.b, (int)(rnd() % 12)); break;
            case 2: ir_set_reg(&blk.b, (int)(rnd() % 12), a); break;
            case 3: r = ir_subs(&blk.b, bits, a, c); break;
            case 4: r = ir_adds(&blk.b, bits, a, c); break;
            case 5: r = rnd() & 1 ? ir_setcc(&blk.b, (IRCond)(rnd() % 14))
                                  : ir_csel(&blk.b, bits, (IRCond)(rnd() % 14), a, c); break;
            case 6: r = ir_adc(&blk.b, bits, a, c, rnd() & 1); break;
            case 7: r = ir_sbc(&blk.b, bits, a, c, rnd() & 1); break;
            case 8: {
                IRTemp addr = ir_addi(&blk.b, 64, ir_get_reg(&blk.b, 31), 8 * (rnd() % 16));
                if (rnd() & 1) {            /* base + (a & 15) << 3 */
                    IRTemp i = ir_op2(&blk.b, IR_AND, 64, a, ir_const(&blk.b, 15));
                    addr = ir_add(&blk.b, 64, ir_get_reg(&blk.b, 31), ir_shli(&blk.b, 64, i, 3));
                }
                if (rnd() & 1) {
                    r = ir_load(&blk.b, 64, MO_64, addr);
                } else {
                    ir_store(&blk.b, MO_64, addr, a);
                }
                break;
            }
            case 12: {
                static const IROp un[] = { IR_NEG, IR_NOT, IR_CLZ, IR_CLS, IR_RBIT, IR_BSWAP,
                                           IR_REV16, IR_MOV, IR_CTZ };
                int which = (int)(rnd() % 11);
                r = which < 9 ? ir_op1(&blk.b, un[which], bits, a)
                  : which == 9 ? ir_sext(&blk.b, bits, a, 8 << (rnd() % (bits == 64 ? 3 : 2)))
                               : ir_zext(&blk.b, bits, a, 8 << (rnd() % (bits == 64 ? 3 : 2)));
                break;
            }
            case 13:
                switch (rnd() % 6) {
                case 0: ir_flags_nz(&blk.b, bits, a); break;
                case 4: ir_flags_nz(&blk.b, bits, ir_and(&blk.b, bits, a, c)); break;   /* TST */
                case 1: r = ir_flags_get(&blk.b); break;
                case 2: ir_flags_from(&blk.b, a); break;
                default:
                    ir_ccmp(&blk.b, bits, (IRCond)(rnd() % 14), a, c, (uint32_t)rnd() & 0xf0000000u,
                            rnd() & 1);
                    break;
                }
                break;
            case 14:
                r = rnd() & 1 ? ir_call(&blk.b, random_helper, a, c, pool[rnd() % (uint64_t)n])
                              : ir_call_flags(&blk.b, random_helper, a, IR_NONE, c);
                break;
            default: {
                IROp op = ops[rnd() % (sizeof(ops) / sizeof(ops[0]))];
                r = ir_op2(&blk.b, op, op == IR_MULUH || op == IR_MULSH ? 64 : bits, a, c);
                break;
            }
            }
            if (r != IR_NONE && n < 64) {
                pool[n++] = r;
            } else if (r != IR_NONE) {
                pool[rnd() % 64] = r;
            }
        }
        for (int g = 0; g < 4; g++) {
            ir_set_reg(&blk.b, 12 + g, pool[rnd() % (uint64_t)n]);
        }
        ir_exit(&blk.b, EXIT_SVC, 0x1004, 0);
        block_lower(&blk, feature_sets[fs]);

        env_init(&env);
        for (int g = 0; g < 31; g++) {
            env.x[g] = rnd() % 5 == 0 ? rnd() % 64 : rnd();
        }
        env.x[31] = (uint64_t)(uintptr_t)mem;
        cpu_set_nzcv(&env, (uint32_t)(rnd() & 0xf) << 28);
        for (int i = 0; i < 16; i++) {
            mem[i] = ref_mem[i] = rnd();
        }
        uint64_t ref_x[32];
        memcpy(ref_x, env.x, sizeof(ref_x));
        uint32_t ref_nzcv = cpu_get_nzcv(&env);
        interpret(&blk.b.blk, ref_x, &ref_nzcv, (uint64_t)(uintptr_t)mem, ref_mem);
        run(&blk, &env);
        for (int g = 0; g < 32; g++) {
            if (env.x[g] != ref_x[g]) {
                ir_dump(&blk.b.blk, stderr);
                test_count_host_insns(blk.code, harness_code_end(), stderr);
                ck_abort_msg("iter %d: x%d = %#lx, want %#lx", iter, g, env.x[g], ref_x[g]);
            }
        }
        if (cpu_get_nzcv(&env) != ref_nzcv) {
            ir_dump(&blk.b.blk, stderr);
            test_count_host_insns(blk.code, harness_code_end(), stderr);
        }
        ck_assert_msg(cpu_get_nzcv(&env) == ref_nzcv, "iter %d: nzcv %#x want %#x", iter,
                      cpu_get_nzcv(&env), ref_nzcv);
        ck_assert_msg(memcmp(mem, ref_mem, sizeof(mem)) == 0, "iter %d: memory differs", iter);
        ir_builder_free(&blk.b);
    }
}
END_TEST

void add_random_block_tests(TCase *tc)
{
    tcase_add_test(tc, random_blocks_match_interpreter);
}
