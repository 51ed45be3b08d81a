/*
 * Unit tests for the x86-64 encoder (host/x86_64/x86-encode.c).  Every
 * expected byte string was produced by assembling the instruction text next
 * to it with GNU as (x86-64, intel syntax unless marked att:) and reading
 * the result with objdump -d.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/x86_64/x86-encode.h"

/* The tests pretend the code buffer executes at a different address from
 * where it is written, as the real W^X double mapping does. */
#define TEST_EXEC_DELTA 0x100000

static uint8_t test_buf[256];

static void begin(CodeBuf *cb)
{
    memset(test_buf, 0xcc, sizeof(test_buf));
    cb->start = cb->ptr = test_buf;
    cb->end = test_buf + sizeof(test_buf);
    cb->exec_delta = TEST_EXEC_DELTA;
    cb->overflow = false;
}

/* Executable address of the next instruction. */
static uintptr_t here(const CodeBuf *cb) { return cb_exec_addr(cb, cb->ptr); }

static void format_hex(char *out, size_t outsz, const uint8_t *p, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && len + 4 < outsz; i++) {
        len += (size_t)snprintf(out + len, outsz - len, i ? " %02x" : "%02x", p[i]);
    }
}

/* Compare what was emitted since begin() with the hex bytes gas gave for asm_text. */
static void expect(CodeBuf *cb, const char *asm_text, const char *hex)
{
    char got[256 * 3 + 1];
    ck_assert_msg(!cb->overflow, "%s: buffer overflow", asm_text);
    format_hex(got, sizeof(got), cb->start, (size_t)(cb->ptr - cb->start));
    ck_assert_msg(strcmp(got, hex) == 0, "%s:\n  expected %s\n  got      %s", asm_text, hex, got);
}

START_TEST(test_alu)
{
    CodeBuf cb;
    begin(&cb); x86_alu(&cb, X86_ADD, 8, x86_r(X86_RAX), x86_r(X86_RBX)); expect(&cb, "add rax, rbx", "48 01 d8");
    begin(&cb); x86_alu(&cb, X86_SUB, 4, x86_r(X86_R9), x86_r(X86_R15)); expect(&cb, "sub r9d, r15d", "45 29 f9");
    begin(&cb); x86_alu(&cb, X86_XOR, 2, x86_r(X86_RCX), x86_r(X86_R10)); expect(&cb, "xor cx, r10w", "66 44 31 d1");
    begin(&cb); x86_alu(&cb, X86_AND, 1, x86_r(X86_RSI), x86_r(X86_RDI)); expect(&cb, "and sil, dil", "40 20 fe");
    begin(&cb); x86_alu(&cb, X86_OR, 1, x86_r(X86_RCX), x86_r(X86_RDX)); expect(&cb, "or cl, dl", "08 d1");
    begin(&cb); x86_alu(&cb, X86_CMP, 1, x86_r(X86_R8), x86_r(X86_RSP)); expect(&cb, "cmp r8b, spl", "41 38 e0");
    begin(&cb); x86_alu(&cb, X86_ADC, 8, x86_r(X86_RDX), x86_m(X86_R15, 0x10)); expect(&cb, "adc rdx, [r15+0x10]", "49 13 57 10");
    begin(&cb); x86_alu(&cb, X86_SBB, 8, x86_m(X86_RSP, 8), x86_r(X86_R11)); expect(&cb, "sbb [rsp+8], r11", "4c 19 5c 24 08");
    begin(&cb); x86_alu(&cb, X86_ADD, 4, x86_m(X86_R12, 0), x86_r(X86_RAX)); expect(&cb, "add [r12], eax", "41 01 04 24");
    begin(&cb); x86_alu(&cb, X86_ADD, 8, x86_r(X86_RAX), x86_m(X86_R13, 0)); expect(&cb, "add rax, [r13]", "49 03 45 00");
    begin(&cb); x86_alu(&cb, X86_ADD, 8, x86_r(X86_RAX), x86_m(X86_RBP, 0)); expect(&cb, "add rax, [rbp]", "48 03 45 00");
    begin(&cb); x86_alu(&cb, X86_CMP, 8, x86_r(X86_RAX), x86_m(X86_R15, 0x1000)); expect(&cb, "cmp rax, [r15+0x1000]", "49 3b 87 00 10 00 00");
    begin(&cb); x86_alu(&cb, X86_CMP, 8, x86_r(X86_RAX), x86_m(X86_R15, -0x80)); expect(&cb, "cmp rax, [r15-0x80]", "49 3b 47 80");
    begin(&cb); x86_alu(&cb, X86_CMP, 8, x86_r(X86_RAX), x86_m(X86_R15, -0x81)); expect(&cb, "cmp rax, [r15-0x81]", "49 3b 87 7f ff ff ff");
    /* immediates: imm8, imm32, accumulator short forms */
    begin(&cb); x86_alu(&cb, X86_ADD, 8, x86_r(X86_RCX), x86_i(5)); expect(&cb, "add rcx, 5", "48 83 c1 05");
    begin(&cb); x86_alu(&cb, X86_ADD, 8, x86_r(X86_RCX), x86_i(-128)); expect(&cb, "add rcx, -128", "48 83 c1 80");
    begin(&cb); x86_alu(&cb, X86_ADD, 8, x86_r(X86_RCX), x86_i(128)); expect(&cb, "add rcx, 128", "48 81 c1 80 00 00 00");
    begin(&cb); x86_alu(&cb, X86_SUB, 4, x86_r(X86_R14), x86_i(0x12345678)); expect(&cb, "sub r14d, 0x12345678", "41 81 ee 78 56 34 12");
    begin(&cb); x86_alu(&cb, X86_CMP, 8, x86_r(X86_RAX), x86_i(0x1000)); expect(&cb, "cmp rax, 0x1000", "48 3d 00 10 00 00");
    begin(&cb); x86_alu(&cb, X86_CMP, 8, x86_r(X86_RAX), x86_i(3)); expect(&cb, "cmp rax, 3", "48 83 f8 03");
    begin(&cb); x86_alu(&cb, X86_AND, 4, x86_r(X86_RAX), x86_i(-0x1000)); expect(&cb, "and eax, -0x1000", "25 00 f0 ff ff");
    begin(&cb); x86_alu(&cb, X86_ADD, 1, x86_r(X86_RAX), x86_i(5)); expect(&cb, "add al, 5", "04 05");
    begin(&cb); x86_alu(&cb, X86_XOR, 1, x86_r(X86_RDI), x86_i(0x7f)); expect(&cb, "xor dil, 0x7f", "40 80 f7 7f");
    begin(&cb); x86_alu(&cb, X86_OR, 2, x86_r(X86_RDX), x86_i(0x1234)); expect(&cb, "or dx, 0x1234", "66 81 ca 34 12");
    begin(&cb); x86_alu(&cb, X86_OR, 2, x86_r(X86_RAX), x86_i(0x1234)); expect(&cb, "or ax, 0x1234", "66 0d 34 12");
    begin(&cb); x86_alu(&cb, X86_OR, 2, x86_r(X86_RDX), x86_i(-2)); expect(&cb, "or dx, -2", "66 83 ca fe");
    begin(&cb); x86_alu(&cb, X86_ADD, 8, x86_m(X86_R15, 0x100), x86_i(1)); expect(&cb, "add QWORD PTR [r15+0x100], 1", "49 83 87 00 01 00 00 01");
    begin(&cb); x86_alu(&cb, X86_CMP, 4, x86_m(X86_RSP, 0), x86_i(0x10000)); expect(&cb, "cmp DWORD PTR [rsp], 0x10000", "81 3c 24 00 00 01 00");
    begin(&cb); x86_alu(&cb, X86_CMP, 1, x86_m(X86_RBX, 3), x86_i(0xff)); expect(&cb, "cmp BYTE PTR [rbx+3], 0xff", "80 7b 03 ff");
}
END_TEST

