"""Code highlighting at build time with Pygments, and the stylesheet for both themes.

Every code block on the site (``` fences, indented code, `{% highlight %}`, `<d-code block>`) comes
out as the same markup, so one stylesheet and one copy button serve them all:

    <div class="code-block" data-lang="LANG"><pre class="highlight"><code>…spans…</code></pre></div>

Lexers and the formatter are built once per process: looking a lexer up by name walks Pygments'
plugin registry, which would cost more than highlighting a short snippet. Pygments itself is imported
only when a snippet is not in the code cache (code_cache.py): a rebuild of a page whose code did
not change never loads it.
"""

from __future__ import annotations

import functools
import html
import re
from typing import TYPE_CHECKING

from . import code_cache

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from pygments.formatters import HtmlFormatter
    from pygments.lexer import Lexer
    from pygments.style import Style

LIGHT_STYLE = "default"
DARK_STYLE = "github-dark"
_LANG_RE = re.compile(r"[^\w+#.-]")


@functools.cache
def _formatter() -> HtmlFormatter:
    from pygments.formatters import HtmlFormatter
    return HtmlFormatter(nowrap=True)


@functools.lru_cache(maxsize=256)
def _lexer(lang: str | None) -> Lexer:
    """The lexer for `lang`; plain text for no or an unknown language (a typo must not crash a build).

    stripnl=False keeps the author's leading blank lines; callers trim what they mean to trim."""
    from pygments.lexers import TextLexer, get_lexer_by_name
    from pygments.util import ClassNotFound
    if lang:
        try:
            return get_lexer_by_name(lang, stripnl=False, ensurenl=False)
        except ClassNotFound:
            pass
    return TextLexer(stripnl=False, ensurenl=False)


def _clean_lang(lang: str | None) -> str:
    return _LANG_RE.sub("", (lang or "").strip().lower()) or "text"


def _spans(code: str, lang: str | None) -> str:
    from pygments import highlight as pygmentize
    return pygmentize(code, _lexer(_clean_lang(lang) if lang else None), _formatter())


def _number_lines(spans: str) -> str:
    """Prefix each line with its number. Pygments closes every span at the end of a line, so the
    highlighted text can be split on newlines safely. `user-select: none` in the stylesheet keeps
    the numbers out of copied text."""
    lines = spans.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    width = len(str(len(lines)))
    return "\n".join(f'<span class="linenos">{i:>{width}}</span>{line}'
                     for i, line in enumerate(lines, 1)) + "\n"


@functools.lru_cache(maxsize=1024)
def highlight(code: str, lang: str | None, linenos: bool = False) -> str:
    """A highlighted code block in the site's markup; unknown languages come out as plain text.
    Cached: the preview server re-renders unchanged snippets on every save."""
    if not code.endswith("\n"):
        code += "\n"
    spans = code_cache.cached("block", code, lang, lambda: _spans(code, lang))
    if linenos:
        spans = _number_lines(spans)
    data_lang = html.escape(_clean_lang(lang), quote=True)
    return (f'<div class="code-block" data-lang="{data_lang}"><pre class="highlight"><code>'
            f"{spans}</code></pre></div>\n")


def highlight_inline(code: str, lang: str | None) -> str:
    """Highlighted inline code, for Distill's `<d-code language="…">` without `block`."""
    spans = code_cache.cached("inline", code, lang, lambda: _spans(code, lang)).rstrip("\n")
    data_lang = html.escape(_clean_lang(lang), quote=True)
    return f'<code class="highlight" data-lang="{data_lang}">{spans}</code>'


def fence_info(info: str) -> tuple[str | None, bool]:
    """```` ```python linenos ```` -> ("python", True)."""
    words = info.split()
    if not words:
        return None, False
    return words[0], "linenos" in words[1:]


def highlight_plugin(md: MarkdownIt) -> None:
    """Fenced and indented code go through Pygments. Other plugins (plotly, figures) wrap the fence
    rule and hand every fence they do not own down to this one."""

    def fence(self, tokens, idx, options, env):
        lang, linenos = fence_info(tokens[idx].info)
        return highlight(tokens[idx].content, lang, linenos)

    def code_block(self, tokens, idx, options, env):
        return highlight(tokens[idx].content, None)

    md.add_render_rule("fence", fence)
    md.add_render_rule("code_block", code_block)


# ---- stylesheet --------------------------------------------------------------------------------

