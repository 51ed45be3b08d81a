/*
 * /proc/self/maps and /proc/self/smaps as the guest sees them: one line per
 * guest mapping (guest_mem_foreach), never ferry's own memory.  Protections
 * and names come from the guest map ([stack], [heap], [vdso], the file's
 * path as the guest would name it); whether the memory is shared, the file
 * offset, device and inode come from the host's mapping of the same pages,
 * and smaps takes its counters from there too.  The status file's memory
 * totals (procfs_vm_totals) are summed from the same two sources.
 */
#include "linux-user/procfs.h"

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <glib.h>
#include <unistd.h>

#include "linux-user/guest-mem.h"

#define MAPS_NAME_COLUMN 72      /* names start after this many characters (64-bit kernel) */

/* One line of the host's maps, with its smaps counters when read. */
typedef struct HostVma {
    uint64_t start, end, offset, inode;
    bool shared;
    char dev[16];
    char *path;                  /* NULL, "[heap]", "/file"... */
    GPtrArray *fields;           /* smaps "Key:  value" lines, or NULL */
} HostVma;

/* One line of the guest's maps. */
typedef struct MapsLine {
    uint64_t start, end, offset, inode;
    int prot;
    bool shared;
    const char *dev;
    const char *name;            /* guest view, or NULL */
    const HostVma *host;         /* the host mapping of start */
    uint64_t host_count;         /* how many host mappings the line spans */
} MapsLine;

static void host_vma_clear(gpointer p)
{
    HostVma *v = p;
    g_free(v->path);
    if (v->fields)
        g_ptr_array_free(v->fields, TRUE);
}

static bool parse_vma_header(const char *line, HostVma *v)
{
    char perms[8];
    int name_at = 0;
    memset(v, 0, sizeof *v);
    if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %15s %" SCNu64 " %n",
               &v->start, &v->end, perms, &v->offset, v->dev, &v->inode, &name_at) < 6)
        return false;
    v->shared = perms[3] == 's';
    const char *name = line + name_at;
    if (name_at > 0 && *name)
        v->path = g_strdup(name);
    return true;
}

/* The host's maps (or smaps, with counters) of the process whose /proc
 * directory is dir, in address order. */
static GArray *read_host_vmas(const char *dir, bool detailed)
{
    GArray *vmas = g_array_new(FALSE, TRUE, sizeof(HostVma));
    g_array_set_clear_func(vmas, host_vma_clear);
    char *text = NULL, *path = g_strconcat(dir, detailed ? "/smaps" : "/maps", NULL);
    bool ok = g_file_get_contents(path, &text, NULL, NULL);
    g_free(path);
    if (!ok)
        return vmas;
    char **lines = g_strsplit(text, "\n", -1);
    for (int i = 0; lines[i]; i++) {
        HostVma v;
        const char *l = lines[i];
        if (!*l)
            continue;
        if (g_ascii_isxdigit(l[0]) && strchr(l, '-') && parse_vma_header(l, &v)) {
            if (detailed)
                v.fields = g_ptr_array_new_with_free_func(g_free);
            g_array_append_val(vmas, v);
        } else if (vmas->len && g_array_index(vmas, HostVma, vmas->len - 1).fields) {
            g_ptr_array_add(g_array_index(vmas, HostVma, vmas->len - 1).fields, g_strdup(l));
        }
    }
    g_strfreev(lines);
    g_free(text);
    return vmas;
}

typedef struct MapsBuilder {
    const char *root;            /* canonical sysroot to strip from names, or NULL */
    GArray *host;                /* HostVma */
    guint next_host;             /* first host vma that may still overlap */
    GArray *lines;               /* MapsLine */
} MapsBuilder;

static bool same_mapping(const MapsLine *a, const MapsLine *b)
{
    if (a->end != b->start || a->prot != b->prot || a->shared != b->shared ||
        a->inode != b->inode || g_strcmp0(a->dev, b->dev) != 0 || g_strcmp0(a->name, b->name) != 0)
        return false;
    return a->inode == 0 || a->offset + (a->end - a->start) == b->offset;
}

static void add_line(MapsBuilder *mb, MapsLine *l)
{
    if (mb->lines->len) {
        MapsLine *prev = &g_array_index(mb->lines, MapsLine, mb->lines->len - 1);
        if (same_mapping(prev, l)) {
            prev->end = l->end;
            prev->host_count += l->host_count;
            return;
        }
    }
    g_array_append_val(mb->lines, *l);
}

