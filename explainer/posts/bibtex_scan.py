"""A small scanner over BibTeX source: where each entry and each field is, as the author wrote it.

pybtex parses the values, but it drops what Distill's bibliography code keeps: with a key given
twice, Distill (a `Map` filled in file order) shows the *last* entry, and with a field given twice
the last value (a plain object assignment), where pybtex keeps the first. It also loses the
author field as written when a name does not parse. This module finds those places, with their
lines, so bibliography.py can hand pybtex the text Distill would have used and warn about the rest.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

_ENTRY_START_RE = re.compile(r"@\s*([A-Za-z]+)\s*([{(])")
_KEY_RE = re.compile(r"\s*([^\s,={}()]*)\s*,")
_FIELD_RE = re.compile(r"\s*([A-Za-z][\w:.+/-]*)\s*=\s*")
_NOT_ENTRIES = ("string", "preamble", "comment")


@dataclass
class Field:
    name: str  # lower case, as Distill stores it
    raw: str  # the value as written: `{…}` or `"…"` with its delimiters, or a bare word / number
    line: int
    start: int  # offset of the field name
    end: int  # offset past the value and its comma


@dataclass
class Entry:
    type: str
    key: str
    start: int  # offset of `@`
    end: int  # offset just past the closing brace (or the end of what could be read)
    line: int
    fields: list[Field] = field(default_factory=list)


def line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


class _Lines:
    """Line numbers of many offsets in one text, without counting from the start each time."""

    def __init__(self, text: str):
        self.starts = [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) + 1


_SPECIAL = {close: re.compile(r'[{}\n' + re.escape(close) + "]") for close in ('}', ')', '"')}


def _balanced(text: str, i: int, close: str) -> int:
    """Offset just past the delimiter that closes the one before `i` (braces nest inside). Jumps from
    one brace, quote or newline to the next: a large .bib is scanned in a few milliseconds."""
    depth, special = 0, _SPECIAL[close]
    while (m := special.search(text, i)) is not None:
        i, c = m.start(), m.group()
        if c == "{":
            depth += 1
        elif c == "}" and depth > 0:
            depth -= 1
        elif c == close and depth == 0:
            return i + 1
        elif c == "\n" and text.startswith("@", i + 1) and depth == 0 and close != '"':
            return i  # an unclosed entry ends where the next one starts
        i += 1
    return len(text)


def _value_end(text: str, i: int, stop: int) -> int:
    """End of one field value, `#` concatenations included."""
    while i < stop:
        c = text[i]
        if c == "{":
            i = _balanced(text, i + 1, "}")
        elif c == '"':
            i = _balanced(text, i + 1, '"')
        elif c in ",})":
            return i
        else:
            i += 1
    return stop


def _fields(text: str, entry: Entry, body_start: int, lines: _Lines) -> None:
    i = body_start
    while i < entry.end:
        m = _FIELD_RE.match(text, i, entry.end)
        if not m:
            break
        end = _value_end(text, m.end(), entry.end - 1)
        after = end + 1 if end < entry.end and text[end] == "," else end
        entry.fields.append(Field(m.group(1).lower(), text[m.end():end].strip(), lines.at(m.start(1)),
                                  m.start(1), after))
        if after == end:
            break
        i = after


def scan_entries(text: str) -> list[Entry]:
    """Every entry (not @string/@preamble/@comment) with its key and fields, in file order."""
    entries, lines = [], _Lines(text)
    for m in _ENTRY_START_RE.finditer(text):
        kind = m.group(1).lower()
        if kind in _NOT_ENTRIES or (entries and m.start() < entries[-1].end):
            continue
        close = "}" if m.group(2) == "{" else ")"
        end = _balanced(text, m.end(), close)
        key = _KEY_RE.match(text, m.end(), end)
        entry = Entry(kind, key.group(1) if key else "", m.start(), end, lines.at(m.start()))
        if key:
            _fields(text, entry, key.end(), lines)
        entries.append(entry)
    return entries


def blank(text: str, start: int, end: int) -> str:
    """`text` with [start, end) turned to spaces, newlines kept: later lines keep their numbers."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def unwrap(raw: str) -> str:
    """A braced or quoted value without its outer delimiters."""
    raw = raw.strip()
    if len(raw) >= 2 and (raw[0], raw[-1]) in (("{", "}"), ('"', '"')):
        return raw[1:-1]
    return raw


def split_names(value: str) -> list[str]:
    """An author field split at ` and ` outside braces, as BibTeX reads it."""
    names, depth, start = [], 0, 0
    for m in re.finditer(r"[{}]|\s+and\s+", value, re.IGNORECASE):
        tok = m.group()
        if tok == "{":
            depth += 1
        elif tok == "}":
            depth = max(0, depth - 1)
        elif depth == 0:
            names.append(value[start:m.start()])
            start = m.end()
    names.append(value[start:])
    return [n.strip() for n in names if n.strip()]
