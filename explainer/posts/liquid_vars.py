"""Liquid variables: `{% assign %}`, `{% capture %}`, `{{ name }}`, and `{{ page.key }}`.

    {% assign repo = "https://github.com/me/code" %}
    {% assign title = page.title | upcase %}
    {% capture note %}Trained for **10 epochs**.{% endcapture %}
    See [the code]({{ repo }}); {{ note }} [data]({{ page.permalink }}/../data.csv)

Jekyll runs Liquid before kramdown, so a value is text that Markdown then reads: here it is parsed
as inline Markdown where `{{ name }}` stands (a plain one-line value goes in before parsing, so it
works in a link's target too). Values are strings, numbers, other variables, `page.key` (the post's
front matter, its url and date), `site.url` / `site.baseurl`, and the common string filters;
nothing else of Liquid is executed. A name used before (or without) an assignment renders empty, as
in Liquid, with a warning. Other objects Jekyll fills in (`site`, `include`…) are liquid.py's.
"""

from __future__ import annotations

import bisect
import datetime as dt
import html
import re

from markdown_it.rules_inline import StateInline

from .lint import file_line, inline_position, warn
from .liquid_code import paired_blocks
from .parsed import page_of

_ASSIGN_RE = re.compile(r"\{%-?\s*assign\s+([\w-]+)\s*=\s*(.*?)\s*-?%\}", re.DOTALL)
_NAME_RE = re.compile(r"\s*([\w-]+)")
# A loop's variable: the loop is not run (liquid.py shows the tag), so its uses are shown as written.
_LOOP_RE = re.compile(r"\{%-?\s*(?:for|tablerow)\s+([\w-]+)\s+in\b")
# `{{ name }}`, `{{ page.key }}`, each maybe with `| filter: "arg"`; other objects Jekyll provides
# (site, include…) are liquid.py's.
OUTPUT_RE = re.compile(r"\{\{-?\s*(?!(?:site|include|post|paginator|content|layout|jekyll)\b)"
                       r"((?:page\.)?[A-Za-z_][\w-]*)\s*((?:\|[^{}|\n]*)*)-?\}\}")
_MARKDOWN_RE = re.compile(r"[\n*`\[\]<>!$\\|#]|(?:^|\s)_|_(?:\s|$)")
_DEFAULT_RE = re.compile(r"\|\s*default\s*:")  # `| default: "x"` expects a missing value
_ARG_RE = re.compile(r"""\s*("[^"]*"|'[^']*'|[^,\s]+)\s*,?""")
_LITERAL_RE = re.compile(r"""^(?:"([^"]*)"|'([^']*)'|(-?\d+(?:\.\d+)?))$""")


def _date(value: str, fmt: str) -> str:
    """Liquid's `date` filter on an ISO date (`page.date`); Ruby's strftime codes are C's, as Python's."""
    try:
        return dt.datetime.fromisoformat(value.strip()).strftime(fmt)
    except ValueError:
        return value


_FILTERS = {
    "append": lambda v, a: v + a[0], "prepend": lambda v, a: a[0] + v, "upcase": lambda v, a: v.upper(),
    "downcase": lambda v, a: v.lower(), "capitalize": lambda v, a: v[:1].upper() + v[1:],
    "strip": lambda v, a: v.strip(), "default": lambda v, a: v or a[0],
    "replace": lambda v, a: v.replace(a[0], a[1]), "remove": lambda v, a: v.replace(a[0], ""),
    "escape": lambda v, a: html.escape(v), "strip_html": lambda v, a: re.sub(r"<[^>]*>", "", v),
    "date": lambda v, a: _date(v, a[0]), "date_to_string": lambda v, a: _date(v, "%d %b %Y"),
    "date_to_long_string": lambda v, a: _date(v, "%d %B %Y"),
    "date_to_xmlschema": lambda v, a: _date(v, "%Y-%m-%dT%H:%M:%S"),
}
_ARITY = {"append": 1, "prepend": 1, "default": 1, "replace": 2, "remove": 1, "date": 1}


