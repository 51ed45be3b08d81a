# ferry python suite: select, poll, epoll (level and edge triggered),
# selectors and an asyncio echo server on loopback.
import asyncio
import os
import resource
import select
import selectors
import socket

r, w = os.pipe()
print("select empty", select.select([r], [], [], 0.05))
os.write(w, b"x")
rl, wl, _ = select.select([r], [w], [], 1)
print("select ready", rl == [r], wl == [w])
os.read(r, 1)

p = select.poll()
p.register(r, select.POLLIN)
print("poll empty", p.poll(50))
os.write(w, b"yz")
print("poll ready", [(fd == r, ev) for fd, ev in p.poll(1000)])
os.read(r, 2)
os.close(w)
print("poll hup", [(fd == r, ev & select.POLLHUP != 0) for fd, ev in p.poll(1000)])
os.close(r)

a, b = socket.socketpair()
ep = select.epoll()
ep.register(a.fileno(), select.EPOLLIN)
print("epoll empty", ep.poll(0.05))
b.send(b"data")
print("epoll in", [(fd == a.fileno(), ev) for fd, ev in ep.poll(1)])
print("epoll level again", len(ep.poll(0.05)))
ep.modify(a.fileno(), select.EPOLLIN | select.EPOLLOUT)
print("epoll modify", [ev for _, ev in ep.poll(1)])
a.recv(10)
ep.unregister(a.fileno())
ep.register(a.fileno(), select.EPOLLIN | select.EPOLLET)
b.send(b"edge")
print("epoll edge", len(ep.poll(1)), len(ep.poll(0.05)))
many = [socket.socketpair() for _ in range(20)]
for i, (x, y) in enumerate(many):
    ep.register(x.fileno(), select.EPOLLIN)
    if i % 2:
        y.send(b"!")
print("epoll many", len(ep.poll(1, maxevents=64)))
ep.close()
print("epoll closed", ep.closed)

# More ready descriptors than one small batch: one epoll.poll returns them all.
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))
pipes = [os.pipe() for _ in range(1500)]
ep = select.epoll()
for rd, wr in pipes:
    ep.register(wr, select.EPOLLOUT)
print("epoll 1500 ready", len(ep.poll(1)), len(ep.poll(1, maxevents=1200)))
ep.close()
for rd, wr in pipes:
    os.close(rd)
    os.close(wr)
resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))

sel = selectors.DefaultSelector()
print("selector", type(sel).__name__)
sel.register(a, selectors.EVENT_READ, data="a")
b.send(b"sel")
print("selector ready", [(key.data, ev) for key, ev in sel.select(1)])
sel.close()


async def handle(reader, writer):
    line = await reader.readline()
    writer.write(line.upper())
    await writer.drain()
    writer.close()


async def main():
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    results = []
    for word in (b"alpha\n", b"beta\n", b"gamma\n"):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(word)
        await writer.drain()
        results.append(await reader.readline())
        writer.close()
        await writer.wait_closed()
    server.close()
    await server.wait_closed()
    proc = await asyncio.create_subprocess_exec("/bin/echo", "async", "child", stdout=asyncio.subprocess.PIPE)
    out, _ = await proc.communicate()
    results.append(out)
    await asyncio.sleep(0.01)
    return results


print("asyncio", asyncio.run(main()))
