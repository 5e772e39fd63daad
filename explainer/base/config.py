"""Typed, validated configuration: `SiteConfig` (content/site.yml) and `PostMeta` (front matter).

Validation never stops at the first problem: every problem found is added to a `Diagnostics` with the
line of the offending key, so an author fixes them all in one pass. Unknown keys are kept in `extra`
and ignored, as al-folio does (themes and plugins add keys of their own).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

from .errors import Diagnostics

# libyaml's loader is 7x faster than the pure-Python one; front matter of every post is parsed on
# every build, so it matters for a 1000-post site.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):
    """SafeLoader that leaves timestamps as strings: YAML 1.1 would reject al-folio's `-0400` zones
    and silently turn others into naive datetimes. We parse dates ourselves (`parse_date`)."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(text: str):
    return yaml.load(text, Loader=_Loader)


def key_line(yaml_text: str, key: str, first_line: int = 1) -> int:
    """Line (1-based, offset by `first_line`) of a top-level `key:` in YAML text, for error messages."""
    m = re.search(rf"^{re.escape(key)}\s*:", yaml_text, re.M)
    if not m:
        return first_line
    return first_line + yaml_text.count("\n", 0, m.start())


_DATE_RE = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[Tt ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?)?$"
)


def parse_date(value) -> dt.datetime | None:
    """Dates as al-folio authors write them: `2023-05-05`, `2023-05-05 11:59:00-0400`, ISO 8601."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    m = _DATE_RE.match(str(value).strip())
    if not m:
        return None
    y, mo, d, h, mi, s, zone = m.groups()
    tz = None
    if zone:
        if zone == "Z":
            tz = dt.UTC
        else:
            digits = zone[1:].replace(":", "")
            hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
            delta = dt.timedelta(hours=hours, minutes=minutes)
            tz = dt.timezone(delta if zone[0] == "+" else -delta)
    try:
        return dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0), tzinfo=tz)
    except ValueError:
        return None


@dataclass(frozen=True)
class Affiliation:
    name: str
    url: str | None = None


@dataclass(frozen=True)
class Author:
    name: str
    url: str | None = None
    affiliations: tuple[Affiliation, ...] = ()


@dataclass(frozen=True)
class TocEntry:
    name: str
    subsections: tuple["TocEntry", ...] = ()


@dataclass(frozen=True)
class MathConfig:
    mode: str = "svg"  # "svg": rendered at build time; "client": MathJax in the reader's browser
    macros: dict = field(default_factory=dict)


@dataclass(frozen=True)
class SiteConfig:
    title: str = "explainer"
    description: str = ""
    url: str = ""  # origin, e.g. https://example.org (feeds, sitemap, OpenGraph need absolute URLs)
    baseurl: str = ""  # path prefix, e.g. /blog ("" when served from the root)
    lang: str = "en"
    authors: tuple[Author, ...] = ()
    math: MathConfig = field(default_factory=MathConfig)
    giscus: dict | None = None
    footer: str = ""
    extra: dict = field(default_factory=dict)

    def relative_url(self, path: str) -> str:
        """Jekyll's `relative_url`: the base path joined to a site path."""
        if re.match(r"^[a-z][a-z0-9+.-]*:", path) or path.startswith("#"):
            return path
        return self.baseurl + "/" + path.lstrip("/")

    def absolute_url(self, path: str) -> str:
        return self.url + self.relative_url(path)

    def with_base_url(self, base_url: str) -> "SiteConfig":
        url, baseurl = split_base_url(base_url)
        return _replace(self, url=url, baseurl=baseurl)


def _replace(obj, **changes):
    import dataclasses
    return dataclasses.replace(obj, **changes)


def split_base_url(base_url: str) -> tuple[str, str]:
    """`https://host/blog/` -> ("https://host", "/blog"); `/blog` -> ("", "/blog")."""
    parts = urlsplit(base_url.strip())
    origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    path = parts.path.rstrip("/")
    if path and not path.startswith("/"):
        path = "/" + path
    return origin, path


def _str(value) -> str:
    return "" if value is None else str(value)


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def parse_authors(value, diag: Diagnostics, path, line: int) -> tuple[Author, ...]:
    authors = []
    for item in _as_list(value):
        if isinstance(item, str):
            authors.append(Author(item))
            continue
        if not isinstance(item, dict) or not item.get("name"):
            diag.error(path, line, "each entry of `authors:` needs a `name:` (e.g. `- name: Ada Lovelace`)")
            continue
        affs = []
        raw = item.get("affiliations", item.get("affiliation"))
        # al-folio writes `affiliations: {name: ..., url: ...}`; lists and plain strings are accepted too.
        for a in _as_list(raw):
            if isinstance(a, dict) and a.get("name"):
                affs.append(Affiliation(_str(a["name"]), a.get("url") or None))
            elif isinstance(a, str) and a:
                affs.append(Affiliation(a))
        authors.append(Author(_str(item["name"]), item.get("url") or None, tuple(affs)))
    return tuple(authors)


def parse_toc(value, diag: Diagnostics, path, line: int) -> tuple[TocEntry, ...]:
    entries = []
    for item in _as_list(value):
        if isinstance(item, str):
            entries.append(TocEntry(item))
        elif isinstance(item, dict) and item.get("name") is not None:
            subs = parse_toc(item.get("subsections"), diag, path, line)
            entries.append(TocEntry(_str(item["name"]), subs))
        else:
            diag.error(path, line, "each `toc:` entry needs a `name:` (e.g. `- name: Introduction`)")
    return tuple(entries)


