"""A Plotly figure drawn as a small static SVG at build time: what prints, and what a reader without
JavaScript sees, in place of the interactive chart.

Covers what the site's charts use: `scatter` traces (lines, markers or both) and vertical `bar`
traces, on linear, log or category axes, with axis titles and a legend. Anything else returns
None, and the chart simply has no static twin. Text and axes use `currentColor`, so the picture
takes the page's text colour (black on paper); trace colours are the figure's own.
"""

from __future__ import annotations

import html
import math

# Plotly's default colourway: a trace without a colour of its own looks as it does in the live chart.
PALETTE = ("#636efa", "#EF553B", "#00cc96", "#ab63fa", "#FFA15A", "#19d3f3", "#FF6692", "#B6E880",
           "#FF97FF", "#FECB52")

W, H = 640, 360
_M = {"l": 64, "r": 16, "t": 14, "b": 52}
_SUPPORTED = {"scatter", "bar"}


def _title(axis: dict) -> str:
    title = axis.get("title")
    return str(title.get("text", "") if isinstance(title, dict) else title or "")


def _nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step) * step
    return [round(first + k * step, 12) for k in range(int((hi - first) / step + 1e-9) + 1)]


class _Axis:
    def __init__(self, spec: dict, values: list, length: float, start: float, flip: bool, include_zero: bool):
        self.log = spec.get("type") == "log"
        self.categories = [v for v in dict.fromkeys(values) if isinstance(v, str)]
        nums = [self.t(v) for v in values if self._finite(v)]
        lo, hi = (min(nums), max(nums)) if nums else (0.0, 1.0)
        if include_zero and not self.log:
            lo, hi = min(lo, 0.0), max(hi, 0.0)
        pad = (hi - lo) * 0.05 or 0.5
        self.lo, self.hi = (lo - 0.5, hi + 0.5) if self.categories else (lo - pad, hi + pad)
        self.length, self.start, self.flip = length, start, flip
        self.title = _title(spec)

    def _finite(self, v) -> bool:
        if isinstance(v, str):
            return True
        return isinstance(v, (int, float)) and math.isfinite(v) and (v > 0 or not self.log)

    def t(self, v) -> float:
        if isinstance(v, str):
            return float(self.categories.index(v))
        return math.log10(v) if self.log else float(v)

    def px(self, v) -> float:
        return self.px_t(self.t(v))

    def px_t(self, tv: float) -> float:
        """Pixel of a value already on the axis's scale (log10 of it on a log axis)."""
        f = (tv - self.lo) / (self.hi - self.lo)
        return self.start + (1 - f if self.flip else f) * self.length

    def ticks(self) -> list[tuple[float, str]]:
        if self.categories:
            return [(self.px(c), c) for c in self.categories]
        if self.log and self.hi - self.lo >= 1:  # decades, and 2× and 5× when there are few of them
            steps = (1,) if self.hi - self.lo > 3 else (1, 2, 5)
            vals = [m * 10.0 ** e for e in range(math.floor(self.lo), math.ceil(self.hi) + 1) for m in steps]
            return [(self.px(v), f"{v:g}") for v in vals if self.lo <= math.log10(v) <= self.hi]
        if self.log:  # less than a decade: evenly spaced ticks on the log scale, labelled in values
            return [(self.px_t(v), f"{10 ** v:.3g}") for v in _nice_ticks(self.lo, self.hi)]
        return [(self.px_t(v), f"{v:g}") for v in _nice_ticks(self.lo, self.hi)]


def _colour(trace: dict, k: int) -> str:
    for key in ("line", "marker"):
        c = (trace.get(key) or {}).get("color")
        if isinstance(c, str):
            return c
    return PALETTE[k % len(PALETTE)]


def _points(trace: dict) -> list[tuple]:
    ys = list(trace.get("y") or [])
    xs = list(trace.get("x") or range(len(ys)))
    return [(x, y) for x, y in zip(xs, ys) if x is not None and y is not None]


