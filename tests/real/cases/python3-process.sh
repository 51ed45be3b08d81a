# reference: native
# packages: python3.11 libpython3.11-stdlib
# subprocess, os.fork, signals and itimers, mmap, sockets on loopback,
# select/poll/epoll, fcntl locks.
python3 - <<'PY'
import os, sys, signal, subprocess, mmap, socket, select, selectors, fcntl, time, threading, tempfile, errno
r = subprocess.run(["sh", "-c", "echo out; echo err >&2; exit 3"], capture_output=True, text=True)
print("subprocess", r.returncode, r.stdout.strip(), r.stderr.strip())
print(subprocess.check_output("seq 3 | sort -r | tr '\\n' ' '", shell=True, text=True))
p = subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
print("cat", p.communicate(b"x" * 100000)[0].count(b"x"), p.returncode)
pid = os.fork()
if pid == 0:
    os._exit(7)
print("fork", os.waitpid(pid, 0)[1] >> 8)
r, w = os.pipe()
if os.fork() == 0:
    os.close(r); os.write(w, b"from child"); os._exit(0)
os.close(w); print(os.read(r, 100).decode()); os.wait()
fired = []
signal.signal(signal.SIGALRM, lambda s, f: fired.append(s))
signal.setitimer(signal.ITIMER_REAL, 0.05, 0.05)
while len(fired) < 3: signal.pause()
signal.setitimer(signal.ITIMER_REAL, 0); print("itimer", fired)
signal.signal(signal.SIGUSR1, lambda s, f: print("usr1 handler", s == signal.SIGUSR1))
os.kill(os.getpid(), signal.SIGUSR1)
child = subprocess.Popen(["sleep", "10"]); child.send_signal(signal.SIGTERM); print("term", child.wait())
with tempfile.TemporaryFile() as f:
    f.write(b"\0" * 8192); f.flush()
    m = mmap.mmap(f.fileno(), 8192); m[100:105] = b"hello"; m.flush()
    f.seek(100); print("mmap", f.read(5), len(m)); m.close()
anon = mmap.mmap(-1, 1 << 20); anon[-1:] = b"z"; print("anon", anon[-1:], anon.find(b"z"))
if os.fork() == 0:
    anon[0:2] = b"ok"; os._exit(0)
os.wait()
srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen()
def serve():
    c, _ = srv.accept(); data = c.recv(100); c.sendall(data.upper()); c.close()
t = threading.Thread(target=serve); t.start()
cl = socket.create_connection(srv.getsockname()); cl.sendall(b"tcp loopback")
print(cl.recv(100)); t.join(); cl.close()
u1 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u1.bind(("127.0.0.1", 0))
u2 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u2.sendto(b"udp", u1.getsockname())
print(select.select([u1], [], [], 5)[0] == [u1], u1.recvfrom(10)[0])
a, b = socket.socketpair(); b.send(b"pair")
ep = select.epoll(); ep.register(a, select.EPOLLIN); print("epoll", [(fd == a.fileno(), ev) for fd, ev in ep.poll(5)])
po = select.poll(); po.register(a, select.POLLIN); print("poll", len(po.poll(1000)), a.recv(10))
sel = selectors.DefaultSelector(); sel.register(b, selectors.EVENT_WRITE); print("selector", len(sel.select(1)))
with tempfile.NamedTemporaryFile() as f:
    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB); fcntl.lockf(f, fcntl.LOCK_EX)
    print("flags", bool(fcntl.fcntl(f, fcntl.F_GETFD) & fcntl.FD_CLOEXEC))
PY
echo "status $?"
