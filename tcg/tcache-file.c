/*
 * The translation cache's file: named after the program's identity and the
 * key of everything else translations depend on; laid out as a header, one
 * TCacheRecord per TB pool index and the code buffer's bytes from the first
 * block to the cursor (tcache-file.h); written to a temporary name and
 * renamed, so a reader sees a whole file or none; refused unless its magic,
 * key, code buffer placement, sizes and the check value of its header and
 * records agree.  The directory is kept under TCACHE_DIR_LIMIT.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include <glib.h>

#include "tcg/tcache-file.h"

/* ---- the name ----------------------------------------------------------------- */

char *tcache_default_dir(void)
{
    const char *xdg = getenv("XDG_CACHE_HOME");
    if (xdg && xdg[0] == '/') {
        return g_build_filename(xdg, "ferry", NULL);
    }
    const char *home = getenv("HOME");
    if (home && home[0] == '/') {
        return g_build_filename(home, ".cache", "ferry", NULL);
    }
    return NULL;
}

char *tcache_file_path(const char *dir, const char *exe, uint64_t key)
{
    struct stat st;
    if (!exe || stat(exe, &st) != 0) {
        return NULL;
    }
    uint64_t h = hash_bytes(key, exe, strlen(exe));
    h = mix64(h, (uint64_t)st.st_dev);
    h = mix64(h, (uint64_t)st.st_ino);
    h = mix64(h, (uint64_t)st.st_size);
    h = mix64(h, (uint64_t)st.st_mtim.tv_sec * 1000000000ull + (uint64_t)st.st_mtim.tv_nsec);
    /* the change time too: it cannot be set back, so the same name means
     * the same bytes (adopt_mapped_blocks relies on it) */
    h = mix64(h, (uint64_t)st.st_ctim.tv_sec * 1000000000ull + (uint64_t)st.st_ctim.tv_nsec);
    char *base = g_path_get_basename(exe);
    char name[300];
    snprintf(name, sizeof name, "%.200s-%016" PRIx64 ".tc", base, h);
    g_free(base);
    return g_build_filename(dir, name, NULL);
}

/* ---- checks --------------------------------------------------------------------- */

/* CRC-32C of the bytes (the host's crc32 instruction: SSE4.2 is required
 * anyway), in three interleaved streams so the instruction's latency
 * overlaps: a few microseconds for a 100 KiB table of records. */
__attribute__((target("sse4.2")))
static uint64_t crc32c_bytes(uint64_t crc, const void *p, size_t n)
{
    const uint8_t *b = p;
    size_t third = (n / 24) * 8;
    uint64_t c0 = crc, c1 = 0, c2 = 0, v0, v1, v2;
    for (size_t i = 0; i < third; i += 8) {
        memcpy(&v0, b + i, 8);
        memcpy(&v1, b + third + i, 8);
        memcpy(&v2, b + 2 * third + i, 8);
        c0 = __builtin_ia32_crc32di(c0, v0);
        c1 = __builtin_ia32_crc32di(c1, v1);
        c2 = __builtin_ia32_crc32di(c2, v2);
    }
    uint64_t c = c0 ^ (c1 << 32) ^ mix64(c2, third);    /* not a plain CRC: a check value */
    for (size_t i = 3 * third; i < n; i++) {
        c = __builtin_ia32_crc32qi((uint32_t)c, b[i]) ^ (c & ~0xffffffffull);
    }
    return c;
}

uint64_t tcache_records_checksum(TCacheHeader h, const TCacheRecord *r, uint32_t n)
{
    h.checksum = 0;
    return crc32c_bytes(hash_bytes(1, &h, sizeof h), r, (size_t)n * sizeof *r);
}

const char *tcache_header_refusal(const TCacheHeader *h, const TCacheFit *fit, off_t file_size)
{
    if (memcmp(h->magic, TCACHE_MAGIC, 8) != 0 || h->key != fit->key ||
        h->record_size != sizeof(TCacheRecord)) {
        return "not a file of this ferry build";
    }
    if (h->text_to_code != fit->text_to_code || h->code_start != fit->code_start) {
        return "the code buffer is placed differently in this run";
    }
    if (h->code_end < h->code_start || h->code_end - h->code_start > TCACHE_MAX_CODE ||
        h->code_end > fit->buf_size - (fit->buf_size / 4) ||
        h->n_records > fit->max_records || h->file_size != (uint64_t)file_size ||
        h->file_size != sizeof *h + (uint64_t)h->n_records * sizeof(TCacheRecord) +
                        (h->code_end - h->code_start)) {
        return "damaged (sizes)";
    }
    return NULL;
}

