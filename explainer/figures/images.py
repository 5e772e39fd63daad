"""Static PNGs (Pillow) for readers without JavaScript: image grids and point clouds.

Ink is dark on a white card so the picture reads in either theme; the live canvases use the theme's
colours instead.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw

from .plots import PALETTE


def grid_png(rows: list[np.ndarray], shape: tuple[int, int], scale: int | None = None) -> bytes:
    """rows: arrays (n_i, h*w) in [0, 1], one grid row each -> PNG with a 1-pixel gutter."""
    h, w = shape
    n = max(len(r) for r in rows)
    scale = scale or max(1, 48 // max(h, w))  # digits are 8x8: draw them 48 px tall
    canvas = np.ones((len(rows) * (h + 1) + 1, n * (w + 1) + 1), np.float32)
    for i, row in enumerate(rows):
        for j, img in enumerate(row):
            y, x = 1 + i * (h + 1), 1 + j * (w + 1)
            canvas[y:y + h, x:x + w] = 1 - np.clip(img.reshape(h, w), 0, 1)  # ink = dark
    pixels = np.rint(canvas * 255).astype(np.uint8)
    image = Image.fromarray(pixels, "L").resize((pixels.shape[1] * scale, pixels.shape[0] * scale),
                                                Image.NEAREST)
    return _png(image)


def scatter_png(xy: np.ndarray, labels: np.ndarray | None, size: int = 360) -> bytes:
    """A dot plot of 2-D points coloured by class, for the latent view's fallback."""
    image = Image.new("RGB", (size, size), "white")
    draw = ImageDraw.Draw(image)
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    pix = 8 + (xy - lo) / span * (size - 16)
    for k, (px, py) in enumerate(pix):
        colour = PALETTE[int(labels[k]) % len(PALETTE)] if labels is not None else PALETTE[0]
        draw.ellipse([px - 2, size - py - 2, px + 2, size - py + 2], fill=colour)
    return _png(image)


def _png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return buf.getvalue()
