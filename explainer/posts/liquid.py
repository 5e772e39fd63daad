"""Plugin: the Liquid that al-folio posts use, so a post moves over unchanged. Nothing is executed.

    {% highlight lang [linenos] %}…{% endhighlight %}      highlighted code block
    {% details summary %}…{% enddetails %}                <details>, Markdown inside
    {% include figure.liquid path="…" caption="…" %}     <figure> with <img> (al-folio's includes;
    {% include video.liquid path="…" controls=true %}    see liquid_include.py)
    {{ '/path' | relative_url }}, {{ site.baseurl }}      site URLs, in text, links and raw HTML
    {% raw %}…{% endraw %}                                 text, shown as written
    {% comment %}…{% endcomment %}                         left out

Any other tag is shown as written, with a warning. URL expressions can sit where Markdown allows
no spaces (a link's target), so `protect_urls` swaps them for plain-letter markers before parsing;
`restore_code` puts the original text back inside code and math, where Liquid is not meant, and
`fill_urls` writes the URLs into the rendered HTML.
"""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline

from . import liquid_vars
from .highlight import highlight
from .html_math import outside_comments
from .lint import file_line, inline_position, warn
from .liquid_code import outside_raw
from .liquid_include import render_include, render_twitter
from .parsed import page_of

_URL_EXPR_RE = re.compile(
    r"""\{\{\s*(?:(["'])([^"'\n]*)\1\s*\|\s*(relative_url|absolute_url)|site\.(baseurl|url))\s*\}\}""")
_MARKER_RE = re.compile(r"XLIQUIDURL(\d+)X")
_TAG_RE = re.compile(r"\{%-?\s*(\w+)(.*?)-?%\}", re.S)
_OUTPUT_RE = re.compile(r"\{\{-?\s*(?:site|page|include|post|paginator|content|layout)\b[^{}\n]*\}\}")
_END_RES = {name: re.compile(rf"\{{%-?\s*end{name}\s*-?%\}}") for name in ("raw", "comment", "capture")}
_CODE_TYPES = frozenset({"code_inline", "code_block", "fence", "math_inline", "math_block",
                         "d_code_inline", "d_code_block", "liquid_highlight"})


# ---- URL expressions ---------------------------------------------------------------------------

def _url_for(m: re.Match, site) -> str:
    if m.group(3) == "relative_url":
        return site.relative_url(m.group(2))
    if m.group(3) == "absolute_url":
        return site.absolute_url(m.group(2))
    return site.baseurl if m.group(4) == "baseurl" else site.url


def protect_urls(body: str, env: dict) -> str:
    """Replace each URL expression by a marker of letters and digits, which no Markdown rule
    changes and which is valid inside a link target."""
    if "{{" not in body:
        return body
    urls = page_of(env).liquid_urls

    def sub(m: re.Match) -> str:
        urls.append((m.group(0), _url_for(m, page_of(env).site)))
        return f"XLIQUIDURL{len(urls) - 1}X"
    return _URL_EXPR_RE.sub(sub, body)


def _restore(text: str, urls: list) -> str:
    return _MARKER_RE.sub(lambda m: urls[int(m.group(1))][0], text)


def restore_code(state: StateCore) -> None:
    """Inside code and math, a URL expression is what the author wants shown: put it back."""
    urls = page_of(state.env).liquid_urls
    if not urls:
        return
    stack = list(state.tokens)
    while stack:
        token = stack.pop()
        if token.type in _CODE_TYPES and "XLIQUIDURL" in token.content:
            token.content = _restore(token.content, urls)
        if token.children:
            stack.extend(token.children)


def fill_urls(text: str, env: dict) -> str:
    """Write the URLs into rendered HTML (escaped: they may land in text or in attributes)."""
    urls = page_of(env).liquid_urls
    if not urls or "XLIQUIDURL" not in text:
        return text
    return _MARKER_RE.sub(lambda m: html.escape(urls[int(m.group(1))][1]), text)


_PAIRS = {"highlight": "endhighlight", "details": "enddetails", "raw": "endraw",
          "comment": "endcomment", "capture": "endcapture"}
_SILENT = ("comment", "capture")  # blocks that render nothing (liquid_vars.py reads the captures)


