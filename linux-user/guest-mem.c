/*
 * The guest address space (see guest-mem.h): the map of what the guest
 * owns, and the guest's mmap/munmap/mprotect/mremap/brk on top of the host's.
 *
 * The map is a sorted GArray of non-overlapping regions [start, end), each
 * with its protection and an optional name (interned, so names compare by
 * pointer).  Operations first split regions at the edges of the range they
 * touch, then work on whole regions, then merge equal neighbours again.
 *
 * ferry's own memory is never given to the guest: MAP_FIXED over a range
 * the guest does not own first reserves the free parts with
 * MAP_FIXED_NOREPLACE, and fails if any of them is taken (by ferry).
 */
#include "linux-user/guest-mem.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>
#include <glib.h>

#include "host/x86_64/signal-host.h"
#include "linux-user/log.h"
#include "tcg/exec.h"

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* arm64-only protection bits: BTI guarded pages (accepted, no effect here)
 * and MTE tagged memory (not offered by ferry's CPU models). */
#define GUEST_PROT_BTI 0x10
#define GUEST_PROT_MTE 0x20
/* x86-64's MAP_32BIT has no meaning for an arm64 guest. */
#define HOST_MAP_32BIT 0x40

typedef struct GuestRegion {
    uint64_t start, end;
    int prot;
    const char *name;        /* interned or NULL */
} GuestRegion;

typedef struct GuestMem {
    pthread_mutex_t lock;    /* recursive: foreach callbacks may query */
    GArray *regions;         /* of GuestRegion, sorted by start */
    uint64_t brk_start;      /* initial break (page aligned) */
    uint64_t brk_cur;        /* current break as the guest sees it */
    uint64_t brk_mapped_end; /* end of the pages mapped for the heap */
    GArray *growsdown;       /* uint64_t: lowest known page of each MAP_GROWSDOWN mapping */
    uint64_t total;          /* bytes in the map now */
    uint64_t peak;           /* the most total has been */
    uint64_t generation;     /* bumped by every change of ranges or protections */
} GuestMem;

static GuestMem guest_mem = {
    .lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP,
};

static uint64_t page_up(uint64_t v)   { return (v + GUEST_PAGE_SIZE - 1) & ~(GUEST_PAGE_SIZE - 1); }
static bool page_aligned(uint64_t v)  { return (v & (GUEST_PAGE_SIZE - 1)) == 0; }

/* Is [addr, addr+len) inside the guest's 47-bit space (len > 0)? */
static bool guest_span_valid(uint64_t addr, uint64_t len)
{
    return len > 0 && addr <= GUEST_ADDR_MAX && len - 1 <= GUEST_ADDR_MAX - addr;
}

/* ---- the map (callers hold the lock) ---- */

static GuestRegion *region_at(guint i)
{
    return &g_array_index(guest_mem.regions, GuestRegion, i);
}

static void map_ensure(void)
{
    if (!guest_mem.regions)
        guest_mem.regions = g_array_new(FALSE, FALSE, sizeof(GuestRegion));
}

/* Index of the first region whose end is above addr (may be the length). */
static guint map_first_ending_after(uint64_t addr)
{
    guint lo = 0, hi = guest_mem.regions->len;
    while (lo < hi) {
        guint mid = (lo + hi) / 2;
        if (region_at(mid)->end <= addr) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/*
 * Where what is mapped without an address goes: top-down from a fixed
 * ceiling, into the highest gap of the guest map that fits.  The same
 * program then makes the same mappings at the same addresses in every run
 * (so its translations stay valid from one run to the next, tcg/tcache.c),
 * as under the kernel with randomisation off.  The ceiling is below where
 * the host kernel puts its own (randomised) mappings -- ferry's libraries,
 * heap and code buffer -- which the guest map does not know about: a
 * place is taken with MAP_FIXED_NOREPLACE, and lower if that finds one.
 */
#define GUEST_MMAP_CEILING 0x7e0000000000ull
#define GUEST_MMAP_FLOOR   0x10000ull
#define PLACE_ATTEMPTS     8

/* The highest align-aligned start of len free bytes below ceiling, or 0. */
static uint64_t map_free_place_below(uint64_t ceiling, uint64_t len, uint64_t align)
{
    uint64_t hi = ceiling;
    for (guint i = guest_mem.regions->len; i-- > 0;) {
        const GuestRegion *r = region_at(i);
        if (r->start >= hi) continue;
        if (r->end <= hi && hi - r->end >= len) {
            uint64_t at = (hi - len) & ~(align - 1);
            if (at >= r->end) return at;
        }
        hi = r->start;
    }
    if (hi < GUEST_MMAP_FLOOR + len) return 0;
    uint64_t at = (hi - len) & ~(align - 1);
    return at >= GUEST_MMAP_FLOOR ? at : 0;
}

void *guest_mem_map_placed(uint64_t len, uint64_t align, int prot, int flags, int fd, off_t off)
{
    void *p = MAP_FAILED;
    pthread_mutex_lock(&guest_mem.lock);
    map_ensure();
    uint64_t ceiling = GUEST_MMAP_CEILING;
    for (int attempt = 0; attempt < PLACE_ATTEMPTS && p == MAP_FAILED; attempt++) {
        uint64_t at = map_free_place_below(ceiling, len, align < GUEST_PAGE_SIZE ? GUEST_PAGE_SIZE : align);
        if (!at) break;
        p = mmap(g2h(at), len, prot, (flags & ~MAP_FIXED) | MAP_FIXED_NOREPLACE, fd, off);
        if (p != MAP_FAILED && p != g2h(at)) {      /* a kernel without NOREPLACE */
            munmap(p, len);
            p = MAP_FAILED;
            break;
        }
        ceiling = at;                               /* ferry's own memory is there */
    }
    pthread_mutex_unlock(&guest_mem.lock);
    return p;
}

/* Make addr a region boundary if it falls strictly inside a region. */
static void map_split_at(uint64_t addr)
{
    guint i = map_first_ending_after(addr);
    if (i >= guest_mem.regions->len) return;
    GuestRegion r = *region_at(i);
    if (r.start < addr && addr < r.end) {
        GuestRegion upper = r;
        upper.start = addr;
        region_at(i)->end = addr;
        g_array_insert_val(guest_mem.regions, i + 1, upper);
    }
}

static void map_merge_neighbours(void)
{
    GArray *a = guest_mem.regions;
    guint out = 0;
    for (guint i = 0; i < a->len; i++) {
        GuestRegion *r = region_at(i);
        if (out > 0) {
            GuestRegion *prev = region_at(out - 1);
            if (prev->end == r->start && prev->prot == r->prot && prev->name == r->name) {
                prev->end = r->end;
                continue;
            }
        }
        if (out != i) *region_at(out) = *r;
        out++;
    }
    g_array_set_size(a, out);
}

static void map_changed(void)
{
    __atomic_store_n(&guest_mem.generation, guest_mem.generation + 1, __ATOMIC_RELEASE);
}

static void map_remove(uint64_t start, uint64_t end)
{
    map_changed();
    map_split_at(start);
    map_split_at(end);
    guint i = map_first_ending_after(start), n = 0;
    while (i + n < guest_mem.regions->len && region_at(i + n)->end <= end) {
        guest_mem.total -= region_at(i + n)->end - region_at(i + n)->start;
        n++;
    }
    if (n) g_array_remove_range(guest_mem.regions, i, n);
}

static void map_insert(uint64_t start, uint64_t end, int prot, const char *name)
{
    map_remove(start, end);
    GuestRegion r = { start, end, prot, name ? g_intern_string(name) : NULL };
    g_array_insert_val(guest_mem.regions, map_first_ending_after(start), r);
    guest_mem.total += end - start;
    guest_mem.peak = MAX(guest_mem.peak, guest_mem.total);
    map_merge_neighbours();
}

static void map_set_prot(uint64_t start, uint64_t end, int prot)
{
    map_changed();
    map_split_at(start);
    map_split_at(end);
    for (guint i = map_first_ending_after(start);
         i < guest_mem.regions->len && region_at(i)->start < end; i++)
        region_at(i)->prot = prot;
    map_merge_neighbours();
}

/* Is [start, end) covered without gaps by regions having all of `prot`? */
static bool map_covers(uint64_t start, uint64_t end, int prot)
{
    uint64_t pos = start;
    for (guint i = map_first_ending_after(start);
         i < guest_mem.regions->len && pos < end; i++) {
        GuestRegion *r = region_at(i);
        if (r->start > pos || (r->prot & prot) != prot) return false;
        pos = r->end;
    }
    return pos >= end;
}

/* Is any part of [start, end) executable guest memory? */
static bool map_any_exec(uint64_t start, uint64_t end)
{
    for (guint i = map_first_ending_after(start);
         i < guest_mem.regions->len && region_at(i)->start < end; i++)
        if (region_at(i)->prot & PROT_EXEC) return true;
    return false;
}

static const GuestRegion *map_lookup(uint64_t addr)
{
    guint i = map_first_ending_after(addr);
    if (i < guest_mem.regions->len && region_at(i)->start <= addr) return region_at(i);
    return NULL;
}

/* ---- MAP_GROWSDOWN mappings ----
 * The host kernel grows them when the guest touches the memory below, so
 * the map learns of growth only by asking: before the map is listed or
 * changed, and when a check against it fails. */

/* Where the host mapping containing addr starts (addr itself if none). */
static uint64_t host_mapping_start(const char *maps, uint64_t addr)
{
    for (const char *l = maps; l && *l;) {
        uint64_t lo, hi;
        if (sscanf(l, "%" SCNx64 "-%" SCNx64, &lo, &hi) == 2 && lo <= addr && addr < hi)
            return lo;
        l = strchr(l, '\n');
        l = l ? l + 1 : NULL;
    }
    return addr;
}

/* Take in the pages each growing mapping has gained (caller holds the lock). */
static void growsdown_sync(void)
{
    GArray *g = guest_mem.growsdown;
    char *maps = NULL;
    if (!g || g->len == 0 || !g_file_get_contents("/proc/self/maps", &maps, NULL, NULL))
        return;
    for (guint i = 0; i < g->len;) {
        uint64_t *low = &g_array_index(g, uint64_t, i);
        const GuestRegion *r = map_lookup(*low);
        if (!r) {                        /* unmapped since */
            g_array_remove_index_fast(g, i);
            continue;
        }
        int prot = r->prot;
        const char *name = r->name;
        uint64_t start = host_mapping_start(maps, *low);
        guint below = map_first_ending_after(start);
        bool free_below = below >= guest_mem.regions->len || region_at(below)->start >= *low;
        if (start < *low && free_below) {
            map_insert(start, *low, prot, name);
            *low = start;
        }
        i++;
    }
    g_free(maps);
}

/* map_covers, asking the host about growth when the answer is no. */
static bool map_covers_grown(uint64_t start, uint64_t end, int prot)
{
    if (map_covers(start, end, prot))
        return true;
    if (!guest_mem.growsdown || guest_mem.growsdown->len == 0)
        return false;
    growsdown_sync();
    return map_covers(start, end, prot);
}

static void log_page(const char *what, uint64_t start, uint64_t end, int prot, int64_t result)
{
    if (!log_enabled(LOG_PAGE)) return;
    ferry_log("page: %s %#" PRIx64 "-%#" PRIx64 " %c%c%c -> %" PRId64 "\n", what, start, end,
              prot & PROT_READ ? 'r' : '-', prot & PROT_WRITE ? 'w' : '-',
              prot & PROT_EXEC ? 'x' : '-', result);
}

/* ---- claiming ranges the guest does not own yet ---- */

typedef struct Reservation { uint64_t start, end; } Reservation;

/* Reserve (PROT_NONE, MAP_FIXED_NOREPLACE) every gap of the map inside
 * [start, end).  If any gap is not free on the host, it belongs to ferry:
 * undo and fail.  On success the caller maps over everything with
 * MAP_FIXED and frees *reserved. */
static bool claim_free_gaps(uint64_t start, uint64_t end, GArray **reserved)
{
    GArray *res = g_array_new(FALSE, FALSE, sizeof(Reservation));
    uint64_t pos = start;
    guint i = map_first_ending_after(start);
    bool ok = true;

    while (pos < end && ok) {
        uint64_t gap_end = end;
        if (i < guest_mem.regions->len && region_at(i)->start < end) gap_end = region_at(i)->start;
        if (gap_end > pos) {
            void *p = mmap(g2h(pos), gap_end - pos, PROT_NONE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE, -1, 0);
            if (p == MAP_FAILED || p != g2h(pos)) {
                if (p != MAP_FAILED) munmap(p, gap_end - pos);
                ok = false;
                break;
            }
            Reservation r = { pos, gap_end };
            g_array_append_val(res, r);
        }
        if (i < guest_mem.regions->len && region_at(i)->start < end) {
            pos = region_at(i)->end;
            i++;
        } else {
            pos = end;
        }
    }
    if (!ok) {
        for (guint k = 0; k < res->len; k++) {
            Reservation *r = &g_array_index(res, Reservation, k);
            munmap(g2h(r->start), r->end - r->start);
        }
        g_array_free(res, TRUE);
        *reserved = NULL;
        return false;
    }
    *reserved = res;
    return true;
}

static void release_reservations(GArray *reserved, bool unmap)
{
    if (!reserved) return;
    for (guint k = 0; unmap && k < reserved->len; k++) {
        Reservation *r = &g_array_index(reserved, Reservation, k);
        munmap(g2h(r->start), r->end - r->start);
    }
    g_array_free(reserved, TRUE);
}

/* ---- public interface ---- */

/* fork: hold the lock across it, so that no other thread is half-way
 * through a change of the map then; the child's only thread starts with a
 * fresh (unlocked) lock. */
void guest_mem_before_fork(void)
{
    pthread_mutex_lock(&guest_mem.lock);
}

void guest_mem_after_fork_parent(void)
{
    pthread_mutex_unlock(&guest_mem.lock);
}

void guest_mem_after_fork_child(void)
{
    guest_mem.lock = (pthread_mutex_t)PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
}

void guest_mem_init(void)
{
    pthread_mutex_lock(&guest_mem.lock);
    map_ensure();
    pthread_mutex_unlock(&guest_mem.lock);
    pthread_atfork(guest_mem_before_fork, guest_mem_after_fork_parent, guest_mem_after_fork_child);
}

void guest_mem_record(uint64_t addr, uint64_t len, int prot, const char *name)
{
    pthread_mutex_lock(&guest_mem.lock);
    map_ensure();
    map_insert(addr, addr + len, prot, name);
    log_page(name ? name : "record", addr, addr + len, prot, 0);
    pthread_mutex_unlock(&guest_mem.lock);
}

static char *fd_name(int fd)
{
    char link[64], target[4096];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n <= 0) return NULL;
    target[n] = 0;
    return g_strdup(target);
}

int64_t guest_mmap(uint64_t addr, uint64_t len, int prot, int flags, int fd, off_t off)
{
    int64_t result;
    bool invalidate = false;

    if (len == 0 || (off & (GUEST_PAGE_SIZE - 1))) return -EINVAL;
    if (prot & GUEST_PROT_MTE) return -EINVAL;
    prot &= ~GUEST_PROT_BTI;
    flags &= ~HOST_MAP_32BIT;
    len = page_up(len);
    if (len == 0 || len - 1 > GUEST_ADDR_MAX) return -ENOMEM;

    bool anon = (flags & MAP_ANONYMOUS) != 0;
    char *name = anon ? NULL : fd_name(fd);

    pthread_mutex_lock(&guest_mem.lock);
    map_ensure();
    if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
        GArray *reserved = NULL;
        growsdown_sync();               /* a grown stack is the guest's, not ferry's */
        if (!page_aligned(addr)) { result = -EINVAL; goto out; }
        if (!guest_span_valid(addr, len)) { result = -ENOMEM; goto out; }
        if (flags & MAP_FIXED_NOREPLACE) {
            flags &= ~MAP_FIXED;
            if (map_first_ending_after(addr) < guest_mem.regions->len &&
                region_at(map_first_ending_after(addr))->start < addr + len) {
                result = -EEXIST;
                goto out;
            }
        } else if (!claim_free_gaps(addr, addr + len, &reserved)) {
            result = -ENOMEM;           /* would overlap ferry's own memory */
            goto out;
        }
        void *p = mmap(g2h(addr), len, prot, flags, fd, off);
        if (p == MAP_FAILED) {
            result = -errno;
            release_reservations(reserved, true);
            goto out;
        }
        release_reservations(reserved, false);
        invalidate = map_any_exec(addr, addr + len);
        result = (int64_t)h2g(p);
    } else {
        uint64_t hint = guest_span_valid(addr, len) ? addr : 0;
        void *p = hint ? MAP_FAILED : guest_mem_map_placed(len, GUEST_PAGE_SIZE, prot, flags, fd, off);
        if (p == MAP_FAILED) p = mmap(g2h(hint), len, prot, flags, fd, off);
        if (p == MAP_FAILED) { result = -errno; goto out; }
        if (!guest_span_valid(h2g(p), len)) {
            munmap(p, len);
            result = -ENOMEM;
            goto out;
        }
        result = (int64_t)h2g(p);
    }
    map_insert((uint64_t)result, (uint64_t)result + len, prot, name);
    if (flags & MAP_GROWSDOWN) {
        if (!guest_mem.growsdown)
            guest_mem.growsdown = g_array_new(FALSE, FALSE, sizeof(uint64_t));
        uint64_t low = (uint64_t)result;
        g_array_append_val(guest_mem.growsdown, low);
    }
out:
    log_page("mmap", addr, addr + len, prot, result);
    pthread_mutex_unlock(&guest_mem.lock);
    g_free(name);
    if (invalidate) tb_invalidate_range((uint64_t)result, len);
    if (result >= 0 && (prot & PROT_EXEC)) exec_code_mapped((uint64_t)result, len);
    return result;
}

int64_t guest_munmap(uint64_t addr, uint64_t len)
{
    if (!page_aligned(addr) || len == 0) return -EINVAL;
    len = page_up(len);
    if (!guest_span_valid(addr, len)) return -EINVAL;

    pthread_mutex_lock(&guest_mem.lock);
    map_ensure();
    growsdown_sync();
    uint64_t end = addr + len;
    bool invalidate = map_any_exec(addr, end);
    /* Only what the guest owns is unmapped; the gaps may be ferry's. */
    for (guint i = map_first_ending_after(addr);
         i < guest_mem.regions->len && region_at(i)->start < end; i++) {
        uint64_t s = MAX(region_at(i)->start, addr), e = MIN(region_at(i)->end, end);
        munmap(g2h(s), e - s);
    }
    map_remove(addr, end);
    log_page("munmap", addr, end, 0, 0);
    pthread_mutex_unlock(&guest_mem.lock);
    if (invalidate) tb_invalidate_range(addr, len);
    return 0;
}

int64_t guest_mprotect(uint64_t addr, uint64_t len, int prot)
{
    int64_t result = 0;
    bool invalidate = false;

    if (!page_aligned(addr)) return -EINVAL;
    if (prot & GUEST_PROT_MTE) return -EINVAL;
    prot &= ~GUEST_PROT_BTI;
    if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_GROWSDOWN | PROT_GROWSUP)) return -EINVAL;
    if (len == 0) return 0;
    len = page_up(len);
    if (!guest_span_valid(addr, len)) return -ENOMEM;
    prot &= PROT_READ | PROT_WRITE | PROT_EXEC;

    pthread_mutex_lock(&guest_mem.lock);
    map_ensure();
    uint64_t end = addr + len;
    if (!map_covers_grown(addr, end, 0)) { result = -ENOMEM; goto out; }
    if (mprotect(g2h(addr), len, prot) != 0) { result = -errno; goto out; }
    for (guint i = map_first_ending_after(addr);
         i < guest_mem.regions->len && region_at(i)->start < end; i++) {
        int old = region_at(i)->prot;
        if ((old & PROT_EXEC) &&
            (!(prot & PROT_EXEC) || ((prot & PROT_WRITE) && !(old & PROT_WRITE))))
            invalidate = true;
    }
    map_set_prot(addr, end, prot);
