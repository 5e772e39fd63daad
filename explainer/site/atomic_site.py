"""Replacing the output folder in one step, so a reader or a killed build never sees half a site.

A build that changes anything brings a second tree beside the output folder (`.site.spare/`, on the
same file system) up to date with the new site, then swaps the two folders in one system call. The
folder swapped out becomes the spare of the next build. Both trees hold hard links to the same
files, so bringing the spare up to date costs one `stat` per unchanged file (same inode as the
live one: nothing to do) and a write or a `link` per changed one. Nothing is copied, and no tree
is deleted per build (on this project's machines deleting a 1000-folder tree took 1.3 s).

Why a directory swap and not a symlink swap (`site -> .site-v42/`, retargeted by renaming a new
link over it): `site/` has to stay a plain folder, the path authors open, serve, rsync and delete,
and tools treat a symlink differently (`rm -r site/` vs `rm -r site`, `rsync` without `-L` copies
the link, a web server may refuse to follow it). Linux swaps two directories atomically with
`renameat2(RENAME_EXCHANGE)`; where that call is missing (another OS, an old kernel or a file
system without it) we fall back to renames, and the next build repairs the gap between them
(`recover`).

The spare is scratch space: a killed build may leave it half updated, and the next build trusts
none of it (a file is reused only when it is the very inode of the verified live file). It never
holds a symlink or anything but folders and plain files. The swap guards against a killed process
and a full disk; it does not fsync: after a power cut the file system's own journal decides.
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


def spare_dir(out: Path) -> Path:
    return out.parent / f".{out.name}.spare"


def retired_prefix(out: Path) -> str:
    return f".{out.name}.old-"


def recover(out: Path) -> list[str]:
    """Repair what a killed build left; call it holding the build lock. Returns what it did.

    A retired tree with no output folder is the old site of a build killed between the renames of
    the fallback swap: it goes back into place. (The spare needs nothing: the next update checks
    every file of it.) `.site.staging-*` folders are an earlier version's leftovers."""
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
        if p.name.startswith(f".{out.name}.staging-") or p in retired:
            shutil.rmtree(p, ignore_errors=True)
            done.append(f"removed {p.name}, left by an interrupted build")
    return done


class StagedSite:
    """The next version of the output folder, brought up to date in the spare and published by
    `publish()`. Call `write` or `keep` for every file of the new site, then `publish`."""

    def __init__(self, out: Path):
        self.out = out
        out.parent.mkdir(parents=True, exist_ok=True)
        self.dir = spare_dir(out)
        if self.dir.is_symlink() or (self.dir.exists() and not self.dir.is_dir()):
            self.dir.unlink()
        if not self.dir.exists():
            os.mkdir(self.dir, DIR_MODE)
        os.chmod(self.dir, DIR_MODE)  # mkdir's mode is filtered by the umask
        self.files, self.dirs = _scan(self.dir)  # what the spare holds now: rel -> inode; folders
        self.wanted: set[str] = set()
        self.written: list[str] = []  # new files of this build, removed again if it fails

    def write(self, rel: str, data: bytes) -> os.stat_result:
        """Write a file of the new site into the spare; returns its stat (for the manifest's stamp)."""
        self._parent(rel)
        st = write_file(self.dir, rel, data)
        self.adopt(rel, st.st_ino)
        return st

    def adopt(self, rel: str, inode: int) -> None:
        """Count a file that `write_file` put into the spare (here, or in a page worker) as part
        of the new site, and as this build's to remove again if it fails."""
        self.wanted.add(rel)
        self.written.append(rel)
        self.files[rel] = inode  # the spare no longer holds what the scan found there

    def keep(self, rel: str, inode: int | None = None) -> None:
        """Carry an unchanged (and already verified) file of the current site over. `inode`: the
        live file's, when the caller knows it (saves a stat per file)."""
        self.wanted.add(rel)
        live = os.path.join(self.out, rel)
        if inode is None:
            inode = os.lstat(live).st_ino
        if self.files.get(rel) == inode:
            return  # the spare already links to this very file
        path = self._parent(rel)
        tmp = f"{path}.tmp-{secrets.token_hex(4)}"
        try:
            os.link(live, tmp, follow_symlinks=False)
        except OSError:  # a file system without hard links, or one that refuses this one
            self.wanted.discard(rel)
            with open(live, "rb") as f:
                self.write(rel, f.read())
            return
        os.replace(tmp, path)
        self.files[rel] = inode
        if stat.S_IMODE(os.lstat(path).st_mode) != FILE_MODE:  # sites built before files were 0644
            os.chmod(path, FILE_MODE)

    def publish(self) -> None:
        """Drop what the new site does not hold, then swap: the spare becomes the output folder."""
        self._prune()
        if not self.out.exists():
            os.rename(self.dir, self.out)
            return
        if not self.out.is_dir() or self.out.is_symlink():
            raise ExplainerError(f"{self.out} exists and is not a folder; move it away or choose "
                                 "another --out")
        if not _exchange(self.dir, self.out):
            retired = self.out.parent / f"{retired_prefix(self.out)}{os.getpid()}-{secrets.token_hex(4)}"
            os.rename(self.out, retired)
            os.rename(self.dir, self.out)  # a kill between these two is undone by recover()
            os.rename(retired, self.dir)

    def abandon(self) -> None:
        """A failed build: free the space its new files took (the spare stays scratch)."""
        for rel in self.written:
            try:
                os.unlink(os.path.join(self.dir, rel))
            except OSError:
                pass

    def _parent(self, rel: str) -> str:
        """The spare's path for `rel`, its folders made (0755) as needed."""
        folder = os.path.dirname(rel)
        missing = []
        while folder and folder not in self.dirs:
            missing.append(folder)
            folder = os.path.dirname(folder)
        for d in reversed(missing):
            _make_folder(os.path.join(self.dir, d))
            self.dirs.add(d)
        return os.path.join(self.dir, rel)

    def _prune(self) -> None:
        for rel in self.files.keys() - self.wanted:
            os.unlink(os.path.join(self.dir, rel))
        needed = {os.path.dirname(rel) for rel in self.wanted}
        needed |= {d for rel in needed for d in _ancestors(rel)}
        for d in sorted(self.dirs - needed, key=len, reverse=True):  # deepest first
            shutil.rmtree(os.path.join(self.dir, d), ignore_errors=True)


