/*
 * LSE atomics (ARMv8.1) checked against plain C models: every
 * LDADD/LDCLR/LDEOR/LDSET/LDSMAX/LDSMIN/LDUMAX/LDUMIN/SWP form (B, H, W, X;
 * plain, A, L, AL) through inline assembly, the ST* aliases and Rt = XZR
 * forms, CAS and CASP in every size and order (success and failure), the
 * __atomic builtins that gcc turns into LSE instructions, LDAPUR/STLUR
 * (FEAT_LRCPC2, aligned as acquire/release accesses must be) and
 * multi-threaded counters (LDADDAL, STADD, CASAL, a SWPA lock, STUMAXL,
 * and the exclusive pairs LDAXP/STLXP and LDXP/STXP).  Each access is made on a
 * cell inside a buffer of sentinel bytes, which must stay untouched; the
 * source registers carry garbage above the access size, which must be
 * ignored.
 */
#pragma GCC target("arch=armv8.2-a+lse")
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>

#define CAP_ATOMICS (1ul << 8)     /* HWCAP_ATOMICS */
#define CAP_ILRCPC (1ul << 26)     /* HWCAP_ILRCPC */

static int failures;
static long checks;

static void check(bool ok, const char *what, uint64_t a, uint64_t b, uint64_t got, uint64_t want)
{
    checks++;
    if (!ok && failures++ < 20) {
        printf("FAIL %s (0x%llx, 0x%llx): got 0x%llx want 0x%llx\n", what,
               (unsigned long long)a, (unsigned long long)b,
               (unsigned long long)got, (unsigned long long)want);
    }
}

static const uint64_t values[] = {
    0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000,
    0xffffffff, 0x7fffffffffffffff, 0x8000000000000000, ~0ull,
    0x0123456789abcdef, 0xfedcba9876543210, 0x00000001000000ff, 0xa5a5a5a5a5a5a581,
};
#define N_VALUES (sizeof(values) / sizeof(values[0]))

enum { ADD, CLR, EOR, SET, SMAX, SMIN, UMAX, UMIN, SWP };

static uint64_t size_mask(int size)
{
    return size == 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

static int64_t sext(uint64_t v, int size)
{
    int sh = 64 - 8 * size;
    return (int64_t)(v << sh) >> sh;
}

/* The architecture's new memory value for old and the register value v. */
static uint64_t model(int op, int size, uint64_t old, uint64_t v)
{
    uint64_t m = size_mask(size), r;
    old &= m;
    v &= m;
    switch (op) {
    case ADD:  r = old + v; break;
    case CLR:  r = old & ~v; break;
    case EOR:  r = old ^ v; break;
    case SET:  r = old | v; break;
    case SMAX: r = sext(old, size) > sext(v, size) ? old : v; break;
    case SMIN: r = sext(old, size) < sext(v, size) ? old : v; break;
    case UMAX: r = old > v ? old : v; break;
    case UMIN: r = old < v ? old : v; break;
    default:   r = v; break;
    }
    return r & m;
}

/* ---- the cell: `size` bytes at offset 16 of a 48-byte sentinel buffer --- */

static _Alignas(16) uint8_t cellbuf[48];
#define CELL (cellbuf + 16)

static void cell_set(int size, uint64_t v)
{
    memset(cellbuf, 0xa5, sizeof(cellbuf));
    memcpy(CELL, &v, (size_t)size);
}

static uint64_t cell_get(int size)
{
    uint64_t v = 0;
    memcpy(&v, CELL, (size_t)size);
    return v;
}

static bool sentinels_intact(int size)
{
    for (int i = 0; i < (int)sizeof(cellbuf); i++) {
        if ((i < 16 || i >= 16 + size) && cellbuf[i] != 0xa5) {
            return false;
        }
    }
    return true;
}

/* ---- LD<op> and SWP: one function per mnemonic -------------------------- */

typedef uint64_t AmoFn(void *p, uint64_t v);

#define AMO_W(fn, mnem) static uint64_t fn(void *p, uint64_t v) { uint64_t o; \
    __asm__ volatile(mnem " %w[v], %w[o], [%[p]]" : [o] "=&r"(o) : [v] "r"(v), [p] "r"(p) : "memory"); return o; }
