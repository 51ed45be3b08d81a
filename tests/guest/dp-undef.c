/*
 * Unallocated encodings inside the data-processing classes must raise
 * SIGILL, as on hardware.  Each encoding runs in a forked child (written to
 * a fresh executable page followed by RET); the parent reports how the
 * child ended.  Expected output in dp-undef.expected.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

struct undef_case {
    uint32_t insn;
    const char *why;
};

static const struct undef_case cases[] = {
    { 0x12400020, "logical imm: sf=0 with N=1" },
    { 0x1200fc20, "logical imm: N=0 imms=111111 (no element size)" },
    { 0x9240fc20, "logical imm: 64-bit element of all ones" },
    { 0x92007c20, "logical imm: 32-bit element of all ones" },
    { 0x1200f820, "logical imm: 2-bit element of all ones" },
    { 0x32800000, "move wide: opc=01" },
    { 0x12c00000, "move wide: sf=0 hw=2" },
    { 0x52e00000, "move wide: sf=0 hw=3" },
    { 0x93000020, "bitfield: sf=1 N=0" },
    { 0x13400020, "bitfield: sf=0 N=1" },
    { 0x13008020, "bitfield: sf=0 imms=32" },
    { 0x53200020, "bitfield: sf=0 immr=32" },
    { 0x73000020, "bitfield: opc=11" },
    { 0x93800020, "extr: sf=1 N=0" },
    { 0x13c00020, "extr: sf=0 N=1" },
    { 0x13828020, "extr: sf=0 imms=32" },
    { 0x93a00020, "extr: o0=1" },
    { 0x0a028020, "logical shifted: sf=0 amount=32" },
    { 0x8bc20020, "add shifted: shift=ROR" },
    { 0x0b028020, "add shifted: sf=0 amount=32" },
    { 0x6bc20020, "subs shifted: shift=ROR" },
    { 0x8b621420, "add extended: opt=01" },
    { 0x8b221420, "add extended: imm3=5" },
    { 0xab221c20, "adds extended: imm3=7" },
    { 0x9a020420, "adc: bits 15:10 not zero" },
    { 0x5a420020, "ccmp: S=0" },
    { 0x7a420420, "ccmp: o2=1" },
    { 0xfa420030, "ccmp: o3=1" },
    { 0x1a820820, "csel: op2=1x" },
    { 0x3a820020, "csel: S=1" },
    { 0x5ac00c20, "rev: sf=0 opcode=000011" },
    { 0x5ac01820, "1-source: opcode=000110 (CTZ: FEAT_CSSC not advertised)" },
    { 0x7ac00020, "1-source: S=1" },
    { 0x1ac00020, "2-source: sf=0 opcode=000000" },
    { 0x1ac20420, "2-source: opcode=000001" },
    { 0x1ac23020, "2-source: sf=0 opcode=001100" },
    { 0x1ac24c20, "crc32x: sf=0" },
    { 0x9ac24020, "crc32b: sf=1" },
    { 0x1b220020, "smaddl: sf=0" },
    { 0x1b420020, "smulh: sf=0" },
    { 0x9b428020, "smulh: o0=1" },
    { 0x9b620020, "3-source: op31=011" },
    { 0x9be20020, "3-source: op31=111" },
    { 0x3b020020, "3-source: op54=01" },
};

/* Run one instruction in a child; returns the signal that ended it, or 0. */
static int run_in_child(uint32_t insn)
{
    pid_t pid = fork();
    if (pid == 0) {
        uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (code == MAP_FAILED) {
            _exit(2);
        }
        code[0] = insn;
        code[1] = 0xd65f03c0;   /* ret */
        __builtin___clear_cache((char *)code, (char *)(code + 2));
        ((void (*)(void))code)();
        _exit(0);
    }
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid) {
        return -1;
    }
    return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

int main(void)
{
    int failures = 0;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int sig = run_in_child(cases[i].insn);
        const char *what = sig == SIGILL ? "SIGILL" : sig == 0 ? "no signal" : strsignal(sig);
        printf("%08x %-9s %s\n", cases[i].insn, what, cases[i].why);
        failures += sig != SIGILL;
    }
    printf("%d unexpected\n", failures);
    return failures != 0;
}
