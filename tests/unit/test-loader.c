/*
 * Unit tests of the ELF loader (linux-user/elfload.c) and the initial stack
 * (linux-user/stack.c).  The test programs are ELF files written byte by
 * byte here, so every field is known; expectations come from the ELF spec
 * and the Linux execve ABI (fs/exec.c, fs/binfmt_elf.c), not from ferry.
 */
#include <check.h>

#include "check-run.h"
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib.h>

#include "linux-user/guest-mem.h"
#include "linux-user/loader.h"

#define PAGE 0x1000ull

void tb_invalidate_range(uint64_t start, uint64_t len) { }
void exec_code_mapped(uint64_t start, uint64_t len) { }

/* ---- a small AArch64 program, written by hand ----
 * file 0x0000: ELF header, program headers at 0x40
 * file 0x0100: code (entry)           -> text PT_LOAD: file 0..0x200, R-X
 * file 0x1010: 0x20 bytes of data     -> data PT_LOAD at +0x11010, RW, memsz 0x3000
 * file 0x1030..0x2000: 0xaa filler that must not show up in the bss */
#define CODE_OFF   0x100
#define DATA_OFF   0x1010
#define DATA_VOFF  0x11010
#define DATA_SIZE  0x20
#define BSS_MEMSZ  0x3000
#define FILE_LEN   0x2000

static const uint32_t test_code[] = {
    0xd2800540,   /* mov x0, #42 */
    0xd2800ba8,   /* mov x8, #93 (exit) */
    0xd4000001,   /* svc #0 */
};

typedef struct ElfSpec {
    Elf64_Ehdr eh;
    Elf64_Phdr ph[4];
    size_t file_len;
    const char *interp;      /* PT_INTERP string written at 0x180 */
} ElfSpec;

static void spec_default(ElfSpec *s, uint16_t type, uint64_t base)
{
    memset(s, 0, sizeof *s);
    memcpy(s->eh.e_ident, ELFMAG, SELFMAG);
    s->eh.e_ident[EI_CLASS] = ELFCLASS64;
    s->eh.e_ident[EI_DATA] = ELFDATA2LSB;
    s->eh.e_ident[EI_VERSION] = EV_CURRENT;
    s->eh.e_type = type;
    s->eh.e_machine = EM_AARCH64;
    s->eh.e_version = EV_CURRENT;
    s->eh.e_entry = base + CODE_OFF;
    s->eh.e_phoff = sizeof(Elf64_Ehdr);
    s->eh.e_ehsize = sizeof(Elf64_Ehdr);
    s->eh.e_phentsize = sizeof(Elf64_Phdr);
    s->eh.e_phnum = 3;
    s->ph[0] = (Elf64_Phdr){ PT_LOAD, PF_R | PF_X, 0, base, base, 0x200, 0x200, 0x10000 };
    s->ph[1] = (Elf64_Phdr){ PT_LOAD, PF_R | PF_W, DATA_OFF, base + DATA_VOFF, base + DATA_VOFF,
                             DATA_SIZE, BSS_MEMSZ, 0x10000 };
    s->ph[2] = (Elf64_Phdr){ PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 0, 16 };
    s->file_len = FILE_LEN;
}

static void spec_add_interp(ElfSpec *s, const char *path)
{
    s->interp = path;
    s->ph[3] = (Elf64_Phdr){ PT_INTERP, PF_R, 0x180, 0, 0, strlen(path) + 1, strlen(path) + 1, 1 };
    s->eh.e_phnum = 4;
}

static char *temp_dir(void)
{
    static char *dir;
    if (!dir) dir = g_dir_make_tmp("ferry-loader-XXXXXX", NULL);
    return dir;
}

static char *write_file(const char *name, const void *data, size_t len, mode_t mode)
{
    char *path = g_build_filename(temp_dir(), name, NULL);
    unlink(path);
    ck_assert(g_file_set_contents(path, data, (gssize)len, NULL));
    ck_assert_int_eq(chmod(path, mode), 0);
    return path;
}

