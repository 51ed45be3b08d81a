/*
 * The guest's initial stack, laid out as arm64 Linux builds it at execve
 * (fs/exec.c copies the strings, fs/binfmt_elf.c create_elf_tables adds the
 * rest).  From the top of the stack mapping down:
 *
 *     8 zero bytes
 *     execfn string (AT_EXECFN)
 *     environment strings, then argument strings (argv[0] lowest)
 *     -- aligned down to 16 --
 *     platform string "aarch64" (AT_PLATFORM)
 *     16 random bytes (AT_RANDOM)
 *     -- aligned down to 16 after making room for the table --
 *     argc, argv[0..argc-1], NULL, envp[0..], NULL, auxv pairs, AT_NULL pair
 *
 * and sp points at argc.
 */
#include "linux-user/loader.h"

#include <elf.h>
#include <errno.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <unistd.h>

#include "linux-user/guest-mem.h"

#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51
#endif

#define DEFAULT_STACK_SIZE (8ull << 20)
#define MAX_STACK_SIZE     (1ull << 30)
#define MIN_STACK_SIZE     (128ull << 10)
#define MAX_AUXV_PAIRS     24

/* The kernel lets the main stack grow to RLIMIT_STACK (`ulimit -s`); ferry
 * maps that much up front (without reserving swap for it), so recursion
 * past the limit faults where it would on arm64 Linux.  An unlimited stack
 * gets MAX_STACK_SIZE. */
uint64_t stack_default_size(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_STACK, &rl) != 0)
        return DEFAULT_STACK_SIZE;
    if (rl.rlim_cur == RLIM_INFINITY)
        return MAX_STACK_SIZE;
    return MIN((uint64_t)rl.rlim_cur, MAX_STACK_SIZE) & ~(GUEST_PAGE_SIZE - 1);
}

/* Writes downwards from the top of the stack. */
typedef struct StackWriter {
    uint64_t p;              /* guest address of the lowest byte written so far */
} StackWriter;

static uint64_t push_bytes(StackWriter *w, const void *data, size_t len)
{
    w->p -= len;
    memcpy(g2h(w->p), data, len);
    return w->p;
}

static uint64_t push_string(StackWriter *w, const char *s)
{
    return push_bytes(w, s, strlen(s) + 1);
}

typedef struct AuxvBuilder {
    uint64_t pairs[MAX_AUXV_PAIRS][2];
    unsigned n;
} AuxvBuilder;

static void aux(AuxvBuilder *a, uint64_t type, uint64_t val)
{
    g_assert(a->n < MAX_AUXV_PAIRS);
    a->pairs[a->n][0] = type;
    a->pairs[a->n][1] = val;
    a->n++;
}

/* The auxiliary vector in the order arm64 Linux emits it (AT_SYSINFO_EHDR
 * only when a vDSO is mapped). */
static void build_auxv(AuxvBuilder *a, const GuestImage *img, const StackArgs *args,
                       uint64_t u_platform, uint64_t u_random, uint64_t u_execfn)
{
    a->n = 0;
    if (img->vdso_base)
        aux(a, AT_SYSINFO_EHDR, img->vdso_base);
    aux(a, AT_MINSIGSTKSZ, GUEST_MINSIGSTKSZ);
    aux(a, AT_HWCAP, args->hwcap);
    aux(a, AT_PAGESZ, GUEST_PAGE_SIZE);
    aux(a, AT_CLKTCK, GUEST_CLKTCK);
    aux(a, AT_PHDR, img->phdr);
    aux(a, AT_PHENT, img->phent);
    aux(a, AT_PHNUM, img->phnum);
    aux(a, AT_BASE, img->interp_base);  /* 0 without an interpreter */
    aux(a, AT_FLAGS, 0);
    aux(a, AT_ENTRY, img->prog_entry);
    aux(a, AT_UID, getuid());
    aux(a, AT_EUID, geteuid());
    aux(a, AT_GID, getgid());
    aux(a, AT_EGID, getegid());
    aux(a, AT_SECURE, getauxval(AT_SECURE));
    aux(a, AT_RANDOM, u_random);
    aux(a, AT_HWCAP2, args->hwcap2);
    aux(a, AT_EXECFN, u_execfn);
    aux(a, AT_PLATFORM, u_platform);
    aux(a, AT_NULL, 0);
}

static int count_strings(char **v)
{
    int n = 0;
    while (v && v[n]) n++;
    return n;
}

