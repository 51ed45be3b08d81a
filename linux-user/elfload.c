/*
 * The ELF loader: checks that a file is an AArch64 program ferry can run,
 * validates its program headers, and maps its PT_LOAD segments into the
 * guest address space with the protections they ask for, bss zeroed, the
 * way the kernel's binfmt_elf would.  Every malformed input ends in one
 * GError naming the problem; nothing is mapped from a file that fails the
 * checks.
 */
#include "linux-user/loader.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux-user/guest-mem.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

#define MAX_PHDRS_BYTES  65536          /* the kernel's limit on e_phnum * e_phentsize */
#define MAX_SEGMENT_ALIGN (1ull << 30)
#define LOW_ADDR_LIMIT   0x10000ull     /* default vm.mmap_min_addr */

G_DEFINE_QUARK(ferry-loader-error-quark, loader_error)

typedef struct ElfFile {
    const char *path;        /* as given, for messages */
    int fd;
    uint64_t size;
    Elf *elf;
    Elf64_Ehdr *ehdr;
    Elf64_Phdr *phdr;
    size_t phnum;
} ElfFile;

/* The address range the PT_LOAD segments span (before the bias). */
typedef struct LoadSpan {
    uint64_t lo, hi;         /* page aligned */
    uint64_t align;          /* largest p_align (at least a page) */
} LoadSpan;

static uint64_t page_down(uint64_t v) { return v & ~(GUEST_PAGE_SIZE - 1); }
static uint64_t page_up(uint64_t v)   { return (v + GUEST_PAGE_SIZE - 1) & ~(GUEST_PAGE_SIZE - 1); }

