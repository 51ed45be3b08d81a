/*
 * capstone side of test-golden.c: decode translated x86-64 code into a list
 * of instructions with the two facts the golden counts need (padding nop,
 * unconditional jmp).  Kept apart because capstone's x86 header and ferry's
 * encoder header both name X86_OP_REG.
 */
#include <capstone/capstone.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test-golden.h"

int golden_disasm(const uint8_t *code, size_t len, uint64_t addr, GoldenInsn *out, int max)
{
    csh cs;
    cs_insn *insn;
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK) {
        return -1;
    }
    size_t n = cs_disasm(cs, code, len, addr, 0, &insn);
    int k = 0;
    for (size_t i = 0; i < n && k < max; i++, k++) {
        out[k].addr = insn[i].address;
        out[k].nop = strcmp(insn[i].mnemonic, "nop") == 0;
        out[k].jmp = strcmp(insn[i].mnemonic, "jmp") == 0;
        out[k].target = strncmp(insn[i].op_str, "0x", 2) == 0 ? strtoull(insn[i].op_str, NULL, 16) : 0;
        snprintf(out[k].text, sizeof(out[k].text), "%.31s %.63s", insn[i].mnemonic, insn[i].op_str);
    }
    cs_free(insn, n);
    cs_close(&cs);
    return k;
}
