/*
 * Profiling support: /tmp/perf-PID.map, the file `perf report` reads to
 * name code that has no ELF file behind it.  One line per translated block,
 * "START SIZE NAME" (hex, hex, text), where NAME is the guest function the
 * block belongs to, from the guest ELF's symbol table (.symtab, else
 * .dynsym), as "function+0xoffset", or "guest_0xADDR" when there is none.
 * The symbols come from ExecOptions.guest_elf and from every ELF file the
 * guest has mapped executable when the map starts.  Enabled by
 * -perfmap / FERRY_PERFMAP=1 (ExecOptions.perfmap).
 */
#include <fcntl.h>
#include <gelf.h>
#include <glib.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "linux-user/guest-mem.h"
#include "linux-user/log.h"

#include "tcg/perfmap.h"

typedef struct GuestSymbol {
    uint64_t addr, size;
    char *name;
} GuestSymbol;

typedef struct PerfMap {
    FILE *out;
    pid_t pid;                  /* the process the file is named after */
    GuestSymbol *syms;          /* sorted by addr */
    size_t n_syms;
} PerfMap;

static PerfMap perfmap;

static int symbol_order(const void *a, const void *b)
{
    const GuestSymbol *x = a, *y = b;
    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* Function symbols of one symbol-table section, relocated by bias. */
static void read_symbols(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, uint64_t bias, GArray *out)
{
    Elf_Data *data = elf_getdata(scn, NULL);
    size_t n = sh->sh_entsize ? sh->sh_size / sh->sh_entsize : 0;
    for (size_t i = 0; data && i < n; i++) {
        GElf_Sym sym;
        if (!gelf_getsym(data, (int)i, &sym) || GELF_ST_TYPE(sym.st_info) != STT_FUNC || !sym.st_value) {
            continue;
        }
        const char *name = elf_strptr(elf, sh->sh_link, sym.st_name);
        if (name && *name) {
            GuestSymbol s = { sym.st_value + bias, sym.st_size, g_strdup(name) };
            g_array_append_val(out, s);
        }
    }
}

/* Where an ELF file mapped executable at map_start was placed: 0 for
 * ET_EXEC, else map_start minus its executable segment's page address.
 * UINT64_MAX if it is not an ELF file. */
static uint64_t elf_bias(Elf *elf, uint64_t map_start)
{
    GElf_Ehdr eh;
    size_t n;
    if (!gelf_getehdr(elf, &eh) || elf_getphdrnum(elf, &n) != 0) {
        return UINT64_MAX;
    }
    if (eh.e_type == ET_EXEC) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        GElf_Phdr ph;
        if (gelf_getphdr(elf, (int)i, &ph) && ph.p_type == PT_LOAD && (ph.p_flags & PF_X)) {
            return map_start - (ph.p_vaddr & ~(uint64_t)0xfff);
        }
    }
    return UINT64_MAX;
}

/* Add the function symbols of one ELF file; bias UINT64_MAX: work it out
 * from the executable mapping at map_start. */
static void load_elf_symbols(const char *path, uint64_t bias, uint64_t map_start, GArray *syms)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return;
    }
    Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
    if (elf && bias == UINT64_MAX) {
        bias = elf_bias(elf, map_start);
    }
    guint before = syms->len;
    for (int want = SHT_SYMTAB; elf && bias != UINT64_MAX && syms->len == before && want;
         want = want == SHT_SYMTAB ? SHT_DYNSYM : 0) {
        for (Elf_Scn *scn = elf_nextscn(elf, NULL); scn; scn = elf_nextscn(elf, scn)) {
            GElf_Shdr sh;
            if (gelf_getshdr(scn, &sh) && sh.sh_type == (GElf_Word)want) {
                read_symbols(elf, scn, &sh, bias, syms);
            }
        }
    }
    if (elf) {
        elf_end(elf);
    }
    close(fd);
}

