"""Plugin: Distill's tags, `<d-cite>`, `<d-footnote>` and `<d-code>`, rendered at build time.

They work where Distill authors put them: inside paragraphs (inline rules, before raw HTML) and
inside raw HTML blocks (the html_block renderer rewrites them). Inside code spans they are text.

Citations and footnotes are numbered while rendering, which walks the page in reading order: the
first key cited is [1], a key cited again keeps its number, and `<d-footnote>` and Markdown's
`[^1]` share one sequence. Both markers carry a hover card with their content, so the page works
without JavaScript; the reference list and footnote list are built later from the page's
`citations` and `footnotes` (parsed.PageParse).
"""

from __future__ import annotations

import html
import re
import textwrap

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .d_cite import CITE_RE, CITE_TAIL, cite_keys, render_citation, tag_attrs, warn_cite_shape
from .highlight import highlight, highlight_inline
from .html_math import outside_comments
from .lint import file_line, inline_position
from .parsed import Footnote, page_of

_CODE_RE = re.compile(r"<d-code\b([^>]*)>(.*?)</d-code\s*>", re.I | re.S)
_CODE_OPEN_RE = re.compile(r"<d-code\b([^>]*)>", re.I)
_CODE_CLOSE_RE = re.compile(r"</d-code\s*>", re.I)
_ANY_TAG_RE = re.compile(r"<d-(?:cite|footnote|code)\b", re.I)
_HTML_TAGS_RE = re.compile(
    r"<d-code\b(?P<code_attrs>[^>]*)>(?P<code>.*?)</d-code\s*>"
    r"|<d-cite\b(?P<cite_attrs>[^>]*?)" + CITE_TAIL +
    r"|<d-footnote\s*>(?P<note>.*?)</d-footnote\s*>", re.I | re.S)


# ---- footnotes ---------------------------------------------------------------------------------

MAX_FOOTNOTE_DEPTH = 16


def render_footnote_marker(key: object, env: dict, render_content) -> str:
    """The numbered marker for a footnote; its content is rendered the first time it is referenced.

    The footnote's slot is reserved before its content is rendered, so a footnote cited inside
    another gets the next number rather than the same one."""
    page = page_of(env)
    markers = page.footnote_markers  # footnote key -> (number, times referenced)
    if key in markers:
        number, seen = markers[key]
        markers[key] = (number, seen + 1)
        ref_id = f"fnref-{number}-{seen + 1}"
        footnote = page.footnotes[number - 1]
        content = footnote.html if footnote else ""  # None: a footnote citing itself
    else:
        page.footnotes.append(None)
        number = len(page.footnotes)
        markers[key] = (number, 1)
        ref_id = f"fnref-{number}"
        if page.footnote_depth >= MAX_FOOTNOTE_DEPTH:  # each level renders the next inside it: bound it
            content = ""
            page.diag.error(page.path, page.line_offset + 1,
                            f"footnotes cite footnotes more than {MAX_FOOTNOTE_DEPTH} deep (footnote "
                            f"{number}); cite them from the text instead")
        else:
            page.footnote_depth += 1
            try:
                content = render_content()
            finally:
                page.footnote_depth -= 1
        page.footnotes[number - 1] = Footnote(number, f"fn-{number}", ref_id, content)
    card = content.replace("<p>", '<span class="hover-card-p">').replace("</p>", "</span>")
    return (f'<sup class="footnote-ref"><a class="footnote-link" href="#fn-{number}" '
            f'id="{ref_id}">{number}</a><span class="hover-card" role="tooltip">{card}</span></sup>')


