/*
 * The vDSO: AT_SYSINFO_EHDR points at an arm64 ELF shared object that
 * defines __kernel_clock_gettime, __kernel_gettimeofday,
 * __kernel_clock_getres and __kernel_rt_sigreturn at version LINUX_2.6.39
 * (what the C library looks up), and time read through it (glibc uses it)
 * agrees with the system call: monotonic, and between two raw syscalls.
 */
#include <elf.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "sys-check.h"

static const Elf64_Phdr *dynamic_phdr(const Elf64_Ehdr *eh)
{
    const Elf64_Phdr *ph = (const Elf64_Phdr *)((const char *)eh + eh->e_phoff);
    for (int i = 0; i < eh->e_phnum; i++)
        if (ph[i].p_type == PT_DYNAMIC)
            return &ph[i];
    return NULL;
}

/* Is name defined with version `version` in the vDSO's dynamic symbols? */
static int has_versioned_symbol(const Elf64_Ehdr *eh, const char *name, const char *version)
{
    const char *base = (const char *)eh;
    const Elf64_Phdr *dp = dynamic_phdr(eh);
    const Elf64_Sym *symtab = NULL;
    const char *strtab = NULL;
    const Elf64_Half *versym = NULL;
    const Elf64_Verdef *verdef = NULL;
    const Elf64_Word *hash = NULL;
    if (!dp)
        return 0;
    for (const Elf64_Dyn *d = (const Elf64_Dyn *)(base + dp->p_vaddr); d->d_tag != DT_NULL; d++) {
        switch (d->d_tag) {
        case DT_SYMTAB: symtab = (const Elf64_Sym *)(base + d->d_un.d_ptr); break;
        case DT_STRTAB: strtab = base + d->d_un.d_ptr; break;
        case DT_VERSYM: versym = (const Elf64_Half *)(base + d->d_un.d_ptr); break;
        case DT_VERDEF: verdef = (const Elf64_Verdef *)(base + d->d_un.d_ptr); break;
        case DT_HASH:   hash = (const Elf64_Word *)(base + d->d_un.d_ptr); break;
        }
    }
    if (!symtab || !strtab || !versym || !verdef || !hash)
        return 0;
    for (Elf64_Word i = 1; i < hash[1]; i++) {
        if (strcmp(strtab + symtab[i].st_name, name) != 0 || symtab[i].st_shndx == SHN_UNDEF)
            continue;
        for (const Elf64_Verdef *v = verdef;; v = (const Elf64_Verdef *)((const char *)v + v->vd_next)) {
            const Elf64_Verdaux *aux = (const Elf64_Verdaux *)((const char *)v + v->vd_aux);
            if (v->vd_ndx == (versym[i] & 0x7fff) && strcmp(strtab + aux->vda_name, version) == 0)
                return 1;
            if (!v->vd_next)
                break;
        }
    }
    return 0;
}

static long long ns(const struct timespec *t)
{
    return t->tv_sec * 1000000000ll + t->tv_nsec;
}

static void raw_clock(clockid_t id, struct timespec *t)
{
    syscall(SYS_clock_gettime, id, t);
}

int main(void)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)getauxval(AT_SYSINFO_EHDR);
    check(eh != NULL, "AT_SYSINFO_EHDR is set");
    if (!eh)
        return 1;
    check(memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0 && eh->e_type == ET_DYN && eh->e_machine == EM_AARCH64,
          "it is an arm64 shared object");
    static const char *const names[] = { "__kernel_clock_gettime", "__kernel_gettimeofday",
                                         "__kernel_clock_getres", "__kernel_rt_sigreturn" };
    for (int i = 0; i < 4; i++) {
        char what[96];
        snprintf(what, sizeof what, "%s@LINUX_2.6.39", names[i]);
        check(has_versioned_symbol(eh, names[i], "LINUX_2.6.39"), what);
    }

    static const clockid_t clocks[] = { CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_BOOTTIME };
    static const char *const clock_names[] = { "MONOTONIC", "REALTIME", "BOOTTIME" };
    for (int c = 0; c < 3; c++) {
        struct timespec before, t, after, prev = { 0, 0 };
        int ordered = 1, bracketed = 1;
        for (int i = 0; i < 2000; i++) {
            raw_clock(clocks[c], &before);
            clock_gettime(clocks[c], &t);
            raw_clock(clocks[c], &after);
            ordered &= ns(&t) >= ns(&prev) && t.tv_nsec >= 0 && t.tv_nsec < 1000000000;
            bracketed &= ns(&before) <= ns(&t) && ns(&t) <= ns(&after);
            prev = t;
        }
        char what[96];
        snprintf(what, sizeof what, "clock_gettime(%s) never goes back", clock_names[c]);
        check(ordered, what);
        snprintf(what, sizeof what, "clock_gettime(%s) lies between two system calls", clock_names[c]);
        check(bracketed, what);
    }
    struct timeval tv;
    struct timespec rt;
    raw_clock(CLOCK_REALTIME, &rt);
    gettimeofday(&tv, NULL);
    check(tv.tv_sec - rt.tv_sec <= 1 && tv.tv_sec >= rt.tv_sec, "gettimeofday agrees with CLOCK_REALTIME");
    struct timespec res;
    check(clock_getres(CLOCK_MONOTONIC, &res) == 0 && res.tv_sec == 0 && res.tv_nsec > 0 &&
          res.tv_nsec <= 1000000, "clock_getres(MONOTONIC)");
    return failures ? 1 : 0;
}
