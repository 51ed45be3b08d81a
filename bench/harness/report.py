"""ferry bench: results -- per-workload medians, ratios, geometric means,
the printed table, and the .txt/.tsv files kept in bench/results/.

A (workload, runner) pair is "ok" when every round exited 0 with the same
output as the reference runner (native, or qemu when native was not run);
otherwise it is "failed" (bad exit, signal, timeout, cannot start) or
"mismatch" (ran, but printed something else), and shows no time.
"""

import math
import statistics
from dataclasses import dataclass, field
from typing import Dict, List


@dataclass
class Cell:
    """All rounds of one workload under one runner."""
    walls: List[float] = field(default_factory=list)
    cpus: List[float] = field(default_factory=list)
    users: List[float] = field(default_factory=list)
    syss: List[float] = field(default_factory=list)
    rss: List[float] = field(default_factory=list)     # peak resident MiB per round
    status: str = "ok"
    detail: str = ""
    digest: str = ""
    repeat: int = 1

    def add(self, wall, user, sys, maxrss_kib=0):
        self.walls.append(wall)
        self.rss.append(maxrss_kib / 1024)
        self.users.append(user)
        self.syss.append(sys)
        self.cpus.append(user + sys)

    def fail(self, status, detail):
        if self.status == "ok":
            self.status, self.detail = status, detail

    @property
    def ok(self):
        return self.status == "ok" and bool(self.walls)

    def median(self, what):
        values = getattr(self, what)
        return statistics.median(values) if values else float("nan")


def ratio(cells, top, bottom, what):
    a, b = cells.get(top), cells.get(bottom)
    if not (a and b and a.ok and b.ok):
        return None
    denominator = b.median(what)
    return a.median(what) / denominator if denominator > 0 else None


def geomean(values):
    values = [v for v in values if v is not None and v > 0]
    if not values:
        return None
    return math.exp(sum(math.log(v) for v in values) / len(values)), len(values)


RATIOS = [("ferry", "qemu"), ("ferry", "native"), ("ferry-cold", "qemu"), ("qemu", "native")]


def fmt_time(cell, what):
    if cell is None:
        return "-"
    if not cell.ok:
        return cell.status
    return f"{cell.median(what):.3f}"


def fmt_ratio(value):
    return "-" if value is None else f"{value:.2f}"


def table(results, runners):
    """results: {workload: {runner: Cell}} in workload order.  Two header
    lines: a group (wall s, cpu s, one per ratio) over the runner names."""
    pairs = [(a, b) for a, b in RATIOS if a in runners and b in runners]
    groups = [("wall s (median)", runners), ("cpu s (median)", runners)] + \
             [(f"{a}/{b}", ["wall", "cpu"]) for a, b in pairs]
    rows = [["workload"] + [col for _, cols in groups for col in cols]]
    for name, cells in results.items():
        row = [name] + [fmt_time(cells.get(r), "walls") for r in runners] \
            + [fmt_time(cells.get(r), "cpus") for r in runners]
        for a, b in pairs:
            row += [fmt_ratio(ratio(cells, a, b, "walls")), fmt_ratio(ratio(cells, a, b, "cpus"))]
        rows.append(row)
    geo = ["geomean"] + [""] * (2 * len(runners))
    counts = []
    for a, b in pairs:
        for what in ("walls", "cpus"):
            g = geomean([ratio(c, a, b, what) for c in results.values()])
            geo.append("-" if g is None else f"{g[0]:.2f}")
        g = geomean([ratio(c, a, b, "walls") for c in results.values()])
        counts.append(f"{a}/{b} over {g[1] if g else 0} workloads")
    rows.append(geo)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    widths = [widths[0]] + [max(w, 6) for w in widths[1:]]
    group_line, column = [" " * widths[0]], 1
    for title, cols in groups:
        span = sum(widths[column:column + len(cols)]) + 2 * (len(cols) - 1)
        group_line.append(title.center(span))
        column += len(cols)
    lines = ["  ".join(group_line).rstrip()]
    for i, row in enumerate(rows):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        lines.append("  ".join(cells).rstrip())
        if i == 0 or i == len(rows) - 2:
            lines.append("-" * len(lines[1]))
    lines.append("geomean: " + "; ".join(counts) + " (workloads both runners ran correctly)")
    return "\n".join(lines)


def memory_lines(results, runners):
    """Peak resident memory (median MiB) per runner and the ratios."""
    pairs = [(a, b) for a, b in RATIOS if a in runners and b in runners and a == "ferry"]
    head = ["workload"] + runners + [f"{a}/{b}" for a, b in pairs]
    rows = [head]
    for name, cells in results.items():
        row = [name] + [f"{cells[r].median('rss'):.1f}" if cells.get(r) and cells[r].ok else
                          (cells[r].status if cells.get(r) else "-") for r in runners]
        row += [fmt_ratio(ratio(cells, a, b, "rss")) for a, b in pairs]
        rows.append(row)
    geo = ["geomean"] + [""] * len(runners)
    for a, b in pairs:
        g = geomean([ratio(c, a, b, "rss") for c in results.values()])
        geo.append("-" if g is None else f"{g[0]:.2f}")
    rows.append(geo)
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    return ["  ".join([r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]).rstrip()
            for r in rows]


def startup_lines(results, runners):
    """Mean milliseconds per run for the repeated (start-up) workloads."""
    lines = []
    for name, cells in results.items():
        first = next(iter(cells.values()))
        if first.repeat <= 1:
            continue
        parts = []
        for r in runners:
            c = cells.get(r)
            if c is None:
                continue
            parts.append(f"{r} {c.median('walls') / c.repeat * 1000:.2f} ms "
                         f"(cpu {c.median('cpus') / c.repeat * 1000:.2f} ms)" if c.ok
                         else f"{r} {c.status}")
        lines.append(f"  {name} ({first.repeat} runs per sample): " + ", ".join(parts))
    return lines


def failure_lines(results):
    lines = []
    for name, cells in results.items():
        for runner, c in cells.items():
            if not c.ok:
                lines.append(f"  {name}: {runner}: {c.status}"
                             + (f" -- {c.detail}" if c.detail else ""))
    return lines


def render(results, runners, header_lines):
    out = header_lines + ["", "medians in seconds (wall = elapsed, cpu = user+sys "
                          "of the process and its children); ratios < 1 mean faster", "",
                          table(results, runners)]
    out += ["", "peak resident memory, MiB (median; a process tree's largest process):"] + \
        memory_lines(results, runners)
    starts = startup_lines(results, runners)
    if starts:
        out += ["", "start-up, mean wall per run:"] + starts
    fails = failure_lines(results)
    if fails:
        out += ["", "not ok:"] + fails
    return "\n".join(out) + "\n"


def tsv(results, header_lines):
    lines = ["# " + h for h in header_lines]
    lines.append("\t".join(["workload", "runner", "status", "rounds", "repeat",
                            "wall_median", "cpu_median", "user_median", "sys_median",
                            "walls", "output_sha256_16", "detail", "maxrss_mib_median"]))
    for name, cells in results.items():
        for runner, c in cells.items():
            lines.append("\t".join([
                name, runner, c.status, str(len(c.walls)), str(c.repeat),
                f"{c.median('walls'):.6f}", f"{c.median('cpus'):.6f}",
                f"{c.median('users'):.6f}", f"{c.median('syss'):.6f}",
                ",".join(f"{w:.6f}" for w in c.walls), c.digest,
                c.detail.replace("\t", " "), f"{c.median('rss'):.1f}"]))
    return "\n".join(lines) + "\n"