static bool fail(GError **error, int status, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static bool fail(GError **error, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *msg = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_set_error_literal(error, LOADER_ERROR, status, msg);
    g_free(msg);
    return false;
}

/* ---- opening ---- */

/* The kernel opened the program for us (binfmt_misc's O flag) and checked
 * that it may be executed; it may not be readable through its path. */
static bool adopt_program_fd(ElfFile *f, int fd, const char *path, GError **error)
{
    struct stat st;
    f->path = path;
    f->fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    if (f->fd < 0 || fstat(f->fd, &st) != 0)
        return fail(error, 126, "%s: %s", path, g_strerror(errno));
    if (!S_ISREG(st.st_mode))
        return fail(error, 126, "%s: Permission denied", path);
    f->size = (uint64_t)st.st_size;
    return true;
}

static bool open_program(ElfFile *f, const char *path, GError **error)
{
    struct stat st;
    f->path = path;
    f->fd = -1;
    if (stat(path, &st) != 0)
        return fail(error, errno == ENOENT || errno == ENOTDIR ? 127 : 126, "%s: %s", path, g_strerror(errno));
    if (S_ISDIR(st.st_mode))
        return fail(error, 126, "%s: Is a directory", path);
    if (access(path, X_OK) != 0 || !S_ISREG(st.st_mode))
        return fail(error, 126, "%s: Permission denied", path);
    f->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (f->fd < 0)
        return fail(error, 126, "%s: %s", path, g_strerror(errno));
    f->size = (uint64_t)st.st_size;
    return true;
}

static void close_program(ElfFile *f)
{
    if (f->elf) elf_end(f->elf);
    if (f->fd >= 0) close(f->fd);
}

/* "an x86-64" / "a 32-bit ARM": how to name a foreign e_machine. */
static const char *machine_phrase(unsigned machine, int elf_class, char *buf, size_t len)
{
    switch (machine) {
    case EM_X86_64:  return "an x86-64";
    case EM_386:     return "an i386";
    case EM_ARM:     return "a 32-bit ARM";
    case EM_AARCH64: return elf_class == ELFCLASS32 ? "a 32-bit (ILP32) AArch64" : "an AArch64";
    case EM_RISCV:   return "a RISC-V";
    case EM_PPC:     return "a PowerPC";
    case EM_PPC64:   return "a PowerPC64";
    case EM_S390:    return "an s390";
    case EM_MIPS:    return "a MIPS";
    case EM_SPARCV9: return "a SPARC64";
    case EM_LOONGARCH: return "a LoongArch";
    }
    snprintf(buf, len, "a machine %u", machine);
    return buf;
}

/* Identify the file from its raw header before libelf sees it, so a foreign
 * or truncated file gets a precise message. */
static bool check_identity(ElfFile *f, GError **error)
{
    unsigned char id[sizeof(Elf64_Ehdr)];
    ssize_t n = pread(f->fd, id, sizeof id, 0);
    char buf[32];

    if (n < 0) return fail(error, 1, "%s: %s", f->path, g_strerror(errno));
    if (n < SELFMAG || memcmp(id, ELFMAG, SELFMAG) != 0)
        return fail(error, 1, "%s: not an ELF file (Exec format error)", f->path);
    if (n < EI_NIDENT + 4)
        return fail(error, 1, "%s: malformed ELF: truncated ELF header", f->path);
    int elf_class = id[EI_CLASS], data = id[EI_DATA];
    if (data != ELFDATA2LSB && data != ELFDATA2MSB)
        return fail(error, 1, "%s: malformed ELF: bad data encoding %d", f->path, data);
    if (elf_class != ELFCLASS32 && elf_class != ELFCLASS64)
        return fail(error, 1, "%s: malformed ELF: bad class %d", f->path, elf_class);
    unsigned machine = data == ELFDATA2LSB ? (unsigned)(id[18] | id[19] << 8) : (unsigned)(id[18] << 8 | id[19]);
    if (machine != EM_AARCH64 || elf_class != ELFCLASS64)
        return fail(error, 1, "%s is %s ELF, not an AArch64 one",
                    f->path, machine_phrase(machine, elf_class, buf, sizeof buf));
    if (data != ELFDATA2LSB)
        return fail(error, 1, "%s is a big-endian AArch64 ELF; ferry runs little-endian ones", f->path);
    if (id[EI_VERSION] != EV_CURRENT)
        return fail(error, 1, "%s: malformed ELF: unknown ELF version %d", f->path, id[EI_VERSION]);
    if ((size_t)n < sizeof(Elf64_Ehdr))
        return fail(error, 1, "%s: malformed ELF: truncated ELF header", f->path);
    return true;
}

static bool read_headers(ElfFile *f, GError **error)
{
    elf_version(EV_CURRENT);
    f->elf = elf_begin(f->fd, ELF_C_READ, NULL);
    if (!f->elf || elf_kind(f->elf) != ELF_K_ELF)
        return fail(error, 1, "%s: malformed ELF: %s", f->path, elf_errmsg(-1));
    f->ehdr = elf64_getehdr(f->elf);
    if (!f->ehdr)
        return fail(error, 1, "%s: malformed ELF: %s", f->path, elf_errmsg(-1));

    const Elf64_Ehdr *eh = f->ehdr;
    switch (eh->e_type) {
    case ET_EXEC: case ET_DYN: break;
    case ET_REL:  return fail(error, 1, "%s is a relocatable object file, not a program", f->path);
    case ET_CORE: return fail(error, 1, "%s is a core dump, not a program", f->path);
    default:      return fail(error, 1, "%s: malformed ELF: unknown file type %u", f->path, eh->e_type);
    }
    if (eh->e_phnum == 0)
        return fail(error, 1, "%s: malformed ELF: no program headers", f->path);
    if (eh->e_phentsize != sizeof(Elf64_Phdr))
        return fail(error, 1, "%s: malformed ELF: program header size %u (expected %zu)",
                    f->path, eh->e_phentsize, sizeof(Elf64_Phdr));
    uint64_t ph_bytes = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);
    if (ph_bytes > MAX_PHDRS_BYTES)
        return fail(error, 1, "%s: malformed ELF: too many program headers (%u)", f->path, eh->e_phnum);
    if (eh->e_phoff > f->size || ph_bytes > f->size - eh->e_phoff)
        return fail(error, 1, "%s: malformed ELF: program headers lie outside the file", f->path);
    f->phdr = elf64_getphdr(f->elf);
    if (!f->phdr)
        return fail(error, 1, "%s: malformed ELF: %s", f->path, elf_errmsg(-1));
    f->phnum = eh->e_phnum;
    return true;
}

