"""On-disk cache of highlighted code, so a rebuild of a page whose code blocks did not change never
imports Pygments or builds a lexer.

A fresh process pays ~50 ms for the first Python and JavaScript snippets of a page: importing
Pygments, and compiling every regular expression of each lexer it uses. The highlighted spans of a
snippet depend only on its text, its language, block or inline, and the highlighting code:
our highlight.py and the installed Pygments (its version, read from its `__init__.py` without
importing it). All of these are in the key, so a hit is what highlighting would produce now.
(A Pygments lexer edited by hand in site-packages, version unchanged, is not noticed.)

Entries are sealed JSON files named by the key (base/sealed_json.py), as the math cache's are;
a damaged one is highlighted again and overwritten. The cache in use is set per page render
(`using`), by a context variable: render rules deep in markdown-it reach it without a parameter.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import sys
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from importlib.util import find_spec
from pathlib import Path

from ..base.sealed_json import DamagedEntry, read_sealed, write_sealed

FORMAT = 1
_ACTIVE: ContextVar[Path | None] = ContextVar("code cache folder", default=None)


@contextlib.contextmanager
def using(directory: Path | None) -> Iterator[None]:
    """Highlighting inside this block reads and writes the cache in `directory` (None: no cache)."""
    token = _ACTIVE.set(directory)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


@functools.cache
def _code_version() -> str:
    """Our highlighting code and Pygments' version, as bytes of their files."""
    spec = find_spec("pygments")
    pygments_init = Path(spec.origin).read_bytes() if spec is not None and spec.origin else b""
    ours = (Path(__file__).parent / "highlight.py").read_bytes()
    return hashlib.sha256(ours + b"\0" + pygments_init).hexdigest()


def _key(kind: str, code: str, lang: str | None) -> str:
    h = hashlib.sha256()
    for part in (str(FORMAT), _code_version(), kind, lang or "", code):
        data = part.encode("utf-8")
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


def cached(kind: str, code: str, lang: str | None, make: Callable[[], str]) -> str:
    """`make()`'s spans for this snippet, from the cache in use when it holds it."""
    directory = _ACTIVE.get()
    if directory is None:
        return make()
    key = _key(kind, code, lang)
    path = directory / key[:2] / f"{key}.json"
    try:
        value = read_sealed(path, "code", FORMAT, key)
        if isinstance(value, str):
            return value
    except FileNotFoundError:
        pass
    except (DamagedEntry, OSError) as exc:
        print(f"{path}: damaged code cache entry ({exc}); highlighted again", file=sys.stderr)
    markup = make()
    try:
        write_sealed(path, "code", FORMAT, markup, key)
    except OSError:
        pass  # a read-only cache folder: highlighting still works, only slower next time
    return markup
