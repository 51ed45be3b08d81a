"""ferry bench: the three runners and the timing of one process.

A runner turns "program P of the sysroot, arguments A" into a host command:
  native  the amd64 build of P, started through the amd64 sysroot's own
          ld.so (--library-path into the sysroot) when P is dynamic
  qemu    qemu-aarch64-static -L <arm64 sysroot> P A
  ferry   ferry-aarch64 -tcache <dir> -L <arm64 sysroot> P A: as users run
          it, keeping translations between runs (the directory starts
          empty, so round 1 translates everything and later rounds reuse it)
  ferry-cold  the same with -tcache off: every run translates everything
A run is spawned with posix_spawn in its own process group, its stdin,
stdout and stderr redirected to files, and reaped with wait4 so its CPU
time (user + sys, including the children it waited for) comes from the
kernel's rusage.  Wall time is taken around spawn..wait4.  A run that
exceeds its time limit is killed with its whole process group.
"""

import contextlib
import hashlib
import os
import shutil
import signal
import struct
import time
from dataclasses import dataclass

from . import sysroot

PT_INTERP = 3


def is_dynamic(path):
    """True if the ELF file at path has a PT_INTERP program header."""
    with open(path, "rb") as f:
        head = f.read(64)
        if head[:4] != b"\x7fELF" or head[4] != 2:
            return False
        phoff, = struct.unpack_from("<Q", head, 0x20)
        phentsize, phnum = struct.unpack_from("<HH", head, 0x36)
        f.seek(phoff)
        table = f.read(phentsize * phnum)
    return any(struct.unpack_from("<I", table, i * phentsize)[0] == PT_INTERP
               for i in range(phnum))


@dataclass
class Runner:
    name: str          # native, qemu, ferry
    arch: str          # the sysroot it runs programs from
    root: str          # that sysroot
    emulator: str = "" # qemu or ferry binary ("" for native)
    options: tuple = () # the emulator's options before -L

    def missing(self):
        """Why this runner cannot run anything, or None."""
        if self.emulator and not (os.path.isfile(self.emulator)
                                  and os.access(self.emulator, os.X_OK)):
            return f"{self.emulator} not found"
        return None

    def command(self, program, args):
        if self.name == "native":
            if is_dynamic(program):
                return [sysroot.native_loader(self.root), "--library-path",
                        sysroot.library_path(self.root, self.arch),
                        program, *args]
            return [program, *args]
        return [self.emulator, *self.options, "-L", self.root, program, *args]


def make_runners(roots, ferry, names, tcache_dir=None):
    qemu = shutil.which("qemu-aarch64-static") or "/usr/bin/qemu-aarch64-static"
    all_runners = {
        "native": Runner("native", "amd64", roots["amd64"]),
        "qemu": Runner("qemu", "arm64", roots["arm64"], qemu),
        "ferry": Runner("ferry", "arm64", roots["arm64"], os.path.abspath(ferry),
                        ("-tcache", tcache_dir) if tcache_dir else ()),
        "ferry-cold": Runner("ferry-cold", "arm64", roots["arm64"], os.path.abspath(ferry),
                             ("-tcache", "off")),
    }
    return [all_runners[n] for n in names]


@dataclass
class Sample:
    wall: float        # seconds
    user: float
    sys: float
    status: str        # "ok", "exit N", "signal N", "timeout", "cannot start"
    stdout_path: str
    stderr_path: str
    maxrss_kib: int = 0  # peak resident set of the process (or its largest child)

    @property
    def cpu(self):
        return self.user + self.sys


def describe_status(status):
    if os.WIFEXITED(status):
        code = os.WEXITSTATUS(status)
        return "ok" if code == 0 else f"exit {code}"
    return f"signal {os.WTERMSIG(status)}"


def not_started(out_dir, reason):
    """The Sample of a run that could not be started."""
    stderr_path = os.path.join(out_dir, "stderr")
    with open(stderr_path, "w") as f:
        f.write(reason + "\n")
    return Sample(0.0, 0.0, 0.0, "cannot start", os.path.join(out_dir, "stdout"), stderr_path)


def run_timed(argv, env, cwd, stdin_path, out_dir, limit, peakrss=None):
    """Run argv once in cwd; stdout/stderr go to out_dir.  Returns Sample.
    With peakrss (harness/peakrss.c), the run goes through it and its
    figures (wall, user, sys, peak resident memory) are used."""
    stdout_path = os.path.join(out_dir, "stdout")
    stderr_path = os.path.join(out_dir, "stderr")
    measured_path = os.path.join(out_dir, "measured")
    if peakrss:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(measured_path)
        argv = [peakrss, measured_path, *argv]
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, stdin_path or "/dev/null", os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, stdout_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
        (os.POSIX_SPAWN_OPEN, 2, stderr_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
    ]
    timed_out = []

    def on_alarm(signum, frame):
        timed_out.append(True)
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    old_handler = signal.signal(signal.SIGALRM, on_alarm)
    old_cwd = os.getcwd()
    os.chdir(cwd)
    try:
        start = time.perf_counter()
        try:
            pid = os.posix_spawn(argv[0], argv, env, file_actions=actions, setpgroup=0)
        except OSError as e:
            return not_started(out_dir, f"cannot start {argv[0]}: {e}")
        signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            _, status, usage = os.wait4(pid, 0)
        except BaseException:          # ^C: do not leave the run behind
            os.killpg(pid, signal.SIGKILL)
            raise
        wall = time.perf_counter() - start
        signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        os.chdir(old_cwd)
        signal.signal(signal.SIGALRM, old_handler)
    try:                      # leftovers of the group (a killed shell's children)
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    state = "timeout" if timed_out else describe_status(status)
    user, sys_, maxrss = usage.ru_utime, usage.ru_stime, usage.ru_maxrss
    if peakrss:
        try:
            with open(measured_path) as f:
                wall, user, sys_, maxrss = (float(v) for v in f.read().split())
        except (OSError, ValueError):
            maxrss = 0                  # killed before it could report
    return Sample(wall, user, sys_, state, stdout_path, stderr_path, int(maxrss))


def hash_outputs(paths):
    """One digest over the named files, in order (a missing file counts)."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(os.path.basename(path).encode() + b"\0")
        try:
            with open(path, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    digest.update(block)
        except FileNotFoundError:
            digest.update(b"<missing>")
    return digest.hexdigest()[:16]


def first_error_line(sample):
    """The most telling line of a failed run's stderr: the first that names
    the emulator or an error, else the first."""
    try:
        with open(sample.stderr_path, errors="replace") as f:
            lines = [l.strip() for l in f if l.strip()]
    except FileNotFoundError:
        return ""
    telling = [l for l in lines if any(w in l.lower() for w in
                                       ("ferry", "qemu", "error", "unsupported", "cannot"))]
    return (telling or lines or [""])[0][:200]
