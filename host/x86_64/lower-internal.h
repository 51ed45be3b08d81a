/*
 * Shared state of the IR -> x86-64 lowering: the per-block context, where
 * each IR temp lives (register allocation, regalloc.c), the guest-flags
 * tracker (lower-flags.c) and the per-op lowering (lower.c, lower-alu.c).
 */
#ifndef FERRY_HOST_X86_64_LOWER_INTERNAL_H
#define FERRY_HOST_X86_64_LOWER_INTERNAL_H

#include "host/x86_64/backend.h"
#include "host/x86_64/lower-fp-cache.h"

/* Host CPU features the lowering may use (CPUID, read once). */
typedef struct X86Features {
    bool bmi1, bmi2, lzcnt;
} X86Features;

const X86Features *x86_host_features(void);

/* backend_gen_block with explicit features (tests use it for fallbacks). */
bool backend_gen_block_with(CodeBuf *cb, IRBlock *blk, TranslationBlock *tb,
                            const X86Features *feat);

/* Where a temp's value is. */
typedef enum LocKind {
    LOC_NONE,       /* not yet defined, or dead */
    LOC_CONST,      /* constant: immediate operand or materialised at use */
    LOC_REG,        /* an allocatable host register, owned by the temp */
    LOC_PINNED,     /* aliases a pinned guest register's host register */
    LOC_ENV,        /* aliases env memory [r15 + env_off] (unpinned guest reg) */
    LOC_SPILL,      /* a spill slot env->spill[slot] */
    LOC_ADDR,       /* folded address base + index + disp, used by one memory op */
    LOC_TEST,       /* folded AND base & index, only read by FLAGS_NZ (x86 test) */
} LocKind;

typedef struct TempLoc {
    uint8_t kind;
    int8_t reg;             /* LOC_REG, LOC_PINNED */
    int8_t sink;            /* pinned host reg this value will be written to, or -1 */
    int16_t slot;           /* LOC_SPILL */
    int32_t env_off;        /* LOC_ENV */
    uint32_t last_use;      /* index of the last insn reading it (extended by folding) */
    IRTemp base, index;     /* LOC_ADDR (index may be IR_NONE), LOC_TEST */
    int32_t disp;           /* LOC_ADDR */
    uint8_t scale;          /* LOC_ADDR: index scale 1, 2, 4, 8 */
    bool scaled_add;        /* result of ADD base + index*scale (the shift folded): one lea */
} TempLoc;

/* Operand kinds a lowering accepts from lower_operand(). */
enum {
    ALLOW_REG = 1,
    ALLOW_MEM = 2,
    ALLOW_IMM = 4,          /* immediate that fits the instruction (simm32) */
    ALLOW_IMM64 = 8,        /* any constant (mov reg, imm64 source) */
};

#define N_ALLOCATABLE 4         /* r10 r11 rcx rdx, in every block */
#define N_SPILL_SLOTS (BACKEND_FRAME_SIZE / 8)

struct LowerCtx {
    CodeBuf *cb;
    IRBlock *blk;
    TranslationBlock *tb;
    const X86Features *feat;
    const IRInsn *insn;     /* instruction being lowered */
    uint32_t idx;           /* its index */

    TempLoc *loc;           /* per temp */
    bool *skip;             /* per insn: emits nothing (overwritten SET_REG, folded shift) */
    IRTemp *active;         /* temps with a non-constant location */
    uint32_t n_active;
    uint16_t borrowed;      /* pinned registers this block uses for temps (regalloc.c) */
    IRTemp reg_owner[16];   /* temp owning each allocatable register */
    uint16_t busy;          /* registers the current insn uses: not evicted */
    uint32_t slots_used;    /* bitmask of spill slots */
    IRTemp env_holds[32];   /* temp whose value env's slot of each guest register
                             * holds (a SET_REG stored it), or IR_NONE */
    uint32_t slots_dying;   /* freed by this insn: reusable once it is done */

    /* Guest NZCV: in EFLAGS (with CF holding C, or its inverse after
     * sub/cmp/sbb), and/or in env->flags_x86. */
    bool eflags_valid;
    bool cf_inverted;
    bool env_valid;
    /* While EFLAGS hold the last flag write: ZF is set iff zf_temp[0] (or
     * zf_temp[1]) is zero in its low zf_bits bits; IR_NONE = unknown. */
    IRTemp zf_temp[2];
    uint8_t zf_bits;