START_TEST(test_addressing)
{
    CodeBuf cb;
    begin(&cb); x86_mov(&cb, 8, x86_r(X86_RAX), x86_m(X86_RSP, 0)); expect(&cb, "mov rax, [rsp]", "48 8b 04 24");
    begin(&cb); x86_mov(&cb, 8, x86_r(X86_RAX), x86_m(X86_R12, 0)); expect(&cb, "mov rax, [r12]", "49 8b 04 24");
    begin(&cb); x86_mov(&cb, 8, x86_r(X86_RAX), x86_m(X86_R12, 0x7f)); expect(&cb, "mov rax, [r12+0x7f]", "49 8b 44 24 7f");
    begin(&cb); x86_mov(&cb, 8, x86_r(X86_RAX), x86_m(X86_R12, 0x80)); expect(&cb, "mov rax, [r12+0x80]", "49 8b 84 24 80 00 00 00");
    begin(&cb); x86_mov(&cb, 8, x86_r(X86_RAX), x86_m(X86_RBP, 0)); expect(&cb, "mov rax, [rbp]", "48 8b 45 00");
    begin(&cb); x86_mov(&cb, 8, x86_r(X86_RAX), x86_m(X86_R13, 0)); expect(&cb, "mov rax, [r13]", "49 8b 45 00");
    begin(&cb); x86_mov(&cb, 8, x86_r(X86_R8), x86_m(X86_R13, -8)); expect(&cb, "mov r8, [r13-8]", "4d 8b 45 f8");
    begin(&cb); x86_mov(&cb, 8, x86_r(X86_RAX), x86_mi(X86_RBX, X86_RCX, 8, 0)); expect(&cb, "mov rax, [rbx+rcx*8]", "48 8b 04 cb");
    begin(&cb); x86_mov(&cb, 8, x86_r(X86_RAX), x86_mi(X86_R13, X86_R12, 1, 0)); expect(&cb, "mov rax, [r13+r12*1]", "4b 8b 44 25 00");
    begin(&cb); x86_mov(&cb, 8, x86_r(X86_RAX), x86_mi(X86_RBP, X86_RSI, 2, 0)); expect(&cb, "mov rax, [rbp+rsi*2]", "48 8b 44 75 00");
    begin(&cb); x86_mov(&cb, 8, x86_r(X86_R11), x86_mi(X86_RSP, X86_R9, 4, 0x40)); expect(&cb, "mov r11, [rsp+r9*4+0x40]", "4e 8b 5c 8c 40");
    begin(&cb); x86_mov(&cb, 4, x86_r(X86_RDX), x86_mi(X86_R12, X86_R15, 8, 0x12345)); expect(&cb, "mov edx, [r12+r15*8+0x12345]", "43 8b 94 fc 45 23 01 00");
    begin(&cb); x86_mov(&cb, 8, x86_r(X86_RAX), x86_mi(X86_NOREG, X86_RCX, 8, 0x10)); expect(&cb, "mov rax, [rcx*8+0x10]", "48 8b 04 cd 10 00 00 00");
    begin(&cb); x86_mov(&cb, 8, x86_r(X86_R10), x86_mi(X86_NOREG, X86_R14, 4, -4)); expect(&cb, "mov r10, [r14*4-4]", "4e 8b 14 b5 fc ff ff ff");
    begin(&cb); x86_mov(&cb, 4, x86_r(X86_RAX), x86_m(X86_NOREG, 0x1000)); expect(&cb, "mov eax, [0x1000]", "8b 04 25 00 10 00 00");
    begin(&cb); x86_mov(&cb, 8, x86_m(X86_NOREG, 0x1234), x86_r(X86_R9)); expect(&cb, "mov [0x1234], r9", "4c 89 0c 25 34 12 00 00");
}
END_TEST