out:
    log_page("mprotect", addr, end, prot, result);
    pthread_mutex_unlock(&guest_mem.lock);
    if (invalidate) tb_invalidate_range(addr, len);
    if (result == 0 && (prot & PROT_EXEC)) exec_code_mapped(addr, len);
    return result;
}

int64_t guest_mremap(uint64_t old_addr, uint64_t old_len, uint64_t new_len, int flags, uint64_t new_addr)
{
    const int known = MREMAP_MAYMOVE | MREMAP_FIXED
#ifdef MREMAP_DONTUNMAP
                      | MREMAP_DONTUNMAP
#endif
        ;
    int64_t result;
    GArray *reserved = NULL;
    bool invalidate_old = false, invalidate_new = false;

    if (!page_aligned(old_addr) || (flags & ~known)) return -EINVAL;
    if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE)) return -EINVAL;
    old_len = page_up(old_len);
    new_len = page_up(new_len);
    if (new_len == 0 || old_len == 0) return -EINVAL;
    if (!guest_span_valid(old_addr, old_len)) return -EFAULT;

    pthread_mutex_lock(&guest_mem.lock);
    map_ensure();
    if (!map_covers_grown(old_addr, old_addr + old_len, 0)) { result = -EFAULT; goto out; }
    const GuestRegion *src = map_lookup(old_addr);
    int prot = src->prot;
    const char *name = src->name;

    if (flags & MREMAP_FIXED) {
        if (!page_aligned(new_addr)) { result = -EINVAL; goto out; }
        if (!guest_span_valid(new_addr, new_len)) { result = -ENOMEM; goto out; }
        if (!claim_free_gaps(new_addr, new_addr + new_len, &reserved)) { result = -ENOMEM; goto out; }
        invalidate_new = map_any_exec(new_addr, new_addr + new_len);
    }
    void *p = mremap(g2h(old_addr), old_len, new_len, flags, g2h(new_addr));
    if (p == MAP_FAILED) {
        result = -errno;
        release_reservations(reserved, true);
        goto out;
    }
    release_reservations(reserved, false);
    result = (int64_t)h2g(p);
    if (!guest_span_valid((uint64_t)result, new_len)) {
        /* The host moved it out of the guest's reach: give up the mapping. */
        munmap(p, new_len);
        map_remove(old_addr, old_addr + old_len);
        result = -ENOMEM;
        goto out;
    }
    invalidate_old = map_any_exec(old_addr, old_addr + old_len);
    if ((uint64_t)result != old_addr) {
#ifdef MREMAP_DONTUNMAP
        if (!(flags & MREMAP_DONTUNMAP))
#endif
            map_remove(old_addr, old_addr + old_len);
    } else if (new_len < old_len) {
        map_remove(old_addr + new_len, old_addr + old_len);
    }
    map_insert((uint64_t)result, (uint64_t)result + new_len, prot, name);
