"""ferry bench: the workloads.

Each workload names a program (from the sysroots, or one of our C kernels in
bench/kernels/), its arguments, the Debian packages it needs, and what output
is compared between runners (stdout unless output files are named).  Arguments
are built from a Context so the same definition serves the full and the
--quick input sets.  A workload with repeat > 1 runs its program that many
times per sample (start-up probes); its time is the sum, and the table also
shows the mean per run.

Decompression inputs are made once, natively, by the matching compression
workload (see `needs`).
"""

from dataclasses import dataclass, field
from typing import Callable, List, Optional, Tuple
import os


@dataclass
class Context:
    inputs: str        # directory of the input files
    scripts: str       # bench/scripts
    quick: bool

    def input(self, name):
        return os.path.join(self.inputs, name)

    def script(self, name):
        return os.path.join(self.scripts, name)

    def size(self, full, quick):
        return quick if self.quick else full


@dataclass
class Workload:
    name: str
    group: str
    program: str                         # sysroot program, or "kernel:NAME"
    args: Callable[[Context], List[str]]
    packages: List[str] = field(default_factory=list)
    stdin: Optional[Callable[[Context], str]] = None
    outputs: List[str] = field(default_factory=list)   # files in the run dir
    repeat: Tuple[int, int] = (1, 1)                   # (full, quick)
    needs: List[Tuple[str, str]] = field(default_factory=list)  # (input, producer)

    @property
    def kernel(self):
        return self.program[len("kernel:"):] if self.program.startswith("kernel:") else None

    def repeats(self, ctx):
        return ctx.size(*self.repeat)


def compressor(tool, package, level, extension, extra=()):
    """A compress and a decompress workload for a stream compressor."""
    compressed = "text.txt." + extension
    return [
        Workload(f"{tool}-compress", "compress", tool,
                 lambda c: [*extra, f"-{level}", "-c", c.input("text.txt")],
                 packages=[package]),
        Workload(f"{tool}-decompress", "compress", tool,
                 lambda c: [*extra, "-d", "-c", c.input(compressed)],
                 packages=[package], needs=[(compressed, f"{tool}-compress")]),
    ]


WORKLOADS = [
    *compressor("xz", "xz-utils", 1, "xz", extra=("-T1",)),
    *compressor("gzip", "gzip", 6, "gz"),
    *compressor("bzip2", "bzip2", 9, "bz2"),
    *compressor("zstd", "zstd", 9, "zst", extra=("-q", "-T1")),
    Workload("7zip-compress", "compress", "7zz",
             lambda c: ["a", "-t7z", "-mx=1", "-mmt=1", "-bd", "-bso0", "out.7z",
                        c.input("text.txt")],
             packages=["7zip"], outputs=["out.7z"]),
    Workload("7zip-decompress", "compress", "7zz",
             lambda c: ["e", "-so", "-bd", c.input("text.txt.7z")],
             packages=["7zip"], needs=[("text.txt.7z", "7zip-compress")]),
    Workload("sha256sum", "hash", "sha256sum",
             lambda c: [c.input("random.bin")], packages=["coreutils"]),
    Workload("md5sum", "hash", "md5sum",
             lambda c: [c.input("random.bin")], packages=["coreutils"]),
    Workload("sqlite3", "interp", "sqlite3",
             lambda c: [":memory:"], packages=["sqlite3"],
             stdin=lambda c: c.input("rows.sql")),
    Workload("perl-loop", "interp", "perl",
             lambda c: [c.script("loop.pl"), str(c.size(1000000, 50000))],
             packages=["perl-base"]),
    Workload("python3-loop", "interp", "python3.11",
             lambda c: [c.script("loop.py"), str(c.size(1000000, 50000))],
             packages=["python3.11-minimal"]),
    Workload("python3-startup", "startup", "python3.11",
             lambda c: ["-c", "pass"], packages=["python3.11-minimal"],
             repeat=(20, 5)),
    Workload("shell-fork", "system", "busybox",
             lambda c: ["sh", c.script("fork.sh"), str(c.size(1000, 100))],
             packages=["busybox-static"]),
    Workload("dd-512", "system", "dd",
             lambda c: [f"if={c.input('random.bin')}", "of=out.bin", "bs=512",
                        "status=none"],
             packages=["coreutils"], outputs=["out.bin"]),
    Workload("c-int", "kernel", "kernel:intmix",
             lambda c: [str(c.size(10, 1))]),
    Workload("c-fp", "kernel", "kernel:fpmix",
             lambda c: [str(c.size(40, 2))]),
    Workload("hello-static", "startup", "kernel:hello",
             lambda c: [], repeat=(200, 20)),
]

BY_NAME = {w.name: w for w in WORKLOADS}


def select(patterns):
    """Workloads whose name contains one of patterns (all when empty)."""
    if not patterns:
        return list(WORKLOADS)
    chosen = [w for w in WORKLOADS if any(p in w.name for p in patterns)]
    if not chosen:
        raise SystemExit(f"bench: no workload matches {', '.join(patterns)}; "
                         f"known: {' '.join(BY_NAME)}")
    return chosen


def all_packages():
    """Root packages the sysroots need: those of every workload, so the
    sysroots do not change with --only."""
    return sorted({p for w in WORKLOADS for p in w.packages})
