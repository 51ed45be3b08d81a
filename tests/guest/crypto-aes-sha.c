/*
 * The crypto extension through <arm_neon.h> intrinsics:
 *   AES-128/192/256 encryption and decryption of the FIPS-197 appendix C
 *   vectors (AESE/AESMC, AESD/AESIMC), and each AES instruction against a
 *   plain C model of SubBytes/ShiftRows/MixColumns (the S-box built from the
 *   GF(2^8) inverse and the affine map);
 *   SHA-1 and SHA-256 of "abc" and of the 448-bit FIPS 180 message,
 *   compared with the published digests;
 *   PMULL/PMULL2 (64-bit and 8-bit) and PMUL against a C carry-less multiply;
 *   a hash of every instruction's results on pseudo-random inputs (compared
 *   with the reference emulator through the .expected file).
 */
#pragma GCC target("arch=armv8-a+crypto")
#include <arm_neon.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>

static int failures;

static void expect_hex(const char *what, const uint8_t *got, size_t n, const char *want)
{
    char hex[129];
    for (size_t i = 0; i < n; i++) {
        sprintf(hex + 2 * i, "%02x", got[i]);
    }
    int ok = strcmp(hex, want) == 0;
    printf("%-22s %s %s\n", what, hex, ok ? "ok" : "FAIL");
    failures += !ok;
}

static uint64_t rng = 0x243f6a8885a308d3ull;
static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static uint8x16_t random_vec(void)
{
    uint64_t v[2] = { next_random(), next_random() };
    return vreinterpretq_u8_u64(vld1q_u64(v));
}

/* ---- AES model ------------------------------------------------------------ */

static uint8_t gf_mul(uint8_t a, uint8_t b)
{
    uint8_t r = 0;
    while (b) {
        if (b & 1) {
            r ^= a;
        }
        a = (uint8_t)((a << 1) ^ ((a & 0x80) ? 0x1b : 0));
        b >>= 1;
    }
    return r;
}

static uint8_t sbox[256], inv_sbox[256];

static void build_sboxes(void)
{
    for (int x = 0; x < 256; x++) {
        uint8_t inv = 0;
        for (int y = 1; y < 256 && x; y++) {
            if (gf_mul((uint8_t)x, (uint8_t)y) == 1) {
                inv = (uint8_t)y;
            }
        }
        uint8_t s = inv;
        for (int k = 1; k < 5; k++) {
            s ^= (uint8_t)((inv << k) | (inv >> (8 - k)));
        }
        s ^= 0x63;
        sbox[x] = s;
        inv_sbox[s] = (uint8_t)x;
    }
}

/* State byte i = row i % 4, column i / 4. */
static void shift_rows(uint8_t *s, int inverse)
{
    uint8_t t[16];
    for (int c = 0; c < 4; c++) {
        for (int r = 0; r < 4; r++) {
            int from = inverse ? (c - r + 4) % 4 : (c + r) % 4;
            t[4 * c + r] = s[4 * from + r];
        }
    }
    memcpy(s, t, 16);
}

static void mix_columns(uint8_t *s, int inverse)
{
    static const uint8_t fwd[4] = { 2, 3, 1, 1 }, inv[4] = { 14, 11, 13, 9 };
    const uint8_t *m = inverse ? inv : fwd;
    for (int c = 0; c < 4; c++) {
        uint8_t col[4], out[4];
        memcpy(col, s + 4 * c, 4);
        for (int r = 0; r < 4; r++) {
            out[r] = 0;
            for (int k = 0; k < 4; k++) {
                out[r] ^= gf_mul(m[(k - r + 4) % 4], col[k]);
            }
        }
        memcpy(s + 4 * c, out, 4);
    }
}

static void model_aese(uint8_t *s, const uint8_t *k)
{
    for (int i = 0; i < 16; i++) {
        s[i] = sbox[s[i] ^ k[i]];
    }
    shift_rows(s, 0);
}

static void model_aesd(uint8_t *s, const uint8_t *k)
{
    for (int i = 0; i < 16; i++) {
        s[i] ^= k[i];
    }
    shift_rows(s, 1);
    for (int i = 0; i < 16; i++) {
        s[i] = inv_sbox[s[i]];
    }
}

