"""Build speed: clean build and one-post-changed rebuild of generated sites, against peers.

    python bench/build_speed.py [--sizes 100 1000] [--math svg client] [--peers]
    python bench/peers.py --setup      # once: installs Jekyll, Hugo (Debian) and Pelican (a venv)

Prints, per site size and math mode: clean-build wall and CPU time and ms/page, the rebuild time after
editing one post, a warm no-op rebuild, and bytes per page. Each build runs in a fresh process (as an
author's `python build.py` does), timed from the outside; CPU is user + system of the process tree.
Peak memory is the peak of the summed resident memory of the build's process tree (parent and page
workers, sampled: bench/peak_memory.py), for the clean build with a cold math cache and again with a
warm one, next to Pelican's clean build of the same corpus in the same run, as a ratio.
With --peers, the same corpus is built by every installed peer in the same run and the ratio
explainer/peer printed (a peer that is not installed is skipped, and named).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus  # noqa: E402
from peak_memory import Measured, measured_run  # noqa: E402
from peers import available, missing, time_peer  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


# Bytecode caches allowed (as a pip-installed package has them), whatever this shell says: without
# them a fresh process compiles the package's imported sources again, ~0.08 s of every rebuild.
BUILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

LAST_CPU: list[float] = []  # CPU seconds of each timed_build, in order
LAST_PEAK: list[Measured] = []  # the same builds' measurements (peak memory)


def timed_build(work: Path) -> float:
    """Wall seconds of one `python build.py` in a fresh process (its CPU seconds go to LAST_CPU)."""
    m = measured_run([sys.executable, str(REPO / "build.py"), "-q", "--content", "content",
                      "--out", "site", "--cache-dir", ".cache"], work, env=BUILD_ENV)
    LAST_CPU.append(m.cpu)
    LAST_PEAK.append(m)
    return m.wall


_PELICAN_PEAK: dict[int, Measured | None] = {}  # per corpus size: Pelican's clean build (no math: any mode)


def pelican_peak(paths: list[Path], work: Path) -> Measured | None:
    n = len(paths)
    if n not in _PELICAN_PEAK:
        make = available().get("pelican")
        root = work / "peers" / "pelican-memory"
        _PELICAN_PEAK[n] = measured_run(make(paths, root), root) if make else None
        shutil_rm(work / "peers")
    return _PELICAN_PEAK[n]


def memory_column(cold: Measured, warm: Measured, pelican: Measured | None) -> str:
    """Peak RSS summed over the process tree (and PSS, the tree's real footprint), cold and warm
    math cache, against Pelican's clean build."""
    what = "" if cold.how == "tree" else f" ({cold.how})"
    line = f"peak RSS{what} {cold.peak_mb:4.0f} MB cold math, {warm.peak_mb:4.0f} MB warm"
    if cold.pss_mb and warm.pss_mb:
        line += f" (PSS {cold.pss_mb:4.0f} / {warm.pss_mb:4.0f} MB)"
    if pelican is None:
        return line + " (Pelican not installed: python bench/peers.py --setup)"
    return (line + f" | Pelican {pelican.peak_mb:4.0f} MB, explainer/Pelican {cold.peak_mb / pelican.peak_mb:4.2f}x "
            f"cold, {warm.peak_mb / pelican.peak_mb:4.2f}x warm")


def run(n: int, mode: str, peers: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        paths = write_corpus(work / "content", n, mode)
        if peers:
            compare_peers(work, paths, mode)
        clean = timed_build(work)
        clean_cpu, clean_peak = LAST_CPU[-1], LAST_PEAK[-1]
        pages = sorted((work / "site" / "blog").rglob("index.html"))
        size = sum(p.stat().st_size for p in pages) / len(pages)
        noop = timed_build(work)
        edit, edit_cpu, start = one_post_changed(work, paths[n // 2])
        import shutil
        shutil.rmtree(work / "site")
        shutil.rmtree(work / ".cache" / "manifest.json", ignore_errors=True)
        (work / ".cache" / "manifest.json").unlink(missing_ok=True)
        warm_clean = timed_build(work)  # site/ deleted, caches (math) kept
        warm_peak = LAST_PEAK[-1]
        pelican = pelican_peak(paths, work)
        in_process = rebuild_in_process(work, paths[n // 3])
    print(f"N={n:5d} math={mode:6s} clean {clean:6.2f} s = {clean / n * 1000:5.1f} ms/page "
          f"(CPU {clean_cpu:6.2f} s) | one post changed {edit:5.3f} s (CPU {edit_cpu:5.3f} s; median of "
          f"{EDITS}, beside an empty `python -c pass` {start:5.3f} s) | no-op {noop:5.2f} s | "
          f"clean with warm caches {warm_clean:5.2f} s = {warm_clean / n * 1000:5.1f} ms/page | "
          f"{size / 1024:5.1f} KB/page | one post changed, warm process (as `serve`) "
          f"{in_process * 1000:5.0f} ms | {memory_column(clean_peak, warm_peak, pelican)}", flush=True)


EDITS = 7  # one-post rebuilds timed per size, each after its own edit: medians


def one_post_changed(work: Path, target: Path) -> tuple[float, float, float]:
    """Median wall and CPU seconds of a fresh-process rebuild after a one-line edit of `target`,
    and of an empty interpreter start (`python -c pass`) interleaved with them: the floor no
    build can go under, measured under the same load."""
    import statistics
    walls, cpus, starts = [], [], []
    for k in range(EDITS):
        target.write_text(target.read_text().replace("## Conclusion", f"## Conclusion\n\nAn edited line ({k})."))
        walls.append(timed_build(work))
        cpus.append(LAST_CPU[-1])
        starts.append(measured_run([sys.executable, "-c", "pass"], work, env=BUILD_ENV).wall)
    return statistics.median(walls), statistics.median(cpus), statistics.median(starts)


def compare_peers(work: Path, paths: list[Path], mode: str) -> None:
    """Clean build and one-post rebuild of the same corpus by explainer and each installed peer,
    CPU seconds, interleaved so machine load hits all alike."""
    if missing():
        print(f"  peers not installed (skipped): {', '.join(missing())}; python bench/peers.py --setup")
    cold = cpu_build(work)
    shutil_rm(work / "site")
    (work / ".cache" / "manifest.json").unlink(missing_ok=True)
    warm_clean = cpu_build(work)  # math cache (and posts memo) warm, site rebuilt
    target = paths[len(paths) // 2]
    target.write_text(target.read_text() + "\nEdited for the peers run.\n")
    ours_edit = cpu_build(work)
    print(f"  explainer math={mode}: clean CPU {cold:.2f} s (math cache cold), {warm_clean:.2f} s "
          f"(math cache warm); one post edited CPU {ours_edit:.2f} s")
    for name in available():
        clean_cpu, clean_wall = time_peer(name, paths, work / "peers")
        target.write_text(target.read_text() + "\nEdited again.\n")
        edit_cpu, _ = time_peer(name, paths, work / "peers")  # peers rebuild all: the edit costs a build
        print(f"  {name:8s} clean CPU {clean_cpu:6.2f} s (wall {clean_wall:5.2f} s) | one post edited CPU "
              f"{edit_cpu:5.2f} s | explainer/{name}: clean {cold / clean_cpu:4.2f}x cold math, "
              f"{warm_clean / clean_cpu:4.2f}x warm; one post edited {ours_edit / edit_cpu:4.2f}x")
    for leftover in ("site", ".cache", "peers"):
        shutil_rm(work / leftover)


def cpu_build(work: Path) -> float:
    timed_build(work)
    return LAST_CPU[-1]


def shutil_rm(path: Path) -> None:
    import shutil
    shutil.rmtree(path, ignore_errors=True)


def rebuild_in_process(work: Path, target: Path) -> float:
    """What the preview server does on an edit: an incremental build in a process that has built
    before (parser, templates and MathJax already loaded)."""
    sys.path.insert(0, str(REPO))
    from explainer.pipeline import BuildOptions, build
    cwd = os.getcwd()
    os.chdir(work)
    try:
        opts = BuildOptions(content=Path("content"), out=Path("site"), cache_dir=Path(".cache"),
                            save_post_memo=False)  # as the preview server builds
        build(opts, log=lambda line: None)
        times = []
        for k in range(5):
            target.write_text(target.read_text() + f"\nEdit {k}.\n")
            t = time.perf_counter()
            build(opts, log=lambda line: None)
            times.append(time.perf_counter() - t)
        return sorted(times)[len(times) // 2]
    finally:
        os.chdir(cwd)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    ap.add_argument("--math", nargs="+", default=["client", "svg"])
    ap.add_argument("--peers", action="store_true", help="also build the corpus with Jekyll, Hugo, Pelican")
    args = ap.parse_args()
    for mode in args.math:
        for n in args.sizes:
            run(n, mode, args.peers)


if __name__ == "__main__":
    main()
