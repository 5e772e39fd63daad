"""The records that parsing a post produces: one `PageParse` per page, filled in by the plugins.

`markdown.py` renders a post body with markdown-it, whose `env` dict holds exactly one key of ours,
`ENV_KEY`, with the page's `PageParse`; plugins reach it with `page_of(env)`. Every other key of
`env` is markdown-it's or its plugins' (link definitions, footnotes), so theirs and ours never
collide. Plugins collect what they find into the record (they never render what depends on the
whole page or the whole site).

Math and figures are placeholders in the HTML because they are rendered after parsing: math a page
at a time (equation numbers and \\eqref span the page), figures after all experiments are trained.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..base.config import SiteConfig
from ..base.errors import Diagnostics


@dataclass(frozen=True)
class MathItem:
    tex: str  # what goes to MathJax, delimiters removed; a whole `\begin{env}...\end{env}` for environments
    display: bool
    line: int  # file line (1-based) of the formula's start
    col: int | None = None


@dataclass(frozen=True)
class Heading:
    level: int
    text: str  # plain text, as a TOC shows it
    id: str
    line: int


@dataclass(frozen=True)
class Footnote:
    number: int
    id: str  # id of the appendix entry, e.g. "fn-1"
    ref_id: str  # id of the marker in the text, for the back-link, e.g. "fnref-1"
    html: str  # rendered content (may hold math placeholders)


_PLACEHOLDER_RE = re.compile("\x02(\\w+):(\\d+)\x03")


def placeholder(kind: str, index: int) -> str:
    """A marker that no Markdown rule touches and no author can type."""
    return f"\x02{kind}:{index}\x03"


def fill_placeholders(html: str, kind: str, values: list[str]) -> str:
    def sub(m):
        return values[int(m.group(2))] if m.group(1) == kind else m.group(0)
    return _PLACEHOLDER_RE.sub(sub, html)


ENV_KEY = "explainer"


@dataclass
class PageParse:
    """What one post's parse needs and what it finds. Made by `new_page`, read by the page stage."""

    path: Path  # source file, for diagnostics
    line_offset: int  # file line of the body's first line minus 1: token.map[0] + 1 + line_offset
    diag: Diagnostics  # plugins report problems here, never raise
    site: SiteConfig | None  # relative_url, base URL
    bibliography: dict | None  # key -> Reference from the post's .bib; None when it has none
    citations: list[str] = field(default_factory=list)  # cited keys by first use (number = index + 1)
    footnotes: list[Footnote] = field(default_factory=list)  # the HTML holds only their markers
    headings: list[Heading] = field(default_factory=list)  # h1-h6 with the ids the HTML got
    math: list[MathItem] = field(default_factory=list)  # the HTML holds placeholder("math", i)
    figures: list = field(default_factory=list)  # FigureSpec; the HTML holds placeholder("figure", i)
    measures: list = field(default_factory=list)  # measures.Measure (None: failed); placeholder("measure", i)
    plotly: bool = False  # the page holds a Plotly chart (it then loads plotly.js)
    # Bookkeeping of the parse in progress; not read after it.
    inline_line0: int = 0  # body line (0-based) where the inline string being parsed starts
    footnote_defs: dict = field(default_factory=dict)  # `[^label]` -> its definition's tokens
    footnote_markers: dict = field(default_factory=dict)  # footnote identity -> its number
    liquid_urls: list = field(default_factory=list)  # (original text, URL) per protected Liquid URL
    liquid_vars: dict = field(default_factory=dict)  # name -> [(file line, value)] per assign/capture
    page_vars: dict = field(default_factory=dict)  # `{{ page.X }}`: the post's front matter and URL
    liquid_in_raw: bool = False  # inside an inline {% raw %}
    footnote_depth: int = 0  # footnotes being rendered inside one another (bounded: distill.py)
    liquid_no_closer: dict = field(default_factory=dict)  # (closer, end, container) -> first line with none after
    xrefs: list = field(default_factory=list)  # one dict per cross-reference placeholder (xref.py)


def new_page(path: Path, body_line: int, site, bibliography, diag) -> PageParse:
    return PageParse(Path(path), body_line - 1, diag, site, bibliography)


def page_of(env: dict) -> PageParse:
    """The page record in a markdown-it `env` (see the module docstring)."""
    return env[ENV_KEY]


@dataclass
class TocItem:
    id: str
    text: str
    children: list["TocItem"] = field(default_factory=list)
