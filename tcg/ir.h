/*
 * The intermediate representation: one guest block as a straight list of
 * instructions on block-local temps (each temp is assigned once: SSA without
 * phis, since a block has no internal control flow).  Constants are temps
 * too, marked constant, so the backend can pick immediate operands.
 *
 * The builder (ir.c) folds constants and trivial identities as instructions
 * are added; the liveness pass (liveness.c) removes dead values and dead
 * flag computations and records, per instruction, whether guest NZCV is
 * still needed afterwards.
 */
#ifndef FERRY_TCG_IR_H
#define FERRY_TCG_IR_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum {
    IRF_PURE   = 1 << 0,
    IRF_RFLAGS = 1 << 1,
    IRF_WFLAGS = 1 << 2,
    IRF_SIDE   = 1 << 3,
    IRF_MEM    = 1 << 4,
    IRF_TERM   = 1 << 5,
    IRF_VEC    = 1 << 6,
    IRF_EXIT   = 1 << 7,
};

typedef enum IROp {
#define IR_OP(name, nout, nin, flags) IR_##name,
#include "tcg/ir-ops.def"
#undef IR_OP
    IR_OP_COUNT
} IROp;

typedef struct IROpInfo {
    const char *name;
    uint8_t n_out, n_in;
    uint16_t flags;
} IROpInfo;

extern const IROpInfo ir_op_info[IR_OP_COUNT];

typedef uint32_t IRTemp;
#define IR_NONE ((IRTemp)0xffffffffu)

/* Arm condition codes, as encoded in the instruction (cond field). */
typedef enum IRCond {
    COND_EQ, COND_NE, COND_CS, COND_CC, COND_MI, COND_PL, COND_VS, COND_VC,
    COND_HI, COND_LS, COND_GE, COND_LT, COND_GT, COND_LE, COND_AL, COND_NV,
} IRCond;

/* BRCMP conditions. */
enum { IR_CMP_EQZ = 0, IR_CMP_NEZ = 1 };

/* ATOMIC_RMW operations (IRInsn.cond): the new memory value is
 * old OP src1; ADD..UMIN are LSE's LDADD..LDUMIN, SWP stores src1. */
enum {
    IR_ATOMIC_ADD, IR_ATOMIC_CLR, IR_ATOMIC_EOR, IR_ATOMIC_SET,
    IR_ATOMIC_SMAX, IR_ATOMIC_SMIN, IR_ATOMIC_UMAX, IR_ATOMIC_UMIN,
    IR_ATOMIC_SWP,
};

/* GOTO_PTR hints (for return prediction). */
enum { IR_JUMP_BR = 0, IR_JUMP_CALL = 1, IR_JUMP_RET = 2 };

/* Memory operation: log2 of the access size, plus sign extension. */
enum {
    MO_8 = 0, MO_16 = 1, MO_32 = 2, MO_64 = 3, MO_128 = 4,
    MO_SIZE = 7,
    MO_SIGN = 8,
    MO_ACQ = 16,        /* load-acquire (x86: plain mov suffices) */
    MO_REL = 32,        /* store-release (x86: xchg, or mov; see backend) */
};

typedef struct IRInsn {
    uint16_t op;        /* IROp */
    uint8_t bits;       /* 32 or 64 */
    uint8_t cond;       /* IRCond, or IR_CMP_* for BRCMP */
    uint8_t mop;        /* MO_* for memory ops */
    uint8_t flags_live; /* set by liveness: guest NZCV needed after this insn */
    uint16_t pad;
    uint32_t aux;       /* EXIT: exit_info; vector ops: packed operands */
    IRTemp dst;
    IRTemp src[3];
    uint64_t imm;
    uint64_t imm2;
} IRInsn;

typedef struct IRTempInfo {
    bool is_const;
    bool zext32;        /* upper 32 bits known to be zero */
    uint32_t def;       /* index of the defining insn (consts: none) */
    uint64_t val;       /* constant value */
    /* filled by liveness / the register allocator */
    uint32_t last_use;  /* index of the last insn reading this temp */
    uint32_t n_uses;    /* source operands naming it (liveness) */
    int16_t hreg;       /* host register, -1 if none */
    int16_t spill;      /* spill slot, -1 if none */
} IRTempInfo;

