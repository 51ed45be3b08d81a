# ferry python suite: os.fork -- exit status, pipes, a fork with threads
# running, shared anonymous memory, wait4, and multiprocessing's fork start.
import mmap
import multiprocessing
import os
import signal
import sys
import threading
import time

r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(r)
    os.write(w, b"hello from the child")
    os._exit(7)
os.close(w)
data = os.read(r, 100)
_, status = os.waitpid(pid, 0)
print("fork", data.decode(), os.WIFEXITED(status), os.WEXITSTATUS(status))

pid = os.fork()
if pid == 0:
    time.sleep(30)
    os._exit(0)
os.kill(pid, signal.SIGKILL)
_, status = os.waitpid(pid, 0)
print("killed", os.WIFSIGNALED(status), os.WTERMSIG(status))

stop = threading.Event()
spinner = threading.Thread(target=lambda: stop.wait(10))
spinner.start()
pid = os.fork()
if pid == 0:
    os._exit(threading.active_count())
_, status = os.waitpid(pid, 0)
stop.set()
spinner.join()
print("fork with thread, child sees threads:", os.WEXITSTATUS(status))

shared = mmap.mmap(-1, 4096)
pid = os.fork()
if pid == 0:
    shared[:5] = b"child"
    os._exit(0)
os.waitpid(pid, 0)
print("shared mmap", shared[:5])

pid = os.fork()
if pid == 0:
    os._exit(0)
_, status, usage = os.wait4(pid, 0)
print("wait4", status, usage.ru_maxrss >= 0)

# fexecve (execveat with AT_EMPTY_PATH) of a close-on-exec descriptor of
# the program itself.
fd = os.open(sys.executable, os.O_RDONLY)
pid = os.fork()
if pid == 0:
    os.execve(fd, [sys.executable, "-c", "import sys; sys.exit(len(sys.argv) + 20)", "x"], os.environ)
os.close(fd)
print("fexecve", os.WEXITSTATUS(os.waitpid(pid, 0)[1]))

pids = []
for i in range(4):
    pid = os.fork()
    if pid == 0:
        os._exit(10 + i)
    pids.append(pid)
codes = sorted(os.WEXITSTATUS(os.waitpid(p, 0)[1]) for p in pids)
print("four children", codes)


def square(x):
    return x * x


if __name__ == "__main__":
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(3) as pool:
        print("pool", pool.map(square, range(10)))
    q = ctx.Queue()
    p = ctx.Process(target=q.put, args=("via queue",))
    p.start()
    print("process", q.get(timeout=30))
    p.join()
    print("exitcode", p.exitcode)
