"""On-disk cache of a page's rendered math, so a warm rebuild never starts V8.

The unit cached is a whole page's math, not a single formula: a numbered equation's SVG depends on
its number and on the labels defined anywhere on the page (`\\eqref` may point forward), and the
shared glyph `<defs>` depend on every formula of the page. Keying the page's full formula list
(TeX and display flag, in order) together with the macros, the MathJax version and the engine
options means a hit can never carry a stale equation number. Editing one formula re-renders that
page only (tens of milliseconds).

Entries are sealed JSON files (sealed_json.py: kind, format version, the key, a checksum) named by
the key's SHA-256, written to a temporary file and renamed into place, so a crash or a parallel
worker never leaves a half-written entry behind, and a damaged, edited or swapped entry is
rendered again (with a one-line notice) instead of being published.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from ..base.sealed_json import DamagedEntry, read_sealed, write_sealed

# Bump when the markup produced from the same MathJax output changes (wrapping, error spans...).
FORMAT_VERSION = 3  # 2: a display formula inside a paragraph is a <span>; 3: sealed entries


def page_key(items, macros: dict[str, str], mathjax_version: str, options: dict) -> str:
    """Hex digest identifying everything that decides a page's rendered math."""
    payload = {
        "format": FORMAT_VERSION,
        "mathjax": mathjax_version,
        "options": options,
        "macros": sorted(macros.items()),
        # col is set exactly for formulas placed inside a paragraph, which math.py wraps differently
        "items": [[item.tex, bool(item.display), item.col is None] for item in items],
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=list)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class MathCache:
    """Key -> JSON-able dict, stored under `directory`; with `directory=None` it never hits."""

    def __init__(self, directory: Path | None):
        self.directory = Path(directory) if directory is not None else None

    def _file(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict | None:
        if self.directory is None:
            return None
        path = self._file(key)
        try:
            value = read_sealed(path, "math", FORMAT_VERSION, key)
        except FileNotFoundError:
            return None
        except (OSError, DamagedEntry) as exc:
            print(f"{path}: damaged math cache entry ({exc}); rendered again", file=sys.stderr)
            return None  # render again and overwrite it
        if not _well_formed(value):
            print(f"{path}: math cache entry of the wrong shape; rendered again", file=sys.stderr)
            return None
        return value

    def put(self, key: str, value: dict) -> None:
        if self.directory is None:
            return
        write_sealed(self._file(key), "math", FORMAT_VERSION, value, key)


def _well_formed(value) -> bool:
    """The shape math.py reads: {"html": [str], "defs": str, "errors": [4-lists], "warnings": [...]}."""
    return (isinstance(value, dict) and isinstance(value.get("defs"), str)
            and isinstance(value.get("html"), list) and all(isinstance(h, str) for h in value["html"])
            and all(isinstance(value.get(k), list)
                    and all(isinstance(p, list) and len(p) == 4 for p in value[k])
                    for k in ("errors", "warnings")))
