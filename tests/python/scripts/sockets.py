# ferry python suite: sockets on loopback -- TCP and UDP, IPv6 when the host
# has it, AF_UNIX stream and datagram, socketpair, fd passing with SCM_RIGHTS,
# options, timeouts, non-blocking connect, getaddrinfo.
import array
import os
import socket
import threading

srv = socket.create_server(("127.0.0.1", 0))
port = srv.getsockname()[1]


def echo_once(server):
    conn, _ = server.accept()
    with conn:
        while True:
            data = conn.recv(65536)
            if not data:
                break
            conn.sendall(data.swapcase())   # byte by byte: chunking does not matter


t = threading.Thread(target=echo_once, args=(srv,))
t.start()
with socket.create_connection(("127.0.0.1", port)) as c:
    c.sendall(b"loopback tcp")
    c.shutdown(socket.SHUT_WR)
    got = b""
    while True:
        data = c.recv(100)
        if not data:
            break
        got += data
t.join()
srv.close()
print("tcp", got)

big_srv = socket.create_server(("127.0.0.1", 0))
t = threading.Thread(target=echo_once, args=(big_srv,))
t.start()
payload = bytes(range(256)) * 4096
with socket.create_connection(big_srv.getsockname()) as c:
    sender = threading.Thread(target=lambda: (c.sendall(payload), c.shutdown(socket.SHUT_WR)))
    sender.start()
    chunks = []
    while True:
        data = c.recv(1 << 16)
        if not data:
            break
        chunks.append(data)
    sender.join()
t.join()
big_srv.close()
echoed = b"".join(chunks)
print("tcp 1 MiB", len(echoed), echoed == payload.swapcase())

u1 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u1.bind(("127.0.0.1", 0))
u2 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u2.sendto(b"datagram", u1.getsockname())
data, addr = u1.recvfrom(100)
print("udp", data, addr[0])
u1.close()
u2.close()

a, b = socket.socketpair()
a.sendall(b"pair")
print("socketpair", b.recv(10))
r, w = os.pipe()
os.write(w, b"passed fd")
a.sendmsg([b"fd"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [r]))])
msg, anc, flags, _ = b.recvmsg(10, socket.CMSG_SPACE(4))
fds = array.array("i")
fds.frombytes(anc[0][2][:4])
print("scm_rights", msg, anc[0][0] == socket.SOL_SOCKET, os.read(fds[0], 20))
a.close()
b.close()

d1, d2 = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
d1.send(b"one")
d1.send(b"two")
print("unix dgram", d2.recv(10), d2.recv(10))

s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
print("reuseaddr", s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR) != 0)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
print("nodelay", s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0)
s.settimeout(0.2)
s.bind(("127.0.0.1", 0))
s.listen()
try:
    s.accept()
except socket.timeout:
    print("accept timeout")
c = socket.socket()
c.setblocking(False)
err = c.connect_ex(s.getsockname())
print("nonblocking connect", err in (0, 115))
conn, _ = s.accept()
print("accepted", conn.getpeername() == c.getsockname())
linger = c.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
print("rcvbuf", linger > 0)
conn.close()
c.close()
s.close()

print("getaddrinfo", sorted({ai[4][0] for ai in socket.getaddrinfo("127.0.0.1", 80, socket.AF_INET)}))
print("hostname", socket.gethostname() == os.uname().nodename)

if socket.has_ipv6:
    try:
        s6 = socket.create_server(("::1", 0), family=socket.AF_INET6)
    except OSError:
        print("ipv6 loopback", True)
    else:
        c6 = socket.create_connection(s6.getsockname()[:2])
        conn, addr = s6.accept()
        c6.sendall(b"v6")
        print("ipv6 loopback", conn.recv(10) == b"v6")
        conn.close()
        c6.close()
        s6.close()
