"""Pages from templates: the Jinja environment, page contexts, and page-relative URLs.

Everything the reader's browser fetches is addressed relative to the page that asks for it, so a
built site works from any base path and straight from disk (file://). The one exception is the
404 page, which a server returns at any depth: it uses base-URL-absolute links instead.

Escaping is the templates' job: HTML and XML templates autoescape, JSON goes through `|tojson`,
and the few raw-HTML inputs (`body_html`, `math_head`, ...) arrive already rendered by the stages
that own them.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..base.config import Author, SiteConfig
from ..base.url_policy import safe_url
from ..posts.parsed import Footnote, TocItem
from ..posts.post_citation import is_group_name
from ..posts.read import Post
from .compiled_templates import PrecompiledLoader
from .feed_content import feed_posts
from .feed_content import newest_first as _newest_first
from .plotly_bundle import fits_basic
from .sharing import share_image

THEME_DIR = Path(__file__).resolve().parent.parent / "theme"
# Where the pipeline writes the site-level files; the templates link to them.
INDEX_PATH = "index.html"
FEED_PATH = "feed.xml"
SITEMAP_PATH = "sitemap.xml"
NOT_FOUND_PATH = "404.html"

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")


@dataclass
class PostPage:
    post: Post
    body_html: str
    toc: list[TocItem]
    footnotes: list[Footnote]
    references: list  # Reference-like objects (key, html, ...) in citation order
    citation: dict | None  # {"short": str, "bibtex": str}
    math_head: str
    math_defs: str
    needs_plotly: bool
    needs_live: bool
    extra_head: str = ""


def page_relative(from_page: str, target: str) -> str:
    """URL of site path `target` as seen from the page at site path `from_page`.

    `page_relative("blog/2023/a/index.html", "assets/site.css") == "../../../assets/site.css"`;
    a target ending in `/` keeps its slash, and the site root from the root is `./`.
    External URLs and bare fragments pass through unchanged.
    """
    if _SCHEME_RE.match(target) or target.startswith("#"):
        return target
    cut = len(re.match(r"[^?#]*", target).group(0))  # type: ignore[union-attr]  # always matches
    path, rest = target[:cut], target[cut:]  # rest: "?query#fragment"
    path = path.lstrip("/")
    wants_dir = path == "" or path.endswith("/")
    start = posixpath.dirname(from_page.lstrip("/")) or "."
    rel = posixpath.relpath(path or ".", start)
    if wants_dir:
        rel = "./" if rel == "." else rel.rstrip("/") + "/"
    return rel + rest


def theme_static_files() -> dict[str, bytes]:
    """Every file under theme/static, by logical name such as `css/site.css`."""
    root = THEME_DIR / "static"
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def format_date(date: dt.datetime) -> str:
    """Distill's byline style, `May 5, 2023`, on the date's own calendar day (no time-zone shift)."""
    return f"{_MONTHS[date.month - 1]} {date.day}, {date.year}"


def atom_date(date: dt.datetime) -> str:
    """RFC 3339 as Atom wants it; a date written without a zone is taken as UTC."""
    if date.tzinfo is None:
        return date.replace(microsecond=0).isoformat() + "Z"
    return date.replace(microsecond=0).isoformat()


def scholar_date(date: dt.datetime) -> str:
    """Google Scholar's `citation_publication_date` format, YYYY/MM/DD."""
    return f"{date.year:04d}/{date.month:02d}/{date.day:02d}"


def neutralise_style(css: str) -> str:
    """Author CSS goes into a `<style>` unescaped; only a closing `</style` could break out of it."""
    return re.sub(r"</(?=style)", r"<\\/", css, flags=re.I)


def _make_env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=PrecompiledLoader(str(THEME_DIR / "templates")),  # compiled ahead of time: compiled_templates.py
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["distill_date"] = format_date
    env.filters["atom_date"] = atom_date
    env.filters["scholar_date"] = scholar_date
    env.filters["kebab"] = lambda key: str(key).replace("_", "-")
    env.filters["safe_url"] = lambda value: safe_url(value) or "#"  # config.py already refused bad ones
    return env


# XML 1.0 allows no C0 controls but tab, newline and return, no surrogates and not U+FFFE/U+FFFF: one
# such character in a title makes the whole feed unreadable to every feed reader.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


