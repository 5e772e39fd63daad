"""What the preview's builder tells its open pages: which output files changed in which build, and
the current build errors. One writer (the build loop), many readers (one thread per open page)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Snapshot:
    version: int  # bumps on every publish
    build: int  # number of the last finished build (pages are served with it)
    changed_at: dict  # site-relative file -> build that last changed it (a copy)
    errors: list  # [{"where", "severity", "message", "text"}]
    errors_version: int


@dataclass
class PreviewState:
    build: int = 0
    changed_at: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    errors_version: int = 0
    version: int = 0
    closed: bool = False

    def __post_init__(self):
        self._cond = threading.Condition()

    def publish(self, changed: set[str] | None = None, errors: list | None = None) -> None:
        """Record a finished build (`changed` files, possibly none) and/or a new error list."""
        with self._cond:
            if changed is not None:
                self.build += 1
                for rel in changed:
                    self.changed_at[rel] = self.build
            if errors is not None and errors != self.errors:
                self.errors = list(errors)
                self.errors_version += 1
            self.version += 1
            self._cond.notify_all()

    def snapshot(self) -> Snapshot:
        with self._cond:
            return self._snap()

    def _snap(self) -> Snapshot:
        return Snapshot(self.version, self.build, dict(self.changed_at), list(self.errors),
                        self.errors_version)

    def wait_for_change(self, seen_version: int, timeout: float) -> Snapshot | None:
        """Block until the state differs from `seen_version` (or `timeout`); None once closed."""
        with self._cond:
            self._cond.wait_for(lambda: self.closed or self.version != seen_version, timeout)
            return None if self.closed else self._snap()

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()