START_TEST(test_mov)
{
    CodeBuf cb;
    begin(&cb); x86_mov(&cb, 8, x86_r(X86_RAX), x86_r(X86_RBX)); expect(&cb, "mov rax, rbx", "48 89 d8");
    begin(&cb); x86_mov(&cb, 8, x86_r(X86_R12), x86_r(X86_R15)); expect(&cb, "mov r12, r15", "4d 89 fc");
    begin(&cb); x86_mov(&cb, 4, x86_r(X86_RSI), x86_r(X86_R8)); expect(&cb, "mov esi, r8d", "44 89 c6");
    begin(&cb); x86_mov(&cb, 2, x86_r(X86_RSI), x86_r(X86_RDI)); expect(&cb, "mov si, di", "66 89 fe");
    begin(&cb); x86_mov(&cb, 1, x86_r(X86_RSI), x86_r(X86_RDI)); expect(&cb, "mov sil, dil", "40 88 fe");
    begin(&cb); x86_mov(&cb, 1, x86_r(X86_RAX), x86_r(X86_RBX)); expect(&cb, "mov al, bl", "88 d8");
    begin(&cb); x86_mov(&cb, 1, x86_m(X86_RDI, 1), x86_r(X86_RBP)); expect(&cb, "mov [rdi+1], bpl", "40 88 6f 01");
    begin(&cb); x86_mov(&cb, 1, x86_r(X86_RCX), x86_m(X86_R12, 0)); expect(&cb, "mov cl, [r12]", "41 8a 0c 24");
    begin(&cb); x86_mov(&cb, 2, x86_m(X86_R13, 2), x86_r(X86_RAX)); expect(&cb, "mov [r13+2], ax", "66 41 89 45 02");
    begin(&cb); x86_mov(&cb, 8, x86_m(X86_R15, 0x108), x86_r(X86_RBX)); expect(&cb, "mov [r15+0x108], rbx", "49 89 9f 08 01 00 00");
    /* register <- immediate: the shortest form */
    begin(&cb); x86_mov(&cb, 8, x86_r(X86_RAX), x86_i(5)); expect(&cb, "mov eax, 5", "b8 05 00 00 00");
    begin(&cb); x86_mov(&cb, 8, x86_r(X86_R9), x86_i(0xffffffff)); expect(&cb, "mov r9d, 0xffffffff", "41 b9 ff ff ff ff");
    begin(&cb); x86_mov(&cb, 8, x86_r(X86_RCX), x86_i(-1)); expect(&cb, "mov rcx, -1", "48 c7 c1 ff ff ff ff");
    begin(&cb); x86_mov(&cb, 8, x86_r(X86_R12), x86_i(-0x80000000LL)); expect(&cb, "mov r12, -0x80000000", "49 c7 c4 00 00 00 80");
    begin(&cb); x86_mov(&cb, 8, x86_r(X86_RDX), x86_i(0x100000000LL)); expect(&cb, "movabs rdx, 0x100000000", "48 ba 00 00 00 00 01 00 00 00");
    begin(&cb); x86_mov(&cb, 8, x86_r(X86_R15), x86_i(0x123456789abcdef0LL)); expect(&cb, "movabs r15, 0x123456789abcdef0", "49 bf f0 de bc 9a 78 56 34 12");
    begin(&cb); x86_mov(&cb, 4, x86_r(X86_R13), x86_i(0x80000000LL)); expect(&cb, "mov r13d, 0x80000000", "41 bd 00 00 00 80");
    begin(&cb); x86_mov(&cb, 2, x86_r(X86_RBX), x86_i(0x1234)); expect(&cb, "mov bx, 0x1234", "66 bb 34 12");
    begin(&cb); x86_mov(&cb, 1, x86_r(X86_RDI), x86_i(0x42)); expect(&cb, "mov dil, 0x42", "40 b7 42");
    begin(&cb); x86_mov(&cb, 1, x86_r(X86_R10), x86_i(-1)); expect(&cb, "mov r10b, -1", "41 b2 ff");
    /* memory <- immediate */
    begin(&cb); x86_mov(&cb, 8, x86_m(X86_R15, 0x20), x86_i(-2)); expect(&cb, "mov QWORD PTR [r15+0x20], -2", "49 c7 47 20 fe ff ff ff");
    begin(&cb); x86_mov(&cb, 4, x86_m(X86_RSP, 4), x86_i(0x12345678)); expect(&cb, "mov DWORD PTR [rsp+4], 0x12345678", "c7 44 24 04 78 56 34 12");
    begin(&cb); x86_mov(&cb, 2, x86_m(X86_RAX, 0), x86_i(0xbeef)); expect(&cb, "mov WORD PTR [rax], 0xbeef", "66 c7 00 ef be");
    begin(&cb); x86_mov(&cb, 1, x86_m(X86_R13, 0), x86_i(7)); expect(&cb, "mov BYTE PTR [r13], 7", "41 c6 45 00 07");
}
END_TEST

START_TEST(test_extend_lea_test)
{
    CodeBuf cb;
    begin(&cb); x86_movzx(&cb, 4, 1, X86_RAX, x86_r(X86_RSI)); expect(&cb, "movzx eax, sil", "40 0f b6 c6");
    begin(&cb); x86_movzx(&cb, 4, 1, X86_R8, x86_r(X86_RCX)); expect(&cb, "movzx r8d, cl", "44 0f b6 c1");
    begin(&cb); x86_movzx(&cb, 4, 2, X86_RDX, x86_m(X86_R12, 6)); expect(&cb, "movzx edx, WORD PTR [r12+6]", "41 0f b7 54 24 06");
    begin(&cb); x86_movzx(&cb, 8, 1, X86_RBX, x86_m(X86_RAX, 0)); expect(&cb, "movzx rbx, BYTE PTR [rax]", "48 0f b6 18");
    begin(&cb); x86_movsx(&cb, 8, 1, X86_RAX, x86_r(X86_RDI)); expect(&cb, "movsx rax, dil", "48 0f be c7");
    begin(&cb); x86_movsx(&cb, 4, 2, X86_R11, x86_r(X86_R9)); expect(&cb, "movsx r11d, r9w", "45 0f bf d9");
    begin(&cb); x86_movsx(&cb, 8, 2, X86_RCX, x86_m(X86_RBP, 0)); expect(&cb, "movsx rcx, WORD PTR [rbp]", "48 0f bf 4d 00");
    begin(&cb); x86_movsx(&cb, 8, 4, X86_RAX, x86_r(X86_RCX)); expect(&cb, "movsxd rax, ecx", "48 63 c1");
    begin(&cb); x86_movsx(&cb, 8, 4, X86_R14, x86_m(X86_R13, 4)); expect(&cb, "movsxd r14, DWORD PTR [r13+4]", "4d 63 75 04");
    begin(&cb); x86_lea(&cb, 8, X86_RAX, x86_mi(X86_RBX, X86_RCX, 4, 8)); expect(&cb, "lea rax, [rbx+rcx*4+8]", "48 8d 44 8b 08");
    begin(&cb); x86_lea(&cb, 4, X86_R10, x86_m(X86_R12, -1)); expect(&cb, "lea r10d, [r12-1]", "45 8d 54 24 ff");
    begin(&cb); x86_lea(&cb, 8, X86_RSP, x86_m(X86_RSP, 0x100)); expect(&cb, "lea rsp, [rsp+0x100]", "48 8d a4 24 00 01 00 00");
    begin(&cb); x86_test(&cb, 8, x86_r(X86_RAX), x86_r(X86_RAX)); expect(&cb, "test rax, rax", "48 85 c0");
    begin(&cb); x86_test(&cb, 4, x86_r(X86_R9), x86_r(X86_RDX)); expect(&cb, "test r9d, edx", "41 85 d1");
    begin(&cb); x86_test(&cb, 1, x86_r(X86_RSI), x86_r(X86_RSI)); expect(&cb, "test sil, sil", "40 84 f6");
    begin(&cb); x86_test(&cb, 4, x86_r(X86_RAX), x86_i(1)); expect(&cb, "test eax, 1", "a9 01 00 00 00");
    begin(&cb); x86_test(&cb, 1, x86_r(X86_RAX), x86_i(0x80)); expect(&cb, "test al, 0x80", "a8 80");
    begin(&cb); x86_test(&cb, 8, x86_r(X86_RCX), x86_i(0x100)); expect(&cb, "test rcx, 0x100", "48 f7 c1 00 01 00 00");
    begin(&cb); x86_test(&cb, 1, x86_r(X86_RDI), x86_i(1)); expect(&cb, "test dil, 1", "40 f6 c7 01");
    begin(&cb); x86_test(&cb, 4, x86_m(X86_R15, 0x44), x86_i(0x10)); expect(&cb, "test DWORD PTR [r15+0x44], 0x10", "41 f7 47 44 10 00 00 00");
    begin(&cb); x86_test(&cb, 2, x86_m(X86_RAX, 0), x86_r(X86_RBX)); expect(&cb, "test [rax], bx", "66 85 18");
}
END_TEST

