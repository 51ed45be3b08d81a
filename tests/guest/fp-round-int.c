/*
 * Scalar FP edge values through the ops ferry runs inline with an exact
 * rare path: FCVT[NPMZA][SU] to W/X (also fixed-point), FRINT[NPMZAXI],
 * FMIN/FMAX/FMINNM/FMAXNM, FCCMP/FCCMPE, and the AdvSIMD scalar forms
 * FCVT[NPMZA][SU] Sd/Dd and SCVTF/UCVTF Sd/Dd (integer bits in V); and
 * vector FRINT[NPMZXI] .2d/.4s.  Values sit at the integer
 * limits, ties, infinities, NaNs and denormals, plus a pseudo-random
 * spread; each result and the FPSR after it are hashed, per FPCR setting
 * (the four rounding modes, FZ, DN).  Run with an argument for a listing.
 */
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <arm_neon.h>
static void set_fpcr(uint64_t v) { __asm__ volatile("msr fpcr, %0" :: "r"(v)); }
static void clr_fpsr(void) { __asm__ volatile("msr fpsr, xzr"); }
static uint64_t get_fpsr(void) { uint64_t v; __asm__ volatile("mrs %0, fpsr" : "=r"(v)); return v; }
static uint64_t h = 1469598103934665603ull;
static unsigned long n_out;
static void mix(uint64_t v) { h = (h ^ v) * 1099511628211ull; n_out++; }
double vals[400]; int nv;
static void add(double d) { vals[nv++] = d; }
static double fromb(uint64_t b) { double d; memcpy(&d, &b, 8); return d; }
#define T1(INS) \
  { uint64_t r; clr_fpsr(); __asm__ volatile(INS : "=r"(r) : "w"(d), "w"(f)); mix(r); mix(get_fpsr()); if (verbose) printf("%-22s %016llx -> %016llx fpsr %llx\n", INS, (unsigned long long)db, (unsigned long long)r, (unsigned long long)get_fpsr()); }
#define V1(INS) \
  { double r; float rf; clr_fpsr(); __asm__ volatile(INS : "=w"(r), "=w"(rf) : "w"(d), "w"(f)); uint64_t rb; uint32_t rfb; memcpy(&rb,&r,8); memcpy(&rfb,&rf,4); mix(rb); mix(rfb); mix(get_fpsr()); if (verbose) printf("%-22s %016llx -> %016llx %08x fpsr %llx\n", INS, (unsigned long long)db, (unsigned long long)rb, rfb, (unsigned long long)get_fpsr()); }
