"""Formulas typeset once per process: `$x$`, `$[0, 1]$` and their like recur on page after page.

Only a formula the engine proved context-free goes in (`Rendered.pure`: typeset on a page that had
defined nothing, it read no label, took no equation number and defined nothing), and the engine
reuses an entry only while the page it is typesetting has defined nothing either; the key holds
the TeX, the display flag and the site's and post's macros. Anything else is typeset on its page
as before, so the memo changes how often MathJax runs, never what a page shows.

A formula is stored the second time it is seen, not the first: most formulas of a site occur on one
page only (on the benchmark corpus, 5 of 8,005 distinct formulas recur across pages, but those make
5,000 of its 14,000), and keeping the others' markup would cost megabytes per worker for nothing.
Both tables are bounded.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Protocol


class Typeset(Protocol):  # mathjax_engine.Rendered (the engine owns a memo, so it is not imported)
    pure: bool

MAX_ENTRIES = 1024  # least recently used entries are dropped beyond this (a few MB of markup)
MAX_SEEN = 100_000  # hashes of formulas seen once; forgotten all at once when full


class FormulaMemo:
    def __init__(self) -> None:
        self._entries: OrderedDict[tuple, Any] = OrderedDict()
        self._seen: set[int] = set()
        self.hits = 0  # formulas the engine did not typeset because an entry was here

    def get(self, key: tuple) -> Any:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def __contains__(self, key: tuple) -> bool:
        return key in self._entries

    def offer(self, key: tuple, rendered: Typeset) -> None:
        """Keep `rendered` if it is pure and `key` was offered before."""
        if not rendered.pure or key in self._entries:
            return
        seen = hash(key)
        if seen not in self._seen:
            if len(self._seen) >= MAX_SEEN:
                self._seen.clear()
            self._seen.add(seen)
            return
        self._entries[key] = rendered
        if len(self._entries) > MAX_ENTRIES:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
