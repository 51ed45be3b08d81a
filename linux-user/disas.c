/*
 * capstone wrappers for the logs and error messages.  Each thread opens its
 * own capstone handles the first time it disassembles (capstone handles are
 * not shared between threads).
 */
#include "linux-user/disas.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <capstone/capstone.h>

#include "linux-user/log.h"

typedef struct DisasHandles {
    csh guest, host;
    bool guest_open, host_open;
} DisasHandles;

static _Thread_local DisasHandles disas_handles;

static bool open_guest(csh *h)
{
    DisasHandles *d = &disas_handles;
    if (!d->guest_open) d->guest_open = cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &d->guest) == CS_ERR_OK;
    *h = d->guest;
    return d->guest_open;
}

static bool open_host(csh *h)
{
    DisasHandles *d = &disas_handles;
    if (!d->host_open) d->host_open = cs_open(CS_ARCH_X86, CS_MODE_64, &d->host) == CS_ERR_OK;
    *h = d->host;
    return d->host_open;
}

bool disas_guest_insn(uint32_t insn, uint64_t pc, char *buf, size_t len)
{
    csh h;
    cs_insn *ci;
    uint8_t bytes[4] = { insn, insn >> 8, insn >> 16, insn >> 24 };

    if (open_guest(&h) && cs_disasm(h, bytes, 4, pc, 1, &ci) == 1) {
        snprintf(buf, len, "%s%s%s", ci->mnemonic, ci->op_str[0] ? " " : "", ci->op_str);
        cs_free(ci, 1);
        return true;
    }
    snprintf(buf, len, "(unallocated)");
    return false;
}

void disas_guest_log(uint64_t pc, const void *code, size_t len)
{
    const uint8_t *p = code;
    for (size_t off = 0; off + 4 <= len; off += 4) {
        uint32_t insn = (uint32_t)p[off] | (uint32_t)p[off + 1] << 8 |
                        (uint32_t)p[off + 2] << 16 | (uint32_t)p[off + 3] << 24;
        char text[160];
        disas_guest_insn(insn, pc + off, text, sizeof text);
        ferry_log("  0x%016" PRIx64 ":  %08x      %s\n", pc + off, insn, text);
    }
}

void disas_host_log(uint64_t addr, const void *code, size_t len)
{
    csh h;
    cs_insn *ci;
    const uint8_t *p = code;
    size_t off = 0;

    if (!open_host(&h)) return;
    while (off < len) {
        size_t n = cs_disasm(h, p + off, len - off, addr + off, 0, &ci);
        for (size_t i = 0; i < n; i++) {
            char hex[64] = "";
            for (unsigned b = 0; b < ci[i].size && b < 15 && 3 * b + 3 < sizeof hex; b++)
                snprintf(hex + 3 * b, sizeof hex - 3 * b, "%02x ", ci[i].bytes[b]);
            ferry_log("  0x%016" PRIx64 ":  %-30s %s %s\n", ci[i].address, hex, ci[i].mnemonic, ci[i].op_str);
            off += ci[i].size;
        }
        if (n) cs_free(ci, n);
        if (off < len) {                       /* undecodable byte: show it, go on */
            ferry_log("  0x%016" PRIx64 ":  %02x                             (bad)\n", addr + off, p[off]);
            off++;
        }
    }
}
