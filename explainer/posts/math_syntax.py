"""Plugin: find math in Markdown the way al-folio (kramdown + MathJax) authors write it.

    $…$            inline, with pandoc's rule so prices stay text: the opening `$` is not followed by
                   a space, the closing `$` is not preceded by a space nor followed by a digit
    $$…$$          inline inside a paragraph; display when it is the whole paragraph (kramdown)
    \\(…\\)          inline
    \\[…\\]          display
    \\begin{align}…  display, for the AMS environments (equation, align, gather, multline, …)
    \\eqref{…}       in running text, as MathJax reads it: an inline formula of its own
    \\\\(…\\\\)        inline, and \\\\[…\\\\] display: how Jekyll authors get MathJax's delimiters past
                   kramdown, whose escapes turn `\\\\(` into `\\(` (and `\\(` into a bare `(`: we keep
                   `\\(…\\)` as math, a deliberate improvement)

Math is cut out of the source before Markdown can see it, so `x'`, `a_i * b_j`, `\\\\`, `<` and `&`
reach MathJax verbatim. Code spans are parsed by their own rule at their own position, so a `$`
inside backticks never starts math. Each formula becomes a token; rendering it appends a `MathItem`
to the page's `math` and leaves `placeholder("math", i)` where the math renderer puts the formula later.
Items are added at render time so their order is the reading order of the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

from .lint import file_line, inline_position, warn
from .parsed import MathItem, page_of, placeholder

AMS_ENVIRONMENTS = frozenset(
    name + star
    for name in ("equation", "align", "gather", "multline", "flalign", "alignat", "eqnarray",
                 "displaymath", "math", "split", "xalignat", "xxalignat")
    for star in ("", "*"))

_BEGIN_RE = re.compile(r"\\begin\{([a-zA-Z]+\*?)\}")
# MathJax reads \eqref and \ref in running text too (al-folio authors write "Equation \eqref{eq:a}").
_REF_RE = re.compile(r"\\(?:eqref|ref)\{[^{}\n]+\}")
# A backslash pair (an escape, which never closes math) or a dollar.
_DOLLAR_OR_ESCAPE_RE = re.compile(r"\\.|\$", re.S)
_DOUBLE_DOLLAR_OR_ESCAPE_RE = re.compile(r"\\.|\$\$", re.S)
_CODE_SPAN_RE = re.compile(r"(`+)[^`].*?\1", re.DOTALL)
_CLOSE_PAREN_RE = re.compile(r"\\\\|\\\)")
_CLOSE_BRACKET_RE = re.compile(r"\\\\|\\\]")


def _find_close(pattern: re.Pattern, src: str, start: int, end: int, closer: str) -> int:
    """Index of the first `closer` at or after `start`, skipping backslash escapes; -1 if none."""
    while True:
        m = pattern.search(src, start, end)
        if m is None:
            return -1
        if m.group(0) == closer:
            return m.start()
        start = m.end()


def _find_single_dollar_close(src: str, start: int, end: int) -> int:
    """Closing `$` by pandoc's rule: the first unescaped `$` closes, and only if it is not preceded
    by whitespace nor followed by a digit; otherwise there is no math here (`$5 and $10`)."""
    if start >= end or src[start].isspace():
        return -1
    close = _find_close(_DOLLAR_OR_ESCAPE_RE, src, start, end, "$")
    if close <= start or src[close - 1].isspace():
        return -1
    if close + 1 < end and src[close + 1].isdigit():
        return -1
    return close


def _match_inline(src: str, pos: int, end: int) -> tuple[int, int, int, bool] | None:
    """Math starting at `pos` -> (tex start, tex end, end of match, display) or None."""
    ch = src[pos]
    if ch == "$":
        if src.startswith("$$", pos):
            close = _find_close(_DOUBLE_DOLLAR_OR_ESCAPE_RE, src, pos + 2, end, "$$")
            if close < 0 or not src[pos + 2:close].strip():
                return None
            return pos + 2, close, close + 2, False
        close = _find_single_dollar_close(src, pos + 1, end)
        return (pos + 1, close, close + 1, False) if close >= 0 else None
    nxt = src[pos + 1:pos + 2]
    if nxt == "\\" and src[pos + 2:pos + 3] in ("(", "["):
        display = src[pos + 2] == "["
        close = src.find("\\\\]" if display else "\\\\)", pos + 3, end)
        return (pos + 3, close, close + 3, display) if close >= 0 else None
    if nxt == "(" or nxt == "[":
        pattern, closer = (_CLOSE_PAREN_RE, "\\)") if nxt == "(" else (_CLOSE_BRACKET_RE, "\\]")
        close = _find_close(pattern, src, pos + 2, end, closer)
        return (pos + 2, close, close + 2, nxt == "[") if close >= 0 else None
    m = _REF_RE.match(src, pos, end)
    if m:
        return pos, m.end(), m.end(), False
    m = _BEGIN_RE.match(src, pos, end)
    if m and m.group(1) in AMS_ENVIRONMENTS:
        closer = f"\\end{{{m.group(1)}}}"
        close = src.find(closer, m.end(), end)
        if close >= 0:
            return pos, close + len(closer), close + len(closer), True
    return None


def math_inline_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] not in "$\\":
        return False
    found = _match_inline(src, pos, state.posMax)
    if found is None:
        if not src.startswith("$$", pos):
            return False
        # An unclosed `$$` is text; consuming both stops the second `$` opening inline math.
        if not silent:
            state.pending += "$$"
        state.pos += 2
        return True
    tex_start, tex_end, match_end, display = found
    if not silent:
        token = state.push("math_inline", "", 0)
        token.content = src[tex_start:tex_end]
        token.markup = src[pos:tex_start]
        line, col = inline_position(state, pos)
        token.meta = {"display": display, "line": line, "col": col}
        if token.markup == "$$" and (token.content.startswith("\n") or token.content.endswith("\n")):
            warn(state.env, line, "this $$…$$ is inside a paragraph, so it renders inline; put a "
                                  "blank line before and after it to display it on its own")
    state.pos = match_end
    return True


# ---- block math -------------------------------------------------------------------------------

def _find_double_dollar(text: str, start: int) -> int:
    return _find_close(_DOUBLE_DOLLAR_OR_ESCAPE_RE, text, start, len(text), "$$")


def _find_close_bracket(text: str, start: int) -> int:
    return _find_close(_CLOSE_BRACKET_RE, text, start, len(text), "\\]")


def _line_text(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]


def _ends_paragraph(state: StateBlock, line: int, end_line: int) -> bool:
    """Would a paragraph stop before `line`? Mirrors markdown-it's paragraph rule, so `$$…$$`
    counts as display exactly when it is a paragraph of its own."""
    if line >= end_line or state.isEmpty(line):
        return True
    if state.sCount[line] - state.blkIndent > 3 or state.sCount[line] < 0:
        return False
    old_parent, state.parentType = state.parentType, "paragraph"
    try:
        return any(rule(state, line, end_line, True)
                   for rule in state.md.block.ruler.getRules("paragraph"))
    finally:
        state.parentType = old_parent


def _scan_block(state: StateBlock, start_line: int, end_line: int, opener_len: int,
                find: Callable[[str, int], int], closer: str,
                stop_at_blank: bool) -> tuple[int, str] | None:
    """Find `closer` from the line after the opener onward, ending a line. -> (its line, tex)."""
    lines: list[str] = []
    line, offset = start_line, opener_len
    while line < end_line:
        if stop_at_blank and line > start_line and state.isEmpty(line):
            return None
        text = _line_text(state, line)
        close = find(text, offset)
        if close >= 0:
            if text[close + len(closer):].strip():
                return None  # text follows on the same line: the paragraph holds more than math
            lines.append(text[offset:close] if line == start_line else text[:close])
            return line, "\n".join(lines)
        lines.append(text[offset:])
        line, offset = line + 1, 0
    return None


def _push_block(state: StateBlock, start_line: int, last_line: int, tex: str) -> None:
    token = state.push("math_block", "math", 0)
    token.block = True
    token.content = tex
    token.map = [start_line, last_line + 1]
    token.meta = {"display": True, "line": file_line(state.env, start_line), "col": None}
    state.line = last_line + 1


def dollar_block_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """`$$…$$` as a paragraph of its own, on one line or many: display math."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    if not _line_text(state, start_line).startswith("$$"):
        return False
    # kramdown lets blank lines sit inside `$$…$$` (`$$\\begin{align*}` ⏎ … ⏎ ⏎ `\\end{align*}$$`).
    # When `$$` has text after it on the first line, the block then must end as kramdown's does,
    # before a blank line or the end, so a stray `$$` opening a paragraph swallows nothing more
    # than it would in kramdown.
    alone = not _line_text(state, start_line)[2:].strip()
    found = _scan_block(state, start_line, end_line, 2, _find_double_dollar, "$$", False)
    if found is None or not found[1].strip() or not _ends_paragraph(state, found[0] + 1, end_line):
        return False
    spans_blank = any(state.isEmpty(line) for line in range(start_line + 1, found[0]))
    if spans_blank and not alone and found[0] + 1 < end_line and not state.isEmpty(found[0] + 1):
        return False
    if not silent:
        _push_block(state, start_line, found[0], found[1].strip())
    return True


