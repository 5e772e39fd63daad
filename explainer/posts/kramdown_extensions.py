"""Plugin: kramdown's extension tags (parser/kramdown/extensions.rb), on lines of their own or inline.

    {::comment}…{:/comment}        left out of the page
    {::nomarkdown}…{:/nomarkdown}  written to the page as it is (raw HTML, Markdown not read);
                                   `{:/}` closes any extension
    {::options key="value" /}      kramdown's per-document options: nothing to do here, left out

Without this the tags show as text and the comment's content is published. An extension kramdown
does not know, or one with no stop tag, stays text, as kramdown leaves it (with a warning).
"""

from __future__ import annotations

import bisect
import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

from .lint import file_line, inline_position, warn

_START = r"\{::(\w+)(?:\s[^{}]*?)?(/)?\}"
_BLOCK_START_RE = re.compile(rf"{_START}\s*$")
_INLINE_START_RE = re.compile(_START)
_KNOWN = ("comment", "nomarkdown", "options")


_STOP_LINE_RE = re.compile(r"\{:/(\w*)\}\s*$")
_INLINE_STOP_RE = re.compile(r"\{:/(\w*)\}")


def _stop_line(state: StateBlock, start_line: int, end_line: int, name: str) -> int:
    """The first line after `start_line` that is `{:/name}` or `{:/}`, -1 if none before
    `end_line`. Stop lines are found once per parse, so unclosed tags cost no rescans."""
    stops = state.__dict__.get("_kramdown_stops")
    if stops is None:
        stops = {}
        for line in range(len(state.bMarks) - 1):  # every line (lineMax shrinks in nested parses)
            if state.src.startswith("{:/", state.bMarks[line] + state.tShift[line]):
                if m := _STOP_LINE_RE.match(_line(state, line)):
                    stops.setdefault(m.group(1), []).append(line)
        state._kramdown_stops = stops
    found = [lines[i] for lines in (stops.get(name, []), stops.get("", []))
             if (i := bisect.bisect_right(lines, start_line)) < len(lines)]
    return min(found) if found and min(found) < end_line else -1


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
    stop = start_line if closed else _stop_line(state, start_line, end_line, name)
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


def _inline_stop(state: StateInline, name: str, start: int) -> re.Match | None:
    """The first `{:/name}` or `{:/}` at or after `start` in the inline string (stop tags found
    once per string, as for blocks)."""
    stops = state.__dict__.get("_kramdown_stops")
    if stops is None:
        stops = state._kramdown_stops = list(_INLINE_STOP_RE.finditer(state.src))
    for i in range(bisect.bisect_left(stops, start, key=lambda m: m.start()), len(stops)):
        if stops[i].end() > state.posMax:
            break
        if stops[i].group(1) in ("", name):
            return stops[i]
    return None


def extension_inline_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("{::", state.pos):
        return False
    m = _INLINE_START_RE.match(state.src, state.pos, state.posMax)
    if not m or m.group(1) not in _KNOWN:
        return False
    end = m.end()
    if not m.group(2):
        stop = _inline_stop(state, m.group(1), m.end())
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
