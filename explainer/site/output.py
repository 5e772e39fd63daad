"""Writing the site: only what changed, each file atomically, and nothing at all if the build failed.

The pipeline gathers every output in memory (or knows it is unchanged) before this module writes a
byte, so a failed build leaves the last good `site/` as it was. A manifest in the cache remembers
what each output file was built from, which lets a rebuild skip unchanged pages entirely.
"""

from __future__ import annotations

import json
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


def commit(out_dir: Path, manifest: Manifest, files: dict[str, tuple[bytes, str | None]],
           kept: dict[str, str], notes: dict[str, dict] | None = None, shape: str = "") -> dict:
    """Write `files` (relpath -> (bytes, key it was built from)) where their content changed, keep the
    files named in `kept` (relpath -> key) untouched, and remove outputs of earlier builds that this
    build no longer produces. `notes` holds what a later build needs to know of a page without
    rebuilding it (its diagnostics, its links). Returns counts for the build report."""
    notes = notes or {}
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
    manifest.save(new, shape)
    return {"written": written, "unchanged": len(files) - written + len(kept), "removed": removed}
