"""Plugin: kramdown's inline attribute lists (IALs), as al-folio posts write them.

    | a | b |                     a line `{: …}` right after a block (no blank line between)
    {: .table .table-sm}          gives that block the attributes; alone before a block, the next
    ## Appendix                   one; `{:.no_toc}` after a heading only marks it
    {:.no_toc}
    ![photo](a.jpg){: .img-fluid width="50%"}   right after an image, link or code span: that one

Without this plugin the braces show as text, and after a table they become a table row: GFM's
table rule takes every following line until a blank one, so the block rule is also registered as
a table terminator (markdown-it's table rule stops at what may interrupt a blockquote).
`{::…}` extensions and `{:name: …}` attribute definitions are not IALs and are left alone.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

_BLOCK_IAL_RE = re.compile(r"\{:(?![:/])(?![\w-]+:)([^{}\n]*)\}[ \t]*$")
_INLINE_IAL_RE = re.compile(r"\{:(?![:/])([^{}\n]*)\}")
_ATTR_RE = re.compile(r"""\.([\w-]+)|#([\w:.-]+)|([\w-]+)=(?:"([^"]*)"|'([^']*)'|([^\s"'}]+))""")
_INLINE_TARGETS = frozenset({"image", "link_close", "code_inline"})


def parse_ial(text: str) -> list[tuple[str, str]]:
    """`.a .b #x width="50%"` -> [("class", "a"), ("class", "b"), ("id", "x"), ("width", "50%")]."""
    out = []
    for m in _ATTR_RE.finditer(text):
        if m.group(1):
            out.append(("class", m.group(1)))
        elif m.group(2):
            out.append(("id", m.group(2)))
        else:
            out.append((m.group(3), next(g for g in m.groups()[3:] if g is not None)))
    return out


def apply_ial(token: Token, attrs: list[tuple[str, str]]) -> None:
    """Classes add to the token's own; other attributes replace."""
    for name, value in attrs:
        if name == "class" and token.attrGet("class"):
            token.attrSet("class", f"{token.attrGet('class')} {value}")
        else:
            token.attrSet(name, value)


# ---- block IALs ---------------------------------------------------------------------------------

def ial_block_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    start = state.bMarks[start_line] + state.tShift[start_line]
    m = _BLOCK_IAL_RE.match(state.src, start, state.eMarks[start_line])
    if not m:
        return False
    if not silent:
        token = state.push("kramdown_ial", "", 0)
        token.block = True
        token.meta = {"attrs": parse_ial(m.group(1))}
        token.map = [start_line, start_line + 1]
    state.line = start_line + 1
    return True


def _block_before(tokens: list[Token], idx: int) -> Token | None:
    """The opening token of the block that ends on the line just above tokens[idx], at its level."""
    level, depth = tokens[idx].level, 0
    for j in range(idx - 1, -1, -1):
        t = tokens[j]
        if t.level < level:
            return None  # the IAL opens its container: nothing before it
        depth += t.nesting
        if depth == 0 and t.level == level and t.nesting >= 0:
            return t if t.map and t.map[1] == tokens[idx].map[0] else None
    return None


def _block_after(tokens: list[Token], idx: int) -> Token | None:
    nxt = tokens[idx + 1] if idx + 1 < len(tokens) else None
    if nxt is not None and nxt.level == tokens[idx].level and nxt.nesting >= 0 and nxt.map \
            and nxt.map[0] == tokens[idx].map[1]:
        return nxt
    return None


def apply_block_ials(state: StateCore) -> None:
    """Give each block IAL's attributes to its block and take the IAL out of the stream."""
    tokens = state.tokens
    if not any(t.type == "kramdown_ial" for t in tokens):
        return
    for idx, token in enumerate(tokens):
        if token.type == "kramdown_ial":
            target = _block_before(tokens, idx) or _block_after(tokens, idx)
            if target is not None and target.type != "kramdown_ial":
                apply_ial(target, token.meta["attrs"])
    state.tokens = [t for t in tokens if t.type != "kramdown_ial"]


# ---- span IALs ------------------------------------------------------------------------------------

def _span_target(tokens: list[Token]) -> Token | None:
    last = tokens[-1] if tokens else None
    if last is None or last.type not in _INLINE_TARGETS:
        return None
    if last.type != "link_close":
        return last
    depth = 0
    for token in reversed(tokens):
        depth += token.nesting
        if token.type == "link_open" and depth == 0:
            return token
    return None


def ial_inline_rule(state: StateInline, silent: bool) -> bool:
    """`{: …}` written right after an image, link or code span (no space between)."""
    if not state.src.startswith("{:", state.pos) or state.pending:
        return False
    m = _INLINE_IAL_RE.match(state.src, state.pos, state.posMax)
    target = _span_target(state.tokens)
    if not m or target is None:
        return False
    if not silent:
        apply_ial(target, parse_ial(m.group(1)))
    state.pos = m.end()
    return True


def kramdown_ial_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("table", "kramdown_ial", ial_block_rule,
                          {"alt": ["paragraph", "blockquote", "list"]})
    md.inline.ruler.before("text", "kramdown_ial", ial_inline_rule)
    md.core.ruler.after("block", "kramdown_ial", apply_block_ials)
