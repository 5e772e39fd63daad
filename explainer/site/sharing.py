"""What a link preview shows: the post's picture for `og:image` / `twitter:image`.

The picture is the first figure's own image, already written at build time: the static PNG of a
figure from a trained model (`img.figure-print`), else the first image of the post (al-folio's
figure includes, Markdown images), else its first chart drawn as a PNG (`CHART_PREVIEW`, written
by `chart_preview` as each page is built). A post with none of these gets a plain card.
"""

from __future__ import annotations

import posixpath
import re

_PRINT_IMG_RE = re.compile(r'<img\b[^>]*\bclass="figure-print"[^>]*\bsrc="([^"]+)"')
_ANY_IMG_RE = re.compile(r'<img\b[^>]*\bsrc="([^"]+)"')
_EXTERNAL_RE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_RASTER = (".png", ".jpg", ".jpeg", ".gif", ".webp")  # what link previews show (not SVG)
CHART_PREVIEW = "share-chart.png"  # beside the page: its first chart as a picture


def share_image(body_html: str, page_path: str, absolute_url) -> str | None:
    """Absolute URL of the post's preview picture, or None. `page_path` is the page's site path
    (`blog/2024/x/index.html`); image sources in the body are relative to it."""
    candidates = _PRINT_IMG_RE.findall(body_html) + _ANY_IMG_RE.findall(body_html)
    for src in candidates:
        path = src.split("?", 1)[0].split("#", 1)[0]
        if src.startswith("data:") or not path.lower().endswith(_RASTER):
            continue
        if _EXTERNAL_RE.match(src) or src.startswith("//"):
            return src
        site_path = src if src.startswith("/") else posixpath.normpath(
            posixpath.join(posixpath.dirname(page_path), src))
        return absolute_url("/" + site_path.lstrip("/"))
    if 'class="chart-fallback"' in body_html:
        return absolute_url("/" + posixpath.join(posixpath.dirname(page_path), CHART_PREVIEW))
    return None


def chart_preview(out_path: str, html: str) -> tuple[str, bytes] | None:
    """(site path, PNG) of CHART_PREVIEW beside a built page whose preview is its chart, else None."""
    if f'{CHART_PREVIEW}">' not in html:
        return None
    from .chart_png import chart_png, first_chart_svg
    svg = first_chart_svg(html)
    return (posixpath.join(posixpath.dirname(out_path), CHART_PREVIEW), chart_png(svg)) if svg else None


def keep_chart_previews(built: set[str], outputs) -> None:
    """Keep the CHART_PREVIEW of each unchanged page (`built`: the pages this build laid out)."""
    for out_path in list(outputs.kept):
        rel = posixpath.join(posixpath.dirname(out_path), CHART_PREVIEW)
        entry = outputs.manifest.entries.get(rel)
        if out_path.endswith(".html") and out_path not in built and entry and rel not in outputs:
            outputs.keep(rel, entry["key"])
