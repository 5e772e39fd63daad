"""Plugin: ```` ```plotly ```` fences holding Plotly JSON become interactive charts, as in al-folio.

The JSON is checked here, at build time, so a typo is an error with its file line rather than an
empty box in the reader's browser. It is embedded as data (`<script type="application/json">`); the
theme's script loads the site's one plotly.js when a chart nears the viewport and draws it.
"""

from __future__ import annotations

import json

from markdown_it import MarkdownIt

from ..base.script_json import script_json
from ..figure_spec.sizing import reserve_height
from .lint import error, file_line
from .parsed import page_of

MAX_DEPTH = 64


def json_depth(text: str) -> int:
    """Deepest nesting of [ and { in JSON text, outside strings (one pass, no recursion)."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _check(spec, env: dict, fence_line: int) -> bool:
    if not isinstance(spec, dict) or not isinstance(spec.get("data"), list):
        error(env, fence_line, 'a plotly block needs a JSON object with a "data" list, e.g. '
                               '{"data": [{"x": [1, 2], "y": [3, 4]}], "layout": {}}')
        return False
    if "layout" in spec and not isinstance(spec["layout"], dict):
        error(env, fence_line, 'in a plotly block, "layout" must be a JSON object')
        return False
    return True


def render_plotly(source: str, env: dict, fence_line: int) -> str:
    """Chart markup for a plotly fence whose body is `source`; errors render nothing."""
    if not source.strip():  # an empty block (or a fence left open at the end of the file)
        error(env, fence_line, 'the plotly block is empty; put the chart\'s JSON between the fences, e.g. '
                               '{"data": [{"x": [1, 2], "y": [3, 4]}]}')
        return ""
    depth = json_depth(source)
    if depth > MAX_DEPTH:  # json.loads recurses per level: ~1,000 levels is a RecursionError
        error(env, fence_line + 1, f"plotly block nested {depth} levels deep; Plotly figures need a few, "
                                   f"the limit is {MAX_DEPTH}")
        return ""
    try:
        spec = json.loads(source)
    except json.JSONDecodeError as e:
        error(env, fence_line + e.lineno,
              f"invalid JSON in plotly block: {e.msg} (line {e.lineno}, column {e.colno} of the "
              f"block); check for a missing comma or quote, or a trailing comma")
        return ""
    if not _check(spec, env, fence_line):
        return ""
    spec.setdefault("layout", {})
    page_of(env).plotly = True
    from ..figure_spec.static_chart import static_chart_svg  # here: most pages have no chart to draw
    return (f'<figure class="l-page"><div class="plotly-chart"{reserve_height(spec)}>'
            f'<script type="application/json">{script_json(spec, allow_nan=True)}</script>'
            f'{static_chart_svg(spec) or ""}</div></figure>\n')  # the SVG: what prints, and shows without JS


def plotly_fence_plugin(md: MarkdownIt) -> None:
    """Wraps the fence renderer: plotly fences here, every other fence to the previous rule."""
    previous = md.renderer.rules["fence"]

    def fence(self, tokens, idx, options, env):
        token = tokens[idx]
        if token.info.strip().split(None, 1)[:1] != ["plotly"]:
            return previous(tokens, idx, options, env)
        fence_line = file_line(env, token.map[0]) if token.map else None
        return render_plotly(token.content, env, fence_line or 0)

    md.add_render_rule("fence", fence)