START_TEST(test_shift_bmi)
{
    CodeBuf cb;
    begin(&cb); x86_shift_imm(&cb, X86_SHL, 8, x86_r(X86_RAX), 1); expect(&cb, "shl rax, 1", "48 d1 e0");
    begin(&cb); x86_shift_imm(&cb, X86_SHR, 4, x86_r(X86_R12), 7); expect(&cb, "shr r12d, 7", "41 c1 ec 07");
    begin(&cb); x86_shift_imm(&cb, X86_SAR, 8, x86_m(X86_RSP, 8), 63); expect(&cb, "sar QWORD PTR [rsp+8], 63", "48 c1 7c 24 08 3f");
    begin(&cb); x86_shift_imm(&cb, X86_ROR, 2, x86_r(X86_RCX), 8); expect(&cb, "ror cx, 8", "66 c1 c9 08");
    begin(&cb); x86_shift_imm(&cb, X86_ROL, 1, x86_r(X86_RSI), 3); expect(&cb, "rol sil, 3", "40 c0 c6 03");
    begin(&cb); x86_shift_imm(&cb, X86_RCR, 1, x86_r(X86_RDX), 1); expect(&cb, "rcr dl, 1", "d0 da");
    begin(&cb); x86_shift_cl(&cb, X86_SHL, 8, x86_r(X86_R9)); expect(&cb, "shl r9, cl", "49 d3 e1");
    begin(&cb); x86_shift_cl(&cb, X86_SAR, 4, x86_m(X86_R13, 0)); expect(&cb, "sar DWORD PTR [r13], cl", "41 d3 7d 00");
    begin(&cb); x86_shift_imm(&cb, X86_SAR, 1, x86_r(X86_RBX), 2); expect(&cb, "sar bl, 2", "c0 fb 02");
    begin(&cb); x86_shift_imm(&cb, X86_SHR, 1, x86_m(X86_RAX, 0), 1); expect(&cb, "shr BYTE PTR [rax], 1", "d0 28");
    begin(&cb); x86_shift_cl(&cb, X86_RCL, 1, x86_r(X86_RDI)); expect(&cb, "rcl dil, cl", "40 d2 d7");
    begin(&cb); x86_shlx(&cb, 8, X86_RAX, x86_r(X86_RBX), X86_RCX); expect(&cb, "shlx rax, rbx, rcx", "c4 e2 f1 f7 c3");
    begin(&cb); x86_shlx(&cb, 4, X86_R8, x86_r(X86_R9), X86_R10); expect(&cb, "shlx r8d, r9d, r10d", "c4 42 29 f7 c1");
    begin(&cb); x86_shrx(&cb, 8, X86_RDX, x86_m(X86_R12, 0x10), X86_R14); expect(&cb, "shrx rdx, [r12+0x10], r14", "c4 c2 8b f7 54 24 10");
    begin(&cb); x86_sarx(&cb, 4, X86_RSI, x86_r(X86_RDI), X86_RAX); expect(&cb, "sarx esi, edi, eax", "c4 e2 7a f7 f7");
    begin(&cb); x86_rorx(&cb, 8, X86_R11, x86_r(X86_RAX), 13); expect(&cb, "rorx r11, rax, 13", "c4 63 fb f0 d8 0d");
    begin(&cb); x86_rorx(&cb, 4, X86_RAX, x86_mi(X86_RBX, X86_R9, 2, 0), 31); expect(&cb, "rorx eax, [rbx+r9*2], 31", "c4 a3 7b f0 04 4b 1f");
    begin(&cb); x86_andn(&cb, 8, X86_RAX, X86_RBX, x86_r(X86_RCX)); expect(&cb, "andn rax, rbx, rcx", "c4 e2 e0 f2 c1");
    begin(&cb); x86_andn(&cb, 4, X86_R12, X86_R13, x86_m(X86_RBP, 0)); expect(&cb, "andn r12d, r13d, [rbp]", "c4 62 10 f2 65 00");
    begin(&cb); x86_mulx(&cb, 8, X86_RCX, X86_RAX, x86_r(X86_R8)); expect(&cb, "mulx rcx, rax, r8", "c4 c2 fb f6 c8");
    begin(&cb); x86_mulx(&cb, 4, X86_R9, X86_R10, x86_m(X86_RSP, 0)); expect(&cb, "mulx r9d, r10d, [rsp]", "c4 62 2b f6 0c 24");
}
END_TEST

