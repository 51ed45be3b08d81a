# reference: native
# packages: python3.11
python3 - <<'PY'
import threading, queue, concurrent.futures as cf, hashlib
lock = threading.Lock(); counter = [0]
def work(n):
    for _ in range(2000):
        with lock: counter[0] += 1
    return hashlib.sha256(str(n).encode()).hexdigest()[:8]
ts = [threading.Thread(target=work, args=(i,)) for i in range(8)]
[t.start() for t in ts]; [t.join() for t in ts]; print("counter", counter[0])
with cf.ThreadPoolExecutor(4) as ex: print(list(ex.map(work, range(6))))
q = queue.Queue(); ev = threading.Event()
def producer():
    for i in range(100): q.put(i)
    q.put(None); ev.set()
threading.Thread(target=producer).start(); total = 0
while (x := q.get()) is not None: total += x
ev.wait(); print("total", total, threading.active_count() >= 1)
cond = threading.Condition(); state = []
def waiter():
    with cond:
        cond.wait_for(lambda: state); state.append("woken")
t = threading.Thread(target=waiter); t.start()
with cond: state.append("go"); cond.notify_all()
t.join(); print(state)
PY