def _check_type(data: dict, key: str, types, diag, path, text, first_line, expect: str) -> bool:
    if key in data and data[key] is not None and not isinstance(data[key], types):
        diag.error(path, key_line(text, key, first_line),
                   f"`{key}` should be {expect}, got {type(data[key]).__name__} {data[key]!r}")
        return False
    return True


def load_site_config(path: Path, diag: Diagnostics) -> SiteConfig:
    """Read content/site.yml; a missing file means all defaults."""
    if not path.exists():
        return SiteConfig()
    text = path.read_text(encoding="utf-8")
    try:
        data = load_yaml(text) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        diag.error(path, mark.line + 1 if mark else 1, f"invalid YAML: {getattr(e, 'problem', e)}")
        return SiteConfig()
    if not isinstance(data, dict):
        diag.error(path, 1, "site.yml should be a mapping of keys such as `title:` and `url:`")
        return SiteConfig()
    for key, expect in (("title", "text"), ("description", "text"), ("url", "text"), ("baseurl", "text")):
        _check_type(data, key, (str,), diag, path, text, 1, expect)
    math = data.get("math") or {}
    if isinstance(math, str):
        math = {"mode": math}
    mode = str(math.get("mode", "svg"))
    if mode not in ("svg", "client"):
        diag.error(path, key_line(text, "math"), f"`math.mode` must be `svg` or `client`, got {mode!r}")
        mode = "svg"
    macros = math.get("macros") or {}
    if not isinstance(macros, dict):
        diag.error(path, key_line(text, "math"), "`math.macros` should map names to TeX, e.g. `R: '\\\\mathbb{R}'`")
        macros = {}
    url, baseurl = split_base_url(_str(data.get("url")))
    if data.get("baseurl"):
        baseurl = split_base_url(_str(data["baseurl"]))[1]
    known = {"title", "description", "url", "baseurl", "lang", "authors", "math", "giscus", "footer"}
    return SiteConfig(
        title=_str(data.get("title", "explainer")),
        description=_str(data.get("description")),
        url=url,
        baseurl=baseurl,
        lang=_str(data.get("lang", "en")),
        authors=parse_authors(data.get("authors"), diag, path, key_line(text, "authors")),
        math=MathConfig(mode=mode, macros={str(k): str(v) for k, v in macros.items()}),
        giscus=data.get("giscus") if isinstance(data.get("giscus"), dict) else None,
        footer=_str(data.get("footer")),
        extra={k: v for k, v in data.items() if k not in known},
    )


@dataclass(frozen=True)
class PostMeta:
    title: str
    date: dt.datetime
    description: str = ""
    layout: str = "distill"
    authors: tuple[Author, ...] = ()
    bibliography: str | None = None
    toc: tuple[TocEntry, ...] = ()
    tags: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    published: bool = True
    giscus_comments: bool = False
    styles: str = ""  # al-folio's `_styles`: CSS the author adds to this page
    math_macros: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)


def _words(value) -> tuple[str, ...]:
    """al-folio accepts `tags: a b c` as well as a YAML list."""
    if isinstance(value, str):
        return tuple(value.split())
    return tuple(_str(v) for v in _as_list(value) if v is not None)


POST_KEYS = {"layout", "title", "description", "date", "authors", "bibliography", "toc", "tags",
             "categories", "published", "giscus_comments", "_styles", "math_macros"}


def parse_post_meta(data: dict, fm_text: str, fm_line: int, path: Path,
                    default_date: dt.datetime | None, diag: Diagnostics) -> PostMeta | None:
    """Front matter -> PostMeta. `fm_line` is the file line of the first front-matter line."""
    def line(key):
        return key_line(fm_text, key, fm_line)

    ok = True
    for key, types, expect in (("title", (str, int, float), "text"), ("description", (str,), "text"),
                               ("bibliography", (str,), "a file name such as `2023-05-05-post.bib`"),
                               ("published", (bool,), "`true` or `false`"),
                               ("giscus_comments", (bool,), "`true` or `false`"),
                               ("_styles", (str,), "CSS text"),
                               ("math_macros", (dict,), "a mapping of macro names to TeX")):
        ok &= _check_type(data, key, types, diag, path, fm_text, fm_line, expect)
    title = _str(data.get("title")).strip()
    if not title:
        diag.error(path, fm_line, "the post has no `title:` in its front matter; add one, e.g. `title: My Post`")
        ok = False
    date = default_date
    if data.get("date") is not None:
        date = parse_date(data["date"])
        if date is None:
            diag.error(path, line("date"), f"cannot read `date: {data['date']}`; write it as "
                       "`2023-05-05` or `2023-05-05 11:59:00-0400`")
            ok = False
    elif date is None:
        diag.error(path, fm_line, "the post has no date: name the file `YYYY-MM-DD-slug.md` or add `date:`")
        ok = False
    if not ok:
        return None
    return PostMeta(
        title=title,
        date=date,
        description=_str(data.get("description")),
        layout=_str(data.get("layout", "distill")),
        authors=parse_authors(data.get("authors"), diag, path, line("authors")),
        bibliography=data.get("bibliography") or None,
        toc=parse_toc(data.get("toc"), diag, path, line("toc")) if isinstance(data.get("toc"), list) else (),
        tags=_words(data.get("tags")),
        categories=_words(data.get("categories")),
        published=data.get("published", True) is not False,
        giscus_comments=bool(data.get("giscus_comments", False)),
        styles=_str(data.get("_styles")),
        math_macros={str(k): str(v) for k, v in (data.get("math_macros") or {}).items()},
        extra={k: v for k, v in data.items() if k not in POST_KEYS},
    )
