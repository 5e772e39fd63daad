"""The summary printed at the end of a build, its JSON copy under .cache/, and the progress bar.

    built site/ in 4.21 s: 3 pages rendered, 97 unchanged; 5 files written, 0 removed
      experiments: 2 cached, 1 trained
        trained DAE σ=0.3 (why: config changed: steps 6000→9000) in 4.1 s on cpu · …
      math: 31 formulas on the rendered pages; MathJax typeset 1 page, the rest came from the cache
      time: read 14 ms · plan 4 ms · parse 310 ms · figures 3.8 s · layout 9 ms · write 12 ms
      heaviest: 412.0 KB blog/2023/autoencoders/index.html · …
      2 warnings (-v lists them)

`-q` prints nothing but errors; `-v` adds every warning, every cached experiment and the five
heaviest pages.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time

from ..base.files import write_atomic


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _duration(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.1f} s"


def summary_lines(report, seconds: float, out_dir, math_pages: dict | None = None,
                  verbose: bool = False) -> list[str]:
    f = report.files
    lines = [f"built {out_dir}/ in {seconds:.2f} s: {_plural(report.pages_rendered, 'page')} rendered, "
             f"{report.pages_skipped} unchanged; {_plural(f.get('written', 0), 'file')} written, "
             f"{f.get('removed', 0)} removed"]
    cached = [e for e in report.experiments if e.startswith("cached")]
    other = [e for e in report.experiments if not e.startswith("cached")]
    if report.experiments:
        lines.append(f"  experiments: {len(cached)} cached, {len(other)} trained")
        lines += [f"    {e}" for e in (report.experiments if verbose else other)]
    if report.formulas:
        text = f"  math: {_plural(report.formulas, 'formula')} on the rendered pages"
        if math_pages is not None:
            n = math_pages["typeset"]
            text += ("; all from the cache" if n == 0 else "; MathJax typeset every page" if
                     n >= report.pages_rendered else f"; MathJax typeset {_plural(n, 'page')}, "
                     "the rest came from the cache")
        lines.append(text)
    if report.stages:
        lines.append("  time: " + " · ".join(f"{k} {_duration(v)}" for k, v in report.stages.items()))
    if report.heaviest:
        top = report.heaviest[: 5 if verbose else 3]
        lines.append("  heaviest: " + " · ".join(f"{size / 1024:.1f} KB {rel}" for size, rel in top))
    if report.warnings and not verbose:
        lines.append(f"  {_plural(len(report.warnings), 'warning')} (-v lists them)")
    return lines


def report_json(report, seconds: float, math_pages: dict | None = None) -> dict:
    data = dataclasses.asdict(report)
    data.pop("diagnostics", None)  # a build that got here has no errors; warnings are listed
    data["heaviest"] = [{"bytes": size, "path": rel} for size, rel in report.heaviest]
    data["experiments"] = [{"status": "cached" if e.startswith("cached") else "trained", "line": e}
                           for e in report.experiments]
    data["seconds"] = round(seconds, 3)
    if math_pages is not None:
        data["math_pages"] = math_pages
    return data


def print_report(report, seconds: float, opts, quiet: bool = False, verbose: bool = False,
                 math_pages: dict | None = None) -> None:
    write_atomic(opts.cache_dir / "build-report.json",
                 json.dumps(report_json(report, seconds, math_pages), indent=1, default=str).encode())
    out = sys.stderr
    if quiet:
        return
    if verbose:
        for w in report.warnings:
            print(w, file=out)
    for line in summary_lines(report, seconds, opts.out, math_pages, verbose):
        print(line, file=out)


class ProgressBar:
    """`progress(stage, done, total)` for `pipeline.build`: one self-rewriting line on a terminal,
    shown only once a stage has run for half a second, and never when the output is not a TTY."""

    def __init__(self, stream=None, delay: float = 0.5, width: int = 30, enabled: bool = True):
        self.stream = stream or sys.stderr
        self.enabled = enabled and hasattr(self.stream, "isatty") and self.stream.isatty()
        self.delay, self.width = delay, width
        self.started: dict[str, float] = {}
        self.drawn, self.last = False, 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        start = self.started.setdefault(stage, now)
        finished = done >= total
        if now - start < self.delay or (not finished and now - self.last < 0.1):
            return
        self.last = now
        filled = int(self.width * done / max(total, 1))
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(f"\r  {stage:<8} [{bar}] {done}/{total}")
        self.drawn = True
        if finished:
            self.clear()

    def clear(self) -> None:
        if self.drawn:
            self.stream.write("\r" + " " * (self.width + 30) + "\r")
            self.stream.flush()
            self.drawn = False
