"""Peak memory of a command's whole process tree (the build and its page workers), for the build
benchmark.

The tree is sampled every 20 ms with psutil and the peak of the sum of its processes' resident sets
is kept: a forked worker counts the pages it shares with its parent again, so this over-states
what the machine needed (never under-states it). Without psutil, the largest single process's peak
(`ru_maxrss` of the children) is reported instead, and labelled so.
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


@dataclass
class Measured:
    cpu: float  # user + system seconds of the process tree
    wall: float
    peak_mb: float  # peak resident memory of the tree (see `how`)
    how: str  # "tree" (sum over the tree, sampled) or "largest process"


def measured_run(args: list[str], cwd: Path, env: dict | None = None) -> Measured:
    """Run `args` in `cwd` to the end; exits with its output when it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak: list[int] = []
    sampler = threading.Thread(target=_sample, args=(proc, peak), daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - t
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"{args[0]} failed:\n{out[-1500:]}\n{err[-1500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if peak:
        return Measured(cpu, wall, max(peak) / 2**20, "tree")
    return Measured(cpu, wall, after.ru_maxrss / 1024, "largest process")  # ru_maxrss is in KiB


def _sample(proc: subprocess.Popen, peak: list[int]) -> None:
    try:
        import psutil
    except ImportError:
        return
    try:
        root = psutil.Process(proc.pid)
    except psutil.Error:
        return
    while proc.poll() is None:
        total = 0
        try:
            tree = [root, *root.children(recursive=True)]
        except psutil.Error:
            break
        for p in tree:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass  # ended between the listing and the reading
        peak.append(max(total, peak.pop() if peak else 0))
        time.sleep(SAMPLE_S)