static char *spec_write(const ElfSpec *s, const char *name)
{
    uint8_t *buf = g_malloc0(MAX(s->file_len, FILE_LEN));
    memset(buf + DATA_OFF + DATA_SIZE, 0xaa, FILE_LEN - DATA_OFF - DATA_SIZE);
    for (unsigned i = 0; i < DATA_SIZE; i++) buf[DATA_OFF + i] = (uint8_t)(i + 1);
    memcpy(buf + CODE_OFF, test_code, sizeof test_code);
    if (s->interp) memcpy(buf + 0x180, s->interp, strlen(s->interp) + 1);
    memcpy(buf, &s->eh, sizeof s->eh);
    size_t ph_len = sizeof(Elf64_Phdr) * s->eh.e_phnum;
    if (s->eh.e_phoff + ph_len <= FILE_LEN) memcpy(buf + s->eh.e_phoff, s->ph, ph_len);
    char *path = write_file(name, buf, s->file_len, 0755);
    g_free(buf);
    return path;
}

/* Load and expect failure: returns the message, checks the exit status. */
static char *load_fails_with(const char *path, const char *sysroot, int status)
{
    GuestImage img;
    GError *err = NULL;
    ck_assert_msg(!elf_load_program(path, sysroot, &img, &err), "%s loaded", path);
    ck_assert_ptr_nonnull(err);
    ck_assert_int_eq(err->code, status);
    char *msg = g_strdup(err->message);
    g_error_free(err);
    return msg;
}

static char *load_fails(const char *path, int status) { return load_fails_with(path, NULL, status); }

static void assert_contains(const char *haystack, const char *needle)
{
    ck_assert_msg(strstr(haystack, needle), "'%s' does not contain '%s'", haystack, needle);
}

/* The host's view of an address: the permission field of /proc/self/maps. */
static char *host_perms(uint64_t addr)
{
    char *maps = NULL, *result = NULL;
    ck_assert(g_file_get_contents("/proc/self/maps", &maps, NULL, NULL));
    for (char *line = strtok(maps, "\n"); line; line = strtok(NULL, "\n")) {
        unsigned long lo, hi;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 && lo <= addr && addr < hi) {
            result = g_strdup(perms);
            break;
        }
    }
    g_free(maps);
    return result;
}

/* ---- loading ---- */

START_TEST(loads_static_exec)
{
    const uint64_t base = 0x400000;
    ElfSpec s;
    GuestImage img;
    GError *err = NULL;
    spec_default(&s, ET_EXEC, base);
    char *path = spec_write(&s, "exec");
    guest_mem_init();
    ck_assert_msg(elf_load_program(path, NULL, &img, &err), "%s", err ? err->message : "");

    ck_assert_uint_eq(img.entry, base + CODE_OFF);
    ck_assert_uint_eq(img.load_bias, 0);
    ck_assert_uint_eq(img.phdr, base + sizeof(Elf64_Ehdr));
    ck_assert_uint_eq(img.phnum, 3);
    ck_assert_uint_eq(img.phent, 56);
    ck_assert(!img.exec_stack);
    /* brk: end of the bss, rounded up to a page. */
    ck_assert_uint_eq(img.brk_start, base + 0x15000);
    ck_assert_uint_eq(img.start_code, base);
    ck_assert_uint_eq(img.end_code, base + 0x200);
    ck_assert_uint_eq(img.end_data, base + DATA_VOFF + DATA_SIZE);

    ck_assert_int_eq(memcmp(g2h(base), ELFMAG, SELFMAG), 0);
    ck_assert_int_eq(memcmp(g2h(img.entry), test_code, sizeof test_code), 0);
    const uint8_t *data = g2h(base + DATA_VOFF);
    for (unsigned i = 0; i < DATA_SIZE; i++) ck_assert_int_eq(data[i], i + 1);
    /* bss, including the rest of the last file page, reads as zero. */
    for (uint64_t a = base + DATA_VOFF + DATA_SIZE; a < base + DATA_VOFF + BSS_MEMSZ; a++)
        ck_assert_int_eq(*(uint8_t *)g2h(a), 0);

    ck_assert(guest_range_ok(base, 0x200, PROT_READ | PROT_EXEC));
    ck_assert(!guest_range_ok(base, 1, PROT_WRITE));
    ck_assert(guest_range_ok(base + DATA_VOFF, BSS_MEMSZ, PROT_READ | PROT_WRITE));
    ck_assert(!guest_range_ok(base + 0x1000, 1, 0));     /* the gap is not mapped */
    char *perms = host_perms(base);
    ck_assert_str_eq(perms, "r-xp");
    g_free(perms);
    perms = host_perms(base + 0x13000);
    ck_assert_str_eq(perms, "rw-p");
    g_free(perms);
    ck_assert_ptr_null(host_perms(base + 0x1000));
}
END_TEST

