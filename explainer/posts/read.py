"""Find posts, split their front matter, and work out dates, slugs and permalinks.

al-folio names posts `_posts/YYYY-MM-DD-slug.md` and publishes them at `/blog/YYYY/slug/`; we keep
both conventions so an al-folio post can be dropped into `content/posts/` unchanged.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

from ..base.config import PostMeta, key_line, load_yaml, parse_post_meta
from ..base.errors import Diagnostics
from ..base.hashing import digest
from ..base.process_caches import register
from .permalink import output_path, resolve_permalink

# Jekyll's post file names: a one-digit month or day is fine (`2021-5-5-score.md`).
POST_NAME_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-(.+)$")
POST_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True)
class PostFacts:
    """What every build reads of every post's front matter, unchanged posts too (dates for the order
    and the URL, the filters and checks of the read stage). A post read back from the memo has these
    at once and decodes the rest of its front matter only when asked (post_memo.py)."""

    date: dt.datetime
    published: bool
    bibliography: str | None
    giscus_comments: bool
    thumbnail: str  # the front matter's own `thumbnail:`, stripped ("" when none)


@dataclass(frozen=True)
class Post:
    path: Path  # the source file
    meta: PostMeta
    slug: str
    body: str  # Markdown after the front matter
    body_line: int  # file line (1-based) of the body's first line, so parser lines map back to the file
    source: str  # the whole file, for hashing
    permalink: str | None = None  # the front matter's `permalink:`, resolved (permalink.py)

    @cached_property  # asked for several times per post by every build
    def url_path(self) -> str:
        """Site path, e.g. `/blog/2023/autoencoders/` (al-folio's `/blog/:year/:title/`)."""
        return self.permalink or f"/blog/{self.facts.date.year:04d}/{self.slug}/"

    def key_line(self, key: str) -> int:
        """File line of a top-level front-matter key, for diagnostics about its value."""
        # The source starts with the opening `---`, so this is everything before the closing one.
        return key_line(self.source.split("\n---", 1)[0], key, 1)

    @cached_property
    def out_path(self) -> str:
        """Output file relative to the site root."""
        return output_path(self.url_path)

    # Facts that the build asks of every post, unchanged ones too. They are kept in the post memo
    # (post_memo.py), so a post read back from it need not have its text read or front matter decoded.
    @cached_property
    def facts(self) -> PostFacts:
        m = self.meta
        own = m.extra.get("thumbnail")
        return PostFacts(m.date, m.published, m.bibliography, m.giscus_comments,
                         own.strip() if isinstance(own, str) else "")

    @cached_property
    def source_digest(self) -> str:
        return digest(self.source)

    @cached_property
    def meta_digest(self) -> str:
        """What the site's index, sitemap and feed read of the post (its front matter)."""
        return digest(repr(self.meta))

    @cached_property
    def cites(self) -> bool:
        """The body holds a `<d-cite`: the read stage warns when it names no `bibliography:`."""
        return "<d-cite" in self.body

    @cached_property
    def mentions_figure(self) -> bool:
        """The word `figure` occurs in the file: it may hold a ```figure block (most posts do not)."""
        return "figure" in self.source


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[\s_-]+", "-", text).strip("-") or "post"


def find_posts(posts_dir: Path) -> list[Path]:
    """Post files under `posts_dir`, sorted: as `rglob("*")` finds them (symlinked folders are not
    entered; a symlinked file is listed, and collect.py decides about it), with one `scandir` per
    folder instead of a `stat` per file (a 1000-post site: 3 ms instead of 10)."""
    if not posts_dir.is_dir():
        return []
    found: list[str] = []
    todo = [os.fspath(posts_dir)]
    while todo:
        with os.scandir(todo.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    todo.append(entry.path)
                elif (os.path.splitext(entry.name)[1] in POST_SUFFIXES and not entry.name.startswith((".", "_"))
                      and entry.is_file()):
                    found.append(entry.path)
    return [Path(p) for p in sorted(found, key=lambda p: p.split(os.sep))]  # as Paths sort: by parts


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """-> (front matter text or None, body, body's first line number).

    Front matter is Jekyll's: a first line `---`, YAML, then a line `---` (or `...`).
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, text, 1
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1:]), i + 2
    return None, text, 1


_MEMO: dict = {}  # per process: (path, mtime_ns, size) -> (Post | None, diagnostics); post_memo.py keeps it on disk
register("posts memo", _MEMO.clear)


def read_post(path: Path, diag: Diagnostics, st: os.stat_result | None = None) -> Post | None:
    """Read one post; problems go to `diag` and give None.

    The preview server rebuilds many times a second: a post whose file has not changed since this
    process last read it is not read or parsed again (its diagnostics are replayed). `st`: the
    file's stat, when the caller has it."""
    try:
        st = st or path.stat()
    except OSError:
        return _read_post(path, diag)
    memo_key = (str(path), st.st_mtime_ns, st.st_size)
    if memo_key not in _MEMO:
        if len(_MEMO) > 20000:
            _MEMO.clear()
        own = Diagnostics()
        _MEMO[memo_key] = (_read_post(path, own), own.items)
    post, items = _MEMO[memo_key]
    diag.extend(items)
    return post


def read_source(path: Path) -> str:
    """A post file's text as the build reads it (UnicodeDecodeError when it is not UTF-8)."""
    return path.read_text(encoding="utf-8").replace("\r\n", "\n")


def _read_post(path: Path, diag: Diagnostics) -> Post | None:
    try:
        source = read_source(path)
    except UnicodeDecodeError as e:
        diag.error(path, 1, f"the file is not UTF-8 text ({e.reason} at byte {e.start}); save it as UTF-8")
        return None
    fm_text, body, body_line = split_front_matter(source)
    if fm_text is None:
        # Jekyll skips such files too (a README.md among the posts, say), but the author should know.
        diag.warn(path, 1, "skipped: no front matter; a post starts with `---`, a `title:` line, and `---`")
        return None
    try:
        data = load_yaml(fm_text) or {}
    except yaml.YAMLError as e:
        # An unclosed bracket or quote is reported where the file ends; the construct's start
        # (context_mark) is where the author has to look.
        mark = getattr(e, "context_mark", None) or getattr(e, "problem_mark", None)
        line = mark.line + 2 if mark else 2
        what = " ".join(filter(None, [getattr(e, "context", None), getattr(e, "problem", None)])) or str(e)
        diag.error(path, line, f"invalid YAML in front matter: {what}")
        return None
    if not isinstance(data, dict):
        diag.error(path, 2, "front matter should be `key: value` lines")
        return None
    stem = path.stem
    default_date, slug = None, stem
    m = POST_NAME_RE.match(stem)
    if m:
        y, mo, d, slug = m.groups()
        try:
            default_date = dt.datetime(int(y), int(mo), int(d))
        except ValueError:
            diag.error(path, 1, f"the file name's date {y}-{mo}-{d} is not a real date")
            return None
    meta = parse_post_meta(data, fm_text, 2, path, default_date, diag)
    if meta is None:
        return None
    # Jekyll's `:title` (al-folio's `/blog/:year/:title/`) is the front matter's `slug:` when given
    slug = slugify(str(data["slug"]) if isinstance(data.get("slug"), (str, int)) and data["slug"] else slug)
    permalink = data.get("permalink")
    if permalink is not None:
        permalink, problem = _permalink(permalink, meta, slug)
        if problem:
            diag.error(path, key_line(fm_text, "permalink", 2), problem)
            return None
    return Post(path=path, meta=meta, slug=slug, body=body, body_line=body_line, source=source,
                permalink=permalink)


def _permalink(value, meta: PostMeta, slug: str) -> tuple[str | None, str | None]:
    if not isinstance(value, str) or not value.strip():
        return None, f"`permalink:` should be a path such as `/notes/my-post/`, got {value!r}"
    return resolve_permalink(value.strip(), meta.date, slug, meta.categories)
