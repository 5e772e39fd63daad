"""Rebuild time in a warm process (what `explainer serve` does on an edit) for a site that holds a
post with ten figures, when another post is edited: the figure page must be reused, not redrawn.

    python bench/figure_reuse.py [--posts 100] [--edits 10]

Trains two small experiments once (a few seconds, cached in the temporary folder), then prints the
median and worst rebuild time over `--edits` edits of an unrelated post, the pages rendered per
rebuild, and the same after an edit to the figure post itself (which must redraw it).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus  # noqa: E402

VIEWS = ["reconstructions", "latent", "latent-explorer", "traversal", "training", "reconstructions",
         "latent", "traversal", "training", "latent-explorer"]


def figure_post() -> str:
    blocks = []
    for i, view in enumerate(VIEWS):
        latent = 2 if i % 2 == 0 else 8
        if view in ("latent-explorer", "latent") and latent != 2:
            latent = 2
        blocks.append(f"```figure\nid: fig-{i}\nview: {view}\n"
                      f"experiment: {{model: ae, dataset: digits, latent_dim: {latent}, steps: 300}}\n"
                      f"caption: Figure {i}.\n```\n")
    return "---\ntitle: Ten figures\ndate: 2030-01-01\n---\n\n" + "\n".join(blocks)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--posts", type=int, default=100)
    ap.add_argument("--edits", type=int, default=10)
    args = ap.parse_args()
    from explainer.pipeline import BuildOptions, build

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        paths = write_corpus(work / "content", args.posts, "svg")
        (work / "content" / "posts" / "2030-01-01-ten-figures.md").write_text(figure_post())
        os.chdir(work)
        opts = BuildOptions(content=Path("content"), out=Path("site"), cache_dir=Path(".cache"),
                            save_post_memo=False)
        t = time.perf_counter()
        build(opts, log=lambda line: None)
        print(f"first build (trains 2 experiments, {args.posts + 1} pages): {time.perf_counter() - t:.1f} s")
        build(opts, log=lambda line: None)  # warm the process as the preview server's first build does
        times, rendered = [], []
        target = paths[len(paths) // 2]
        for k in range(args.edits):
            target.write_text(target.read_text() + f"\nEdit {k}.\n")
            t = time.perf_counter()
            report = build(opts, log=lambda line: None)
            times.append(time.perf_counter() - t)
            rendered.append(report.pages_rendered)
        print(f"edit to another post: median {statistics.median(times) * 1000:.0f} ms, worst "
              f"{max(times) * 1000:.0f} ms, pages rendered per rebuild {sorted(set(rendered))} (target ≤ 50 ms)")
        fig = work / "content" / "posts" / "2030-01-01-ten-figures.md"
        fig.write_text(fig.read_text() + "\nAn edited sentence.\n")
        t = time.perf_counter()
        report = build(opts, log=lambda line: None)
        print(f"edit to the figure post: {(time.perf_counter() - t) * 1000:.0f} ms, "
              f"pages rendered {report.pages_rendered} (its figures drawn again from cached results)")


if __name__ == "__main__":
    main()