START_TEST(loads_static_pie_at_a_bias)
{
    ElfSpec s;
    GuestImage img;
    GError *err = NULL;
    spec_default(&s, ET_DYN, 0);
    s.ph[2].p_flags |= PF_X;                       /* asks for an executable stack */
    char *path = spec_write(&s, "pie");
    guest_mem_init();
    ck_assert_msg(elf_load_program(path, NULL, &img, &err), "%s", err ? err->message : "");
    ck_assert_uint_ne(img.load_bias, 0);
    ck_assert_uint_eq(img.load_bias % 0x10000, 0);            /* p_align */
    ck_assert_uint_eq(img.entry, img.load_bias + CODE_OFF);
    ck_assert_uint_eq(img.phdr, img.load_bias + sizeof(Elf64_Ehdr));
    ck_assert_uint_eq(img.brk_start, img.load_bias + 0x15000);
    ck_assert(img.exec_stack);
    ck_assert_uint_le(img.brk_start, GUEST_ADDR_MAX);
    ck_assert_int_eq(memcmp(g2h(img.entry), test_code, sizeof test_code), 0);
    ck_assert(guest_range_ok(img.load_bias + DATA_VOFF, BSS_MEMSZ, PROT_WRITE));
}
END_TEST

START_TEST(missing_file_is_127)
{
    char *msg = load_fails("/nonexistent/ferry-test-prog", 127);
    ck_assert_str_eq(msg, "/nonexistent/ferry-test-prog: No such file or directory");
}
END_TEST

START_TEST(not_executable_is_126)
{
    ElfSpec s;
    spec_default(&s, ET_EXEC, 0x400000);
    char *path = spec_write(&s, "noexec");
    chmod(path, 0644);
    assert_contains(load_fails(path, 126), "Permission denied");
    assert_contains(load_fails(temp_dir(), 126), "Is a directory");
}
END_TEST

START_TEST(rejects_non_elf_and_foreign_elf)
{
    char *path = write_file("script", "#!/bin/sh\necho hi\n", 18, 0755);
    assert_contains(load_fails(path, 1), "not an ELF file");
    path = write_file("empty", "", 0, 0755);
    assert_contains(load_fails(path, 1), "not an ELF file");
    if (access("/bin/true", R_OK) == 0)
        assert_contains(load_fails("/bin/true", 1), "/bin/true is an x86-64 ELF, not an AArch64 one");

    ElfSpec s;
    spec_default(&s, ET_EXEC, 0x400000);
    s.eh.e_ident[EI_CLASS] = ELFCLASS32;
    s.eh.e_machine = EM_ARM;
    path = spec_write(&s, "arm32");
    assert_contains(load_fails(path, 1), "is a 32-bit ARM ELF, not an AArch64 one");

    spec_default(&s, ET_REL, 0);
    path = spec_write(&s, "object");
    assert_contains(load_fails(path, 1), "relocatable");
}
END_TEST

