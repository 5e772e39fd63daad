"""Plugin: raw HTML blocks as kramdown reads them, not as CommonMark does.

al-folio posts are written for kramdown, whose rules differ from CommonMark's in two ways that
change what a reader sees (kramdown's parser/kramdown/html.rb and parser/html.rb):

* A block HTML element ends at its matching end tag, not at the next blank line, so
  `<div class="l-gutter">` ⏎ `A note.` ⏎ `</div>` ⏎ `## Next` gives the div and then a heading
  (CommonMark would keep `## Next` inside the raw block), and blank lines inside a <details> or an
  <svg> do not cut it in two.
* A span element (`<a>`, `<img>`, `<span>`, `<b>` …, kramdown's HTML_SPAN_ELEMENTS) never opens an
  HTML block, even alone on its line: `<a name="x"></a>` is inline HTML in a paragraph. Distill's
  inline elements (<d-cite>, <d-footnote>) are read as span elements too, and so are <d-math> and
  <d-code> unless their start tag stands alone on its line or says `block`.

Any other start tag at the start of a line opens a block (and, as in kramdown, ends a paragraph
above it). The element's content stays raw: Markdown is parsed inside only with `markdown="1"`
(html_markdown.py). Comments, `<?…?>`, `<!…>`, stray end tags and <script>/<pre>/<style>/
<textarea> keep CommonMark's rule. An element with no end tag would make kramdown treat the rest of
the post as raw HTML; here it ends at the next blank line, as CommonMark has it, with a warning.
"""

from __future__ import annotations

import bisect
import re

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.html_block import html_block as commonmark_html_block

from .lint import file_line, warn

# kramdown 2's HTML_SPAN_ELEMENTS, plus Distill's inline elements.
SPAN_ELEMENTS = frozenset((
    "a", "abbr", "acronym", "b", "big", "bdo", "br", "button", "cite", "code", "del", "dfn", "em", "i",
    "img", "input", "ins", "kbd", "label", "mark", "option", "q", "rb", "rbc", "rp", "rt", "rtc",
    "ruby", "samp", "select", "small", "span", "strong", "sub", "sup", "tt", "u", "var", "d-cite",
    "d-footnote"))
_BLOCK_WHEN_ALONE = frozenset(("d-math", "d-code"))
# kramdown's HTML_ELEMENTS_WITHOUT_BODY: complete as soon as the start tag ends.
VOID_ELEMENTS = frozenset((
    "area", "base", "br", "col", "command", "embed", "hr", "img", "input", "keygen", "link", "meta",
    "param", "source", "track", "wbr"))
# CommonMark's type-1 elements already end at their end tag, as in kramdown.
_COMMONMARK_RAW = frozenset({"script", "pre", "style", "textarea"})

_MARKDOWN_CHILD_RE = re.compile(r"<[A-Za-z][\w-]*\b[^>]*\smarkdown\s*=\s*[\"']?(?:1|block|span)\b")
_END_TAG_LINE_RE = re.compile(r"</([A-Za-z][\w:-]*)\s*>\s*$")
_START_RE = re.compile(r"<([A-Za-z][\w:-]*)(?=[\s/>]|$)")
# A start or end tag of one element name (NAME is put in per name).
_NAME_TAG = r"<(/?)(NAME)(?=[\s/>])(?:[^>\"']|\"[^\"]*\"|'[^']*')*?(/?)>"
# What hides a tag from the count: a comment, or a Liquid code block (Liquid runs first in Jekyll,
# so kramdown only sees that code escaped). Found by their delimiters, in one pass.
_HIDING_RE = re.compile(r"(<!--)|(-->)|\{%-?\s*(end)?highlight\b[^%]*%\}")


def _line_start(state: StateBlock, line: int) -> int:
    return state.bMarks[line] + state.tShift[line]


def _hidden(src: str) -> list[tuple[int, int]]:
    """(start, end) of each comment and `{% highlight %}…{% endhighlight %}` in the document; an
    unclosed one hides nothing (kramdown's comment pattern needs its `-->` too)."""
    regions, opened = [], None  # opened: (start, "comment" | "highlight")
    for m in _HIDING_RE.finditer(src):
        kind = "comment" if m.group(1) or m.group(2) else "highlight"
        closing = bool(m.group(2) or m.group(3))
        if opened is None and not closing:
            opened = (m.start(), kind)
        elif opened is not None and closing and opened[1] == kind:
            regions.append((opened[0], m.end()))
            opened = None
    return regions


