/*
 * Disassembly for the -d logs and error messages: guest AArch64 and host
 * x86-64 code through capstone.  Kept apart from the encoder headers, whose
 * names overlap capstone's.
 */
#ifndef FERRY_TCG_DISAS_H
#define FERRY_TCG_DISAS_H

#include <stddef.h>
#include <stdint.h>

typedef enum DisasArch { DISAS_GUEST_A64, DISAS_HOST_X86_64 } DisasArch;

/* Write one line per instruction of code[0..size) (located at addr) to the
 * log; bytes that do not decode are reported as such. */
void disas_log(DisasArch arch, const void *code, size_t size, uint64_t addr);

/* "mnemonic operands" of one A64 instruction into buf; false if capstone
 * does not know it (buf then says so). */
int disas_guest_insn(uint32_t insn, uint64_t pc, char *buf, size_t len);

#endif
