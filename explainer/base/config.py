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
from .safe_yaml import load_yaml  # noqa: F401  (re-exported: the loader every YAML reader uses)
from .url_policy import refusal, safe_url, unsafe_hrefs_in_tex


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
            if hours > 23 or minutes > 59:  # `+9999` is no time zone
                return None
            delta = dt.timedelta(hours=hours, minutes=minutes)
            tz = dt.timezone(delta if zone[0] == "+" else -delta)
    try:
        date = dt.datetime(int(y), int(mo), int(d), int(h or 0), int(mi or 0), int(s or 0), tzinfo=tz)
        # Feeds and sorting convert to UTC, and a day either side must exist: 9999-12-31 -1200 does not.
        (date.replace(tzinfo=None) - (date.utcoffset() or dt.timedelta(0))) + dt.timedelta(days=1)
        date.replace(tzinfo=None) - dt.timedelta(days=1)
    except (ValueError, OverflowError):
        return None
    return date


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
                affs.append(Affiliation(_str(a["name"]), _checked_url(a.get("url"), diag, path, line)))
            elif isinstance(a, str) and a:
                affs.append(Affiliation(a))
        url = _checked_url(item.get("url"), diag, path, line)
        authors.append(Author(_str(item["name"]), url, tuple(affs)))
    return tuple(authors)