#define AMO_X(fn, mnem) static uint64_t fn(void *p, uint64_t v) { uint64_t o; \
    __asm__ volatile(mnem " %x[v], %x[o], [%[p]]" : [o] "=&r"(o) : [v] "r"(v), [p] "r"(p) : "memory"); return o; }
#define AMO_SIZES(op, ord) AMO_W(op##ord##b, #op #ord "b") AMO_W(op##ord##h, #op #ord "h") \
    AMO_W(op##ord##w, #op #ord) AMO_X(op##ord##x, #op #ord)
#define AMO_ORDERS(op) AMO_SIZES(op, ) AMO_SIZES(op, a) AMO_SIZES(op, l) AMO_SIZES(op, al)

AMO_ORDERS(ldadd) AMO_ORDERS(ldclr) AMO_ORDERS(ldeor) AMO_ORDERS(ldset)
AMO_ORDERS(ldsmax) AMO_ORDERS(ldsmin) AMO_ORDERS(ldumax) AMO_ORDERS(ldumin)
AMO_ORDERS(swp)

typedef struct Amo { const char *name; int op, size; AmoFn *fn; } Amo;

#define AMO_ENT(op, ord, k) { #op #ord "b", k, 1, op##ord##b }, { #op #ord "h", k, 2, op##ord##h }, \
    { #op #ord " w", k, 4, op##ord##w }, { #op #ord " x", k, 8, op##ord##x },
#define AMO_ENTS(op, k) AMO_ENT(op, , k) AMO_ENT(op, a, k) AMO_ENT(op, l, k) AMO_ENT(op, al, k)

static const Amo amos[] = {
    AMO_ENTS(ldadd, ADD) AMO_ENTS(ldclr, CLR) AMO_ENTS(ldeor, EOR) AMO_ENTS(ldset, SET)
    AMO_ENTS(ldsmax, SMAX) AMO_ENTS(ldsmin, SMIN) AMO_ENTS(ldumax, UMAX) AMO_ENTS(ldumin, UMIN)
    AMO_ENTS(swp, SWP)
};

static void test_amo(const Amo *a)
{
    for (unsigned i = 0; i < N_VALUES; i++) {
        for (unsigned j = 0; j < N_VALUES; j++) {
            uint64_t old = values[i] & size_mask(a->size), v = values[j];
            cell_set(a->size, old);
            uint64_t got = a->fn(CELL, v);
            uint64_t want = model(a->op, a->size, old, v);
            check(got == old, a->name, old, v, got, old);
            check(cell_get(a->size) == want, a->name, old, v, cell_get(a->size), want);
            check(sentinels_intact(a->size), a->name, old, v, 0, 0);
        }
    }
}

/* ---- ST<op> aliases and LD<op> with Rt = XZR: memory effect only -------- */

typedef void StFn(void *p, uint64_t v);

#define ST_W(fn, mnem) static void fn(void *p, uint64_t v) { \
    __asm__ volatile(mnem " %w[v], [%[p]]" : : [v] "r"(v), [p] "r"(p) : "memory"); }
#define ST_X(fn, mnem) static void fn(void *p, uint64_t v) { \
    __asm__ volatile(mnem " %x[v], [%[p]]" : : [v] "r"(v), [p] "r"(p) : "memory"); }
#define ST_SIZES(op, ord) ST_W(op##ord##b, #op #ord "b") ST_W(op##ord##h, #op #ord "h") \
    ST_W(op##ord##w, #op #ord) ST_X(op##ord##x, #op #ord)
#define ST_ORDERS(op) ST_SIZES(op, ) ST_SIZES(op, l)

ST_ORDERS(stadd) ST_ORDERS(stclr) ST_ORDERS(steor) ST_ORDERS(stset)
ST_ORDERS(stsmax) ST_ORDERS(stsmin) ST_ORDERS(stumax) ST_ORDERS(stumin)

#define ZR_W(fn, mnem) static void fn(void *p, uint64_t v) { \
    __asm__ volatile(mnem " %w[v], wzr, [%[p]]" : : [v] "r"(v), [p] "r"(p) : "memory"); }
#define ZR_X(fn, mnem) static void fn(void *p, uint64_t v) { \
    __asm__ volatile(mnem " %x[v], xzr, [%[p]]" : : [v] "r"(v), [p] "r"(p) : "memory"); }