def _inside_open_dollars(state: StateBlock, start_line: int) -> bool:
    """Is `start_line` inside a `$$` that the paragraph above opened and has not closed? kramdown
    pairs `$$` across the whole paragraph before anything else, so `$$` ⏎ `\\begin{equation}…`
    ⏎ `$$` ⏎ `Then $$b$$.` is one paragraph of inline formulas, and the environment must not
    break it. (While a paragraph asks whether a rule interrupts it, `state.line` is its first line.)
    The count so far is kept on the state, so a long paragraph is read once, not once per line."""
    if state.line >= start_line:
        return False
    counted = state.__dict__.get("_open_dollars")
    first, odd = (counted[1], counted[2]) if counted and counted[0] == state.line and \
        counted[1] <= start_line else (state.line, False)
    text = _CODE_SPAN_RE.sub("", state.src[state.bMarks[first]:state.bMarks[start_line]])
    count = sum(1 for m in _DOUBLE_DOLLAR_OR_ESCAPE_RE.finditer(text) if m.group(0) == "$$")
    odd ^= count % 2 == 1
    state._open_dollars = (state.line, start_line, odd)
    return odd


def latex_block_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """`\\[…\\]` or an AMS environment starting a line; may interrupt a paragraph, as in LaTeX,
    unless a `$$` in that paragraph is still open (kramdown's pairing comes first)."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    if silent and _inside_open_dollars(state, start_line):
        return False
    text = _line_text(state, start_line)
    if text.startswith("\\["):
        found = _scan_block(state, start_line, end_line, 2, _find_close_bracket, "\\]", False)
        tex = found[1].strip() if found else ""
    elif text.startswith("\\\\["):  # kramdown's escaped `\\[`
        found = _scan_block(state, start_line, end_line, 3, lambda text, start: text.find("\\\\]", start),
                            "\\\\]", False)
        tex = found[1].strip() if found else ""
    else:
        m = _BEGIN_RE.match(text)
        if not m or m.group(1) not in AMS_ENVIRONMENTS:
            return False
        closer = f"\\end{{{m.group(1)}}}"
        found = _scan_block(state, start_line, end_line, m.end(),
                            lambda text, start: text.find(closer, start), closer, False)
        tex = f"{m.group(0)}{found[1]}{closer}" if found else ""
    if found is None:
        return False
    if not silent:
        _push_block(state, start_line, found[0], tex)
    return True


def _render_math(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    meta = token.meta
    math = page_of(env).math
    math.append(MathItem(token.content.strip(), meta["display"], meta["line"], meta["col"]))
    marker = placeholder("math", len(math) - 1)
    return marker + "\n" if token.type == "math_block" else marker


def math_syntax_plugin(md: MarkdownIt) -> None:
    # Before `escape`, which would turn `\(` into `(`, and before `backticks` is irrelevant: each
    # rule only fires at its own position, so whichever of code or math starts first wins.
    md.inline.ruler.before("escape", "math_inline", math_inline_rule)
    md.block.ruler.before("fence", "math_dollar_block", dollar_block_rule)
    md.block.ruler.before("fence", "math_latex_block", latex_block_rule,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.add_render_rule("math_inline", _render_math)
    md.add_render_rule("math_block", _render_math)
