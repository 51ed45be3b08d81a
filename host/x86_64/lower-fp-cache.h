/*
 * Scalar FP values kept in xmm registers within one block (write-through):
 * the scalar FP lowering (lower-fp.c) and the scalar V-register loads and
 * stores (lower-vec.c) remember which of xmm5..xmm14 holds which guest V
 * register, so a later scalar op reads the register instead of env->v[].
 * Every result is still stored to env->v[] at once, so env is always exact
 * and nothing outside these ops needs to know.  The rare paths of those ops
 * (Arm's NaN rules, FPCR.FZ) are emitted out of line after the block.
 *
 * Invariant of an entry: the xmm register's 128 bits equal V[vreg] in env,
 * and the bits above `bits` (32 or 64) are zero.  Any op that may write a V
 * register or clobber an xmm register without going through the cache
 * resets it (lower_vec, and helper calls and env stores in lower.c).
 */
#ifndef FERRY_HOST_X86_64_LOWER_FP_CACHE_H
#define FERRY_HOST_X86_64_LOWER_FP_CACHE_H

#include <stdbool.h>
#include <stdint.h>
#include "host/x86_64/x86-encode.h"

enum {
    FPC_FIRST_XMM = 5,      /* xmm0-4 and xmm15 stay scratch for the ops */
    FPC_N_XMM = 10,
    FPC_MAX_COLD = 128,     /* out-of-line rare paths per block; more go inline */
};

/* A rare path: call fp_nan_slow(env, desc) (through the thunk, which keeps
 * the cache registers), reload xmm from V[vreg] (the exact result the slow
 * path stored), continue at resume. */
typedef struct FpColdPath {
    uint8_t *jump[3];       /* rel32 displacements that lead here, or NULL */
    uint8_t *resume;        /* where the hot path continues */
    uint32_t desc;
    uint8_t xmm, vreg;
} FpColdPath;

typedef struct FpRegCache {
    uint8_t holds[FPC_N_XMM];   /* V register + 1; 0: empty */
    uint8_t bits[FPC_N_XMM];
    uint32_t used[FPC_N_XMM];   /* last use, for replacement */
    uint32_t clock;
    uint32_t n_cold;
    FpColdPath cold[FPC_MAX_COLD];
} FpRegCache;

/* The rare-path thunk (lower-fp-cache.c): called with the fp_nan_slow
 * descriptor pushed; keeps the integer caller-saved registers and the
 * cache registers xmm5..xmm14. */
void ferry_fp_nan_thunk(void);

void fpc_reset(FpRegCache *c);
/* The xmm register holding V[vreg], or -1.  As a full value (the first
 * operand, stored later as a whole): only when its zero upper bits start
 * at or below `bits`; as a low-lane operand (bits 0): any entry. */
int fpc_find(FpRegCache *c, int vreg, int bits);
/* An xmm register for a new value, none of `keep` (a mask of registers
 * the op still reads). */
int fpc_claim(FpRegCache *c, uint16_t keep);
/* Bit of xmm x in a keep mask (none for x < 0). */
static inline uint16_t fpc_bit(int x) { return x < 0 ? 0 : (uint16_t)(1u << x); }
/* xmm now holds V[vreg] (zero above `bits`); other entries of vreg go. */
void fpc_bind(FpRegCache *c, int xmm, int vreg, int bits);
/* Queue (or, when the queue is full, emit here behind a jmp) a rare path. */
void fpc_add_cold(CodeBuf *cb, FpRegCache *c, const FpColdPath *p);
/* Emit the queued rare paths (after the block's last instruction). */
void fpc_emit_cold(CodeBuf *cb, FpRegCache *c);

#endif
