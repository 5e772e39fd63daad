"""The records that parsing a post produces, and the Markdown `env` contract shared by the plugins.

`markdown.py` renders a post body with an `env` made by `new_env()`. Plugins collect what they find
into it (they never render what depends on the whole page or the whole site):

    env["path"]        Path of the source file (for diagnostics)
    env["line_offset"] file line of the body's first line minus 1: token.map[0] + 1 + line_offset
                       is the 1-based file line of a token
    env["diag"]        Diagnostics: plugins report problems here, never raise
    env["site"]        SiteConfig (relative_url, base URL)
    env["references"]  dict key -> Reference from the post's .bib, or None when the post has none
    env["citations"]   cited keys in order of first citation (numbers are index + 1)
    env["footnotes"]   list[Footnote], in order; the Markdown output holds only their markers
    env["headings"]    list[Heading] of h1-h6 with the ids the HTML got
    env["math"]        list[MathItem]; the HTML holds placeholder("math", i) where item i goes
    env["figures"]     list of FigureSpec; the HTML holds placeholder("figure", i)
    env["plotly"]      True when the page holds a Plotly chart (the page then loads plotly.js)

Math and figures are placeholders because they are rendered after parsing: math a page at a time
(equation numbers and \\eqref span the page), figures after all experiments are trained.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


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


def new_env(path: Path, body_line: int, site, references, diag) -> dict:
    return {
        "path": path,
        "line_offset": body_line - 1,
        "diag": diag,
        "site": site,
        "references": references,
        "citations": [],
        "footnotes": [],
        "headings": [],
        "math": [],
        "figures": [],
        "plotly": False,
    }


@dataclass
class TocItem:
    id: str
    text: str
    children: list["TocItem"] = field(default_factory=list)
