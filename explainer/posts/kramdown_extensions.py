"""Plugin: kramdown's extension tags (parser/kramdown/extensions.rb), on lines of their own or inline.

    {::comment}…{:/comment}        left out of the page
    {::nomarkdown}…{:/nomarkdown}  written to the page as it is (raw HTML, Markdown not read);
                                   `{:/}` closes any extension
    {::options key="value" /}      kramdown's per-document options: nothing to do here, left out

Without this the tags show as text and the comment's content is published. An extension kramdown
does not know, or one with no stop tag, stays text, as kramdown leaves it (with a warning).
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

from .lint import file_line, inline_position, warn

_START = r"\{::(\w+)(?:\s[^{}]*?)?(/)?\}"
_BLOCK_START_RE = re.compile(rf"{_START}\s*$")
_INLINE_START_RE = re.compile(_START)
_KNOWN = ("comment", "nomarkdown", "options")


def _stop_re(name: str) -> re.Pattern:
    return re.compile(rf"\{{:/(?:{re.escape(name)})?\}}")


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]


def _unknown(env: dict, line: int, name: str) -> None:
    warn(env, line, f"kramdown extension {{::{name}}} is not one kramdown knows (comment, nomarkdown, "
                    f"options) or has no stop tag {{:/{name}}}; it is shown as written")


def extension_block_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    m = _BLOCK_START_RE.match(_line(state, start_line))
    if not m:
        return False
    name, closed = m.group(1), bool(m.group(2))
    stop = start_line if closed else next(
        (line for line in range(start_line + 1, end_line)
         if _stop_re(name).fullmatch(_line(state, line).rstrip())), -1)
    if name not in _KNOWN or stop < 0:
        if not silent:
            _unknown(state.env, file_line(state.env, start_line), name)
        return False
    if silent:
        return True
    if name == "nomarkdown" and stop > start_line + 1:
        token = state.push("html_block", "", 0)
        token.content = state.getLines(start_line + 1, stop, state.blkIndent, True)
        token.map = [start_line + 1, stop]
    state.line = stop + 1
    return True


def extension_inline_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("{::", state.pos):
        return False
    m = _INLINE_START_RE.match(state.src, state.pos, state.posMax)
    if not m or m.group(1) not in _KNOWN:
        return False
    end = m.end()
    if not m.group(2):
        stop = _stop_re(m.group(1)).search(state.src, m.end(), state.posMax)
        if stop is None:
            if not silent:
                _unknown(state.env, inline_position(state, state.pos)[0], m.group(1))
            return False
        if not silent and m.group(1) == "nomarkdown":
            state.push("html_inline", "", 0).content = state.src[m.end():stop.start()]
        end = stop.end()
    state.pos = end
    return True


def kramdown_extensions_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("paragraph", "kramdown_extension", extension_block_rule,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.inline.ruler.before("escape", "kramdown_extension", extension_inline_rule)
