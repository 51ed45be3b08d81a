/*
 * Sysroot path resolution (see path.h).  A look-up opens the path inside
 * the sysroot with openat2(RESOLVE_IN_ROOT) so symbolic links resolve as
 * they would under a chroot, and asks the kernel where it ended up
 * (/proc/self/fd/N); that host path is what the guest's call then uses.
 * Kernels without openat2 get a plain prefix-and-access check.  The
 * sysroot's directory is opened for each look-up (results are cached), not
 * kept open: a descriptor ferry keeps sits in the guest's table, where a
 * guest `exec 3>&1` replaces it or a close-all-descriptors loop closes it.
 */
#include "syscall/path.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <glib.h>
#include <linux/openat2.h>

#include "linux-user/procfs.h"

#define NEGATIVE_TTL_NS  1000000000ll   /* "not in the sysroot" is trusted this long */
#define CACHE_MAX_ENTRIES 8192           /* then start again from empty */

typedef struct PathCache {
    GMutex lock;
    char root[PATH_MAX];         /* the sysroot's canonical path */
    size_t root_len;             /* 0: no sysroot (or it is "/") */
    bool have_openat2;
    GHashTable *entries;         /* "F/path" or "N/path" -> PathEntry */
} PathCache;

typedef struct PathEntry {
    char *host;                  /* path inside the sysroot, or NULL: use the guest's */
    int64_t expires;             /* CLOCK_MONOTONIC_COARSE ns; 0 = until forgotten */
} PathEntry;

static void path_entry_free(gpointer p)
{
    PathEntry *e = p;
    g_free(e->host);
    g_free(e);
}

static int64_t now_coarse_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

static PathCache *path_cache_new(const char *sysroot)
{
    PathCache *c = g_new0(PathCache, 1);
    g_mutex_init(&c->lock);
    c->entries = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, path_entry_free);
    c->have_openat2 = true;
    if (sysroot && realpath(sysroot, c->root) && strcmp(c->root, "/") != 0)
        c->root_len = strlen(c->root);
    return c;
}

/* The cache of this process, created on first use (threads may race). */
static PathCache *path_cache(SysCall *sc)
{
    PathCache *c = g_atomic_pointer_get(&sc->st->paths);
    if (c)
        return c;
    PathCache *fresh = path_cache_new(sc->proc->sysroot);
    if (g_atomic_pointer_compare_and_exchange(&sc->st->paths, NULL, fresh))
        return fresh;
    g_hash_table_destroy(fresh->entries);
    g_free(fresh);
    return g_atomic_pointer_get(&sc->st->paths);
}

/* The host's own trees, which the guest shares rather than takes from the
 * sysroot. */
static bool host_only(const char *path)
{
    static const char *const trees[] = { "/proc", "/sys", "/dev", "/tmp", "/run", "/var/tmp", "/var/run" };
    for (size_t i = 0; i < G_N_ELEMENTS(trees); i++) {
        size_t n = strlen(trees[i]);
        if (strncmp(path, trees[i], n) == 0 && (path[n] == '\0' || path[n] == '/'))
            return true;
    }
    return path[strspn(path, "/")] == '\0';    /* "/" itself */
}

/* Find guest_path inside the sysroot; the host path or NULL. */
static char *lookup_in_root(PathCache *c, const char *guest_path, bool follow)
{
    if (c->have_openat2) {
        struct open_how how = {
            .flags = O_PATH | O_CLOEXEC | (follow ? 0 : O_NOFOLLOW),
            .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };
        int root_fd = open(c->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root_fd < 0)
            return NULL;
        int fd = (int)syscall(SYS_openat2, root_fd, guest_path, &how, sizeof how);
        int open_errno = errno;
        close(root_fd);
        if (fd >= 0) {
            char link[64], target[PATH_MAX];
            snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
            ssize_t n = readlink(link, target, sizeof target - 1);
            close(fd);
            if (n <= 0)
                return NULL;
            target[n] = '\0';
            return g_strdup(target);
        }
        if (open_errno != ENOSYS)
            return NULL;
        c->have_openat2 = false;
    }
    char *in_root = g_strconcat(c->root, guest_path, NULL);
    if (faccessat(AT_FDCWD, in_root, F_OK, follow ? 0 : AT_SYMLINK_NOFOLLOW) == 0)
        return in_root;
    g_free(in_root);
    return NULL;
}

static const char *sysroot_path(SysCall *sc, const char *guest_path, bool follow, char *buf)
{
    PathCache *c = path_cache(sc);
    if (c->root_len == 0 || host_only(guest_path) ||
        (strncmp(guest_path, c->root, c->root_len) == 0 &&
         (guest_path[c->root_len] == '/' || guest_path[c->root_len] == '\0')))
        return guest_path;

    char *key = g_strconcat(follow ? "F" : "N", guest_path, NULL);
    const char *result = guest_path;
    int64_t now = now_coarse_ns();
    g_mutex_lock(&c->lock);
    PathEntry *e = g_hash_table_lookup(c->entries, key);
    if (!e || (e->expires && e->expires < now)) {
        if (g_hash_table_size(c->entries) >= CACHE_MAX_ENTRIES)
            g_hash_table_remove_all(c->entries);
        e = g_new0(PathEntry, 1);
        e->host = lookup_in_root(c, guest_path, follow);
        e->expires = e->host ? 0 : now + NEGATIVE_TTL_NS;
        g_hash_table_replace(c->entries, key, e);
        key = NULL;
    }
    if (e->host && g_strlcpy(buf, e->host, PATH_MAX) < PATH_MAX)
        result = buf;
    g_mutex_unlock(&c->lock);
    g_free(key);
    return result;
}

const char *path_to_host(SysCall *sc, const char *guest_path, bool follow, char *buf)
{
    if (guest_path[0] != '/')
        return guest_path;
    if (follow) {
        const char *exe = procfs_exe_target(sc->proc, guest_path);
        if (exe)
            return exe;
    }
    if (!sc->proc->sysroot)
        return guest_path;
    return sysroot_path(sc, guest_path, follow, buf);
}

const char *path_proc_absolute(int dirfd, const char *guest_path, char *buf)
{
    char link[64], dir[PATH_MAX];
    if (guest_path[0] == '/' || guest_path[0] == '\0' || (dirfd < 0 && dirfd != AT_FDCWD) ||
        !procfs_may_name(guest_path))
        return guest_path;
    if (dirfd == AT_FDCWD)
        g_strlcpy(link, "/proc/self/cwd", sizeof link);
    else
        snprintf(link, sizeof link, "/proc/self/fd/%d", dirfd);
    ssize_t n = readlink(link, dir, sizeof dir - 1);
    if (n < 5 || strncmp(dir, "/proc", 5) != 0 || (n > 5 && dir[5] != '/'))
        return guest_path;
    dir[n] = '\0';
    if (snprintf(buf, PATH_MAX, "%s/%s", n > 5 ? dir : "/proc", guest_path) >= PATH_MAX)
        return guest_path;
    return buf;
}

void path_forget(SysCall *sc)
{
    if (!sc->proc->sysroot)
        return;
    PathCache *c = path_cache(sc);
    g_mutex_lock(&c->lock);
    g_hash_table_remove_all(c->entries);
    g_mutex_unlock(&c->lock);
}
