/*
 * Maps the built-in guest vDSO (vdso/vdso-aarch64.S, embedded as
 * vdso_image by the build) into the guest and finds its symbols.  The image
 * is linked so that file offsets equal addresses: mapping it is copying the
 * file into fresh pages and making them read+execute.
 */
#include "linux-user/vdso.h"

#include <elf.h>
#include <string.h>
#include <sys/mman.h>

#include "linux-user/guest-mem.h"

extern const unsigned char vdso_image[];
extern const size_t vdso_image_size;

static uint64_t image_pages(void)
{
    return (vdso_image_size + GUEST_PAGE_SIZE - 1) & ~(GUEST_PAGE_SIZE - 1);
}

static const Elf64_Ehdr *image_header(void)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)vdso_image;
    if (vdso_image_size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
        eh->e_machine != EM_AARCH64 || eh->e_shentsize != sizeof(Elf64_Shdr) ||
        eh->e_shoff + (uint64_t)eh->e_shnum * sizeof(Elf64_Shdr) > vdso_image_size)
        return NULL;
    return eh;
}

bool vdso_map(GuestImage *img)
{
    img->vdso_base = 0;
    if (!image_header())
        return false;
    uint64_t size = image_pages();
    void *p = guest_mem_map_placed(size, 0, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return false;
    if (h2g(p) + size - 1 > GUEST_ADDR_MAX) {
        munmap(p, size);
        return false;
    }
    memcpy(p, vdso_image, vdso_image_size);
    if (mprotect(p, size, PROT_READ | PROT_EXEC) != 0) {
        munmap(p, size);
        return false;
    }
    guest_mem_record(h2g(p), size, PROT_READ | PROT_EXEC, "[vdso]");
    img->vdso_base = h2g(p);
    return true;
}

/* Offset of a defined symbol in the image's .dynsym, or 0. */
static uint64_t image_symbol_offset(const char *name)
{
    const Elf64_Ehdr *eh = image_header();
    if (!eh)
        return 0;
    const Elf64_Shdr *sh = (const Elf64_Shdr *)(vdso_image + eh->e_shoff);
    for (unsigned i = 0; i < eh->e_shnum; i++) {
        if (sh[i].sh_type != SHT_DYNSYM || sh[i].sh_link >= eh->e_shnum)
            continue;
        const Elf64_Shdr *strtab = &sh[sh[i].sh_link];
        if (sh[i].sh_offset + sh[i].sh_size > vdso_image_size ||
            strtab->sh_offset + strtab->sh_size > vdso_image_size)
            return 0;
        const Elf64_Sym *sym = (const Elf64_Sym *)(vdso_image + sh[i].sh_offset);
        const char *strings = (const char *)vdso_image + strtab->sh_offset;
        for (uint64_t j = 0; j < sh[i].sh_size / sizeof(*sym); j++) {
            if (sym[j].st_shndx != SHN_UNDEF && sym[j].st_name < strtab->sh_size &&
                strcmp(strings + sym[j].st_name, name) == 0)
                return sym[j].st_value;
        }
    }
    return 0;
}

uint64_t vdso_symbol(const GuestImage *img, const char *name)
{
    if (!img->vdso_base)
        return 0;
    uint64_t off = image_symbol_offset(name);
    return off ? img->vdso_base + off : 0;
}

uint64_t vdso_sigreturn_addr(const GuestImage *img)
{
    return vdso_symbol(img, "__kernel_rt_sigreturn");
}
