/*
 * Loading a guest program: the ELF loader (elfload.c) maps the program into
 * the guest address space, and the stack builder (stack.c) creates the
 * initial stack the way the Linux kernel does for an arm64 process.
 */
#ifndef FERRY_LINUX_USER_LOADER_H
#define FERRY_LINUX_USER_LOADER_H

#include <stdbool.h>
#include <stdint.h>
#include <glib.h>
#include "linux-user/process.h"

/* Loader errors: error->code is the exit status to use (1, 126 or 127),
 * error->message a complete sentence without the "ferry-aarch64: " prefix. */
#define LOADER_ERROR loader_error_quark()
GQuark loader_error_quark(void);

/* Where a static-pie (ET_DYN) program is placed when that range is free. */
#define ELF_ET_DYN_LOAD_ADDR 0x5500000000ull

/* Map the ELF program at path (as given by the user) and fill img (entry,
 * bias, phdr, segment bounds, brk start, exec_stack).  Also initialises the
 * guest break.  A dynamic program's interpreter is loaded from under
 * sysroot (-L); without one, dynamic programs are refused. */
bool elf_load_program(const char *path, const char *sysroot, GuestImage *img, GError **error);

/* The same for a program the kernel has already opened (binfmt_misc's O
 * flag: AT_EXECFD); path names it in messages and mappings.  fd stays open
 * (the loader uses a duplicate); the caller closes it. */
bool elf_load_program_fd(int fd, const char *path, const char *sysroot, GuestImage *img, GError **error);

typedef struct StackArgs {
    int argc;
    char **argv;             /* guest argv, argv[argc] == NULL */
    char **envp;             /* guest environment, NULL-terminated */
    const char *execfn;      /* AT_EXECFN: the program path as given */
    uint64_t hwcap, hwcap2;
    uint64_t stack_size;     /* 0: default (RLIMIT_STACK, see stack.c) */
    const uint8_t *random;   /* 16 bytes for AT_RANDOM, NULL: getrandom */
} StackArgs;

/* Values the stack builder puts in the auxiliary vector. */
#define GUEST_PLATFORM     "aarch64"
#define GUEST_CLKTCK       100
#define GUEST_MINSIGSTKSZ  4720   /* signal frame without SVE/SME, as arm64 Linux reports */

uint64_t stack_default_size(void);

/* Map the guest stack ("[stack]"), write strings, argc/argv/envp/auxv into
 * it, and set img->stack_top, sp, auxv, auxv_len, arg_*, env_*.  Needs the
 * prog_entry, interp_base and phdr fields of img from the loader. */
bool stack_build(GuestImage *img, const StackArgs *args, GError **error);

#endif