class _Lines:
    """File line of an offset in the body, by bisection (counting newlines each time would make a
    post of many variables quadratic)."""

    def __init__(self, text: str, line_offset: int):
        self.newlines = [i for i, c in enumerate(text) if c == "\n"]
        self.offset = line_offset

    def at(self, pos: int) -> int:
        return bisect.bisect_left(self.newlines, pos) + 1 + self.offset


def _operand(text: str, known: dict[str, str], env: dict | None = None) -> str | None:
    m = _LITERAL_RE.match(text.strip())
    if m:
        return next(g for g in m.groups() if g is not None)
    name = text.strip()
    if env is not None and name.startswith("page.") and page_of(env).page_vars:
        return page_of(env).page_vars.get(name[5:])
    site = page_of(env).site if env is not None else None
    if site is not None and name in ("site.url", "site.baseurl"):
        return site.url if name == "site.url" else site.baseurl
    return known.get(name)


def evaluate(expr: str, known: dict[str, str], env: dict, line: int) -> str:
    """A value: `"text"`, a number or a variable, then filters; problems are warnings."""
    first, _, filters = expr.partition("|")
    value = _operand(first, known, env)
    if value is None and not _DEFAULT_RE.search("|" + filters):
        warn(env, line, f"Liquid: `{first.strip()}` is not a quoted string, a number or a variable "
                        f"assigned earlier in this post; it is empty here, as in Jekyll")
    return apply_filters(value or "", filters, known, env, line)


def apply_filters(value: str, filters: str, known: dict[str, str], env: dict, line: int) -> str:
    """`value` through `filter: arg | filter …` (the text after the first `|`)."""
    for spec in filters.split("|") if filters.strip() else ():
        name, _, args_text = spec.partition(":")
        name = name.strip()
        args = [_operand(a, known) or "" for a in _ARG_RE.findall(args_text)]
        if name in ("relative_url", "absolute_url"):
            site = page_of(env).site
            value = getattr(site, name)(value) if site else value
        elif name in _FILTERS and len(args) >= _ARITY.get(name, 0):
            value = _FILTERS[name](value, args)
        else:
            warn(env, line, f"Liquid filter `{name}` is not supported here (supported: "
                            f"{', '.join(sorted(_FILTERS))}, relative_url, absolute_url); it is skipped")
    return value


def collect(body: str, env: dict) -> None:
    """Every assignment of the post, in order, with its file line (a use sees the latest before it)."""
    page, known = page_of(env), {}
    for name in _LOOP_RE.findall(body):
        page.liquid_vars.setdefault(name, []).insert(0, (0, None))
    if "assign" not in body and "capture" not in body:
        return
    lines = _Lines(body, page.line_offset)
    # Liquid assigns nothing inside {% raw %} and {% comment %}.
    hidden = sorted((b.start, b.end) for name in ("raw", "comment") for b in paired_blocks(body, name))
    events = [(m.start(), m) for m in _ASSIGN_RE.finditer(body)]
    events += [(b.start, b) for b in paired_blocks(body, "capture")]
    for start, event in sorted(events, key=lambda e: e[0]):
        i = bisect.bisect_right(hidden, (start, len(body)))
        if i and hidden[i - 1][1] > start:
            continue
        line = lines.at(start)
        if isinstance(event, re.Match):
            name, value = event.group(1), evaluate(event.group(2), known, env, line)
        elif m := _NAME_RE.match(event.args):
            name, value = m.group(1), fill_text(body[event.body_start:event.body_end], env, line, known)
        else:
            continue
        known[name] = value
        page.liquid_vars.setdefault(name, []).append((line, value))


def protect_plain(body: str, env: dict) -> str:
    """A `{{ name }}` whose value is plain text on one line (a path, a URL, a word) becomes one of
    liquid.py's URL markers, so it also works where Markdown allows no spaces (a link's target,
    `![](…)`) and stays as written inside code. Values with Markdown in them are parsed where they
    stand (`variable_inline_rule`)."""
    page = page_of(env)
    if not (page.liquid_vars or page.page_vars) or "{{" not in body:
        return body
    lines = _Lines(body, page.line_offset)

    def sub(m: re.Match) -> str:
        if m.group(2).strip():
            return m.group(0)  # filters: evaluated where it stands
        name = m.group(1)
        if name.startswith("page."):
            value = page.page_vars.get(name[5:]) if page.page_vars else None
        else:
            value = value_at(env, name, lines.at(m.start()))
        if value is None or _MARKDOWN_RE.search(value):
            return m.group(0)
        page.liquid_urls.append((m.group(0), value))
        return f"XLIQUIDURL{len(page.liquid_urls) - 1}X"
    return OUTPUT_RE.sub(sub, body)