START_TEST(rejects_malformed_headers)
{
    ElfSpec s;
    spec_default(&s, ET_EXEC, 0x400000);
    s.file_len = 40;                                 /* cut inside the ELF header */
    assert_contains(load_fails(spec_write(&s, "trunc-ehdr"), 1), "truncated ELF header");

    spec_default(&s, ET_EXEC, 0x400000);
    s.eh.e_phoff = FILE_LEN - 8;                     /* headers run past the end */
    assert_contains(load_fails(spec_write(&s, "phoff"), 1), "program headers lie outside the file");

    spec_default(&s, ET_EXEC, 0x400000);
    s.eh.e_phentsize = 32;
    assert_contains(load_fails(spec_write(&s, "phentsize"), 1), "program header size");

    spec_default(&s, ET_EXEC, 0x400000);
    s.eh.e_phnum = 0;
    assert_contains(load_fails(spec_write(&s, "nophdr"), 1), "no program headers");
}
END_TEST

START_TEST(rejects_malformed_segments)
{
    ElfSpec s;
    spec_default(&s, ET_EXEC, 0x400000);
    s.ph[1].p_filesz = BSS_MEMSZ + 1;
    assert_contains(load_fails(spec_write(&s, "filesz"), 1), "p_filesz");

    spec_default(&s, ET_EXEC, 0x400000);
    s.ph[1].p_offset = FILE_LEN - 0x10;              /* data runs past the end of the file */
    s.ph[1].p_vaddr = 0x400000 + 0x10000 + FILE_LEN - 0x10;
    assert_contains(load_fails(spec_write(&s, "pastend"), 1), "past the end of the file");

    spec_default(&s, ET_EXEC, 0x400000);
    s.ph[1].p_vaddr = 0x400100;                      /* inside the text segment */
    s.ph[1].p_offset = 0x100;
    assert_contains(load_fails(spec_write(&s, "overlap"), 1), "overlaps");

    spec_default(&s, ET_EXEC, 0x400000);
    s.ph[0].p_align = 0x3000;
    assert_contains(load_fails(spec_write(&s, "align"), 1), "alignment");

    spec_default(&s, ET_EXEC, 0x400000);
    s.ph[1].p_vaddr += 0x800;                        /* vaddr and offset no longer congruent */
    assert_contains(load_fails(spec_write(&s, "congruence"), 1), "p_align");

    spec_default(&s, ET_EXEC, 0x7fffffff0000);
    s.ph[1].p_memsz = 0x100000;                      /* ends above 47 bits */
    assert_contains(load_fails(spec_write(&s, "high"), 1), "47-bit");

    spec_default(&s, ET_EXEC, 0x400000);
    s.ph[0].p_type = PT_NOTE;
    s.ph[1].p_type = PT_NOTE;
    assert_contains(load_fails(spec_write(&s, "noload"), 1), "no loadable segments");
}
END_TEST

START_TEST(refuses_dynamic_programs_naming_the_interpreter)
{
    /* Without -L the interpreter is taken from its own path; one that does
     * not exist there is refused by name. */
    ElfSpec s;
    spec_default(&s, ET_DYN, 0);
    spec_add_interp(&s, "/nonexistent-ferry-test/ld-linux-aarch64.so.1");
    char *msg = load_fails(spec_write(&s, "dynamic"), 1);
    assert_contains(msg, "dynamically linked");
    assert_contains(msg, "/nonexistent-ferry-test/ld-linux-aarch64.so.1");
}
END_TEST