bool tcache_record_sane(const TCacheRecord *r, uint64_t lo, uint64_t hi)
{
    if (r->code_off < lo || (uint64_t)r->code_off + r->code_size > hi || r->n_exits > 2 ||
        r->n_insns > TB_MAX_GUEST_INSNS) {
        return false;
    }
    if (r->insn_off_off && ((uint64_t)r->insn_off_off < lo ||
                            (uint64_t)r->insn_off_off + 2ull * r->n_insns > hi || (r->insn_off_off & 1))) {
        return false;
    }
    for (int i = 0; i < r->n_exits; i++) {
        if (r->exits[i].disp_off && ((uint64_t)r->exits[i].disp_off < lo ||
                                     (uint64_t)r->exits[i].disp_off + 4 > hi ||
                                     r->exits[i].stub_off < lo || r->exits[i].stub_off >= hi)) {
            return false;
        }
    }
    return true;
}

/* ---- reading and writing ------------------------------------------------------ */

bool tcache_read_all(int fd, void *buf, size_t len, off_t off)
{
    uint8_t *p = buf;
    while (len) {
        ssize_t n = pread(fd, p, len, off);
        if (n <= 0) {
            if (n < 0 && errno == EINTR) {
                continue;
            }
            return false;
        }
        p += n;
        len -= (size_t)n;
        off += n;
    }
    return true;
}

static bool write_all(int fd, struct iovec *iov, int n)
{
    while (n > 0) {
        ssize_t w = writev(fd, iov, n);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return false;
        }
        while (n > 0 && (size_t)w >= iov->iov_len) {
            w -= (ssize_t)iov->iov_len;
            iov++;
            n--;
        }
        if (n > 0) {
            iov->iov_base = (uint8_t *)iov->iov_base + w;
            iov->iov_len -= (size_t)w;
        }
    }
    return true;
}

bool tcache_file_write(const char *tmp, TCacheHeader *h, const TCacheRecord *rec,
                       const void *code, size_t code_len)
{
    h->checksum = tcache_records_checksum(*h, rec, h->n_records);
    struct iovec iov[3] = {
        { h, sizeof *h },
        { (void *)rec, (size_t)h->n_records * sizeof *rec },
        { (void *)code, code_len },
    };
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    bool ok = fd >= 0 && write_all(fd, iov, 3);
    if (fd >= 0) {
        close(fd);
    }
    return ok;
}

/* ---- cleaning up ---------------------------------------------------------------- */

typedef struct CacheFile {
    char *path;
    off_t size;
    struct timespec used;
} CacheFile;

static int by_use(const void *a, const void *b)
{
    const CacheFile *x = a, *y = b;
    if (x->used.tv_sec != y->used.tv_sec) {
        return x->used.tv_sec < y->used.tv_sec ? -1 : 1;
    }
    return x->used.tv_nsec < y->used.tv_nsec ? -1 : x->used.tv_nsec > y->used.tv_nsec;
}

void tcache_dir_clean(const char *dir, const char *keep)
{
    DIR *d = opendir(dir);
    if (!d) {
        return;
    }
    GArray *files = g_array_new(FALSE, FALSE, sizeof(CacheFile));
    uint64_t total = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n <= 3 || strcmp(e->d_name + n - 3, ".tc") != 0) {
            continue;
        }
        struct stat st;
        char *path = g_build_filename(dir, e->d_name, NULL);
        if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
            g_free(path);
            continue;
        }
        total += (uint64_t)st.st_size;
        if (strcmp(path, keep) == 0) {
            g_free(path);               /* counted, never removed */
            continue;
        }
        CacheFile f = { path, st.st_size, st.st_mtim };
        g_array_append_val(files, f);
    }
    closedir(d);
    if (total > TCACHE_DIR_LIMIT) {
        g_array_sort(files, by_use);
        for (guint i = 0; i < files->len && total > TCACHE_DIR_LIMIT / 4 * 3; i++) {
            CacheFile *f = &g_array_index(files, CacheFile, i);
            if (unlink(f->path) == 0) {
                total -= (uint64_t)f->size;
            }
        }
    }
    for (guint i = 0; i < files->len; i++) {
        g_free(g_array_index(files, CacheFile, i).path);
    }
    g_array_free(files, TRUE);
}