def relative_luminance(color: str) -> float:
    """WCAG relative luminance of `#rgb` / `#rrggbb`."""
    hexes = color.lstrip("#")
    if len(hexes) == 3:
        hexes = "".join(c * 2 for c in hexes)
    channels = [int(hexes[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _base_colors(style: type[Style]) -> tuple[str, str]:
    """(text colour, background) of a Pygments style; styles that leave plain text uncoloured get
    near-black or near-white, whichever suits their background."""
    from pygments.token import Token
    background = style.background_color or "#f8f8f8"
    declared = style.styles.get(Token, "") or style.styles.get(Token.Text, "")
    m = re.search(r"#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3}\b", declared)
    if m:
        return m.group(0), background
    return ("#e6edf3" if relative_luminance(background) < 0.2 else "#1f2328"), background


def _theme_rules(style_name: str, prefix: str) -> str:
    """Token colours for one style under a selector prefix. Every span first falls back to the
    style's own text colour, so a token the other theme colours but this one does not cannot keep
    the other theme's (unreadable here) colour."""
    from pygments.formatters import HtmlFormatter
    from pygments.styles import get_style_by_name
    style = get_style_by_name(style_name)
    text, background = _base_colors(style)
    formatter = HtmlFormatter(style=style)
    lines = [f"{prefix} {{ color: {text}; background: {background}; }}",
             f"{prefix} span {{ color: inherit; background-color: transparent; "
             f"font-weight: inherit; font-style: inherit; border: 0; }}"]
    lines += formatter.get_token_style_defs(prefix)
    return "\n".join(lines)


_LAYOUT_CSS = """\
.code-block { position: relative; }
pre.highlight { overflow-x: auto; padding: 0.8em 1em; border-radius: 4px; line-height: 1.45; }
pre.highlight code { background: none; padding: 0; font-size: 0.85em; }
code.highlight { padding: 0.1em 0.3em; border-radius: 3px; }
.highlight .linenos { user-select: none; -webkit-user-select: none; opacity: 0.6;
  padding-right: 1em; display: inline-block; text-align: right; }"""


CODE_BG_LIGHT = "#f5f7fa"  # site.css's --code-bg in the light theme
_COLOR_RULE_RE = re.compile(r"^(\.highlight \.(\w+) \{[^}]*?color: )#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})\b", re.M)


def _luminance(rgb: tuple[float, float, float]) -> float:
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _rgb(hexcolor: str) -> tuple[float, float, float]:
    h = hexcolor if len(hexcolor) == 6 else "".join(c * 2 for c in hexcolor)
    return (int(h[0:2], 16) / 255, int(h[2:4], 16) / 255, int(h[4:6], 16) / 255)


def _readable(css: str, background: str = CODE_BG_LIGHT, target: float = 4.6) -> str:
    """Pygments' light colours are chosen against white; on our tinted code background some fall
    just under WCAG AA's 4.5:1 (comments, decorators, labels). Darken each of those until it passes;
    whitespace tokens (`.w`) have nothing to read."""
    bg = _luminance(_rgb(background.lstrip("#")))

    def sub(m: re.Match) -> str:
        rgb = _rgb(m.group(3))
        while m.group(2) != "w" and (bg + 0.05) / (_luminance(rgb) + 0.05) < target:
            rgb = tuple(c * 0.95 for c in rgb)
        return m.group(1) + "#" + "".join(f"{round(c * 255):02x}" for c in rgb)
    return _COLOR_RULE_RE.sub(sub, css)


@functools.lru_cache(maxsize=1)
def stylesheet() -> str:
    """Pygments CSS: light by default, dark under `[data-theme="dark"]`, and dark again for readers
    whose system prefers it when no theme has been chosen (before the theme script runs)."""
    light = _readable(_theme_rules(LIGHT_STYLE, ".highlight"))
    dark = _theme_rules(DARK_STYLE, '[data-theme="dark"] .highlight')
    auto = _theme_rules(DARK_STYLE, "html:not([data-theme]) .highlight")
    auto = "\n".join("  " + line for line in auto.splitlines())
    return (f"{_LAYOUT_CSS}\n/* light: Pygments '{LIGHT_STYLE}' */\n{light}\n"
            f"/* dark: Pygments '{DARK_STYLE}' */\n{dark}\n"
            f"@media (prefers-color-scheme: dark) {{\n{auto}\n}}\n")
