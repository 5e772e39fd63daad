"""On-disk cache of parsed bibliographies, so a rebuild of a page citing an unchanged .bib file never
imports pybtex or latexcodec (~30 ms of a fresh process) nor parses the file again.

What a .bib file parses to (its `Reference` records and the problems found) depends on its bytes,
its path (problems name it), the folder the build runs in (problems name files relative to it),
our parsing code and the installed pybtex and latexcodec (their versions, as the bytes of their
`__init__.py`, read without importing them). All of these are in the key, so a hit is what parsing
would give now. Entries are sealed JSON (base/sealed_json.py): a damaged one is parsed again, with a
one-line notice, and overwritten.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path

from ..base.errors import Diagnostic
from ..base.sealed_json import DamagedEntry, read_sealed, write_sealed

FORMAT = 1
# Our modules whose code decides what a .bib file parses to.
PARSING_CODE = ("bibliography.py", "bib_names.py", "bib_distill.py", "bibtex_scan.py", "latex_text.py",
                "bib_cache.py")

Parsed = tuple[tuple, tuple[Diagnostic, ...]]  # (Reference records, problems)


@functools.cache
def _code_version() -> str:
    here = Path(__file__).parent
    h = hashlib.sha256()
    for name in PARSING_CODE:
        h.update((here / name).read_bytes())
    for package in ("pybtex", "latexcodec"):
        spec = find_spec(package)
        h.update(Path(spec.origin).read_bytes() if spec is not None and spec.origin else b"-")
    return h.hexdigest()


def _key(path: str, data: bytes) -> str:
    h = hashlib.sha256()
    for part in (str(FORMAT).encode(), _code_version().encode(), os.getcwd().encode(), path.encode(), data):
        h.update(len(part).to_bytes(8, "little") + part)
    return h.hexdigest()


def load(path: str, data: bytes, cache_dir: Path | None, parse: Callable[[], Parsed], reference: type) -> Parsed:
    """`parse()`'s result for the .bib file `path` holding `data`, from the cache when it has it.
    `reference`: the record class (bibliography.Reference), rebuilt from its fields."""
    if cache_dir is None:
        return parse()
    key = _key(path, data)
    entry = cache_dir / key[:2] / f"{key}.json"
    try:
        return _decode(read_sealed(entry, "bib", FORMAT, key), reference)
    except FileNotFoundError:
        pass
    except (DamagedEntry, OSError, ValueError, TypeError, KeyError) as exc:
        print(f"{entry}: damaged bibliography cache entry ({exc}); parsed again", file=sys.stderr)
    refs, problems = parse()
    try:
        write_sealed(entry, "bib", FORMAT, {"refs": [vars(r) for r in refs],
                                            "problems": [d.to_json() for d in problems]}, key)
    except OSError:
        pass  # a read-only cache: parsed again next time
    return refs, problems


def _decode(body, reference: type) -> Parsed:
    refs = []
    for fields in body["refs"]:
        ref = reference(**{**fields, "authors": tuple(fields["authors"])})
        if not all(isinstance(v, str) for k, v in vars(ref).items() if k not in ("authors", "url")):
            raise ValueError("a reference field of the wrong type")
        if not (all(isinstance(a, str) for a in ref.authors) and (ref.url is None or isinstance(ref.url, str))):
            raise ValueError("a reference field of the wrong type")
        refs.append(ref)
    return tuple(refs), tuple(Diagnostic(**d) for d in body["problems"])