def static_chart_svg(figure: dict, label: str = "") -> str | None:
    traces = [t for t in figure.get("data") or [] if isinstance(t, dict)]
    if not traces or any(t.get("type", "scatter") not in _SUPPORTED for t in traces):
        return None
    layout = figure.get("layout") or {}
    pts = [_points(t) for t in traces]
    xs, ys = [p[0] for ps in pts for p in ps], [p[1] for ps in pts for p in ps]
    if not xs:
        return None
    if not all(isinstance(v, (int, float)) for v in ys):
        return None
    bars = any(t.get("type") == "bar" for t in traces)
    legend = [t for t in traces if t.get("name") and t.get("showlegend", True)] if len(traces) > 1 else []
    # a legend row below the axis when there are several named traces
    bottom = _M["b"] + (22 if legend else 0)
    x = _Axis(layout.get("xaxis") or {}, xs, W - _M["l"] - _M["r"], _M["l"], False, False)
    y = _Axis(layout.get("yaxis") or {}, ys, H - _M["t"] - bottom, _M["t"], True, bars)
    default = f"Chart of {y.title} against {x.title}" if x.title and y.title else "Chart"
    label = label or _title(layout) or default
    out = [(f'<svg class="chart-fallback" viewBox="0 0 {W} {H}" role="img" aria-label="{html.escape(label)}" '
            f'font-size="12" fill="currentColor" xmlns="http://www.w3.org/2000/svg">')]
    out += _axes(x, y, H - bottom) + _marks(traces, pts, x, y) + _legend(legend, traces)
    out.append("</svg>")
    return "".join(out)


def _marks(traces: list[dict], pts: list[list[tuple]], x: _Axis, y: _Axis) -> list[str]:
    n_bars = sum(t.get("type") == "bar" for t in traces)
    width = x.length / max(len({p[0] for ps in pts for p in ps}), 1) * 0.8 / max(n_bars, 1)
    out, nbar = [], 0
    for k, (trace, ps) in enumerate(zip(traces, pts)):
        colour = html.escape(_colour(trace, k))
        ps = [(a, b) for a, b in ps if x._finite(a) and y._finite(b)]
        if trace.get("type") == "bar":  # side by side, `n_bars` to a category
            for a, b in ps:
                left = x.px(a) - width * (n_bars / 2 - nbar)
                top, base = sorted((y.px(b), y.px(0)))
                out.append(f'<rect x="{left:.1f}" y="{top:.1f}" width="{width:.1f}" '
                           f'height="{base - top:.1f}" fill="{colour}"/>')
            nbar += 1
            continue
        mode = trace.get("mode", "lines+markers")
        if "lines" in mode:
            coords = " ".join(f"{x.px(a):.1f},{y.px(b):.1f}" for a, b in ps)
            dotted = (trace.get("line") or {}).get("dash") in ("dot", "dash")
            dash = ' stroke-dasharray="2 3"' if dotted else ""
            out.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" '
                       f'stroke-width="1.8"{dash}/>')
        if "markers" in mode:
            out += [f'<circle cx="{x.px(a):.1f}" cy="{y.px(b):.1f}" r="2.6" fill="{colour}"/>' for a, b in ps]
    return out


def _axes(x: _Axis, y: _Axis, base: float) -> list[str]:
    right = x.start + x.length
    out = [f'<path d="M{x.start},{y.start}V{base}H{right}" fill="none" stroke="currentColor" '
           f'stroke-opacity="0.6"/>']
    for px, text in x.ticks():
        if x.start - 0.5 <= px <= right + 0.5:
            out.append(f'<text x="{px:.1f}" y="{base + 16}" text-anchor="middle">{html.escape(text)}</text>')
    for py, text in y.ticks():
        if y.start - 0.5 <= py <= base + 0.5:
            out.append(f'<path d="M{x.start},{py:.1f}H{right}" stroke="currentColor" stroke-opacity="0.12"/>'
                       f'<text x="{x.start - 6}" y="{py + 4:.1f}" text-anchor="end">'
                       f"{html.escape(text)}</text>")
    if x.title:
        out.append(f'<text x="{x.start + x.length / 2:.1f}" y="{base + 36}" text-anchor="middle">'
                   f"{html.escape(x.title)}</text>")
    if y.title:
        mid = y.start + y.length / 2
        out.append(f'<text transform="translate(16 {mid:.1f}) rotate(-90)" text-anchor="middle">'
                   f"{html.escape(y.title)}</text>")
    return out


def _legend(entries: list[dict], traces: list[dict]) -> list[str]:
    out, cursor = [], float(_M["l"])
    for trace in entries:
        name = str(trace["name"])
        colour = html.escape(_colour(trace, traces.index(trace)))
        out.append(f'<rect x="{cursor:.0f}" y="{H - 18}" width="14" height="4" fill="{colour}"/>'
                   f'<text x="{cursor + 18:.0f}" y="{H - 12}">{html.escape(name)}</text>')
        cursor += 30 + 6.5 * len(name)
    return out
