/* system/vm.c -- creating the KVM virtual machine (irqchip and PIT before any
 * vCPU), guest RAM, one host thread per vCPU running KVM_RUN, dispatch of
 * port and MMIO exits to device models, and the errors a person can act on
 * when KVM is missing or cannot run the guest. */
#include "system/vm.h"
#include "system/cpuid.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

const char vm_pvm_explanation[] =
    "this host's /dev/kvm is the PVM flavour (/sys/module/kvm_pvm): guest code at "
    "CPL3 runs natively but guest code at CPL0 is emulated one instruction at a time, "
    "and that emulator cannot run int3, XSAVE-family instructions, cmpxchg16b or "
    "sysret, so a stock Linux kernel cannot boot here (it stops at its int3 self-test "
    "or earlier); run it on a host with VMX or SVM, or run guests whose CPL0 code "
    "avoids those instructions";

bool vm_host_is_pvm(void)
{
    return access("/sys/module/kvm_pvm", F_OK) == 0;
}

static int open_kvm(char *why, size_t why_len)
{
    int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
    if (fd >= 0)
        return fd;
    if (errno == ENOENT)
        snprintf(why, why_len, "/dev/kvm does not exist: this machine offers no KVM "
                 "(load kvm_intel or kvm_amd, or enable nested virtualisation)");
    else if (errno == EACCES || errno == EPERM)
        snprintf(why, why_len, "no permission to open /dev/kvm: add this user to the "
                 "group that owns it (usually 'kvm') or run as root");
    else
        snprintf(why, why_len, "cannot open /dev/kvm: %s", strerror(errno));
    return -1;
}

bool vm_kvm_usable(char *why, size_t why_len)
{
    int kvm = open_kvm(why, why_len);
    if (kvm < 0)
        return false;
    bool ok = false;
    int api = ioctl(kvm, KVM_GET_API_VERSION, 0);
    if (api < 0) {
        snprintf(why, why_len, "/dev/kvm is not a KVM device (KVM_GET_API_VERSION: %s)",
                 strerror(errno));
    } else if (api != KVM_API_VERSION) {
        snprintf(why, why_len, "/dev/kvm speaks API version %d, ferry needs %d", api,
                 KVM_API_VERSION);
    } else {
        int vm = ioctl(kvm, KVM_CREATE_VM, 0);
        if (vm < 0)
            snprintf(why, why_len, "KVM_CREATE_VM failed: %s", strerror(errno));
        else {
            ok = true;
            close(vm);
        }
    }
    close(kvm);
    return ok;
}

static bool fail(const char *what)
{
    fprintf(stderr, "ferry-system: %s: %s\n", what, strerror(errno));
    return false;
}

static bool add_memory_slot(VM *vm, uint32_t slot, uint64_t gpa, uint64_t size, void *host)
{
    struct kvm_userspace_memory_region r = {
        .slot = slot, .guest_phys_addr = gpa, .memory_size = size,
        .userspace_addr = (uintptr_t)host,
    };
    if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &r) < 0)
        return fail("KVM_SET_USER_MEMORY_REGION");
    return true;
}

static bool create_ram(VM *vm, uint64_t size)
{
    vm->ram_size = size;
    vm->ram = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (vm->ram == MAP_FAILED)
        return fail("cannot reserve guest RAM");
    madvise(vm->ram, size, MADV_MERGEABLE);
    uint64_t low = size < VM_MMIO_HOLE_START ? size : VM_MMIO_HOLE_START;
    if (!add_memory_slot(vm, 0, 0, low, vm->ram))
        return false;
    if (size > low && !add_memory_slot(vm, 1, 1ULL << 32, size - low, vm->ram + low))
        return false;
    return true;
}

/* The order matters: CREATE_IRQCHIP fails once a vCPU exists. */
static bool create_irqchip(VM *vm)
{
    if (ioctl(vm->vm_fd, KVM_SET_TSS_ADDR, (unsigned long)VM_TSS_ADDR) < 0)
        return fail("KVM_SET_TSS_ADDR");
    uint64_t idmap = VM_IDENTITY_MAP_ADDR;
    if (ioctl(vm->vm_fd, KVM_SET_IDENTITY_MAP_ADDR, &idmap) < 0)
        return fail("KVM_SET_IDENTITY_MAP_ADDR");
    if (ioctl(vm->vm_fd, KVM_CREATE_IRQCHIP, 0) < 0)
        return fail("KVM_CREATE_IRQCHIP");
    struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };
    if (ioctl(vm->vm_fd, KVM_CREATE_PIT2, &pit) < 0)
        return fail("KVM_CREATE_PIT2");
    return true;
}

