"""A .bib as Distill (al-folio's bibliography) reads it, for pybtex.

Distill fills a `Map` in file order, so of a key given twice the *last* entry counts, and an object,
so of a field given twice the last value; pybtex keeps the first and calls the rest errors. Here
each is a warning naming the lines, and the others are blanked out (lines kept) before pybtex reads
the text.
"""

from __future__ import annotations

import re

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
    edits = [(start, end, None) for start, end in drop] + _bare_words(text, by_key, drop, path, diag)
    for start, end, value in sorted(edits, reverse=True):
        text = blank(text, start, end) if value is None else text[:start] + value + text[end:]
    written = {e.key.lower(): {f.name: split_names(unwrap(f.raw)) for f in e.fields
                               if f.name in ("author", "editor")}
               for e in (g[-1] for g in by_key.values())}
    return text, written


_MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}
_STRING_RE = re.compile(r"@\s*string\s*[{(]\s*([^\s=#{}(),]+)\s*=", re.IGNORECASE)
_BARE_RE = re.compile(r"[^\s\"{}#,=()]+")


def _bare_words(text: str, by_key: dict, drop: list, path, diag: Diagnostics) -> list:
    """`publisher = IEEE` with no `@string{IEEE = …}`: BibTeX and pybtex call it an undefined string
    and drop the value; it is kept as written, in braces, with a warning."""
    defined = {m.group(1).lower() for m in _STRING_RE.finditer(text)} | _MONTHS
    dropped = {start for start, _ in drop}
    edits = []
    for entry in (g[-1] for g in by_key.values()):
        for f in entry.fields:
            raw = f.raw
            if f.start in dropped or not _BARE_RE.fullmatch(raw) or raw.isdigit() or raw.lower() in defined:
                continue
            at = text.index(raw, text.index("=", f.start) + 1)
            edits.append((at, at + len(raw), "{" + raw + "}"))
            diag.warn(path, f.line, f"entry `{entry.key}`: `{f.name} = {raw}` names no `@string`; it is "
                      f"shown as written. Write `{f.name} = {{{raw}}}` to say so")
    return edits
