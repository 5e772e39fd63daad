"""The table of contents: the front matter's `toc:` matched to real headings, or the post's h2/h3.

al-folio's distill layout trusts `toc:` blindly and links `#` + a slug of each name, so a renamed
section leaves a dead link. Here every entry is matched to a heading the page really has; an entry
with no heading is dropped with a warning that lists the headings there are.
"""

from __future__ import annotations

import difflib
import html
import re
import unicodedata

from ..base.config import TocEntry
from ..base.errors import Diagnostics
from .parsed import Heading, TocItem


def _is_word(ch: str) -> bool:
    """Ruby's `\\p{Word}`: letters, marks, decimal digits and connector punctuation (`_`)."""
    cat = unicodedata.category(ch)
    return cat[0] in "LM" or cat in ("Nd", "Pc")


def slug_id(text: str) -> str:
    """kramdown's GFM heading ids (kramdown-parser-gfm `generate_gfm_header_id`), which Jekyll gives
    al-folio's headings: lowercase, everything but word characters, `-`, spaces and tabs dropped,
    then each space or tab a `-`. "Case 1-1: Minimization" -> "case-1-1-minimization",
    "Don't & Do" -> "dont--do". kramdown reads `--`, `---` and `...` as dashes and an ellipsis
    before it makes the id, so they vanish with the other punctuation ("A -- B" -> "a--b")."""
    text = re.sub(r"---|--|\.\.\.|<<|>>", "", text.strip().lower())
    kept = "".join(ch for ch in text if ch in "- \t" or _is_word(ch))
    return kept.replace(" ", "-").replace("\t", "-")


def jekyll_slugify(text: str) -> str:
    """Jekyll's `slugify` filter in its default mode, which al-folio's distill layout applies to each
    `toc:` name to make its link: every run of characters other than letters, marks and decimal
    digits becomes one `-`, `-` at either end goes, lowercase. "Case 1-1 - Minimization" ->
    "case-1-1-minimization"."""
    out, dash = [], False
    for ch in text:
        cat = unicodedata.category(ch)
        if cat[0] in "LM" or cat == "Nd":
            out.append(ch)
            dash = False
        elif not dash:
            out.append("-")
            dash = True
    return "".join(out).strip("-").lower()


class _HeadingIndex:
    """Headings by id, by slugged text, by Jekyll's slug and by case-folded text, so matching N
    entries against M headings costs N + M lookups, not N × M comparisons (4,000 × 4,000 took most
    of a minute). An entry matches a heading by the link al-folio makes of the name (`#` + Jekyll's
    slugify, which is the heading's kramdown id for most headings), by the id our own slug of the
    name gives, or by the text, ignoring case. Beyond al-folio: both slugified alike also match, so
    "Overview" finds "🧭 Overview" (whose kramdown id is `-overview`, a link al-folio's TOC misses)."""

    HINTS = 20  # difflib suggestions cost O(headings) each: only the first few missing entries get one

    def __init__(self, headings: list[Heading]):
        self.by_key: dict[str, Heading] = {}
        self.order = {id(h): i for i, h in enumerate(headings)}
        for h in headings:  # first heading wins, as a linear search would
            for key in (h.id, slug_id(h.text)):
                self.by_key.setdefault("id:" + key, h)
            self.by_key.setdefault("text:" + h.text.strip().casefold(), h)
            jslug = jekyll_slugify(h.text)
            if jslug:
                self.by_key.setdefault("jslug:" + jslug, h)
        self.names = [h.text for h in headings if h.level in (2, 3)] or [h.text for h in headings]
        self.hints_left = self.HINTS

    def find(self, entry: TocEntry) -> Heading | None:
        name = entry.name.strip()
        slug = jekyll_slugify(name)
        keys = ["id:" + slug_id(name), "id:" + slug, "text:" + name.casefold()]
        if slug:
            keys.append("jslug:" + slug)
        found = [h for h in map(self.by_key.get, keys) if h is not None]
        return min(found, key=lambda h: self.order[id(h)]) if found else None  # the first on the page