START_TEST(test_muldiv_bits)
{
    CodeBuf cb;
    begin(&cb); x86_unary(&cb, X86_NOT, 8, x86_r(X86_RAX)); expect(&cb, "not rax", "48 f7 d0");
    begin(&cb); x86_unary(&cb, X86_NEG, 4, x86_r(X86_R13)); expect(&cb, "neg r13d", "41 f7 dd");
    begin(&cb); x86_unary(&cb, X86_MUL1, 8, x86_r(X86_RCX)); expect(&cb, "mul rcx", "48 f7 e1");
    begin(&cb); x86_unary(&cb, X86_IMUL1, 8, x86_m(X86_R12, 0)); expect(&cb, "imul QWORD PTR [r12]", "49 f7 2c 24");
    begin(&cb); x86_unary(&cb, X86_DIV, 4, x86_r(X86_RSI)); expect(&cb, "div esi", "f7 f6");
    begin(&cb); x86_unary(&cb, X86_IDIV, 8, x86_r(X86_R11)); expect(&cb, "idiv r11", "49 f7 fb");
    begin(&cb); x86_unary(&cb, X86_IDIV, 1, x86_r(X86_RCX)); expect(&cb, "idiv cl", "f6 f9");
    begin(&cb); x86_unary(&cb, X86_NEG, 1, x86_r(X86_RDI)); expect(&cb, "neg dil", "40 f6 df");
    begin(&cb); x86_unary(&cb, X86_NOT, 2, x86_m(X86_RBX, 2)); expect(&cb, "not WORD PTR [rbx+2]", "66 f7 53 02");
    begin(&cb); x86_imul(&cb, 8, X86_RAX, x86_r(X86_RBX)); expect(&cb, "imul rax, rbx", "48 0f af c3");
    begin(&cb); x86_imul(&cb, 4, X86_R8, x86_m(X86_R13, 8)); expect(&cb, "imul r8d, [r13+8]", "45 0f af 45 08");
    begin(&cb); x86_imul_imm(&cb, 8, X86_RAX, x86_r(X86_RCX), 10); expect(&cb, "imul rax, rcx, 10", "48 6b c1 0a");
    begin(&cb); x86_imul_imm(&cb, 4, X86_R9, x86_r(X86_R9), 1000); expect(&cb, "imul r9d, r9d, 1000", "45 69 c9 e8 03 00 00");
    begin(&cb); x86_imul_imm(&cb, 2, X86_RDX, x86_r(X86_RSI), 300); expect(&cb, "imul dx, si, 300", "66 69 d6 2c 01");
    begin(&cb); x86_bswap(&cb, 4, X86_RAX); expect(&cb, "bswap eax", "0f c8");
    begin(&cb); x86_bswap(&cb, 8, X86_RBX); expect(&cb, "bswap rbx", "48 0f cb");
    begin(&cb); x86_bswap(&cb, 4, X86_R12); expect(&cb, "bswap r12d", "41 0f cc");
    begin(&cb); x86_bswap(&cb, 8, X86_R15); expect(&cb, "bswap r15", "49 0f cf");
    begin(&cb); x86_lzcnt(&cb, 8, X86_RAX, x86_r(X86_RBX)); expect(&cb, "lzcnt rax, rbx", "f3 48 0f bd c3");
    begin(&cb); x86_lzcnt(&cb, 4, X86_R10, x86_m(X86_RSP, 0)); expect(&cb, "lzcnt r10d, [rsp]", "f3 44 0f bd 14 24");
    begin(&cb); x86_tzcnt(&cb, 8, X86_RCX, x86_r(X86_R9)); expect(&cb, "tzcnt rcx, r9", "f3 49 0f bc c9");
    begin(&cb); x86_popcnt(&cb, 4, X86_RAX, x86_r(X86_RDX)); expect(&cb, "popcnt eax, edx", "f3 0f b8 c2");
    begin(&cb); x86_popcnt(&cb, 2, X86_RAX, x86_r(X86_R9)); expect(&cb, "popcnt ax, r9w", "66 f3 41 0f b8 c1");
    begin(&cb); x86_bsr(&cb, 8, X86_RDI, x86_r(X86_RSI)); expect(&cb, "bsr rdi, rsi", "48 0f bd fe");
    begin(&cb); x86_bsf(&cb, 8, X86_RDI, x86_r(X86_RSI)); expect(&cb, "bsf rdi, rsi", "48 0f bc fe");
    begin(&cb); x86_bsf(&cb, 4, X86_R9, x86_m(X86_RAX, 8)); expect(&cb, "bsf r9d, [rax+8]", "44 0f bc 48 08");
    begin(&cb); x86_bt_imm(&cb, 8, x86_r(X86_RAX), 63); expect(&cb, "bt rax, 63", "48 0f ba e0 3f");
    begin(&cb); x86_bt_imm(&cb, 4, x86_m(X86_R15, 0x30), 5); expect(&cb, "bt DWORD PTR [r15+0x30], 5", "41 0f ba 67 30 05");
    begin(&cb); x86_cmov(&cb, X86_CC_E, 8, X86_RAX, x86_r(X86_RBX)); expect(&cb, "cmove rax, rbx", "48 0f 44 c3");
    begin(&cb); x86_cmov(&cb, X86_CC_L, 4, X86_R8, x86_r(X86_R12)); expect(&cb, "cmovl r8d, r12d", "45 0f 4c c4");
    begin(&cb); x86_cmov(&cb, X86_CC_A, 8, X86_RDX, x86_m(X86_R13, 0)); expect(&cb, "cmova rdx, [r13]", "49 0f 47 55 00");
    begin(&cb); x86_cmov(&cb, x86_cc_invert(X86_CC_A), 8, X86_RDX, x86_r(X86_RCX)); expect(&cb, "cmovbe rdx, rcx", "48 0f 46 d1");
    begin(&cb); x86_setcc(&cb, X86_CC_NE, x86_r(X86_RAX)); expect(&cb, "setne al", "0f 95 c0");
    begin(&cb); x86_setcc(&cb, X86_CC_B, x86_r(X86_RSI)); expect(&cb, "setb sil", "40 0f 92 c6");
    begin(&cb); x86_setcc(&cb, X86_CC_G, x86_r(X86_R11)); expect(&cb, "setg r11b", "41 0f 9f c3");
    begin(&cb); x86_setcc(&cb, X86_CC_O, x86_m(X86_RSP, 1)); expect(&cb, "seto BYTE PTR [rsp+1]", "0f 90 44 24 01");
}
END_TEST

START_TEST(test_atomics_stack)
{
    CodeBuf cb;
    begin(&cb); x86_xchg(&cb, 8, x86_m(X86_RDI, 0), X86_RAX); expect(&cb, "xchg [rdi], rax", "48 87 07");
    begin(&cb); x86_xchg(&cb, 4, x86_m(X86_R12, 4), X86_R9); expect(&cb, "xchg [r12+4], r9d", "45 87 4c 24 04");
    begin(&cb); x86_xchg(&cb, 1, x86_m(X86_RAX, 0), X86_RSI); expect(&cb, "xchg [rax], sil", "40 86 30");
    begin(&cb); x86_xchg(&cb, 8, x86_r(X86_RCX), X86_RDX); expect(&cb, "xchg rcx, rdx", "48 87 d1");
    begin(&cb); x86_xchg(&cb, 8, x86_r(X86_RBX), X86_RAX); expect(&cb, "xchg rax, rbx", "48 93");
    begin(&cb); x86_xchg(&cb, 4, x86_r(X86_RAX), X86_R10); expect(&cb, "xchg eax, r10d", "41 92");
    begin(&cb); x86_xchg(&cb, 2, x86_r(X86_RAX), X86_RBX); expect(&cb, "xchg ax, bx", "66 93");
    begin(&cb); x86_xchg(&cb, 4, x86_r(X86_RAX), X86_RAX); expect(&cb, "xchg eax, eax", "87 c0");
    begin(&cb); x86_lock_cmpxchg(&cb, 8, x86_m(X86_R8, 0), X86_R9); expect(&cb, "lock cmpxchg [r8], r9", "f0 4d 0f b1 08");
    begin(&cb); x86_lock_cmpxchg(&cb, 2, x86_m(X86_RDI, 0), X86_RCX); expect(&cb, "lock cmpxchg [rdi], cx", "66 f0 0f b1 0f");
    begin(&cb); x86_lock_cmpxchg(&cb, 1, x86_m(X86_RSP, 0), X86_RDI); expect(&cb, "lock cmpxchg [rsp], dil", "f0 40 0f b0 3c 24");
    begin(&cb); x86_lock_xadd(&cb, 4, x86_mi(X86_RBX, X86_RCX, 1, 0), X86_RDX); expect(&cb, "lock xadd [rbx+rcx*1], edx", "f0 0f c1 14 0b");
    begin(&cb); x86_lock_xadd(&cb, 8, x86_m(X86_R13, 0), X86_RAX); expect(&cb, "lock xadd [r13], rax", "f0 49 0f c1 45 00");
    begin(&cb); x86_lock_alu(&cb, X86_OR, 8, x86_m(X86_RDI, 0), x86_r(X86_RSI)); expect(&cb, "lock or [rdi], rsi", "f0 48 09 37");
    begin(&cb); x86_lock_alu(&cb, X86_AND, 4, x86_m(X86_R12, 0), x86_i(-16)); expect(&cb, "lock and DWORD PTR [r12], -16", "f0 41 83 24 24 f0");
    begin(&cb); x86_lock_alu(&cb, X86_ADD, 8, x86_m(X86_RAX, 8), x86_i(0x1000)); expect(&cb, "lock add QWORD PTR [rax+8], 0x1000", "f0 48 81 40 08 00 10 00 00");
    begin(&cb); x86_lock_alu(&cb, X86_XOR, 1, x86_m(X86_RAX, 0), x86_i(0x81)); expect(&cb, "lock xor BYTE PTR [rax], 0x81", "f0 80 30 81");
    begin(&cb); x86_lock_cmpxchg16b(&cb, x86_m(X86_RDI, 0)); expect(&cb, "lock cmpxchg16b [rdi]", "f0 48 0f c7 0f");
    begin(&cb); x86_lock_cmpxchg16b(&cb, x86_m(X86_R12, 0x10)); expect(&cb, "lock cmpxchg16b [r12+0x10]", "f0 49 0f c7 4c 24 10");
    begin(&cb); x86_crc32(&cb, 1, X86_RAX, x86_r(X86_RSI)); expect(&cb, "crc32 eax, sil", "f2 40 0f 38 f0 c6");
    begin(&cb); x86_crc32(&cb, 2, X86_R9, x86_r(X86_RCX)); expect(&cb, "crc32 r9d, cx", "66 f2 44 0f 38 f1 c9");
    begin(&cb); x86_crc32(&cb, 4, X86_RDX, x86_m(X86_RBX, 4)); expect(&cb, "crc32 edx, dword ptr [rbx + 4]", "f2 0f 38 f1 53 04");
    begin(&cb); x86_crc32(&cb, 8, X86_RAX, x86_r(X86_R10)); expect(&cb, "crc32 rax, r10", "f2 49 0f 38 f1 c2");
    begin(&cb); x86_push(&cb, X86_RBX); expect(&cb, "push rbx", "53");
    begin(&cb); x86_push(&cb, X86_R15); expect(&cb, "push r15", "41 57");
    begin(&cb); x86_pop(&cb, X86_RBP); expect(&cb, "pop rbp", "5d");
    begin(&cb); x86_pop(&cb, X86_R12); expect(&cb, "pop r12", "41 5c");
    begin(&cb); x86_push_imm32(&cb, 0x12345678); expect(&cb, "push 0x12345678", "68 78 56 34 12");
}
END_TEST

