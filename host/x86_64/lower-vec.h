/*
 * The vector / FP lowering (lower-vec.c, lower-fp.c): turns the IRF_VEC ops
 * of tcg/ir-ops-vec.def into SSE2/SSSE3/SSE4.1 (and FMA3 when the host has
 * it).  Guest V registers stay in env->v[] (r15-relative memory operands);
 * xmm0..xmm15 are scratch inside one op; only the scalar FP ops and the
 * scalar V loads/stores keep values in xmm5..xmm14 across ops (write-
 * through, lower-fp-cache.h), and every other op resets that cache first.
 *
 * Besides the xmm registers, a lowering may clobber rax (a source may be
 * in rax: read sources before using rax).  The entry point lower_vec()
 * (backend.h) gets the temps' host locations from the integer lowering.
 */
#ifndef FERRY_HOST_X86_64_LOWER_VEC_H
#define FERRY_HOST_X86_64_LOWER_VEC_H

#include <stdbool.h>
#include "host/x86_64/lower-fp-cache.h"
#include "host/x86_64/x86-encode.h"
#include "target/aarch64/cpu.h"
#include "tcg/ir.h"
#include "tcg/ir-vec.h"

/* One vector op with the host locations of its temps: dst is where the
 * result temp goes (a register, or memory: the lowering then stores it),
 * src[i] a register, memory or an immediate (constants). */
typedef struct VecOp {
    CodeBuf *cb;
    const IRInsn *in;
    X86Operand dst;
    X86Operand src[3];
    FpRegCache *fpc;        /* the block's scalar FP register cache */
} VecOp;

/* Lower one IRF_VEC instruction; false if there is no lowering for it. */
bool lower_vec_op(const VecOp *v);
/* The FP half (lower-fp.c); returns false if in->op is not an FP op. */
bool lower_fp_op(const VecOp *v);
/* Does lower_fp_op keep the FP register cache (reading and updating it)? */
bool lower_fp_keeps_cache(const IRInsn *in);
/* The integer vector half (lower-vec-arith.c); false if not one of its ops. */
bool lower_vec_arith(const VecOp *v);
/* The AES and carry-less multiply ops (lower-crypto.c); false if not one of them. */
bool lower_vec_crypto(const VecOp *v);
/* Does the lowering of this op change EFLAGS? (then the caller saves guest
 * NZCV first if it is live) */
bool lower_vec_clobbers_flags(const IRInsn *in);

/* ---- small helpers shared by lower-vec.c and lower-fp.c --------------- */

static inline X86Operand vreg_at(int r, int byte) { return x86_m(X86_R15, ENV_VREG_OFF(r) + byte); }
static inline X86Operand vreg(int r) { return vreg_at(r, 0); }
static inline X86Operand xr(int xmm) { return x86_r((X86Reg)xmm); }

/* Legacy-SSE forms by prefix and opcode map. */
static inline void sse66(CodeBuf *cb, uint8_t op, int x, X86Operand rm) { x86_sse(cb, 0x66, X86_MAP_0F, op, x, rm, false); }
static inline void sse66_38(CodeBuf *cb, uint8_t op, int x, X86Operand rm) { x86_sse(cb, 0x66, X86_MAP_0F38, op, x, rm, false); }
static inline void sse66_3a(CodeBuf *cb, uint8_t op, int x, X86Operand rm, uint8_t imm) { x86_sse_imm(cb, 0x66, X86_MAP_0F3A, op, x, rm, false, imm); }
/* Shift xmm by an immediate: group opcode 0x71/0x72/0x73 with /digit. */
static inline void sse_shift_imm(CodeBuf *cb, uint8_t op, int digit, int x, uint8_t n) { x86_sse_imm(cb, 0x66, X86_MAP_0F, op, digit, xr(x), false, n); }

