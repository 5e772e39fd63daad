"""Plugin: numbered figures and tables, and cross-references to figures, tables, equations and sections.

The syntax is pandoc-crossref's (Quarto's hyphenated form works too):

    See @fig:ae-latent, [@fig:recon; @tbl:sizes] and @eq:elbo; [-@fig:recon] is the bare number.
    Back in @sec:a-bottleneck we ...

renders "Figure 3", "Figures 1 and 2", "Eq. (2)", the section's title; each number links to its
target and shows a hover card (the figure's caption and picture, the equation). A reference needs
the `@` to follow a space or punctuation and one of the prefixes fig/tbl/eq/sec with `:` or `-`,
so e-mail addresses, `@handles`, code and math never fire: posts that do not use it (al-folio's)
render as before. `\\@fig:x` writes the text itself.

What gets a number, in page order: every ```figure block, every `<figure>` with a `<figcaption>`
(al-folio's `{% include figure.liquid caption="…" %}` and raw HTML), an image alone in its paragraph
with an id, `![Caption](a.png){#fig:name}`, a ```plotly fence given a caption or id by the line above
it, `{#fig:loss caption="Training loss"}`, and a table with a caption paragraph after it,
`Table: Sizes {#tbl:sizes}` (or `: Sizes {#tbl:sizes}`). A page whose captions already say
"Figure 3" by hand keeps them as written. Equation numbers are MathJax's own (see `xref_numbers`).

References render as placeholders and are filled in by `fill_xrefs` once the whole body is
rendered, since a reference may come before its target.
"""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

from .lint import inline_position
from .parsed import page_of, placeholder
from .xref_numbers import fill_xrefs

__all__ = ["fill_xrefs", "xref_plugin"]

_ONE = r"(-?)@([Ff]ig|[Tt]bl|[Ee]q|[Ss]ec)([:-])([A-Za-z0-9_](?:[\w.:-]*[A-Za-z0-9_])?)"
_ONE_RE = re.compile(_ONE)
_ONE_NC = r"-?@(?:[Ff]ig|[Tt]bl|[Ee]q|[Ss]ec)[:-][A-Za-z0-9_](?:[\w.:-]*[A-Za-z0-9_])?"
_BRACKET_RE = re.compile(r"\[\s*" + _ONE_NC + r"(?:\s*[;,]\s*" + _ONE_NC + r")*\s*\]")
_WORD = re.compile(r"[\w@.+-]")
_TABLE_CAPTION_RE = re.compile(r"^(?:Table)?:\s+")
_TRAILING_ID_RE = re.compile(r"\s*\{#([\w:.-]+)\}\s*$")
_FIG_ID_RE = re.compile(r"^fig[:-]")


# ---- inline syntax -------------------------------------------------------------------------------

def _parse_refs(text: str) -> list[dict]:
    return [{"suppress": bool(m.group(1)), "kind": m.group(2).lower(), "sep": m.group(3),
             "name": m.group(4), "written": m.group(0).lstrip("-")} for m in _ONE_RE.finditer(text)]


def _xref_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    char = src[pos]
    if state.linkLevel > 0:  # inside a link's text: a link cannot hold another
        return False
    if char == "[":
        if silent:  # a link label being scanned: a whole [...] token there would read as a nested link
            return False
        m = _BRACKET_RE.match(src, pos)
        if not m or src[m.end():m.end() + 1] in ("(", "["):  # `[@fig:a](url)` is a link's text
            return False
    elif char == "@":
        if pos > 0 and _WORD.match(src[pos - 1]):  # name@fig-tree.org is an address
            return False
        m = _ONE_RE.match(src, pos)
        if not m or m.group(1):
            return False
    else:
        return False
    if not silent:
        token = state.push("xref", "", 0)
        line, col = inline_position(state, pos)
        token.meta = {"refs": _parse_refs(m.group(0)), "line": line, "col": col,
                      "bracket": char == "["}
    state.pos = m.end()
    return True


def _render_xref(self, tokens, idx, options, env) -> str:
    refs = page_of(env).xrefs
    refs.append(tokens[idx].meta)
    return placeholder("xref", len(refs) - 1)


# ---- block rules: images and tables that become numbered figures ---------------------------------

def _image_figures(tokens: list[Token]) -> None:
    """`![Caption](a.png){#fig:x}` alone in its paragraph -> <figure id="fig:x"> with a caption."""
    for i, token in enumerate(tokens[:-2]):
        if token.type != "paragraph_open" or tokens[i + 1].type != "inline":
            continue
        kids = [c for c in tokens[i + 1].children or () if not (c.type == "text" and not c.content.strip())
                and c.type != "softbreak"]
        if len(kids) != 1 or kids[0].type != "image":
            continue
        if not _FIG_ID_RE.match(str(kids[0].attrGet("id") or "")):
            continue
        image = kids[0]
        token.type, token.tag = "xref_figure_open", "figure"
        token.meta = {"id": image.attrGet("id")}
        image.attrs.pop("id", None)
        close = tokens[i + 2]
        close.type, close.tag = "xref_figure_close", "figure"
        close.meta = {"caption": image.children or []}


