/*
 * Random test sequences drawn from ferry's own encoding table (a64_insns[],
 * built from target/aarch64/a64.def): for a class, the bits its mask fixes
 * come from its match value and every other bit is random.  An encoding is
 * kept only if a64_decode() maps it back to the same entry.  Then a
 * per-class policy (by entry name) makes it safe to run inside the runner:
 * control flow and exception generation are left out, loads and stores get
 * a base register that points into the scratch block and offsets that stay
 * inside it, system-register accesses are limited to registers whose value
 * is the same under any emulator, and no instruction may overwrite the
 * reserved base registers.  Encodings ferry's translator refuses are run
 * alone, so a refusal is measured without hiding the rest of a sequence.
 */
#include <stdlib.h>
#include <string.h>

#include "difftest.h"
#include "target/aarch64/translate.h"

/* ---- policies ----------------------------------------------------------- */

typedef enum Policy {
    POL_PLAIN,          /* any operands */
    POL_EXCLUDED,       /* control flow or exception generation */
    POL_LDST_UIMM,      /* base X28, scaled 12-bit offset kept under 1 KiB */
    POL_LDST_IMM9,      /* base X28, 9-bit signed offset */
    POL_LDST_REG,       /* base X28, index X27 */
    POL_LDST_PAIR,      /* base X28, distinct Rt/Rt2 for loads */
    POL_LDST_ALIGNED,   /* base X26 (no offset, aligned) */
    POL_LDST_EXCL,      /* base X26, Rs/Rt2 as the form requires */
    POL_LDST_ATOMIC,    /* base X26, Rs (a source, or written by CAS) not reserved */
    POL_LDST_RCPC_IMM9, /* base X26, 9-bit offset a multiple of the access size */
    POL_LITERAL,        /* offset of a few words around the code slot */
    POL_SIMD_LDST,      /* base X28, post-index register X27 or immediate */
    POL_SYS,            /* DC/IC on X26 */
    POL_MRS,            /* whitelisted system registers */
    POL_MSR,
    POL_MEMORY_GUESS,   /* a class without a policy whose name says memory */
} Policy;

static const struct {
    const char *name;
    Policy policy;
} class_policies[] = {
    { "b", POL_EXCLUDED }, { "bl", POL_EXCLUDED }, { "b_cond", POL_EXCLUDED },
    { "cbz_cbnz", POL_EXCLUDED }, { "tbz_tbnz", POL_EXCLUDED },
    { "br", POL_EXCLUDED }, { "blr", POL_EXCLUDED }, { "ret", POL_EXCLUDED },
    { "svc", POL_EXCLUDED }, { "brk", POL_EXCLUDED }, { "hlt", POL_EXCLUDED },
    { "udf", POL_EXCLUDED },
    { "ldst_uimm", POL_LDST_UIMM }, { "fp_ldst_uimm", POL_LDST_UIMM },
    { "ldst_imm9", POL_LDST_IMM9 }, { "fp_ldst_imm9", POL_LDST_IMM9 },
    { "ldst_reg", POL_LDST_REG }, { "fp_ldst_reg", POL_LDST_REG },
    { "ldst_pair", POL_LDST_PAIR }, { "fp_ldst_pair", POL_LDST_PAIR },
    { "ldapr", POL_LDST_ALIGNED },
    { "ldst_excl", POL_LDST_EXCL },
    { "lse_atomic", POL_LDST_ATOMIC }, { "cas", POL_LDST_ATOMIC }, { "casp", POL_LDST_ATOMIC },
    { "ldapur_stlur", POL_LDST_RCPC_IMM9 },
    { "ldr_lit", POL_LITERAL }, { "fp_ldr_lit", POL_LITERAL },
    { "simd_ldst_multi", POL_SIMD_LDST }, { "simd_ldst_multi_post", POL_SIMD_LDST },
    { "simd_ldst_single", POL_SIMD_LDST }, { "simd_ldst_single_post", POL_SIMD_LDST },
    { "sys", POL_SYS },
    { "mrs", POL_MRS },
    { "msr_reg", POL_MSR },
};

static bool name_suggests_memory(const char *name)
{
    static const char *const words[] = { "ld", "st", "atomic", "cas", "swp", "prf" };
    for (unsigned i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        if (strstr(name, words[i])) {
            return true;
        }
    }
    return false;
}

