"""ferry bench: deterministic input files.

Everything is derived from fixed seeds through SHAKE-256, so every machine
generates byte-identical inputs:
  random.bin    incompressible bytes (hashing, small-block I/O)
  text.txt      compressible English-like text (the compressors)
  rows.sql      a SQL script: one table, N inserts in a transaction,
                aggregate queries with deterministic output
Files are written once per size set (full or quick) under the cache and
reused; a stamp records the sizes they were made with.
"""

import hashlib
import os

SEED = b"ferry-bench-1"
MIB = 1 << 20

SIZES = {
    "full":  {"random_mib": 64, "text_mib": 8, "sql_rows": 200_000},
    "quick": {"random_mib": 4,  "text_mib": 1,  "sql_rows": 10_000},
}


def byte_stream(label, length):
    return hashlib.shake_256(SEED + b"/" + label.encode()).digest(length)


def write_random(path, size):
    with open(path, "wb") as f:
        f.write(byte_stream("random", size))


def make_vocabulary():
    """2048 pronounceable words of 2-9 letters."""
    consonants, vowels = "bcdfghklmnprstvwz", "aeiou"
    raw = byte_stream("vocabulary", 2048 * 10)
    words = []
    for i in range(2048):
        chunk = raw[i * 10:(i + 1) * 10]
        length = 2 + chunk[0] % 8
        word = "".join((consonants if k % 2 == 0 else vowels)[chunk[1 + k] % (17 if k % 2 == 0 else 5)]
                       for k in range(length))
        words.append(word)
    return words


def write_text(path, size):
    """Lines of 6-14 words drawn with a skewed (Zipf-like) distribution, so
    the text compresses about as well as prose does."""
    words = make_vocabulary()
    raw = byte_stream("text", size)      # more random bytes than needed
    out, total, pos, line = [], 0, 0, []
    line_len = 6 + raw[0] % 9
    while total < size:
        r = (raw[pos % len(raw)] << 8 | raw[(pos + 1) % len(raw)])
        pos += 2
        index = (r * r) >> 21            # skew towards small indices
        line.append(words[index])
        if len(line) == line_len:
            text = " ".join(line) + (".\n" if r & 1 else ",\n")
            out.append(text)
            total += len(text)
            line, line_len = [], 6 + raw[pos % len(raw)] % 9
            pos += 1
    with open(path, "w") as f:
        f.write("".join(out)[:size])


def write_sql(path, rows):
    """Integer arithmetic only in the data, so every build prints the same."""
    with open(path, "w") as f:
        f.write("PRAGMA journal_mode=OFF;\n"
                "CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, v INTEGER, s TEXT);\n"
                "BEGIN;\n")
        x = 12345
        for i in range(rows):
            x = (x * 1103515245 + 12345) % 2147483648
            f.write(f"INSERT INTO t VALUES({i},{x % 1000},{x % 100003},'s{x % 7919}');\n")
        f.write("COMMIT;\n"
                "CREATE INDEX t_k ON t(k);\n"
                "SELECT count(*), sum(v), min(v), max(v) FROM t;\n"
                "SELECT k, count(*), sum(v) FROM t GROUP BY k ORDER BY sum(v) DESC LIMIT 10;\n"
                "SELECT s, count(*) AS n FROM t GROUP BY s ORDER BY n DESC, s LIMIT 10;\n"
                "SELECT count(*) FROM t a JOIN t b ON a.k = b.k AND a.id < b.id "
                "WHERE a.id < 3000 AND b.id < 3000;\n"
                "SELECT sum(length(s)), total(v % 97) FROM t WHERE s LIKE 's1%';\n")


def ensure_inputs(cache, size_set):
    """Create the input files for size_set ("full" or "quick") under
    cache/inputs-<size_set>/ and return that directory."""
    sizes = SIZES[size_set]
    directory = os.path.join(cache, "inputs-" + size_set)
    stamp = os.path.join(directory, ".sizes")
    wanted = repr(sorted(sizes.items())) + repr(SEED)
    if os.path.exists(stamp) and open(stamp).read() == wanted:
        return directory
    os.makedirs(directory, exist_ok=True)
    write_random(os.path.join(directory, "random.bin"), sizes["random_mib"] * MIB)
    write_text(os.path.join(directory, "text.txt"), sizes["text_mib"] * MIB)
    write_sql(os.path.join(directory, "rows.sql"), sizes["sql_rows"])
    with open(stamp, "w") as f:
        f.write(wanted)
    return directory