START_TEST(test_simple_and_nop)
{
    CodeBuf cb;
    begin(&cb); x86_ret(&cb); expect(&cb, "ret", "c3");
    begin(&cb); x86_lahf(&cb); x86_sahf(&cb); expect(&cb, "lahf; sahf", "9f 9e");
    begin(&cb); x86_cmc(&cb); x86_clc(&cb); x86_stc(&cb); expect(&cb, "cmc; clc; stc", "f5 f8 f9");
    begin(&cb); x86_pushfq(&cb); x86_popfq(&cb); expect(&cb, "pushfq; popfq", "9c 9d");
    begin(&cb); x86_int3(&cb); x86_cdq(&cb); x86_cqo(&cb); expect(&cb, "int3; cdq; cqo", "cc 99 48 99");
    begin(&cb); x86_mfence(&cb); x86_lfence(&cb); x86_sfence(&cb); expect(&cb, "mfence; lfence; sfence", "0f ae f0 0f ae e8 0f ae f8");
    begin(&cb); x86_ud2(&cb); x86_pause(&cb); expect(&cb, "ud2; pause", "0f 0b f3 90");
    begin(&cb); x86_cpuid(&cb); x86_rdtsc(&cb); x86_syscall(&cb); expect(&cb, "cpuid; rdtsc; syscall", "0f a2 0f 31 0f 05");
    begin(&cb); x86_nop(&cb, 0); expect(&cb, "", "");
    begin(&cb); x86_nop(&cb, 1); expect(&cb, "nop", "90");
    begin(&cb); x86_nop(&cb, 2); expect(&cb, "xchg ax, ax", "66 90");
    begin(&cb); x86_nop(&cb, 3); expect(&cb, "att:nopl (%rax)", "0f 1f 00");
    begin(&cb); x86_nop(&cb, 4); expect(&cb, "att:{disp8} nopl 0x0(%rax)", "0f 1f 40 00");
    begin(&cb); x86_nop(&cb, 5); expect(&cb, "att:{disp8} nopl 0x0(%rax,%rax,1)", "0f 1f 44 00 00");
    begin(&cb); x86_nop(&cb, 6); expect(&cb, "att:{disp8} nopw 0x0(%rax,%rax,1)", "66 0f 1f 44 00 00");
    begin(&cb); x86_nop(&cb, 7); expect(&cb, "att:{disp32} nopl 0x0(%rax)", "0f 1f 80 00 00 00 00");
    begin(&cb); x86_nop(&cb, 8); expect(&cb, "att:{disp32} nopl 0x0(%rax,%rax,1)", "0f 1f 84 00 00 00 00 00");
    begin(&cb); x86_nop(&cb, 9); expect(&cb, "att:{disp32} nopw 0x0(%rax,%rax,1)", "66 0f 1f 84 00 00 00 00 00");
    begin(&cb); x86_nop(&cb, 12); expect(&cb, "att:{disp32} nopw 0x0(%rax,%rax,1); att:nopl (%rax)", "66 0f 1f 84 00 00 00 00 00 0f 1f 00");
}
END_TEST

