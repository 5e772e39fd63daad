"""Peak memory of a command's whole process tree (the build and its page workers), for the build
benchmark.

The tree is sampled every 20 ms with psutil and the peak of the sum of its processes' resident sets
(RSS) is kept. That sum counts a page shared by several processes once per process (the pages a
forked worker shares with its parent, the 40 MB V8 library each math worker maps), so it
over-states what the machine gave the tree. The proportional set size (PSS, each shared page split
between its sharers; read from smaps, so sampled every 100 ms) sums to the tree's real footprint;
both peaks are reported. Without psutil, the largest single process's peak (`ru_maxrss` of the
children) is reported instead, and labelled so.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

SAMPLE_S = 0.02
PSS_EVERY = 5  # samples


@dataclass
class Measured:
    cpu: float  # user + system seconds of the process tree
    wall: float
    peak_mb: float  # peak resident memory of the tree (see `how`)
    how: str  # "tree" (sum over the tree, sampled) or "largest process"
    pss_mb: float | None = None  # peak of the tree's summed PSS, where it could be read


def measured_run(args: list[str], cwd: Path, env: dict | None = None) -> Measured:
    """Run `args` in `cwd` to the end; exits with its output when it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak: list[int] = []
    pss: list[int] = []
    sampler = threading.Thread(target=_sample, args=(proc, peak, pss), daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - t
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"{args[0]} failed:\n{out[-1500:]}\n{err[-1500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if peak:
        return Measured(cpu, wall, max(peak) / 2**20, "tree", max(pss) / 2**20 if pss else None)
    return Measured(cpu, wall, after.ru_maxrss / 1024, "largest process")  # ru_maxrss is in KiB


def _sample(proc: subprocess.Popen, peak: list[int], pss: list[int]) -> None:
    try:
        import psutil
    except ImportError:
        return
    try:
        root = psutil.Process(proc.pid)
    except psutil.Error:
        return
    n = 0
    while proc.poll() is None:
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.Error:
            break
        peak.append(max(_summed(tree, lambda p: p.memory_info().rss), peak.pop() if peak else 0))
        if n % PSS_EVERY == 0:
            try:
                pss.append(max(_summed(tree, lambda p: p.memory_full_info().pss), pss.pop() if pss else 0))
            except (AttributeError, psutil.AccessDenied):  # no PSS on this system
                pass
        n += 1
        time.sleep(SAMPLE_S)


def _summed(tree, read) -> int:
    total = 0
    for p in tree:
        try:
            total += read(p)
        except psutil_errors():
            pass  # ended between the listing and the reading
    return total


def psutil_errors():
    import psutil
    return (psutil.NoSuchProcess, psutil.ZombieProcess)
