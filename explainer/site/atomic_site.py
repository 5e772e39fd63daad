"""Replacing the output folder in one step, so a reader or a killed build never sees half a site.

A build that changes anything writes a complete new tree beside the output folder
(`.site.staging-<pid>-<random>/`, on the same file system), then swaps the two folders in one
system call. Unchanged files are hard links to the old tree's files, not copies: a 1000-post site
whose one page changed costs a thousand `link()` calls, not a thousand file copies.

Why a directory swap and not a symlink swap (`site -> .site-v42/`, retargeted by renaming a new
link over it): `site/` has to stay a plain folder, the path authors open, serve, rsync and delete,
and tools treat a symlink differently (`rm -r site/` vs `rm -r site`, `rsync` without `-L` copies
the link, a web server may refuse to follow it). Linux swaps two directories atomically with
`renameat2(RENAME_EXCHANGE)`; where that call is missing (another OS, an old kernel or a file
system without it) we fall back to two renames, and the next build repairs the gap between them
(`recover`).

The swap guards against a killed process and a full disk (the new tree is complete before it is
published). It does not fsync: after a power cut the file system's own journal decides.
"""

from __future__ import annotations

import ctypes
import errno
import os
import secrets
import shutil
import stat
from pathlib import Path

from ..base.errors import ExplainerError

FILE_MODE, DIR_MODE = 0o644, 0o755  # a web server running as another user must be able to read the site


def staging_prefix(out: Path) -> str:
    return f".{out.name}.staging-"


def retired_prefix(out: Path) -> str:
    return f".{out.name}.old-"


def recover(out: Path) -> list[str]:
    """Clean up after a build that was killed; call it holding the build lock. Returns what it did.

    Staging trees and retired trees are only ever left behind by a dead build (the lock says no
    other build runs). A retired tree with no output folder is the old site of a build killed
    between the two renames of the fallback swap: it goes back into place."""
    done: list[str] = []
    parent = out.parent
    if not parent.is_dir():
        return done
    retired = sorted(p for p in parent.iterdir() if p.name.startswith(retired_prefix(out)))
    if retired and not out.exists():
        os.rename(retired[-1], out)
        done.append(f"restored {out} from an interrupted build")
        retired = retired[:-1]
    for p in parent.iterdir():
        if p.name.startswith(staging_prefix(out)) or p in retired:
            _remove_tree(p)
            done.append(f"removed {p.name}, left by an interrupted build")
    return done


class StagedSite:
    """The next version of the output folder, built beside it and published by `publish()`."""

    def __init__(self, out: Path):
        self.out = out
        out.parent.mkdir(parents=True, exist_ok=True)
        self.dir = out.parent / f"{staging_prefix(out)}{os.getpid()}-{secrets.token_hex(4)}"
        os.mkdir(self.dir, DIR_MODE)
        os.chmod(self.dir, DIR_MODE)  # mkdir's mode is filtered by the umask
        self._dirs = {self.dir}

    def _parent(self, rel: str) -> Path:
        path = self.dir / rel
        missing = []
        d = path.parent
        while d not in self._dirs:
            missing.append(d)
            d = d.parent
        for d in reversed(missing):
            os.mkdir(d, DIR_MODE)
            os.chmod(d, DIR_MODE)
            self._dirs.add(d)
        return path

    def write(self, rel: str, data: bytes) -> None:
        path = self._parent(rel)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        try:
            os.fchmod(fd, FILE_MODE)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)

    def keep(self, rel: str) -> None:
        """Carry an unchanged (and already verified) file of the current site over: a hard link."""
        src, dst = self.out / rel, self._parent(rel)
        try:
            os.link(src, dst, follow_symlinks=False)
        except OSError:  # a file system without hard links, or one that refuses this one
            self.write(rel, src.read_bytes())
            return
        if stat.S_IMODE(os.lstat(dst).st_mode) != FILE_MODE:  # sites built before files were 0644
            os.chmod(dst, FILE_MODE)

    def publish(self) -> None:
        """The new tree becomes the output folder in one step; the old one is deleted after."""
        if not self.out.exists():
            os.rename(self.dir, self.out)
            return
        if not self.out.is_dir() or self.out.is_symlink():
            raise ExplainerError(f"{self.out} exists and is not a folder; move it away or choose "
                                 "another --out")
        retired = self.out.parent / f"{retired_prefix(self.out)}{os.getpid()}-{secrets.token_hex(4)}"
        if _exchange(self.dir, self.out):
            os.rename(self.dir, retired)  # self.dir now holds the old site
        else:
            os.rename(self.out, retired)
            os.rename(self.dir, self.out)  # a kill between these two is undone by recover()
        _remove_tree(retired)

    def abandon(self) -> None:
        _remove_tree(self.dir)


def _remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


_RENAME_EXCHANGE, _AT_FDCWD = 2, -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with Linux's renameat2; False when the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
        return False
    raise OSError(err, os.strerror(err), str(b))