START_TEST(test_branches)
{
    CodeBuf cb;
    uint8_t *disp;
    begin(&cb); x86_jmp(&cb, here(&cb) + 0x1000); expect(&cb, "{disp32} jmp .+0x1000", "e9 fb 0f 00 00");
    begin(&cb); x86_jmp(&cb, here(&cb) - 0x100); expect(&cb, "{disp32} jmp .-0x100", "e9 fb fe ff ff");
    begin(&cb); x86_jcc(&cb, X86_CC_NE, here(&cb) + 0x80); expect(&cb, "{disp32} jne .+0x80", "0f 85 7a 00 00 00");
    begin(&cb); x86_jcc(&cb, X86_CC_LE, here(&cb) - 6); expect(&cb, "{disp32} jle .-6", "0f 8e f4 ff ff ff");
    begin(&cb); x86_call(&cb, here(&cb) + 0x12345); expect(&cb, "call .+0x12345", "e8 40 23 01 00");
    begin(&cb); x86_call_abs(&cb, 0x7f0012345678); expect(&cb, "movabs rax, 0x7f0012345678; call rax", "48 b8 78 56 34 12 00 7f 00 00 ff d0");
    begin(&cb); x86_jmp_reg(&cb, x86_r(X86_RAX)); expect(&cb, "jmp rax", "ff e0");
    begin(&cb); x86_jmp_reg(&cb, x86_r(X86_R11)); expect(&cb, "jmp r11", "41 ff e3");
    begin(&cb); x86_jmp_reg(&cb, x86_mi(X86_R15, X86_RCX, 8, 0x200)); expect(&cb, "jmp QWORD PTR [r15+rcx*8+0x200]", "41 ff a4 cf 00 02 00 00");
    begin(&cb); x86_call_reg(&cb, x86_r(X86_R12)); expect(&cb, "call r12", "41 ff d4");
    begin(&cb); x86_call_reg(&cb, x86_m(X86_RSP, 0x10)); expect(&cb, "call QWORD PTR [rsp+0x10]", "ff 54 24 10");

    /* an unresolved rel32, then patched */
    begin(&cb);
    disp = x86_jmp(&cb, 0);
    ck_assert_ptr_eq(disp, test_buf + 1);
    expect(&cb, "{disp32} jmp .+5", "e9 00 00 00 00");
    x86_patch_rel32(cb.exec_delta, disp, cb_exec_addr(&cb, test_buf) + 0x4000);
    expect(&cb, "{disp32} jmp .+0x4000", "e9 fb 3f 00 00");
    begin(&cb);
    disp = x86_jcc(&cb, X86_CC_S, 0);
    ck_assert_ptr_eq(disp, test_buf + 2);
    x86_patch_rel32(cb.exec_delta, disp, cb_exec_addr(&cb, test_buf) - 0x20);
    expect(&cb, "{disp32} js .-0x20", "0f 88 da ff ff ff");

    /* short forward branches */
    begin(&cb);
    disp = x86_jcc8(&cb, X86_CC_E);
    x86_nop(&cb, 3);
    x86_bind_rel8(&cb, disp);
    expect(&cb, "je .+5; att:nopl (%rax)", "74 03 0f 1f 00");
    begin(&cb);
    disp = x86_jmp8(&cb);
    x86_bind_rel8(&cb, disp);
    expect(&cb, "jmp .+2", "eb 00");

    ck_assert(x86_rel32_reaches(0x10000000, 0x10000000 + 0x7fffffffULL));
    ck_assert(!x86_rel32_reaches(0x10000000, 0x10000000 + 0x80000000ULL));
    ck_assert(x86_rel32_reaches(0x90000000, 0x90000000 - 0x80000000ULL));
    ck_assert(!x86_rel32_reaches(0x90000000, 0x90000000 - 0x80000001ULL));
}
END_TEST

START_TEST(test_sse)
{
    CodeBuf cb;
    begin(&cb); x86_sse(&cb, 0x66, X86_MAP_0F, 0xfe, 0, x86_r(1), false); expect(&cb, "paddd xmm0, xmm1", "66 0f fe c1");
    begin(&cb); x86_sse(&cb, 0x66, X86_MAP_0F, 0xfe, 8, x86_r(9), false); expect(&cb, "paddd xmm8, xmm9", "66 45 0f fe c1");
    begin(&cb); x86_sse(&cb, 0, X86_MAP_0F, 0x57, 3, x86_m(X86_R12, 0x10), false); expect(&cb, "xorps xmm3, [r12+0x10]", "41 0f 57 5c 24 10");
    begin(&cb); x86_sse(&cb, 0xf2, X86_MAP_0F, 0x58, 0, x86_m(X86_RSP, 8), false); expect(&cb, "addsd xmm0, [rsp+8]", "f2 0f 58 44 24 08");
    begin(&cb); x86_sse(&cb, 0xf3, X86_MAP_0F, 0x59, 15, x86_r(2), false); expect(&cb, "mulss xmm15, xmm2", "f3 44 0f 59 fa");
    begin(&cb); x86_sse(&cb, 0xf2, X86_MAP_0F, 0x2a, 1, x86_r(X86_RAX), true); expect(&cb, "cvtsi2sd xmm1, rax", "f2 48 0f 2a c8");
    begin(&cb); x86_sse(&cb, 0xf2, X86_MAP_0F, 0x2c, X86_R9, x86_r(10), true); expect(&cb, "cvttsd2si r9, xmm10", "f2 4d 0f 2c ca");
    begin(&cb); x86_sse(&cb, 0x66, X86_MAP_0F38, 0x00, 1, x86_m(X86_R13, 0), false); expect(&cb, "pshufb xmm1, [r13]", "66 41 0f 38 00 4d 00");
    begin(&cb); x86_sse(&cb, 0x66, X86_MAP_0F38, 0xdc, 11, x86_mi(X86_RAX, X86_R9, 4, 0), false); expect(&cb, "aesenc xmm11, [rax+r9*4]", "66 46 0f 38 dc 1c 88");
    begin(&cb); x86_sse_imm(&cb, 0x66, X86_MAP_0F, 0x70, 2, x86_r(10), false, 0x1b); expect(&cb, "pshufd xmm2, xmm10, 0x1b", "66 41 0f 70 d2 1b");
    begin(&cb); x86_sse_imm(&cb, 0x66, X86_MAP_0F3A, 0x22, 3, x86_r(X86_R12), true, 1); expect(&cb, "pinsrq xmm3, r12, 1", "66 49 0f 3a 22 dc 01");
    begin(&cb); x86_sse_imm(&cb, 0x66, X86_MAP_0F3A, 0x0b, 4, x86_m(X86_RBP, 0), false, 3); expect(&cb, "roundsd xmm4, [rbp], 3", "66 0f 3a 0b 65 00 03");
    begin(&cb); x86_sse_imm(&cb, 0x66, X86_MAP_0F3A, 0x44, 0, x86_r(1), false, 0x11); expect(&cb, "pclmulqdq xmm0, xmm1, 0x11", "66 0f 3a 44 c1 11");
    begin(&cb); x86_movdqu_load(&cb, 0, x86_m(X86_RDI, 0)); expect(&cb, "movdqu xmm0, [rdi]", "f3 0f 6f 07");
    begin(&cb); x86_movdqu_load(&cb, 9, x86_mi(X86_R12, X86_RCX, 1, 0x10)); expect(&cb, "movdqu xmm9, [r12+rcx*1+0x10]", "f3 45 0f 6f 4c 0c 10");
    begin(&cb); x86_movdqu_store(&cb, x86_m(X86_R15, 0x200), 12); expect(&cb, "movdqu [r15+0x200], xmm12", "f3 45 0f 7f a7 00 02 00 00");
    begin(&cb); x86_movdqa_load(&cb, 1, x86_r(2)); expect(&cb, "movdqa xmm1, xmm2", "66 0f 6f ca");
    begin(&cb); x86_movdqa_load(&cb, 5, x86_m(X86_RSP, 0x20)); expect(&cb, "movdqa xmm5, [rsp+0x20]", "66 0f 6f 6c 24 20");
    begin(&cb); x86_movdqa_store(&cb, x86_m(X86_R13, 0), 7); expect(&cb, "movdqa [r13], xmm7", "66 41 0f 7f 7d 00");
    begin(&cb); x86_movq_load(&cb, 0, x86_r(X86_RAX)); expect(&cb, "movq xmm0, rax", "66 48 0f 6e c0");
    begin(&cb); x86_movq_load(&cb, 10, x86_r(X86_R9)); expect(&cb, "movq xmm10, r9", "66 4d 0f 6e d1");
    begin(&cb); x86_movq_load(&cb, 3, x86_m(X86_R15, 0x48)); expect(&cb, "movq xmm3, QWORD PTR [r15+0x48]", "f3 41 0f 7e 5f 48");
    begin(&cb); x86_movq_store(&cb, x86_r(X86_RCX), 2); expect(&cb, "movq rcx, xmm2", "66 48 0f 7e d1");
    begin(&cb); x86_movq_store(&cb, x86_r(X86_R14), 13); expect(&cb, "movq r14, xmm13", "66 4d 0f 7e ee");
    begin(&cb); x86_movq_store(&cb, x86_m(X86_RSP, 8), 8); expect(&cb, "movq QWORD PTR [rsp+8], xmm8", "66 44 0f d6 44 24 08");
    begin(&cb); x86_movd_load(&cb, 1, x86_r(X86_RDX)); expect(&cb, "movd xmm1, edx", "66 0f 6e ca");
    begin(&cb); x86_movd_load(&cb, 8, x86_m(X86_RBX, 4)); expect(&cb, "movd xmm8, DWORD PTR [rbx+4]", "66 44 0f 6e 43 04");
    begin(&cb); x86_movd_store(&cb, x86_r(X86_R10), 4); expect(&cb, "movd r10d, xmm4", "66 41 0f 7e e2");
    begin(&cb); x86_movd_store(&cb, x86_m(X86_R12, 0), 0); expect(&cb, "movd DWORD PTR [r12], xmm0", "66 41 0f 7e 04 24");
}
END_TEST