class Renderer:
    """Turns gathered page data into HTML and XML strings; writes nothing itself."""

    def __init__(self, site: SiteConfig, assets: dict[str, str]):
        self.site = site
        self.assets = dict(assets)
        self.env = _make_env()

    # -- URL helpers bound to one page ---------------------------------------------------------
    def _linker(self, page_path: str | None) -> Callable[[str], str]:
        """`url(site_path)` for a template: page-relative, or base-URL-absolute for the 404 page."""
        if page_path is None:
            return self.site.relative_url
        return lambda target: page_relative(page_path, target)

    def _common(self, page_path: str | None, **extra) -> dict:
        url = self._linker(page_path)

        def asset(name: str) -> str | None:
            return url(self.assets[name]) if name in self.assets else None

        return {"site": self.site, "url": url, "asset": asset, "absolute": self.site.absolute_url,
                "index_path": INDEX_PATH, "feed_path": FEED_PATH, "extra_head": "", **extra}

    def _render(self, template: str, context: dict) -> str:
        return self.env.get_template(template).render(context)

    # -- pages -----------------------------------------------------------------------------------
    def post_page(self, page: PostPage) -> str:
        post, meta = page.post, page.post.meta
        authors = meta.authors or self.site.authors
        giscus = self.site.giscus if (self.site.giscus and meta.giscus_comments) else None
        context = self._common(
            post.out_path,
            page=page, post=post, meta=meta, authors=authors,
            affiliations=_has_affiliations(authors),
            canonical=self.site.absolute_url(post.url_path),
            styles=Markup(neutralise_style(meta.styles)) if meta.styles.strip() else None,
            giscus=giscus,
            plotly_url=self._plotly_for(post.out_path, page.body_html) if page.needs_plotly else None,
            live_url=self._asset_for(post.out_path, "js/live.js") if page.needs_live else None,
            json_ld=self._json_ld(post, authors),
            share_image=share_image(page.body_html, post.out_path, self.site.absolute_url),
        )
        return self._render("post.html", context)

    def _plotly_for(self, page_path: str, body_html: str) -> str | None:
        """plotly.js's basic build when the site has it and the page's charts fit it, else the full one."""
        basic = "js/plotly-basic.js" in self.assets and fits_basic(body_html)
        return self._asset_for(page_path, "js/plotly-basic.js" if basic else "js/plotly.js")

    def _asset_for(self, page_path: str, name: str) -> str | None:
        return page_relative(page_path, self.assets[name]) if name in self.assets else None

    def _json_ld(self, post: Post, authors) -> dict:
        """schema.org data for search engines; lands in a <script> through `|tojson`."""
        return {
            "@context": "https://schema.org", "@type": "BlogPosting",
            "headline": post.meta.title, "description": post.meta.description,
            "datePublished": atom_date(post.meta.date),
            "author": [{"@type": "Organization" if is_group_name(a.name) else "Person", "name": a.name,
                        **({"url": a.url} if safe_url(a.url) else {})} for a in authors],
            "url": self.site.absolute_url(post.url_path),
        }

    def index_page(self, posts: list[Post], thumbnails: dict | None = None) -> str:
        """`thumbnails`: post output path -> site-relative picture (see thumbnails.py)."""
        return self._render("index.html", self._common(INDEX_PATH, posts=_newest_first(posts),
                                                       thumbnails=thumbnails or {}))

    def not_found_page(self) -> str:
        return self._render("404.html", self._common(None))

    def feed_posts(self, posts: list[Post]) -> list[Post]:
        return feed_posts(posts)

    def feed_xml(self, posts: list[Post], contents: dict | None = None) -> str:
        """`contents`: post out_path -> its full text for feed readers (site/feed_content.py)."""
        ordered = self.feed_posts(posts)
        updated = atom_date(ordered[0].meta.date) if ordered else atom_date(dt.datetime(1970, 1, 1))
        return xml_text(self._render("feed.xml", self._common(INDEX_PATH, posts=ordered, updated=updated,
                                                              contents=contents or {})))

    def sitemap_xml(self, posts: list[Post]) -> str:
        return xml_text(self._render("sitemap.xml", self._common(INDEX_PATH, posts=_newest_first(posts))))


def _has_affiliations(authors: tuple[Author, ...]) -> bool:
    return any(a.affiliations for a in authors)
