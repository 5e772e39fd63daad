"""Writing the site: only what changed, each file atomically, and nothing at all if the build failed.

The pipeline gathers every output in memory (or knows it is unchanged) before this module writes a
byte, so a failed build leaves the last good `site/` as it was. A manifest in the cache remembers
what each output file was built from, which lets a rebuild skip unchanged pages entirely.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..base.files import write_atomic
from ..base.hashing import digest


class Manifest:
    """out relpath -> {"key": what it was built from, "hash": hash of the bytes written}."""

    def __init__(self, path: Path, out_dir: Path):
        self.path, self.out_dir = path, out_dir
        self.entries: dict[str, dict] = {}
        self.shape = ""  # digest of the set of outputs: links of skipped pages are rechecked when it moves
        try:
            data = json.loads(path.read_text())
            if data.get("out") == str(out_dir.resolve()):
                self.entries, self.shape = data["files"], data.get("shape", "")
        except (OSError, ValueError, KeyError, TypeError):
            pass

    def fresh(self, rel: str, key: str) -> bool:
        """True when `rel` was last written from `key` and is still on disk."""
        e = self.entries.get(rel)
        return bool(e and e.get("key") == key and (self.out_dir / rel).is_file())

    def save(self, entries: dict[str, dict], shape: str = "") -> None:
        self.entries, self.shape = entries, shape
        payload = {"out": str(self.out_dir.resolve()), "files": entries, "shape": shape}
        write_atomic(self.path, json.dumps(payload, sort_keys=True).encode())


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
    """Write the ledger's files where their content changed, leave its kept files untouched, and
    remove outputs of earlier builds that this build no longer produces. Its notes are stored with
    each file. Returns counts for the build report."""
    manifest, files, kept, notes = outputs.manifest, outputs.files, outputs.kept, outputs.notes
    old = manifest.entries
    new: dict[str, dict] = {}
    written = 0
    for rel, (data, key) in files.items():
        h = digest(data)
        prev = old.get(rel)
        if not (prev and prev.get("hash") == h and (out_dir / rel).is_file()):
            write_atomic(out_dir / rel, data)
            written += 1
        new[rel] = {"key": key or h, "hash": h, **notes.get(rel, {})}
    for rel, key in kept.items():
        new[rel] = {**old.get(rel, {}), "key": key, **notes.get(rel, {})}
    removed = 0
    for rel in old.keys() - new.keys():
        try:
            (out_dir / rel).unlink()
            removed += 1
        except FileNotFoundError:
            pass
    manifest.save(new, outputs.shape)
    return {"written": written, "unchanged": len(files) - written + len(kept), "removed": removed}