ZR_W(zr_ldaddalb, "ldaddalb") ZR_W(zr_ldclrah, "ldclrah") ZR_W(zr_ldeora, "ldeora")
ZR_X(zr_ldsetal, "ldsetal") ZR_W(zr_ldsmaxab, "ldsmaxab") ZR_X(zr_ldumina, "ldumina")
ZR_W(zr_swpw, "swp") ZR_X(zr_swpalx, "swpal")

typedef struct St { const char *name; int op, size; StFn *fn; } St;

#define ST_ENT(op, ord, k) { #op #ord "b", k, 1, op##ord##b }, { #op #ord "h", k, 2, op##ord##h }, \
    { #op #ord " w", k, 4, op##ord##w }, { #op #ord " x", k, 8, op##ord##x },
#define ST_ENTS(op, k) ST_ENT(op, , k) ST_ENT(op, l, k)

static const St sts[] = {
    ST_ENTS(stadd, ADD) ST_ENTS(stclr, CLR) ST_ENTS(steor, EOR) ST_ENTS(stset, SET)
    ST_ENTS(stsmax, SMAX) ST_ENTS(stsmin, SMIN) ST_ENTS(stumax, UMAX) ST_ENTS(stumin, UMIN)
    { "ldaddalb wzr", ADD, 1, zr_ldaddalb }, { "ldclrah wzr", CLR, 2, zr_ldclrah },
    { "ldeora wzr", EOR, 4, zr_ldeora }, { "ldsetal xzr", SET, 8, zr_ldsetal },
    { "ldsmaxab wzr", SMAX, 1, zr_ldsmaxab }, { "ldumina xzr", UMIN, 8, zr_ldumina },
    { "swp wzr", SWP, 4, zr_swpw }, { "swpal xzr", SWP, 8, zr_swpalx },
};

static void test_st(const St *a)
{
    for (unsigned i = 0; i < N_VALUES; i++) {
        for (unsigned j = 0; j < N_VALUES; j++) {
            uint64_t old = values[i] & size_mask(a->size), v = values[j];
            cell_set(a->size, old);
            a->fn(CELL, v);
            uint64_t want = model(a->op, a->size, old, v);
            check(cell_get(a->size) == want, a->name, old, v, cell_get(a->size), want);
            check(sentinels_intact(a->size), a->name, old, v, 0, 0);
        }
    }
}

/* ---- CAS ------------------------------------------------------------------ */

typedef uint64_t CasFn(void *p, uint64_t expect, uint64_t newv);

#define CAS_W(fn, mnem) static uint64_t fn(void *p, uint64_t s, uint64_t t) { \
    __asm__ volatile(mnem " %w[s], %w[t], [%[p]]" : [s] "+r"(s) : [t] "r"(t), [p] "r"(p) : "memory"); return s; }
#define CAS_X(fn, mnem) static uint64_t fn(void *p, uint64_t s, uint64_t t) { \
    __asm__ volatile(mnem " %x[s], %x[t], [%[p]]" : [s] "+r"(s) : [t] "r"(t), [p] "r"(p) : "memory"); return s; }