def _caption_paragraph(tokens: list[Token], at: int, prefix_re: re.Pattern) -> Token | None:
    """The inline token of the paragraph starting at `at` when its text starts with `prefix_re`."""
    if at < 0 or at + 2 >= len(tokens) or tokens[at].type != "paragraph_open":
        return None
    inline = tokens[at + 1]
    kids = inline.children or []
    if kids and kids[0].type == "text" and prefix_re.match(kids[0].content):
        return inline
    return None


def _table_captions(tokens: list[Token]) -> list[Token]:
    """A `Table: …` paragraph right before or after a table (`: …` after) becomes its caption."""
    out, i = [], 0
    while i < len(tokens):
        token = tokens[i]
        if token.type != "table_open":
            out.append(token)
            i += 1
            continue
        close = next(j for j in range(i, len(tokens)) if tokens[j].type == "table_close")
        after = _caption_paragraph(tokens, close + 1, _TABLE_CAPTION_RE)
        before = None if after else _caption_paragraph(tokens, i - 3, re.compile(r"^Table:\s+"))
        caption = after or before
        if caption is None:
            out.extend(tokens[i:close + 1])
            i = close + 1
            continue
        if before is not None:
            del out[-3:]
        kids = caption.children or []  # _caption_paragraph checked it has a first text child
        kids[0].content = _TABLE_CAPTION_RE.sub("", kids[0].content, count=1)
        table_id = None
        if kids[-1].type == "text" and (m := _TRAILING_ID_RE.search(kids[-1].content)):
            table_id, kids[-1].content = m.group(1), kids[-1].content[:m.start()]
        opener = Token("xref_table_open", "figure", 1)
        opener.meta, opener.map = {"id": table_id, "caption": kids}, token.map
        out += [opener, *tokens[i:close + 1], Token("xref_table_close", "figure", -1)]
        i = close + 1 + (3 if after is not None else 0)
    return out


def _blocks(state: StateCore) -> None:
    if state.inlineMode:
        return
    _image_figures(state.tokens)
    state.tokens[:] = _table_captions(state.tokens)


def _id_attr(value) -> str:
    return f' id="{html.escape(str(value))}"' if value else ""


def _render_figure_open(self, tokens, idx, options, env) -> str:
    return f'<figure class="xref-figure"{_id_attr(tokens[idx].meta.get("id"))}>'


def _render_figure_close(self, tokens, idx, options, env) -> str:
    caption = self.renderInline(tokens[idx].meta["caption"], options, env)
    return f"<figcaption>{caption}</figcaption></figure>\n"


def _render_table_open(self, tokens, idx, options, env) -> str:
    meta = tokens[idx].meta
    caption = self.renderInline(meta["caption"], options, env)
    return f'<figure class="xref-table"{_id_attr(meta.get("id"))}><figcaption>{caption}</figcaption>\n'


def _wrap_plotly_fence(md: MarkdownIt) -> None:
    """`{#fig:loss caption="…"}` above a ```plotly fence gives its <figure> an id and a caption."""
    previous = md.renderer.rules["fence"]  # type: ignore[attr-defined]  # RendererHTML's

    def fence(self, tokens, idx, options, env):
        out = previous(tokens, idx, options, env)
        token = tokens[idx]
        fig_id, caption = token.attrGet("id"), token.attrGet("caption")
        if token.info.strip().split(None, 1)[:1] != ["plotly"] or not (fig_id or caption) \
                or not out.startswith("<figure"):
            return out
        out = out.replace("<figure", f"<figure{_id_attr(fig_id)}", 1)
        if caption:
            text = md.renderInline(str(caption), env)
            out = out.replace("</figure>", f"<figcaption>{text}</figcaption></figure>", 1)
        return out

    md.add_render_rule("fence", fence)


def xref_plugin(md: MarkdownIt) -> None:
    """Cross-references (`@fig:id`, `[@tbl:a; @eq:b]`) and the blocks that become numbered figures.
    Use it after the plugins that render fences; the caller runs `fill_xrefs(html, env)` on the
    rendered body."""
    md.inline.ruler.before("link", "xref", _xref_rule)
    md.core.ruler.push("xref_blocks", _blocks)
    md.add_render_rule("xref", _render_xref)
    md.add_render_rule("xref_figure_open", _render_figure_open)
    md.add_render_rule("xref_figure_close", _render_figure_close)
    md.add_render_rule("xref_table_open", _render_table_open)
    md.add_render_rule("xref_table_close", lambda self, t, i, o, env: "</figure>\n")
    _wrap_plotly_fence(md)
