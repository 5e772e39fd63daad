"""The Markdown parser, configured in one place, and `render_markdown` for a post body.

markdown-it-py's CommonMark with raw HTML, tables, strikethrough and the typographer, plus
mdit-py-plugins (footnotes, attributes, definition lists, task lists) and ours: math, Distill tags,
Liquid, plotly fences and figures. The parser is built once per process; rendering a body only
runs its rules. What the plugins find goes into the page's `PageParse` (see `parsed.py`); the HTML keeps
placeholders for what is rendered later (math, figures).
"""

from __future__ import annotations

import dataclasses
import functools
import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from . import liquid, liquid_vars
from .distill import distill_plugin, take_footnote_defs
from .figure_blocks import figure_plugin
from .highlight import highlight_plugin
from .html_markdown import html_markdown_plugin
from .html_math import html_math_plugin
from .kramdown_emphasis import kramdown_emphasis_plugin
from .kramdown_extensions import kramdown_extensions_plugin
from .kramdown_html import kramdown_html_plugin
from .kramdown_ial import kramdown_ial_plugin
from .lint import file_line, lint_body
from .liquid_code import liquid_code_plugin
from .math_syntax import math_syntax_plugin
from .measures import measures_plugin
from .parsed import ENV_KEY, Heading, PageParse, page_of
from .plotly_fence import plotly_fence_plugin
from .tasklists import tasklists_plugin  # linear time; mdit-py-plugins' is quadratic
from .toc import slug_id
from .xref import fill_xrefs, xref_plugin

_EXPLICIT_ID_RE = re.compile(r"\s*\{#([\w:.-]+)\}\s*$")  # kramdown's `## Title {#id}`
_TYPOGRAPHY_RE = re.compile(r"---|--|\.\.\.")
_TYPOGRAPHY = {"---": "\u2014", "--": "\u2013", "...": "\u2026"}
_PLAIN_TEXT_TYPES = frozenset({"text", "text_special", "code_inline", "math_inline"})


# ---- core rules --------------------------------------------------------------------------------

def _inline_with_lines(state: StateCore) -> None:
    """markdown-it's `inline` rule, also noting where each inline string starts, so inline rules
    (math, citations, Liquid) can report file lines."""
    env, md = state.env, state.md
    page = page_of(env)
    for token in state.tokens:
        if token.type == "inline":
            if not state.inlineMode:  # a nested parse keeps the line its caller set
                page.inline_line0 = token.map[0] if token.map else 0
            if token.children is None:
                token.children = []
            md.inline.parse(token.content, md, env, token.children)


def _explicit_heading_ids(state: StateCore) -> None:
    """`## Title {#my-id}` (kramdown) sets the heading's id; the braces leave the title."""
    tokens = state.tokens
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and "{#" in tokens[i + 1].content:
            m = _EXPLICIT_ID_RE.search(tokens[i + 1].content)
            if m:
                token.attrSet("id", m.group(1))
                tokens[i + 1].content = tokens[i + 1].content[:m.start()]


def plain_text(children: list[Token] | None) -> str:
    """Heading text as a table of contents shows it: no markup, footnotes or citations."""
    parts = []
    for child in children or ():
        if child.type in _PLAIN_TEXT_TYPES:
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(plain_text(child.children))
    return "".join(parts)


def _heading_ids(state: StateCore) -> None:
    """kramdown/GitHub ids (`Other Typography?` -> `other-typography`), made unique with -1, -2…;
    each heading is recorded in the page's `headings`. Runs before the typographer, so ids and TOC text
    use the author's quotes and dashes."""
    env, tokens = state.env, state.tokens
    headings = page_of(env).headings
    used = {h.id for h in headings}
    next_n: dict[str, int] = {}  # base -> next suffix to try: 5,000 identical headings stay linear
    for i, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        text = plain_text(tokens[i + 1].children).strip()
        hid = token.attrGet("id")
        if not hid:
            base = slug_id(text) or "section"
            hid, n = base, next_n.get(base, 0)
            if n:
                hid = f"{base}-{n}"
            while hid in used:
                n += 1
                hid = f"{base}-{n}"
            next_n[base] = n + 1
            token.attrSet("id", hid)
        used.add(hid)
        headings.append(Heading(int(token.tag[1]), text, str(hid), file_line(env, token.map[0])))


