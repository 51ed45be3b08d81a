/*
 * The C helpers behind the less common AdvSIMD and FP instructions
 * (vec-int-helpers.c for integer lanes, vec-fp-helpers.c for
 * FP lanes), and how translators describe one operation to them.  A helper
 * is called through ir_call(helper, regs, desc, imm):
 *
 *   regs   va_pack(d, n, m, a) | VA_Q | VA_HIGH (tcg/ir-vec.h)
 *   desc   VD_OP(op) | VD_SIZE(log2 element bytes) | VD_SHAPE(shape) | flags
 *   imm    shift amount, element index (by-element forms) or other operand
 *
 * Helpers read and write env->v[] and OR saturation (QC) and FP exception
 * flags into env->fpsr.
 */
#ifndef FERRY_TARGET_AARCH64_SIMD_HELPERS_H
#define FERRY_TARGET_AARCH64_SIMD_HELPERS_H

#include <stdint.h>

#define VD_OP(op)       ((uint64_t)(op))
#define VD_SIZE(sz)     ((uint64_t)(sz) << 8)
#define VD_SHAPE(sh)    ((uint64_t)(sh) << 12)
#define VD_SCALAR       (1ull << 16)   /* one lane (scalar form), rest of V[d] zeroed */
#define VD_SIGNED       (1ull << 17)   /* signed operands (the U bit clear) */
#define VD_FLAG(x)      ((uint64_t)(x) << 20)   /* op-specific */

static inline int vd_op(uint64_t d) { return (int)(d & 0xff); }
static inline int vd_size(uint64_t d) { return (int)((d >> 8) & 3); }
static inline int vd_shape(uint64_t d) { return (int)((d >> 12) & 15); }

/* Shapes: how lanes of n, m and d relate (e = element size VD_SIZE). */
typedef enum VShape {
    VSH_SAME,        /* d[i] = op(n[i], m[i], d[i])                    */
    VSH_ELEM,        /* d[i] = op(n[i], m[imm], d[i])                  */
    VSH_IMM,         /* d[i] = op(n[i], imm, d[i])                     */
    VSH_LONG,        /* d2e[i] = op(n[part + i], m[part + i], d2e[i])  */
    VSH_LONG_ELEM,   /* d2e[i] = op(n[part + i], m[imm], d2e[i])       */
    VSH_LONG_IMM,    /* d2e[i] = op(n[part + i], imm)                  */
    VSH_WIDE,        /* d2e[i] = op(n2e[i], m[part + i])               */
    VSH_NARROW,      /* d[part + i] = op(n2e[i], m2e[i])               */
    VSH_NARROW_IMM,  /* d[part + i] = op(n2e[i], imm)                  */
    VSH_PAIR,        /* d[i] = op(pair i of n:m)                       */
    VSH_PAIR_LONG,   /* d2e[i] = op(n[2i], n[2i+1], d2e[i])            */
    VSH_ACROSS,      /* d = reduce(n) (op ADDV MAXV MINV ADDLV)        */
} VShape;

/* Integer lane operations (signedness from VD_SIGNED). */
typedef enum VIntOp {
    VI_ADD, VI_SUB, VI_MUL, VI_MLA, VI_MLS, VI_PMUL,
    VI_QADD, VI_QSUB, VI_HADD, VI_RHADD, VI_HSUB,
    VI_SHL, VI_RSHL, VI_QSHL, VI_QRSHL,             /* by register (signed byte of m) */
    VI_MAX, VI_MIN, VI_ABD, VI_ABA,
    VI_QDMULH, VI_QRDMULH, VI_QDMULL, VI_QDMLAL, VI_QDMLSL,
    VI_CMTST, VI_CMEQ, VI_CMGT, VI_CMGE, VI_CMLE0, VI_CMLT0,
    VI_ABS, VI_NEG, VI_QABS, VI_QNEG, VI_CLS, VI_CLZ, VI_CNT, VI_NOT, VI_RBIT,
    VI_SUQADD, VI_USQADD,
    VI_SHR, VI_RSHR, VI_SRA, VI_RSRA, VI_SRI, VI_SLI, VI_SHLI, VI_QSHLI, VI_QSHLUI,
    VI_XTN, VI_QXTN, VI_QXTUN, VI_SHRN, VI_RSHRN, VI_QSHRN, VI_QRSHRN, VI_QSHRUN, VI_QRSHRUN,
    VI_ADDHN, VI_RADDHN, VI_SUBHN, VI_RSUBHN,
    VI_ADDLP, VI_ADALP,
    VI_ADDV, VI_MAXV, VI_MINV, VI_ADDLV,
    VI_DOT,                                          /* SDOT/UDOT: 4-byte groups */
    VI_URECPE, VI_URSQRTE,
    VI_QRDMLAH, VI_QRDMLSH,
} VIntOp;

/* FP lane operations (vec-fp-helpers.c); VD_SIZE 1 half, 2 single, 3 double. */
typedef enum VFpOp {
    VF_ADD, VF_SUB, VF_MUL, VF_DIV, VF_MULX, VF_MAX, VF_MIN, VF_MAXNM, VF_MINNM,
    VF_ABD, VF_RECPS, VF_RSQRTS,                     /* binary: fpa_binop order */
    VF_MLA, VF_MLS,                                  /* fused d + / - n * m */
    VF_CMEQ, VF_CMGE, VF_CMGT, VF_ACGE, VF_ACGT,     /* VD_FLAG(1): compare with zero */
    VF_CMLE0, VF_CMLT0,
    VF_ABS, VF_NEG, VF_SQRT, VF_RECPE, VF_RSQRTE, VF_RECPX,
    VF_RINT,                                         /* imm: rounding (RM_*), VD_FLAG(1): exact */
    VF_TO_INT,                                       /* imm: rmode | fbits << 8; VD_SIGNED */
    VF_FROM_INT,                                     /* imm: fbits; VD_SIGNED */
    VF_CVTL, VF_CVTN, VF_CVTXN,                      /* VD_SIZE: the wider format */
    VF_NMUL,                                         /* FNMUL (scalar half) */
    VF_MADD,                                         /* FMADD & co (scalar half): a + n * m,
                                                        imm bit 0 negates n, bit 1 a */
} VFpOp;

uint64_t helper_vint(void *env, uint64_t regs, uint64_t desc, uint64_t imm);
uint64_t helper_vfp(void *env, uint64_t regs, uint64_t desc, uint64_t imm);
/* Scalar FP <-> integer with Arm's flags: src is the integer or the V
 * register number; see vec-fp-helpers.c. */
uint64_t helper_fp_to_int(void *env, uint64_t rn, uint64_t desc, uint64_t imm);
uint64_t helper_fp_from_int(void *env, uint64_t value, uint64_t desc, uint64_t imm);
uint64_t helper_fcvt(void *env, uint64_t regs, uint64_t lgs, uint64_t unused);
uint64_t helper_fcmp(void *env, uint64_t regs, uint64_t desc, uint64_t cond_true);
uint64_t helper_fjcvtzs(void *env, uint64_t rn, uint64_t unused1, uint64_t unused2);

#endif
