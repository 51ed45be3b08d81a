/*
 * Guest test: A64 data processing on registers (shifted and extended
 * register forms, with carry, conditional compare and select, 1-, 2- and
 * 3-source).  The stubs are in dp-reg-stubs.inc; dp-driver.h runs them.
 */
#include "dp-driver.h"

__asm__(".pushsection .text\n"
        ".include \"dp-reg-stubs.inc\"\n"
        ".popsection\n");