def _unsupported(name: str, args: str, env: dict, line: int | None) -> None:
    if name in _PAIRS:
        warn(env, line, f"{{% {name} %}} has no matching {{% {_PAIRS[name]} %}}; add it on a line "
                        f"of its own after the content (the tag is shown as written)")
    elif name in _PAIRS.values():
        warn(env, line, f"{{% {name} %}} closes nothing; remove it or add the opening tag "
                        f"on a line of its own")
    else:
        shown = f"include {args.split()[0]}" if name == "include" and args else name
        warn(env, line, f"Liquid tag {{% {shown} %}} is not supported; it is shown as written. "
                        f"Supported: highlight, details, raw, comment, assign, capture, twitter, include "
                        f"figure.liquid / video.liquid / audio.liquid, and "
                        f"{{{{ '/path' | relative_url }}}}")


def render_tag(m: re.Match, env: dict, line: int | None) -> str | None:
    """HTML for a one-line tag, or None (with a warning) when it is not one we render."""
    name, args = m.group(1), m.group(2).strip()
    if name == "include" and (out := render_include(args, env, line)) is not None:
        return out
    if name in ("assign", "capture", "endcapture"):
        return ""  # the values were read before parsing (liquid_vars.collect)
    if name == "twitter":
        return render_twitter(args, env, line)
    _unsupported(name, args, env, line)
    return None


# ---- block rules -------------------------------------------------------------------------------

def _tag_at(state: StateBlock, line: int) -> re.Match | None:
    start = state.bMarks[line] + state.tShift[line]
    if not state.src.startswith("{%", start):
        return None
    return _TAG_RE.match(state.src[start:state.eMarks[line]])


def _find_end(state: StateBlock, start_line: int, end_line: int, opener: str, closer: str) -> int:
    """Line of the `{% closer %}` that matches the opener on start_line (nesting counted); -1.

    Once a scan finds no closer at all before `end_line`, no later opener in the same container
    can find one either: remembering that keeps 20,000 unclosed tags linear, not quadratic."""
    memo = page_of(state.env).liquid_no_closer
    key = (closer, end_line, state.parentType, state.blkIndent)
    if start_line >= memo.get(key, end_line + 1):
        return -1
    depth, saw_closer = 1, False
    for line in range(start_line + 1, end_line):
        m = _tag_at(state, line)
        if m and m.group(1) == opener:
            depth += 1
        elif m and m.group(1) == closer:
            saw_closer = True
            depth -= 1
            if depth == 0:
                return line
    if not saw_closer:
        memo[key] = min(memo.get(key, end_line + 1), start_line)
    return -1


def _push_highlight(state: StateBlock, m: re.Match, start_line: int, close: int) -> None:
    words = m.group(2).split()
    token = state.push("liquid_highlight", "code", 0)
    token.block = True
    token.info = words[0] if words else ""
    token.meta = {"linenos": any(w.startswith("linenos") for w in words[1:])}
    token.content = state.getLines(start_line + 1, close, state.blkIndent, True)
    token.map = [start_line, close + 1]


def _push_details(state: StateBlock, m: re.Match, start_line: int, close: int) -> None:
    """<details><summary>…</summary> around the blocks between the tags, parsed as Markdown."""
    state.push("details_open", "details", 1).map = [start_line, close + 1]
    state.push("summary_open", "summary", 1)
    summary = state.push("inline", "", 0)
    summary.content, summary.map, summary.children = m.group(2).strip(), [start_line, start_line + 1], []
    state.push("summary_close", "summary", -1)
    old_max, old_parent = state.lineMax, state.parentType
    state.lineMax, state.parentType = close, "details"
    state.md.block.tokenize(state, start_line + 1, close)
    state.lineMax, state.parentType = old_max, old_parent
    state.push("details_close", "details", -1)


