# reference: native
# packages: python3.11 libpython3.11-stdlib libffi8
# ctypes (libffi closures: code in memory the guest writes, then runs),
# multiprocessing (fork, pipes, POSIX semaphores, shared memory), asyncio.
python3 - <<'PY'
import ctypes, ctypes.util, multiprocessing as mp, asyncio, array, os
libc = ctypes.CDLL(None)
CMP = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int))
values = (ctypes.c_int * 8)(5, 3, 9, -1, 7, 0, 8, 2)
calls = []
def cmp(a, b):
    calls.append(1); return a[0] - b[0]
libc.qsort(values, 8, ctypes.sizeof(ctypes.c_int), CMP(cmp))
print("qsort", list(values), len(calls) > 0)
libc.strlen.restype = ctypes.c_size_t; print("strlen", libc.strlen(b"ferry boat"))
buf = ctypes.create_string_buffer(32); libc.snprintf(buf, 32, b"%d-%s-%.2f", 42, b"x", ctypes.c_double(2.5)); print(buf.value)
print("find", ctypes.util.find_library("c") is not None)
def square(x): return x * x
def set_first(name):
    from multiprocessing import shared_memory
    s = shared_memory.SharedMemory(name); s.buf[0:1] = b"J"; s.close()
def add_shared(v, lock):
    for _ in range(500):
        with lock: v.value += 1
if __name__ == "__main__":
    mp.set_start_method("fork")
    with mp.Pool(2) as pool: print("pool", pool.map(square, range(10)))
    v = mp.Value("i", 0); lock = mp.Lock()
    ps = [mp.Process(target=add_shared, args=(v, lock)) for _ in range(3)]
    [p.start() for p in ps]; [p.join() for p in ps]; print("shared", v.value, [p.exitcode for p in ps])
    q = mp.Queue(); p = mp.Process(target=q.put, args=("via queue",)); p.start(); print(q.get()); p.join()
    from multiprocessing import shared_memory
    shm = shared_memory.SharedMemory(create=True, size=64); shm.buf[:5] = b"hello"
    p = mp.Process(target=set_first, args=(shm.name,)); p.start(); p.join()
    print("shm", bytes(shm.buf[:5])); shm.close(); shm.unlink()
    async def worker(n, q):
        await asyncio.sleep(0.01 * n); await q.put(n)
    async def main():
        q = asyncio.Queue()
        await asyncio.gather(*(worker(n, q) for n in (3, 1, 2)))
        r, w = await asyncio.open_connection(*(await start_echo()))
        w.write(b"async echo\n"); await w.drain(); line = await r.readline(); w.close()
        proc = await asyncio.create_subprocess_exec("echo", "from", "subprocess", stdout=asyncio.subprocess.PIPE)
        out, _ = await proc.communicate()
        return sorted(q.get_nowait() for _ in range(3)), line, out
    async def start_echo():
        async def handle(r, w):
            w.write(await r.readline()); await w.drain(); w.close()
        srv = await asyncio.start_server(handle, "127.0.0.1", 0)
        return srv.sockets[0].getsockname()[:2]
    print("asyncio", asyncio.run(main()))
PY
echo "status $?"
