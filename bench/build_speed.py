"""Build speed: clean build and one-post-changed rebuild of generated sites.

    python bench/build_speed.py [--sizes 100 1000] [--math svg client]

Prints, per site size and math mode: clean-build time and ms/page, the rebuild time after editing one
post, a warm no-op rebuild, and bytes per page. Each build runs in a fresh process (as an author's
`python build.py` does), timed from the outside.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def timed_build(work: Path) -> float:
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, str(REPO / "build.py"), "-q", "--content", "content",
                           "--out", "site", "--cache-dir", ".cache"], cwd=work, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"build failed:\n{proc.stderr[-3000:]}")
    return time.perf_counter() - t


def run(n: int, mode: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        paths = write_corpus(work / "content", n, mode)
        clean = timed_build(work)
        pages = sorted((work / "site" / "blog").rglob("index.html"))
        size = sum(p.stat().st_size for p in pages) / len(pages)
        noop = timed_build(work)
        target = paths[n // 2]
        target.write_text(target.read_text().replace("## Conclusion", "## Conclusion\n\nAn edited line."))
        edit = timed_build(work)
        import shutil
        shutil.rmtree(work / "site")
        shutil.rmtree(work / ".cache" / "manifest.json", ignore_errors=True)
        (work / ".cache" / "manifest.json").unlink(missing_ok=True)
        warm_clean = timed_build(work)  # site/ deleted, caches (math) kept
        in_process = rebuild_in_process(work, paths[n // 3])
    print(f"N={n:5d} math={mode:6s} clean {clean:6.2f} s = {clean / n * 1000:5.1f} ms/page | "
          f"one post changed {edit:5.2f} s | no-op {noop:5.2f} s | "
          f"clean with warm caches {warm_clean:5.2f} s = {warm_clean / n * 1000:5.1f} ms/page | "
          f"{size / 1024:5.1f} KB/page | one post changed, warm process (as `serve`) "
          f"{in_process * 1000:5.0f} ms", flush=True)


def rebuild_in_process(work: Path, target: Path) -> float:
    """What the preview server does on an edit: an incremental build in a process that has built
    before (parser, templates and MathJax already loaded)."""
    import os
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
    args = ap.parse_args()
    for mode in args.math:
        for n in args.sizes:
            run(n, mode)


if __name__ == "__main__":
    main()