START_TEST(loads_the_interpreter_from_the_sysroot)
{
    ElfSpec s;
    GuestImage img;
    GError *err = NULL;
    char *sysroot = g_build_filename(temp_dir(), "sysroot", NULL);
    char *libdir = g_build_filename(sysroot, "lib", NULL);
    ck_assert_int_eq(g_mkdir_with_parents(libdir, 0755), 0);

    spec_default(&s, ET_DYN, 0);                 /* the interpreter: a shared object */
    char *ld = spec_write(&s, "ld-test.so");
    char *ld_in_sysroot = g_build_filename(libdir, "ld-test.so", NULL);
    ck_assert_int_eq(rename(ld, ld_in_sysroot), 0);

    spec_default(&s, ET_EXEC, 0x400000);
    spec_add_interp(&s, "/lib/ld-test.so");
    char *prog = spec_write(&s, "dynamic-exec");
    guest_mem_init();
    /* Without -L, or with a sysroot that lacks the interpreter, it is refused
     * (and the program's own mapping is undone: the next load reuses it). */
    assert_contains(load_fails(prog, 1), "-L");
    assert_contains(load_fails_with(prog, temp_dir(), 1), "ld-test.so: No such file or directory");

    ck_assert_msg(elf_load_program(prog, sysroot, &img, &err), "%s", err ? err->message : "");
    ck_assert_uint_eq(img.prog_entry, 0x400000 + CODE_OFF);
    ck_assert_uint_ne(img.interp_base, 0);
    ck_assert_uint_eq(img.interp_base % 0x10000, 0);
    ck_assert_uint_eq(img.entry, img.interp_base + CODE_OFF);
    ck_assert_uint_eq(img.phdr, 0x400000 + sizeof(Elf64_Ehdr));
    ck_assert_int_eq(memcmp(g2h(img.entry), test_code, sizeof test_code), 0);
    ck_assert_uint_eq(img.brk_start, 0x400000 + 0x15000);
}
END_TEST

START_TEST(loads_the_interpreter_from_its_own_path_without_sysroot)
{
    /* Inside an arm64 chroot there is no -L: PT_INTERP names the file. */
    ElfSpec s;
    GuestImage img;
    GError *err = NULL;
    spec_default(&s, ET_DYN, 0);
    char *ld = spec_write(&s, "ld-own.so");
    spec_default(&s, ET_EXEC, 0x400000);
    spec_add_interp(&s, ld);
    char *prog = spec_write(&s, "dynamic-own-interp");
    guest_mem_init();
    ck_assert_msg(elf_load_program(prog, NULL, &img, &err), "%s", err ? err->message : "no error set");
    ck_assert_uint_eq(img.prog_entry, 0x400000 + CODE_OFF);
    ck_assert_uint_ne(img.interp_base, 0);
    ck_assert_uint_eq(img.entry, img.interp_base + CODE_OFF);
    ck_assert_int_eq(memcmp(g2h(img.entry), test_code, sizeof test_code), 0);
}
END_TEST

/* ---- the initial stack ---- */

static uint64_t auxv_lookup(const GuestImage *img, uint64_t type, bool *found)
{
    for (const uint64_t *a = g2h(img->auxv); ; a += 2) {
        if (a[0] == type) { *found = true; return a[1]; }
        if (a[0] == AT_NULL) { *found = false; return 0; }
    }
}

static uint64_t aux(const GuestImage *img, uint64_t type)
{
    bool found;
    uint64_t v = auxv_lookup(img, type, &found);
    ck_assert_msg(found, "auxv entry %lu missing", (unsigned long)type);
    return v;
}

