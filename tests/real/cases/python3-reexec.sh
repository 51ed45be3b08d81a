# reference: native
# packages: python3.11
python3 -c '
import os, sys
if len(sys.argv) > 1:
    print("re-executed with", sys.argv[1:], os.path.basename(sys.executable)); sys.stdout.flush(); sys.exit(0)
print("first run"); sys.stdout.flush()
os.execv("/proc/self/exe", ["python3", "-c", open("/proc/self/cmdline").read().split("\0")[2], "again", "x y"])
' 
echo "status $?"
python3 -c 'import subprocess, sys; r = subprocess.run([sys.executable, "-c", "print(6*7)"], capture_output=True, text=True); print(r.stdout.strip(), r.returncode)'
python3 -c 'import os; pid = os.fork()
if pid == 0: os._exit(9)
print(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))'
