"""Math on a page: TeX -> HTML, once per page, with errors pointing at the Markdown source.

Two modes (site.yml `math:`):
  svg     (default) every formula is typeset at build time by MathJax 3 running in-process
          (`mathjax_engine`), giving inline SVG that needs no JavaScript; the glyph shapes a page
          uses are emitted once, in `PageMath.defs`, and each SVG refers to them with <use>.
  client  formulas are left as `\\(…\\)`/`\\[…\\]` for MathJax in the reader's browser, loaded from
          the site's own copy of MathJax with al-folio's configuration.

A page is the unit, not a formula: equation numbers and `\\label`/`\\eqref` span the page, and
`\\newcommand`s defined in one formula are used in later ones. Rendered pages are cached on disk
(`math_cache`), so a warm rebuild starts no V8 at all.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import mathjax_engine as mj
from . import tex_require
from .math_cache import MathCache, page_key
from .math_links import accessible_math_links
from .parsed import MathItem

MODES = ("svg", "client")
SVG_CSS_PATH = "assets/math/mathjax-svg.css"
CLIENT_CSS_PATH = "assets/math/math.css"
# MathJax's combined component with every TeX package and SVG output: a single file, no fonts to
# fetch, and it draws like the build-time mode. Its menu is part of it; nothing else is loaded.
CLIENT_SCRIPT = "tex-svg-full.js"
CLIENT_SCRIPT_PATH = f"assets/math/mathjax/{CLIENT_SCRIPT}"

# Our layout rules, in both modes: wide display math scrolls inside its box instead of making a
# phone page scroll sideways (a long inline one shrinks to the column); failed formulas stay
# visible; links (\eqref) follow the theme.
LAYOUT_CSS = """\
.math-display { display: block; margin: 1em 0; overflow-x: auto; overflow-y: hidden; max-width: 100%; }
.math-display > mjx-container[jax="SVG"][display="true"] { margin: 0; padding: 2px 0; }
.math-inline > mjx-container { white-space: nowrap; }
.math-inline > mjx-container[jax="SVG"] > svg { max-width: 100%; height: auto; }
.math-inline mjx-assistive-mml { max-width: 100% !important; }
.math-error { color: #c00; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: 0.85em; border-bottom: 1px dotted currentColor; }
[data-theme="dark"] .math-error { color: #ff7b72; }
.math-defs { position: absolute; width: 0; height: 0; overflow: hidden; }
:is(.math-inline, .math-display) mjx-container[jax="SVG"] > svg a { fill: var(--accent); stroke: var(--accent); }
"""

# al-folio's MathJax settings (AMS numbering, $…$ and \(…\) inline, $$…$$ and \[…\] display,
# \$ for a literal dollar). Typesetting is limited to our math elements, in document order, so
# a stray dollar sign in prose is never taken for math.
_CLIENT_CONFIG = {
    "tex": {"tags": "ams", "inlineMath": [["$", "$"], ["\\(", "\\)"]],
            "displayMath": [["$$", "$$"], ["\\[", "\\]"]], "processEscapes": True,
            "processEnvironments": True},
    "svg": {"fontCache": "global"},
    "startup": {"elements": [".math-inline, .math-display"]},
}


@dataclass(frozen=True)
class PageMath:
    html: list[str]  # one per MathItem, each exactly one element
    defs: str  # page-level hidden <svg><defs>…</defs></svg> ('' in client mode or with no math)
    typeset: bool = field(default=False, compare=False)  # MathJax ran for it (not in the cache)


def render_page_math(items: list[MathItem], *, mode: str, macros: dict[str, str], path, diag,
                     cache_dir: Path | None) -> PageMath:
    """Render all formulas of one page; problems go to `diag` with the formula's line and column."""
    if not items:
        return PageMath([], "")
    if mode == "client":
        for _, line, col, message in require_errors(items):
            diag.warn(path, line, message, col=col)
        return PageMath(client_html(items, macros), "")
    cache = MathCache(cache_dir)
    key = page_key(items, macros, mj.mathjax_version(), mj.engine_options())
    entry = cache.get(key)
    typeset = False
    if entry is None or len(entry["html"]) != len(items):
        typeset = True
        entry = _not_unicode_to_errors(items, _render_svg_page(items, macros))
        if not entry["errors"]:
            cache.put(key, entry)
    for kind, line, col, message in entry["errors"] + entry["warnings"]:
        report = diag.error if kind == "error" else diag.warn
        report(path, line, message, col=col)
    return PageMath([accessible_math_links(h) for h in entry["html"]], entry["defs"], typeset)


_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _not_unicode_to_errors(items: list[MathItem], entry: dict) -> dict:
    """`\\unicode{xD800}` makes MathJax emit a lone surrogate, which no UTF-8 page can hold."""
    for i, (item, html) in enumerate(zip(items, entry["html"])):
        if _SURROGATE_RE.search(html):
            entry["html"][i] = _SURROGATE_RE.sub("\ufffd", html)
            entry["errors"].append(("error", item.line, item.col, "this formula makes a character that is "
                                    "not Unicode text (a surrogate, U+D800 to U+DFFF); give `\\unicode` a "
                                    "real code point"))
    entry["defs"] = _SURROGATE_RE.sub("\ufffd", entry["defs"])
    return entry


def _render_svg_page(items: list[MathItem], macros: dict[str, str]) -> dict:
    """Typeset a page; returns the cache entry: html, defs and the problems found (as data)."""
    engine = mj.shared_engine()
    require = require_errors(items)
    page = engine.render_page(macros, [(tex_require.drop_unknown(item.tex)[0], item.display) for item in items],
                              resolve=not require)
    errors = [("error", None, None, _macro_message(name, msg)) for name, msg in page.macro_failures]
    errors += require
    # A formula MathJax cannot typeset is a warning, as al-folio publishes it (MathJax shows it in
    # red): the page shows the TeX marked as an error, and `--strict` stops the build. A forward
    # \eqref renders "(???)" on the first pass, as in MathJax; the engine typesets those formulas
    # again once every label is known, so what stays unresolved names no label of the page.
    warnings = [("warning", item.line, item.col, _tex_message(item, r))
                for item, r in zip(items, page.results) if r.error]
    if not errors and page.labels is not None:
        warnings += _unresolved_warnings(items, page.results, page.labels)
    return {
        "html": [_wrap(item, r) for item, r in zip(items, page.results)],
        "defs": _defs_svg(page.defs),
        "errors": errors,
        "warnings": warnings,
    }


def require_errors(items: list[MathItem]) -> list[tuple]:
    """One error per `\\require{…}` of an extension MathJax cannot load (tex_require.py)."""
    return [("warning", item.line, item.col, tex_require.unknown_message(name, mj.mathjax_version()))
            for item in items for name in tex_require.drop_unknown(item.tex)[1]]


def _display_tag(item: MathItem) -> str:
    """A display formula written inside a paragraph (`text \\begin{equation}…` or `<p>$$x$$</p>`
    in raw HTML; those items carry a column) gets a block-styled <span>: a <div> there would end
    the <p> early and leave the rest of the sentence stranded on the page grid."""
    return "div" if item.col is None else "span"


def _wrap(item: MathItem, result: mj.Rendered) -> str:
    if result.error:
        title = html_lib.escape(f"TeX error: {result.error}", quote=True)
        return f'<span class="math-inline math-error" title="{title}">{html_lib.escape(item.tex)}</span>'
    if item.display:
        tag = _display_tag(item)
        return f'<{tag} class="math-display">{result.html}</{tag}>'
    return f'<span class="math-inline">{result.html}</span>'


def _defs_svg(inner: str) -> str:
    """The page's shared glyphs, once; every formula's <use xlink:href="#MJX-…"> points here."""
    if not inner:
        return ""
    return ('<svg class="math-defs" style="display: none" aria-hidden="true" focusable="false">'
            f"<defs>{inner}</defs></svg>")


def _tex_message(item: MathItem, result: mj.Rendered) -> str:
    snippet = " ".join(item.tex.split())
    if len(snippet) > 60:
        snippet = snippet[:57] + "..."
    return f"TeX error in `{snippet}`: {result.error} (MathJax {result.error_id})"


def _macro_message(name: str, message: str) -> str:
    name = name.lstrip("\\")
    return (f"math macro `\\{name}` (from `math.macros` in site.yml or `math_macros` "
            f"in the front matter) is not valid TeX: {message}")


_REF_RE = re.compile(r"\\(eq)?ref\s*\{([^}]*)\}")


def _unresolved_warnings(items, results, labels: dict) -> list[tuple]:
    found = []
    for item, result in zip(items, results):
        if not result.unresolved_ref:
            continue
        for m in _REF_RE.finditer(item.tex):
            if m.group(2) not in labels:
                found.append(("warning", item.line, item.col,
                              f"`{m.group(0)}` names no `\\label{{{m.group(2)}}}` on this page; "
                              "it shows as (???). Check the spelling of the label."))
    return found


def client_html(items: list[MathItem], macros: dict[str, str]) -> list[str]:
    """Formulas as TeX for the browser's MathJax. Page macros become `\\newcommand`s in an empty
    formula ahead of the first one: MathJax typesets in document order and keeps definitions."""
    out = []
    for i, item in enumerate(items):
        tex = html_lib.escape(tex_require.drop_unknown(item.tex)[0], quote=False)
        body = f"\\[{tex}\\]" if item.display else f"\\({tex}\\)"
        if i == 0 and macros:
            defs = "".join(mj.newcommand(k, v) for k, v in macros.items())
            body = f"\\({html_lib.escape(defs, quote=False)}\\)" + body
        tag = _display_tag(item) if item.display else "span"
        out.append(f'<{tag} class="math-{"display" if item.display else "inline"}">{body}</{tag}>')
    return out


def math_assets(mode: str) -> dict[str, bytes]:
    """Site-relative path -> bytes of the files the pages' <head> (math_head) refers to."""
    if mode == "client":
        return {CLIENT_CSS_PATH: LAYOUT_CSS.encode("utf-8"),
                CLIENT_SCRIPT_PATH: (mj.es5_dir() / CLIENT_SCRIPT).read_bytes()}
    return {SVG_CSS_PATH: (mj.SVG_STYLESHEET + "\n" + LAYOUT_CSS).encode("utf-8")}


def math_head(mode: str, url: Callable[[str], str]) -> str:
    """HTML for <head>; `url(path)` turns a site-relative asset path into a page-relative URL."""
    if mode != "client":
        return f'<link rel="stylesheet" href="{html_lib.escape(url(SVG_CSS_PATH))}">'
    config = json.dumps(_CLIENT_CONFIG).replace("</", "<\\/")
    return (f'<link rel="stylesheet" href="{html_lib.escape(url(CLIENT_CSS_PATH))}">\n'
            f"<script>window.MathJax = {config};</script>\n"
            f'<script defer src="{html_lib.escape(url(CLIENT_SCRIPT_PATH))}"></script>')


def close_engine() -> None:
    """Close this process's V8 context, if one was started (also registered with atexit)."""
    mj.close_engine()