static void check_aes_insns(void)
{
    int bad = 0;
    for (int i = 0; i < 200; i++) {
        uint8x16_t a = random_vec(), b = random_vec();
        uint8_t sa[16], sb[16], got[16], want[16];
        vst1q_u8(sa, a);
        vst1q_u8(sb, b);
        memcpy(want, sa, 16); model_aese(want, sb);
        vst1q_u8(got, vaeseq_u8(a, b));
        bad += memcmp(got, want, 16) != 0;
        memcpy(want, sa, 16); model_aesd(want, sb);
        vst1q_u8(got, vaesdq_u8(a, b));
        bad += memcmp(got, want, 16) != 0;
        memcpy(want, sa, 16); mix_columns(want, 0);
        vst1q_u8(got, vaesmcq_u8(a));
        bad += memcmp(got, want, 16) != 0;
        memcpy(want, sa, 16); mix_columns(want, 1);
        vst1q_u8(got, vaesimcq_u8(a));
        bad += memcmp(got, want, 16) != 0;
    }
    printf("%-22s %s\n", "aes insns vs model", bad ? "FAIL" : "ok");
    failures += bad != 0;
}

/* ---- AES with the FIPS-197 appendix C vectors ------------------------------ */

static int expand_key(const uint8_t *key, int nk, uint8_t rk[15][16])
{
    int nr = nk + 6;
    uint8_t w[60][4];
    uint8_t rcon = 1;
    memcpy(w, key, 4 * (size_t)nk);
    for (int i = nk; i < 4 * (nr + 1); i++) {
        uint8_t t[4];
        memcpy(t, w[i - 1], 4);
        if (i % nk == 0) {
            uint8_t t0 = t[0];
            t[0] = sbox[t[1]] ^ rcon;
            t[1] = sbox[t[2]];
            t[2] = sbox[t[3]];
            t[3] = sbox[t0];
            rcon = gf_mul(rcon, 2);
        } else if (nk > 6 && i % nk == 4) {
            for (int k = 0; k < 4; k++) {
                t[k] = sbox[t[k]];
            }
        }
        for (int k = 0; k < 4; k++) {
            w[i][k] = w[i - nk][k] ^ t[k];
        }
    }
    memcpy(rk, w, 16 * (size_t)(nr + 1));
    return nr;
}

static void aes_vectors(int nk, const char *want_ct)
{
    uint8_t key[32], pt[16], ct[16], back[16], rk[15][16];
    for (int i = 0; i < 32; i++) {
        key[i] = (uint8_t)i;
    }
    for (int i = 0; i < 16; i++) {
        pt[i] = (uint8_t)(0x11 * i);
    }
    int nr = expand_key(key, nk, rk);

    uint8x16_t s = vld1q_u8(pt);
    for (int r = 0; r < nr - 1; r++) {
        s = vaesmcq_u8(vaeseq_u8(s, vld1q_u8(rk[r])));
    }
    s = veorq_u8(vaeseq_u8(s, vld1q_u8(rk[nr - 1])), vld1q_u8(rk[nr]));
    vst1q_u8(ct, s);
    char name[32];
    snprintf(name, sizeof(name), "aes-%d encrypt", nk * 32);
    expect_hex(name, ct, 16, want_ct);

    /* equivalent inverse cipher: round keys 1..nr-1 through InvMixColumns */
    s = vaesdq_u8(vld1q_u8(ct), vld1q_u8(rk[nr]));
    for (int r = nr - 1; r >= 1; r--) {
        s = vaesdq_u8(vaesimcq_u8(s), vaesimcq_u8(vld1q_u8(rk[r])));
    }
    s = veorq_u8(s, vld1q_u8(rk[0]));
    vst1q_u8(back, s);
    snprintf(name, sizeof(name), "aes-%d decrypt", nk * 32);
    expect_hex(name, back, 16, "00112233445566778899aabbccddeeff");
}

/* ---- SHA-1 and SHA-256 ------------------------------------------------------ */

static size_t pad_message(const char *msg, uint8_t *out)
{
    size_t n = strlen(msg), total = ((n + 8) / 64 + 1) * 64;
    memset(out, 0, total);
    memcpy(out, msg, n);
    out[n] = 0x80;
    uint64_t bits = (uint64_t)n * 8;
    for (int i = 0; i < 8; i++) {
        out[total - 1 - i] = (uint8_t)(bits >> (8 * i));
    }
    return total;
}

static uint32x4_t load_be_words(const uint8_t *p)
{
    return vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(p)));
}