static Policy class_policy(int cls)
{
    const char *name = a64_insns[cls].name;
    for (unsigned i = 0; i < sizeof(class_policies) / sizeof(class_policies[0]); i++) {
        if (strcmp(class_policies[i].name, name) == 0) {
            return class_policies[i].policy;
        }
    }
    return name_suggests_memory(name) ? POL_MEMORY_GUESS : POL_PLAIN;
}

bool gen_class_included(int cls)
{
    return class_policy(cls) != POL_EXCLUDED;
}

/* ---- encoding fields ---------------------------------------------------- */

static uint32_t field(uint32_t insn, int lo, int len)
{
    return (insn >> lo) & ((1u << len) - 1);
}

static uint32_t with_field(uint32_t insn, int lo, int len, uint32_t v)
{
    uint32_t m = ((1u << len) - 1) << lo;
    return (insn & ~m) | ((v << lo) & m);
}

static bool is_reserved_reg(uint32_t r)
{
    return r == DIFF_REG_ALIGNED || r == DIFF_REG_INDEX || r == DIFF_REG_BASE;
}

/* A register number other than the reserved ones and the ones in avoid[]. */
static uint32_t free_reg(Rng *rng, const uint32_t *avoid, unsigned n_avoid)
{
    for (;;) {
        uint32_t r = rng_below(rng, 32);
        bool ok = !is_reserved_reg(r);
        for (unsigned i = 0; ok && i < n_avoid; i++) {
            ok = r != avoid[i];
        }
        if (ok) {
            return r;
        }
    }
}

/* System register numbers (op0:op1:CRn:CRm:op2) in MRS/MSR bits 5..20. */
#define SYSREG(op0, op1, crn, crm, op2) \
    ((((op0) & 1u) << 14 | (op1) << 11 | (crn) << 7 | (crm) << 3 | (op2)))

static const uint32_t mrs_whitelist[] = {
    SYSREG(3, 3, 4, 2, 0),      /* NZCV */
    SYSREG(3, 3, 4, 4, 0),      /* FPCR */
    SYSREG(3, 3, 4, 4, 1),      /* FPSR */
    SYSREG(3, 3, 13, 0, 2),     /* TPIDR_EL0 (a fixed value while sequences run) */
    SYSREG(3, 3, 0, 0, 7),      /* DCZID_EL0 */
};
static const uint32_t msr_whitelist[] = {
    SYSREG(3, 3, 4, 2, 0),      /* NZCV */
    SYSREG(3, 3, 4, 4, 0),      /* FPCR: the exit stub reads it, then puts the runner's back */
    SYSREG(3, 3, 4, 4, 1),      /* FPSR */
};

/* SYS op1:CRn:CRm:op2 (bits 5..18) of the EL0 cache maintenance operations. */
#define SYSOP(op1, crn, crm, op2) ((op1) << 11 | (crn) << 7 | (crm) << 3 | (op2))
static const uint32_t sys_whitelist[] = {
    SYSOP(3, 7, 4, 1),          /* DC ZVA */
    SYSOP(3, 7, 10, 1),         /* DC CVAC */
    SYSOP(3, 7, 11, 1),         /* DC CVAU */
    SYSOP(3, 7, 12, 1),         /* DC CVAP */
    SYSOP(3, 7, 14, 1),         /* DC CIVAC */
    SYSOP(3, 7, 5, 1),          /* IC IVAU */
};

#define PICK(rng, table) ((table)[rng_below((rng), sizeof(table) / sizeof((table)[0]))])

/* Load/store exclusive and ordered (size 001000 o2 L o1 Rs o0 Rt2 Rn Rt):
 * the fields a form does not use are written as ones, as the Arm ARM
 * shows them; used status/pair registers never alias Rt, Rt2 or Rn. */
static uint32_t fix_exclusive(Rng *rng, uint32_t insn)
{
    bool o2 = field(insn, 23, 1), load = field(insn, 22, 1), o1 = field(insn, 21, 1);
    bool pair = !o2 && o1;
    bool casp = pair && !field(insn, 31, 1);
    bool cas = o2 && o1;
    bool uses_rs = (!o2 && !load) || cas || casp;       /* status, or compare value */
    bool uses_rt2 = pair && !casp;

    insn = with_field(insn, 5, 5, DIFF_REG_ALIGNED);
    uint32_t rt = field(insn, 0, 5);
    uint32_t rt2 = 31;
    if (uses_rt2) {
        uint32_t avoid[] = { rt };
        rt2 = free_reg(rng, avoid, 1);
    }
    insn = with_field(insn, 10, 5, rt2);
    uint32_t rs = 31;
    if (uses_rs) {
        uint32_t avoid[] = { rt, rt2 };
        rs = free_reg(rng, avoid, 2);
    }
    return with_field(insn, 16, 5, rs);
}

