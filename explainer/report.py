"""The summary printed at the end of a build, and its JSON copy under .cache/."""

from __future__ import annotations

import dataclasses
import json
import sys

from .output import write_atomic


def print_report(report, seconds: float, opts, quiet: bool = False, verbose: bool = False) -> None:
    write_atomic(opts.cache_dir / "build-report.json",
                 json.dumps({**dataclasses.asdict(report), "seconds": round(seconds, 3)},
                            indent=1, default=str).encode())
    out = sys.stderr
    for w in report.warnings:
        if not quiet:
            print(w, file=out)
    if quiet:
        return
    f = report.files
    print(f"built {opts.out}/ in {seconds:.2f} s: {report.pages_rendered} pages rendered, "
          f"{report.pages_skipped} unchanged; {f.get('written', 0)} files written, "
          f"{f.get('removed', 0)} removed; {report.formulas} formulas; "
          f"{len(report.warnings)} warning{'s' if len(report.warnings) != 1 else ''}", file=out)
    if verbose:
        stages = ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in report.stages.items())
        print(f"  stages: {stages}", file=out)
        for size, rel in report.heaviest:
            print(f"  {size / 1024:8.1f} KB  {rel}", file=out)
