/*
 * /proc/<pid>/status as the guest sees it: the host's file, with the
 * memory lines (VmPeak ... VmSwap) describing the guest's memory only —
 * the guest map's ranges (procfs_vm_totals), not ferry's translation
 * cache, heap or libraries — and without the lines only an x86-64 kernel
 * prints.  Every other line (Name, State, ids, signal masks, capabilities)
 * is the host's, which is the guest's too.  statm gives the same sizes in
 * pages.
 */
#include "linux-user/procfs.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <glib.h>

#include "linux-user/guest-mem.h"


typedef enum VmLine {
    VM_PEAK, VM_SIZE, VM_LCK, VM_PIN, VM_HWM, VM_RSS, RSS_ANON, RSS_FILE, RSS_SHMEM,
    VM_DATA, VM_STK, VM_EXE, VM_LIB, VM_PTE, VM_SWAP, VM_LINE_COUNT,
} VmLine;

/* The keys in the kernel's order; VmPin stays the host's (pinning is
 * something only the guest's own requests cause). */
static const char *const vm_keys[VM_LINE_COUNT] = {
    "VmPeak", "VmSize", "VmLck", "VmPin", "VmHWM", "VmRSS", "RssAnon", "RssFile", "RssShmem",
    "VmData", "VmStk", "VmExe", "VmLib", "VmPTE", "VmSwap",
};

/* Lines an arm64 kernel does not print. */
static bool x86_only_line(const char *line)
{
    return g_str_has_prefix(line, "x86_") || g_str_has_prefix(line, "untag_mask:");
}

static int vm_line_of(const char *line)
{
    const char *colon = strchr(line, ':');
    if (!colon)
        return -1;
    for (int i = 0; i < VM_LINE_COUNT; i++)
        if ((size_t)(colon - line) == strlen(vm_keys[i]) && strncmp(line, vm_keys[i], colon - line) == 0)
            return i;
    return -1;
}

/* The value in kB of a "Key:\t   123 kB" line. */
static uint64_t line_kb(const char *line)
{
    const char *colon = strchr(line, ':');
    return colon ? g_ascii_strtoull(colon + 1, NULL, 10) : 0;
}

/* The guest's values, in kB, of every line; host[] holds the host's. */
static void guest_values(const ProcVmTotals *t, const uint64_t *host, uint64_t *kb)
{
    /* VmExe is the program's text; VmLib the rest of the executable memory. */
    uint64_t exe = MIN(t->program_text, t->exec);

    /* The peak resident size: the host's peak less what of the host's
     * present size is ferry's own, kept between what is resident now and
     * the largest the guest has ever been. */
    uint64_t ferry_now = host[VM_RSS] > (t->rss >> 10) ? host[VM_RSS] - (t->rss >> 10) : 0;
    uint64_t hwm = host[VM_HWM] > ferry_now ? host[VM_HWM] - ferry_now : 0;
    hwm = MIN(MAX(hwm, t->rss >> 10), t->peak >> 10);

    kb[VM_PEAK] = t->peak >> 10;
    kb[VM_SIZE] = t->size >> 10;
    kb[VM_LCK] = t->locked >> 10;
    kb[VM_PIN] = host[VM_PIN];
    kb[VM_HWM] = hwm;
    kb[VM_RSS] = t->rss >> 10;
    kb[RSS_ANON] = t->anon >> 10;
    kb[RSS_FILE] = t->file >> 10;
    kb[RSS_SHMEM] = t->shmem >> 10;
    kb[VM_DATA] = t->data >> 10;
    kb[VM_STK] = t->stack >> 10;
    kb[VM_EXE] = exe >> 10;
    kb[VM_LIB] = (t->exec - exe) >> 10;
    kb[VM_PTE] = t->page_tables >> 10;
    kb[VM_SWAP] = t->swap >> 10;
}

bool procfs_write_status(const char *host_dir, const ProcVmTotals *t, GString *out)
{
    char path[96], *text = NULL;
    snprintf(path, sizeof path, "%s/status", host_dir);
    if (!g_file_get_contents(path, &text, NULL, NULL))
        return false;

    char **lines = g_strsplit(text, "\n", -1);
    uint64_t host[VM_LINE_COUNT] = { 0 }, kb[VM_LINE_COUNT];
    bool has_memory = false;
    for (int i = 0; lines[i]; i++) {
        int which = vm_line_of(lines[i]);
        if (which >= 0) {
            host[which] = line_kb(lines[i]);
            has_memory = true;
        }
    }
    if (has_memory)              /* a zombie's file has no memory lines */
        guest_values(t, host, kb);

    for (int i = 0; lines[i]; i++) {
        int which = vm_line_of(lines[i]);
        if (x86_only_line(lines[i]))
            continue;
        if (which >= 0)
            g_string_append_printf(out, "%s:\t%8" PRIu64 " kB", vm_keys[which], kb[which]);
        else
            g_string_append(out, lines[i]);
        if (lines[i + 1])
            g_string_append_c(out, '\n');
    }
    g_strfreev(lines);
    g_free(text);
    return true;
}

/* size resident shared text lib data dt, in pages, as proc(5) lists them:
 * shared is file-backed and shared-memory resident pages, data is data
 * plus stack; lib and dt are always 0. */
void procfs_write_statm(const ProcVmTotals *t, GString *out)
{
    uint64_t page = GUEST_PAGE_SIZE;
    g_string_append_printf(out, "%" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " 0 %" PRIu64 " 0\n",
                           t->size / page, t->rss / page, (t->file + t->shmem) / page,
                           MIN(t->program_text, t->exec) / page, (t->data + t->stack) / page);
}
