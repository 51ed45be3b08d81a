/*
 * capstone-backed disassembly (see disas.h).  One handle per architecture,
 * opened on first use.
 *
 * A dynamically linked ferry does not link capstone at all: relocating its
 * tables costs a third of a static hello world's start-up page faults, and
 * only the -d logs and error reports need it.  The library is dlopen'ed the
 * first time something is disassembled.  A static ferry links it in.
 */
#include <capstone/capstone.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>

#include "ferry-config.h"
#include "linux-user/log.h"
#include "tcg/disas.h"

#ifdef FERRY_STATIC
#define disas_load_capstone() true
#else
#include <dlfcn.h>

/* The three capstone entry points ferry uses, looked up at first use. */
static struct {
    cs_err (*open)(cs_arch, cs_mode, csh *);
    size_t (*disasm)(csh, const uint8_t *, size_t, uint64_t, size_t, cs_insn **);
    void (*free)(cs_insn *, size_t);
} capstone_fns;

static bool disas_load_capstone(void)
{
    static const char *const names[] = { "libcapstone.so.4", "libcapstone.so.5", "libcapstone.so" };
    if (capstone_fns.free) {
        return true;
    }
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        void *lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        if (!lib) {
            continue;
        }
        capstone_fns.open = (cs_err (*)(cs_arch, cs_mode, csh *))dlsym(lib, "cs_open");
        capstone_fns.disasm = (size_t (*)(csh, const uint8_t *, size_t, uint64_t, size_t, cs_insn **))
            dlsym(lib, "cs_disasm");
        capstone_fns.free = (void (*)(cs_insn *, size_t))dlsym(lib, "cs_free");
        if (capstone_fns.open && capstone_fns.disasm && capstone_fns.free) {
            return true;
        }
        capstone_fns.free = NULL;
        dlclose(lib);
    }
    return false;
}

#define cs_open capstone_fns.open
#define cs_disasm capstone_fns.disasm
#define cs_free capstone_fns.free
#endif

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
        d->ok[arch] = disas_load_capstone() && (arch == DISAS_GUEST_A64
            ? cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &d->handle[arch]) == CS_ERR_OK
            : cs_open(CS_ARCH_X86, CS_MODE_64, &d->handle[arch]) == CS_ERR_OK);
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