/* Apply the class's policy to a raw draw. */
static uint32_t apply_policy(Rng *rng, Policy pol, uint32_t insn, const A64InsnDef *d)
{
    switch (pol) {
    case POL_LDST_UIMM: {
        bool fp = field(insn, 26, 1);
        unsigned scale = field(insn, 30, 2) + (fp && field(insn, 23, 1) ? 4 : 0);
        insn = with_field(insn, 5, 5, DIFF_REG_BASE);
        return with_field(insn, 10, 12, rng_below(rng, 1024u >> (scale > 4 ? 4 : scale)));
    }
    case POL_LDST_IMM9:
        return with_field(insn, 5, 5, DIFF_REG_BASE);
    case POL_LDST_REG:
        insn = with_field(insn, 5, 5, DIFF_REG_BASE);
        return with_field(insn, 16, 5, DIFF_REG_INDEX);
    case POL_LDST_PAIR: {
        insn = with_field(insn, 5, 5, DIFF_REG_BASE);
        uint32_t avoid[] = { field(insn, 0, 5) };
        return with_field(insn, 10, 5, free_reg(rng, avoid, 1));
    }
    case POL_LDST_ALIGNED:
        return with_field(insn, 5, 5, DIFF_REG_ALIGNED);
    case POL_LDST_EXCL:
        return fix_exclusive(rng, insn);
    case POL_LDST_ATOMIC:
        insn = with_field(insn, 5, 5, DIFF_REG_ALIGNED);
        if (!(d->mask & (0x1fu << 16)) && is_reserved_reg(field(insn, 16, 5))) {
            insn = with_field(insn, 16, 5, free_reg(rng, NULL, 0));
        }
        return insn;
    case POL_LDST_RCPC_IMM9: {
        /* Aligned: these single-copy-atomic accesses fault when unaligned
         * on a core without FEAT_LSE2. */
        unsigned size = field(insn, 30, 2);
        int32_t offset = ((int32_t)rng_below(rng, 512) - 256) & ~((1 << size) - 1);
        insn = with_field(insn, 5, 5, DIFF_REG_ALIGNED);
        return with_field(insn, 12, 9, (uint32_t)offset);
    }
    case POL_LITERAL:
        return with_field(insn, 5, 19, (uint32_t)((int32_t)rng_below(rng, 64) - 32));
    case POL_SIMD_LDST:
        insn = with_field(insn, 5, 5, DIFF_REG_BASE);
        if (!(d->mask & (0x1fu << 16))) {
            insn = with_field(insn, 16, 5, rng_chance(rng, 50) ? 31 : DIFF_REG_INDEX);
        }
        return insn;
    case POL_SYS:
        insn = with_field(insn, 0, 5, DIFF_REG_ALIGNED);
        return rng_chance(rng, 90) ? with_field(insn, 5, 14, PICK(rng, sys_whitelist)) : insn;
    case POL_MRS:
        return with_field(insn, 5, 15, PICK(rng, mrs_whitelist));
    case POL_MSR:
        return with_field(insn, 5, 15, PICK(rng, msr_whitelist));
    case POL_MEMORY_GUESS:
        if (!(d->mask & (0x1fu << 5))) {
            insn = with_field(insn, 5, 5, DIFF_REG_ALIGNED);
        }
        if (!(d->mask & (0x1fu << 16)) && is_reserved_reg(field(insn, 16, 5))) {
            insn = with_field(insn, 16, 5, free_reg(rng, NULL, 0));
        }
        return insn;
    case POL_PLAIN:
    case POL_EXCLUDED:
        break;
    }
    return insn;
}

