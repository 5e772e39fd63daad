"""Content hashes used for cache keys and asset names."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .process_caches import process_cache


def digest(*parts, size: int = 16) -> str:
    """Hex digest of str/bytes parts; parts are length-prefixed so ("ab","c") != ("a","bc")."""
    h = hashlib.blake2b(digest_size=size)
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8")
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


@process_cache("code fingerprint")
def tree_fingerprint(root: str, suffixes: tuple[str, ...]) -> str:
    """Hash of every file under `root` with one of `suffixes` (names and contents): a change to the
    engine's code or theme invalidates every page built with it."""
    parts = []
    for p in sorted(Path(root).rglob("*")):
        if p.is_file() and p.suffix in suffixes and "__pycache__" not in p.parts:
            parts += [str(p.relative_to(root)), p.read_bytes()]
    return digest(*parts)
