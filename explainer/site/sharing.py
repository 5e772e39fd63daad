"""What a link preview shows: the post's picture for `og:image` / `twitter:image`.

The picture is the first figure's own image, already written at build time: the static PNG of a
figure from a trained model (`img.figure-print`), else the first image of the post (al-folio's
figure includes, Markdown images). A post without any picture gets no image and a plain card.
"""

from __future__ import annotations

import posixpath
import re

_PRINT_IMG_RE = re.compile(r'<img\b[^>]*\bclass="figure-print"[^>]*\bsrc="([^"]+)"')
_ANY_IMG_RE = re.compile(r'<img\b[^>]*\bsrc="([^"]+)"')
_EXTERNAL_RE = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_RASTER = (".png", ".jpg", ".jpeg", ".gif", ".webp")  # what link previews show (not SVG)


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
    return None