/* The name the guest sees for a piece of guest memory. */
static const char *line_name(MapsBuilder *mb, const char *guest_name, const HostVma *h)
{
    const char *name = guest_name;
    if (!name && h && h->path && h->path[0] == '/')
        name = h->path;
    return name && name[0] == '/' ? procfs_path_in_root(mb->root, name) : name;
}

/* One guest region: split where the host's mappings change. */
static void add_region(uint64_t start, uint64_t end, int prot, const char *name, void *opaque)
{
    MapsBuilder *mb = opaque;
    uint64_t pos = start;
    while (mb->next_host < mb->host->len &&
           g_array_index(mb->host, HostVma, mb->next_host).end <= start)
        mb->next_host++;
    for (guint i = mb->next_host; pos < end; i++) {
        const HostVma *h = i < mb->host->len ? &g_array_index(mb->host, HostVma, i) : NULL;
        uint64_t piece_end = end;
        MapsLine l = { .start = pos, .prot = prot, .dev = "00:00", .host_count = 1 };
        if (h && h->start <= pos) {
            piece_end = MIN(end, h->end);
            l.shared = h->shared;
            l.dev = h->dev;
            l.inode = h->inode;
            l.offset = h->inode ? h->offset + (pos - h->start) : 0;
            l.host = h;
        } else if (h && h->start < end) {
            piece_end = h->start;   /* a hole in the host's view (should not happen) */
            i--;
        }
        l.end = piece_end;
        l.name = line_name(mb, name, l.host);
        add_line(mb, &l);
        pos = piece_end;
        if (!h)
            break;
    }
}

static void write_header(GString *out, const MapsLine *l)
{
    size_t begin = out->len;
    g_string_append_printf(out, "%08" PRIx64 "-%08" PRIx64 " %c%c%c%c %08" PRIx64 " %s %" PRIu64 " ",
                           l->start, l->end, l->prot & PROT_READ ? 'r' : '-',
                           l->prot & PROT_WRITE ? 'w' : '-', l->prot & PROT_EXEC ? 'x' : '-',
                           l->shared ? 's' : 'p', l->offset, l->dev, l->inode);
    if (l->name) {
        while (out->len - begin < MAPS_NAME_COLUMN)
            g_string_append_c(out, ' ');
        g_string_append_c(out, ' ');
        g_string_append(out, l->name);
    }
    g_string_append_c(out, '\n');
}

/* smaps counters of the host mappings under l: sizes in kB are summed in
 * proportion to how much of each host mapping the line covers; other
 * fields are the first mapping's; Size is the line's own. */
static void write_counters(GString *out, const MapsLine *l, const GArray *host, guint first)
{
    const HostVma *h0 = l->host;
    if (!h0 || !h0->fields) {
        g_string_append_printf(out, "Size:           %8" PRIu64 " kB\n", (l->end - l->start) >> 10);
        return;
    }
    for (guint f = 0; f < h0->fields->len; f++) {
        const char *field = g_ptr_array_index(h0->fields, f);
        const char *colon = strchr(field, ':');
        int key_len = colon ? (int)(colon - field) : 0;
        uint64_t value;
        if (!colon || !g_str_has_suffix(field, " kB") || sscanf(colon + 1, "%" SCNu64, &value) != 1 ||
            strncmp(field, "KernelPageSize", key_len) == 0 || strncmp(field, "MMUPageSize", key_len) == 0) {
            g_string_append_printf(out, "%s\n", field);
            continue;
        }
        uint64_t total = 0;
        if (strncmp(field, "Size", key_len) == 0 && key_len == 4) {
            total = (l->end - l->start) >> 10;
        } else {
            for (guint i = first; i < host->len; i++) {
                const HostVma *h = &g_array_index(host, HostVma, i);
                if (h->start >= l->end)
                    break;
                uint64_t lo = MAX(h->start, l->start), hi = MIN(h->end, l->end);
                if (hi <= lo || !h->fields || f >= h->fields->len)
                    continue;
                uint64_t v;
                const char *hf = g_ptr_array_index(h->fields, f);
                const char *hc = strchr(hf, ':');
                if (hc && sscanf(hc + 1, "%" SCNu64, &v) == 1)
                    total += (uint64_t)((double)v * (double)(hi - lo) / (double)(h->end - h->start));
            }
        }
        /* "Key:" and the value right-aligned in 24 columns, as the kernel prints them. */
        g_string_append_printf(out, "%.*s:%*" PRIu64 " kB\n", key_len, field,
                               key_len < 21 ? 23 - key_len : 2, total);
    }
}

