"""`latent-explorer` and `traversal`: what the decoder draws at each point of latent space.

The explorer runs the decoder in the page (live.js) as the pointer moves; the traversal shows a grid
of decoded points over the plane the test codes occupy, or (for codes of more than two dimensions)
one slider per dimension.
"""

from __future__ import annotations

import numpy as np

from ..images import grid_png
from ..plots import PALETTE, axis, base_layout, chart_html, rounded
from .common import (
    ViewContext,
    ViewOutput,
    fail,
    images_b64,
    latent_plane,
    live_view,
    model_fn,
    model_payload,
    noscript_img,
    require_images,
    static_view,
)
from .common import plane_extent as _extent
from .common import plane_grid as _grid_codes


def render_explorer(ctx: ViewContext) -> ViewOutput:
    result, shape = ctx.result, require_images(ctx)
    decode = model_fn(ctx)
    plane = latent_plane(result.test_z)
    extent = _extent(plane.xy)
    one_d = result.test_z.shape[1] == 1
    codes = _grid_codes(plane, extent, 9, 1 if one_d else 9)
    images = decode(codes)
    png = grid_png([images[i:i + 9] for i in range(0, len(images), 9)], shape)
    alt = "A grid of digits decoded across the latent plane"
    payload = model_payload(ctx)
    if payload is None:
        return static_view(ctx, alt, png)
    keep = np.linspace(0, len(plane.xy) - 1, min(len(plane.xy), 800)).astype(int)
    labels = None if result.test_y is None else np.asarray(result.test_y)[keep].astype(int).tolist()
    data = {"model": payload, "shape": list(shape), "extent": extent,
            "mean": rounded(plane.mean, 6), "axes": [rounded(a, 6) for a in plane.axes],
            "titles": list(plane.titles), "note": plane.note, "palette": list(PALETTE),
            "points": {"x": rounded(plane.xy[keep, 0]), "y": rounded(plane.xy[keep, 1]),
                       "labels": labels}}
    return ViewOutput(live_view("explorer", data, noscript_img(ctx.png_href, alt)), png=png,
                      needs_live=True)


def render_traversal(ctx: ViewContext) -> ViewOutput:
    layers = model_fn(ctx)
    d = ctx.result.test_z.shape[1]
    mode = ctx.options["mode"]
    if mode == "auto":
        mode = "grid" if d <= 2 else "sliders"
    if ctx.result.image_shape is None:
        if mode == "sliders":
            fail(ctx, "`traversal` with sliders draws images; on 2-D points use `mode: grid`")
        return _points_grid(ctx, layers)
    return _sliders(ctx, layers) if mode == "sliders" else _image_grid(ctx, layers)


def _image_grid(ctx: ViewContext, layers) -> ViewOutput:
    shape = require_images(ctx)
    steps = int(ctx.options["steps"])
    plane = latent_plane(ctx.result.test_z)
    one_d = ctx.result.test_z.shape[1] == 1
    rows = 1 if one_d else steps
    images = layers(_grid_codes(plane, _extent(plane.xy), steps, rows))
    grid = [images[r * steps:(r + 1) * steps] for r in range(rows)]
    data = {"shape": list(shape), "rows": [{"label": "", "images": images_b64(g)} for g in grid],
            "note": plane.note}
    alt = f"A {rows}×{steps} grid of images decoded across the latent plane"
    return ViewOutput(live_view("image-grid", data, noscript_img(ctx.png_href, alt)),
                      png=grid_png(grid, shape), needs_live=True)


def _sliders(ctx: ViewContext, layers) -> ViewOutput:
    """One slider per latent dimension (the 8 that vary most), starting at the mean code."""
    shape, z = require_images(ctx), np.asarray(ctx.result.test_z, np.float32)
    mean, std = z.mean(axis=0), z.std(axis=0) + 1e-6
    dims = np.argsort(-std)[:8]
    span = float(ctx.options["range"])
    steps = 7
    rows = []
    for dim in dims:
        codes = np.repeat(mean[None], steps, axis=0)
        codes[:, dim] += np.linspace(-span, span, steps) * std[dim]
        rows.append(layers(codes))
    alt = "Each row moves one latent dimension from low to high, others held at the mean code"
    payload = model_payload(ctx)
    if payload is None:
        return static_view(ctx, alt, grid_png(rows, shape))
    data = {"model": payload, "shape": list(shape), "mean": rounded(mean, 6),
            "std": rounded(std, 6), "dims": dims.astype(int).tolist(), "range": span}
    return ViewOutput(live_view("sliders", data, noscript_img(ctx.png_href, alt)),
                      png=grid_png(rows, shape), needs_live=True)


def _points_grid(ctx: ViewContext, layers) -> ViewOutput:
    """2-D data: the decoder maps a grid of codes to a curved sheet (d=2) or a curve (d=1)."""
    steps = max(int(ctx.options["steps"]), 9) * 3
    plane = latent_plane(ctx.result.test_z)
    extent = _extent(plane.xy)
    one_d = ctx.result.test_z.shape[1] == 1
    lines = [_grid_codes(plane, extent, steps, 1)] if one_d else [
        plane.mean + np.c_[np.linspace(extent[0], extent[1], steps), np.full(steps, y)] @ plane.axes
        for y in np.linspace(extent[2], extent[3], 7)] + [
        plane.mean + np.c_[np.full(steps, x), np.linspace(extent[2], extent[3], steps)] @ plane.axes
        for x in np.linspace(extent[0], extent[1], 7)]
    x = ctx.result.test_x
    traces = [{"type": "scatter", "mode": "markers", "name": "test data", "x": rounded(x[:, 0]),
               "y": rounded(x[:, 1]), "marker": {"size": 4, "color": "#9a9a9a", "opacity": 0.5}}]
    for k, codes in enumerate(lines):
        out = layers(codes)
        traces.append({"type": "scatter", "mode": "lines", "x": rounded(out[:, 0]),
                       "y": rounded(out[:, 1]), "showlegend": k == 0, "name": "decoded grid",
                       "line": {"color": PALETTE[0], "width": 1.5}, "hoverinfo": "skip"})
    figure = {"data": traces, "layout": base_layout(xaxis=axis("x₁"), yaxis=axis("x₂", scaleanchor="x"))}
    return ViewOutput(chart_html(figure), needs_plotly=True)
