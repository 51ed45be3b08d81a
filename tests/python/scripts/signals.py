# ferry python suite: signals -- setitimer (real, virtual, profiling) to a
# busy guest, alarm, kill to self, pthread_kill, EINTR retry (PEP 475),
# sigwait, set_wakeup_fd, masks.
import os
import select
import signal
import threading
import time

ticks = []
signal.signal(signal.SIGALRM, lambda s, f: ticks.append(s))
signal.setitimer(signal.ITIMER_REAL, 0.02, 0.02)
deadline = time.monotonic() + 10
x = 0
while len(ticks) < 5 and time.monotonic() < deadline:
    x += 1
signal.setitimer(signal.ITIMER_REAL, 0)
print("itimer real", len(ticks) >= 5)

for which, signum in ((signal.ITIMER_VIRTUAL, signal.SIGVTALRM), (signal.ITIMER_PROF, signal.SIGPROF)):
    got = []
    signal.signal(signum, lambda s, f: got.append(s))
    signal.setitimer(which, 0.01, 0.01)
    deadline = time.monotonic() + 20
    while len(got) < 3 and time.monotonic() < deadline:
        x += 1
    signal.setitimer(which, 0)
    print("itimer", signal.Signals(signum).name, len(got) >= 3)

print("getitimer idle", signal.getitimer(signal.ITIMER_REAL))
signal.setitimer(signal.ITIMER_REAL, 100, 0)
left = signal.getitimer(signal.ITIMER_REAL)[0]
print("getitimer armed", 99 < left <= 100)
signal.setitimer(signal.ITIMER_REAL, 0)

got = []
signal.signal(signal.SIGALRM, lambda s, f: got.append("alarm"))
signal.alarm(1)
time.sleep(2.5)   # interrupted, the handler runs, sleep resumes (PEP 475)
print("alarm", got)

got = []
signal.signal(signal.SIGUSR1, lambda s, f: got.append(s))
os.kill(os.getpid(), signal.SIGUSR1)
print("kill self", got == [signal.SIGUSR1])

signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR2])
os.kill(os.getpid(), signal.SIGUSR2)
print("pending", signal.SIGUSR2 in signal.sigpending())
print("sigwait", signal.sigwait([signal.SIGUSR2]) == signal.SIGUSR2)
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGUSR2])

info = []
signal.signal(signal.SIGUSR1, lambda s, f: info.append(threading.current_thread() is threading.main_thread()))
t = threading.Thread(target=lambda: signal.pthread_kill(threading.main_thread().ident, signal.SIGUSR1))
t.start()
t.join()
time.sleep(0.05)
print("pthread_kill", info)

r, w = os.pipe()
os.set_blocking(w, False)
old = signal.set_wakeup_fd(w)
signal.signal(signal.SIGUSR1, lambda s, f: None)
os.kill(os.getpid(), signal.SIGUSR1)
print("wakeup fd", select.select([r], [], [], 5)[0] == [r], os.read(r, 16) == bytes([signal.SIGUSR1]))
signal.set_wakeup_fd(old)

print("strsignal", signal.strsignal(signal.SIGINT))
print("valid", len(signal.valid_signals()))
print("default", signal.getsignal(signal.SIGTERM) == signal.SIG_DFL)