typedef struct IRBlock {
    uint64_t guest_pc;      /* first guest instruction */
    uint64_t guest_end;     /* address after the last guest instruction */
    uint32_t n_guest_insns;
    IRInsn *insns;
    uint32_t n_insns, cap_insns;
    IRTempInfo *temps;
    uint32_t n_temps, cap_temps;
    /* Set before ir_liveness when every successor of the block overwrites
     * guest NZCV before reading it: NZCV is then dead at the block's end
     * (not saved to env there).  false = live (the safe default). */
    bool nzcv_dead_at_end;
    /* For a two-way end (BRCOND/BRCMP): which successors may read NZCV,
     * bit 0 = taken, bit 1 = not taken (both set = unknown).  The backend
     * then saves NZCV only on the path that needs it. */
    uint8_t nzcv_live_succ;
    /* For a loop block (target/aarch64/translate.c; else 0): the one or
     * two guest PCs its side exits (EXIT_IF*) and its end leave for, one
     * exit slot each; a terminator going to guest_pc is its back edge. */
    uint64_t loop_exit[2];
} IRBlock;

/* The builder: an IRBlock under construction plus the per-block caches. */
typedef struct IRBuilder {
    IRBlock blk;
    IRTemp reg_cache[32];   /* current value of each guest register, or IR_NONE */
    /* results of the last few ZEXT/SEXT emitted (a W register used as a
     * 64-bit index twice is extended once) */
    IRTemp ext_memo[4];
    uint8_t ext_next;
    bool ended;             /* a terminator has been emitted */
} IRBuilder;

void ir_builder_init(IRBuilder *b, uint64_t guest_pc);
/* Start a new block in an initialised builder, keeping its arrays (no
 * allocation per block). */
void ir_builder_reset(IRBuilder *b, uint64_t guest_pc);
void ir_builder_free(IRBuilder *b);

/* Constants. */
IRTemp ir_const(IRBuilder *b, uint64_t val);
static inline bool ir_is_const(const IRBuilder *b, IRTemp t)
{
    return t != IR_NONE && b->blk.temps[t].is_const;
}
static inline uint64_t ir_const_val(const IRBuilder *b, IRTemp t)
{
    return b->blk.temps[t].val;
}

/* Generic emitters: fold when possible, return the result temp (IR_NONE for
 * ops without a result).  Everything else is a thin wrapper. */
IRTemp ir_op1(IRBuilder *b, IROp op, int bits, IRTemp a);
IRTemp ir_op2(IRBuilder *b, IROp op, int bits, IRTemp a, IRTemp c);
IRInsn *ir_emit(IRBuilder *b, IROp op, int bits, IRTemp dst,
                IRTemp s0, IRTemp s1, IRTemp s2);
IRTemp ir_new_temp(IRBuilder *b);
/* The same on a block outside a builder (the liveness pass). */
IRTemp ir_block_new_temp(IRBlock *blk);

static inline IRTemp ir_add(IRBuilder *b, int bits, IRTemp x, IRTemp y) { return ir_op2(b, IR_ADD, bits, x, y); }
static inline IRTemp ir_sub(IRBuilder *b, int bits, IRTemp x, IRTemp y) { return ir_op2(b, IR_SUB, bits, x, y); }
static inline IRTemp ir_and(IRBuilder *b, int bits, IRTemp x, IRTemp y) { return ir_op2(b, IR_AND, bits, x, y); }
static inline IRTemp ir_or(IRBuilder *b, int bits, IRTemp x, IRTemp y)  { return ir_op2(b, IR_OR, bits, x, y); }
static inline IRTemp ir_xor(IRBuilder *b, int bits, IRTemp x, IRTemp y) { return ir_op2(b, IR_XOR, bits, x, y); }
static inline IRTemp ir_shl(IRBuilder *b, int bits, IRTemp x, IRTemp y) { return ir_op2(b, IR_SHL, bits, x, y); }
static inline IRTemp ir_shr(IRBuilder *b, int bits, IRTemp x, IRTemp y) { return ir_op2(b, IR_SHR, bits, x, y); }
static inline IRTemp ir_sar(IRBuilder *b, int bits, IRTemp x, IRTemp y) { return ir_op2(b, IR_SAR, bits, x, y); }
static inline IRTemp ir_ror(IRBuilder *b, int bits, IRTemp x, IRTemp y) { return ir_op2(b, IR_ROR, bits, x, y); }
static inline IRTemp ir_addi(IRBuilder *b, int bits, IRTemp x, uint64_t i) { return ir_add(b, bits, x, ir_const(b, i)); }
static inline IRTemp ir_andi(IRBuilder *b, int bits, IRTemp x, uint64_t i) { return ir_and(b, bits, x, ir_const(b, i)); }
static inline IRTemp ir_shli(IRBuilder *b, int bits, IRTemp x, unsigned i) { return ir_shl(b, bits, x, ir_const(b, i)); }
static inline IRTemp ir_shri(IRBuilder *b, int bits, IRTemp x, unsigned i) { return ir_shr(b, bits, x, ir_const(b, i)); }
static inline IRTemp ir_sari(IRBuilder *b, int bits, IRTemp x, unsigned i) { return ir_sar(b, bits, x, ir_const(b, i)); }