void procfs_write_maps(const GuestProcess *proc, GString *out, bool detailed)
{
    char root[PATH_MAX];
    MapsBuilder mb = {
        .root = procfs_sysroot(proc, root) ? root : NULL,
        .host = read_host_vmas("/proc/self", detailed),
        .lines = g_array_new(FALSE, TRUE, sizeof(MapsLine)),
    };
    guest_mem_foreach(add_region, &mb);
    guint host_pos = 0;
    for (guint i = 0; i < mb.lines->len; i++) {
        const MapsLine *l = &g_array_index(mb.lines, MapsLine, i);
        write_header(out, l);
        if (!detailed)
            continue;
        while (host_pos < mb.host->len && g_array_index(mb.host, HostVma, host_pos).end <= l->start)
            host_pos++;
        write_counters(out, l, mb.host, host_pos);
    }
    g_array_free(mb.lines, TRUE);
    g_array_free(mb.host, TRUE);
}

/* ---- totals for the status file ---- */

#define PTE_SPAN (2ull << 20)        /* memory one page-table page maps */
#define MINCORE_CHUNK_PAGES 65536

typedef struct TotalsBuilder {
    GArray *host;                /* HostVma, with smaps counters */
    guint next_host;
    bool local;                  /* this process: its pages can be asked about */
    uint64_t entry;              /* the program's entry point */
    ProcVmTotals *t;
} TotalsBuilder;

/* A counter of a host mapping's smaps ("Rss"), in bytes; 0 when absent. */
static uint64_t host_counter(const HostVma *h, const char *key)
{
    size_t n = strlen(key);
    for (guint f = 0; h->fields && f < h->fields->len; f++) {
        const char *field = g_ptr_array_index(h->fields, f);
        uint64_t kb;
        if (strncmp(field, key, n) == 0 && field[n] == ':' &&
            sscanf(field + n + 1, "%" SCNu64, &kb) == 1)
            return kb << 10;
    }
    return 0;
}

/* Does the host mapping carry this two-letter VmFlags flag ("lo")? */
static bool host_flag(const HostVma *h, const char *flag)
{
    for (guint f = 0; h->fields && f < h->fields->len; f++) {
        const char *field = g_ptr_array_index(h->fields, f);
        if (strncmp(field, "VmFlags:", 8) == 0) {
            char **flags = g_strsplit(field + 8, " ", -1);
            bool found = g_strv_contains((const char *const *)flags, flag);
            g_strfreev(flags);
            return found;
        }
    }
    return false;
}

/* Memory the kernel counts as shared memory (RssShmem): shared anonymous
 * pages, memfds, System V segments and tmpfs files in /dev/shm. */
static bool is_shmem(const char *path, bool shared)
{
    static const char *const prefixes[] = { "/dev/zero", "/memfd:", "/SYSV", "/dev/shm/" };
    if (!path || !*path)
        return shared;
    for (size_t i = 0; i < G_N_ELEMENTS(prefixes); i++)
        if (g_str_has_prefix(path, prefixes[i]))
            return true;
    return false;
}

static bool host_is_shmem(const HostVma *h)
{
    return is_shmem(h->path, h->shared);
}

/* Resident bytes in [lo, hi) (page aligned), page by page. */
static uint64_t resident_bytes(uint64_t lo, uint64_t hi)
{
    unsigned char *vec = g_malloc(MINCORE_CHUNK_PAGES);
    uint64_t resident = 0;
    for (uint64_t pos = lo; pos < hi;) {
        uint64_t pages = MIN((hi - pos) / GUEST_PAGE_SIZE, (uint64_t)MINCORE_CHUNK_PAGES);
        if (pages == 0 || mincore(g2h(pos), pages * GUEST_PAGE_SIZE, vec) != 0)
            break;
        for (uint64_t i = 0; i < pages; i++)
            resident += (vec[i] & 1) ? GUEST_PAGE_SIZE : 0;
        pos += pages * GUEST_PAGE_SIZE;
    }
    g_free(vec);
    return resident;
}

