"""`explainer check`: every content check of a build, without training or writing anything.

Front matter, citations and bibliography, table of contents, math syntax and figure specs come from
the build's own stages (`BuildOptions(check_only=True)`); links, anchors, images and alt text from
links.py on the pages the check rendered in memory. Output is `path:line:col: severity: message`
lines, or JSON for editors and CI.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..base.errors import Diagnostic
from ..pipeline import BuildOptions, build


@dataclass(frozen=True)
class CheckResult:
    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> int:
        return sum(d.severity == "error" for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity == "warning" for d in self.diagnostics)

    def failed(self, strict: bool = False) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)


def _order(d: Diagnostic) -> tuple:
    return (d.path, d.line or 0, d.col or 0)


def run_check(opts: BuildOptions) -> CheckResult:
    import dataclasses
    report = build(dataclasses.replace(opts, check_only=True), log=lambda line: None)
    unique = list(dict.fromkeys(report.diagnostics))  # a problem found by two stages shows once
    return CheckResult(sorted(unique, key=_order))


def format_text(result: CheckResult) -> str:
    lines = [str(d) for d in result.diagnostics]
    e, w = result.errors, result.warnings
    lines.append(f"{e} error{'s' if e != 1 else ''}, {w} warning{'s' if w != 1 else ''}"
                 + (" — fix the errors before building" if e else ""))
    return "\n".join(lines)


def format_json(result: CheckResult) -> str:
    return json.dumps({
        "diagnostics": [d.to_json() for d in result.diagnostics],
        "counts": {"errors": result.errors, "warnings": result.warnings},
    }, indent=1, ensure_ascii=False)