int main(int argc, char **argv)
{
    int verbose = argc > 1;
    double base[] = { 0, 0.25, 0.5, 0.75, 1, 1.5, 2.5, 3.5, 0.49999999999999994, 1.0000000000000002,
        2147483646.5, 2147483647, 2147483647.25, 2147483647.5, 2147483647.75, 2147483648.0, 2147483648.5,
        2147483649.0, 4294967294.5, 4294967295.0, 4294967295.5, 4294967296.0, 4294967296.5,
        4503599627370495.5, 4503599627370496.0, 4503599627370497.0, 9007199254740993.0,
        9223372036854774784.0, 9223372036854775808.0, 18446744073709549568.0, 18446744073709551616.0,
        1e300, 8388607.5, 8388608.0, 16777215.0, 3e-310, 1e-40, 123456.789 };
    for (unsigned i = 0; i < sizeof(base)/sizeof(base[0]); i++) { add(base[i]); add(-base[i]); }
    add(fromb(0x7ff0000000000000ull)); add(fromb(0xfff0000000000000ull));
    add(fromb(0x7ff8000000000001ull)); add(fromb(0x7ff0000000000001ull)); add(fromb(0xfff4000000000000ull));
    add(fromb(0x0000000000000001ull)); add(fromb(0x8010000000000000ull));
    uint64_t seed = 88172645463325252ull;
    while (nv < 400) {
        seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17;
        int sh = (int)(seed & 63), sc = (int)((seed >> 6) & 31);
        double d = (double)((int64_t)seed >> sh);
        for (int i = 0; i < sc; i++) d *= 0.5;
        if ((seed >> 11) % 5 == 0) d = ((seed >> 12) & 1 ? -1 : 1) * ((seed >> 14) & 1 ? 2147483648.0 : 4294967296.0) + (double)((int64_t)seed >> 50) / 4.0;
        add(d);
    }
    static const uint64_t fpcrs[] = { 0, 1u<<22, 2u<<22, 3u<<22, 1u<<24, 1u<<25, (1u<<24)|(1u<<25)|(3u<<22), (2u<<22)|(1u<<25) };
    for (unsigned c = 0; c < 8; c++) {
        set_fpcr(fpcrs[c]);
        if (verbose) printf("FPCR %llx\n", (unsigned long long)fpcrs[c]);
        for (int i = 0; i < nv; i++) {
            double d = vals[i]; float f; uint64_t db; memcpy(&db, &d, 8);
            /* single: the same value rounded, and NaN payload kept */
            uint32_t fb = (uint32_t)(db >> 32) ^ (uint32_t)db; f = (float)d; if (d != d) memcpy(&f, &fb, 4), fb |= 0x7f800001u, memcpy(&f, &fb, 4);
            T1("fcvtzs %w0, %d1") T1("fcvtzu %w0, %d1") T1("fcvtzs %x0, %d1") T1("fcvtzu %x0, %d1")
            T1("fcvtms %w0, %d1") T1("fcvtmu %w0, %d1") T1("fcvtms %x0, %d1") T1("fcvtmu %x0, %d1")
            T1("fcvtps %w0, %d1") T1("fcvtpu %w0, %d1") T1("fcvtps %x0, %d1") T1("fcvtpu %x0, %d1")
            T1("fcvtns %w0, %d1") T1("fcvtnu %w0, %d1") T1("fcvtns %x0, %d1") T1("fcvtnu %x0, %d1")
            T1("fcvtas %w0, %d1") T1("fcvtau %w0, %d1") T1("fcvtas %x0, %d1") T1("fcvtau %x0, %d1")
            T1("fcvtzs %w0, %s2") T1("fcvtzu %w0, %s2") T1("fcvtzs %x0, %s2") T1("fcvtzu %x0, %s2")
            T1("fcvtms %w0, %s2") T1("fcvtps %x0, %s2") T1("fcvtns %w0, %s2") T1("fcvtau %x0, %s2") T1("fcvtas %w0, %s2")
            T1("fcvtzs %w0, %d1, #1") T1("fcvtzs %w0, %d1, #31") T1("fcvtzu %w0, %d1, #32") T1("fcvtzs %x0, %d1, #7")
            T1("fcvtzu %x0, %d1, #64") T1("fcvtzs %x0, %d1, #64") T1("fcvtzs %x0, %s2, #40") T1("fcvtzu %w0, %s2, #3")
            V1("frintn %d0, %d2\n frintn %s1, %s3") V1("frintp %d0, %d2\n frintp %s1, %s3")
            V1("frintm %d0, %d2\n frintm %s1, %s3") V1("frintz %d0, %d2\n frintz %s1, %s3")
            V1("frinta %d0, %d2\n frinta %s1, %s3") V1("frintx %d0, %d2\n frintx %s1, %s3")
            V1("frinti %d0, %d2\n frinti %s1, %s3")
            V1("fcvtzs %d0, %d2\n fcvtzu %s1, %s3") V1("fcvtns %d0, %d2\n fcvtas %s1, %s3")
            V1("fcvtmu %d0, %d2\n fcvtps %s1, %s3") V1("fcvtau %d0, %d2\n fcvtpu %s1, %s3")
            V1("scvtf %d0, %d2\n ucvtf %s1, %s3") V1("ucvtf %d0, %d2\n scvtf %s1, %s3")
            {   /* vector FRINT[NPMZXI] .2d / .4s */
                double e = vals[(i * 5 + 1) % nv];
                float64x2_t vd = { d, e };
                float32x4_t vf = { f, (float)e, (float)-d, f * 0.5f };
                float64x2_t rd[6]; float32x4_t rf[6];
#define VR(k, fn) { clr_fpsr(); __asm__ volatile("" : "+w"(vd), "+w"(vf)); rd[k] = fn##q_f64(vd); mix(get_fpsr()); \
                    clr_fpsr(); rf[k] = fn##q_f32(vf); mix(get_fpsr()); }
                VR(0, vrndn) VR(1, vrndm) VR(2, vrndp) VR(3, vrnd) VR(4, vrndx) VR(5, vrndi)
                for (int k = 0; k < 6; k++) {
                    uint64_t b[2]; uint32_t c[4];
                    memcpy(b, &rd[k], 16); memcpy(c, &rf[k], 16);
                    mix(b[0]); mix(b[1]); mix(c[0]); mix(c[1]); mix(c[2]); mix(c[3]);
                }
            }
            for (int j = 0; j < nv; j += 3) {
                double e = vals[(i * 7 + j) % nv]; float g = (float)e;
#define B2(INS) { double r; float rf; clr_fpsr(); __asm__ volatile(INS : "=&w"(r), "=&w"(rf) : "w"(d), "w"(f), "w"(e), "w"(g)); uint64_t rb; uint32_t rfb; memcpy(&rb,&r,8); memcpy(&rfb,&rf,4); mix(rb); mix(rfb); mix(get_fpsr()); }
                B2("fmin %d0, %d2, %d4\n fmin %s1, %s3, %s5") B2("fmax %d0, %d2, %d4\n fmax %s1, %s3, %s5")
                B2("fminnm %d0, %d2, %d4\n fminnm %s1, %s3, %s5") B2("fmaxnm %d0, %d2, %d4\n fmaxnm %s1, %s3, %s5")
                { uint64_t r; clr_fpsr(); __asm__ volatile("cmp %x5, #3\n fccmp %d1, %d2, #5, lt\n fccmpe %s3, %s4, #10, ge\n mrs %0, nzcv" : "=r"(r) : "w"(d), "w"(e), "w"(f), "w"(g), "r"((uint64_t)j) : "cc"); mix(r); mix(get_fpsr()); }
                { uint64_t r; clr_fpsr(); __asm__ volatile("fccmpe %d1, %d2, #3, al\n mrs %0, nzcv" : "=r"(r) : "w"(d), "w"(e) : "cc"); mix(r); mix(get_fpsr()); }
            }
        }
        printf("fpcr %llx hash %016llx\n", (unsigned long long)fpcrs[c], (unsigned long long)h);
    }
    printf("outputs %lu hash %016llx\n", n_out, (unsigned long long)h);
    return 0;
}
