"""A polling file watcher: stat every watched file every ~50 ms and compare.

No dependency and no OS-specific API; a content folder of a few hundred files is stat'ed in about a
millisecond, which is cheap next to the edit-to-reload budget. Editors that save by truncating and
then writing are handled by waiting until two scans in a row agree before reporting a change.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

# Editor droppings that are not content: backups, swap files, lock files.
_IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".tmp", ".part")


def _ignored(name: str) -> bool:
    return name.startswith((".", "#")) or name.endswith(_IGNORED_SUFFIXES) or name == "__pycache__"


def scan(roots: list[Path]) -> dict[str, tuple[int, int]]:
    """path -> (mtime_ns, size) of every file under `roots` (a root may also be a single file)."""
    found: dict[str, tuple[int, int]] = {}
    stack = [str(r) for r in roots]
    while stack:
        top = stack.pop()
        try:
            if not os.path.isdir(top):
                st = os.stat(top)
                found[top] = (st.st_mtime_ns, st.st_size)
                continue
            with os.scandir(top) as it:
                for entry in it:
                    if _ignored(entry.name):
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                    else:
                        st = entry.stat()
                        found[entry.path] = (st.st_mtime_ns, st.st_size)
        except OSError:
            continue  # deleted while we looked: the next scan sees it gone
    return found


def diff(old: dict, new: dict) -> set[str]:
    return {p for p in old.keys() | new.keys() if old.get(p) != new.get(p)}


class PollingWatcher:
    def __init__(self, roots: list[Path], interval: float = 0.05, settle: float = 0.015):
        self.roots, self.interval, self.settle = list(roots), interval, settle
        self.last = scan(self.roots)

    def poll(self) -> set[str]:
        """Paths changed since the last call (created, modified or deleted); empty if none."""
        now = scan(self.roots)
        changed = diff(self.last, now)
        while changed:  # wait for the writer to finish: two scans that agree
            time.sleep(self.settle)
            again = scan(self.roots)
            if again == now:
                break
            changed |= diff(now, again)
            now = again
        self.last = now
        return changed

    def wait(self, stop, timeout: float | None = None) -> set[str]:
        """Poll until something changed, `stop` (a threading.Event) is set, or `timeout` passes."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not stop.is_set():
            changed = self.poll()
            if changed:
                return changed
            if deadline is not None and time.monotonic() >= deadline:
                break
            stop.wait(self.interval)
        return set()