static inline void movaps_rr(CodeBuf *cb, int d, int s) { x86_sse(cb, 0, X86_MAP_0F, 0x28, d, xr(s), false); }
static inline void pxor_rr(CodeBuf *cb, int d, int s) { sse66(cb, 0xef, d, xr(s)); }
static inline void pand(CodeBuf *cb, int d, X86Operand s) { sse66(cb, 0xdb, d, s); }
static inline void pandn(CodeBuf *cb, int d, X86Operand s) { sse66(cb, 0xdf, d, s); }   /* d = ~d & s */
static inline void por(CodeBuf *cb, int d, X86Operand s) { sse66(cb, 0xeb, d, s); }
static inline void pxor(CodeBuf *cb, int d, X86Operand s) { sse66(cb, 0xef, d, s); }
static inline void all_ones(CodeBuf *cb, int x) { sse66(cb, 0x76, x, xr(x)); }            /* pcmpeqd x,x */
static inline void psllq(CodeBuf *cb, int x, uint8_t n) { sse_shift_imm(cb, 0x73, 6, x, n); }
static inline void psrlq(CodeBuf *cb, int x, uint8_t n) { sse_shift_imm(cb, 0x73, 2, x, n); }
static inline void psrldq(CodeBuf *cb, int x, uint8_t n) { sse_shift_imm(cb, 0x73, 3, x, n); }
static inline void pslldq(CodeBuf *cb, int x, uint8_t n) { sse_shift_imm(cb, 0x73, 7, x, n); }
static inline void punpcklqdq(CodeBuf *cb, int d, X86Operand s) { sse66(cb, 0x6c, d, s); }
/* movq xmm, xmm: copy the low 64 bits, zero the upper 64. */
static inline void movq_rr(CodeBuf *cb, int d, int s) { x86_sse(cb, 0xf3, X86_MAP_0F, 0x7e, d, xr(s), false); }

/* Load V[r] into xmm: all 128 bits, or the low 64 with the upper zeroed. */
static inline void load_v(CodeBuf *cb, int x, int r, bool q)
{
    if (q) {
        x86_movdqa_load(cb, x, vreg(r));
    } else {
        x86_movq_load(cb, x, vreg(r));
    }
}

/* Store xmm to V[d]; a 64-bit vector result zeroes the upper half. */
static inline void store_v(CodeBuf *cb, int d, int x, bool q)
{
    if (!q) {
        movq_rr(cb, x, x);
    }
    x86_movdqa_store(cb, vreg(d), x);
}

/* Lanewise SSE ops by log2 element size (lower-vec-arith.c): x op= rm. */
typedef enum LaneOp {
    L_ADD, L_SUB, L_CMEQ, L_CMGT, L_UMAX, L_UMIN, L_PUNPCKL, L_PUNPCKH,
    L_SMAX, L_SMIN,     /* 8, 16, 32 */
    L_MUL,              /* low half: 16, 32 */
} LaneOp;
void vec_lane_op(CodeBuf *cb, LaneOp op, int l, int x, X86Operand rm);

/* The integer ops of lower-vec-wide.c (widening, multiply-accumulate,
 * saturating, shifts by register, TBL/TBX); false if not one of them. */
bool lower_vec_wide(const VecOp *v);
/* xmm x = every lane (log2 size l, 8..32 bits) equal to lane idx of V[m] (via rax). */
void vec_broadcast_elem(CodeBuf *cb, int x, int m, int l, int idx);
/* Pairwise long adds, absolute differences, halving adds (lower-vec-pair.c)
 * and the saturating ops that need a QC test (lower-vec-sat.c); false if
 * not one of theirs. */
bool lower_vec_pair(const VecOp *v);
bool lower_vec_sat(const VecOp *v);
/* CLZ/CLS/RBIT and SRI/SLI (lower-vec-bits.c); false if not one of them. */
bool lower_vec_bits(const VecOp *v);
/* The vector FP ops (lower-vec-fp.c); false if not one of them. */
bool lower_vec_fp(const VecOp *v);
bool lower_vec_fp_clobbers_flags(const IRInsn *in);
/* The rare path (lower-vec-fp.c): call fn(env, desc) with the registers
 * the integer lowering allocates preserved (rax gets fn's result). */
void vec_emit_slow_call(CodeBuf *cb, uint64_t (*fn)(CPUState *, uint32_t), uint32_t desc);
/* test FPCR.FZ; jnz (rel32): returns the displacement that
 * vec_bind_rel32 points at the slow path. */
uint8_t *vec_fz_check(CodeBuf *cb);      /* NULL: FZ cannot be set (exec_fz_possible) */
void vec_bind_fz(CodeBuf *cb, uint8_t *fz);
void vec_bind_rel32(CodeBuf *cb, uint8_t *disp);

/* An xmm register holding a 64-bit constant (via rax). */
void vec_load_const64(CodeBuf *cb, int x, uint64_t val);
/* An xmm register holding a 128-bit constant from a static table (via rax). */
void vec_load_table(CodeBuf *cb, int x, const void *table16);

/* Put a temp operand in a general register (rax if it is not already in
 * one), for `size` bytes. */
X86Reg vec_src_reg(const VecOp *v, int i, int size);
/* Where to compute the result temp: its register, or rax (then
 * vec_dst_finish stores rax to the spilled destination). */
X86Reg vec_dst_reg(const VecOp *v);
void vec_dst_finish(const VecOp *v, X86Reg r);

#endif