def _checked_url(value, diag: Diagnostics, path, line: int) -> str | None:
    """A URL that may go into an href (url_policy.py); anything else is an error and unlinked."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or safe_url(value) is None:
        diag.error(path, line, "author/affiliation `url:` " + refusal(value))
        return None
    return safe_url(value)


def _checked_macros(macros, diag: Diagnostics, path, line: int, key: str) -> dict[str, str]:
    if not isinstance(macros, dict):
        diag.error(path, line, f"`{key}` should map names to TeX, e.g. `R: '\\mathbb{{R}}'`")
        return {}
    out = {}
    for name, tex in macros.items():
        if isinstance(tex, list) and tex and isinstance(tex[0], str):
            tex = tex[0]  # MathJax's [definition, number of arguments] form
        if not isinstance(tex, (str, int, float)) or isinstance(tex, bool):
            diag.error(path, line, f"`{key}.{name}` should be TeX text, got {type(tex).__name__}")
            continue
        bad = unsafe_hrefs_in_tex(str(tex))
        if bad:
            diag.error(path, line, f"`{key}.{name}`: \\href {refusal(bad[0])}")
            continue
        out[str(name)] = str(tex)
    return out


def parse_toc(value, diag: Diagnostics, path, line: int) -> tuple[TocEntry, ...]:
    entries = []
    for item in _as_list(value):
        if isinstance(item, str):
            entries.append(TocEntry(item))
        elif isinstance(item, dict) and item.get("name") is not None:
            subs = parse_toc(item.get("subsections"), diag, path, line)
            entries.append(TocEntry(_str(item["name"]), subs))
        elif isinstance(item, dict) and item.get("subsections"):
            # `- name: A` then `- subsections: [...]` as an item of its own: al-folio shows an empty
            # link and then the subsections, so they read as A's. They are kept, under the entry before.
            diag.warn(path, line, "a `toc:` item has `subsections:` but no `name:`; they are shown under "
                      "the entry before it, as al-folio shows them. Indent `subsections:` under that "
                      "`- name:` line (no `-` before it) to say so")
            entries.append(TocEntry("", parse_toc(item.get("subsections"), diag, path, line)))
        elif isinstance(item, dict) and "name" in item:
            diag.warn(path, line, "a `toc:` item has an empty `name:`; it is left out (al-folio shows an "
                      "empty link for it)")
        else:
            diag.warn(path, line, f"a `toc:` item without `name:` ({item!r}) is left out; write each entry "
                      "as `- name: Introduction`")
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
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as e:
        diag.error(path, 1, f"site.yml is not UTF-8 text ({e.reason} at byte {e.start}); save it as UTF-8",
                   col=1)
        return SiteConfig()
    except OSError as e:
        diag.error(path, 1, f"cannot read site.yml ({e.strerror})", col=1)
        return SiteConfig()
    try:
        data = load_yaml(text) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        diag.error(path, mark.line + 1 if mark else 1, f"invalid YAML: {getattr(e, 'problem', e)}",
                   col=mark.column + 1 if mark else 1)
        return SiteConfig()
    if not isinstance(data, dict):
        diag.error(path, 1, "site.yml should be a mapping of keys such as `title:` and `url:`")
        return SiteConfig()
    for key, expect in (("title", "text"), ("description", "text"), ("url", "text"), ("baseurl", "text")):
        _check_type(data, key, (str,), diag, path, text, 1, expect)
    math = data.get("math") or {}
    if isinstance(math, str):
        math = {"mode": math}
    if not isinstance(math, dict):
        diag.error(path, key_line(text, "math"), f"`math` should be `svg`, `client` or a mapping with "
                   f"`mode:` and `macros:`, got {type(math).__name__} {math!r}")
        math = {}
    mode = str(math.get("mode", "svg"))
    if mode not in ("svg", "client"):
        diag.error(path, key_line(text, "math"), f"`math.mode` must be `svg` or `client`, got {mode!r}")
        mode = "svg"
    macros = _checked_macros(math.get("macros") or {}, diag, path, key_line(text, "math"), "math.macros")
    url, baseurl = _site_url(data, text, path, diag)
    known = {"title", "description", "url", "baseurl", "lang", "authors", "math", "giscus", "footer"}
    return SiteConfig(
        title=_str(data.get("title", "explainer")),
        description=_str(data.get("description")),
        url=url,
        baseurl=baseurl,
        lang=_str(data.get("lang", "en")),
        authors=parse_authors(data.get("authors"), diag, path, key_line(text, "authors")),
        math=MathConfig(mode=mode, macros=macros),
        giscus=_giscus(data.get("giscus"), diag, path, key_line(text, "giscus")),
        footer=_str(data.get("footer")),
        extra={k: v for k, v in data.items() if k not in known},
    )


def _site_url(data: dict, text: str, path, diag: Diagnostics) -> tuple[str, str]:
    """(origin, base path) from `url:` and `baseurl:`; an unreadable or non-http(s) URL is an error."""
    url, baseurl = "", ""
    for key in ("url", "baseurl"):
        raw = _str(data.get(key)).strip()
        if not raw:
            continue
        try:
            origin, base = split_base_url(raw)
        except ValueError as e:  # urlsplit: 'http://[::1' and such
            diag.error(path, key_line(text, key), f"`{key}: {raw[:60]}` is not a URL ({e}); write e.g. "
                       "`https://me.github.io`", col=1)
            continue
        scheme = urlsplit(raw).scheme.lower()
        if key == "url" and (scheme not in ("http", "https") or not origin):
            diag.error(path, key_line(text, key), f"`url: {raw[:60]}` should be the site's http(s) origin, "
                       "e.g. `https://me.github.io`", col=1)
            continue
        if key == "url":
            url, baseurl = origin, baseurl or base
        else:
            baseurl = base
    return url, baseurl


# giscus's data-* attributes (https://giscus.app), by al-folio's key names. Only these become
# attributes: a key is part of the attribute's *name*, so an arbitrary key could add `onload=`.
GISCUS_KEYS = {"repo", "repo_id", "category", "category_id", "mapping", "term", "strict",
               "reactions_enabled", "emit_metadata", "input_position", "theme", "lang", "loading"}
_GISCUS_IGNORED = {"light_theme", "dark_theme"}  # al-folio's theme switch; the page uses `theme`


def _giscus(value, diag: Diagnostics, path, line: int) -> dict | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        diag.error(path, line, "`giscus` should be a mapping of giscus settings (repo, repo_id, category, "
                   "category_id, ...)")
        return None
    out = {}
    for key, v in value.items():
        if key in _GISCUS_IGNORED:
            continue
        if key not in GISCUS_KEYS:
            diag.warn(path, line, f"`giscus.{key}` is not a giscus setting and is ignored; known: "
                      + ", ".join(sorted(GISCUS_KEYS)))
        elif not isinstance(v, (str, int, float, bool)) and v is not None:
            diag.error(path, line, f"`giscus.{key}` should be text, a number or true/false")
        else:
            out[key] = v
    return out or None


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
                       "`2023-05-05` or `2023-05-05 11:59:00-0400` (a real date, a zone within ±23:59)")
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
        math_macros=_checked_macros(data.get("math_macros") or {}, diag, path, line("math_macros"),
                                    "math_macros"),
        extra={k: v for k, v in data.items() if k not in POST_KEYS},
    )
