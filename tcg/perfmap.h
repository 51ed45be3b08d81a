/*
 * /tmp/perf-PID.map for `perf report` (see perfmap.c): translated blocks
 * named after the guest functions they came from.
 */
#ifndef FERRY_TCG_PERFMAP_H
#define FERRY_TCG_PERFMAP_H

#include <stdbool.h>
#include <stdint.h>

/* Start the map; guest_elf (may be NULL) gives the symbols, load_bias
 * where an ET_DYN image was placed. */
void perfmap_init(const char *guest_elf, uint64_t load_bias);
bool perfmap_enabled(void);
/* One translated block: host code [code, code+size) from guest_pc. */
void perfmap_add(uintptr_t code, uint32_t size, uint64_t guest_pc);

#endif