#define CAS_SIZES(ord) CAS_W(cas##ord##b, "cas" #ord "b") CAS_W(cas##ord##h, "cas" #ord "h") \
    CAS_W(cas##ord##w, "cas" #ord) CAS_X(cas##ord##x, "cas" #ord)
CAS_SIZES() CAS_SIZES(a) CAS_SIZES(l) CAS_SIZES(al)

typedef struct Cas { const char *name; int size; CasFn *fn; } Cas;
#define CAS_ENT(ord) { "cas" #ord "b", 1, cas##ord##b }, { "cas" #ord "h", 2, cas##ord##h }, \
    { "cas" #ord " w", 4, cas##ord##w }, { "cas" #ord " x", 8, cas##ord##x },
static const Cas cases[] = { CAS_ENT() CAS_ENT(a) CAS_ENT(l) CAS_ENT(al) };

static void test_cas(const Cas *c)
{
    uint64_t m = size_mask(c->size);
    for (unsigned i = 0; i < N_VALUES; i++) {
        for (unsigned j = 0; j < N_VALUES; j++) {
            uint64_t old = values[i] & m, newv = values[j];
            /* equal in the low bytes, garbage above them: must succeed */
            uint64_t expect = old | (c->size < 8 ? 0x5a5a5a5a5a5a5a5aull & ~m : 0);
            cell_set(c->size, old);
            uint64_t got = c->fn(CELL, expect, newv);
            check(got == old, c->name, old, newv, got, old);
            check(cell_get(c->size) == (newv & m), c->name, old, newv, cell_get(c->size), newv & m);
            check(sentinels_intact(c->size), c->name, old, newv, 0, 0);
            /* different: must fail and leave memory alone */
            expect = old ^ (1ull << (j % (8 * c->size)));
            cell_set(c->size, old);
            got = c->fn(CELL, expect, newv);
            check(got == old, c->name, old, expect, got, old);
            check(cell_get(c->size) == old, c->name, old, expect, cell_get(c->size), old);
            check(sentinels_intact(c->size), c->name, old, newv, 0, 0);
        }
    }
}

/* ---- CASP: even register pairs, first register at the lower address ---- */

#define CASP_FN(fn, mnem, w)                                                          \
    static void fn(void *p, uint64_t *s, const uint64_t *t)                          \
    {                                                                                 \
        register uint64_t s0 __asm__("x4") = s[0], s1 __asm__("x5") = s[1];          \
        register uint64_t t0 __asm__("x6") = t[0], t1 __asm__("x7") = t[1];          \
        __asm__ volatile(mnem " %" w "[s0], %" w "[s1], %" w "[t0], %" w "[t1], [%[p]]" \
                         : [s0] "+r"(s0), [s1] "+r"(s1)                               \
                         : [t0] "r"(t0), [t1] "r"(t1), [p] "r"(p) : "memory");      \
        s[0] = s0;                                                                    \
        s[1] = s1;                                                                    \
    }
CASP_FN(caspw, "casp", "w") CASP_FN(caspaw, "caspa", "w") CASP_FN(casplw, "caspl", "w")
CASP_FN(caspalw, "caspal", "w")
CASP_FN(caspx, "casp", "x") CASP_FN(caspax, "caspa", "x") CASP_FN(casplx, "caspl", "x")
CASP_FN(caspalx, "caspal", "x")

typedef void CaspFn(void *p, uint64_t *s, const uint64_t *t);
typedef struct Casp { const char *name; int size; CaspFn *fn; } Casp;
static const Casp casps[] = {
    { "casp w", 4, caspw }, { "caspa w", 4, caspaw }, { "caspl w", 4, casplw },
    { "caspal w", 4, caspalw }, { "casp x", 8, caspx }, { "caspa x", 8, caspax },
    { "caspl x", 8, casplx }, { "caspal x", 8, caspalx },
};

static void test_casp(const Casp *c)
{
    uint64_t m = size_mask(c->size);
    int sz = c->size;
    for (unsigned i = 0; i + 1 < N_VALUES; i++) {
        for (unsigned j = 0; j + 1 < N_VALUES; j++) {
            uint64_t old[2] = { values[i] & m, values[i + 1] & m };
            uint64_t t[2] = { values[j], values[j + 1] };
            for (int fail = 0; fail < 3; fail++) {
                /* 0: equal (garbage above W values), 1: first differs, 2: second differs */
                uint64_t s[2] = { old[0] | (sz == 4 ? 0xdead000000000000ull : 0),
                                  old[1] | (sz == 4 ? 0xbeef000000000000ull : 0) };
                if (fail) {
                    s[fail - 1] ^= 1ull << (j % (8 * sz));
                }
                memset(cellbuf, 0xa5, sizeof(cellbuf));
                memcpy(CELL, &old[0], (size_t)sz);
                memcpy(CELL + sz, &old[1], (size_t)sz);
                c->fn(CELL, s, t);
                uint64_t now[2] = { 0, 0 };
                memcpy(&now[0], CELL, (size_t)sz);
                memcpy(&now[1], CELL + sz, (size_t)sz);
                uint64_t want0 = fail ? old[0] : t[0] & m, want1 = fail ? old[1] : t[1] & m;
                check(s[0] == old[0] && s[1] == old[1], c->name, old[0], old[1], s[0], old[0]);
                check(now[0] == want0 && now[1] == want1, c->name, old[0], t[0], now[0], want0);
                check(sentinels_intact(2 * sz), c->name, old[0], old[1], 0, 0);
            }
        }
    }
}

/* ---- __atomic builtins (gcc emits LSE with +lse) ------------------------- */

#define BUILTIN_TEST(type, bits)                                                      \
    static void test_builtins_##bits(void)                                            \
    {                                                                                 \
        for (unsigned i = 0; i < N_VALUES; i++) {                                     \
            for (unsigned j = 0; j < N_VALUES; j++) {                                 \
                type a = (type)values[i], b = (type)values[j], x, r;                  \
                x = a; r = __atomic_fetch_add(&x, b, __ATOMIC_SEQ_CST);               \
                check(r == a && x == (type)(a + b), "fetch_add" #bits, a, b, x, (type)(a + b)); \
                x = a; r = __atomic_fetch_sub(&x, b, __ATOMIC_ACQUIRE);               \
                check(r == a && x == (type)(a - b), "fetch_sub" #bits, a, b, x, (type)(a - b)); \
                x = a; r = __atomic_fetch_and(&x, b, __ATOMIC_RELEASE);               \
                check(r == a && x == (type)(a & b), "fetch_and" #bits, a, b, x, (type)(a & b)); \
                x = a; r = __atomic_fetch_or(&x, b, __ATOMIC_ACQ_REL);                \
                check(r == a && x == (type)(a | b), "fetch_or" #bits, a, b, x, (type)(a | b)); \
                x = a; r = __atomic_fetch_xor(&x, b, __ATOMIC_RELAXED);               \
                check(r == a && x == (type)(a ^ b), "fetch_xor" #bits, a, b, x, (type)(a ^ b)); \
                x = a; r = __atomic_exchange_n(&x, b, __ATOMIC_SEQ_CST);              \
                check(r == a && x == b, "exchange" #bits, a, b, x, b);                \
                x = a; type e = a;                                                    \
                bool ok = __atomic_compare_exchange_n(&x, &e, b, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST); \
                check(ok && x == b && e == a, "cmpxchg ok" #bits, a, b, x, b);         \
                x = a; e = (type)(a + 1);                                             \
                ok = __atomic_compare_exchange_n(&x, &e, b, false, __ATOMIC_ACQUIRE, __ATOMIC_ACQUIRE); \
                check(!ok && x == a && e == a, "cmpxchg fail" #bits, a, b, x, a);      \
            }                                                                         \
        }                                                                             \
    }
BUILTIN_TEST(uint8_t, 8)
BUILTIN_TEST(uint16_t, 16)
BUILTIN_TEST(uint32_t, 32)
BUILTIN_TEST(uint64_t, 64)

/* ---- LDAPUR / STLUR (FEAT_LRCPC2, ARMv8.4) --------------------------------- */

__attribute__((target("arch=armv8.4-a")))
static void test_rcpc2(void)
{
    static _Alignas(16) uint8_t buf[512];
    for (unsigned i = 0; i < N_VALUES; i++) {
        uint64_t v = values[i], r;
        uint8_t *p = buf + 64;
        memset(buf, 0, sizeof(buf));
        __asm__ volatile("stlur %x[v], [%[p], #-8]" : : [v] "r"(v), [p] "r"(p) : "memory");
        memcpy(&r, p - 8, 8);
        check(r == v, "stlur x", v, 0, r, v);
        __asm__ volatile("stlurh %w[v], [%[p], #2]" : : [v] "r"(v), [p] "r"(p) : "memory");
        r = 0; memcpy(&r, p + 2, 2);
        check(r == (uint16_t)v, "stlurh", v, 0, r, (uint16_t)v);
        __asm__ volatile("stlurb %w[v], [%[p], #-1]" : : [v] "r"(v), [p] "r"(p + 8) : "memory");
        check(p[7] == (uint8_t)v, "stlurb", v, 0, p[7], (uint8_t)v);
        __asm__ volatile("stlur %w[v], [%[p], #-256]" : : [v] "r"(v), [p] "r"(p + 256) : "memory");
        r = 0; memcpy(&r, p, 4);
        check(r == (uint32_t)v, "stlur w", v, 0, r, (uint32_t)v);

        memcpy(p, &v, 8);
        __asm__ volatile("ldapur %x[r], [%[p], #0]" : [r] "=r"(r) : [p] "r"(p) : "memory");
        check(r == v, "ldapur x", v, 0, r, v);
        __asm__ volatile("ldapur %w[r], [%[p], #-4]" : [r] "=r"(r) : [p] "r"(p + 4) : "memory");
        check(r == (uint32_t)v, "ldapur w", v, 0, r, (uint32_t)v);
        __asm__ volatile("ldapurh %w[r], [%[p], #2]" : [r] "=r"(r) : [p] "r"(p - 2) : "memory");
        check(r == (uint16_t)v, "ldapurh", v, 0, r, (uint16_t)v);
        __asm__ volatile("ldapurb %w[r], [%[p]]" : [r] "=r"(r) : [p] "r"(p) : "memory");
        check(r == (uint8_t)v, "ldapurb", v, 0, r, (uint8_t)v);
        __asm__ volatile("ldapursb %x[r], [%[p]]" : [r] "=r"(r) : [p] "r"(p) : "memory");
        check(r == (uint64_t)(int8_t)v, "ldapursb x", v, 0, r, (uint64_t)(int8_t)v);
        __asm__ volatile("ldapursb %w[r], [%[p]]" : [r] "=r"(r) : [p] "r"(p) : "memory");
        check(r == (uint32_t)(int8_t)v, "ldapursb w", v, 0, r, (uint32_t)(int8_t)v);
        __asm__ volatile("ldapursh %x[r], [%[p]]" : [r] "=r"(r) : [p] "r"(p) : "memory");
        check(r == (uint64_t)(int16_t)v, "ldapursh x", v, 0, r, (uint64_t)(int16_t)v);
        __asm__ volatile("ldapursh %w[r], [%[p]]" : [r] "=r"(r) : [p] "r"(p) : "memory");
        check(r == (uint32_t)(int16_t)v, "ldapursh w", v, 0, r, (uint32_t)(int16_t)v);
        __asm__ volatile("ldapursw %x[r], [%[p]]" : [r] "=r"(r) : [p] "r"(p) : "memory");
        check(r == (uint64_t)(int32_t)v, "ldapursw", v, 0, r, (uint64_t)(int32_t)v);
    }
}

/* ---- threads: counters only LSE instructions update ---------------------- */

#define THREADS 8
#define ITERS 50000

static uint64_t add_counter;
static uint32_t stadd_counter;
static uint64_t cas_counter;
static uint64_t locked_counter;
static uint32_t lock_word;
static uint64_t max_seen;
static _Alignas(16) uint64_t pair_x[2];     /* LDAXP/STLXP: both halves counted */
static _Alignas(8) uint32_t pair_w[2];      /* LDXP/STXP of two W registers */

static void pair_add_x(void)
{
    uint64_t lo, hi;
    uint32_t fail;
    __asm__ volatile("1: ldaxp %[lo], %[hi], [%[p]]\n"
                     "   add %[lo], %[lo], #1\n"
                     "   add %[hi], %[hi], #3\n"
                     "   stlxp %w[f], %[lo], %[hi], [%[p]]\n"
                     "   cbnz %w[f], 1b\n"
                     : [lo] "=&r"(lo), [hi] "=&r"(hi), [f] "=&r"(fail) : [p] "r"(pair_x) : "memory");
}

static void pair_add_w(void)
{
    uint32_t lo, hi, fail;
    __asm__ volatile("1: ldxp %w[lo], %w[hi], [%[p]]\n"
                     "   add %w[lo], %w[lo], #1\n"
                     "   sub %w[hi], %w[hi], #1\n"
                     "   stxp %w[f], %w[lo], %w[hi], [%[p]]\n"
                     "   cbnz %w[f], 1b\n"
                     : [lo] "=&r"(lo), [hi] "=&r"(hi), [f] "=&r"(fail) : [p] "r"(pair_w) : "memory");
}

static void *worker(void *arg)
{
    uint64_t id = (uint64_t)(uintptr_t)arg;
    for (int i = 0; i < ITERS; i++) {
        uint64_t one = 1, old;
        __asm__ volatile("ldaddal %x[v], %x[o], [%[p]]" : [o] "=&r"(old) : [v] "r"(one), [p] "r"(&add_counter) : "memory");
        __asm__ volatile("stadd %w[v], [%[p]]" : : [v] "r"(2), [p] "r"(&stadd_counter) : "memory");
        uint64_t seen = __atomic_load_n(&cas_counter, __ATOMIC_RELAXED);
        for (;;) {
            uint64_t s = seen;
            __asm__ volatile("casal %x[s], %x[t], [%[p]]" : [s] "+r"(s) : [t] "r"(seen + 1), [p] "r"(&cas_counter) : "memory");
            if (s == seen) {
                break;
            }
            seen = s;
        }
        uint32_t prev;
        do {
            __asm__ volatile("swpa %w[v], %w[o], [%[p]]" : [o] "=&r"(prev) : [v] "r"(1), [p] "r"(&lock_word) : "memory");
        } while (prev);
        locked_counter++;
        __asm__ volatile("stlr wzr, [%[p]]" : : [p] "r"(&lock_word) : "memory");
        uint64_t mine = id * ITERS + (uint64_t)i;
        __asm__ volatile("stumaxl %x[v], [%[p]]" : : [v] "r"(mine), [p] "r"(&max_seen) : "memory");
        pair_add_x();
        pair_add_w();
    }
    return NULL;
}

static void test_threads(void)
{
    pthread_t t[THREADS];
    int started = 0;
    for (; started < THREADS; started++) {
        if (pthread_create(&t[started], NULL, worker, (void *)(uintptr_t)started) != 0) {
            break;
        }
    }
    if (started < THREADS) {
        fprintf(stderr, "SKIP threads: pthread_create failed after %d threads "
                        "(multi-threaded part not checked)\n", started);
    }
    for (int i = 0; i < started; i++) {
        pthread_join(t[i], NULL);
    }
    if (started < THREADS) {
        return;
    }
    uint64_t n = (uint64_t)THREADS * ITERS;
    check(add_counter == n, "threads ldaddal", n, 0, add_counter, n);
    check(stadd_counter == 2 * n, "threads stadd", n, 0, stadd_counter, 2 * n);
    check(cas_counter == n, "threads casal", n, 0, cas_counter, n);
    check(locked_counter == n, "threads swpa lock", n, 0, locked_counter, n);
    check(max_seen == n - 1, "threads stumaxl", n, 0, max_seen, n - 1);
    check(pair_x[0] == n && pair_x[1] == 3 * n, "threads ldaxp/stlxp", pair_x[0], pair_x[1], pair_x[0], n);
    check(pair_w[0] == (uint32_t)n && pair_w[1] == (uint32_t)-n, "threads ldxp/stxp w", pair_w[0], pair_w[1], pair_w[0], n);
}

int main(void)
{
    unsigned long hwcap = getauxval(AT_HWCAP);
    if (!(hwcap & CAP_ATOMICS)) {
        printf("FAIL: HWCAP_ATOMICS not advertised\n");
        return 1;
    }
    for (unsigned i = 0; i < sizeof(amos) / sizeof(amos[0]); i++) {
        test_amo(&amos[i]);
    }
    printf("ld<op>/swp: %u forms\n", (unsigned)(sizeof(amos) / sizeof(amos[0])));
    for (unsigned i = 0; i < sizeof(sts) / sizeof(sts[0]); i++) {
        test_st(&sts[i]);
    }
    printf("st<op> and Rt=zr: %u forms\n", (unsigned)(sizeof(sts) / sizeof(sts[0])));
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        test_cas(&cases[i]);
    }
    printf("cas: %u forms\n", (unsigned)(sizeof(cases) / sizeof(cases[0])));
    for (unsigned i = 0; i < sizeof(casps) / sizeof(casps[0]); i++) {
        test_casp(&casps[i]);
    }
    printf("casp: %u forms\n", (unsigned)(sizeof(casps) / sizeof(casps[0])));
    test_builtins_8();
    test_builtins_16();
    test_builtins_32();
    test_builtins_64();
    printf("__atomic builtins: 4 sizes\n");
    if (hwcap & CAP_ILRCPC) {
        test_rcpc2();
    } else {
        fprintf(stderr, "SKIP ldapur/stlur: HWCAP_ILRCPC not advertised\n");
    }
    test_threads();
    printf("%s: %ld checks, %d failures\n", failures ? "FAIL" : "ok", checks, failures);
    return failures != 0;
}