def _block_content_html(renderer, tokens: list[Token], options, env) -> str:
    """A footnote definition's HTML: a lone paragraph loses its <p> (it sits inside a sentence)."""
    if [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"]:
        return renderer.renderInline(tokens[1].children, options, env)
    return renderer.render(tokens, options, env).strip()


def take_footnote_defs(tokens: list[Token], env: dict) -> list[Token]:
    """Take `[^label]: …` definitions out of a parsed token stream: their content only appears in
    the marker's hover card and in the footnote list, never where it was written. Called after
    parsing rather than as a core rule, so every core rule (typographer, smart quotes, Liquid,
    lint) has seen the definitions' text first."""
    defs = page_of(env).footnote_defs  # label -> block tokens of a `[^label]: …` definition
    kept: list[Token] = []
    current: list[Token] | None = None
    label = None
    for token in tokens:
        if token.type == "footnote_reference_open":
            current, label = [], token.meta["label"]
        elif token.type == "footnote_reference_close":
            defs.setdefault(label, current)
            current = None
        elif current is not None:
            current.append(token)
        else:
            kept.append(token)
    return kept


def _render_footnote_ref(self, tokens, idx, options, env) -> str:
    label = tokens[idx].meta.get("label")
    body = page_of(env).footnote_defs.get(label, [])
    return render_footnote_marker(("md", label), env,
                                  lambda: _block_content_html(self, body, options, env))


def _render_d_footnote(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    return render_footnote_marker(("d", id(token)), env,
                                  lambda: self.renderInline(token.children, options, env).strip())


# ---- code ----------------------------------------------------------------------------------------

def dedent_block(code: str) -> str:
    """Distill's rule for `<d-code block>`: drop blank lines at both ends, then common indentation."""
    lines = code.split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return textwrap.dedent("\n".join(lines))


def render_d_code(attrs: dict[str, str], code: str, block: bool) -> str:
    """Distill reads the element's text, so entities such as `&lt;` mean their characters."""
    code = html.unescape(code)
    lang = attrs.get("language") or attrs.get("lang")
    if block:
        return highlight(dedent_block(code), lang)
    return highlight_inline(code, lang)


def d_code_block_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """`<d-code block …>` starting a line, through `</d-code>` (blank lines inside are code)."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    start = state.bMarks[start_line] + state.tShift[start_line]
    m = _CODE_OPEN_RE.match(state.src, start, state.eMarks[start_line])
    if not m:
        return False
    attrs = tag_attrs(m.group(1))
    if "block" not in attrs and state.src[m.end():state.eMarks[start_line]].strip():
        return False  # `<d-code language="x">inline</d-code> text…` is a paragraph
    end = _CODE_CLOSE_RE.search(state.src, m.end())  # `</d-code >` ends it too, as in a browser
    if end is None:
        return False
    close = end.start()
    last_line = start_line
    while last_line + 1 < end_line and state.bMarks[last_line + 1] <= close:
        last_line += 1
    if silent:
        return True
    token = state.push("d_code_block", "code", 0)
    token.block = True
    token.content = state.src[m.end():close]
    token.meta = {"attrs": attrs}
    token.map = [start_line, last_line + 1]
    state.line = last_line + 1
    return True


# ---- inline rules ----------------------------------------------------------------------------

def _inline_footnote(state: StateInline, start: int, silent: bool) -> bool:
    """Parse the footnote's content in place, between open and close tokens, as the link rule does:
    emphasis stays scoped inside it and the typographer and smart quotes still reach its text.
    `fold_footnotes` then moves the content into the footnote token's children."""
    src, end = state.src, state.posMax
    open_end = start + len("<d-footnote>")
    close = src.lower().find("</d-footnote>", open_end, end)
    if close < 0:
        return False
    if not silent:
        state.push("d_footnote_open", "", 1)
        state.pos, state.posMax = open_end, close
        state.md.inline.tokenize(state)
        state.push("d_footnote_close", "", -1)
        state.posMax = end
    state.pos = close + len("</d-footnote>")
    return True


def _fold(children: list[Token]) -> list[Token]:
    out: list[Token] = []
    stack: list[Token] = []
    for child in children:
        if child.type == "d_footnote_close" and stack:
            stack.pop()
            continue
        (stack[-1].children if stack else out).append(child)
        if child.type == "d_footnote_open":
            child.type, child.nesting, child.children = "d_footnote", 0, []
            stack.append(child)
    return out


def fold_footnotes(state: StateCore) -> None:
    """Move each `<d-footnote>`'s content tokens into its children (see `_inline_footnote`)."""
    for token in state.tokens:
        if token.type == "inline" and token.children and any(
                c.type == "d_footnote_open" for c in token.children):
            token.children = _fold(token.children)


def distill_inline_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if not src.startswith("<d-", pos):
        return False
    if m := CITE_RE.match(src, pos, state.posMax):
        if not silent:
            token = state.push("d_cite", "", 0)
            line = inline_position(state, pos)[0]
            token.meta = {"keys": cite_keys(m.group("cite_attrs")), "line": line}
            warn_cite_shape(m, state.env, line)
        state.pos = m.end()
        return True
    if src[pos:pos + 12].lower() == "<d-footnote>":
        return _inline_footnote(state, pos, silent)
    if m := _CODE_RE.match(src, pos, state.posMax):
        if not silent:
            token = state.push("d_code_inline", "code", 0)
            token.content = m.group(2)
            token.meta = {"attrs": tag_attrs(m.group(1))}
        state.pos = m.end()
        return True
    return False


# ---- raw HTML blocks -----------------------------------------------------------------------------

def rewrite_html(md: MarkdownIt, content: str, env: dict, line0: int, options) -> str:
    """Distill tags inside a raw HTML block, rendered as in running text, in one left-to-right
    pass so citations are numbered in reading order. A footnote's content is Markdown, parsed
    here; citations inside it are found by that parse."""
    if not _ANY_TAG_RE.search(content):
        return content

    def sub(m: re.Match, offset: int) -> str:
        line = line0 + content.count("\n", 0, offset + m.start())
        if m.group("code_attrs") is not None:
            attrs = tag_attrs(m.group("code_attrs"))
            return render_d_code(attrs, m.group("code"), "block" in attrs)
        if m.group("cite_attrs") is not None:
            warn_cite_shape(m, env, file_line(env, line))
            return render_citation(cite_keys(m.group("cite_attrs")), env, file_line(env, line))
        return render_footnote_marker(("html", line0, offset + m.start()), env,
                                      lambda: render_nested_inline(md, m.group("note"), env, options, line))
    return outside_comments(content, lambda chunk, offset: _HTML_TAGS_RE.sub(
        lambda m: sub(m, offset), chunk))


def render_nested_inline(md: MarkdownIt, text: str, env: dict, options, line0: int) -> str:
    """Markdown found while rendering (a footnote inside raw HTML), parsed and rendered in place.
    markdown-it's own footnote and link bookkeeping is swapped back in (see mdit_env.py)."""
    page = page_of(env)
    outer, page.inline_line0 = page.inline_line0, line0
    try:
        tokens = md.parseInline(text.strip(), env)
    finally:
        page.inline_line0 = outer
    return md.renderer.renderInline(tokens[0].children if tokens else [], options, env)


def distill_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("html_inline", "distill_inline", distill_inline_rule)
    md.block.ruler.before("html_block", "d_code_block", d_code_block_rule,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
    md.core.ruler.push("fold_d_footnotes", fold_footnotes)
    previous_html_block = md.renderer.rules.get("html_block")

    def html_block(self, tokens, idx, options, env):
        token = tokens[idx]
        out = previous_html_block(tokens, idx, options, env)
        return rewrite_html(md, out, env, token.map[0] if token.map else 0, options)

    md.add_render_rule("html_block", html_block)
    md.add_render_rule("d_cite", lambda self, t, i, o, env: render_citation(
        t[i].meta["keys"], env, t[i].meta["line"]))
    md.add_render_rule("d_footnote", _render_d_footnote)
    md.add_render_rule("footnote_ref", _render_footnote_ref)
    md.add_render_rule("d_code_inline", lambda self, t, i, o, env: render_d_code(
        t[i].meta["attrs"], t[i].content, False))
    md.add_render_rule("d_code_block", lambda self, t, i, o, env: render_d_code(
        t[i].meta["attrs"], t[i].content, True))
