"""The per-process caches, with one owner.

A build process keeps a few expensive things between pages and, in the preview server, between
builds: the engine's code fingerprint, the collected theme assets, Jinja environments, the posts
already read. Each is registered here under a name, so whoever must drop them (the preview server,
when the theme changes; a test) says which by name instead of reaching into other modules.

    @process_cache("assets")          # an lru_cache whose clearing is registered as "assets"
    def collect(...): ...

    register("posts memo", _MEMO.clear)   # any other store: register how to empty it
    reset("assets", "code fingerprint")  # or reset() for all
"""

from __future__ import annotations

import functools
from collections.abc import Callable

_CLEARERS: dict[str, Callable[[], None]] = {}  # name -> how to empty that cache


def register(name: str, clear: Callable[[], None]) -> None:
    """Name a cache and how to empty it. Registering a name twice is a programming error."""
    if name in _CLEARERS and _CLEARERS[name] is not clear:
        raise ValueError(f"a process cache named {name!r} is already registered")
    _CLEARERS[name] = clear


def process_cache(name: str, maxsize: int | None = None):
    """`functools.lru_cache`, registered under `name`."""
    def wrap(fn):
        cached = functools.lru_cache(maxsize=maxsize)(fn)
        register(name, cached.cache_clear)
        return cached
    return wrap


def reset(*names: str) -> None:
    """Empty the named caches (all of them when no name is given)."""
    unknown = [n for n in names if n not in _CLEARERS]
    if unknown:
        raise KeyError(f"no process cache named {', '.join(map(repr, unknown))}; "
                       f"known: {', '.join(sorted(_CLEARERS))}")
    for name in names or tuple(_CLEARERS):
        _CLEARERS[name]()


def registered() -> list[str]:
    return sorted(_CLEARERS)
