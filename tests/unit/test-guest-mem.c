/*
 * Unit tests of the guest address-space map (linux-user/guest-mem.c):
 * splitting and merging on mprotect/munmap, MAP_FIXED never taking ferry's
 * own memory, brk, range checks, and translated-code invalidation.
 * Expected errno values follow the Linux mm syscalls' documented behaviour.
 */
#include <check.h>

#include "check-run.h"
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <glib.h>

#include "linux-user/guest-mem.h"

#define PAGE 4096ull

/* The translation cache is not linked here: nothing waits for new code. */
void exec_code_mapped(uint64_t start, uint64_t len) { (void)start; (void)len; }

/* The translation cache is not linked here: record the invalidations. */
static GArray *invalidations;
void tb_invalidate_range(uint64_t start, uint64_t len)
{
    uint64_t r[2] = { start, len };
    if (!invalidations) invalidations = g_array_new(FALSE, FALSE, sizeof r);
    g_array_append_vals(invalidations, r, 1);
}

static unsigned n_invalidations(void) { return invalidations ? invalidations->len : 0; }

typedef struct Region { uint64_t start, end; int prot; const char *name; } Region;

static void collect(uint64_t start, uint64_t end, int prot, const char *name, void *opaque)
{
    Region r = { start, end, prot, name };
    g_array_append_val((GArray *)opaque, r);
}

/* Regions of the map that intersect [lo, hi). */
static GArray *regions_in(uint64_t lo, uint64_t hi)
{
    GArray *all = g_array_new(FALSE, FALSE, sizeof(Region)), *out = g_array_new(FALSE, FALSE, sizeof(Region));
    guest_mem_foreach(collect, all);
    for (guint i = 0; i < all->len; i++) {
        Region *r = &g_array_index(all, Region, i);
        if (r->end > lo && r->start < hi) g_array_append_val(out, *r);
    }
    g_array_free(all, TRUE);
    return out;
}

