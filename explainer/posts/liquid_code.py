"""Plugin: Liquid's code tags where Jekyll meets them, which is everywhere: Liquid runs over the
whole post before kramdown reads any Markdown.

    <details>…{% highlight python %}…{% endhighlight %}…</details>    highlighted inside raw HTML
    {% highlight c++ %} int x; {% endhighlight %}                    one line: a code block, or inline
                                                                     code inside a sentence
    ```…{% raw %}{{ x }}{% endraw %}…```                             the raw tags vanish in code too

liquid.py handles the common layout (the tags on lines of their own, between Markdown blocks).
Inside a raw HTML block the highlight becomes a code token of its own between the HTML before and
after it, so the HTML rewriters (math, Distill tags) never see the code.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .highlight import highlight_inline

_RAW_TAG_RE = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")
_CODE_TOKENS = frozenset({"fence", "code_block", "code_inline", "liquid_highlight",
                          "liquid_highlight_inline"})
# Jekyll's highlight block drops the line breaks around the code, nothing else.
_EDGE_NEWLINES_RE = re.compile(r"\A[\r\n]+|[\r\n]+\Z")


@functools.cache
def _tag_re(name: str) -> re.Pattern:
    return re.compile(rf"\{{%-?\s*(end)?{name}\b([^%]*?)-?%\}}")


@dataclass(frozen=True)
class Block:
    """A paired Liquid block in a text: `{% name args %}body{% endname %}`."""
    start: int  # offset of the opening tag
    end: int  # offset just past the closing tag
    args: str
    body_start: int
    body_end: int


def paired_blocks(text: str, name: str) -> list[Block]:
    """Each `{% name … %}…{% endname %}` in `text`, the first end tag after an opening one closing
    it, found in one pass (an unclosed tag costs no rescan of the rest of the text)."""
    out, opened = [], None
    for m in _tag_re(name).finditer(text):
        if m.group(1) and opened is not None:
            out.append(Block(opened.start(), m.end(), opened.group(2), opened.end(), m.start()))
            opened = None
        elif not m.group(1) and opened is None:
            opened = m
    return out


def _set_code(token: Token, args: str, code: str) -> Token:
    words = args.split()
    token.info = words[0] if words else ""
    token.meta = {"linenos": any(w.startswith("linenos") for w in words[1:])}
    token.content = code
    return token


def _highlight_token(text: str, block: Block, level: int, line0: int, one_line: bool) -> Token:
    code = text[block.body_start:block.body_end]
    code = code.strip() if one_line else _EDGE_NEWLINES_RE.sub("", code)
    token = _set_code(Token("liquid_highlight", "code", 0), block.args, code)
    lines = text.count("\n", block.start, block.end)
    token.block, token.level, token.map = True, level, [line0, line0 + 1 + lines]
    return token


def _html_token(content: str, level: int, line0: int) -> Token:
    token = Token("html_block", "", 0)
    token.content, token.level = content, level
    token.block, token.map = True, [line0, line0 + max(1, content.count("\n"))]
    return token


def _split_html(token: Token, blocks: list[Block]) -> list[Token]:
    """An html_block holding highlight blocks -> HTML, code, HTML… tokens, each with its lines."""
    content, line0 = token.content, token.map[0] if token.map else 0
    out, last, line = [], 0, line0
    for block in blocks:
        before = content[last:block.start]
        if before.strip():
            out.append(_html_token(before, token.level, line))
        line += before.count("\n")
        out.append(_highlight_token(content, block, token.level, line, False))
        line += content.count("\n", block.start, block.end)
        last = block.end
    if content[last:].strip():
        out.append(_html_token(content[last:], token.level, line))
    return out


def split_html_highlights(state: StateCore) -> None:
    if not any(t.type == "html_block" and "highlight" in t.content for t in state.tokens):
        return
    tokens: list[Token] = []
    for token in state.tokens:
        blocks = paired_blocks(token.content, "highlight") if token.type == "html_block" else []
        tokens.extend(_split_html(token, blocks) if blocks else [token])
    state.tokens = tokens


def one_line_highlight_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """`{% highlight c++ %} int x; {% endhighlight %}` as a line of its own: a code block."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    start, end = state.bMarks[start_line] + state.tShift[start_line], state.eMarks[start_line]
    if not state.src.startswith("{%", start):
        return False
    blocks = paired_blocks(state.src[start:end], "highlight")
    if not blocks or blocks[0].start != 0 or state.src[start + blocks[0].end:end].strip():
        return False
    if not silent:
        state.tokens.append(_highlight_token(state.src[start:end], blocks[0], state.level, start_line, True))
        state.line = start_line + 1
    return True


def inline_highlight_rule(state: StateInline, silent: bool) -> bool:
    """The same inside a sentence: highlighted inline code (a block cannot sit inside a <p>)."""
    if not state.src.startswith("{%", state.pos):
        return False
    found = state.__dict__.get("_highlight_blocks")
    if found is None or found[0] is not state.src:  # once per inline string
        blocks = paired_blocks(state.src, "highlight")
        found = state._highlight_blocks = (state.src, {b.start: b for b in blocks})
    block = found[1].get(state.pos)
    if block is None or block.end > state.posMax:
        return False
    if not silent:
        code = state.src[block.body_start:block.body_end].strip()
        _set_code(state.push("liquid_highlight_inline", "code", 0), block.args, code)
    state.pos = block.end
    return True


def outside_raw(content: str, rewrite) -> str:
    """`rewrite(chunk, offset)` applied outside `{% raw %}` regions; their content is kept as it is
    and their tags dropped, as Liquid does."""
    if "raw" not in content:
        return rewrite(content, 0)
    out, last = [], 0
    for block in paired_blocks(content, "raw"):
        out += [rewrite(content[last:block.start], last), content[block.body_start:block.body_end]]
        last = block.end
    out.append(rewrite(content[last:], last))
    return "".join(out)


def strip_raw_tags(state: StateCore) -> None:
    """Liquid removes `{% raw %}` and `{% endraw %}` before kramdown sees the code that holds them."""
    stack = list(state.tokens)
    while stack:
        token = stack.pop()
        if token.type in _CODE_TOKENS and "raw" in token.content and "{%" in token.content:
            token.content = _RAW_TAG_RE.sub("", token.content)
        if token.children:
            stack.extend(token.children)


def liquid_code_plugin(md: MarkdownIt) -> None:
    """After liquid_plugin, whose block and inline rules these go before."""
    md.block.ruler.before("liquid_block", "liquid_one_line_highlight", one_line_highlight_rule,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.inline.ruler.before("liquid_inline", "liquid_inline_highlight", inline_highlight_rule)
    md.core.ruler.after("block", "liquid_html_highlight", split_html_highlights)
    md.core.ruler.push("liquid_strip_raw", strip_raw_tags)
    md.add_render_rule("liquid_highlight_inline", lambda self, t, i, o, env: highlight_inline(
        t[i].content, t[i].info or None))
