/*
 * Host instruction counting for test-lower.c's golden code tests, in its own
 * file because capstone's x86 header and ferry's encoder header both name
 * X86_OP_REG.
 */
#include <capstone/capstone.h>
#include <stdint.h>
#include <stdio.h>

int test_count_host_insns(const uint8_t *start, const uint8_t *end, FILE *listing)
{
    csh cs;
    cs_insn *insn;
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK) {
        return -1;
    }
    size_t len = (size_t)(end - start);
    size_t n = cs_disasm(cs, start, len, (uint64_t)(uintptr_t)start, 0, &insn);
    size_t covered = 0;
    for (size_t i = 0; i < n; i++) {
        covered += insn[i].size;
        if (listing) {
            fprintf(listing, "    %s %s\n", insn[i].mnemonic, insn[i].op_str);
        }
    }
    cs_free(insn, n);
    cs_close(&cs);
    return covered == len ? (int)n : -1;
}