typedef struct MappedFiles {
    GArray *syms;
    GHashTable *seen;
} MappedFiles;

static void add_mapped_file(uint64_t start, uint64_t end, int prot, const char *name, void *opaque)
{
    MappedFiles *f = opaque;
    if ((prot & PROT_EXEC) && name && name[0] == '/' && !g_hash_table_contains(f->seen, name)) {
        g_hash_table_add(f->seen, g_strdup(name));
        load_elf_symbols(name, UINT64_MAX, start, f->syms);
    }
}

/* The guest program's symbols, and those of every other ELF file mapped
 * executable so far (the dynamic loader, when there is one). */
static void load_guest_symbols(PerfMap *m, const char *path, uint64_t bias)
{
    if (elf_version(EV_CURRENT) == EV_NONE) {
        return;
    }
    MappedFiles f = { g_array_new(FALSE, FALSE, sizeof(GuestSymbol)),
                      g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL) };
    if (path) {
        g_hash_table_add(f.seen, g_strdup(path));
        load_elf_symbols(path, bias, 0, f.syms);
    }
    guest_mem_foreach(add_mapped_file, &f);
    g_hash_table_destroy(f.seen);
    m->n_syms = f.syms->len;
    m->syms = (GuestSymbol *)(void *)g_array_free(f.syms, FALSE);
    qsort(m->syms, m->n_syms, sizeof(GuestSymbol), symbol_order);
}

/* The last symbol starting at or below pc that still contains it (or has
 * no size), or NULL. */
static const GuestSymbol *symbol_for(const PerfMap *m, uint64_t pc)
{
    size_t lo = 0, hi = m->n_syms;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->syms[mid].addr <= pc) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo == 0) {
        return NULL;
    }
    const GuestSymbol *s = &m->syms[lo - 1];
    return s->size == 0 || pc < s->addr + s->size ? s : NULL;
}

/* Writing: a private descriptor (see ferry_private_fd); reading is brief. */
static FILE *open_map_file(pid_t pid, bool write)
{
    char path[64];
    snprintf(path, sizeof(path), "/tmp/perf-%d.map", (int)pid);
    return write ? ferry_private_fopen(path, O_WRONLY | O_CREAT | O_TRUNC) : fopen(path, "re");
}

void perfmap_init(const char *guest_elf, uint64_t load_bias)
{
    PerfMap *m = &perfmap;
    m->pid = getpid();
    m->out = open_map_file(m->pid, true);
    if (m->out) {
        load_guest_symbols(m, guest_elf, load_bias);
    }
}

bool perfmap_enabled(void)
{
    return perfmap.out != NULL;
}

/* A fork child's blocks were translated by its parent: start its own file
 * with a copy of the parent's lines. */
static void perfmap_follow_fork(PerfMap *m)
{
    FILE *parent = open_map_file(m->pid, false);
    fclose(m->out);
    m->pid = getpid();
    m->out = open_map_file(m->pid, true);
    if (parent && m->out) {
        char line[512];
        while (fgets(line, sizeof(line), parent)) {
            fputs(line, m->out);
        }
    }
    if (parent) {
        fclose(parent);
    }
}

void perfmap_add(uintptr_t code, uint32_t size, uint64_t guest_pc)
{
    PerfMap *m = &perfmap;
    if (!m->out) {
        return;
    }
    if (getpid() != m->pid) {
        perfmap_follow_fork(m);
        if (!m->out) {
            return;
        }
    }
    const GuestSymbol *s = symbol_for(m, guest_pc);
    if (s) {
        fprintf(m->out, "%" PRIxPTR " %x %s+0x%" PRIx64 "\n", code, size, s->name, guest_pc - s->addr);
    } else {
        fprintf(m->out, "%" PRIxPTR " %x guest_0x%" PRIx64 "\n", code, size, guest_pc);
    }
    fflush(m->out);             /* the guest may end with _exit */
}