/* One piece of guest memory that lies in one host mapping h (NULL: no
 * host mapping is known there). */
static void add_piece(const TotalsBuilder *tb, uint64_t lo, uint64_t hi, int prot, const char *name,
                      const HostVma *h)
{
    ProcVmTotals *t = tb->t;
    uint64_t len = hi - lo;
    /* Stack: the main stack, and MAP_GROWSDOWN mappings ("gd"), as the
     * kernel counts VM_GROWSDOWN memory. */
    bool shared = h && h->shared;
    bool stack = (name && strcmp(name, "[stack]") == 0) || (h && host_flag(h, "gd"));
    if (stack)
        t->stack += len;
    else if ((prot & PROT_WRITE) && !shared)
        t->data += len;
    else if ((prot & PROT_EXEC) && !(prot & PROT_WRITE))
        t->exec += len;
    if (!h)
        return;
    if (host_flag(h, "lo"))
        t->locked += len;

    /* The whole host mapping: its counters.  Part of one (the host merged
     * guest memory with a neighbour of ferry's): the resident pages of the
     * part (in proportion for another process), split like the mapping's. */
    uint64_t host_len = h->end - h->start;
    uint64_t h_rss = host_counter(h, "Rss"), h_anon = host_counter(h, "Anonymous");
    uint64_t rss = len == host_len ? h_rss
                   : tb->local     ? resident_bytes(lo, hi)
                                   : (uint64_t)((double)h_rss * (double)len / (double)host_len);
    double share = h_rss ? (double)rss / (double)h_rss : 0.0;
    uint64_t anon = MIN(rss, (uint64_t)((double)h_anon * share));
    t->rss += rss;
    t->swap += (uint64_t)((double)host_counter(h, "Swap") * (double)len / (double)host_len);
    if (host_is_shmem(h)) {
        t->shmem += rss - anon;
        t->anon += anon;
    } else {
        t->anon += anon;
        t->file += rss - anon;
    }
    /* A page-table page per 2 MiB span with something resident (at most
     * one per resident page). */
    uint64_t spans = (hi - 1) / PTE_SPAN - lo / PTE_SPAN + 1;
    t->page_tables += MIN(spans, rss / GUEST_PAGE_SIZE) * GUEST_PAGE_SIZE;
}

static void add_totals_region(uint64_t start, uint64_t end, int prot, const char *name, void *opaque)
{
    TotalsBuilder *tb = opaque;
    if ((prot & PROT_EXEC) && start <= tb->entry && tb->entry < end)
        tb->t->program_text = end - start;
    while (tb->next_host < tb->host->len && g_array_index(tb->host, HostVma, tb->next_host).end <= start)
        tb->next_host++;
    uint64_t pos = start;
    for (guint i = tb->next_host; pos < end && i < tb->host->len; i++) {
        const HostVma *h = &g_array_index(tb->host, HostVma, i);
        if (h->start >= end)
            break;
        if (h->start > pos)
            add_piece(tb, pos, h->start, prot, name, NULL);
        uint64_t lo = MAX(pos, h->start), hi = MIN(end, h->end);
        add_piece(tb, lo, hi, prot, name, h);
        pos = hi;
    }
    if (pos < end)
        add_piece(tb, pos, end, prot, name, NULL);
}

bool procfs_vm_totals(pid_t pid, intptr_t delta, uint64_t entry, ProcVmTotals *t)
{
    char dir[32] = "/proc/self";
    bool ok = true;
    if (pid)
        snprintf(dir, sizeof dir, "/proc/%d", (int)pid);
    TotalsBuilder tb = { .host = read_host_vmas(dir, true), .local = pid == 0, .entry = entry, .t = t };
    memset(t, 0, sizeof *t);
    if (pid) {
        ok = guest_mem_foreach_remote(pid, delta, add_totals_region, &tb, &t->size, &t->peak);
    } else {
        guest_mem_foreach(add_totals_region, &tb);
        guest_mem_size(&t->size, &t->peak);
    }
    t->peak = MAX(t->peak, t->size);
    g_array_free(tb.host, TRUE);
    return ok;
}

/* ---- smaps_rollup: the smaps counters summed ---- */

typedef struct RollupSum {
    char key[32];
    uint64_t kb;
} RollupSum;