def liquid_block_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A line starting with `{%`. Paired tags take the lines up to their end tag; a tag alone on
    its line is a block of its own: `{% comment %}` blocks vanish, `{% raw %}` lines only mark
    text Liquid leaves alone, figure includes become figures, and the rest are shown with a
    warning. (Without this rule the djot-style block attributes would read `{% … %}` as a
    comment and drop it without a word.)"""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    m = _tag_at(state, start_line)
    if not m:
        return False
    name, last = m.group(1), start_line
    if name in ("highlight", "details") + _SILENT:
        last = _find_end(state, start_line, end_line, name, _PAIRS[name])
        if last >= 0 and name not in _SILENT:
            if not silent:
                (_push_highlight if name == "highlight" else _push_details)(state, m, start_line, last)
                state.line = last + 1
            return True
        last = max(last, start_line)  # unclosed: shown as written, with a warning
    if state.src[state.bMarks[start_line] + state.tShift[start_line] + m.end():
                 state.eMarks[start_line]].strip():
        return False  # text follows the tag: a paragraph, where the inline rule handles it
    if silent:
        return True
    if name not in _SILENT + ("raw", "endraw") or last == start_line and name in _SILENT:
        token = state.push("liquid_block_tag", "", 0)
        token.block = True
        token.content = m.group(0)
        token.map = [start_line, start_line + 1]
    state.line = last + 1
    return True


# ---- inline rule ----------------------------------------------------------------------------------

def _tokenize_raw(state: StateInline, start: int, stop: int) -> None:
    """Jekyll drops the raw tags before Markdown runs, so what they hold is still Markdown
    (`{% raw %}`{{ x }}`{% endraw %}` is a code span), only with Liquid switched off."""
    page = page_of(state.env)
    old_max, page.liquid_in_raw = state.posMax, True
    first = len(state.tokens)
    state.pos, state.posMax = start, stop
    try:
        state.md.inline.tokenize(state)
    finally:
        state.posMax = old_max
        page.liquid_in_raw = False
    urls = page_of(state.env).liquid_urls
    for token in state.tokens[first:] if urls else ():  # `{{ … | relative_url }}` stays as written
        if token.type == "text":
            token.content = _restore(token.content, urls)


def liquid_inline_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if page_of(state.env).liquid_in_raw:
        return False
    if src.startswith("{{", pos):
        m = _OUTPUT_RE.match(src, pos, state.posMax)
        if not m:
            return False
        if not silent:
            warn(state.env, inline_position(state, pos)[0],
                 f"Liquid output {m.group(0)} is not supported; it is shown as written "
                 f"(only {{{{ '/path' | relative_url }}}} and {{{{ site.baseurl }}}} are)")
            state.pending += m.group(0)
        state.pos = m.end()
        return True
    if not src.startswith("{%", pos):
        return False
    m = _TAG_RE.match(src, pos, state.posMax)
    if not m:
        return False
    if m.group(1) in ("raw",) + _SILENT:
        end = _END_RES[m.group(1)].search(src, m.end(), state.posMax)
        stop = end.start() if end else state.posMax
        if not silent and m.group(1) == "raw":
            _tokenize_raw(state, m.end(), stop)
        state.pos = end.end() if end else state.posMax
        return True
    if not silent:
        token = state.push("liquid_tag", "", 0)
        token.content = m.group(0)
        token.meta = {"line": inline_position(state, pos)[0]}
    state.pos = m.end()
    return True


def _render_tag_token(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    line = token.meta["line"] if token.meta else file_line(env, token.map[0])
    out = render_tag(_TAG_RE.match(token.content), env, line)
    if out is None:
        out = html.escape(token.content)
        return f"<p>{out}</p>\n" if token.block else out
    return out + ("\n" if token.block else "")


def rewrite_html(content: str, env: dict, line0: int) -> str:
    """Liquid inside raw HTML (al-folio puts figure includes in <div class="row"> blocks); what
    `{% raw %}…{% endraw %}` holds is written as it is, without the tags."""
    return outside_raw(content, lambda chunk, offset: _rewrite_liquid(
        chunk, env, line0 + content.count("\n", 0, offset)))


def _rewrite_liquid(content: str, env: dict, line0: int) -> str:
    content = liquid_vars.fill_html(content, env, line0)
    if "{%" not in content:
        return content

    def sub(m: re.Match, offset: int) -> str:
        line = file_line(env, line0 + content.count("\n", 0, offset + m.start()))
        out = render_tag(m, env, line)
        return m.group(0) if out is None else out
    return outside_comments(content, lambda chunk, offset: _TAG_RE.sub(lambda m: sub(m, offset), chunk))


def liquid_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("fence", "liquid_block", liquid_block_rule,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.inline.ruler.before("html_inline", "liquid_inline", liquid_inline_rule)
    md.inline.ruler.before("liquid_inline", "liquid_variable", liquid_vars.variable_inline_rule)
    md.core.ruler.push("liquid_restore_code", restore_code)
    previous_html_block = md.renderer.rules.get("html_block")

    def html_block(self, tokens, idx, options, env):
        token = tokens[idx]
        out = previous_html_block(tokens, idx, options, env)
        return rewrite_html(out, env, token.map[0] if token.map else 0)

    md.add_render_rule("html_block", html_block)
    md.add_render_rule("liquid_highlight", lambda self, t, i, o, env: highlight(
        t[i].content, t[i].info or None, t[i].meta["linenos"]))
    md.add_render_rule("liquid_tag", _render_tag_token)
    md.add_render_rule("liquid_block_tag", _render_tag_token)
