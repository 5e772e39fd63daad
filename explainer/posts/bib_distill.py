"""A .bib as Distill (al-folio's bibliography) reads it, for pybtex.

Distill fills a `Map` in file order, so of a key given twice the *last* entry counts, and an object,
so of a field given twice the last value; pybtex keeps the first and calls the rest errors. Here
each is a warning naming the lines, and the others are blanked out (lines kept) before pybtex reads
the text.
"""

from __future__ import annotations

from ..base.errors import Diagnostics
from .bibtex_scan import blank, scan_entries, split_names, unwrap


def distill_text(text: str, path, diag: Diagnostics) -> tuple[str, dict[str, list[str]]]:
    """The .bib as Distill reads it: of a key given twice the last entry counts, and of a field given
    twice the last value (Distill fills a Map and an object in file order; pybtex keeps the first
    and calls the rest errors). Each is a warning; the others are blanked out, lines kept.

    Also returns, per key (lower case), the author/editor names as written, for the names pybtex
    cannot split and Distill shows anyway."""
    entries = scan_entries(text)
    by_key: dict[str, list] = {}
    for entry in entries:
        if entry.key:
            by_key.setdefault(entry.key.lower(), []).append(entry)
    drop = []
    for group in by_key.values():
        if len(group) > 1:
            lines = ", ".join(str(e.line) for e in group[:-1])
            diag.warn(path, group[-1].line, f"duplicate key `{group[-1].key}` (also on line {lines}): "
                      f"the last entry, on line {group[-1].line}, is used, as Distill does; delete or "
                      "rename the other")
            drop += [(e.start, e.end) for e in group[:-1]]
    for entry in (g[-1] for g in by_key.values()):
        seen: dict[str, list] = {}
        for f in entry.fields:
            seen.setdefault(f.name, []).append(f)
        for name, same in seen.items():
            if len(same) > 1:
                diag.warn(path, same[-1].line, f"entry `{entry.key}` gives `{name}` more than once (lines "
                          f"{', '.join(str(f.line) for f in same)}): the last one is used, as Distill "
                          "does; delete the others")
                drop += [(f.start, f.end) for f in same[:-1]]
    for start, end in sorted(drop, reverse=True):
        text = blank(text, start, end)
    written = {e.key.lower(): {f.name: split_names(unwrap(f.raw)) for f in e.fields
                               if f.name in ("author", "editor")}
               for e in (g[-1] for g in by_key.values())}
    return text, written
