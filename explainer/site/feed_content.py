"""The full text of each post for the Atom feed: the article as a feed reader can show it.

Feed readers run no JavaScript and load none of our CSS, so the body is rewritten for them: no
scripts (figure data, models), no <noscript> twins (the figure's static PNG is already there as an
image), no hover cards (their text would run into the sentence), formulas as MathML (the SVG glyphs
point at definitions elsewhere on the page), and every link and image address absolute.

Each page's feed text is kept in the cache when the page is built, so the feed can list posts that
this build did not rebuild. It is stored under the key the page was built from (the key the manifest
records for the published page), so the feed always carries the text of the pages that are
actually published, even after a build that was killed between building pages and publishing them.
Every edit of a post stores a new text, so a build that has published prunes the texts of pages no
longer published (prune), once they outnumber the posts by a quarter: a one-post rebuild pays a
directory listing, not a digest per post.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from urllib.parse import urljoin

from ..base.files import write_atomic
from ..base.hashing import digest
from ..posts.xref_card import drop_hover_cards

_SCRIPT_RE = re.compile(r"<script\b[^>]*>.*?</script>|<noscript\b[^>]*>.*?</noscript>", re.S | re.IGNORECASE)
_MATH_RE = re.compile(r"<mjx-container\b[^>]*>.*?<mjx-assistive-mml\b[^>]*>(.*?)</mjx-assistive-mml>\s*"
                      r"</mjx-container>", re.S)
_URL_ATTR_RE = re.compile(r'(\s(?:href|src)=")([^"]*)"')


FEED_LIMIT = 20  # posts in the feed, newest first (jekyll-feed lists 10)


def newest_first(posts: list) -> list:
    # Naive and zoned dates can meet in one site; compare them as wall-clock UTC-ish timestamps.
    return sorted(posts, key=lambda p: (_sortable(p.facts.date), p.slug), reverse=True)


def feed_posts(posts: list) -> list:
    """The posts the feed lists. Here, not in the layout, so that a build which keeps its feed
    learns which posts those are without loading Jinja."""
    return newest_first(posts)[:FEED_LIMIT]


def _sortable(date: dt.datetime) -> dt.datetime:
    if date.tzinfo is not None:
        date = date.astimezone(dt.UTC).replace(tzinfo=None)
    return date


def feed_html(body_html: str, page_url: str) -> str:
    html = _SCRIPT_RE.sub("", body_html)
    html = drop_hover_cards(html)
    html = _MATH_RE.sub(r"\1", html)
    return _URL_ATTR_RE.sub(lambda m: f'{m.group(1)}{urljoin(page_url, m.group(2))}"', html)


def _path(cache_dir: Path, out_path: str, page_key: str) -> Path:
    return cache_dir / "feed" / f"{digest(out_path, page_key, size=12)}.html"


def store(cache_dir: Path, out_path: str, page_key: str, html: str) -> None:
    """`page_key`: what the page is built from, as the outputs ledger and the manifest record it."""
    write_atomic(_path(cache_dir, out_path, page_key), html.encode("utf-8"))


def load(cache_dir: Path, out_path: str, page_key: str | None) -> str | None:
    if not page_key:
        return None
    try:
        return _path(cache_dir, out_path, page_key).read_text(encoding="utf-8")
    except OSError:
        return None


def prune(cache_dir: Path, published: dict[str, str]) -> int:
    """Remove the stored texts of pages that are not published (`published`: out_path → the key
    the published page was built from). Only after a successful publish: the texts of the pages
    now live are kept, whatever earlier, killed builds left. Returns how many files went."""
    folder = cache_dir / "feed"
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    if len(names) <= len(published) + max(20, len(published) // 4):
        return 0
    keep = {_path(cache_dir, rel, key).name for rel, key in published.items()}
    removed = 0
    for name in names:
        if name.endswith(".html") and name not in keep:  # a half-written temporary file is not ours to judge
            try:
                (folder / name).unlink()
                removed += 1
            except OSError:
                pass
    return removed