/* ---- validation ---- */

static bool check_load_segment(const ElfFile *f, unsigned idx, const Elf64_Phdr *ph,
                               uint64_t prev_end, GError **error)
{
    if (ph->p_filesz > ph->p_memsz)
        return fail(error, 1, "%s: malformed ELF: PT_LOAD #%u has p_filesz 0x%" PRIx64 " > p_memsz 0x%" PRIx64,
                    f->path, idx, ph->p_filesz, ph->p_memsz);
    if (ph->p_offset > f->size || ph->p_filesz > f->size - ph->p_offset)
        return fail(error, 1, "%s: malformed ELF: PT_LOAD #%u extends past the end of the file", f->path, idx);
    if (ph->p_align > 1 && ((ph->p_align & (ph->p_align - 1)) || ph->p_align > MAX_SEGMENT_ALIGN))
        return fail(error, 1, "%s: malformed ELF: PT_LOAD #%u has bad alignment 0x%" PRIx64, f->path, idx, ph->p_align);
    if (ph->p_align > 1 && (ph->p_vaddr - ph->p_offset) % ph->p_align != 0)
        return fail(error, 1, "%s: malformed ELF: PT_LOAD #%u: p_vaddr and p_offset disagree modulo p_align",
                    f->path, idx);
    if (ph->p_vaddr > GUEST_ADDR_MAX || ph->p_memsz > GUEST_ADDR_MAX + 1 - ph->p_vaddr)
        return fail(error, 1, "%s: malformed ELF: PT_LOAD #%u lies outside the 47-bit address space", f->path, idx);
    if (ph->p_vaddr < prev_end)
        return fail(error, 1, "%s: malformed ELF: PT_LOAD #%u overlaps or precedes the previous one", f->path, idx);
    return true;
}

/* Check every PT_LOAD; compute the span; read PT_GNU_STACK and PT_INTERP. */
static bool plan_load(const ElfFile *f, LoadSpan *span, bool *exec_stack, char **interp, GError **error)
{
    uint64_t prev_end = 0;
    unsigned n_load = 0;

    span->lo = UINT64_MAX;
    span->hi = 0;
    span->align = GUEST_PAGE_SIZE;
    *exec_stack = false;
    *interp = NULL;
    for (unsigned i = 0; i < f->phnum; i++) {
        const Elf64_Phdr *ph = &f->phdr[i];
        if (ph->p_type == PT_GNU_STACK) {
            *exec_stack = (ph->p_flags & PF_X) != 0;
        } else if (ph->p_type == PT_INTERP) {
            if (ph->p_filesz < 2 || ph->p_filesz > PATH_MAX || ph->p_offset > f->size ||
                ph->p_filesz > f->size - ph->p_offset)
                return fail(error, 1, "%s: malformed ELF: bad PT_INTERP", f->path);
            char *s = g_malloc0(ph->p_filesz + 1);
            if (pread(f->fd, s, ph->p_filesz, (off_t)ph->p_offset) != (ssize_t)ph->p_filesz ||
                s[ph->p_filesz - 1] != 0) {
                g_free(s);
                return fail(error, 1, "%s: malformed ELF: bad PT_INTERP", f->path);
            }
            g_free(*interp);
            *interp = s;
        } else if (ph->p_type == PT_LOAD) {
            if (!check_load_segment(f, i, ph, prev_end, error)) return false;
            if (ph->p_memsz == 0) continue;
            prev_end = ph->p_vaddr + ph->p_memsz;
            span->lo = MIN(span->lo, page_down(ph->p_vaddr));
            span->hi = MAX(span->hi, page_up(prev_end));
            span->align = MAX(span->align, ph->p_align);
            n_load++;
        }
    }
    if (n_load == 0)
        return fail(error, 1, "%s: malformed ELF: no loadable segments", f->path);
    if (span->hi - 1 > GUEST_ADDR_MAX)
        return fail(error, 1, "%s: malformed ELF: segments end above the 47-bit address space", f->path);
    return true;
}