static void sha1(const char *msg, uint8_t digest[20])
{
    static const uint32_t k[4] = { 0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6 };
    uint32_t state[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0 };
    uint8_t buf[192];
    size_t len = pad_message(msg, buf);
    for (size_t off = 0; off < len; off += 64) {
        uint32x4_t w[20];
        for (int i = 0; i < 4; i++) {
            w[i] = load_be_words(buf + off + 16 * i);
        }
        for (int i = 4; i < 20; i++) {
            w[i] = vsha1su1q_u32(vsha1su0q_u32(w[i - 4], w[i - 3], w[i - 2]), w[i - 1]);
        }
        uint32x4_t abcd = vld1q_u32(state);
        uint32_t e = state[4];
        for (int g = 0; g < 20; g++) {
            uint32x4_t wk = vaddq_u32(w[g], vdupq_n_u32(k[g / 5]));
            uint32_t e_next = vsha1h_u32(vgetq_lane_u32(abcd, 0));
            if (g < 5) {
                abcd = vsha1cq_u32(abcd, e, wk);
            } else if (g >= 10 && g < 15) {
                abcd = vsha1mq_u32(abcd, e, wk);
            } else {
                abcd = vsha1pq_u32(abcd, e, wk);
            }
            e = e_next;
        }
        vst1q_u32(state, vaddq_u32(vld1q_u32(state), abcd));
        state[4] += e;
    }
    for (int i = 0; i < 20; i++) {
        digest[i] = (uint8_t)(state[i / 4] >> (24 - 8 * (i % 4)));
    }
}

