# ferry python suite: threads -- locks, conditions, barriers, queues, pools,
# thread-local data and a thread started from a thread.
import concurrent.futures
import os
import queue
import threading

counter = 0
lock = threading.Lock()


def add(n):
    global counter
    for _ in range(n):
        with lock:
            counter += 1


workers = [threading.Thread(target=add, args=(2000,)) for _ in range(8)]
for w in workers:
    w.start()
for w in workers:
    w.join()
print("locked counter", counter)

cond = threading.Condition()
items = []


def produce():
    for i in range(50):
        with cond:
            items.append(i)
            cond.notify()


consumed = []
producer = threading.Thread(target=produce)
producer.start()
while len(consumed) < 50:
    with cond:
        while not items:
            cond.wait(timeout=5)
        consumed.extend(items)
        items.clear()
producer.join()
print("condition", sum(consumed), len(consumed))

barrier = threading.Barrier(4)
order = []


def meet(i):
    barrier.wait()
    with lock:
        order.append(i)


ts = [threading.Thread(target=meet, args=(i,)) for i in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("barrier", sorted(order))

q = queue.Queue()


results = queue.Queue()


def worker():
    while True:
        item = q.get()
        if item is None:
            break
        results.put(item * item)


ws = [threading.Thread(target=worker) for _ in range(4)]
for w in ws:
    w.start()
for i in range(100):
    q.put(i)
for _ in ws:
    q.put(None)
for w in ws:
    w.join()
print("queue", sum(results.get() for _ in range(100)))

with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
    print("pool", sum(pool.map(lambda x: x ** 3, range(200))))

local = threading.local()


def set_local(v, out):
    local.value = v
    threading.Event().wait(0.01)
    out.append(local.value == v)


out = []
ts = [threading.Thread(target=set_local, args=(i, out)) for i in range(5)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("local", all(out), len(out))

nested = []
outer = threading.Thread(target=lambda: (lambda t: (t.start(), t.join()))(
    threading.Thread(target=lambda: nested.append(threading.current_thread().name != "MainThread"))))
outer.start()
outer.join()
print("nested", nested)

# set*id with another thread alive: the C library makes every thread do the
# call through its private signal 33.
idle = threading.Event()
sleeper = threading.Thread(target=idle.wait, args=(30,))
sleeper.start()
os.setuid(os.getuid())
if os.getuid() == 0:
    os.setgroups(os.getgroups())
print("setuid with a thread", os.getuid() == os.geteuid())
idle.set()
sleeper.join()

ev = threading.Event()
print("event timeout", ev.wait(0.05))
threading.Timer(0.02, ev.set).start()
print("event set", ev.wait(5))
print("threads left", threading.active_count())
