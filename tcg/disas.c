/*
 * capstone-backed disassembly (see disas.h).  One handle per architecture,
 * opened on first use.
 */
#include <capstone/capstone.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>

#include "linux-user/log.h"
#include "tcg/disas.h"

typedef struct DisasHandles {
    csh handle[2];
    bool tried[2], ok[2];
} DisasHandles;

static DisasHandles disas_handles;

static bool disas_open(DisasArch arch, csh *out)
{
    DisasHandles *d = &disas_handles;
    if (!d->tried[arch]) {
        d->tried[arch] = true;
        d->ok[arch] = arch == DISAS_GUEST_A64
            ? cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &d->handle[arch]) == CS_ERR_OK
            : cs_open(CS_ARCH_X86, CS_MODE_64, &d->handle[arch]) == CS_ERR_OK;
    }
    *out = d->handle[arch];
    return d->ok[arch];
}

void disas_log(DisasArch arch, const void *code, size_t size, uint64_t addr)
{
    csh h;
    size_t done = 0;
    if (disas_open(arch, &h)) {
        cs_insn *insn;
        size_t n = cs_disasm(h, code, size, addr, 0, &insn);
        for (size_t i = 0; i < n; i++) {
            ferry_log("0x%016" PRIx64 ":  %-8s %s\n", insn[i].address, insn[i].mnemonic, insn[i].op_str);
            done += insn[i].size;
        }
        if (n) {
            cs_free(insn, n);
        }
    }
    if (done < size) {
        ferry_log("0x%016" PRIx64 ":  (%zu bytes not disassembled)\n", addr + done, size - done);
    }
}

int disas_guest_insn(uint32_t insn, uint64_t pc, char *buf, size_t len)
{
    csh h;
    cs_insn *ci;
    uint8_t bytes[4] = { (uint8_t)insn, (uint8_t)(insn >> 8), (uint8_t)(insn >> 16), (uint8_t)(insn >> 24) };
    if (disas_open(DISAS_GUEST_A64, &h) && cs_disasm(h, bytes, 4, pc, 1, &ci) == 1) {
        snprintf(buf, len, "%s %s", ci->mnemonic, ci->op_str);
        cs_free(ci, 1);
        return 1;
    }
    snprintf(buf, len, "(unknown to the disassembler)");
    return 0;
}
