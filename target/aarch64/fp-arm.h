/*
 * Arm FP arithmetic to the bit, on raw bit patterns, for the C helpers of
 * the FP/AdvSIMD instructions (fp-arm.c).  Each operation follows the Arm
 * ARM pseudo-code: FPCR.FZ flushes denormal single/double inputs (IDC) and
 * tiny results (UFC), FPCR.FZ16 does the same for half precision (inputs
 * without IDC; conversions between precisions ignore FZ16 and are the only
 * ops that observe AHP), FPCR.DN selects the default NaN, NaNs propagate in Arm's order,
 * and the cumulative exception flags gather in FpSt.flags with FPSR's bit
 * positions.  Rounding and the IEEE arithmetic itself run on the host's
 * SSE unit with the guest's rounding mode; underflow is detected before
 * rounding, as Arm does.
 */
#ifndef FERRY_TARGET_AARCH64_FP_ARM_H
#define FERRY_TARGET_AARCH64_FP_ARM_H

#include <stdbool.h>
#include <stdint.h>

#include "target/aarch64/cpu.h"

enum {
    FPSR_IOC = 1u << 0, FPSR_DZC = 1u << 1, FPSR_OFC = 1u << 2, FPSR_UFC = 1u << 3,
    FPSR_IXC = 1u << 4, FPSR_IDC = 1u << 7, FPSR_QC = 1u << 27,
    FPCR_AHP = 1u << 26, FPCR_DN = 1u << 25, FPCR_FZ = 1u << 24, FPCR_FZ16 = 1u << 19,
};

/* Precisions: half, single, double. */
typedef enum FpFmt { FMT_H = 1, FMT_S = 2, FMT_D = 3 } FpFmt;

/* Arm rounding modes (FPCR.RMode order) plus ties-away and "odd". */
enum { RM_TIEEVEN = 0, RM_POSINF = 1, RM_NEGINF = 2, RM_ZERO = 3, RM_TIEAWAY = 4, RM_ODD = 5 };

typedef struct FpSt {
    uint32_t fpcr;
    uint32_t flags;      /* FPSR bits raised */
    uint32_t saved_csr;  /* host MXCSR to restore */
} FpSt;

/* Start / finish a helper's FP work: flags are ORed into env->fpsr. */
void fpst_begin(FpSt *st, const CPUState *env);
void fpst_end(FpSt *st, CPUState *env);
int fpst_rmode(const FpSt *st);

/* Binary / ternary arithmetic. */
typedef enum FpOp {
    FOP_ADD, FOP_SUB, FOP_MUL, FOP_DIV, FOP_MULX, FOP_MAX, FOP_MIN, FOP_MAXNM, FOP_MINNM,
    FOP_ABD, FOP_RECPS, FOP_RSQRTS, FOP_NMUL,
} FpOp;
uint64_t fpa_binop(FpSt *st, FpFmt f, FpOp op, uint64_t a, uint64_t b);
/* a + n * m, fused (negations done by the caller on the operands). */
uint64_t fpa_muladd(FpSt *st, FpFmt f, uint64_t a, uint64_t n, uint64_t m);
uint64_t fpa_sqrt(FpSt *st, FpFmt f, uint64_t a);

/* Compares.  FPCompare: Arm NZCV (bits 31..28).  The vector forms return
 * all-ones / zero lanes: op 0 EQ, 1 GE, 2 GT (signalling on NaN), with
 * abs_args for FACGE/FACGT. */
uint32_t fpa_compare(FpSt *st, FpFmt f, uint64_t a, uint64_t b, bool signalling);
bool fpa_cmp_lane(FpSt *st, FpFmt f, int op, bool abs_args, uint64_t a, uint64_t b);

/* Conversions. */
uint64_t fpa_convert(FpSt *st, FpFmt to, FpFmt from, uint64_t a, int rmode);
uint64_t fpa_round_int(FpSt *st, FpFmt f, uint64_t a, int rmode, bool exact, int int_bits);
uint64_t fpa_to_fixed(FpSt *st, FpFmt f, uint64_t a, int fbits, bool is_unsigned,
                      int rmode, int width);
uint64_t fpa_from_fixed(FpSt *st, FpFmt f, uint64_t a, int fbits, bool is_unsigned,
                        int width, int rmode);
/* FJCVTZS: the 32-bit result, *z set when the conversion was exact. */
uint32_t fpa_jcvt(FpSt *st, uint64_t a, bool *exact);

/* Estimates and the other Arm-only ops. */
uint64_t fpa_recip_estimate(FpSt *st, FpFmt f, uint64_t a);
uint64_t fpa_rsqrt_estimate(FpSt *st, FpFmt f, uint64_t a);
uint64_t fpa_recpx(FpSt *st, FpFmt f, uint64_t a);
uint32_t fpa_urecpe(uint32_t a);
uint32_t fpa_ursqrte(uint32_t a);

#endif