def _typography(state: StateCore) -> None:
    """kramdown's typographic symbols: `---` em dash, `--` en dash, `...` ellipsis. Only text
    tokens change, so code and math keep their characters; escaped dots and dashes are separate
    tokens at this point and stay as written."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        in_autolink = 0
        for child in token.children:
            if child.type == "text" and not in_autolink and ("--" in child.content or "..." in child.content):
                child.content = _TYPOGRAPHY_RE.sub(lambda m: _TYPOGRAPHY[m.group(0)], child.content)
            elif child.type == "link_open" and child.info == "auto":
                in_autolink += 1
            elif child.type == "link_close" and child.info == "auto":
                in_autolink -= 1


# ---- the parser ----------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def make_parser() -> MarkdownIt:
    """The one configured parser (cached: building it compiles every rule's patterns)."""
    md = MarkdownIt("commonmark", {"html": True, "typographer": True})
    md.enable(["table", "strikethrough", "smartquotes"])  # not `replacements`: see _typography
    md.use(kramdown_html_plugin)  # first: the rules below are placed relative to html_block
    md.use(kramdown_emphasis_plugin).use(kramdown_extensions_plugin)
    # The definitions stay where they are written (move_to_end=False); distill.py takes them out
    # and renders each one inside its marker and the footnote list. `^[…]` is not kramdown.
    md.use(footnote_plugin, inline=False, move_to_end=False)
    md.use(math_syntax_plugin).use(html_math_plugin).use(distill_plugin).use(liquid.liquid_plugin)
    md.use(liquid_code_plugin)
    # After ours: block attributes follow djot, where `{% … %}` is a comment, so the Liquid rules
    # must see those lines first.
    md.use(deflist_plugin).use(tasklists_plugin).use(attrs_plugin, spans=True)
    md.use(attrs_block_plugin).use(kramdown_ial_plugin).use(html_markdown_plugin)
    md.use(highlight_plugin).use(plotly_fence_plugin).use(figure_plugin).use(measures_plugin)
    md.use(xref_plugin)  # last: it wraps the fence renderer and numbers what the others render
    md.core.ruler.at("inline", _inline_with_lines)
    md.core.ruler.before("inline", "explicit_heading_ids", _explicit_heading_ids)
    md.core.ruler.after("inline", "heading_ids", _heading_ids)
    md.core.ruler.before("smartquotes", "kramdown_typography", _typography)
    return md


def render_markdown(body: str, page: PageParse) -> str:
    """Body HTML with math and figure placeholders; what was found is collected into `page`.

    One `env` serves the parse and the render: markdown-it's link definitions and footnote
    bookkeeping made while parsing are what nested parses at render time (a footnote inside raw
    HTML) need to see."""
    md = make_parser()
    env = {ENV_KEY: page}
    body = liquid.protect_urls(body, env)
    liquid_vars.collect(body, env)  # Liquid runs first in Jekyll: every assign and capture, in order
    body = liquid_vars.protect_plain(body, env)
    tokens = md.parse(body, env)
    lint_body(tokens, env)
    tokens = take_footnote_defs(tokens, env)
    html = fill_xrefs(md.renderer.render(tokens, md.options, env), env)  # numbers, cross-references
    html = liquid.fill_urls(html, env)
    if page.liquid_urls:
        page.footnotes[:] = [dataclasses.replace(f, html=liquid.fill_urls(f.html, env))
                             for f in page.footnotes]
    return html