out:
    log_page("mremap", old_addr, old_addr + old_len, 0, result);
    pthread_mutex_unlock(&guest_mem.lock);
    if (invalidate_old) tb_invalidate_range(old_addr, old_len);
    if (invalidate_new) tb_invalidate_range(new_addr, new_len);
    return result;
}

void guest_brk_init(uint64_t start)
{
    pthread_mutex_lock(&guest_mem.lock);
    guest_mem.brk_start = guest_mem.brk_cur = guest_mem.brk_mapped_end = page_up(start);
    pthread_mutex_unlock(&guest_mem.lock);
}

int64_t guest_brk(uint64_t new_brk)
{
    pthread_mutex_lock(&guest_mem.lock);
    map_ensure();
    uint64_t cur = guest_mem.brk_cur;
    if (new_brk < guest_mem.brk_start || new_brk > GUEST_ADDR_MAX) goto out;

    uint64_t new_end = page_up(new_brk), mapped = guest_mem.brk_mapped_end;
    if (new_end > mapped) {
        void *p = mmap(g2h(mapped), new_end - mapped, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        if (p == MAP_FAILED) goto out;
        if (p != g2h(mapped)) {          /* kernel without NOREPLACE */
            munmap(p, new_end - mapped);
            goto out;
        }
        map_insert(mapped, new_end, PROT_READ | PROT_WRITE, "[heap]");
    } else if (new_end < mapped) {
        munmap(g2h(new_end), mapped - new_end);
        map_remove(new_end, mapped);
    }
    guest_mem.brk_mapped_end = new_end;
    guest_mem.brk_cur = cur = new_brk;
out:
    log_page("brk", guest_mem.brk_start, guest_mem.brk_mapped_end, PROT_READ | PROT_WRITE, (int64_t)cur);
    pthread_mutex_unlock(&guest_mem.lock);
    return (int64_t)cur;
}

bool guest_range_ok(uint64_t addr, uint64_t len, int prot)
{
    if (len == 0) return addr <= GUEST_ADDR_MAX + 1;
    if (!guest_span_valid(addr, len)) return false;
    pthread_mutex_lock(&guest_mem.lock);
    map_ensure();
    bool ok = map_covers_grown(addr, addr + len, prot);
    pthread_mutex_unlock(&guest_mem.lock);
    return ok;
}

uint64_t guest_map_generation(void)
{
    return __atomic_load_n(&guest_mem.generation, __ATOMIC_ACQUIRE);
}

bool guest_exec_region(uint64_t addr, GuestExecRegion *out)
{
    if (!guest_span_valid(addr, 4)) return false;
    pthread_mutex_lock(&guest_mem.lock);
    map_ensure();
    bool ok = map_covers_grown(addr, addr + 4, PROT_EXEC);
    if (ok) {
        const GuestRegion *r = region_at(map_first_ending_after(addr));
        out->start = r->start;
        out->end = r->end;
        out->generation = guest_mem.generation;
    }
    pthread_mutex_unlock(&guest_mem.lock);
    return ok;
}

bool guest_exec_region_cached(uint64_t addr, GuestExecRegion *cache)
{
    if (addr >= cache->start && addr < cache->end && cache->generation == guest_map_generation())
        return true;
    if (guest_exec_region(addr, cache))
        return true;
    *cache = (GuestExecRegion){ 0 };
    return false;
}

size_t guest_mem_exec_regions_of(const char *name, uint64_t (*out)[2], size_t max)
{
    size_t n = 0;
    pthread_mutex_lock(&guest_mem.lock);
    map_ensure();
    for (guint i = 0; i < guest_mem.regions->len; i++) {
        const GuestRegion *r = region_at(i);
        if (!(r->prot & PROT_EXEC) || !r->name || strcmp(r->name, name) != 0) continue;
        if (n > 0 && out[n - 1][1] == r->start) {
            out[n - 1][1] = r->end;
        } else if (n < max) {
            out[n][0] = r->start;
            out[n][1] = r->end;
            n++;
        }
    }
    pthread_mutex_unlock(&guest_mem.lock);
    return n;
}

typedef struct ReadGuard {
    sigjmp_buf resume;
    uint64_t mask;              /* the thread's signal mask before the fault */
} ReadGuard;

static __thread ReadGuard *read_guard;

bool guest_read_guarded(void (*fn)(void *), void *opaque)
{
    ReadGuard g, *outer = read_guard;
    bool ok = true;
    if (sigsetjmp(g.resume, 0) == 0) {      /* no mask saved: no system call */
        read_guard = &g;
        fn(opaque);
    } else {
        host_sigprocmask(SIG_SETMASK, &g.mask, NULL);
        ok = false;
    }
    read_guard = outer;
    return ok;
}

void guest_read_fault(const void *uc)
{
    ReadGuard *g = read_guard;
    if (g) {
        read_guard = NULL;
        g->mask = host_context_sigmask(uc);
        siglongjmp(g->resume, 1);
    }
}

int copy_from_guest(void *dst, uint64_t src, size_t len)
{
    if (len == 0) return 0;
    if (!guest_span_valid(src, len)) return -EFAULT;
    pthread_mutex_lock(&guest_mem.lock);
    map_ensure();
    bool ok = map_covers_grown(src, src + len, PROT_READ);
    if (ok) memcpy(dst, g2h(src), len);
    pthread_mutex_unlock(&guest_mem.lock);
    return ok ? 0 : -EFAULT;
}

int copy_to_guest(uint64_t dst, const void *src, size_t len)
{
    if (len == 0) return 0;
    if (!guest_span_valid(dst, len)) return -EFAULT;
    pthread_mutex_lock(&guest_mem.lock);
    map_ensure();
    bool ok = map_covers_grown(dst, dst + len, PROT_WRITE);
    if (ok) memcpy(g2h(dst), src, len);
    pthread_mutex_unlock(&guest_mem.lock);
    return ok ? 0 : -EFAULT;
}

const char *guest_str(uint64_t addr)
{
    const char *result = NULL;
    if (addr > GUEST_ADDR_MAX) return NULL;
    pthread_mutex_lock(&guest_mem.lock);
    map_ensure();
    if (!map_lookup(addr))
        growsdown_sync();
    uint64_t pos = addr;
    for (guint i = map_first_ending_after(addr); i < guest_mem.regions->len; i++) {
        GuestRegion *r = region_at(i);
        if (r->start > pos || !(r->prot & PROT_READ)) break;
        if (memchr(g2h(pos), 0, r->end - pos)) {
            result = g2h(addr);
            break;
        }
        pos = r->end;
    }
    pthread_mutex_unlock(&guest_mem.lock);
    return result;
}

void guest_mem_size(uint64_t *current, uint64_t *peak)
{
    pthread_mutex_lock(&guest_mem.lock);
    *current = guest_mem.total;
    *peak = guest_mem.peak;
    pthread_mutex_unlock(&guest_mem.lock);
}

void guest_mem_foreach(GuestMapFn *fn, void *opaque)
{
    pthread_mutex_lock(&guest_mem.lock);
    map_ensure();
    growsdown_sync();
    GArray *copy = g_array_copy(guest_mem.regions);
    pthread_mutex_unlock(&guest_mem.lock);
    for (guint i = 0; i < copy->len; i++) {
        GuestRegion *r = &g_array_index(copy, GuestRegion, i);
        fn(r->start, r->end, r->prot, r->name, opaque);
    }
    g_array_free(copy, TRUE);
}

/* ---- another ferry process's map ---- */

#define REMOTE_MAX_REGIONS (1u << 20)
#define REMOTE_NAME_MAX 64
#define REMOTE_TRIES 4

static bool remote_read(pid_t pid, uint64_t addr, void *buf, size_t len)
{
    struct iovec local = { buf, len }, remote = { (void *)(uintptr_t)addr, len };
    return process_vm_readv(pid, &local, 1, &remote, 1, 0) == (ssize_t)len;
}

/* One consistent copy of the other process's map: the regions must be
 * sorted, and add up to the total it keeps, or it changed under us. */
static GuestRegion *remote_regions(pid_t pid, intptr_t delta, guint *count, GuestMem *mem)
{
    struct { uint64_t data; guint len; } array;
    uint64_t sum = 0;
    if (!remote_read(pid, (uint64_t)(uintptr_t)&guest_mem + (uint64_t)delta, mem, sizeof *mem))
        return NULL;
    if (!mem->regions) {
        *count = 0;
        return g_new0(GuestRegion, 1);
    }
    if (!remote_read(pid, (uint64_t)(uintptr_t)mem->regions, &array, sizeof array) ||
        array.len > REMOTE_MAX_REGIONS)
        return NULL;
    GuestRegion *r = g_new0(GuestRegion, array.len + 1);
    if (!remote_read(pid, array.data, r, array.len * sizeof *r)) {
        g_free(r);
        return NULL;
    }
    for (guint i = 0; i < array.len; i++) {
        if (r[i].start >= r[i].end || (i && r[i].start < r[i - 1].end)) {
            g_free(r);
            return NULL;
        }
        sum += r[i].end - r[i].start;
    }
    if (sum != mem->total) {
        g_free(r);
        return NULL;
    }
    *count = array.len;
    return r;
}

bool guest_mem_foreach_remote(pid_t pid, intptr_t delta, GuestMapFn *fn, void *opaque,
                              uint64_t *size, uint64_t *peak)
{
    GuestMem mem;
    GuestRegion *r = NULL;
    guint count = 0;
    for (int i = 0; i < REMOTE_TRIES && !r; i++)
        r = remote_regions(pid, delta, &count, &mem);
    if (!r)
        return false;
    for (guint i = 0; i < count; i++) {
        char name[REMOTE_NAME_MAX] = "";
        /* Names are short; read byte-wise near the end of a mapping. */
        if (r[i].name && !remote_read(pid, (uint64_t)(uintptr_t)r[i].name, name, sizeof name)) {
            for (size_t k = 0; k < sizeof name - 1; k++)
                if (!remote_read(pid, (uint64_t)(uintptr_t)r[i].name + k, name + k, 1) || !name[k])
                    break;
        }
        name[sizeof name - 1] = '\0';
        fn(r[i].start, r[i].end, r[i].prot, r[i].name ? name : NULL, opaque);
    }
    *size = mem.total;
    *peak = mem.peak;
    g_free(r);
    return true;
}