typedef struct Rollup {
    GArray *sums;                /* RollupSum, in the order smaps lists them */
    uint64_t start, end;         /* of the first and last mapping */
    uint64_t pss, rss, anon;     /* of the mapping being read */
    bool shmem;
    uint64_t pss_anon, pss_file, pss_shmem;
} Rollup;

static void rollup_add(Rollup *r, const char *key, size_t key_len, uint64_t kb)
{
    for (guint i = 0; i < r->sums->len; i++) {
        RollupSum *s = &g_array_index(r->sums, RollupSum, i);
        if (strlen(s->key) == key_len && strncmp(s->key, key, key_len) == 0) {
            s->kb += kb;
            return;
        }
    }
    RollupSum s = { .kb = kb };
    g_strlcpy(s.key, key, MIN(key_len + 1, sizeof s.key));
    g_array_append_val(r->sums, s);
}

/* The mapping just read: its Pss split as its resident memory is. */
static void rollup_end_mapping(Rollup *r)
{
    if (r->rss) {
        uint64_t anon = (uint64_t)((double)r->pss * (double)r->anon / (double)r->rss);
        r->pss_anon += anon;
        if (r->shmem)
            r->pss_shmem += r->pss - anon;
        else
            r->pss_file += r->pss - anon;
    }
    r->pss = r->rss = r->anon = 0;
}

static void rollup_line(Rollup *r, const char *line)
{
    uint64_t start, end, kb;
    int name_at = 0;
    char perms[8];
    const char *colon = strchr(line, ':');
    if (sscanf(line, "%" SCNx64 "-%" SCNx64 " %7s %*s %*s %*s %n", &start, &end, perms, &name_at) >= 3 &&
        name_at > 0) {
        rollup_end_mapping(r);
        if (r->start == 0 && r->end == 0)
            r->start = start;
        r->end = end;
        r->shmem = is_shmem(line + name_at, perms[3] == 's');
        return;
    }
    if (!colon || !g_str_has_suffix(line, " kB") || sscanf(colon + 1, "%" SCNu64, &kb) != 1)
        return;
    size_t key_len = (size_t)(colon - line);
    static const char *const per_mapping_only[] = { "Size", "KernelPageSize", "MMUPageSize" };
    for (size_t i = 0; i < G_N_ELEMENTS(per_mapping_only); i++)
        if (strlen(per_mapping_only[i]) == key_len && strncmp(line, per_mapping_only[i], key_len) == 0)
            return;
    if (key_len == 3 && strncmp(line, "Pss", 3) == 0)
        r->pss = kb;
    else if (key_len == 3 && strncmp(line, "Rss", 3) == 0)
        r->rss = kb;
    else if (key_len == 9 && strncmp(line, "Anonymous", 9) == 0)
        r->anon = kb;
    rollup_add(r, line, key_len, kb);
}

static void rollup_write_sum(GString *out, const char *key, uint64_t kb)
{
    int key_len = (int)strlen(key);
    g_string_append_printf(out, "%s:%*" PRIu64 " kB\n", key, key_len < 21 ? 23 - key_len : 2, kb);
}

void procfs_write_smaps_rollup(const GuestProcess *proc, GString *out)
{
    GString *smaps = g_string_new(NULL);
    Rollup r = { .sums = g_array_new(FALSE, TRUE, sizeof(RollupSum)) };
    procfs_write_maps(proc, smaps, true);
    char **lines = g_strsplit(smaps->str, "\n", -1);
    for (int i = 0; lines[i]; i++)
        rollup_line(&r, lines[i]);
    rollup_end_mapping(&r);
    g_strfreev(lines);
    g_string_free(smaps, TRUE);

    MapsLine header = { .start = r.start, .end = r.end, .dev = "00:00", .name = "[rollup]" };
    write_header(out, &header);
    for (guint i = 0; i < r.sums->len; i++) {
        const RollupSum *s = &g_array_index(r.sums, RollupSum, i);
        rollup_write_sum(out, s->key, s->kb);
        /* The rollup alone splits Pss by kind of memory, after Pss_Dirty. */
        if (strcmp(s->key, "Pss_Dirty") == 0) {
            rollup_write_sum(out, "Pss_Anon", r.pss_anon);
            rollup_write_sum(out, "Pss_File", r.pss_file);
            rollup_write_sum(out, "Pss_Shmem", r.pss_shmem);
        }
    }
    g_array_free(r.sums, TRUE);
}
