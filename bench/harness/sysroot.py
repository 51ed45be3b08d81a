"""ferry bench: the arm64 and amd64 sysroots, built from the SAME Debian
package versions.

For each root package a workload needs, the version is chosen once (the
highest version both architectures have), its library dependencies are followed
(packages named lib* and zlib1g: what a binary needs at run time; dpkg,
debconf and the like are not), and every package is fetched with
`apt-get download PKG:ARCH=VERSION` and unpacked with `dpkg-deb -x`.
Nothing is installed on the host and dpkg's architecture list is left alone:
apt is told about arm64 with -o APT::Architectures options only.

The result is cached under bench/.cache/; a stamp file holds the package
manifest, so the sysroots are rebuilt only when the package set changes.
"""

import functools
import os
import shutil
import subprocess
import sys

ARCHES = ("amd64", "arm64")
APT_ARCH_OPTS = ["-o", "APT::Architectures::=amd64",
                 "-o", "APT::Architectures::=arm64"]
# Library directories of each architecture inside a sysroot.
LIB_TRIPLET = {"amd64": "x86_64-linux-gnu", "arm64": "aarch64-linux-gnu"}
ALWAYS = ["libc6", "libgcc-s1"]


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


def apt_output(args):
    return subprocess.run(["apt-cache", *APT_ARCH_OPTS, *args],
                          capture_output=True, text=True).stdout


def apt_update():
    log("fetching the amd64 and arm64 package lists (apt-get update)")
    cmd = ["apt-get", "update", *APT_ARCH_OPTS]
    if os.geteuid() != 0:
        cmd = ["sudo", *cmd]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def available_versions(pkgs):
    """{(pkg, arch): [versions, highest first]} for pkgs on both
    architectures, from one `apt-cache madison` call."""
    queries = [f"{p}:{a}" for p in pkgs for a in ARCHES]
    versions = {}
    for line in apt_output(["madison", *queries]).splitlines():
        fields = [f.strip() for f in line.split("|")]
        if len(fields) < 3:
            continue
        pkg, arch = fields[0].split(":")[0], fields[2].split()[-2]
        found = versions.setdefault((pkg, arch), [])
        if fields[1] not in found:
            found.append(fields[1])
    for found in versions.values():
        found.sort(key=functools.cmp_to_key(compare_versions), reverse=True)
    return versions


def compare_versions(a, b):
    if a == b:
        return 0
    lower = subprocess.run(["dpkg", "--compare-versions", a, "lt", b]).returncode == 0
    return -1 if lower else 1


def choose_version(pkg, versions, warnings):
    """The highest version both architectures have.  Returns {arch: version}."""
    amd, arm = versions.get((pkg, "amd64")), versions.get((pkg, "arm64"))
    if not amd or not arm:
        raise RuntimeError(f"package {pkg} not available for "
                           f"{'amd64' if not amd else 'arm64'}")
    for version in amd:
        if version in arm:
            return {"amd64": version, "arm64": version}
    warnings.append(f"{pkg}: no common version (amd64 {amd[0]}, arm64 {arm[0]})")
    return {"amd64": amd[0], "arm64": arm[0]}


def runtime_dependencies(chosen):
    """Library packages (first alternative of each Depends/Pre-Depends
    entry) of chosen {pkg: {arch: version}}, from one `apt-cache show`."""
    queries = [f"{p}:{a}={v[a]}" for p, v in chosen.items() for a in ARCHES]
    deps = set()
    for line in apt_output(["show", *queries]).splitlines():
        if not (line.startswith("Depends:") or line.startswith("Pre-Depends:")):
            continue
        for entry in line.split(":", 1)[1].split(","):
            name = entry.split("|")[0].strip().split(" ")[0].split(":")[0]
            if name.startswith("lib") or name == "zlib1g":
                deps.add(name)
    return deps


def resolve_packages(roots):
    """Close roots over their library dependencies, a wave of packages at a
    time.  Returns (manifest {pkg: {arch: version}}, warnings)."""
    if not available_versions(["libc6"]).get(("libc6", "arm64")):
        apt_update()
    manifest, warnings = {}, []
    wave = set(ALWAYS) | set(roots)
    while wave:
        versions = available_versions(sorted(wave))
        chosen = {p: choose_version(p, versions, warnings) for p in sorted(wave)}
        manifest.update(chosen)
        wave = runtime_dependencies(chosen) - set(manifest)
    return dict(sorted(manifest.items())), warnings