/* ---- placing ---- */

/* Reserve the whole span (PROT_NONE) and return the load bias. */
static bool reserve_span(const ElfFile *f, const LoadSpan *span, bool fixed_base_first, uint64_t *bias,
                         GError **error)
{
    uint64_t len = span->hi - span->lo;
    const int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;

    if (f->ehdr->e_type == ET_EXEC) {
        if (span->lo < LOW_ADDR_LIMIT)
            return fail(error, 1, "%s: load address 0x%" PRIx64 " is below the lowest mappable address",
                        f->path, span->lo);
        void *p = mmap(g2h(span->lo), len, PROT_NONE, flags | MAP_FIXED_NOREPLACE, -1, 0);
        if (p == MAP_FAILED || p != g2h(span->lo)) {
            if (p != MAP_FAILED) munmap(p, len);
            return fail(error, 1, "%s: cannot map 0x%" PRIx64 "-0x%" PRIx64 ": the range is in use by ferry itself",
                        f->path, span->lo, span->hi);
        }
        *bias = 0;
        return true;
    }

    /* ET_DYN: a program goes to a fixed, roomy place first (brk can grow
     * above it), an interpreter or a program that does not fit there
     * wherever the host puts an aligned block. */
    void *p;
    if (fixed_base_first) {
        uint64_t want = (ELF_ET_DYN_LOAD_ADDR + span->align - 1) & ~(span->align - 1);
        p = mmap(g2h(want), len, PROT_NONE, flags | MAP_FIXED_NOREPLACE, -1, 0);
        if (p != MAP_FAILED && p == g2h(want)) {
            *bias = want - span->lo;
            return true;
        }
        if (p != MAP_FAILED) munmap(p, len);
    }

    p = guest_mem_map_placed(len, span->align, PROT_NONE, flags, -1, 0);
    if (p != MAP_FAILED) {
        *bias = h2g(p) - span->lo;
        return true;
    }
    uint64_t slop = span->align > GUEST_PAGE_SIZE ? span->align : 0;
    p = mmap(NULL, len + slop, PROT_NONE, flags, -1, 0);
    if (p == MAP_FAILED)
        return fail(error, 1, "%s: cannot reserve 0x%" PRIx64 " bytes for the program: %s",
                    f->path, len, g_strerror(errno));
    uint64_t start = (h2g(p) + slop) & ~(span->align - 1);
    if (slop) {
        if (start > h2g(p)) munmap(p, start - h2g(p));
        uint64_t tail = h2g(p) + len + slop - (start + len);
        if (tail) munmap(g2h(start + len), tail);
    }
    if (start + len - 1 > GUEST_ADDR_MAX) {
        munmap(g2h(start), len);
        return fail(error, 1, "%s: no room for the program in the 47-bit address space", f->path);
    }
    *bias = start - span->lo;
    return true;
}

static int segment_prot(const Elf64_Phdr *ph)
{
    return (ph->p_flags & PF_R ? PROT_READ : 0) | (ph->p_flags & PF_W ? PROT_WRITE : 0) |
           (ph->p_flags & PF_X ? PROT_EXEC : 0);
}

/* Map one PT_LOAD inside the reservation: file pages, then anonymous pages
 * for the rest of the bss; zero the bss part of the last file page. */