static uint64_t strings_size(char **v, int n)
{
    uint64_t total = 0;
    for (int i = 0; i < n; i++) total += strlen(v[i]) + 1;
    return total;
}

static bool map_stack(GuestImage *img, uint64_t size, GError **error, uint64_t *base)
{
    int prot = PROT_READ | PROT_WRITE | (img->exec_stack ? PROT_EXEC : 0);
    /* A PROT_NONE gap below the stack (Linux keeps 1 MiB, stack_guard_gap):
     * an overflowing guest faults there instead of writing into whatever
     * ferry mapped next to it. */
    const uint64_t guard = 1u << 20;
    void *g = mmap(NULL, size + guard, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    void *p = g == MAP_FAILED ? MAP_FAILED
                              : mmap((char *)g + guard, size, prot,
                                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE | MAP_FIXED,
                                     -1, 0);
    if (p == MAP_FAILED) {
        g_set_error(error, LOADER_ERROR, 1, "cannot map a %" G_GUINT64_FORMAT "-byte stack: %s",
                    size, g_strerror(errno));
        return false;
    }
    if (h2g(p) + size - 1 > GUEST_ADDR_MAX) {
        munmap(p, size);
        g_set_error(error, LOADER_ERROR, 1, "the stack landed outside the 47-bit address space");
        return false;
    }
    guest_mem_record(h2g(p), size, prot, "[stack]");
    *base = h2g(p);
    return true;
}

bool stack_build(GuestImage *img, const StackArgs *args, GError **error)
{
    uint64_t size = args->stack_size ? args->stack_size : stack_default_size();
    size = MAX((size + GUEST_PAGE_SIZE - 1) & ~(GUEST_PAGE_SIZE - 1), MIN_STACK_SIZE);
    int argc = args->argc, envc = count_strings(args->envp);

    /* Like the kernel, allow the strings a quarter of the stack. */
    uint64_t string_bytes = strings_size(args->argv, argc) + strings_size(args->envp, envc) +
                            strlen(args->execfn) + 1;
    uint64_t table_bytes = 8ull * (3 + argc + envc + 2 * MAX_AUXV_PAIRS);
    if (string_bytes + table_bytes + 64 > size / 4) {
        g_set_error(error, LOADER_ERROR, 1, "%s: Argument list too long", args->execfn);
        return false;
    }

    uint64_t base;
    if (!map_stack(img, size, error, &base)) return false;
    StackWriter w = { base + size - 8 };      /* 8 zero bytes at the very top */

    uint64_t u_execfn = push_string(&w, args->execfn);
    uint64_t *envp_addr = g_new(uint64_t, envc + 1);
    uint64_t *argv_addr = g_new(uint64_t, argc + 1);
    img->env_end = u_execfn;
    for (int i = envc - 1; i >= 0; i--) envp_addr[i] = push_string(&w, args->envp[i]);
    img->env_start = img->arg_end = w.p;
    for (int i = argc - 1; i >= 0; i--) argv_addr[i] = push_string(&w, args->argv[i]);
    img->arg_start = w.p;

    w.p &= ~15ull;
    uint64_t u_platform = push_string(&w, GUEST_PLATFORM);
    uint8_t random[16];
    if (args->random) memcpy(random, args->random, sizeof random);
    else if (getrandom(random, sizeof random, 0) != sizeof random) g_assert_not_reached();
    uint64_t u_random = push_bytes(&w, random, sizeof random);

    AuxvBuilder auxv;
    build_auxv(&auxv, img, args, u_platform, u_random, u_execfn);
    uint64_t items = (uint64_t)(argc + 1) + (uint64_t)(envc + 1) + 1;
    uint64_t sp = (w.p - 16ull * auxv.n - 8 * items) & ~15ull;

    uint64_t *slot = g2h(sp);
    *slot++ = (uint64_t)argc;
    for (int i = 0; i < argc; i++) *slot++ = argv_addr[i];
    *slot++ = 0;
    for (int i = 0; i < envc; i++) *slot++ = envp_addr[i];
    *slot++ = 0;
    img->auxv = h2g(slot);
    img->auxv_len = 16ull * auxv.n;
    memcpy(slot, auxv.pairs, img->auxv_len);

    img->stack_top = base + size;
    img->sp = sp;
    g_free(envp_addr);
    g_free(argv_addr);
    return true;
}
