"""Errors and warnings that point at the author's source.

Every content problem is a `Diagnostic` carrying the file, line and column it came from. Stages
collect diagnostics into a `Diagnostics` list instead of raising on the first problem, so an author
sees every mistake in one build; the pipeline raises `ContentError` once a stage has finished with
errors. `cli.py` is the one place that turns these into printed messages and exit codes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


class ExplainerError(Exception):
    """A problem the user can fix; printed without a traceback."""


@dataclass(frozen=True)
class Diagnostic:
    path: str
    line: int | None
    message: str
    severity: str = "error"  # "error" | "warning"
    col: int | None = None

    def __str__(self) -> str:
        # Always path:line:col, the form editors and CI annotators parse; a problem of the whole file
        # (no line known) points at its start rather than printing "None".
        line = self.line if isinstance(self.line, int) and self.line > 0 else 1
        col = self.col if isinstance(self.col, int) and self.col > 0 else 1
        return f"{self.path}:{line}:{col}: {self.severity}: {self.message}"

    def to_json(self) -> dict:
        return {"path": self.path, "line": self.line, "col": self.col,
                "severity": self.severity, "message": self.message}


def _display_path(path: str | Path) -> str:
    """Paths relative to the working directory read better in a terminal and stay clickable."""
    # abspath, not resolve(): a warning about a symlink must name the link, not its target.
    p = Path(os.path.abspath(path))
    try:
        return str(p.relative_to(Path(os.path.abspath(os.getcwd()))))
    except ValueError:
        return str(p)


@dataclass
class Diagnostics:
    """An ordered collection of errors and warnings; one per build, or per page in a worker."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path, line, message, col=None) -> None:
        self.items.append(Diagnostic(_display_path(path), line, message, "error", col))

    def warn(self, path, line, message, col=None) -> None:
        self.items.append(Diagnostic(_display_path(path), line, message, "warning", col))

    def extend(self, other: "Diagnostics | list[Diagnostic]") -> None:
        self.items.extend(other.items if isinstance(other, Diagnostics) else other)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise ContentError(self.errors)


class ContentError(ExplainerError):
    """One or more problems in the author's content; the build stops and writes nothing."""

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic):
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    @classmethod
    def at(cls, path, line, message, col=None) -> "ContentError":
        return cls(Diagnostic(_display_path(path), line, message, "error", col))