static bool map_segment(const ElfFile *f, const Elf64_Phdr *ph, uint64_t bias, const char *name,
                        GError **error)
{
    const int prot = segment_prot(ph);
    uint64_t vaddr = ph->p_vaddr + bias;
    uint64_t start = page_down(vaddr);
    uint64_t file_end = vaddr + ph->p_filesz;          /* first byte not from the file */
    uint64_t mem_end = page_up(vaddr + ph->p_memsz);
    uint64_t file_map_end = start;
    bool congruent = (vaddr & (GUEST_PAGE_SIZE - 1)) == (ph->p_offset & (GUEST_PAGE_SIZE - 1));

    if (ph->p_filesz && congruent) {
        file_map_end = page_up(file_end);
        void *p = mmap(g2h(start), file_map_end - start, prot | PROT_WRITE, MAP_PRIVATE | MAP_FIXED,
                       f->fd, (off_t)page_down(ph->p_offset));
        if (p == MAP_FAILED)
            return fail(error, 1, "%s: cannot map a segment: %s", f->path, g_strerror(errno));
    }
    if (mem_end > file_map_end) {
        void *p = mmap(g2h(file_map_end), mem_end - file_map_end, prot | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        if (p == MAP_FAILED)
            return fail(error, 1, "%s: cannot map a segment: %s", f->path, g_strerror(errno));
    }
    if (ph->p_filesz && !congruent) {
        /* Offset and address disagree within a page: copy instead of map. */
        if (pread(f->fd, g2h(vaddr), ph->p_filesz, (off_t)ph->p_offset) != (ssize_t)ph->p_filesz)
            return fail(error, 1, "%s: cannot read a segment", f->path);
    }
    if (ph->p_memsz > ph->p_filesz && file_end < file_map_end)
        memset(g2h(file_end), 0, file_map_end - file_end);
    if (mprotect(g2h(start), mem_end - start, prot) != 0)
        return fail(error, 1, "%s: cannot protect a segment: %s", f->path, g_strerror(errno));

    if (file_map_end > start) guest_mem_record(start, file_map_end - start, prot, name);
    if (mem_end > file_map_end) guest_mem_record(file_map_end, mem_end - file_map_end, prot, NULL);
    return true;
}

/* Unmap the parts of the reservation no segment uses. */
static void release_gaps(const ElfFile *f, const LoadSpan *span, uint64_t bias)
{
    uint64_t pos = span->lo + bias;
    for (unsigned i = 0; i < f->phnum; i++) {
        const Elf64_Phdr *ph = &f->phdr[i];
        if (ph->p_type != PT_LOAD || ph->p_memsz == 0) continue;
        uint64_t s = page_down(ph->p_vaddr + bias);
        if (s > pos) munmap(g2h(pos), s - pos);
        pos = MAX(pos, page_up(ph->p_vaddr + ph->p_memsz + bias));
    }
}

/* AT_PHDR: where the program headers are in guest memory. */
static uint64_t find_phdr_addr(const ElfFile *f, uint64_t bias)
{
    uint64_t off = f->ehdr->e_phoff, len = f->phnum * sizeof(Elf64_Phdr);
    for (unsigned i = 0; i < f->phnum; i++) {
        const Elf64_Phdr *ph = &f->phdr[i];
        if (ph->p_type == PT_LOAD && ph->p_offset <= off && off + len <= ph->p_offset + ph->p_filesz)
            return off - ph->p_offset + ph->p_vaddr + bias;
    }
    for (unsigned i = 0; i < f->phnum; i++)
        if (f->phdr[i].p_type == PT_PHDR) return f->phdr[i].p_vaddr + bias;
    return 0;
}

/* Segment bounds for /proc/self/stat and prctl, as the kernel computes them. */
static void fill_bounds(const ElfFile *f, uint64_t bias, GuestImage *img)
{
    uint64_t start_code = UINT64_MAX, end_code = 0, start_data = 0, end_data = 0, brk = 0;
    for (unsigned i = 0; i < f->phnum; i++) {
        const Elf64_Phdr *ph = &f->phdr[i];
        if (ph->p_type != PT_LOAD) continue;
        bool x = (ph->p_flags & PF_X) != 0;
        if (x && ph->p_vaddr < start_code) start_code = ph->p_vaddr;
        if (ph->p_vaddr > start_data) start_data = ph->p_vaddr;
        uint64_t fend = ph->p_vaddr + ph->p_filesz;
        if (x && fend > end_code) end_code = fend;
        if (fend > end_data) end_data = fend;
        brk = MAX(brk, ph->p_vaddr + ph->p_memsz);
    }
    if (start_code == UINT64_MAX) start_code = 0;
    img->start_code = start_code + bias;
    img->end_code = end_code + bias;
    img->start_data = start_data + bias;
    img->end_data = end_data + bias;
    img->brk_start = page_up(brk + bias);
}

/* Map every PT_LOAD of an opened, checked file; returns the bias. */
static bool map_image(ElfFile *f, const LoadSpan *span, bool fixed_base_first, uint64_t *bias, GError **error)
{
    if (!reserve_span(f, span, fixed_base_first, bias, error)) return false;
    char *abs_path = realpath(f->path, NULL);
    bool ok = true;
    for (unsigned i = 0; i < f->phnum && ok; i++) {
        const Elf64_Phdr *ph = &f->phdr[i];
        if (ph->p_type == PT_LOAD && ph->p_memsz)
            ok = map_segment(f, ph, *bias, abs_path ? abs_path : f->path, error);
    }
    free(abs_path);
    if (!ok) {
        munmap(g2h(span->lo + *bias), span->hi - span->lo);
        return false;
    }
    release_gaps(f, span, *bias);
    return true;
}

/* The ELF interpreter of a dynamic program, looked up under the -L sysroot,
 * or at its own path when there is none (inside an arm64 chroot, or with
 * arm64 multiarch libraries installed on the host).  Sets entry and base. */
static bool load_interpreter(const char *prog, const char *interp, const char *sysroot,
                             GuestImage *img, GError **error)
{
    if (!sysroot && access(interp, F_OK) != 0)
        return fail(error, 1, "%s is dynamically linked (interpreter %s): give the arm64 system's root "
                    "with -L, or use a static build", prog, interp);
    char *path = g_build_filename(sysroot ? sysroot : "/", interp, NULL);
    ElfFile f = { 0 };
    LoadSpan span;
    bool exec_stack, ok = false;
    char *nested = NULL;
    uint64_t bias;
    GError *local = NULL;

    if (!open_program(&f, path, &local) || !check_identity(&f, &local) || !read_headers(&f, &local) ||
        !plan_load(&f, &span, &exec_stack, &nested, &local)) {
        fail(error, 1, "%s: cannot use its interpreter: %s", prog, local->message);
        g_error_free(local);
        goto out;
    }
    if (f.ehdr->e_type != ET_DYN || nested) {
        fail(error, 1, "%s: the interpreter %s is not a shared object ferry can load", prog, path);
        goto out;
    }
    if (!map_image(&f, &span, false, &bias, error)) goto out;
    img->interp_base = bias;
    img->entry = f.ehdr->e_entry + bias;
    ok = true;
out:
    g_free(nested);
    close_program(&f);
    g_free(path);
    return ok;
}

static bool load_program(int given_fd, const char *path, const char *sysroot, GuestImage *img,
                         GError **error)
{
    ElfFile f = { 0 };
    LoadSpan span;
    bool exec_stack, ok = false;
    char *interp = NULL;
    uint64_t bias = 0;

    memset(img, 0, sizeof *img);
    bool opened = given_fd >= 0 ? adopt_program_fd(&f, given_fd, path, error) : open_program(&f, path, error);
    if (!opened || !check_identity(&f, error) || !read_headers(&f, error) ||
        !plan_load(&f, &span, &exec_stack, &interp, error))
        goto out;
    if (!map_image(&f, &span, true, &bias, error)) goto out;

    img->prog_entry = img->entry = f.ehdr->e_entry + bias;
    img->load_bias = f.ehdr->e_type == ET_DYN ? bias : 0;
    img->phdr = find_phdr_addr(&f, bias);
    img->phnum = f.phnum;
    img->phent = sizeof(Elf64_Phdr);
    img->exec_stack = exec_stack;
    fill_bounds(&f, bias, img);
    if (interp && !load_interpreter(path, interp, sysroot, img, error)) {
        guest_munmap(span.lo + bias, span.hi - span.lo);
        goto out;
    }
    guest_brk_init(img->brk_start);
    ok = true;
out:
    g_free(interp);
    close_program(&f);
    return ok;
}

bool elf_load_program(const char *path, const char *sysroot, GuestImage *img, GError **error)
{
    return load_program(-1, path, sysroot, img, error);
}

bool elf_load_program_fd(int fd, const char *path, const char *sysroot, GuestImage *img, GError **error)
{
    return load_program(fd, path, sysroot, img, error);
}
