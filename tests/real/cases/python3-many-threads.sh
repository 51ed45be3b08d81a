# reference: native
# packages: python3.11
python3 - <<'PY'
import threading, os, time
results = {}
def worker(i):
    s = 0
    for k in range(20000): s += k * i
    results[i] = (s, threading.get_native_id() != 0)
ts = [threading.Thread(target=worker, args=(i,)) for i in range(16)]
for t in ts: t.start()
for t in ts: t.join()
print(sorted(results.items())[:3], len(results))
b = threading.Barrier(4); order = []
def at_barrier(i):
    b.wait(); order.append(i)
ts = [threading.Thread(target=at_barrier, args=(i,)) for i in range(4)]
for t in ts: t.start()
for t in ts: t.join()
print(sorted(order))
timer_fired = []
t = threading.Timer(0.05, lambda: timer_fired.append(1)); t.start(); t.join(); print(timer_fired)
PY
