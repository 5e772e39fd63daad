"""Plugin: kramdown's `markdown="1"` on an HTML element, so Markdown inside it is parsed.

    <div class="l-body-outset" markdown="1">
    **Takeaway:** the bound is tight iff $$q = p$$.
    </div>

CommonMark ends a raw HTML block only at a blank line and never parses what is inside, so without
this the text above would show its asterisks and dollars. The opening and closing tags must each
stand on a line of their own (as al-folio authors write them); the opening tag is kept without the
`markdown` attribute and the lines between are parsed as Markdown blocks. `markdown="0"` and other
layouts are left to the ordinary HTML rule.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from .kramdown_html import matching_end

# The opening tag alone on its line, or followed by a one-line <summary> (`<details markdown="1">
# <summary>Proof</summary>`: the summary stays HTML, as in kramdown).
_OPEN_RE = re.compile(r"<([A-Za-z][\w-]*)\b([^>]*?)\s+markdown\s*=\s*[\"']?(1|block|span)[\"']?([^>]*)>"
                      r"(\s*<summary\b.*</summary>)?\s*$", re.IGNORECASE)
# The same tag with content after it on its line: `<p markdown="1">Some **bold**</p>`.
_OPEN_TEXT_RE = re.compile(
    r"<([A-Za-z][\w-]*)\b([^>]*?)\s+markdown\s*=\s*([\"']?)(1|span|block)\3(?=[\s>/])([^>]*)>(?=.*\S)")
# kramdown's HTML_CONTENT_MODEL_SPAN: with markdown="1" their content is read as one paragraph's text.
SPAN_MODEL = frozenset((
    "a", "abbr", "acronym", "b", "bdo", "big", "button", "cite", "caption", "del", "dfn", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "i", "ins", "label", "legend", "optgroup", "p", "q", "rb", "rbc",
    "rp", "rt", "rtc", "ruby", "select", "small", "span", "strong", "sub", "sup", "th", "tt"))


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]


def _closing_line(state: StateBlock, start_line: int, end_line: int, tag: str) -> int:
    """The line holding only `</tag>` that closes the element opened on start_line; -1 if none."""
    found = matching_end(state, state.bMarks[start_line] + state.tShift[start_line], tag, end_line)
    if found is None or found[1] <= start_line:
        return -1
    closer = re.compile(rf"</{re.escape(tag)}\s*>", re.IGNORECASE)
    return found[1] if closer.fullmatch(_line(state, found[1]).strip()) else -1


def _span_model(tag: str, value: str) -> bool:
    """kramdown's content model for `markdown="value"`: "1" means the element's own model."""
    return value == "span" or value == "1" and tag.lower() in SPAN_MODEL


def _push_html(state: StateBlock, content: str, line: int) -> None:
    token = state.push("html_block", "", 0)
    token.content = content + "\n"
    token.map = [line, line + 1]


def markdown_attr_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    m = _OPEN_RE.match(_line(state, start_line))
    if not m:
        return False
    close = _closing_line(state, start_line, end_line, m.group(1))
    if close < 0:
        return False
    if silent:
        return True
    _push_html(state, f"<{m.group(1)}{m.group(2)}{m.group(4)}>{(m.group(5) or '').strip()}", start_line)
    if _span_model(m.group(1), m.group(3)):  # `<p markdown="1">` ⏎ text ⏎ `</p>`: the text inline
        inline = state.push("inline", "", 0)
        inline.content = state.getLines(start_line + 1, close, state.blkIndent, False).strip()
        inline.map, inline.children = [start_line + 1, close], []
    else:
        old_max, old_parent = state.lineMax, state.parentType
        state.lineMax, state.parentType = close, "html_markdown"
        state.md.block.tokenize(state, start_line + 1, close)
        state.lineMax, state.parentType = old_max, old_parent
    _push_html(state, _line(state, close).strip(), close)
    state.line = close + 1
    return True


def markdown_text_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """`<p markdown="1">text…</p>`, on one line or running on to a line ending in `</p>`: the text
    is Markdown, inline for kramdown's span elements (p, h1…, dt…), a paragraph for the others.
    Unquoted `markdown=1` counts too (kramdown would show that tag as text: a deliberate leniency)."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    start = state.bMarks[start_line] + state.tShift[start_line]
    m = _OPEN_TEXT_RE.match(state.src, start, state.eMarks[start_line])
    if not m:
        return False
    found = matching_end(state, start, m.group(1), end_line)
    if found is None or state.src[found[0]:state.eMarks[found[1]]].strip():
        return False  # no end tag, or text after it: raw HTML (kramdown_html.py)
    if silent:
        return True
    last = found[1]
    span = _span_model(m.group(1), m.group(4))
    close_at = re.compile(rf"</{re.escape(m.group(1))}\s*>\s*$", re.IGNORECASE).search(
        state.src, state.src.rfind("</", start, found[0]), state.eMarks[last])
    _push_html(state, f"<{m.group(1)}{m.group(2)}{m.group(5)}>", start_line)
    if span:  # the text sits right inside the tag: <p>text</p>
        state.tokens[-1].content = state.tokens[-1].content.rstrip("\n")
    else:
        state.push("paragraph_open", "p", 1).map = [start_line, last + 1]
    inline = state.push("inline", "", 0)
    inline.content = state.src[m.end():close_at.start()].strip()
    inline.map, inline.children = [start_line, last + 1], []
    if not span:
        state.push("paragraph_close", "p", -1)
    _push_html(state, close_at.group(0).strip(), last)
    state.line = last + 1
    return True


def html_markdown_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("html_block", "html_markdown", markdown_attr_rule,
                          {"alt": ["paragraph", "reference", "blockquote"]})
    md.block.ruler.before("html_block", "html_markdown_text", markdown_text_rule,
                          {"alt": ["paragraph", "reference", "blockquote"]})