def value_at(env: dict, name: str, line: int) -> str | None:
    """The value `name` has at file `line`, or None when nothing assigned it before that line."""
    assigned = page_of(env).liquid_vars.get(name, ())
    i = bisect.bisect_right(assigned, line, key=lambda entry: entry[0])
    while i > 0 and assigned[i - 1][1] is None:  # a loop's variable, not a value
        i -= 1
    return assigned[i - 1][1] if i else None


def _loop_variable(env: dict, name: str) -> bool:
    return any(value is None for _, value in page_of(env).liquid_vars.get(name, ()))


def page_variables(post) -> dict[str, str]:
    """`page.X` for a post, as Jekyll fills it: its front matter (strings and numbers), url, date."""
    meta = post.meta
    values = {k: str(v) for k, v in meta.extra.items() if isinstance(v, (str, int, float))}
    values.update(title=meta.title, description=meta.description, url=post.url_path,
                  date=meta.date.isoformat(sep=" "), layout=meta.layout)
    return values


def _output(m: re.Match, env: dict, line: int, known: dict[str, str] | None = None) -> str:
    name = m.group(1)
    if name.startswith("page."):
        page_vars = page_of(env).page_vars
        if not page_vars:
            return m.group(0)  # no front matter known (a snippet): shown as written
        value = page_vars.get(name[5:])
        if value is None and not _DEFAULT_RE.search(m.group(2)):
            warn(env, line, f"`{{{{ {name} }}}}`: the front matter has no `{name[5:]}`; it renders empty, "
                            f"as in Jekyll")
        return apply_filters(value or "", m.group(2).lstrip().removeprefix("|"), known or {}, env, line)
    value = known.get(m.group(1)) if known is not None else value_at(env, m.group(1), line)
    if value is None and _loop_variable(env, m.group(1)):
        return m.group(0)
    if value is None and not _DEFAULT_RE.search(m.group(2)):
        warn(env, line, f"Liquid variable `{m.group(1)}` has no {{% assign %}} or {{% capture %}} "
                        f"before it in this post; it renders empty, as in Jekyll")
    return apply_filters(value or "", m.group(2).lstrip().removeprefix("|"), known or {}, env, line)


def fill_text(text: str, env: dict, line: int, known: dict[str, str] | None = None) -> str:
    """`text` with its `{{ name }}` outputs replaced by their values (raw HTML, captures)."""
    if "{{" not in text:
        return text
    lines = _Lines(text, line - 1)
    return OUTPUT_RE.sub(lambda m: _output(m, env, lines.at(m.start()), known), text)


def variable_inline_rule(state: StateInline, silent: bool) -> bool:
    """`{{ name }}` in running text: the value, read as inline Markdown in place."""
    if not state.src.startswith("{{", state.pos) or page_of(state.env).liquid_in_raw:
        return False
    m = OUTPUT_RE.match(state.src, state.pos, state.posMax)
    if not m or m.group(1).startswith("page.") and not page_of(state.env).page_vars:
        return False  # without the front matter, liquid.py shows `{{ page.… }}` with a warning
    if not silent:
        value = _output(m, state.env, inline_position(state, state.pos)[0])
        if value == m.group(0):
            state.pending += value
        elif value:
            state.pushPending()
            children: list = []
            state.md.inline.parse(value, state.md, state.env, children)
            state.tokens.extend(children)
    state.pos = m.end()
    return True


def fill_html(content: str, env: dict, line0: int) -> str:
    """Raw HTML block starting at body line `line0`, with its outputs filled in and its captures
    taken out (their text was read by `collect`)."""
    if "capture" in content:
        out, last = [], 0
        for block in paired_blocks(content, "capture"):
            out += [content[last:block.start], "\n" * content.count("\n", block.start, block.end)]
            last = block.end
        content = "".join(out) + content[last:]
    return fill_text(content, env, file_line(env, line0))
