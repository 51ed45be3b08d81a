/*
 * Guest test: A64 data processing with an immediate operand (logical
 * immediates, bitfield moves, EXTR, move wide, add/subtract immediate,
 * ADR/ADRP).  The stubs are in dp-imm-stubs.inc; dp-driver.h runs them.
 */
#include "dp-driver.h"

__asm__(".pushsection .text\n"
        ".include \"dp-imm-stubs.inc\"\n"
        ".popsection\n");
