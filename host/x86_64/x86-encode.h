/*
 * x86-64 instruction encoder: small pure functions that append the bytes of
 * one instruction to a CodeBuf.  Operands are described by X86Operand
 * (register / memory / immediate) so one function covers every combination
 * an instruction allows; the named wrappers at the bottom are one-liners.
 *
 * The code buffer is written through a writable view and executed through a
 * second, executable view of the same memory (W^X).  Relative branches are
 * computed against the executable address: exec = write + cb->exec_delta.
 */
#ifndef FERRY_HOST_X86_ENCODE_H
#define FERRY_HOST_X86_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum X86Reg {
    X86_RAX, X86_RCX, X86_RDX, X86_RBX, X86_RSP, X86_RBP, X86_RSI, X86_RDI,
    X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15,
    X86_NOREG = -1,
} X86Reg;

/* XMM registers are numbered 0..15 and passed where an X86Reg is expected
 * by the SSE functions. */

typedef enum X86Cond {
    X86_CC_O, X86_CC_NO, X86_CC_B, X86_CC_AE, X86_CC_E, X86_CC_NE, X86_CC_BE, X86_CC_A,
    X86_CC_S, X86_CC_NS, X86_CC_P, X86_CC_NP, X86_CC_L, X86_CC_GE, X86_CC_LE, X86_CC_G,
} X86Cond;

static inline X86Cond x86_cc_invert(X86Cond c) { return (X86Cond)(c ^ 1); }

typedef struct CodeBuf {
    uint8_t *start;         /* writable view */
    uint8_t *ptr;           /* next byte to write */
    uint8_t *end;
    intptr_t exec_delta;    /* executable address = writable address + exec_delta */
    bool overflow;          /* set instead of writing past end */
} CodeBuf;

static inline uintptr_t cb_exec_addr(const CodeBuf *cb, const uint8_t *w) { return (uintptr_t)w + cb->exec_delta; }
static inline size_t cb_offset(const CodeBuf *cb) { return (size_t)(cb->ptr - cb->start); }

typedef enum X86OpKind { X86_OP_REG, X86_OP_MEM, X86_OP_IMM } X86OpKind;

typedef struct X86Operand {
    X86OpKind kind;
    X86Reg reg;             /* X86_OP_REG */
    X86Reg base, index;     /* X86_OP_MEM: [base + index*scale + disp]; X86_NOREG if absent */
    uint8_t scale;          /* 1, 2, 4, 8 */
    int32_t disp;
    int64_t imm;            /* X86_OP_IMM */
} X86Operand;

static inline X86Operand x86_r(X86Reg r) { X86Operand o = { .kind = X86_OP_REG, .reg = r, .base = X86_NOREG, .index = X86_NOREG }; return o; }
static inline X86Operand x86_m(X86Reg base, int32_t disp) { X86Operand o = { .kind = X86_OP_MEM, .reg = X86_NOREG, .base = base, .index = X86_NOREG, .scale = 1, .disp = disp }; return o; }
static inline X86Operand x86_mi(X86Reg base, X86Reg index, int scale, int32_t disp) { X86Operand o = { .kind = X86_OP_MEM, .reg = X86_NOREG, .base = base, .index = index, .scale = (uint8_t)scale, .disp = disp }; return o; }
static inline X86Operand x86_i(int64_t imm) { X86Operand o = { .kind = X86_OP_IMM, .reg = X86_NOREG, .base = X86_NOREG, .index = X86_NOREG, .imm = imm }; return o; }

/* Raw bytes. */
void x86_byte(CodeBuf *cb, uint8_t b);
void x86_bytes(CodeBuf *cb, const uint8_t *p, size_t n);
void x86_u32(CodeBuf *cb, uint32_t v);
void x86_u64(CodeBuf *cb, uint64_t v);

/* Sizes are in bytes: 1, 2, 4 or 8.  4-byte results zero-extend (x86 rule). */

/* ADD OR ADC SBB AND SUB XOR CMP (group 1): dst op= src.
 * reg,reg / reg,mem / mem,reg / reg,imm / mem,imm; imm must fit in int32
 * (sign-extended); imm8 forms are chosen when they fit. */
typedef enum X86AluOp { X86_ADD, X86_OR, X86_ADC, X86_SBB, X86_AND, X86_SUB, X86_XOR, X86_CMP } X86AluOp;
void x86_alu(CodeBuf *cb, X86AluOp op, int size, X86Operand dst, X86Operand src);

/* MOV: reg<-reg/mem/imm, mem<-reg/imm(int32).  For reg<-imm the shortest
 * form is chosen (mov r32,imm32 for values < 2^32; mov r64,simm32; movabs). */
