/*
 * Debug logging (-d items, -D file): the item parser and ferry_log().
 * The log is shared by every part of ferry; writes are whole lines under
 * the stdio lock so threads do not interleave within a line.
 */
#include "linux-user/log.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
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

/* ferry's own descriptors live high in the table, close-on-exec, so the
 * guest's low-numbered dup2/close (`exec 3>&1`) cannot hit them and its
 * children do not inherit them. */
int ferry_private_fd(int fd)
{
    if (fd < 0) return fd;
    int high = fcntl(fd, F_DUPFD_CLOEXEC, FERRY_PRIVATE_FD_BASE);
    if (high < 0) {
        fcntl(fd, F_SETFD, FD_CLOEXEC);
        return fd;
    }
    close(fd);
    return high;
}

FILE *ferry_private_fopen(const char *path, int flags)
{
    int fd = ferry_private_fd(open(path, flags | O_CLOEXEC, 0644));
    if (fd < 0) return NULL;
    FILE *f = fdopen(fd, "a");
    if (!f) close(fd);
    return f;
}

/* Appends: several ferry processes of one guest (fork, exec) share it. */
bool log_open_file(const char *path)
{
    FILE *f = ferry_private_fopen(path, O_WRONLY | O_CREAT | O_APPEND);
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