/* A random encoding of class cls that decodes back to it, or false. */
static bool draw_encoding(Rng *rng, int cls, uint32_t *out)
{
    const A64InsnDef *d = &a64_insns[cls];
    Policy pol = class_policy(cls);
    for (int attempt = 0; attempt < 400; attempt++) {
        uint32_t insn = d->match | ((uint32_t)rng_next(rng) & ~d->mask);
        /* The destination field (bits 0..4) never names a reserved register;
         * for vector classes that only spares V26-V28 as destinations. */
        if (!(d->mask & 0x1f) && pol != POL_SYS) {
            uint32_t rd = field(insn, 0, 5);
            if (is_reserved_reg(rd)) {
                insn = with_field(insn, 0, 5, free_reg(rng, NULL, 0));
            }
        }
        insn = apply_policy(rng, pol, insn, d);
        if (a64_decode(insn) == d) {
            *out = insn;
            return true;
        }
    }
    return false;
}

/* Does ferry's translator accept the encoding?  (A scratch IR block.) */
static bool ferry_translates(int cls, uint32_t insn)
{
    IRBuilder b;
    ir_builder_init(&b, DIFF_CODE_BASE + DIFF_CODE_GUARD);
    DisasContext s = { .b = &b, .pc = DIFF_CODE_BASE + DIFF_CODE_GUARD, .insn = insn, .model = NULL };
    ir_insn_start(&b, s.pc);
    bool ok = a64_insns[cls].trans(&s, insn);
    ir_builder_free(&b);
    return ok;
}

/* ---- initial register files --------------------------------------------- */

static const uint64_t special_x[] = {
    0, 1, 2, 0xffffffffffffffffull, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,
    0x7fffffffffffffffull, 0x8000000000000000ull, 0xffffffff80000000ull, 0x8000,
    0xff, 0x80, 63, 64, 31, 32,
};

static const uint32_t special_f32[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3f000000, 0x40000000, 0x3fc00000,
    0x40400000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0x7fa00000,
    0xffc12345, 0x00000001, 0x807fffff, 0x00800000, 0x7f7fffff, 0xff7fffff, 0x4effffff,
    0x4f000000, 0xcf000000, 0xcf000001, 0x5f000000, 0xdf000000, 0x477fff00, 0x3eaaaaab,
    0x4b000000, 0x3f7fffff,
};

static const uint64_t special_f64[] = {
    0, 0x8000000000000000ull, 0x3ff0000000000000ull, 0xbff0000000000000ull,
    0x3fe0000000000000ull, 0x4000000000000000ull, 0x3ff8000000000000ull,
    0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull,
    0xfff8000000000000ull, 0x7ff0000000000001ull, 0x7ff4000000000000ull,
    0xfff8000012345678ull, 1, 0x800fffffffffffffull, 0x0010000000000000ull,
    0x7fefffffffffffffull, 0x41dfffffffc00000ull, 0x41e0000000000000ull,
    0xc1e0000000000000ull, 0x43e0000000000000ull, 0xc3e0000000000000ull,
    0x3fd5555555555555ull, 0x4330000000000000ull, 0x3fefffffffffffffull,
    0x47efffffe0000000ull, 0x3810000000000000ull,
};

/* Half precision: zeros, ones, halves, infinities, quiet and signalling
 * NaNs, denormals, the smallest and largest normals, values whose
 * integer conversions saturate or round at a tie. */