def _pairs(state: StateBlock, name: str) -> dict[int, int]:
    """Offset of each `<name …>` start tag in the document -> end offset of its matching end tag
    (nested same-name elements paired first; `<name/>` and void elements pair with themselves).
    One pass per tag name and parse, so a post of a thousand unclosed <div>s still parses in
    linear time."""
    cache = state.__dict__.setdefault("_kramdown_html_pairs", {})
    if "" not in cache:
        cache[""] = _hidden(state.src)
    if name not in cache:
        pattern = re.compile(_NAME_TAG.replace("NAME", re.escape(name)), re.DOTALL | re.IGNORECASE)
        hidden = cache[""]
        pairs: dict[int, int] = {}
        stack: list[int] = []
        for m in pattern.finditer(state.src):
            i = bisect.bisect_right(hidden, (m.start(), len(state.src)))
            if i and hidden[i - 1][1] > m.start():
                continue  # inside a comment or Liquid code
            if m.group(1):
                if stack:
                    pairs[stack.pop()] = m.end()
            elif m.group(3) or name in VOID_ELEMENTS:
                pairs[m.start()] = m.end()
            else:
                stack.append(m.start())
        cache[name] = pairs
    return cache[name]


def matching_end(state: StateBlock, pos: int, name: str, end_line: int) -> tuple[int, int] | None:
    """(offset just past the matching end tag, its line) for the start tag `<name` at offset
    `pos`, or None when it does not close before `end_line`."""
    end = _pairs(state, name.lower()).get(pos)
    if end is None or end > state.eMarks[end_line - 1]:
        return None
    return end, bisect.bisect_right(state.bMarks, end - 1, 0, end_line) - 1


def _end_line(state: StateBlock, start_line: int, end_line: int, name: str) -> int | None:
    """The line on which the element opened on `start_line` ends (its matching end tag), or None
    when it never closes before `end_line`."""
    found = matching_end(state, _line_start(state, start_line), name, end_line)
    return found[1] if found else None


def _alone_or_block(state: StateBlock, start_line: int, pos: int) -> bool:
    """Does the start tag at `pos` end its line, or carry a `block` attribute?"""
    tag_end = state.src.find(">", pos)
    if tag_end < 0:
        return True
    rest = state.src[tag_end + 1:state.eMarks[start_line]]
    return not rest.strip() or re.search(r"\sblock\b", state.src[pos:tag_end]) is not None


def _before_markdown_child(state: StateBlock, start_line: int, last: int) -> int:
    """kramdown parses an element with `markdown="1"` even inside a raw one (`<div class="row">` ⏎
    `<div class="col" markdown="1">`…): the raw block then stops before that line, which
    html_markdown.py reads next. A child indented four spaces or more stays raw (Markdown would
    read that line as code)."""
    for line in range(start_line + 1, last):
        if state.sCount[line] - state.blkIndent < 4 and _MARKDOWN_CHILD_RE.match(
                state.src, _line_start(state, line), state.eMarks[line]):
            return line - 1
    return last


def _end_tag_line(state: StateBlock, start_line: int, silent: bool) -> bool:
    """`</div>` alone on its line (closing an element opened in an earlier block, as around a
    `markdown="1"` child): that line only, not everything down to the next blank line."""
    if not silent:
        token = state.push("html_block", "", 0)
        token.map = [start_line, start_line + 1]
        token.content = state.getLines(start_line, start_line + 1, state.blkIndent, True)
        state.line = start_line + 1
    return True


def kramdown_html_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.sCount[start_line] - state.blkIndent >= 4 or not state.md.options.get("html"):
        return False
    start = _line_start(state, start_line)
    if (close := _END_TAG_LINE_RE.match(state.src, start, state.eMarks[start_line])) and \
            close.group(1).lower() not in SPAN_ELEMENTS:
        return _end_tag_line(state, start_line, silent)
    m = _START_RE.match(state.src, start, state.eMarks[start_line])
    if m is None or m.group(1).lower() in _COMMONMARK_RAW:
        return commonmark_html_block(state, start_line, end_line, silent)
    name = m.group(1).lower()
    if name in SPAN_ELEMENTS or name in _BLOCK_WHEN_ALONE and not _alone_or_block(state, start_line, m.end()):
        return False  # a paragraph's inline HTML
    last = _end_line(state, start_line, end_line, name)
    if last is None:
        if not silent and commonmark_html_block(state, start_line, end_line, silent):
            warn(state.env, file_line(state.env, start_line),
                 f"<{m.group(1)}> has no matching </{m.group(1)}>; kramdown would read the rest of the "
                 f"post as raw HTML. Close it; until then the block ends at the next blank line")
            return True
        return commonmark_html_block(state, start_line, end_line, silent)
    if silent:
        return True  # kramdown lets a block element end the paragraph above it
    last = _before_markdown_child(state, start_line, last)
    token = state.push("html_block", "", 0)
    token.map = [start_line, last + 1]
    token.content = state.getLines(start_line, last + 1, state.blkIndent, True)
    state.line = last + 1
    return True


def kramdown_html_plugin(md: MarkdownIt) -> None:
    """Replaces markdown-it's html_block rule (same name and place, so rules positioned relative
    to it keep their order)."""
    md.block.ruler.at("html_block", kramdown_html_block,
                      {"alt": ["paragraph", "reference", "blockquote"]})