/* Extension from `from` bits (8, 16, 32) to `bits`. */
IRTemp ir_sext(IRBuilder *b, int bits, IRTemp x, int from);
IRTemp ir_zext(IRBuilder *b, int bits, IRTemp x, int from);

/* Guest registers: 0..30 = X0..X30, 31 = SP.  64-bit values. */
IRTemp ir_get_reg(IRBuilder *b, int reg);
void ir_set_reg(IRBuilder *b, int reg, IRTemp val);
IRTemp ir_ld_env(IRBuilder *b, int bits, int32_t off);
void ir_st_env(IRBuilder *b, int bits, int32_t off, IRTemp val);

/* Flags. */
IRTemp ir_adds(IRBuilder *b, int bits, IRTemp x, IRTemp y);
IRTemp ir_subs(IRBuilder *b, int bits, IRTemp x, IRTemp y);
IRTemp ir_adc(IRBuilder *b, int bits, IRTemp x, IRTemp y, bool set_flags);
IRTemp ir_sbc(IRBuilder *b, int bits, IRTemp x, IRTemp y, bool set_flags);
void ir_flags_nz(IRBuilder *b, int bits, IRTemp x);
void ir_flags_set(IRBuilder *b, uint32_t nzcv);
void ir_flags_from(IRBuilder *b, IRTemp nzcv);
IRTemp ir_flags_get(IRBuilder *b);
void ir_ccmp(IRBuilder *b, int bits, IRCond cond, IRTemp x, IRTemp y,
             uint32_t nzcv_if_false, bool negate /* CCMN */);
IRTemp ir_setcc(IRBuilder *b, IRCond cond);
IRTemp ir_csel(IRBuilder *b, int bits, IRCond cond, IRTemp x, IRTemp y);

/* Memory. bits = result width for loads (32 or 64). */
IRTemp ir_load(IRBuilder *b, int bits, int mop, IRTemp addr);
void ir_store(IRBuilder *b, int mop, IRTemp addr, IRTemp val);
IRTemp ir_cmpxchg(IRBuilder *b, int mop, IRTemp addr, IRTemp expect, IRTemp newv);
IRTemp ir_xchg(IRBuilder *b, int mop, IRTemp addr, IRTemp val);
void ir_fence(IRBuilder *b);
/* How close to the core a PREFETCH asks the line to come. */
enum { IR_PREFETCH_L1, IR_PREFETCH_L2, IR_PREFETCH_L3, IR_PREFETCH_STREAM };
void ir_prefetch(IRBuilder *b, IRTemp addr, int level);

/* Helpers (see ir-ops.def). */
typedef uint64_t (*IRHelper)(void *env, uint64_t, uint64_t, uint64_t);
IRTemp ir_call(IRBuilder *b, IRHelper fn, IRTemp a0, IRTemp a1, IRTemp a2);
IRTemp ir_call_flags(IRBuilder *b, IRHelper fn, IRTemp a0, IRTemp a1, IRTemp a2);

/* Block structure. */
void ir_insn_start(IRBuilder *b, uint64_t pc);
void ir_goto_tb(IRBuilder *b, uint64_t pc);
void ir_brcond(IRBuilder *b, IRCond cond, uint64_t taken, uint64_t not_taken);
void ir_brcmp(IRBuilder *b, int bits, int cmp, IRTemp x, uint64_t taken, uint64_t not_taken);
/* If the block just ended with BRCOND/BRCMP to `taken` (else false), turn
 * it into the side exit EXIT_IF/EXIT_IF_CMP and let the block go on at its
 * fall-through. */
bool ir_branch_to_side_exit(IRBuilder *b, uint64_t taken);
void ir_goto_ptr(IRBuilder *b, IRTemp target, int hint);
/* Calls (BL, BLR): like ir_goto_tb / ir_goto_ptr, plus the guest return
 * address, so the backend can predict the matching return. */
void ir_call_tb(IRBuilder *b, uint64_t pc, uint64_t return_pc);
void ir_call_ptr(IRBuilder *b, IRTemp target, uint64_t return_pc);
void ir_exit(IRBuilder *b, int reason, uint64_t pc, uint32_t info);

/* Evaluate a pure, flag-free op on constants (the builder's folding rule);
 * false for ops it does not fold.  imm is the SEXT/ZEXT source width. */
bool ir_fold_eval(IROp op, int bits, uint64_t a, uint64_t c, uint64_t imm, uint64_t *out);

/* Passes and dumps. */
void ir_liveness(IRBlock *blk);
void ir_dump(const IRBlock *blk, FILE *out);
const char *ir_cond_name(IRCond c);

#endif
