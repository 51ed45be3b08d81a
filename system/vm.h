/* system/vm.h -- the virtual machine of ferry-system-x86_64: the KVM file
 * descriptors, guest RAM, the vCPUs (one host thread each), the I/O bus that
 * routes port and MMIO exits to device models, and how a run ends. */
#ifndef FERRY_SYSTEM_VM_H
#define FERRY_SYSTEM_VM_H

#include <linux/kvm.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VM_MAX_CPUS 64
#define VM_MAX_IO_RANGES 32

/* Guest-physical layout shared by the loader and the devices. */
#define VM_MMIO_HOLE_START 0xc0000000ULL   /* RAM above this moves past 4 GiB */
#define VM_VIRTIO_MMIO_BASE 0xd0000000ULL  /* one 4 KiB window per device */
#define VM_VIRTIO_MMIO_SIZE 0x1000ULL
#define VM_VIRTIO_FIRST_IRQ 5
#define VM_TSS_ADDR 0xfffbd000ULL
#define VM_IDENTITY_MAP_ADDR 0xfffbc000ULL

/* Ports of the built-in devices. */
#define VM_PORT_COM1 0x3f8
#define VM_IRQ_COM1 4
#define VM_PORT_I8042_DATA 0x60
#define VM_PORT_I8042_CMD 0x64
#define VM_PORT_DEBUG_EXIT 0xf4            /* write status: the VMM exits with it */

typedef struct VM VM;
struct IoThread;

/* Called for a guest access to a registered range; data holds len bytes
 * (written by the guest, or to be filled in for a read). */
typedef void (*IoHandler)(void *opaque, uint64_t offset, uint8_t *data,
                          unsigned len, bool is_write);

typedef struct IoRange {
    uint64_t base, len;
    IoHandler handler;
    void *opaque;
} IoRange;

typedef struct VCPU {
    VM *vm;
    int id;
    int fd;
    struct kvm_run *run;
    pthread_t thread;
} VCPU;

typedef struct VMOptions {
    uint64_t ram_size;
    int ncpus;
    bool verbose;
    bool report_startup;          /* print CPU and wall time at the first guest exit */
} VMOptions;

struct VM {
    int kvm_fd, vm_fd;
    size_t run_mmap_size;
    uint8_t *ram;                 /* host view of guest RAM (below and above the hole) */
    uint64_t ram_size;
    int ncpus;
    VCPU cpus[VM_MAX_CPUS];
    bool pvm_host;                /* /sys/module/kvm_pvm: CPL0 is emulated */
    bool verbose;
    bool report_startup;
    atomic_bool first_exit_seen;

    pthread_mutex_t io_lock;      /* one device model runs at a time */
    IoRange pio[VM_MAX_IO_RANGES];
    int npio;
    IoRange mmio[VM_MAX_IO_RANGES];
    int nmmio;

    /* How the run ends: the first stop request wins. */
    pthread_mutex_t stop_lock;
    pthread_cond_t stop_cond;
    atomic_bool stopping;
    int exit_status;
    void (*on_stop)(void *opaque);   /* e.g. restore the terminal */
    void *on_stop_opaque;

    struct IoThread *iothread;    /* system/iothread.c */
};

/* Opens /dev/kvm and creates the VM with its in-kernel irqchip and PIT (in
 * the order KVM needs), RAM and vCPUs.  On failure prints one clear line and
 * returns false. */
bool vm_create(VM *vm, const VMOptions *opt);
/* Probe only: can this process create a VM here?  Writes the reason when not. */
bool vm_kvm_usable(char *why, size_t why_len);

void vm_add_pio(VM *vm, uint64_t port, uint64_t len, IoHandler h, void *opaque);
void vm_add_mmio(VM *vm, uint64_t addr, uint64_t len, IoHandler h, void *opaque);

/* Guest-physical to host pointer, NULL when [gpa, gpa+len) is not RAM. */
void *vm_gpa(VM *vm, uint64_t gpa, uint64_t len);

/* Pulse or set an ISA/IOAPIC interrupt line. */
void vm_irq_line(VM *vm, int gsi, int level);

/* Starts one thread per vCPU and waits until something stops the VM;
 * returns the exit status. */
int vm_run(VM *vm);
/* Ask the VM to stop with this status (first caller wins). */
void vm_request_stop(VM *vm, int status);

/* True when the host KVM is the PVM flavour. */
bool vm_host_is_pvm(void);
extern const char vm_pvm_explanation[];

#endif
