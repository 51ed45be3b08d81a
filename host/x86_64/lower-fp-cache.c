/*
 * The per-block cache of scalar FP values in xmm5..xmm14 and the
 * out-of-line rare paths of the scalar FP ops (see lower-fp-cache.h), and
 * the thunk those rare paths call.
 */
#include "host/x86_64/lower-fp-cache.h"
#include "host/x86_64/lower-vec.h"

/* Called with the fp_nan_slow descriptor pushed on the stack (translated
 * code's rsp is 8 mod 16, so after the push and the call it is 8 mod 16
 * again, as at any function entry).  Saves the caller-saved registers the
 * integer lowering allocates and the cache registers xmm5..xmm14, calls
 * fp_nan_slow(env, desc), and pops the descriptor on return. */
__asm__(".text\n"
        ".p2align 4\n"
        ".globl ferry_fp_nan_thunk\n"
        ".hidden ferry_fp_nan_thunk\n"
        "ferry_fp_nan_thunk:\n"
        "  push %rcx\n  push %rdx\n  push %rsi\n  push %rdi\n"
        "  push %r8\n  push %r9\n  push %r10\n  push %r11\n"
        "  sub $168, %rsp\n"
        "  movdqa %xmm5, 0(%rsp)\n   movdqa %xmm6, 16(%rsp)\n"
        "  movdqa %xmm7, 32(%rsp)\n  movdqa %xmm8, 48(%rsp)\n"
        "  movdqa %xmm9, 64(%rsp)\n  movdqa %xmm10, 80(%rsp)\n"
        "  movdqa %xmm11, 96(%rsp)\n movdqa %xmm12, 112(%rsp)\n"
        "  movdqa %xmm13, 128(%rsp)\n movdqa %xmm14, 144(%rsp)\n"
        "  mov %r15, %rdi\n"
        "  mov 240(%rsp), %esi\n"
        "  call fp_nan_slow\n"
        "  movdqa 0(%rsp), %xmm5\n   movdqa 16(%rsp), %xmm6\n"
        "  movdqa 32(%rsp), %xmm7\n  movdqa 48(%rsp), %xmm8\n"
        "  movdqa 64(%rsp), %xmm9\n  movdqa 80(%rsp), %xmm10\n"
        "  movdqa 96(%rsp), %xmm11\n movdqa 112(%rsp), %xmm12\n"
        "  movdqa 128(%rsp), %xmm13\n movdqa 144(%rsp), %xmm14\n"
        "  add $168, %rsp\n"
        "  pop %r11\n  pop %r10\n  pop %r9\n  pop %r8\n"
        "  pop %rdi\n  pop %rsi\n  pop %rdx\n  pop %rcx\n"
        "  ret $8\n");

void fpc_reset(FpRegCache *c)
{
    for (int i = 0; i < FPC_N_XMM; i++) {
        c->holds[i] = 0;
    }
}

int fpc_find(FpRegCache *c, int vreg, int bits)
{
    for (int i = 0; i < FPC_N_XMM; i++) {
        if (c->holds[i] == vreg + 1 && (bits == 0 || c->bits[i] <= bits)) {
            c->used[i] = ++c->clock;
            return FPC_FIRST_XMM + i;
        }
    }
    return -1;
}

int fpc_claim(FpRegCache *c, uint16_t keep)
{
    int best = -1;
    for (int i = 0; i < FPC_N_XMM; i++) {
        int x = FPC_FIRST_XMM + i;
        if (keep & fpc_bit(x)) {
            continue;
        }
        if (!c->holds[i]) {
            return x;
        }
        if (best < 0 || c->used[i] < c->used[best - FPC_FIRST_XMM]) {
            best = x;
        }
    }
    return best;
}

void fpc_bind(FpRegCache *c, int xmm, int vreg, int bits)
{
    for (int i = 0; i < FPC_N_XMM; i++) {
        if (c->holds[i] == vreg + 1) {
            c->holds[i] = 0;
        }
    }
    int i = xmm - FPC_FIRST_XMM;
    c->holds[i] = (uint8_t)(vreg + 1);
    c->bits[i] = (uint8_t)bits;
    c->used[i] = ++c->clock;
}

static void emit_one_cold(CodeBuf *cb, const FpColdPath *p)
{
    for (int j = 0; j < 3; j++) {
        if (p->jump[j]) {
            vec_bind_rel32(cb, p->jump[j]);
        }
    }
    x86_push_imm32(cb, (int32_t)p->desc);
    x86_call_addr(cb, (uintptr_t)ferry_fp_nan_thunk);
    x86_movdqa_load(cb, p->xmm, vreg(p->vreg));
    x86_jmp(cb, cb_exec_addr(cb, p->resume));
}

void fpc_add_cold(CodeBuf *cb, FpRegCache *c, const FpColdPath *p)
{
    if (cb->overflow) {
        return;                         /* the block is retranslated */
    }
    if (c->n_cold < FPC_MAX_COLD) {
        c->cold[c->n_cold++] = *p;
        return;
    }
    uint8_t *over = x86_jmp8(cb);
    emit_one_cold(cb, p);
    x86_bind_rel8(cb, over);
}

void fpc_emit_cold(CodeBuf *cb, FpRegCache *c)
{
    for (uint32_t i = 0; i < c->n_cold && !cb->overflow; i++) {
        emit_one_cold(cb, &c->cold[i]);
    }
    c->n_cold = 0;
}
