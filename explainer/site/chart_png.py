"""A chart's static SVG twin (figure_spec/static_chart.py) drawn again as a PNG, for link previews:
`og:image` must be a raster picture, and a post whose only figures are charts has no other.

This reads only the small SVG vocabulary static_chart writes (paths of M/V/H moves, polylines,
circles, rects and text, in a 640x360 box) and draws it with Pillow at twice the size, black on white.
"""

from __future__ import annotations

import html
import io
import re

from PIL import Image, ImageDraw, ImageFont

SCALE = 2
_SVG_RE = re.compile(r'<svg class="chart-fallback".*?</svg>', re.S)
_VIEWBOX_RE = re.compile(r'viewBox="0 0 (\d+) (\d+)"')
_ELEMENT_RE = re.compile(r"<(path|polyline|circle|rect|text)\b([^>]*?)/?>(?:([^<]*)</text>)?")
_ATTR_RE = re.compile(r'([\w-]+)="([^"]*)"')
_PATH_RE = re.compile(r"([MVH])\s*([-\d.]+)(?:,([-\d.]+))?")


def first_chart_svg(html: str) -> str | None:
    m = _SVG_RE.search(html)
    return m.group(0) if m else None


def _font():
    return ImageFont.load_default(size=12 * SCALE)  # Pillow ≥ 10.1: a scalable font with Unicode


def _path_points(d: str) -> list[tuple[float, float]]:
    pts: list[tuple[float, float]] = []
    x = y = 0.0
    for cmd, a, b in _PATH_RE.findall(d):
        if cmd == "M":
            x, y = float(a), float(b)
        elif cmd == "V":
            y = float(a)
        else:
            x = float(a)
        pts.append((x, y))
    return pts


def chart_png(svg: str) -> bytes:
    size = _VIEWBOX_RE.search(svg)
    w, h = (int(size.group(1)), int(size.group(2))) if size else (640, 360)
    image = Image.new("RGB", (w * SCALE, h * SCALE), "white")
    draw, font = ImageDraw.Draw(image), _font()
    for tag, attrs_text, text in _ELEMENT_RE.findall(svg):
        a = dict(_ATTR_RE.findall(attrs_text))
        colour = a.get("stroke") if tag in ("path", "polyline") else a.get("fill")
        colour = "#222222" if colour in (None, "currentColor", "none") else colour
        if tag == "path":
            faint = float(a.get("stroke-opacity", "1")) < 0.5
            pts = [(x * SCALE, y * SCALE) for x, y in _path_points(a.get("d", ""))]
            draw.line(pts, fill="#dddddd" if faint else colour, width=SCALE)
        elif tag == "polyline":
            pairs = [p.split(",") for p in a.get("points", "").split()]
            pts = [(float(px) * SCALE, float(py) * SCALE) for px, py in pairs]
            if len(pts) > 1:
                draw.line(pts, fill=colour, width=2 * SCALE, joint="curve")
        elif tag == "circle":
            cx, cy, r = (float(a.get(k, "0")) * SCALE for k in ("cx", "cy", "r"))
            draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour)
        elif tag == "rect":
            x, y, rw, rh = (float(a.get(k, "0")) * SCALE for k in ("x", "y", "width", "height"))
            draw.rectangle([x, y, x + rw, y + rh], fill=colour)
        elif tag == "text" and "x" in a:  # axis titles set with transform (rotated) are left out
            anchor = {"middle": "ms", "end": "rs"}.get(a.get("text-anchor", ""), "ls")
            draw.text((float(a["x"]) * SCALE, float(a["y"]) * SCALE), _unescape(text), fill="#222222",
                      font=font, anchor=anchor)
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def _unescape(text: str) -> str:
    return html.unescape(text)
