/*
 * Debug logging (-d items, -D file): the item parser and ferry_log().
 * The log is shared by every part of ferry; writes are whole lines under
 * the stdio lock so threads do not interleave within a line.
 */
#include "linux-user/log.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <glib.h>

uint64_t ferry_log_mask;
FILE *ferry_log_file;

static uint64_t log_item_mask(const char *name, size_t len)
{
#define X(id, item, help) \
    if (strlen(item) == len && memcmp(item, name, len) == 0) return LOG_##id;
    LOG_ITEMS(X)
#undef X
    return 0;
}

bool log_parse_items(const char *items, uint64_t *mask, char **bad)
{
    uint64_t result = 0;
    const char *p = items;

    *bad = NULL;
    while (*p) {
        size_t len = strcspn(p, ",");
        if (len > 0) {
            uint64_t bit = log_item_mask(p, len);
            if (!bit) {
                *bad = g_strndup(p, len);
                return false;
            }
            result |= bit;
        }
        p += len;
        if (*p == ',') p++;
    }
    *mask = result;
    return true;
}

bool log_open_file(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) return false;
    setvbuf(f, NULL, _IOLBF, 0);
    if (ferry_log_file && ferry_log_file != stderr) fclose(ferry_log_file);
    ferry_log_file = f;
    return true;
}

void ferry_log(const char *fmt, ...)
{
    FILE *out = ferry_log_file ? ferry_log_file : stderr;
    int saved_errno = errno;
    va_list ap;

    va_start(ap, fmt);
    flockfile(out);
    vfprintf(out, fmt, ap);
    funlockfile(out);
    va_end(ap);
    errno = saved_errno;
}