def write_file(root: Path | str, rel: str, data: bytes) -> os.stat_result:
    """Write `rel` under `root` (the spare) through a temporary name, never into an existing inode
    (the live tree may share it); folders are made as needed. Page workers call this directly, all
    at once, so a folder another process made first is fine. Returns the new file's stat."""
    path = os.path.join(root, rel)
    folder = os.path.dirname(path)
    if not os.path.isdir(folder):
        _make_folders(os.fspath(root), os.path.dirname(rel))
    tmp = f"{path}.tmp-{secrets.token_hex(4)}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        st = os.fstat(fd)
    except BaseException:
        os.close(fd)
        os.unlink(tmp)
        raise
    os.close(fd)
    os.replace(tmp, path)
    return st


def _make_folders(root: str, rel_dir: str) -> None:
    missing = []
    while rel_dir and not os.path.isdir(os.path.join(root, rel_dir)):
        missing.append(rel_dir)
        rel_dir = os.path.dirname(rel_dir)
    for d in reversed(missing):
        _make_folder(os.path.join(root, d))


def _make_folder(full: str) -> None:
    """A 0755 folder at `full`, replacing a file there (a file where the new site has a folder)."""
    if os.path.lexists(full) and not os.path.isdir(full):
        os.unlink(full)
    try:
        os.mkdir(full, DIR_MODE)
    except FileExistsError:  # made by a page worker meanwhile
        if not os.path.isdir(full):
            raise
        return
    os.chmod(full, DIR_MODE)  # mkdir's mode is filtered by the umask


def _ancestors(folder: str):
    while folder:
        folder = os.path.dirname(folder)
        if folder:
            yield folder


def _scan(root: Path) -> tuple[dict[str, int], set[str]]:
    """Plain files (rel -> inode) and folders of the spare; anything else in it is removed. One
    `scandir` per folder: names, types and inodes come with the directory entries, no `stat`."""
    files: dict[str, int] = {}
    dirs: set[str] = set()
    todo = [("", os.fspath(root))]
    while todo:
        prefix, folder = todo.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    dirs.add(rel)
                    todo.append((rel + "/", entry.path))
                elif entry.is_file(follow_symlinks=False) and ".tmp-" not in entry.name:
                    files[rel] = entry.inode()
                else:  # a symlink (never written through), a device, a killed write's temp file
                    os.unlink(entry.path)
    return files, dirs


def list_files(root: Path) -> set[str]:
    """Every non-folder entry under `root`, as `/`-separated relative paths (symlinks not followed)."""
    found: set[str] = set()
    todo = [("", os.fspath(root))]
    while todo:
        prefix, folder = todo.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    todo.append((prefix + entry.name + "/", entry.path))
                else:
                    found.add(prefix + entry.name)
    return found


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