    uint32_t n_guest_insns;
    uint8_t *block_start;   /* the block's entry (host offsets count from it) */
    uint8_t *loop_head;     /* where a loop block's back edge goes: after the entry's stores */

    /* A loop block (IRBlock.loop_exit): its side exits' jccs, patched to
     * their out-of-line paths at the end, and the exit code for each of
     * loop_exit[k] (slot k) the side exits and the end share, once emitted. */
    struct SideExit { uint8_t *jcc; uint64_t target; bool save_nzcv; bool cf_inverted; } side_exits[16];
    unsigned n_side_exits;
    uint8_t *loop_exit_code[2];

    FpRegCache fpc;         /* scalar FP values in xmm registers, out-of-line rare paths */
};

/* Registers a SysV C call may change. */
static inline bool x86_caller_saved(X86Reg r)
{
    return r == X86_RSI || r == X86_RDI || (r >= X86_R8 && r <= X86_R11) ||
           r == X86_RAX || r == X86_RCX || r == X86_RDX;
}

/* regalloc.c */
void regalloc_init(LowerCtx *lc);
void regalloc_free(LowerCtx *lc);
void regalloc_begin_insn(LowerCtx *lc);
void regalloc_end_insn(LowerCtx *lc);
/* Does temp t die at the instruction being lowered?  Is it a constant? */
static inline bool temp_dies_here(const LowerCtx *lc, IRTemp t) { return lc->loc[t].last_use <= lc->idx; }
static inline bool temp_is_const(const LowerCtx *lc, IRTemp t) { return lc->blk->temps[t].is_const; }
static inline uint64_t temp_const(const LowerCtx *lc, IRTemp t) { return lc->blk->temps[t].val; }
X86Operand lower_operand(LowerCtx *lc, IRTemp t, int bits, unsigned allow);
X86Reg lower_operand_reg(LowerCtx *lc, IRTemp t, int bits);
X86Operand lower_address(LowerCtx *lc, IRTemp t);
X86Reg lower_scratch(LowerCtx *lc);
X86Reg lower_scratch_not_rax(LowerCtx *lc);
void lower_mark_busy(LowerCtx *lc, X86Reg r);
void lower_reserve(LowerCtx *lc, X86Reg r);
void lower_release_sources(LowerCtx *lc);
X86Reg lower_alloc_dst(LowerCtx *lc, X86Reg prefer, uint16_t avoid);
void lower_set_dst_location(LowerCtx *lc, IRTemp t, LocKind kind, int reg, int32_t env_off);
void lower_before_guest_write(LowerCtx *lc, int greg, IRTemp src);
void lower_note_copy_in_pinned(LowerCtx *lc, IRTemp t, X86Reg p);
void lower_spill_caller_saved(LowerCtx *lc);
void regalloc_after_insn(LowerCtx *lc);
void lower_borrowed_save(LowerCtx *lc);
void lower_borrowed_restore(LowerCtx *lc);

/* lower-flags.c */
bool flags_at_risk(const LowerCtx *lc);
void flags_save(LowerCtx *lc);
void flags_clobber(LowerCtx *lc);
void flags_to_eflags(LowerCtx *lc);
void flags_written(LowerCtx *lc, bool cf_inverted);
bool flags_zf_tests(const LowerCtx *lc, IRTemp t, int bits);
void flags_in_env(LowerCtx *lc);
void flags_block_end(LowerCtx *lc);
X86Cond flags_cond(LowerCtx *lc, IRCond cond);
bool lower_flags_op(LowerCtx *lc);

/* lower-alu.c */
bool lower_alu_op(LowerCtx *lc);

/* lower-atomic.c: ATOMIC_RMW and CRC32C */
bool lower_atomic_op(LowerCtx *lc);

/* Common helpers. */
static inline int op_size(int bits) { return bits == 32 ? 4 : 8; }
static inline uint16_t reg_bit(X86Reg r) { return r == X86_NOREG ? 0 : (uint16_t)(1u << r); }
static inline bool opnd_is_reg(X86Operand o, X86Reg r) { return o.kind == X86_OP_REG && o.reg == r; }
void emit_mov_operand(LowerCtx *lc, int size, X86Reg dst, X86Operand src);

#endif
