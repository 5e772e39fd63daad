"""Dead links and missing images, marked on the page where the reader (and the author, in the
preview) sees them: the `<a>` or `<img>` gets the class `broken-link` and a title saying what is
wrong, as a warning build publishes the page anyway (MkDocs' rule: warn by default, fail with
`--strict`).

The mark is one run of attributes put right after the tag name, so it can be taken out again exactly:
a page that a build skips as unchanged keeps its HTML, and when the file it pointed at appears (or
disappears) its marks are redone on the stored page without parsing the post again. Put first, the
mark's `class` and `title` win over any the tag already had (HTML keeps the first of two), and the
tag's own come back when the mark goes.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

_TAG_RE = re.compile(r"<(a|img)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.IGNORECASE)
_URL_ATTR_RE = re.compile(r"""\s(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE)
_SKIP_RE = re.compile(r"(<!--.*?-->|<script\b.*?</script\s*>|<style\b.*?</style\s*>)",
                      re.DOTALL | re.IGNORECASE)
_MARK_RE = re.compile(r' data-broken class="broken-link" title="[^"]*"')


def _url_of(tag: str, attrs: str) -> str | None:
    want = "href" if tag.lower() == "a" else "src"
    for m in _URL_ATTR_RE.finditer(" " + attrs):
        if m.group(1).lower() == want:
            return html.unescape(next(g for g in m.group(2, 3, 4) if g is not None))
    return None


def unmark(page: str) -> str:
    return _MARK_RE.sub("", page)


def mark(page: str, problems: dict[str, str]) -> str:
    """Mark every `<a href>` / `<img src>` whose URL (as written in the page) is in `problems`, with
    that problem as its title; marks of URLs no longer in `problems` are taken out."""
    page = unmark(page)
    if not problems:
        return page

    def sub(m: re.Match) -> str:
        url = _url_of(m.group(1), m.group(2))
        if url is None or url not in problems:
            return m.group(0)
        title = html.escape(problems[url], quote=True)
        return f'<{m.group(1)} data-broken class="broken-link" title="{title}"{m.group(2)}>'
    # scripts, styles and comments are left as they are, as the link checks never looked inside
    parts = _SKIP_RE.split(page)
    return "".join(part if i % 2 else _TAG_RE.sub(sub, part) for i, part in enumerate(parts))


def mark_page(rel: str, marks: dict, entry: dict, outputs, out_dir: Path) -> None:
    """Dead links and missing images marked on a page in the `outputs` ledger: on the HTML about to
    be written, or on the stored page of one skipped as unchanged, when its marks are not those of
    last time (`entry`: the page's manifest entry from the last build)."""
    if rel in outputs.files:  # already written: marked pages are few, so reading it back is cheap
        if marks:
            outputs.add(rel, mark(outputs.read(rel).decode("utf-8"), marks).encode("utf-8"), outputs.files[rel].key)
        return
    if marks == entry.get("marks", {}) or rel not in outputs.kept:
        return
    try:
        page = (out_dir / rel).read_text(encoding="utf-8")
    except OSError:
        return
    outputs.add(rel, mark(page, marks).encode("utf-8"), outputs.kept[rel])
    # written again, the page keeps what the last build noted of it (its own warnings, say)
    noted = outputs.notes.get(rel, {})
    outputs.note(rel, **{k: v for k, v in entry.items() if k not in ("key", "hash") and k not in noted})
