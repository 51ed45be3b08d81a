/*
 * Debug logging selected with -d / FERRY_LOG and written to stderr or the
 * -D file.  The items follow qemu-user's spelling.
 */
#ifndef FERRY_LOG_H
#define FERRY_LOG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define LOG_ITEMS(X) \
    X(IN_ASM,  "in_asm",  "guest instructions of each new block (capstone)") \
    X(OUT_ASM, "out_asm", "host code generated for each block (capstone)") \
    X(OP,      "op",      "IR of each block after the passes") \
    X(EXEC,    "exec",    "every block as it is entered from the dispatcher") \
    X(CPU,     "cpu",     "guest registers at each dispatcher entry") \
    X(UNIMP,   "unimp",   "unimplemented instructions and syscalls") \
    X(STRACE,  "strace",  "system calls with arguments and results") \
    X(PAGE,    "page",    "guest memory map changes") \
    X(TCACHE,  "tcache",  "the translation cache file: what was loaded, used and saved")

enum {
#define X(id, name, help) LOG_BIT_##id,
    LOG_ITEMS(X)
#undef X
};
enum {
#define X(id, name, help) LOG_##id = 1ull << LOG_BIT_##id,
    LOG_ITEMS(X)
#undef X
};

extern uint64_t ferry_log_mask;
extern FILE *ferry_log_file;        /* stderr unless -D */

static inline bool log_enabled(uint64_t mask) { return (ferry_log_mask & mask) != 0; }
void ferry_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Parse "in_asm,out_asm"; returns false and sets *bad to the unknown item. */
bool log_parse_items(const char *items, uint64_t *mask, char **bad);
bool log_open_file(const char *path);

/* Descriptors ferry keeps for itself go at or above this number. */
#define FERRY_PRIVATE_FD_BASE 800
/* Move fd to a high close-on-exec slot (returns the new fd). */
int ferry_private_fd(int fd);
/* open(path, flags) as a high close-on-exec stdio stream (append mode). */
FILE *ferry_private_fopen(const char *path, int flags);

#endif
