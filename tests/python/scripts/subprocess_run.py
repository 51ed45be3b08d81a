# ferry python suite: subprocess -- the guest python starting itself and
# shell commands through pipes, exit codes, stdin, timeouts, signals.
import os
import signal
import subprocess
import sys
import tempfile

r = subprocess.run([sys.executable, "-c", "print('child', 6 * 7)"], capture_output=True, text=True)
print("run", r.returncode, r.stdout.strip())

r = subprocess.run([sys.executable, "-c", "import sys; sys.exit(3)"])
print("exit code", r.returncode)

r = subprocess.run([sys.executable, "-c", "import sys; print(sys.stdin.read().upper())"],
                   input="through stdin", capture_output=True, text=True)
print("stdin", r.stdout.strip())

r = subprocess.run("echo from-sh; echo err >&2; exit 5", shell=True, capture_output=True, text=True)
print("shell", r.returncode, r.stdout.strip(), r.stderr.strip())

p1 = subprocess.Popen([sys.executable, "-c", "for i in range(1000): print(i)"], stdout=subprocess.PIPE)
p2 = subprocess.Popen([sys.executable, "-c", "import sys; print(sum(int(l) for l in sys.stdin))"],
                      stdin=p1.stdout, stdout=subprocess.PIPE, text=True)
p1.stdout.close()
print("pipeline", p2.communicate()[0].strip(), p1.wait())

try:
    subprocess.run([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)
except subprocess.TimeoutExpired as e:
    print("timeout", round(e.timeout, 1))

p = subprocess.Popen([sys.executable, "-c", "import time; print('ready', flush=True); time.sleep(30)"],
                     stdout=subprocess.PIPE, text=True)
print(p.stdout.readline().strip())
p.send_signal(signal.SIGTERM)
print("terminated", p.wait())

out = subprocess.check_output([sys.executable, "-c", "import os; print(os.environ['FERRY_TEST_VAR'])"],
                              env=dict(os.environ, FERRY_TEST_VAR="passed"), text=True)
print("env", out.strip())

r = subprocess.run([sys.executable, "-c", "import os; print(os.getcwd())"], cwd="/", capture_output=True, text=True)
print("cwd", r.stdout.strip())

r = subprocess.run([sys.executable, "-c", "import os; os.write(3, b'fd3')"], pass_fds=(), capture_output=True)
print("closed fds", r.returncode != 0)

# A script whose #! interpreter (/bin/sh of the sysroot under ferry) starts
# the arm64 python again; the child first closes every descriptor it did not
# inherit on purpose (close_fds), ferry's own included if it kept any.
with tempfile.TemporaryDirectory() as d:
    script = os.path.join(d, "script.sh")
    with open(script, "w") as f:
        f.write(f"#!/bin/sh\nexec '{sys.executable}' -c 'import sys; sys.exit(47)'\n")
    os.chmod(script, 0o700)
    print("script", subprocess.call([script]), subprocess.call(script, shell=True))

try:
    subprocess.run(["/nonexistent/program"])
except FileNotFoundError as e:
    print("missing", e.errno)
