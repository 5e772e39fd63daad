"""Where things are in the source file, and warnings about common slips in a post body.

Plugins see positions relative to the Markdown body (a token's `map`, an offset in an inline
string); authors need file lines. The helpers here do that arithmetic in one place. `lint_body`
then walks the parsed tokens for mistakes that render without error but not as the author meant:
LaTeX commands outside math, a second title (`# …`) in the body, sections with nothing in them,
footnote references with no definition.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .parsed import page_of


def file_line(env: dict, body_line0: int) -> int:
    """File line (1-based) of a 0-based body line, such as `token.map[0]`."""
    return body_line0 + 1 + page_of(env).line_offset


def inline_position(state: StateInline, pos: int) -> tuple[int, int]:
    """(file line, column) of offset `pos` in the inline string being parsed. Columns count from
    the start of the line's text after Markdown removed its indentation. The string's line breaks
    are found once per inline parse, so a paragraph of many tags is not read once per tag."""
    src = state.src
    newlines = state.__dict__.get("_newlines")
    if newlines is None or newlines[0] is not src:
        newlines = state._newlines = (src, [i for i, c in enumerate(src) if c == "\n"])
    before = bisect.bisect_left(newlines[1], pos)
    line0 = page_of(state.env).inline_line0 + before
    col = pos - (newlines[1][before - 1] + 1 if before else 0) + 1
    return file_line(state.env, line0), col


def warn(env: dict, line: int | None, message: str) -> None:
    page = page_of(env)
    page.diag.warn(page.path, line, message)


def error(env: dict, line: int | None, message: str) -> None:
    page = page_of(env)
    page.diag.error(page.path, line, message)


# ---- lint ---------------------------------------------------------------------------------------

# `\textit{`, `\cite{`, `\ref{`…: a backslash word followed by a brace, as LaTeX writes commands.
_LATEX_COMMAND_RE = re.compile(r"\\([A-Za-z]+)\*?\{")
_UNDEFINED_FOOTNOTE_RE = re.compile(r"\[\^([^\]\s]+)\]")
_SUGGESTION = {"textit": "*…*", "emph": "*…*", "textbf": "**…**", "texttt": "`…`",
               "url": "<…>", "href": "[text](url)", "cite": '<d-cite key="…"></d-cite>',
               "footnote": "<d-footnote>…</d-footnote>", "section": "## …",
               "subsection": "### …"}


def _text_lines(inline: Token, env: dict) -> Iterator[tuple[Token, int]]:
    """Each text token of an inline token, footnote contents included, with its file line
    (softbreaks mark the source lines)."""
    line0 = inline.map[0] if inline.map else 0
    stack = list(reversed(inline.children or ()))
    while stack:
        child = stack.pop()
        if child.type in ("softbreak", "hardbreak"):
            line0 += 1
        elif child.type == "text":
            yield child, file_line(env, line0)
            line0 += child.content.count("\n")
        if child.children and child.type != "image":
            stack.extend(reversed(child.children))


def _lint_text(inline: Token, env: dict) -> None:
    for child, line in _text_lines(inline, env):
        content = child.content
        if "\\" in content:
            for m in _LATEX_COMMAND_RE.finditer(content):
                name = m.group(1)
                fix = _SUGGESTION.get(name, "Markdown")
                warn(env, line, f"LaTeX command \\{name} outside math shows literally; use {fix} "
                                f"or put it inside $…$")
        if "[^" in content:
            for m in _UNDEFINED_FOOTNOTE_RE.finditer(content):
                warn(env, line, f"footnote [^{m.group(1)}] has no definition; add a line "
                                f"`[^{m.group(1)}]: …` after the paragraph")


def _lint_heading(tokens: list[Token], i: int, env: dict) -> None:
    """A `# …` heading in the body competes with the title, which comes from front matter."""
    token = tokens[i]
    if token.tag == "h1":
        text = tokens[i + 1].content
        warn(env, file_line(env, token.map[0]),
             f"level-1 heading `# {text}` in the body: the post's title comes from front matter "
             f"(`title:`); use `## {text}` for a section")


def _lint_empty_sections(tokens: list[Token], env: dict) -> None:
    """A heading followed directly by a heading of the same or a higher level (or by the end of the
    post) leaves an empty section, usually a draft's placeholder. Rules (`***`) are not content."""
    titles = {h.line: h.text for h in page_of(env).headings}
    open_heading: Token | None = None  # the last heading with nothing under it yet
    title = ""
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open":
            if open_heading is not None and int(token.tag[1]) <= int(open_heading.tag[1]):
                _warn_empty(open_heading, title, env)
            open_heading = token
            title = titles.get(file_line(env, token.map[0]), tokens[i + 1].content)
            i += 3  # heading_open, inline, heading_close
            continue
        if token.type != "hr":
            open_heading = None
        i += 1
    if open_heading is not None:
        _warn_empty(open_heading, title, env)


def _warn_empty(heading: Token, title: str, env: dict) -> None:
    warn(env, file_line(env, heading.map[0]),
         f"section `{title}` is empty; write its content or remove the heading")


def lint_body(tokens: list[Token], env: dict) -> None:
    """Warn about slips in a parsed body (tokens from `MarkdownIt.parse`); never raises."""
    for i, token in enumerate(tokens):
        if token.type == "inline":
            _lint_text(token, env)
        elif token.type == "heading_open":
            _lint_heading(tokens, i, env)
    _lint_empty_sections(tokens, env)
