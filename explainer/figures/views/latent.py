"""`latent`: the test set placed by its codes, coloured by class.

With images, live.js draws the chart itself so that hovering a point shows that digit and its
reconstruction beside the chart; codes with more than two dimensions are shown on their top-2
principal-component plane, and the axes say so.
"""

from __future__ import annotations

import html

import numpy as np

from ..images import scatter_png
from ..plots import PALETTE, axis, base_layout, chart_html, rounded
from .common import (
    ViewContext,
    ViewOutput,
    images_b64,
    latent_plane,
    live_view,
    noscript_img,
)


def _subset(result, n: int) -> np.ndarray:
    """A fixed, class-balanced-ish sample: every k-th test point."""
    total = len(result.test_z)
    return np.arange(total) if total <= n else np.linspace(0, total - 1, n).astype(int)


def _traces(xy, labels, hover_names) -> list[dict]:
    groups = [(None, np.arange(len(xy)))] if labels is None else [
        (int(c), np.flatnonzero(labels == c)) for c in np.unique(labels)]
    traces = []
    for c, members in groups:
        colour = PALETTE[(c or 0) % len(PALETTE)]
        traces.append({"type": "scatter", "mode": "markers", "name": "points" if c is None else str(c),
                       "x": rounded(xy[members, 0]), "y": rounded(xy[members, 1]),
                       "customdata": members.tolist(),  # index into the page's image arrays
                       "text": [hover_names[i] for i in members],
                       "hovertemplate": "%{text}<extra></extra>",
                       "marker": {"size": 6, "color": colour, "opacity": 0.8}})
    return traces


def robust_box(xy: np.ndarray, share: float = 0.005) -> tuple[np.ndarray, np.ndarray]:
    """(lo, hi) per axis that hold all but the most extreme `share` of points at each end, with a
    margin: a few outliers no longer squeeze the cloud into a corner of the plot."""
    lo, hi = np.quantile(xy, share, axis=0), np.quantile(xy, 1 - share, axis=0)
    pad = np.maximum((hi - lo) * 0.08, 1e-6)
    return lo - pad, hi + pad


def clip_outliers(xy: np.ndarray) -> tuple[np.ndarray, int, list]:
    """Points outside the robust box are drawn on its edge; returns (xy, how many, [x range, y range])."""
    lo, hi = robust_box(xy)
    outside = int(np.any((xy < lo) | (xy > hi), axis=1).sum())
    if not outside:
        return xy, 0, []
    return np.clip(xy, lo, hi), outside, [[float(lo[0]), float(hi[0])], [float(lo[1]), float(hi[1])]]


def render_latent(ctx: ViewContext) -> ViewOutput:
    result = ctx.result
    idx = _subset(result, int(ctx.options["points"]))
    plane = latent_plane(result.test_z)
    xy, clipped, ranges = clip_outliers(plane.xy[idx])
    labels = None if result.test_y is None else np.asarray(result.test_y)[idx]
    names = [f"class {labels[i]}" if labels is not None else f"point {idx[i]}" for i in range(len(idx))]
    layout = base_layout(xaxis=axis(plane.titles[0], **({"range": ranges[0]} if ranges else {})),
                         yaxis=axis(plane.titles[1], **({"range": ranges[1]} if ranges else {})),
                         legend={"title": {"text": "class"}})
    figure = {"data": _traces(xy, labels, names), "layout": layout}
    notes = [plane.note] if plane.note else []
    if clipped:
        notes.append(f"{clipped} outlying point{'s are' if clipped > 1 else ' is'} drawn at the edge of the plot.")
    note = f'<p class="figure-note">{html.escape(" ".join(notes))}</p>' if notes else ""
    if result.image_shape is None:  # 2-D points: the chart alone, drawn by site.js
        return ViewOutput(chart_html(figure) + note, needs_plotly=True)
    data = {"plot": figure, "shape": list(result.image_shape),
            "images": images_b64(result.test_x[idx]), "recon": images_b64(result.test_recon[idx])}
    alt = f"Test digits placed by their codes ({ctx.spec.experiments[0].label()}), coloured by class"
    png = scatter_png(xy, labels)
    return ViewOutput(live_view("latent", data, noscript_img(ctx.png_href, alt)) + note, png=png,
                      needs_plotly=True, needs_live=True)
