"""Plugin: where `*` and `_` may open and close emphasis, by kramdown's rule instead of CommonMark's.

CommonMark's flanking rules look at punctuation: `**인지 아키텍처(CA)**를` is not bold there, because
the closing `**` follows `)` and precedes a letter. kramdown (parser/kramdown/emphasis.rb) only asks
that an opener is not followed by whitespace and a closer not preceded by it; `_` in addition never
opens between two letters or digits and never closes before one. Posts in languages written without
spaces between words (Korean, Chinese, Japanese) hit this on every page. Pairing itself (nesting,
`***`) stays markdown-it's.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.state_inline import Delimiter


def _scan(state: StateInline, start: int, marker: str) -> tuple[bool, bool, int]:
    """-> (can open, can close, run length) of the marker run at `start`."""
    pos = start
    while pos < state.posMax and state.src[pos] == marker:
        pos += 1
    last = state.src[start - 1] if start > 0 else " "
    nxt = state.src[pos] if pos < state.posMax else " "
    can_open, can_close = not nxt.isspace(), not last.isspace()
    if marker == "_":
        can_open = can_open and not (last.isalnum() and nxt.isalnum())
        can_close = can_close and not nxt.isalnum()
    return can_open, can_close, pos - start


def kramdown_emphasis(state: StateInline, silent: bool) -> bool:
    """markdown-it's emphasis tokenizer with kramdown's opening and closing tests."""
    marker = state.src[state.pos]
    if silent or marker not in ("_", "*"):
        return False
    can_open, can_close, length = _scan(state, state.pos, marker)
    for _ in range(length):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(Delimiter(marker=ord(marker), length=length, token=len(state.tokens) - 1,
                                          end=-1, open=can_open, close=can_close))
    state.pos += length
    return True


def kramdown_emphasis_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.at("emphasis", kramdown_emphasis)
