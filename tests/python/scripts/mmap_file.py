# ferry python suite: mmap -- anonymous and file mappings, flush, resize,
# find/seek, madvise, private copies, a mapping seen through the file.
import mmap
import os
import tempfile

m = mmap.mmap(-1, 3 * mmap.PAGESIZE)
m[0:4] = b"abcd"
m[mmap.PAGESIZE * 2:mmap.PAGESIZE * 2 + 3] = b"end"
print("anonymous", m[:4], m[mmap.PAGESIZE * 2:mmap.PAGESIZE * 2 + 3], len(m))
print("find", m.find(b"end"), m.rfind(b"bc"))
m.madvise(mmap.MADV_DONTNEED)
print("after DONTNEED", m[:4])
m.close()

with tempfile.TemporaryDirectory() as d:
    path = os.path.join(d, "data")
    with open(path, "wb") as f:
        f.write(b"0123456789" * 1000)
    with open(path, "r+b") as f:
        m = mmap.mmap(f.fileno(), 0)
        print("file size", len(m), m[5:15])
        m[0:5] = b"HELLO"
        m.flush()
        m.resize(20000)
        m[19990:20000] = b"resized!!!"
        m.seek(10000)
        print("readline", m.read(4), m.tell())
        m.close()
    with open(path, "rb") as f:
        content = f.read()
    print("through file", content[:10], len(content), content[-10:])

    with open(path, "r+b") as f:
        priv = mmap.mmap(f.fileno(), 100, flags=mmap.MAP_PRIVATE)
        priv[0:5] = b"xxxxx"
        priv.close()
    with open(path, "rb") as f:
        print("private untouched", f.read(5))

    with open(path, "rb") as f:
        ro = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            ro[0:1] = b"z"
        except TypeError as e:
            print("read-only", type(e).__name__)
        print("ro view", ro[:5], ro.size())
        ro.close()

    with open(path, "r+b") as f:
        off = mmap.mmap(f.fileno(), 10, offset=mmap.ALLOCATIONGRANULARITY)
        print("offset", off[:10] == content[mmap.ALLOCATIONGRANULARITY:mmap.ALLOCATIONGRANULARITY + 10])
        off.close()

big = mmap.mmap(-1, 64 << 20)
big[-1:] = b"x"
print("big", len(big), big[-1:], big[0])
big.close()
