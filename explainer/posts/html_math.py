"""Plugin: math inside raw HTML blocks, and the comment-aware splitting other HTML rewriters share.

al-folio runs MathJax over the whole page, so authors put formulas in raw HTML too:
`<aside class="l-gutter"><p>$$q_\\phi$$ is the encoder</p></aside>`, `<div class="caption">…`,
figure-include captions. Markdown never parses those blocks, so this plugin finds the math in
their text (never in tags, comments, or code/pre/script/style/textarea elements) with the same
delimiters as running text, and swaps each formula for a math placeholder. `$$…$$` or `\\[…\\]`
displays when it is all the text of its element, as kramdown's paragraph rule would have it, or
stands on lines of its own (kramdown keeps a whole <details> raw, blank lines and all), and is
inline inside a sentence (a display block cannot sit inside a <p>).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it import MarkdownIt

from .lint import file_line
from .math_syntax import _match_inline
from .parsed import MathItem, page_of, placeholder

# A comment, or an element whose content is never math, or any other tag.
_SKIP_RE = re.compile(
    r"<!--.*?-->"
    r"|<(pre|code|script|style|textarea|d-code)\b[^>]*>.*?</\1\s*>"
    r"|<[A-Za-z/!][^>]*>", re.I | re.S)
_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.S)


def outside_comments(content: str, rewrite: Callable[[str, int], str]) -> str:
    """Apply `rewrite(chunk, offset)` to the parts of `content` outside HTML comments, so a tag
    commented out (`<!-- <d-cite key="x"> -->`) is neither rendered, counted, nor warned about."""
    if "<!--" not in content:
        return rewrite(content, 0)
    out, last = [], 0
    for m in _COMMENT_RE.finditer(content):
        out += [rewrite(content[last:m.start()], last), m.group(0)]
        last = m.end()
    out.append(rewrite(content[last:], last))
    return "".join(out)


def _own_lines(text: str, pos: int, end: int) -> bool:
    """Does the formula text[pos:end] stand on lines of its own (`We have:` ⏎ `$$…$$` ⏎ inside a
    <details>)? The browser's MathJax displays `$$` anywhere in raw HTML; on its own lines it is
    meant as display, and there a block breaks no sentence."""
    before = text[:pos].rpartition("\n")
    after = text[end:].partition("\n")
    return bool(before[1]) and not before[2].strip() and bool(after[1]) and not after[0].strip()


def _math_in_text(text: str, env: dict, line0: int, whole: bool, col0: int) -> str:
    """`text` (between two tags) with each formula replaced by a placeholder. Items get a column
    (1 + `col0` on the first line): the formula sits inside an element, where math.py renders a
    display formula as a block <span>, never a <div> that would break the enclosing <p>."""
    out, pos, last = [], 0, 0
    while pos < len(text):
        if text[pos] not in "$\\":
            pos += 1
            continue
        found = _match_inline(text, pos, len(text))
        if found is None:
            pos += 2 if text[pos] == "\\" or text.startswith("$$", pos) else 1
            continue
        tex_start, tex_end, end, display = found
        alone = whole and not text[:pos].strip() and not text[end:].strip() or _own_lines(text, pos, end)
        display = display or (text[pos:tex_start] == "$$" and alone)
        if display and not alone and text[pos:tex_start] in ("\\[", "\\\\["):
            display = False
        line_start = text.rfind("\n", 0, pos) + 1
        col = pos - line_start + 1 + (col0 if line_start == 0 else 0)
        page_of(env).math.append(MathItem(text[tex_start:tex_end].strip(), display,
                                    file_line(env, line0 + text.count("\n", 0, pos)), col))
        # The math renderer wraps the formula in its <span class="math-inline"> or <div>.
        out += [text[last:pos], placeholder("math", len(page_of(env).math) - 1)]
        pos = last = end
    out.append(text[last:])
    return "".join(out)


def math_in_html(content: str, env: dict, line0: int, allow_display: bool = True) -> str:
    """Raw HTML with the formulas in its text swapped for math placeholders (see module doc).
    `line0` is the 0-based body line where `content` starts; without `allow_display` every
    `$$…$$` is inline (a caption is one line of text)."""
    if "$" not in content and "\\" not in content:
        return content
    out, last = [], 0
    pieces = list(_SKIP_RE.finditer(content)) + [None]
    for m in pieces:
        start = m.start() if m else len(content)
        text = content[last:start]
        if text.strip():
            # The element's only text when a tag closes or opens on both sides of it.
            whole = allow_display and (last > 0 or m is not None)
            col0 = last - (content.rfind("\n", 0, last) + 1)
            text = _math_in_text(text, env, line0 + content.count("\n", 0, last), whole, col0)
        out.append(text)
        if m:
            out.append(m.group(0))
            last = m.end()
    return "".join(out)


def html_math_plugin(md: MarkdownIt) -> None:
    """Registered before the Distill and Liquid plugins, whose html_block renderers wrap this one:
    math is taken out first, so a `$` in a rendered citation card is never read as math."""
    previous = md.renderer.rules.get("html_block")

    def html_block(self, tokens, idx, options, env):
        token = tokens[idx]
        out = previous(tokens, idx, options, env)
        line0 = token.map[0] if token.map else 0
        return outside_comments(out, lambda chunk, offset: math_in_html(
            chunk, env, line0 + out.count("\n", 0, offset)))

    md.add_render_rule("html_block", html_block)