def _warn_missing(entry: TocEntry, index: _HeadingIndex, path, diag: Diagnostics, line) -> None:
    names = index.names
    guess = []
    if index.hints_left > 0:
        index.hints_left -= 1
        guess = difflib.get_close_matches(entry.name, names, n=1, cutoff=0.6)
    hint = f'did you mean "{guess[0]}"? ' if guess else ""
    listed = ", ".join(f'"{n}"' for n in names[:12]) + (", …" if len(names) > 12 else "")
    there = f"the headings are {listed}" if names else "the post has no headings"
    diag.warn(path, line, f'`toc:` entry "{entry.name}" matches no heading, so it is left out of the table '
              f"of contents; {hint}{there}. Rename the entry or add a `## {entry.name}` heading.")


def _from_entries(entries, index: _HeadingIndex, path, diag, line) -> list[TocItem]:
    items: list[TocItem] = []
    for entry in entries:
        children = _from_entries(entry.subsections, index, path, diag, line)
        if not entry.name.strip():  # subsections without a name (config.parse_toc warned)
            (items[-1].children if items else items).extend(children)
            continue
        heading = index.find(entry)
        if heading is None:
            _warn_missing(entry, index, path, diag, line)
            items.extend(children)  # keep subsections that exist: they still lead somewhere real
            continue
        # A name with Markdown code marks ("`torch.compile` & friends") shows as the heading's
        # plain text; other names are kept as the author shortened or worded them.
        text = heading.text.strip() if "`" in entry.name else entry.name.strip()
        items.append(TocItem(heading.id, text, children))
    return items


def auto_toc(headings: list[Heading]) -> list[TocItem]:
    """h2 entries with their h3 children, as Distill's sidebar shows them."""
    items: list[TocItem] = []
    for h in headings:
        if not h.text.strip() or h.level not in (2, 3):
            continue
        if h.level == 3 and items:
            items[-1].children.append(TocItem(h.id, h.text))
        else:  # an h3 before any h2 still deserves a place
            items.append(TocItem(h.id, h.text))
    return items


_OWN_CONTENTS_RE = re.compile(r"<d-contents\b", re.IGNORECASE)
_HTML_HEADING_RE = re.compile(r"<h([1-6])\b[^>]*?\sid=\"([^\"]+)\"[^>]*>(.*?)</h\1\s*>",
                              re.IGNORECASE | re.DOTALL)


def html_headings(body_html: str, headings: list[Heading]) -> list[Heading]:
    """Headings written as HTML with an id (`<h2 id="introduction"> 1. Introduction </h2>`), which
    al-folio's `#introduction` TOC link reaches; Markdown headings are already in `headings`."""
    known = {h.id for h in headings}
    found = []
    for m in _HTML_HEADING_RE.finditer(body_html):
        if m.group(2) not in known:
            text = html.unescape(re.sub(r"<[^>]+>", "", m.group(3))).strip()
            found.append(Heading(int(m.group(1)), text, m.group(2), 0))
    return found


def build_toc(toc: tuple[TocEntry, ...], headings: list[Heading], path, diag: Diagnostics,
              toc_line: int | None = None, body_html: str = "") -> list[TocItem]:
    """The table of contents; `toc_line` is the front-matter line of `toc:`, for warnings.

    Without `toc:` it is made from the headings, unless the body holds a hand-written
    `<d-contents>` (al-folio shows only that one then; a second, automatic one would repeat it)."""
    if not toc:
        return [] if _OWN_CONTENTS_RE.search(body_html) else auto_toc(headings)
    items = _from_entries(toc, _HeadingIndex(headings + html_headings(body_html, headings)), path, diag,
                          toc_line)
    if not items and auto_toc(headings):
        diag.warn(path, toc_line, "no `toc:` entry matches a heading, so the table of contents is "
                  "built from the post's `##` headings instead")
        return auto_toc(headings)
    return items