static uint64_t anon_map(uint64_t pages, int prot)
{
    int64_t a = guest_mmap(0, pages * PAGE, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert_int_gt(a, 0);
    return (uint64_t)a;
}

START_TEST(mmap_records_and_returns_zeroed_memory)
{
    guest_mem_init();
    uint64_t a = anon_map(3, PROT_READ | PROT_WRITE);
    ck_assert(guest_range_ok(a, 3 * PAGE, PROT_READ | PROT_WRITE));
    ck_assert(!guest_range_ok(a, 3 * PAGE, PROT_EXEC));
    ck_assert_int_eq(((uint8_t *)g2h(a))[PAGE + 5], 0);
    GArray *r = regions_in(a, a + 3 * PAGE);
    ck_assert_uint_eq(r->len, 1);
    ck_assert_uint_eq(g_array_index(r, Region, 0).start, a);
    ck_assert_uint_eq(g_array_index(r, Region, 0).end, a + 3 * PAGE);
    g_array_free(r, TRUE);
}
END_TEST

START_TEST(mmap_rejects_bad_arguments)
{
    guest_mem_init();
    ck_assert_int_eq(guest_mmap(0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), -EINVAL);
    ck_assert_int_eq(guest_mmap(0, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 100), -EINVAL);
    ck_assert_int_eq(guest_mmap(0x10001, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), -EINVAL);
    /* Above the 47-bit guest space. */
    ck_assert_int_eq(guest_mmap(GUEST_ADDR_MAX + 1, PAGE, PROT_READ,
                                MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), -ENOMEM);
    ck_assert_int_eq(guest_munmap(GUEST_ADDR_MAX + 1, PAGE), -EINVAL);
}
END_TEST

START_TEST(mprotect_splits_then_merges)
{
    guest_mem_init();
    uint64_t a = anon_map(3, PROT_READ | PROT_WRITE);
    ck_assert_int_eq(guest_mprotect(a + PAGE, PAGE, PROT_READ), 0);
    GArray *r = regions_in(a, a + 3 * PAGE);
    ck_assert_uint_eq(r->len, 3);
    ck_assert_int_eq(g_array_index(r, Region, 1).prot, PROT_READ);
    ck_assert_uint_eq(g_array_index(r, Region, 1).start, a + PAGE);
    ck_assert_uint_eq(g_array_index(r, Region, 1).end, a + 2 * PAGE);
    ck_assert_int_eq(g_array_index(r, Region, 2).prot, PROT_READ | PROT_WRITE);
    g_array_free(r, TRUE);
    ck_assert(!guest_range_ok(a, 3 * PAGE, PROT_WRITE));

    ck_assert_int_eq(guest_mprotect(a + PAGE, PAGE, PROT_READ | PROT_WRITE), 0);
    r = regions_in(a, a + 3 * PAGE);
    ck_assert_uint_eq(r->len, 1);
    g_array_free(r, TRUE);
}
END_TEST

START_TEST(mprotect_of_unmapped_range_is_enomem)
{
    guest_mem_init();
    uint64_t a = anon_map(3, PROT_READ);
    ck_assert_int_eq(guest_munmap(a + PAGE, PAGE), 0);
    ck_assert_int_eq(guest_mprotect(a, 3 * PAGE, PROT_READ | PROT_WRITE), -ENOMEM);
    ck_assert_int_eq(guest_mprotect(a + 1, PAGE, PROT_READ), -EINVAL);
    ck_assert_int_eq(guest_mprotect(a, 0, PROT_READ), 0);
}
END_TEST

START_TEST(munmap_splits_and_ignores_holes)
{
    guest_mem_init();
    uint64_t a = anon_map(4, PROT_READ | PROT_WRITE);
    ck_assert_int_eq(guest_munmap(a + PAGE, PAGE), 0);
    GArray *r = regions_in(a, a + 4 * PAGE);
    ck_assert_uint_eq(r->len, 2);
    ck_assert_uint_eq(g_array_index(r, Region, 0).end, a + PAGE);
    ck_assert_uint_eq(g_array_index(r, Region, 1).start, a + 2 * PAGE);
    g_array_free(r, TRUE);
    ck_assert(!guest_range_ok(a + PAGE, 1, 0));
    ck_assert(guest_range_ok(a + 2 * PAGE, 2 * PAGE, PROT_READ));
    /* Unmapping over a hole is fine, as for the kernel. */
    ck_assert_int_eq(guest_munmap(a, 4 * PAGE), 0);
    r = regions_in(a, a + 4 * PAGE);
    ck_assert_uint_eq(r->len, 0);
    g_array_free(r, TRUE);
    ck_assert_int_eq(guest_munmap(a + 1, PAGE), -EINVAL);
}
END_TEST

START_TEST(map_fixed_refused_over_ferry_memory)
{
    guest_mem_init();
    /* A mapping the guest does not own (stands for ferry's own memory). */
    uint8_t *mine = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert(mine != MAP_FAILED);
    mine[0] = 0x5a;
    int64_t r = guest_mmap(h2g(mine), PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    ck_assert_int_eq(r, -ENOMEM);
    ck_assert_int_eq(mine[0], 0x5a);
    r = guest_mmap(h2g(mine), PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    ck_assert_int_eq(r, -EEXIST);
    ck_assert_int_eq(mine[0], 0x5a);
    /* munmap/mprotect of memory the guest does not own leave it alone. */
    ck_assert_int_eq(guest_munmap(h2g(mine), 2 * PAGE), 0);
    ck_assert_int_eq(guest_mprotect(h2g(mine), PAGE, PROT_NONE), -ENOMEM);
    ck_assert_int_eq(mine[0], 0x5a);
}
END_TEST

START_TEST(map_fixed_over_guest_and_free_memory)
{
    guest_mem_init();
    uint64_t a = anon_map(4, PROT_READ | PROT_WRITE);
    ((uint8_t *)g2h(a))[0] = 7;
    ck_assert_int_eq(guest_munmap(a + 2 * PAGE, 2 * PAGE), 0);   /* now free */
    int64_t r = guest_mmap(a, 4 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    ck_assert_uint_eq((uint64_t)r, a);
    ck_assert_int_eq(((uint8_t *)g2h(a))[0], 0);
    ck_assert(guest_range_ok(a, 4 * PAGE, PROT_READ));
    ck_assert_int_eq(guest_mmap(a, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0),
                     -EEXIST);
}
END_TEST

START_TEST(exec_changes_invalidate_translations)
{
    guest_mem_init();
    uint64_t a = anon_map(2, PROT_READ | PROT_EXEC);
    unsigned before = n_invalidations();
    ck_assert_int_eq(guest_mprotect(a, PAGE, PROT_READ | PROT_WRITE | PROT_EXEC), 0);  /* gains write */
    ck_assert_uint_eq(n_invalidations(), before + 1);
    ck_assert_int_eq(guest_mprotect(a + PAGE, PAGE, PROT_READ), 0);                      /* loses exec */
    ck_assert_uint_eq(n_invalidations(), before + 2);
    ck_assert_int_eq(guest_mprotect(a + PAGE, PAGE, PROT_READ | PROT_WRITE), 0);         /* not code */
    ck_assert_uint_eq(n_invalidations(), before + 2);
    ck_assert_int_eq(guest_munmap(a, 2 * PAGE), 0);                                      /* code gone */
    ck_assert_uint_eq(n_invalidations(), before + 3);
    uint64_t *last = &g_array_index(invalidations, uint64_t, 2 * (n_invalidations() - 1));
    ck_assert_uint_eq(last[0], a);
    ck_assert_uint_eq(last[1], 2 * PAGE);

    uint64_t b = anon_map(1, PROT_READ | PROT_WRITE);
    before = n_invalidations();
    ck_assert_int_eq(guest_munmap(b, PAGE), 0);
    ck_assert_uint_eq(n_invalidations(), before);
}
END_TEST

/* A free page-aligned address with `pages` free pages above it. */
static uint64_t free_area(uint64_t pages)
{
    void *p = mmap(NULL, pages * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert(p != MAP_FAILED);
    munmap(p, pages * PAGE);
    return h2g(p);
}

START_TEST(brk_grows_shrinks_and_never_goes_below_start)
{
    guest_mem_init();
    uint64_t start = free_area(64);
    guest_brk_init(start);
    ck_assert_uint_eq((uint64_t)guest_brk(0), start);
    ck_assert_uint_eq((uint64_t)guest_brk(start - 1), start);
    ck_assert_uint_eq((uint64_t)guest_brk(start + 100), start + 100);
    ck_assert(guest_range_ok(start, PAGE, PROT_READ | PROT_WRITE));
    ((uint8_t *)g2h(start))[99] = 1;
    ck_assert_uint_eq((uint64_t)guest_brk(start + 5 * PAGE + 1), start + 5 * PAGE + 1);
    ck_assert(guest_range_ok(start, 6 * PAGE, PROT_WRITE));
    GArray *r = regions_in(start, start + 6 * PAGE);
    ck_assert_uint_eq(r->len, 1);
    ck_assert_str_eq(g_array_index(r, Region, 0).name, "[heap]");
    g_array_free(r, TRUE);
    /* Shrinking releases the pages; growing again gives zeroes. */
    ck_assert_uint_eq((uint64_t)guest_brk(start + 10), start + 10);
    ck_assert(!guest_range_ok(start + PAGE, 1, 0));
    ck_assert_uint_eq((uint64_t)guest_brk(start + 2 * PAGE), start + 2 * PAGE);
    ck_assert_int_eq(((uint8_t *)g2h(start + PAGE))[0], 0);
    ck_assert_int_eq(((uint8_t *)g2h(start))[99], 1);
}
END_TEST

START_TEST(brk_stops_at_a_foreign_mapping)
{
    guest_mem_init();
    uint64_t start = free_area(16);
    void *wall = mmap(g2h(start + 4 * PAGE), PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    ck_assert(wall == g2h(start + 4 * PAGE));
    guest_brk_init(start);
    ck_assert_uint_eq((uint64_t)guest_brk(start + 3 * PAGE), start + 3 * PAGE);
    /* The kernel returns the old break when it cannot grow. */
    ck_assert_uint_eq((uint64_t)guest_brk(start + 8 * PAGE), start + 3 * PAGE);
    ck_assert(!guest_range_ok(start + 4 * PAGE, 1, 0));
}
END_TEST

START_TEST(copies_and_strings_are_checked)
{
    guest_mem_init();
    uint64_t a = anon_map(2, PROT_READ | PROT_WRITE);
    ck_assert_int_eq(guest_munmap(a + PAGE, PAGE), 0);
    char buf[16] = "hello";
    ck_assert_int_eq(copy_to_guest(a + 10, buf, 6), 0);
    ck_assert_str_eq((char *)g2h(a + 10), "hello");
    ck_assert_int_eq(copy_to_guest(a + PAGE - 3, buf, 6), -EFAULT);
    ck_assert_int_eq(copy_from_guest(buf, a + PAGE - 3, 6), -EFAULT);
    ck_assert_int_eq(copy_from_guest(buf, a + 10, 6), 0);
    ck_assert_str_eq(guest_str(a + 10), "hello");
    memset(g2h(a + PAGE - 4), 'x', 4);          /* runs into the hole: no NUL */
    ck_assert_ptr_null(guest_str(a + PAGE - 4));
    ck_assert_ptr_null(guest_str(a + PAGE));
    ck_assert_int_eq(guest_mprotect(a, PAGE, PROT_WRITE), 0);
    ck_assert_int_eq(copy_from_guest(buf, a + 10, 6), -EFAULT);  /* not readable */
}
END_TEST

START_TEST(mremap_keeps_the_map_current)
{
    guest_mem_init();
    uint64_t a = anon_map(2, PROT_READ | PROT_WRITE);
    ((uint8_t *)g2h(a))[3] = 9;
    int64_t r = guest_mremap(a, 2 * PAGE, 64 * PAGE, MREMAP_MAYMOVE, 0);
    ck_assert_int_gt(r, 0);
    uint64_t b = (uint64_t)r;
    ck_assert_int_eq(((uint8_t *)g2h(b))[3], 9);
    ck_assert(guest_range_ok(b, 64 * PAGE, PROT_READ | PROT_WRITE));
    if (b != a) ck_assert(!guest_range_ok(a, PAGE, 0));
    ck_assert_int_eq(guest_mremap(b, 64 * PAGE, PAGE, 0, 0), (int64_t)b);
    ck_assert(!guest_range_ok(b + PAGE, 1, 0));
    ck_assert_int_eq(guest_mremap(b, PAGE, 2 * PAGE, MREMAP_FIXED, 0), -EINVAL);
    ck_assert_int_eq(guest_mremap(free_area(4), PAGE, PAGE, MREMAP_MAYMOVE, 0), -EFAULT);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("guest-mem");
    TCase *tc = tcase_create("map");
    tcase_add_test(tc, mmap_records_and_returns_zeroed_memory);
    tcase_add_test(tc, mmap_rejects_bad_arguments);
    tcase_add_test(tc, mprotect_splits_then_merges);
    tcase_add_test(tc, mprotect_of_unmapped_range_is_enomem);
    tcase_add_test(tc, munmap_splits_and_ignores_holes);
    tcase_add_test(tc, map_fixed_refused_over_ferry_memory);
    tcase_add_test(tc, map_fixed_over_guest_and_free_memory);
    tcase_add_test(tc, exec_changes_invalidate_translations);
    tcase_add_test(tc, brk_grows_shrinks_and_never_goes_below_start);
    tcase_add_test(tc, brk_stops_at_a_foreign_mapping);
    tcase_add_test(tc, copies_and_strings_are_checked);
    tcase_add_test(tc, mremap_keeps_the_map_current);
    suite_add_tcase(s, tc);
    return check_run_suite(s);
}
