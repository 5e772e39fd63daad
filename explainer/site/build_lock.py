"""One build at a time per output folder and per cache: a second one waits, and says for whom.

Two builds writing the same `site/` or `.cache/` would each publish a site made from their own
view of the content, and whichever finished last would win. An advisory `flock` on a lock file
beside each (`.cache/build.lock`, `.site.lock` next to `site/`) makes the second build wait. The
kernel drops the lock when its holder dies, so a killed build never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

from ..base.errors import ExplainerError

WAIT_LIMIT_S = 1800.0  # a build that trains may hold the lock for minutes; half an hour is not normal


def lock_files(out: Path, cache_dir: Path) -> list[Path]:
    return [cache_dir / "build.lock", out.parent / f".{out.name}.lock"]


@contextmanager
def build_lock(out: Path, cache_dir: Path, log=print, wait_limit_s: float = WAIT_LIMIT_S):
    """Hold both locks for the body; always taken in the same order, so two builds cannot deadlock."""
    with ExitStack() as stack:
        for path in lock_files(out, cache_dir):
            stack.enter_context(_locked(path, log, wait_limit_s))
        yield


@contextmanager
def _locked(path: Path, log, wait_limit_s: float):
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _try_lock(fd):
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "?"
            log(f"waiting for another build (pid {holder}) holding {path} to finish")
            deadline = time.monotonic() + wait_limit_s
            while not _try_lock(fd):
                if time.monotonic() > deadline:
                    raise ExplainerError(f"{path}: another build (pid {holder}) has held this lock for "
                                         f"{wait_limit_s:.0f} s; stop it, or build into another "
                                         "--out/--cache-dir")
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False