static const uint16_t special_f16[] = {
    0, 0x8000, 0x3c00, 0xbc00, 0x3800, 0x4000, 0x3e00, 0x7c00, 0xfc00, 0x7e00, 0xfe00,
    0x7c01, 0x7d00, 0xfe12, 0x0001, 0x8001, 0x03ff, 0x83ff, 0x0200, 0x0400, 0x8400,
    0x7bff, 0xfbff, 0x3555, 0x3bff, 0x3c01, 0x4100, 0x4500, 0x7800, 0x0401, 0x1400,
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t random_x_value(Rng *rng)
{
    uint32_t k = rng_below(rng, 100);
    if (k < 40) return rng_next(rng);
    if (k < 55) return rng_below(rng, 256);
    if (k < 65) return -(uint64_t)rng_below(rng, 256);
    if (k < 80) return special_x[rng_below(rng, N_OF(special_x))];
    if (k < 90) return (uint32_t)rng_next(rng);
    return rng_next(rng) & rng_next(rng) & rng_next(rng);
}

/* A float with a moderate exponent and random sign and fraction. */
static uint32_t random_normal_f32(Rng *rng)
{
    uint32_t exp = 127 - 20 + rng_below(rng, 50);
    return (uint32_t)(rng_next(rng) & 0x807fffff) | exp << 23;
}

static uint64_t random_normal_f64(Rng *rng)
{
    uint64_t exp = 1023 - 40 + rng_below(rng, 100);
    return (rng_next(rng) & 0x800fffffffffffffull) | exp << 52;
}

static uint32_t random_f32(Rng *rng)
{
    return rng_chance(rng, 50) ? special_f32[rng_below(rng, N_OF(special_f32))] : random_normal_f32(rng);
}

/* Four half-precision lanes: specials or normals of a moderate exponent. */
static uint64_t random_f16_lanes(Rng *rng)
{
    uint64_t v = 0;
    for (int i = 0; i < 4; i++) {
        uint64_t h = rng_chance(rng, 50) ? special_f16[rng_below(rng, N_OF(special_f16))]
                                         : (rng_next(rng) & 0x83ff) | (uint64_t)(15 - 8 + rng_below(rng, 17)) << 10;
        v |= h << (16 * i);
    }
    return v;
}

static uint64_t random_vector_half(Rng *rng)
{
    uint32_t k = rng_below(rng, 100);
    if (k < 20) return rng_next(rng);
    if (k < 40) return random_f32(rng) | (uint64_t)random_f32(rng) << 32;
    if (k < 55) return random_f16_lanes(rng);
    if (k < 75) {
        return rng_chance(rng, 50) ? special_f64[rng_below(rng, N_OF(special_f64))]
                                   : random_normal_f64(rng);
    }
    if (k < 85) return rng_below(rng, 300) | (uint64_t)rng_below(rng, 300) << 32;
    /* bytes and halfwords near the signed and unsigned limits */
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) {
        static const uint8_t edge[] = { 0, 1, 0x7f, 0x80, 0x81, 0xfe, 0xff, 0x40 };
        v |= (uint64_t)(rng_chance(rng, 60) ? edge[rng_below(rng, 8)] : (uint8_t)rng_next(rng)) << (8 * i);
    }
    return v;
}

static void random_state(Rng *rng, DiffState *st)
{
    memset(st, 0, sizeof(*st));
    for (int i = 0; i < 31; i++) {
        st->x[i] = random_x_value(rng);
    }
    st->x[DIFF_REG_ALIGNED] = DIFF_SCRATCH_BASE + 1024 + 64 * rng_below(rng, 4);
    st->x[DIFF_REG_INDEX] = rng_below(rng, 64);
    st->x[DIFF_REG_BASE] = DIFF_SCRATCH_BASE + DIFF_SCRATCH_SIZE / 2 + 16 * (rng_below(rng, 64) - 32);
    st->sp = rng_next(rng) & ~15ull;
    st->nzcv = (uint64_t)rng_below(rng, 16) << 28;
    if (rng_chance(rng, 50)) {
        /* RMode (23:22), FZ (24), DN (25), AHP (26), FZ16 (19) */
        st->fpcr = (uint64_t)rng_below(rng, 32) << 22 | (uint64_t)rng_below(rng, 2) << 19;
    }
    if (rng_chance(rng, 25)) {
        st->fpsr = rng_next(rng) & 0x0800009f;
    }
    for (int i = 0; i < 32; i++) {
        uint64_t lo = random_vector_half(rng), hi = random_vector_half(rng);
        memcpy(st->v[i], &lo, 8);
        memcpy(st->v[i] + 8, &hi, 8);
    }
}

/* ---- sequences ---------------------------------------------------------- */

typedef struct Generator {
    const GenConfig *cfg;
    Rng rng;
    int *included;          /* class indices */
    unsigned n_included;
} Generator;

/* A class sequence.  reject_percent of the cases probe refusal: the first
 * encoding ferry's translator refuses is run alone.  The others are 1..max_len
 * encodings ferry accepts (many classes are mostly unallocated space, so
 * this takes many draws). */