void x86_mov(CodeBuf *cb, int size, X86Operand dst, X86Operand src);
void x86_movzx(CodeBuf *cb, int dsize, int ssize, X86Reg dst, X86Operand src);   /* ssize 1, 2 */
void x86_movsx(CodeBuf *cb, int dsize, int ssize, X86Reg dst, X86Operand src);   /* ssize 1, 2, 4 (movsxd) */
void x86_lea(CodeBuf *cb, int size, X86Reg dst, X86Operand mem);
void x86_test(CodeBuf *cb, int size, X86Operand a, X86Operand b);            /* a: reg/mem, b: reg/imm */

typedef enum X86ShiftOp { X86_ROL = 0, X86_ROR = 1, X86_RCL = 2, X86_RCR = 3, X86_SHL = 4, X86_SHR = 5, X86_SAR = 7 } X86ShiftOp;
void x86_shift_imm(CodeBuf *cb, X86ShiftOp op, int size, X86Operand dst, uint8_t count);
void x86_shift_cl(CodeBuf *cb, X86ShiftOp op, int size, X86Operand dst);
/* BMI2 flagless shifts: dst = src shifted by count register. */
void x86_shlx(CodeBuf *cb, int size, X86Reg dst, X86Operand src, X86Reg count);
void x86_shrx(CodeBuf *cb, int size, X86Reg dst, X86Operand src, X86Reg count);
void x86_sarx(CodeBuf *cb, int size, X86Reg dst, X86Operand src, X86Reg count);
void x86_rorx(CodeBuf *cb, int size, X86Reg dst, X86Operand src, uint8_t count);
void x86_andn(CodeBuf *cb, int size, X86Reg dst, X86Reg src1, X86Operand src2); /* dst = ~src1 & src2 */

/* Group 3 (one operand): NOT NEG MUL IMUL DIV IDIV (rdx:rax forms). */
typedef enum X86UnaryOp { X86_NOT = 2, X86_NEG = 3, X86_MUL1 = 4, X86_IMUL1 = 5, X86_DIV = 6, X86_IDIV = 7 } X86UnaryOp;
void x86_unary(CodeBuf *cb, X86UnaryOp op, int size, X86Operand dst);
void x86_imul(CodeBuf *cb, int size, X86Reg dst, X86Operand src);                      /* dst *= src */
void x86_imul_imm(CodeBuf *cb, int size, X86Reg dst, X86Operand src, int32_t imm);     /* dst = src*imm */
void x86_mulx(CodeBuf *cb, int size, X86Reg hi, X86Reg lo, X86Operand src);            /* hi:lo = rdx * src */

void x86_bswap(CodeBuf *cb, int size, X86Reg r);          /* size 4 or 8 */
void x86_lzcnt(CodeBuf *cb, int size, X86Reg dst, X86Operand src);
void x86_tzcnt(CodeBuf *cb, int size, X86Reg dst, X86Operand src);
void x86_popcnt(CodeBuf *cb, int size, X86Reg dst, X86Operand src);
void x86_bsr(CodeBuf *cb, int size, X86Reg dst, X86Operand src);
void x86_bsf(CodeBuf *cb, int size, X86Reg dst, X86Operand src);     /* dst undefined for 0 (ZF set) */
void x86_bt_imm(CodeBuf *cb, int size, X86Operand a, uint8_t bit);
void x86_cmov(CodeBuf *cb, X86Cond cc, int size, X86Reg dst, X86Operand src);
void x86_setcc(CodeBuf *cb, X86Cond cc, X86Operand dst8);
void x86_xchg(CodeBuf *cb, int size, X86Operand a, X86Reg r);          /* implicitly locked for mem */
void x86_lock_cmpxchg(CodeBuf *cb, int size, X86Operand mem, X86Reg r);  /* compares with rax */
void x86_lock_xadd(CodeBuf *cb, int size, X86Operand mem, X86Reg r);
void x86_lock_alu(CodeBuf *cb, X86AluOp op, int size, X86Operand mem, X86Operand src);
void x86_lock_cmpxchg16b(CodeBuf *cb, X86Operand mem);
void x86_crc32(CodeBuf *cb, int size, X86Reg dst, X86Operand src);   /* SSE4.2 crc32 dst32, src (size 1/2/4/8) */

void x86_push(CodeBuf *cb, X86Reg r);
void x86_pop(CodeBuf *cb, X86Reg r);
void x86_push_imm32(CodeBuf *cb, int32_t imm);