static const uint8_t random16[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

static void build_test_stack(GuestImage *img, char **argv, char **envp)
{
    memset(img, 0, sizeof *img);
    img->entry = img->prog_entry = 0x400100;
    img->phdr = 0x400040;
    img->phnum = 3;
    img->phent = 56;
    StackArgs args = {
        .argc = (int)g_strv_length(argv), .argv = argv, .envp = envp,
        .execfn = "/usr/bin/prog", .hwcap = 0x1234, .hwcap2 = 0x5, .stack_size = 1 << 20,
        .random = random16,
    };
    GError *err = NULL;
    guest_mem_init();
    ck_assert_msg(stack_build(img, &args, &err), "%s", err ? err->message : "");
}

START_TEST(stack_tables_follow_the_abi)
{
    char *argv[] = { "prog", "a", "bc", NULL };
    char *envp[] = { "X=1", "Y=22", NULL };
    GuestImage img;
    build_test_stack(&img, argv, envp);

    uint64_t *sp = g2h(img.sp);
    ck_assert_uint_eq(img.sp % 16, 0);
    ck_assert_uint_eq(sp[0], 3);
    ck_assert_str_eq((char *)g2h(sp[1]), "prog");
    ck_assert_str_eq((char *)g2h(sp[2]), "a");
    ck_assert_str_eq((char *)g2h(sp[3]), "bc");
    ck_assert_uint_eq(sp[4], 0);
    ck_assert_str_eq((char *)g2h(sp[5]), "X=1");
    ck_assert_str_eq((char *)g2h(sp[6]), "Y=22");
    ck_assert_uint_eq(sp[7], 0);
    ck_assert_uint_eq(img.auxv, img.sp + 8 * 8);       /* auxv follows envp's NULL */

    ck_assert_uint_eq(aux(&img, AT_PHDR), 0x400040);
    ck_assert_uint_eq(aux(&img, AT_PHENT), 56);
    ck_assert_uint_eq(aux(&img, AT_PHNUM), 3);
    ck_assert_uint_eq(aux(&img, AT_PAGESZ), 4096);
    ck_assert_uint_eq(aux(&img, AT_BASE), 0);
    ck_assert_uint_eq(aux(&img, AT_FLAGS), 0);
    ck_assert_uint_eq(aux(&img, AT_ENTRY), 0x400100);
    ck_assert_uint_eq(aux(&img, AT_UID), getuid());
    ck_assert_uint_eq(aux(&img, AT_EUID), geteuid());
    ck_assert_uint_eq(aux(&img, AT_GID), getgid());
    ck_assert_uint_eq(aux(&img, AT_EGID), getegid());
    ck_assert_uint_eq(aux(&img, AT_SECURE), 0);
    ck_assert_uint_eq(aux(&img, AT_HWCAP), 0x1234);
    ck_assert_uint_eq(aux(&img, AT_HWCAP2), 0x5);
    ck_assert_uint_eq(aux(&img, AT_CLKTCK), 100);
    ck_assert_uint_gt(aux(&img, 51 /* AT_MINSIGSTKSZ */), 0);
    ck_assert_str_eq((char *)g2h(aux(&img, AT_PLATFORM)), "aarch64");
    ck_assert_str_eq((char *)g2h(aux(&img, AT_EXECFN)), "/usr/bin/prog");
    ck_assert_int_eq(memcmp(g2h(aux(&img, AT_RANDOM)), random16, 16), 0);

    /* The vector ends with one AT_NULL pair; auxv_len covers it. */
    const uint64_t *end = (const uint64_t *)g2h(img.auxv + img.auxv_len) - 2;
    ck_assert_uint_eq(end[0], AT_NULL);
    ck_assert_uint_eq(end[1], 0);
}
END_TEST

START_TEST(stack_strings_are_placed_like_execve)
{
    char *argv[] = { "prog", "a", "bc", NULL };
    char *envp[] = { "X=1", "Y=22", NULL };
    GuestImage img;
    build_test_stack(&img, argv, envp);
    uint64_t *sp = g2h(img.sp);

    /* Top: 8 zero bytes, then execfn just below them. */
    ck_assert_uint_eq(*(uint64_t *)g2h(img.stack_top - 8), 0);
    uint64_t execfn = aux(&img, AT_EXECFN);
    ck_assert_uint_eq(execfn, img.stack_top - 8 - sizeof "/usr/bin/prog");
    /* Below it the environment strings, below them the arguments, each
     * list in order and packed. */
    ck_assert_uint_eq(sp[6] + sizeof "Y=22", execfn);
    ck_assert_uint_eq(sp[5] + sizeof "X=1", sp[6]);
    ck_assert_uint_eq(sp[3] + sizeof "bc", sp[5]);
    ck_assert_uint_eq(sp[2] + sizeof "a", sp[3]);
    ck_assert_uint_eq(sp[1] + sizeof "prog", sp[2]);
    ck_assert_uint_eq(img.arg_start, sp[1]);
    ck_assert_uint_eq(img.env_start, sp[5]);
    /* Then, 16-aligned, the platform string and below it the random bytes. */
    uint64_t platform = aux(&img, AT_PLATFORM), random = aux(&img, AT_RANDOM);
    ck_assert_uint_eq(platform, (sp[1] & ~15ull) - sizeof "aarch64");
    ck_assert_uint_eq(random, platform - 16);
    /* The tables end at most 15 bytes below the random bytes. */
    ck_assert_uint_le(img.auxv + img.auxv_len, random);
    ck_assert_uint_gt(img.auxv + img.auxv_len + 16, random);
    ck_assert(guest_range_ok(img.sp, img.stack_top - img.sp, PROT_READ | PROT_WRITE));
}
END_TEST

/* The host kernel builds its stacks with the same generic code: execfn
 * ends 8 bytes below the top of our own [stack] mapping. */
START_TEST(host_kernel_agrees_on_the_top_of_the_stack)
{
    const char *execfn = (const char *)getauxval(AT_EXECFN);
    char *maps = NULL;
    unsigned long top = 0;
    ck_assert(g_file_get_contents("/proc/self/maps", &maps, NULL, NULL));
    for (char *line = strtok(maps, "\n"); line; line = strtok(NULL, "\n")) {
        unsigned long lo, hi;
        if (strstr(line, "[stack]") && sscanf(line, "%lx-%lx", &lo, &hi) == 2) top = hi;
    }
    ck_assert_uint_ne(top, 0);
    ck_assert_uint_eq((uintptr_t)execfn + strlen(execfn) + 1 + 8, top);
}
END_TEST

START_TEST(stack_refuses_huge_argument_lists)
{
    char *big = g_malloc(300 * 1024);
    memset(big, 'x', 300 * 1024 - 1);
    big[300 * 1024 - 1] = 0;
    char *argv[] = { "prog", big, NULL };
    char *envp[] = { NULL };
    GuestImage img = { 0 };
    StackArgs args = { .argc = 2, .argv = argv, .envp = envp, .execfn = "prog", .stack_size = 1 << 20 };
    GError *err = NULL;
    guest_mem_init();
    ck_assert(!stack_build(&img, &args, &err));
    assert_contains(err->message, "Argument list too long");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("loader");
    TCase *load = tcase_create("elf");
    tcase_add_test(load, loads_static_exec);
    tcase_add_test(load, loads_static_pie_at_a_bias);
    tcase_add_test(load, missing_file_is_127);
    tcase_add_test(load, not_executable_is_126);
    tcase_add_test(load, rejects_non_elf_and_foreign_elf);
    tcase_add_test(load, rejects_malformed_headers);
    tcase_add_test(load, rejects_malformed_segments);
    tcase_add_test(load, refuses_dynamic_programs_naming_the_interpreter);
    tcase_add_test(load, loads_the_interpreter_from_the_sysroot);
    tcase_add_test(load, loads_the_interpreter_from_its_own_path_without_sysroot);
    suite_add_tcase(s, load);
    TCase *stack = tcase_create("stack");
    tcase_add_test(stack, stack_tables_follow_the_abi);
    tcase_add_test(stack, stack_strings_are_placed_like_execve);
    tcase_add_test(stack, host_kernel_agrees_on_the_top_of_the_stack);
    tcase_add_test(stack, stack_refuses_huge_argument_lists);
    suite_add_tcase(s, stack);
    return check_run_suite(s);
}
