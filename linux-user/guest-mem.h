/*
 * The guest address space.  Guest addresses are host addresses
 * (guest_base = 0): arm64 and x86-64 user space overlap in the low 47 bits,
 * so the guest sees a 47-bit address space, a size real arm64 kernels also
 * use.  ferry's own mappings are never handed to the guest: the map below
 * records what the guest owns, and MAP_FIXED requests over anything else are
 * refused.  Every mmap/munmap/mprotect/mremap/brk of the guest goes through
 * here so the map stays current and translated code is invalidated when
 * executable memory changes.
 */
#ifndef FERRY_LINUX_USER_GUEST_MEM_H
#define FERRY_LINUX_USER_GUEST_MEM_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define GUEST_PAGE_SIZE 4096ull
#define GUEST_ADDR_MAX  0x7fffffffffffull     /* highest usable guest address */

static inline void *g2h(uint64_t guest_addr) { return (void *)(uintptr_t)guest_addr; }
static inline uint64_t h2g(const void *host) { return (uint64_t)(uintptr_t)host; }

/* Guest page protections (PROT_READ/WRITE/EXEC values). */
void guest_mem_init(void);
/* Around a fork (libc's fork() runs them itself; a raw clone must call
 * them): the map's lock is held across it.  Take it after the code cache's
 * lock (exec_before_fork): translation takes the two in that order. */
void guest_mem_before_fork(void);
void guest_mem_after_fork_parent(void);
void guest_mem_after_fork_child(void);

/* The guest's mm syscalls.  Return the guest address / 0 on success or a
 * negative errno, exactly as the arm64 kernel would. */
int64_t guest_mmap(uint64_t addr, uint64_t len, int prot, int flags, int fd, off_t off);
int64_t guest_munmap(uint64_t addr, uint64_t len);
int64_t guest_mprotect(uint64_t addr, uint64_t len, int prot);
int64_t guest_mremap(uint64_t old_addr, uint64_t old_len, uint64_t new_len, int flags, uint64_t new_addr);
int64_t guest_brk(uint64_t new_brk);
void guest_brk_init(uint64_t start);   /* loader: end of the highest PT_LOAD */

/* Record a mapping the loader (or stack set-up) made itself. */
void guest_mem_record(uint64_t addr, uint64_t len, int prot, const char *name);
/* mmap len bytes (align-aligned) where mappings without an address go:
 * the same place in every run of the same program (see guest-mem.c).
 * MAP_FAILED if no place could be had: then let the kernel choose. */
void *guest_mem_map_placed(uint64_t len, uint64_t align, int prot, int flags, int fd, off_t off);

/* Is [addr, addr+len) entirely mapped in the guest with at least `prot`? */
bool guest_range_ok(uint64_t addr, uint64_t len, int prot);

/* The executable region holding the instruction at addr, and the map's
 * generation it was read at: while guest_map_generation() still returns
 * that, every instruction in [start, end) can be fetched without asking
 * again (the translator's fetch check).  False if addr is not executable. */
typedef struct GuestExecRegion {
    uint64_t start, end, generation;
} GuestExecRegion;
bool guest_exec_region(uint64_t addr, GuestExecRegion *out);
/* The same, reusing *cache while addr is inside it and the map has not
 * changed (callers keep one per thread: lookups mostly stay in a region);
 * on failure *cache is emptied. */
bool guest_exec_region_cached(uint64_t addr, GuestExecRegion *cache);
uint64_t guest_map_generation(void);

/* The executable regions of the map that came from the file `name` (as the
 * loader recorded it), merged where adjacent, at most max of them in
 * out[i] = {start, end}; returns how many. */
size_t guest_mem_exec_regions_of(const char *name, uint64_t (*out)[2], size_t max);

/* Run fn(opaque) so that a fault reading guest memory in it (a page of a
 * file mapping past the end of the file, a page unmapped meanwhile by
 * another thread) ends fn instead of ferry: false if one did.  For reads
 * of memory the map calls readable; fn must not be left half done in a
 * way that matters (no lock taken inside it, nothing allocated). */
bool guest_read_guarded(void (*fn)(void *), void *opaque);
/* From the host SIGSEGV/SIGBUS handler (uc: its context): if this thread
 * is inside guest_read_guarded, end that call (does not return). */
void guest_read_fault(const void *uc);

/* Copy to/from guest memory with checking: 0 or -EFAULT. */
int copy_from_guest(void *dst, uint64_t src, size_t len);
int copy_to_guest(uint64_t dst, const void *src, size_t len);
/* Validate a NUL-terminated guest string; returns host pointer or NULL. */
const char *guest_str(uint64_t addr);

/* Bytes the guest has mapped now and the most it has had mapped at once
 * (/proc/self/status VmSize and VmPeak). */
void guest_mem_size(uint64_t *current, uint64_t *peak);

/* Iterate the map (for /proc/self/maps and -d page). */
typedef void GuestMapFn(uint64_t start, uint64_t end, int prot, const char *name, void *opaque);
void guest_mem_foreach(GuestMapFn *fn, void *opaque);

/* The map of another process running this same ferry binary (loaded delta
 * bytes from this one), read from its memory with process_vm_readv: fn for
 * each region, and its VmSize and VmPeak.  false when its memory cannot be
 * read, or changed under every try. */
bool guest_mem_foreach_remote(pid_t pid, intptr_t delta, GuestMapFn *fn, void *opaque,
                              uint64_t *size, uint64_t *peak);

#endif