def manifest_text(manifest):
    return "".join(f"{pkg}\t{v['amd64']}\t{v['arm64']}\n"
                   for pkg, v in manifest.items())


def deb_file_name(pkg, version, arch):
    return f"{pkg}_{version.replace(':', '%3a')}_{arch}.deb"


def download_debs(manifest, deb_dir):
    os.makedirs(deb_dir, exist_ok=True)
    wanted = []
    for pkg, versions in manifest.items():
        for arch in ARCHES:
            name = deb_file_name(pkg, versions[arch], arch)
            if not os.path.exists(os.path.join(deb_dir, name)):
                wanted.append(f"{pkg}:{arch}={versions[arch]}")
    if wanted:
        log(f"downloading {len(wanted)} packages")
        sandbox = ["-o", "APT::Sandbox::User=root"] if os.geteuid() == 0 else []
        subprocess.run(["apt-get", "download", *APT_ARCH_OPTS, *sandbox, *wanted],
                       cwd=deb_dir, check=True, stdout=subprocess.DEVNULL)


def extract_sysroot(manifest, deb_dir, root, arch):
    tmp = root + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    for pkg, versions in manifest.items():
        deb = os.path.join(deb_dir, deb_file_name(pkg, versions[arch], arch))
        subprocess.run(["dpkg-deb", "-x", deb, tmp], check=True)
    make_absolute_links_relative(tmp)
    shutil.rmtree(root, ignore_errors=True)
    os.rename(tmp, root)


def make_absolute_links_relative(root):
    """A link to /lib/x... must point into the sysroot, not at the host."""
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            link = os.path.join(dirpath, name)
            if not os.path.islink(link):
                continue
            target = os.readlink(link)
            if target.startswith("/"):
                inside = os.path.join(root, target.lstrip("/"))
                os.unlink(link)
                os.symlink(os.path.relpath(inside, dirpath), link)


def parse_manifest(text):
    manifest = {}
    for line in text.splitlines():
        pkg, amd, arm = line.split("\t")
        manifest[pkg] = {"amd64": amd, "arm64": arm}
    return manifest


def pinned_manifest(cache, roots, refresh):
    """The resolved package set, kept in cache/packages.tsv so later runs
    use the same versions (and do not ask apt again) until the roots change
    or refresh is asked for."""
    path = os.path.join(cache, "packages.tsv")
    key = "# roots: " + " ".join(sorted(set(roots))) + "\n"
    if not refresh and os.path.exists(path):
        text = open(path).read()
        if text.startswith(key):
            return parse_manifest(text[len(key):]), []
    log("resolving package versions (apt-cache)")
    manifest, warnings = resolve_packages(roots)
    os.makedirs(cache, exist_ok=True)
    with open(path, "w") as f:
        f.write(key + manifest_text(manifest))
    return manifest, warnings


def ensure_sysroots(cache, roots, refresh=False):
    """Build (or reuse) cache/sysroot-amd64 and cache/sysroot-arm64 holding
    the packages roots and their libraries.  Returns (paths, manifest,
    warnings)."""
    manifest, warnings = pinned_manifest(cache, roots, refresh)
    text = manifest_text(manifest)
    deb_dir = os.path.join(cache, "debs")
    paths = {arch: os.path.join(cache, f"sysroot-{arch}") for arch in ARCHES}
    for arch in ARCHES:
        stamp = paths[arch] + ".manifest"
        if os.path.isdir(paths[arch]) and os.path.exists(stamp) \
                and open(stamp).read() == text:
            continue
        download_debs(manifest, deb_dir)
        log(f"unpacking {len(manifest)} packages into {paths[arch]}")
        extract_sysroot(manifest, deb_dir, paths[arch], arch)
        with open(stamp, "w") as f:
            f.write(text)
    return paths, manifest, warnings


def library_path(root, arch):
    """The directories a native (amd64) run searches for shared libraries."""
    t = LIB_TRIPLET[arch]
    return ":".join(os.path.join(root, d) for d in
                    (f"lib/{t}", f"usr/lib/{t}", "lib", "usr/lib"))


def native_loader(root):
    return os.path.join(root, "lib64", "ld-linux-x86-64.so.2")


def find_program(root, name):
    """Path of program name inside a sysroot (usr/bin, bin, sbin...)."""
    for d in ("usr/bin", "bin", "usr/sbin", "sbin"):
        path = os.path.join(root, d, name)
        if os.path.lexists(path):
            return path
    raise FileNotFoundError(f"{name} not found in {root}")