START_TEST(test_vex)
{
    CodeBuf cb;
    /* two-byte VEX (map 0F, W0, no X/B) */
    begin(&cb); x86_vex(&cb, 0x66, X86_MAP_0F, false, 0, 0xfe, 0, 1, x86_r(2)); expect(&cb, "vpaddd xmm0, xmm1, xmm2", "c5 f1 fe c2");
    begin(&cb); x86_vex(&cb, 0x66, X86_MAP_0F, false, 0, 0xfe, 8, 1, x86_r(2)); expect(&cb, "vpaddd xmm8, xmm1, xmm2", "c5 71 fe c2");
    begin(&cb); x86_vex(&cb, 0x66, X86_MAP_0F, false, 1, 0xef, 3, 14, x86_m(X86_RAX, 0x20)); expect(&cb, "vpxor ymm3, ymm14, [rax+0x20]", "c5 8d ef 58 20");
    begin(&cb); x86_vex(&cb, 0xf2, X86_MAP_0F, false, 0, 0x58, 0, 1, x86_r(2)); expect(&cb, "vaddsd xmm0, xmm1, xmm2", "c5 f3 58 c2");
    begin(&cb); x86_vex(&cb, 0, X86_MAP_0F, false, 1, 0x54, 5, 6, x86_r(7)); expect(&cb, "vandps ymm5, ymm6, ymm7", "c5 cc 54 ef");
    begin(&cb); x86_vex(&cb, 0xf3, X86_MAP_0F, false, 1, 0x6f, 2, 0, x86_m(X86_RSP, 0)); expect(&cb, "vmovdqu ymm2, [rsp]", "c5 fe 6f 14 24");
    /* three-byte VEX: B, X, W or a 0F38/0F3A map */
    begin(&cb); x86_vex(&cb, 0x66, X86_MAP_0F, false, 0, 0xfe, 0, 1, x86_r(8)); expect(&cb, "vpaddd xmm0, xmm1, xmm8", "c4 c1 71 fe c0");
    begin(&cb); x86_vex(&cb, 0x66, X86_MAP_0F, false, 1, 0xfe, 8, 9, x86_m(X86_R12, 8)); expect(&cb, "vpaddd ymm8, ymm9, [r12+8]", "c4 41 35 fe 44 24 08");
    begin(&cb); x86_vex(&cb, 0x66, X86_MAP_0F, false, 0, 0xfe, 0, 1, x86_mi(X86_RAX, X86_R9, 2, 0)); expect(&cb, "vpaddd xmm0, xmm1, [rax+r9*2]", "c4 a1 71 fe 04 48");
    begin(&cb); x86_vex(&cb, 0x66, X86_MAP_0F38, false, 0, 0x00, 3, 4, x86_mi(X86_RAX, X86_RCX, 4, 0)); expect(&cb, "vpshufb xmm3, xmm4, [rax+rcx*4]", "c4 e2 59 00 1c 88");
    begin(&cb); x86_vex(&cb, 0x66, X86_MAP_0F38, true, 0, 0x47, 1, 2, x86_r(3)); expect(&cb, "vpsllvq xmm1, xmm2, xmm3", "c4 e2 e9 47 cb");
    begin(&cb); x86_vex(&cb, 0x66, X86_MAP_0F3A, true, 1, 0x00, 0, 0, x86_r(1)); x86_byte(&cb, 0x1b); expect(&cb, "vpermq ymm0, ymm1, 0x1b", "c4 e3 fd 00 c1 1b");
    begin(&cb); x86_vex(&cb, 0x66, X86_MAP_0F38, false, 1, 0x58, 15, 0, x86_m(X86_R13, 0)); expect(&cb, "vpbroadcastd ymm15, DWORD PTR [r13]", "c4 42 7d 58 7d 00");
}
END_TEST

START_TEST(test_overflow)
{
    CodeBuf cb;
    begin(&cb);
    cb.end = test_buf + 4;
    x86_mov(&cb, 8, x86_r(X86_R15), x86_i(0x123456789abcdef0LL));
    ck_assert(cb.overflow);
    ck_assert_ptr_eq(cb.ptr, test_buf + 4);
    ck_assert_int_eq(test_buf[4], 0xcc);            /* nothing written past end */

    begin(&cb);
    cb.end = test_buf + 3;
    ck_assert_ptr_null(x86_jmp(&cb, 0));
    ck_assert(cb.overflow);
    ck_assert_int_eq(test_buf[3], 0xcc);
}
END_TEST

static Suite *encode_suite(void)
{
    Suite *s = suite_create("x86-encode");
    TCase *tc = tcase_create("bytes");
    tcase_add_test(tc, test_alu);
    tcase_add_test(tc, test_addressing);
    tcase_add_test(tc, test_mov);
    tcase_add_test(tc, test_extend_lea_test);
    tcase_add_test(tc, test_shift_bmi);
    tcase_add_test(tc, test_muldiv_bits);
    tcase_add_test(tc, test_atomics_stack);
    tcase_add_test(tc, test_simple_and_nop);
    tcase_add_test(tc, test_branches);
    tcase_add_test(tc, test_sse);
    tcase_add_test(tc, test_vex);
    tcase_add_test(tc, test_overflow);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(encode_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
