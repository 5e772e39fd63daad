"""Writing the site: a complete new tree published in one step, and nothing at all if the build failed.

The pipeline gathers every output in memory (or knows it is unchanged) before this module writes a
byte, so a failed build leaves the last good `site/` as it was. A manifest in the cache remembers
what each output file was built from and the hash of its bytes: a rebuild skips unchanged pages
entirely, and before it carries a file of the old site over it checks that the file on disk is
still what the manifest says (a hand edit or a damaged file is rebuilt, not trusted).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..base.errors import ExplainerError
from ..base.hashing import digest

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


@dataclass
class Outputs:
    """The outputs ledger: every file this build leaves in the site. The stages add to it (pages,
    figure images, site pages, assets, copied content files) and `commit` writes it."""

    manifest: Manifest  # what the last build wrote, and from what
    files: dict[str, tuple[bytes, str | None]] = field(default_factory=dict)  # rel -> (bytes, key): write
    kept: dict[str, str] = field(default_factory=dict)  # rel -> key: unchanged since the last build
    notes: dict[str, dict] = field(default_factory=dict)  # rel -> what a later build must know of it
    shape: str = ""  # digest of the set of outputs: links of kept pages are rechecked when it moves

    def add(self, rel: str, data: bytes, key: str | None = None) -> None:
        """`key`: what the file was built from (None: its own bytes)."""
        self.files[rel] = (data, key)

    def keep(self, rel: str, key: str) -> None:
        self.kept[rel] = key

    def add_unless_fresh(self, rel: str, key: str, data: bytes | Callable[[], bytes]) -> None:
        """Keep `rel` when the last build wrote it from `key`; else add `data` (a callable is called
        only then: a file that is kept is never read)."""
        if self.manifest.fresh(rel, key):
            self.kept[rel] = key
        else:
            self.files[rel] = (data() if callable(data) else data, key)

    def note(self, rel: str, **values) -> None:
        self.notes.setdefault(rel, {}).update(values)

    def __contains__(self, rel: str) -> bool:
        return rel in self.files or rel in self.kept

    def names(self) -> set[str]:
        return set(self.files) | set(self.kept)


def commit(out_dir: Path, outputs: Outputs) -> dict:
    """Publish the new site: the ledger's files and its kept files (verified by `manifest.fresh`),
    and nothing else; its notes are stored with each file (what a later build needs to know of a page
    without rebuilding it). Returns counts for the build report."""
    manifest, files, kept, notes = outputs.manifest, outputs.files, outputs.kept, outputs.notes
    old = manifest.entries
    new: dict[str, dict] = {}
    fresh_bytes: dict[str, bytes] = {}
    for rel, (data, key) in files.items():
        h = digest(data)
        prev = old.get(rel)
        if not (prev and prev.get("hash") == h and manifest.intact(rel)):
            fresh_bytes[rel] = data
        new[rel] = {**(prev or {}), "key": key or h, "hash": h, **notes.get(rel, {})}
    for rel, key in kept.items():
        new[rel] = {**old.get(rel, {}), "key": key, **notes.get(rel, {})}
    removed = len(old.keys() - new.keys())
    if fresh_bytes or not _tree_matches(out_dir, new):
        _publish(out_dir, new, fresh_bytes)
    manifest.save(new, outputs.shape)
    return {"written": len(fresh_bytes), "unchanged": len(new) - len(fresh_bytes), "removed": removed}


def _tree_matches(out_dir: Path, entries: dict) -> bool:
    """The output folder holds exactly these files (nothing stale, nothing left over, no gaps)."""
    from .atomic_site import list_files
    try:
        return list_files(out_dir) == entries.keys()
    except OSError:
        return False


def _publish(out_dir: Path, entries: dict, fresh_bytes: dict[str, bytes]) -> None:
    """Build the whole new tree beside the old one, then swap them (see atomic_site.py)."""
    from .atomic_site import StagedSite
    stage = StagedSite(out_dir)
    try:
        for rel in sorted(entries):
            if rel in fresh_bytes:
                stage.write(rel, fresh_bytes[rel])
                entries[rel]["stamp"] = _stamp(os.lstat(os.path.join(stage.dir, rel)))
            else:  # verified by Manifest.intact, which left its current stamp (inode last) in the entry
                stamp = entries[rel].get("stamp")
                stage.keep(rel, stamp[2] if isinstance(stamp, list) and len(stamp) == 3 else None)
                if not (isinstance(stamp, list) and len(stamp) == 3):
                    entries[rel]["stamp"] = _stamp(os.lstat(os.path.join(stage.dir, rel)))
        stage.publish()
    except OSError as exc:
        stage.abandon()
        raise ExplainerError(f"{out_dir}: could not write the site ({exc.strerror or exc}: "
                             f"{exc.filename or ''}); the previous site is untouched. Free some space "
                             "or fix the folder's permissions, then build again") from None
    except BaseException:
        stage.abandon()
        raise