static bool create_vcpus(VM *vm, int ncpus)
{
    struct kvm_cpuid2 *supported = cpuid_supported(vm->kvm_fd);
    if (!supported)
        return fail("KVM_GET_SUPPORTED_CPUID");
    vm->ncpus = ncpus;
    for (int i = 0; i < ncpus; i++) {
        VCPU *c = &vm->cpus[i];
        c->vm = vm;
        c->id = i;
        c->fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, (unsigned long)i);
        if (c->fd < 0)
            return fail("KVM_CREATE_VCPU");
        c->run = mmap(NULL, vm->run_mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, c->fd, 0);
        if (c->run == MAP_FAILED)
            return fail("mmap of the vCPU run area");
        struct kvm_cpuid2 *mine = cpuid_for_guest(supported, i, ncpus);
        if (!mine || ioctl(c->fd, KVM_SET_CPUID2, mine) < 0)
            return fail("KVM_SET_CPUID2");
        free(mine);
    }
    free(supported);
    return true;
}

bool vm_create(VM *vm, const VMOptions *opt)
{
    memset(vm, 0, sizeof(*vm));
    pthread_mutex_init(&vm->io_lock, NULL);
    pthread_mutex_init(&vm->stop_lock, NULL);
    pthread_cond_init(&vm->stop_cond, NULL);
    vm->verbose = opt->verbose;
    vm->report_startup = opt->report_startup;
    vm->pvm_host = vm_host_is_pvm();
    if (opt->ncpus < 1 || opt->ncpus > VM_MAX_CPUS) {
        fprintf(stderr, "ferry-system: -smp %d: between 1 and %d vCPUs\n", opt->ncpus,
                VM_MAX_CPUS);
        return false;
    }

    char why[256];
    vm->kvm_fd = open_kvm(why, sizeof(why));
    if (vm->kvm_fd < 0) {
        fprintf(stderr, "ferry-system: %s\n", why);
        return false;
    }
    if (ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
        fprintf(stderr, "ferry-system: /dev/kvm is not a KVM device of API version %d\n",
                KVM_API_VERSION);
        return false;
    }
    vm->vm_fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
    if (vm->vm_fd < 0)
        return fail("KVM_CREATE_VM");
    int sz = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
    if (sz <= 0)
        return fail("KVM_GET_VCPU_MMAP_SIZE");
    vm->run_mmap_size = (size_t)sz;
    return create_irqchip(vm) && create_ram(vm, opt->ram_size) &&
           create_vcpus(vm, opt->ncpus);
}

void *vm_gpa(VM *vm, uint64_t gpa, uint64_t len)
{
    uint64_t low = vm->ram_size < VM_MMIO_HOLE_START ? vm->ram_size : VM_MMIO_HOLE_START;
    if (gpa + len < gpa)
        return NULL;
    if (gpa + len <= low)
        return vm->ram + gpa;
    if (gpa >= (1ULL << 32) && gpa - (1ULL << 32) + len <= vm->ram_size - low)
        return vm->ram + low + (gpa - (1ULL << 32));
    return NULL;
}

static void add_range(IoRange *tab, int *n, uint64_t base, uint64_t len, IoHandler h,
                      void *opaque)
{
    if (*n >= VM_MAX_IO_RANGES) {
        fprintf(stderr, "ferry-system: too many device ranges\n");
        abort();
    }
    tab[(*n)++] = (IoRange){ .base = base, .len = len, .handler = h, .opaque = opaque };
}

void vm_add_pio(VM *vm, uint64_t port, uint64_t len, IoHandler h, void *opaque)
{
    add_range(vm->pio, &vm->npio, port, len, h, opaque);
}

void vm_add_mmio(VM *vm, uint64_t addr, uint64_t len, IoHandler h, void *opaque)
{
    add_range(vm->mmio, &vm->nmmio, addr, len, h, opaque);
}

void vm_irq_line(VM *vm, int gsi, int level)
{
    struct kvm_irq_level l = { .irq = (uint32_t)gsi, .level = (uint32_t)level };
    ioctl(vm->vm_fd, KVM_IRQ_LINE, &l);
}