static bool gen_class_case(Generator *g, int cls, DiffCase *c, CaseInfo *info)
{
    unsigned len = 1 + rng_below(&g->rng, g->cfg->max_len);
    bool probe_refusal = rng_chance(&g->rng, g->cfg->reject_percent);
    info->cls = cls;
    for (int tries = 0; c->n_insns < len && tries < 2000; tries++) {
        uint32_t insn;
        if (!draw_encoding(&g->rng, cls, &insn)) {
            return false;
        }
        bool accepted = ferry_translates(cls, insn);
        if (probe_refusal && !accepted) {
            info->ferry_rejects = true;
            info->insn_cls[0] = cls;
            c->insns[c->n_insns++] = insn;
            return true;
        }
        if (probe_refusal && tries >= 200) {
            probe_refusal = false;          /* ferry accepts the whole class */
        }
        if (!probe_refusal && accepted) {
            info->insn_cls[c->n_insns] = cls;
            c->insns[c->n_insns++] = insn;
        }
    }
    if (c->n_insns == 0) {
        /* ferry accepts nothing here: run a refused one, to measure that */
        uint32_t insn;
        if (!draw_encoding(&g->rng, cls, &insn)) {
            return false;
        }
        info->ferry_rejects = true;
        info->insn_cls[0] = cls;
        c->insns[c->n_insns++] = insn;
    }
    return true;
}

static bool gen_mixed_case(Generator *g, DiffCase *c, CaseInfo *info)
{
    unsigned len = 2 + rng_below(&g->rng, g->cfg->max_mixed_len - 1);
    info->cls = CLASS_MIXED;
    for (int tries = 0; c->n_insns < len && tries < 200; tries++) {
        int cls = g->included[rng_below(&g->rng, g->n_included)];
        uint32_t insn;
        if (draw_encoding(&g->rng, cls, &insn) && ferry_translates(cls, insn)) {
            info->insn_cls[c->n_insns] = cls;
            c->insns[c->n_insns++] = insn;
        }
    }
    return c->n_insns > 0;
}

static void add_case(Generator *g, CaseSet *set, int cls)
{
    DiffCase *c = &set->cases[set->n];
    CaseInfo *info = &set->info[set->n];
    memset(c, 0, sizeof(*c));
    memset(info, 0, sizeof(*info));
    bool ok = cls == CLASS_MIXED ? gen_mixed_case(g, c, info) : gen_class_case(g, cls, c, info);
    if (!ok) {
        return;
    }
    c->scratch_seed = rng_next(&g->rng);
    random_state(&g->rng, &c->init);
    set->n++;
}

bool gen_cases(const GenConfig *cfg, CaseSet *set, FILE *report)
{
    Generator g = { .cfg = cfg, .rng = { cfg->seed } };
    g.included = calloc(a64_n_insns, sizeof(int));
    for (unsigned i = 0; i < a64_n_insns; i++) {
        if (cfg->only_class && strcmp(a64_insns[i].name, cfg->only_class) != 0) {
            continue;
        }
        if (!gen_class_included(i)) {
            fprintf(report, "class %-24s excluded (control flow or exception generation)\n",
                    a64_insns[i].name);
            continue;
        }
        g.included[g.n_included++] = i;
    }
    if (g.n_included == 0) {
        free(g.included);
        return false;
    }
    unsigned cap = g.n_included * cfg->per_class + cfg->mixed;
    set->cases = calloc(cap ? cap : 1, sizeof(DiffCase));
    set->info = calloc(cap ? cap : 1, sizeof(CaseInfo));
    set->n = 0;
    for (unsigned k = 0; k < g.n_included; k++) {
        unsigned before = set->n;
        for (unsigned i = 0; i < cfg->per_class; i++) {
            add_case(&g, set, g.included[k]);
        }
        if (set->n == before && cfg->per_class) {
            fprintf(report, "class %-24s no encoding decodes back to it\n", a64_insns[g.included[k]].name);
        }
    }
    for (unsigned i = 0; i < cfg->mixed && !cfg->only_class; i++) {
        add_case(&g, set, CLASS_MIXED);
    }
    free(g.included);
    return true;
}

void case_set_free(CaseSet *set)
{
    free(set->cases);
    free(set->info);
    set->cases = NULL;
    set->info = NULL;
    set->n = 0;
}

bool gen_write_case_file(const CaseSet *set, const char *path)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        return false;
    }
    DiffFileHeader h = { .n_cases = set->n };
    memcpy(h.magic, DIFF_MAGIC, 8);
    bool ok = fwrite(&h, sizeof(h), 1, f) == 1 &&
              fwrite(set->cases, sizeof(DiffCase), set->n, f) == set->n;
    return fclose(f) == 0 && ok;
}
