/*
 * Translation blocks and the translation cache.  A TranslationBlock is the
 * host code for one guest block plus what is needed to chain, unchain and
 * invalidate it and to map a host PC inside it back to a guest PC.
 */
#ifndef FERRY_TCG_TB_H
#define FERRY_TCG_TB_H

#include <stdbool.h>
#include <stdint.h>

#define TB_MAX_GUEST_INSNS 128

typedef struct TranslationBlock TranslationBlock;

/* One direct exit (GOTO_TB / either side of BRCOND).  jmp_disp is the
 * writable address of the rel32 that initially points at the exit's own
 * stub (which returns to the dispatcher) and is patched to the target TB's
 * code once that exists. */
typedef struct TBExit TBExit;
struct TBExit {
    uint64_t target_pc;
    uint8_t *jmp_disp;           /* writable address of the rel32 */
    uintptr_t stub;              /* executable address of the unchained stub */
    TranslationBlock *linked;    /* TB this exit is chained to, or NULL */
    TBExit *next_incoming;       /* next exit chained to the same TB */
};

struct TranslationBlock {
    uint64_t pc;                 /* guest address of the first instruction */
    uint64_t guest_end;          /* guest address after the last one */
    uintptr_t code;              /* executable address of the host code */
    uint32_t code_size;
    uint16_t n_insns;
    uint16_t n_exits;
    TBExit exits[2];
    /* host offset (from code) where each guest instruction's code starts;
     * insn_host_off[i] belongs to guest pc + 4*i.  The backend fills the
     * array it is given (NULL: not wanted); the translation cache then
     * keeps the n_insns entries right after the block's code, so a TB
     * stays small (fewer pages touched at start-up).  16 bits: a block
     * whose code would not fit is translated again with fewer guest
     * instructions. */
    uint16_t *insn_host_off;
    /* exits of other TBs chained to this one (a list through
     * TBExit.next_incoming), so invalidation can unchain them */
    TBExit *incoming;
    bool invalid;
    /* host registers (bits by number) the block borrowed from pinned guest
     * registers: inside it, env holds those guest registers' values */
    uint16_t borrowed;
    /* Guest code of successors the translator read to decide that NZCV is
     * dead at this block's end ([start, end) each; empty if none): a change
     * there invalidates this block too. */
    struct TBPeek { uint64_t start, end; } peek[2];
};

/* Map a host PC inside translated code to the guest PC of the instruction
 * being executed; false if host_pc is not in the code cache. */
bool tb_host_pc_to_guest(uintptr_t host_pc, uint64_t *guest_pc);
/* The block whose code holds host_pc, or NULL; the guest PC of the
 * instruction whose host code holds offset off of a block. */
const TranslationBlock *tb_at_host_pc(uintptr_t host_pc);
uint64_t tb_guest_pc_at(const TranslationBlock *tb, uint32_t off);

#endif