void vm_request_stop(VM *vm, int status)
{
    pthread_mutex_lock(&vm->stop_lock);
    if (!vm->stopping) {
        vm->stopping = true;
        vm->exit_status = status;
        pthread_cond_broadcast(&vm->stop_cond);
    }
    pthread_mutex_unlock(&vm->stop_lock);
}

/* Unclaimed reads float high; unclaimed writes vanish. */
static void dispatch(VM *vm, IoRange *tab, int n, uint64_t addr, uint8_t *data,
                     unsigned len, bool is_write)
{
    for (int i = 0; i < n; i++) {
        if (addr >= tab[i].base && addr - tab[i].base < tab[i].len) {
            pthread_mutex_lock(&vm->io_lock);
            tab[i].handler(tab[i].opaque, addr - tab[i].base, data, len, is_write);
            pthread_mutex_unlock(&vm->io_lock);
            return;
        }
    }
    if (!is_write)
        memset(data, 0xff, len);
    else if (vm->verbose)
        fprintf(stderr, "ferry-system: unclaimed write of %u bytes at 0x%" PRIx64 "\n", len, addr);
}

static void handle_io(VCPU *c)
{
    struct kvm_run *r = c->run;
    uint8_t *data = (uint8_t *)r + r->io.data_offset;
    for (uint32_t i = 0; i < r->io.count; i++, data += r->io.size)
        dispatch(c->vm, c->vm->pio, c->vm->npio, r->io.port, data, r->io.size,
                 r->io.direction == KVM_EXIT_IO_OUT);
}

/* Translate a linear address through the guest's page tables (4-level long
 * mode, PAE or 32-bit), or identity when paging is off.  Returns false when
 * unmapped. */
static bool guest_linear_to_phys(VM *vm, const struct kvm_sregs *s, uint64_t lin, uint64_t *phys)
{
    if (!(s->cr0 & 0x80000000ULL)) {
        *phys = lin & 0xffffffffULL;
        return true;
    }
    bool lma = s->efer & 0x400, pae = s->cr4 & 0x20;
    int levels = lma ? 4 : pae ? 3 : 2;
    uint64_t table = s->cr3 & (pae ? ~0xfffULL : 0xfffff000ULL);
    if (pae && !lma)
        table = s->cr3 & ~0x1fULL;
    for (int level = levels; level >= 1; level--) {
        int shift = pae ? 12 + 9 * (level - 1) : 12 + 10 * (level - 1);
        unsigned idx_bits = pae ? 9 : 10;
        if (pae && !lma && level == 3)
            idx_bits = 2;
        uint64_t idx = (lin >> shift) & ((1u << idx_bits) - 1);
        unsigned esz = pae ? 8 : 4;
        uint8_t *p = vm_gpa(vm, table + idx * esz, esz);
        if (!p)
            return false;
        uint64_t e = 0;
        memcpy(&e, p, esz);
        if (!(e & 1))
            return false;
        bool large = (e & 0x80) && level > 1 && !(pae && !lma && level == 3);
        uint64_t addr_mask = pae ? 0x000ffffffffff000ULL : 0xfffff000ULL;
        if (large || level == 1) {
            uint64_t page = 1ULL << shift;
            *phys = (e & addr_mask & ~(page - 1)) | (lin & (page - 1));
            return true;
        }
        table = e & addr_mask;
    }
    return false;
}

static void report_internal_error(VCPU *c)
{
    struct kvm_run *r = c->run;
    struct kvm_regs regs;
    struct kvm_sregs s;
    ioctl(c->fd, KVM_GET_REGS, &regs);
    ioctl(c->fd, KVM_GET_SREGS, &s);
    int cpl = s.cs.dpl & 3;
    fprintf(stderr, "ferry-system: KVM could not run the guest on vCPU %d (internal error, "
            "suberror %u) at RIP 0x%llx (CS base 0x%llx, CPL %d, CR0 0x%llx, EFER 0x%llx)\n",
            c->id, r->internal.suberror, regs.rip, s.cs.base, cpl, s.cr0, s.efer);
    uint64_t phys;
    uint8_t *bytes = NULL;
    if (guest_linear_to_phys(c->vm, &s, s.cs.base + regs.rip, &phys))
        bytes = vm_gpa(c->vm, phys, 16);
    if (bytes) {
        fprintf(stderr, "ferry-system: bytes at RIP (guest-physical 0x%" PRIx64 "):", phys);
        for (int i = 0; i < 16; i++)
            fprintf(stderr, " %02x", bytes[i]);
        fprintf(stderr, "\n");
    } else {
        fprintf(stderr, "ferry-system: RIP is not mapped to guest RAM\n");
    }
    if (r->internal.ndata) {
        fprintf(stderr, "ferry-system: KVM detail:");
        for (uint32_t i = 0; i < r->internal.ndata && i < 16; i++)
            fprintf(stderr, " 0x%llx", r->internal.data[i]);
        fprintf(stderr, "\n");
    }
    if (c->vm->pvm_host && cpl == 0)
        fprintf(stderr, "ferry-system: %s\n", vm_pvm_explanation);
}