/* Zero-operand instructions, one table in x86-encode.c. */
#define X86_SIMPLE_INSNS(X) \
    X(ret,     0xc3) X(lahf, 0x9f) X(sahf, 0x9e) X(cmc, 0xf5) X(clc, 0xf8) X(stc, 0xf9) \
    X(pushfq,  0x9c) X(popfq, 0x9d) X(int3, 0xcc) X(cdq, 0x99) X(cqo, 0x48, 0x99) \
    X(mfence,  0x0f, 0xae, 0xf0) X(lfence, 0x0f, 0xae, 0xe8) X(sfence, 0x0f, 0xae, 0xf8) \
    X(ud2,     0x0f, 0x0b) X(pause, 0xf3, 0x90) X(cpuid, 0x0f, 0xa2) X(rdtsc, 0x0f, 0x31) \
    X(syscall, 0x0f, 0x05)
#define X86_DECLARE_SIMPLE(name, ...) void x86_##name(CodeBuf *cb);
X86_SIMPLE_INSNS(X86_DECLARE_SIMPLE)
#undef X86_DECLARE_SIMPLE
void x86_nop(CodeBuf *cb, int len);     /* recommended multi-byte NOPs, any length */

/* Branches.  Targets are executable addresses.  The rel32 forms return the
 * writable address of their 4-byte displacement so it can be patched later
 * (x86_patch_rel32).  A target of 0 leaves a displacement to patch. */
uint8_t *x86_jmp(CodeBuf *cb, uintptr_t target);
uint8_t *x86_jcc(CodeBuf *cb, X86Cond cc, uintptr_t target);
uint8_t *x86_call(CodeBuf *cb, uintptr_t target);       /* rel32; caller checks reach */
void x86_call_abs(CodeBuf *cb, uintptr_t target);        /* movabs rax,target; call rax (clobbers rax) */
void x86_call_addr(CodeBuf *cb, uintptr_t target);       /* rel32 if in reach, else x86_call_abs */
void x86_mov_addr(CodeBuf *cb, X86Reg dst, uintptr_t addr); /* lea [rip+d32] if in reach, else movabs */
void x86_jmp_reg(CodeBuf *cb, X86Operand target);        /* jmp r/m64 */
void x86_call_reg(CodeBuf *cb, X86Operand target);       /* call r/m64 */
/* Short forward jumps inside one block: returns the writable address of the
 * rel8 byte; x86_bind_rel8 points it at the current position. */
uint8_t *x86_jmp8(CodeBuf *cb);
uint8_t *x86_jcc8(CodeBuf *cb, X86Cond cc);
void x86_bind_rel8(CodeBuf *cb, uint8_t *rel8);
/* Point a rel32 displacement (writable address `disp`) at executable `target`.
 * Only the 4 bytes change, so a 4-byte-aligned displacement can be patched
 * atomically while other threads run the code. */
void x86_patch_rel32(intptr_t exec_delta, uint8_t *disp, uintptr_t target);
bool x86_rel32_reaches(uintptr_t from_end, uintptr_t target);

/* SSE / AVX: one generic encoder for legacy-SSE "op xmm, xmm/m128" forms
 * (mandatory prefix 0x66/0xF2/0xF3 or 0, opcode map 0F / 0F38 / 0F3A) and
 * one for VEX; named wrappers for what the backend uses. */
typedef enum X86OpMap { X86_MAP_0F = 1, X86_MAP_0F38 = 2, X86_MAP_0F3A = 3 } X86OpMap;
void x86_sse(CodeBuf *cb, uint8_t prefix, X86OpMap map, uint8_t opcode, int reg, X86Operand rm, bool rex_w);
void x86_sse_imm(CodeBuf *cb, uint8_t prefix, X86OpMap map, uint8_t opcode, int reg, X86Operand rm, bool rex_w, uint8_t imm);
/* VEX: L = 0 (128) / 1 (256); vvvv register is src1 (pass 0 if unused). */
void x86_vex(CodeBuf *cb, uint8_t prefix, X86OpMap map, bool w, int l, uint8_t opcode, int reg, int vvvv, X86Operand rm);

void x86_movdqu_load(CodeBuf *cb, int xmm, X86Operand mem);
void x86_movdqu_store(CodeBuf *cb, X86Operand mem, int xmm);
void x86_movdqa_load(CodeBuf *cb, int xmm, X86Operand rm);
void x86_movdqa_store(CodeBuf *cb, X86Operand mem, int xmm);
void x86_movq_load(CodeBuf *cb, int xmm, X86Operand rm);     /* movq xmm, r64/m64 (zeroes upper) */
void x86_movq_store(CodeBuf *cb, X86Operand rm, int xmm);    /* movq r64/m64, xmm */
void x86_movd_load(CodeBuf *cb, int xmm, X86Operand rm);     /* movd xmm, r32/m32 */
void x86_movd_store(CodeBuf *cb, X86Operand rm, int xmm);

#endif
