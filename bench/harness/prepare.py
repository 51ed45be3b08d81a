"""ferry bench: one-time preparation besides sysroots and inputs.

  - the C kernels of bench/kernels/, compiled twice with the same flags:
    aarch64-linux-gnu-gcc and gcc, -O2 -static (-ffp-contract=off so that
    no fused multiply-add makes the two builds round differently);
  - python's bytecode caches in both sysroots (Debian makes them at install
    time; an unpacked package has none), compiled by the amd64 sysroot's own
    python so the version matches;
  - derived inputs (compressed files for the decompression workloads),
    produced by the native run of the matching compression workload.
Each step is skipped when its result is already up to date.
"""

import os
import shutil
import subprocess

from . import spawn, sysroot

COMPILERS = {"amd64": "gcc", "arm64": "aarch64-linux-gnu-gcc"}
CFLAGS = ["-O2", "-static", "-ffp-contract=off"]


def build_kernels(kernel_src, cache):
    """Compile every bench/kernels/*.c for both architectures into
    cache/kernels/<arch>/<name>.  Returns {arch: directory}."""
    dirs = {}
    for arch, cc in COMPILERS.items():
        out_dir = os.path.join(cache, "kernels", arch)
        os.makedirs(out_dir, exist_ok=True)
        for source in sorted(os.listdir(kernel_src)):
            if not source.endswith(".c"):
                continue
            src = os.path.join(kernel_src, source)
            binary = os.path.join(out_dir, source[:-2])
            if os.path.exists(binary) and os.path.getmtime(binary) >= os.path.getmtime(src):
                continue
            sysroot.log(f"compiling {source} for {arch}")
            tmp = f"{binary}.{os.getpid()}.tmp"
            subprocess.run([cc, *CFLAGS, "-o", tmp, src, "-lm"], check=True)
            os.rename(tmp, binary)
        dirs[arch] = out_dir
    return dirs


def build_peakrss(harness_dir, cache):
    """The small host program every run goes through (harness/peakrss.c):
    it times the run and reports its peak resident memory."""
    src = os.path.join(harness_dir, "peakrss.c")
    out = os.path.join(cache, "tools", "peakrss")
    if os.path.exists(out) and os.path.getmtime(out) >= os.path.getmtime(src):
        return out
    os.makedirs(os.path.dirname(out), exist_ok=True)
    tmp = f"{out}.{os.getpid()}.tmp"
    if subprocess.run(["gcc", "-O2", "-static", "-o", tmp, src]).returncode != 0:
        subprocess.run(["gcc", "-O2", "-o", tmp, src], check=True)
    os.rename(tmp, out)
    return out


def compile_python_caches(roots):
    """Write __pycache__ files into both sysroots' python library."""
    native_python = os.path.join(roots["amd64"], "usr/bin/python3.11")
    runner = spawn.Runner("native", "amd64", roots["amd64"])
    for arch, root in roots.items():
        stamp = os.path.join(root, ".pyc-done")
        lib = os.path.join(root, "usr/lib/python3.11")
        if os.path.exists(stamp) or not os.path.isdir(lib):
            continue
        sysroot.log(f"compiling python bytecode in {root}")
        argv = runner.command(native_python, ["-m", "compileall", "-q", "-j", "0", lib])
        subprocess.run(argv, check=False, stdout=subprocess.DEVNULL)
        open(stamp, "w").close()


def make_derived_inputs(workloads, ctx, run_native):
    """For each (input, producer) a workload needs and the input directory
    lacks, run the producer natively and keep its output as that input.
    run_native(workload) -> (Sample, run_dir)."""
    from .workloads import BY_NAME
    for workload in workloads:
        for name, producer_name in workload.needs:
            path = ctx.input(name)
            if os.path.exists(path):
                continue
            producer = BY_NAME[producer_name]
            sysroot.log(f"making {name} with a native {producer.name} run")
            sample, run_dir = run_native(producer)
            if sample.status != "ok":
                raise SystemExit(f"bench: could not make {name}: {producer.name} "
                                 f"{sample.status}: {spawn.first_error_line(sample)}")
            made = (os.path.join(run_dir, producer.outputs[0]) if producer.outputs
                    else sample.stdout_path)
            tmp = f"{path}.{os.getpid()}.tmp"
            shutil.copyfile(made, tmp)
            os.rename(tmp, path)