static int handle_exit(VCPU *c)
{
    struct kvm_run *r = c->run;
    switch (r->exit_reason) {
    case KVM_EXIT_IO:
        handle_io(c);
        return -1;
    case KVM_EXIT_MMIO:
        dispatch(c->vm, c->vm->mmio, c->vm->nmmio, r->mmio.phys_addr, r->mmio.data,
                 r->mmio.len, r->mmio.is_write);
        return -1;
    case KVM_EXIT_HLT:
        fprintf(stderr, "ferry-system: vCPU %d halted\n", c->id);
        return 0;
    case KVM_EXIT_SHUTDOWN:
        fprintf(stderr, "ferry-system: guest shut down (triple fault) on vCPU %d\n", c->id);
        return 2;
    case KVM_EXIT_SYSTEM_EVENT:
        return 0;
    case KVM_EXIT_INTERNAL_ERROR:
        report_internal_error(c);
        return 1;
    case KVM_EXIT_FAIL_ENTRY:
        fprintf(stderr, "ferry-system: KVM refused to enter the guest on vCPU %d (reason "
                "0x%llx)\n", c->id, (unsigned long long)r->fail_entry.hardware_entry_failure_reason);
        return 1;
    default:
        fprintf(stderr, "ferry-system: unexpected KVM exit %u on vCPU %d\n", r->exit_reason, c->id);
        return 1;
    }
}

static bool vm_report_first_exit_pending(VCPU *c)
{
    return c->vm->report_startup && c->id == 0 && !atomic_exchange(&c->vm->first_exit_seen, true);
}

/* The first exit of vCPU 0 follows the guest's first instruction when that
 * instruction is a port write (the start-up test guest's is).  The process's
 * CPU time so far includes exec; wall time is for the caller to subtract
 * from its own CLOCK_MONOTONIC reading taken before exec. */
static void report_startup_time(void)
{
    struct timespec cpu, mono;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
    clock_gettime(CLOCK_MONOTONIC, &mono);
    fprintf(stderr, "ferry-system: first guest exit: cpu %.3f ms, monotonic %lld.%09ld\n",
            cpu.tv_sec * 1e3 + cpu.tv_nsec / 1e6, (long long)mono.tv_sec, mono.tv_nsec);
}

static void *vcpu_thread(void *arg)
{
    VCPU *c = arg;
    for (;;) {
        if (ioctl(c->fd, KVM_RUN, 0) < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            fprintf(stderr, "ferry-system: KVM_RUN on vCPU %d: %s\n", c->id, strerror(errno));
            if (c->vm->pvm_host)
                fprintf(stderr, "ferry-system: %s\n", vm_pvm_explanation);
            vm_request_stop(c->vm, 1);
            return NULL;
        }
        if (vm_report_first_exit_pending(c))
            report_startup_time();
        int status = handle_exit(c);
        if (status >= 0) {
            vm_request_stop(c->vm, status);
            return NULL;
        }
        if (c->vm->stopping)         /* a device ended the run: enter no more */
            return NULL;
    }
}

int vm_run(VM *vm)
{
    for (int i = 0; i < vm->ncpus; i++) {
        if (pthread_create(&vm->cpus[i].thread, NULL, vcpu_thread, &vm->cpus[i]) != 0) {
            fprintf(stderr, "ferry-system: cannot start the thread of vCPU %d\n", i);
            vm_request_stop(vm, 1);
            break;
        }
    }
    pthread_mutex_lock(&vm->stop_lock);
    while (!vm->stopping)
        pthread_cond_wait(&vm->stop_cond, &vm->stop_lock);
    int status = vm->exit_status;
    pthread_mutex_unlock(&vm->stop_lock);
    if (vm->on_stop)
        vm->on_stop(vm->on_stop_opaque);
    return status;
}