/* FIPS 180-4 section 4.2.2. */
static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static void sha256(const char *msg, uint8_t digest[32])
{
    uint32_t state[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                          0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    uint8_t buf[192];
    size_t len = pad_message(msg, buf);
    for (size_t off = 0; off < len; off += 64) {
        uint32x4_t w[16];
        for (int i = 0; i < 4; i++) {
            w[i] = load_be_words(buf + off + 16 * i);
        }
        for (int i = 4; i < 16; i++) {
            w[i] = vsha256su1q_u32(vsha256su0q_u32(w[i - 4], w[i - 3]), w[i - 2], w[i - 1]);
        }
        uint32x4_t abcd = vld1q_u32(state), efgh = vld1q_u32(state + 4);
        for (int g = 0; g < 16; g++) {
            uint32x4_t wk = vaddq_u32(w[g], vld1q_u32(sha256_k + 4 * g));
            uint32x4_t abcd_before = abcd;
            abcd = vsha256hq_u32(abcd, efgh, wk);
            efgh = vsha256h2q_u32(efgh, abcd_before, wk);
        }
        vst1q_u32(state, vaddq_u32(vld1q_u32(state), abcd));
        vst1q_u32(state + 4, vaddq_u32(vld1q_u32(state + 4), efgh));
    }
    for (int i = 0; i < 32; i++) {
        digest[i] = (uint8_t)(state[i / 4] >> (24 - 8 * (i % 4)));
    }
}

/* ---- polynomial multiplies ------------------------------------------------- */

static void clmul64(uint64_t a, uint64_t b, uint64_t *lo, uint64_t *hi)
{
    *lo = *hi = 0;
    for (int i = 0; i < 64; i++) {
        if ((b >> i) & 1) {
            *lo ^= a << i;
            *hi ^= i ? a >> (64 - i) : 0;
        }
    }
}

static void check_pmull(void)
{
    int bad = 0;
    for (int i = 0; i < 300; i++) {
        uint64_t a0 = next_random(), a1 = next_random(), b0 = next_random(), b1 = next_random();
        if (i == 0) {
            a0 = b0 = a1 = b1 = ~0ull;
        }
        uint64_t lo, hi, got[2];
        clmul64(a0, b0, &lo, &hi);
        vst1q_u64(got, vreinterpretq_u64_p128(vmull_p64(a0, b0)));
        bad += got[0] != lo || got[1] != hi;
        uint64_t av[2] = { a0, a1 }, bv[2] = { b0, b1 };
        poly64x2_t pa = vreinterpretq_p64_u64(vld1q_u64(av)), pb = vreinterpretq_p64_u64(vld1q_u64(bv));
        clmul64(a1, b1, &lo, &hi);
        vst1q_u64(got, vreinterpretq_u64_p128(vmull_high_p64(pa, pb)));
        bad += got[0] != lo || got[1] != hi;

        poly8x16_t x = vreinterpretq_p8_u64(vld1q_u64(av)), y = vreinterpretq_p8_u64(vld1q_u64(bv));
        uint8_t xb[16], yb[16];
        vst1q_u8(xb, vreinterpretq_u8_p8(x));
        vst1q_u8(yb, vreinterpretq_u8_p8(y));
        uint16_t wide[8], wide2[8];
        uint8_t narrow[16], narrow_d[8];
        vst1q_u16(wide, vreinterpretq_u16_p16(vmull_p8(vget_low_p8(x), vget_low_p8(y))));
        vst1q_u16(wide2, vreinterpretq_u16_p16(vmull_high_p8(x, y)));
        vst1q_u8(narrow, vreinterpretq_u8_p8(vmulq_p8(x, y)));
        vst1_u8(narrow_d, vreinterpret_u8_p8(vmul_p8(vget_high_p8(x), vget_low_p8(y))));
        for (int k = 0; k < 16; k++) {
            uint64_t l, h;
            clmul64(xb[k], yb[k], &l, &h);
            if (k < 8) {
                bad += wide[k] != (uint16_t)l;
                uint64_t l2;
                clmul64(xb[k + 8], yb[k], &l2, &h);
                bad += narrow_d[k] != (uint8_t)l2;
            } else {
                bad += wide2[k - 8] != (uint16_t)l;
            }
            bad += narrow[k] != (uint8_t)l;
        }
    }
    printf("%-22s %s\n", "pmull/pmul vs model", bad ? "FAIL" : "ok");
    failures += bad != 0;
}

/* ---- result hashes for the reference comparison ---------------------------- */

static uint64_t fnv(uint64_t h, uint32x4_t v)
{
    uint8_t b[16];
    vst1q_u8(b, vreinterpretq_u8_u32(v));
    for (int i = 0; i < 16; i++) {
        h = (h ^ b[i]) * 0x100000001b3ull;
    }
    return h;
}

static void hash_sha_insns(void)
{
    uint64_t h[10];
    for (int k = 0; k < 10; k++) {
        h[k] = 0xcbf29ce484222325ull;
    }
    for (int i = 0; i < 100; i++) {
        uint32x4_t a = vreinterpretq_u32_u8(random_vec()), b = vreinterpretq_u32_u8(random_vec());
        uint32x4_t c = vreinterpretq_u32_u8(random_vec());
        uint32_t e = (uint32_t)next_random();
        h[0] = fnv(h[0], vsha1cq_u32(a, e, b));
        h[1] = fnv(h[1], vsha1pq_u32(a, e, b));
        h[2] = fnv(h[2], vsha1mq_u32(a, e, b));
        h[3] = fnv(h[3], vdupq_n_u32(vsha1h_u32(e)));
        h[4] = fnv(h[4], vsha1su0q_u32(a, b, c));
        h[5] = fnv(h[5], vsha1su1q_u32(a, b));
        h[6] = fnv(h[6], vsha256hq_u32(a, b, c));
        h[7] = fnv(h[7], vsha256h2q_u32(a, b, c));
        h[8] = fnv(h[8], vsha256su0q_u32(a, b));
        h[9] = fnv(h[9], vsha256su1q_u32(a, b, c));
    }
    static const char *const names[10] = {
        "sha1c", "sha1p", "sha1m", "sha1h", "sha1su0", "sha1su1",
        "sha256h", "sha256h2", "sha256su0", "sha256su1",
    };
    for (int k = 0; k < 10; k++) {
        printf("%-22s %016llx\n", names[k], (unsigned long long)h[k]);
    }
}

int main(void)
{
    unsigned long hwcap = getauxval(AT_HWCAP);
    const unsigned long need = (1ul << 3) | (1ul << 4) | (1ul << 5) | (1ul << 6); /* aes pmull sha1 sha2 */
    if ((hwcap & need) != need) {
        printf("FAIL: HWCAP lacks aes/pmull/sha1/sha2 (%lx)\n", hwcap);
        return 1;
    }
    build_sboxes();
    check_aes_insns();
    aes_vectors(4, "69c4e0d86a7b0430d8cdb78070b4c55a");
    aes_vectors(6, "dda97ca4864cdfe06eaf70a0ec0d7191");
    aes_vectors(8, "8ea2b7ca516745bfeafc49904b496089");

    uint8_t d[32];
    sha1("abc", d);
    expect_hex("sha1(abc)", d, 20, "a9993e364706816aba3e25717850c26c9cd0d89d");
    sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", d);
    expect_hex("sha1(448 bits)", d, 20, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    sha256("abc", d);
    expect_hex("sha256(abc)", d, 32, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", d);
    expect_hex("sha256(448 bits)", d, 32, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    sha256("", d);
    expect_hex("sha256()", d, 32, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

    check_pmull();
    hash_sha_insns();
    printf("%s\n", failures ? "FAIL" : "ok");
    return failures != 0;
}
