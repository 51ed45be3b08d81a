/*
 * Lowering of the crypto vector ops to AES-NI and PCLMULQDQ.
 *
 * Arm and x86 split an AES round differently.  Arm's AESE is AddRoundKey
 * followed by SubBytes and ShiftRows (MixColumns is the separate AESMC);
 * x86's AESENCLAST is ShiftRows and SubBytes followed by AddRoundKey.  So
 *   AESE(d, k)  = AESENCLAST(d ^ k, 0)          AESD(d, k) = AESDECLAST(d ^ k, 0)
 *   AESMC(x)    = AESENC(AESDECLAST(x, 0), 0)   (the inverse steps cancel
 *                 SubBytes and ShiftRows, leaving MixColumns)
 *   AESIMC(x)   = AESIMC(x)
 * Both architectures keep the AES state in a 128-bit register with byte i
 * holding state byte i in FIPS-197 column-major order.  A host without
 * AES-NI or PCLMULQDQ gets no lowering (the guest sees SIGILL).
 */
#include "host/x86_64/host-cpu.h"
#include "host/x86_64/lower-vec.h"

enum {
    OP_AESIMC = 0xdb, OP_AESENC = 0xdc, OP_AESENCLAST = 0xdd,
    OP_AESDEC = 0xde, OP_AESDECLAST = 0xdf, OP_PCLMULQDQ = 0x44,
};

static void lower_aes_round(const VecOp *v, uint8_t last_op)
{
    CodeBuf *cb = v->cb;
    uint32_t aux = v->in->aux;
    x86_movdqa_load(cb, 0, vreg(va_d(aux)));
    pxor(cb, 0, vreg(va_n(aux)));
    pxor_rr(cb, 1, 1);
    sse66_38(cb, last_op, 0, xr(1));
    x86_movdqa_store(cb, vreg(va_d(aux)), 0);
}

static void lower_aes_mix(const VecOp *v)
{
    CodeBuf *cb = v->cb;
    uint32_t aux = v->in->aux;
    if (v->in->op == IR_VAESIMC) {
        sse66_38(cb, OP_AESIMC, 0, vreg(va_n(aux)));
    } else {
        x86_movdqa_load(cb, 0, vreg(va_n(aux)));
        pxor_rr(cb, 1, 1);
        sse66_38(cb, OP_AESDECLAST, 0, xr(1));
        sse66_38(cb, OP_AESENC, 0, xr(1));
    }
    x86_movdqa_store(cb, vreg(va_d(aux)), 0);
}

static void lower_pmull64(const VecOp *v)
{
    CodeBuf *cb = v->cb;
    uint32_t aux = v->in->aux;
    uint8_t lanes = (aux & VA_HIGH) ? 0x11 : 0x00;
    x86_movdqa_load(cb, 0, vreg(va_n(aux)));
    sse66_3a(cb, OP_PCLMULQDQ, 0, vreg(va_m(aux)), lanes);
    x86_movdqa_store(cb, vreg(va_d(aux)), 0);
}

bool lower_vec_crypto(const VecOp *v)
{
    switch (v->in->op) {
    case IR_VAESE:
    case IR_VAESD:
    case IR_VAESMC:
    case IR_VAESIMC:
        if (!host_cpu()->aes) {
            return false;
        }
        if (v->in->op == IR_VAESE || v->in->op == IR_VAESD) {
            lower_aes_round(v, v->in->op == IR_VAESE ? OP_AESENCLAST : OP_AESDECLAST);
        } else {
            lower_aes_mix(v);
        }
        return true;
    case IR_VPMULL64:
        if (!host_cpu()->pclmul) {
            return false;
        }
        lower_pmull64(v);
        return true;
    default:
        return false;
    }
}
