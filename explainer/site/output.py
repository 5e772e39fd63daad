"""Writing the site: a complete new tree published in one step, and nothing at all if the build failed.

Every output is written into the spare tree beside `site/` as soon as the build makes it (or is
known to be unchanged), and only `commit` swaps that tree in, so a failed build leaves the last good
`site/` as it was. A manifest in the cache remembers what each output file was built from and the
hash of its bytes: a rebuild skips unchanged pages entirely, and before it carries a file of the old
site over it checks that the file on disk is still what the manifest says (a hand edit or a damaged
file is rebuilt, not trusted).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..base.errors import ExplainerError
from ..base.hashing import digest

if TYPE_CHECKING:
    from .atomic_site import StagedSite

MANIFEST_VERSION = 2  # 2: sealed (checksum, version), file stamps for verification


class Manifest:
    """out relpath -> {"key": what it was built from, "hash": hash of the bytes, "stamp": [size,
    mtime_ns, inode] of the file as written}. `problem` says why an unusable manifest was ignored."""

    def __init__(self, path: Path, out_dir: Path):
        from ..base.sealed_json import DamagedEntry, read_sealed
        self.path, self.out_dir = path, out_dir
        self.entries: dict[str, dict] = {}
        self.shape = ""  # digest of the set of outputs: links of skipped pages are rechecked when it moves
        self.problem = ""
        self._intact: dict[str, bool] = {}
        try:
            data = read_sealed(path, "manifest", MANIFEST_VERSION, str(out_dir.resolve()))
            files = data["files"]
            if not (isinstance(files, dict) and all(isinstance(e, dict) for e in files.values())):
                raise DamagedEntry("its file table has the wrong shape")
            self.entries, self.shape = files, str(data.get("shape", ""))
        except FileNotFoundError:
            pass
        except (DamagedEntry, OSError, KeyError, TypeError) as exc:
            self.problem = f"{path}: ignored ({exc}); every page is rebuilt"

    def fresh(self, rel: str, key: str) -> bool:
        """True when `rel` was last written from `key` and the file on disk is still what was written."""
        e = self.entries.get(rel)
        return bool(e and e.get("key") == key and self.intact(rel))

    def intact(self, rel: str) -> bool:
        """The file on disk holds the bytes the manifest recorded. Its stamp (size, mtime, inode)
        unchanged means untouched; otherwise its content hash decides."""
        if rel not in self._intact:
            self._intact[rel] = self._check(rel)
        return self._intact[rel]

    def _check(self, rel: str) -> bool:
        e = self.entries.get(rel) or {}
        path = os.path.join(self.out_dir, rel)
        try:
            st = os.lstat(path)
            if not stat.S_ISREG(st.st_mode):
                return False
            if stat.S_IMODE(st.st_mode) != 0o644:  # sites built before outputs were world-readable
                os.chmod(path, 0o644)
            if _stamp(st) == e.get("stamp"):
                return True
            if st.st_size > 1 << 30:
                return False
            with open(path, "rb") as f:
                if digest(f.read()) != e.get("hash"):
                    return False
        except OSError:
            return False
        e["stamp"] = _stamp(st)  # touched but identical: remember the new stamp
        return True

    def save(self, entries: dict[str, dict], shape: str = "") -> None:
        from ..base.sealed_json import write_sealed
        self.entries, self.shape, self._intact = entries, shape, {}
        write_sealed(self.path, "manifest", MANIFEST_VERSION, {"files": entries, "shape": shape},
                     str(self.out_dir.resolve()))


def _stamp(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ino]


@dataclass(frozen=True)
class Written:
    """A file of this build as the manifest records it: everything but its bytes, which are on disk
    already (in the spare, or, when unchanged, in the live site)."""

    hash: str
    key: str  # what it was built from (its own hash when nothing else)
    size: int
    stamp: list  # [size, mtime_ns, inode] of the file on disk
    fresh: bool  # written into the spare; False: the live file holds these very bytes


def put_file(manifest: Manifest, rel: str, data: bytes, key: str | None,
             write: Callable[[str, bytes], os.stat_result]) -> Written:
    """`data` for `rel`: written with `write` (into the spare), unless the live site holds these
    very bytes (verified), which the publish will then link instead."""
    h = digest(data)
    prev = manifest.entries.get(rel)
    if prev and prev.get("hash") == h and manifest.intact(rel):
        return Written(h, key or h, len(data), manifest.entries[rel]["stamp"], fresh=False)
    return Written(h, key or h, len(data), _stamp(write(rel, data)), fresh=True)


@dataclass
class Outputs:
    """The outputs ledger: every file this build leaves in the site. The stages add to it (pages,
    figure images, site pages, assets, copied content files) and `commit` publishes it.

    A file is written into the spare tree (atomic_site.py) the moment it is added, and the ledger
    keeps only its hash and stamp: a 3000-post site never sits in memory. Nothing is published before
    `commit`; a build that fails calls `abandon`, and the live site never saw any of it."""

    manifest: Manifest  # what the last build wrote, and from what
    files: dict[str, Written] = field(default_factory=dict)  # rel -> what this build made of it
    kept: dict[str, str] = field(default_factory=dict)  # rel -> key: unchanged since the last build
    notes: dict[str, dict] = field(default_factory=dict)  # rel -> what a later build must know of it
    shape: str = ""  # digest of the set of outputs: links of kept pages are rechecked when it moves
    stage: StagedSite | None = None  # the spare being brought up to date; opened by the first write

    def add(self, rel: str, data: bytes, key: str | None = None) -> None:
        """`key`: what the file was built from (None: its own bytes)."""
        self.kept.pop(rel, None)
        try:
            self.files[rel] = put_file(self.manifest, rel, data, key, self._write)
        except OSError as exc:
            self.abandon()
            raise write_error(self.manifest.out_dir, exc) from None

    def put(self, rel: str, data: bytes, key: str | None = None) -> Written:
        """`add`, returning what was recorded."""
        self.add(rel, data, key)
        return self.files[rel]

    def _write(self, rel: str, data: bytes) -> os.stat_result:
        return self.open_stage().write(rel, data)

    def record(self, rel: str, written: Written) -> None:
        """A file that a page worker wrote into the spare itself (`put_file`)."""
        if written.fresh:
            self.open_stage().adopt(rel, written.stamp[2])
        self.kept.pop(rel, None)
        self.files[rel] = written

    def open_stage(self) -> StagedSite:
        if self.stage is None:
            from .atomic_site import StagedSite
            self.stage = StagedSite(self.manifest.out_dir)
        return self.stage

    def read(self, rel: str) -> bytes:
        """The bytes this build publishes at `rel` (added or kept)."""
        w = self.files.get(rel)
        root = self.stage.dir if w is not None and w.fresh and self.stage is not None else self.manifest.out_dir
        with open(os.path.join(root, rel), "rb") as f:
            return f.read()

    def abandon(self) -> None:
        """The build failed: free what it wrote into the spare (the live site is untouched)."""
        if self.stage is not None:
            self.stage.abandon()
            self.stage = None

    def keep(self, rel: str, key: str) -> None:
        self.kept[rel] = key

    def add_unless_fresh(self, rel: str, key: str, data: bytes | Callable[[], bytes]) -> None:
        """Keep `rel` when the last build wrote it from `key`; else add `data` (a callable is called
        only then: a file that is kept is never read)."""
        if self.manifest.fresh(rel, key):
            self.kept[rel] = key
        else:
            self.add(rel, data() if callable(data) else data, key)

    def note(self, rel: str, **values) -> None:
        self.notes.setdefault(rel, {}).update(values)

    def __contains__(self, rel: str) -> bool:
        return rel in self.files or rel in self.kept

    def names(self) -> set[str]:
        return set(self.files) | set(self.kept)


def write_error(out_dir: Path, exc: OSError) -> ExplainerError:
    return ExplainerError(f"{out_dir}: could not write the site ({exc.strerror or exc}: "
                          f"{exc.filename or ''}); the previous site is untouched. Free some space "
                          "or fix the folder's permissions, then build again")


def commit(out_dir: Path, outputs: Outputs) -> dict:
    """Publish the new site: the ledger's files (already in the spare, or unchanged) and its kept
    files (verified by `manifest.fresh`), and nothing else; its notes are stored with each file (what
    a later build needs to know of a page without rebuilding it). Returns counts for the report."""
    manifest, old, notes = outputs.manifest, outputs.manifest.entries, outputs.notes
    new: dict[str, dict] = {}
    for rel, w in outputs.files.items():
        new[rel] = {**old.get(rel, {}), "key": w.key, "hash": w.hash, "stamp": w.stamp, **notes.get(rel, {})}
    for rel, key in outputs.kept.items():
        new[rel] = {**old.get(rel, {}), "key": key, **notes.get(rel, {})}
    written = sum(w.fresh for w in outputs.files.values())
    removed = len(old.keys() - new.keys())
    if written or not _tree_matches(out_dir, new):
        _publish(out_dir, outputs, new)
    outputs.stage = None
    manifest.save(new, outputs.shape)
    return {"written": written, "unchanged": len(new) - written, "removed": removed}


def _tree_matches(out_dir: Path, entries: dict) -> bool:
    """The output folder holds exactly these files (nothing stale, nothing left over, no gaps)."""
    from .atomic_site import list_files
    try:
        return list_files(out_dir) == entries.keys()
    except OSError:
        return False


def _publish(out_dir: Path, outputs: Outputs, entries: dict) -> None:
    """Complete the new tree in the spare (this build's files are there already; link the unchanged
    ones), then swap it with the live one (see atomic_site.py)."""
    fresh = {rel for rel, w in outputs.files.items() if w.fresh}
    try:
        stage = outputs.open_stage()
        for rel in sorted(entries.keys() - fresh):
            # verified by Manifest.intact, which left its current stamp (inode last) in the entry
            stamp = entries[rel].get("stamp")
            stage.keep(rel, stamp[2] if isinstance(stamp, list) and len(stamp) == 3 else None)
            if not (isinstance(stamp, list) and len(stamp) == 3):
                entries[rel]["stamp"] = _stamp(os.lstat(os.path.join(stage.dir, rel)))
        stage.publish()
    except OSError as exc:
        outputs.abandon()
        raise write_error(out_dir, exc) from None
    except BaseException:
        outputs.abandon()
        raise
