"""The table of contents: the front matter's `toc:` matched to real headings, or the post's h2/h3.

al-folio's distill layout trusts `toc:` blindly and links `#` + a slug of each name, so a renamed
section leaves a dead link. Here every entry is matched to a heading the page really has; an entry
with no heading is dropped with a warning that lists the headings there are.
"""

from __future__ import annotations

import difflib
import re

from ..base.config import TocEntry
from ..base.errors import Diagnostics
from .parsed import Heading, TocItem


def slug_id(text: str) -> str:
    """GitHub's heading ids: lowercase, punctuation dropped, each space a `-`.

    "Other Typography?" -> "other-typography"; "Don't & Do" -> "dont--do" (the `&` goes, both spaces
    stay, as on GitHub). Letters and digits of any script are kept.
    """
    text = re.sub(r"[^\w\- ]", "", text.strip().lower().replace("\t", " "))
    return text.replace(" ", "-")


def _matches(entry: TocEntry, heading: Heading) -> bool:
    """By id (the entry's name slugged as the heading's would be) or by the text, ignoring case."""
    name = entry.name.strip()
    wanted = slug_id(name)
    return (heading.id == wanted or slug_id(heading.text) == wanted
            or heading.text.strip().casefold() == name.casefold())


def _find(entry: TocEntry, headings: list[Heading]) -> Heading | None:
    return next((h for h in headings if _matches(entry, h)), None)


def _warn_missing(entry: TocEntry, headings: list[Heading], path, diag: Diagnostics, line) -> None:
    names = [h.text for h in headings if h.level in (2, 3)] or [h.text for h in headings]
    guess = difflib.get_close_matches(entry.name, names, n=1, cutoff=0.6)
    hint = f'did you mean "{guess[0]}"? ' if guess else ""
    listed = ", ".join(f'"{n}"' for n in names[:12]) + (", …" if len(names) > 12 else "")
    there = f"the headings are {listed}" if names else "the post has no headings"
    diag.warn(path, line, f'`toc:` entry "{entry.name}" matches no heading, so it is left out of the table '
              f"of contents; {hint}{there}. Rename the entry or add a `## {entry.name}` heading.")


def _from_entries(entries, headings, path, diag, line) -> list[TocItem]:
    items = []
    for entry in entries:
        children = _from_entries(entry.subsections, headings, path, diag, line)
        heading = _find(entry, headings)
        if heading is None:
            _warn_missing(entry, headings, path, diag, line)
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


def build_toc(toc: tuple[TocEntry, ...], headings: list[Heading], path, diag: Diagnostics,
              toc_line: int | None = None) -> list[TocItem]:
    """The table of contents; `toc_line` is the front-matter line of `toc:`, for warnings."""
    if not toc:
        return auto_toc(headings)
    items = _from_entries(toc, headings, path, diag, toc_line)
    if not items and auto_toc(headings):
        diag.warn(path, toc_line, "no `toc:` entry matches a heading, so the table of contents is "
                  "built from the post's `##` headings instead")
        return auto_toc(headings)
    return items
