"""Build one post page: parse, render math, and (unless it has figures) lay it out.

This runs in worker processes, so everything it needs travels in a picklable `PageContext`, and the
expensive per-process objects (Markdown parser, Jinja environment, MathJax's V8 context) are made once
per process and reused for every page that process builds.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..base.config import SiteConfig
from ..base.errors import Diagnostic, Diagnostics
from ..base.hashing import digest
from ..base.process_caches import register
from ..posts.parsed import Footnote, TocItem, fill_placeholders, new_page
from ..posts.read import Post


@dataclass(frozen=True)
class PageContext:
    site: SiteConfig
    assets: dict  # logical asset name -> site-relative path
    cache_dir: Path
    extra_head: str = ""


@dataclass(frozen=True)
class PageJob:
    post: Post
    key: str  # what the output is built from; written to the manifest
    bib_path: Path | None


@dataclass
class PageResult:
    post: Post
    key: str
    diagnostics: list[Diagnostic]
    html: str | None = None  # the finished page until `store_page` writes it (None while figures are pending)
    pending: "PendingPage | None" = None
    stats: dict = field(default_factory=dict)
    scan: object = None  # link_scan.PageScan of the finished page (made in the worker: it is not free)
    written: dict = field(default_factory=dict)  # rel -> output.Written: the page and its preview picture
    uses: list = field(default_factory=list)  # the optional assets it loads (assets.asset_uses)

    @property
    def finished(self) -> bool:
        """Laid out: all its figures are drawn (its HTML may be on disk already)."""
        return self.scan is not None


@dataclass
class PendingPage:
    """Everything of a page with figures except the figures, which need trained models."""

    body_html: str  # holds placeholder("figure", i)
    figures: list  # FigureSpec, in placeholder order
    toc: list[TocItem]
    footnotes: list[Footnote]
    references: list
    citation: dict | None
    math_head: str
    math_defs: str
    needs_plotly: bool
    measures: list = field(default_factory=list)  # posts.measures.Measure; body holds placeholder("measure", i)


_RENDERERS: dict[str, object] = {}  # per process: a Jinja environment compiles its templates once
register("jinja environments", _RENDERERS.clear)


def renderer_for(ctx: PageContext):
    from .layout import Renderer
    key = digest(repr(ctx.site), sorted(ctx.assets.items()))
    if key not in _RENDERERS:
        if len(_RENDERERS) > 4:  # the preview server changes site.yml now and then; don't grow
            _RENDERERS.clear()
        _RENDERERS[key] = Renderer(ctx.site, ctx.assets)
    return _RENDERERS[key]


def _url_from(page_rel: str):
    from .layout import page_relative
    return lambda target: page_relative(page_rel, target)


def build_page(job: PageJob, ctx: PageContext) -> PageResult:
    from ..posts import code_cache
    from ..posts.bibliography import load_bibliography
    from ..posts.liquid_vars import page_variables
    from ..posts.markdown import render_markdown
    from ..posts.math import math_head, render_page_math
    from ..posts.post_citation import post_citation
    from ..posts.toc import build_toc

    post, site, diag = job.post, ctx.site, Diagnostics()
    references = load_bibliography(job.bib_path, diag, ctx.cache_dir / "bib") if job.bib_path else None
    parse = new_page(post.path, post.body_line, site, references, diag)
    parse.page_vars = page_variables(post)
    with code_cache.using(ctx.cache_dir / "code"):  # highlighted snippets: Pygments only for new ones
        body = render_markdown(post.body, parse)
    toc_line = post.key_line("toc") if post.meta.toc else None
    toc = build_toc(post.meta.toc, parse.headings, post.path, diag, toc_line=toc_line, body_html=body)
    macros = {**site.math.macros, **post.meta.math_macros}
    math = render_page_math(parse.math, mode=site.math.mode, macros=macros, path=post.path,
                            diag=diag, cache_dir=ctx.cache_dir / "math")
    body = fill_placeholders(body, "math", math.html)
    footnotes = [dataclasses.replace(f, html=fill_placeholders(f.html, "math", math.html))
                 for f in parse.footnotes]
    cited = [references[k] for k in parse.citations if references and k in references]
    citation = post_citation(post.meta, site.absolute_url(post.url_path))
    head = math_head(site.math.mode, _url_from(post.out_path)) if parse.math else ""
    # Captions are rendered with the page's env, so their math is among the page's formulas.
    figures = [dataclasses.replace(f, caption_html=fill_placeholders(f.caption_html, "math", math.html))
               for f in parse.figures]
    pending = PendingPage(body, figures, toc, footnotes, cited, citation, head, math.defs,
                          parse.plotly, parse.measures)
    stats = {"formulas": len(parse.math), "figures": len(parse.figures), "math_typeset": int(math.typeset)}
    result = PageResult(post, job.key, diag.items, stats=stats)
    if parse.figures:
        result.pending = pending
    else:
        from .link_scan import scan_html
        result.html = finish_page(post, pending, [], ctx, needs_live=False, key=job.key)
        result.scan = scan_html(result.html)
    return result


def store_page(result: PageResult, put, assets: dict) -> None:
    """Write a finished page (and the picture its link preview shows, when that is its chart) with
    `put(rel, data, key) -> output.Written`, the moment it is laid out, and let go of its HTML:
    later stages need only its scan (links, ids), the assets it loads and what was written."""
    from .assets import asset_uses
    from .sharing import chart_preview
    html, rel = result.html, result.post.out_path
    assert html is not None, "only a finished page is stored"
    if result.scan is None:
        from .link_scan import scan_html
        result.scan = scan_html(html)
    result.uses = asset_uses(html, assets)
    result.written[rel] = put(rel, html.encode("utf-8"), result.key)
    preview = chart_preview(rel, html)
    if preview is not None:
        result.written[preview[0]] = put(preview[0], preview[1], None)
    result.html = None


_ROOT_LINK_RE = re.compile(r'(\s(?:href|src)=")(/(?!/)[^"]*)"')


def localize_links(html: str, page_rel: str, baseurl: str) -> str:
    """Site-absolute links in a post body (`/assets/x.png`, or what `relative_url` made of it) ->
    page-relative ones, so the page also works opened from disk and moved under another base path."""
    from .layout import page_relative

    def sub(m):
        path = m.group(2)
        if baseurl and (path == baseurl or path.startswith(baseurl + "/")):
            path = path[len(baseurl):] or "/"
        return f'{m.group(1)}{page_relative(page_rel, path)}"'
    return _ROOT_LINK_RE.sub(sub, html)


def finish_page(post: Post, page: PendingPage, figure_html: list[str], ctx: PageContext,
                needs_live: bool, needs_plotly: bool = False, key: str | None = None) -> str:
    """The page's HTML. With `key` (what the page is built from, as the manifest will record it),
    its text for the Atom feed is kept in the cache under that key too."""
    from .layout import PostPage
    body = fill_placeholders(page.body_html, "figure", figure_html)
    body = localize_links(body, post.out_path, ctx.site.baseurl)
    from . import feed_content
    html = renderer_for(ctx).post_page(PostPage(
        post=post, body_html=body, toc=page.toc, footnotes=page.footnotes,
        references=page.references, citation=page.citation, math_head=page.math_head,
        math_defs=page.math_defs, needs_plotly=page.needs_plotly or needs_plotly,
        needs_live=needs_live, extra_head=ctx.extra_head))
    if key is not None:
        feed_text = feed_content.feed_html(body, ctx.site.absolute_url(post.url_path))
        feed_content.store(ctx.cache_dir, post.out_path, key, feed_text)
    return html
