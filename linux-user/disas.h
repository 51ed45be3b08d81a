/*
 * Disassembly with capstone for the logs (-d in_asm, out_asm) and for error
 * messages: AArch64 guest code and x86-64 host code.
 */
#ifndef FERRY_LINUX_USER_DISAS_H
#define FERRY_LINUX_USER_DISAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Write len bytes of guest code, located at guest address pc, to the log:
 * one line per instruction ("0x<pc>:  <encoding>  <mnemonic> <operands>"). */
void disas_guest_log(uint64_t pc, const void *code, size_t len);

/* Write len bytes of host code to the log; addr is the address shown for
 * the first byte (normally where the code executes). */
void disas_host_log(uint64_t addr, const void *code, size_t len);

/* "mnemonic operands" of one A64 instruction into buf; false (and buf =
 * "(unallocated)") if capstone does not know the encoding. */
bool disas_guest_insn(uint32_t insn, uint64_t pc, char *buf, size_t len);

#endif
