"""`reconstructions`: test inputs, each model's outputs, and PCA's at the same latent size.

PCA is the honest baseline: a linear code of the same size. When an autoencoder's row looks no
sharper than PCA's, the nonlinearity has not paid for itself.
"""

from __future__ import annotations

import numpy as np

from ..images import grid_png
from ..plots import PALETTE, PCA_COLOUR, axis, base_layout, chart_html, rounded
from .common import (
    ViewContext,
    ViewOutput,
    examples,
    fail,
    images_b64,
    live_view,
    noscript_img,
)


def _rows(ctx: ViewContext, idx: np.ndarray) -> list[tuple[str, np.ndarray]]:
    first = ctx.result
    rows = [("input", first.test_x[idx])]
    pca_sizes = set()
    for config, result in zip(ctx.spec.experiments, ctx.results):
        if result.test_x.shape != first.test_x.shape:
            fail(ctx, "`reconstructions` compares models on the same test set; "
                      "give every experiment the same `dataset:`")
        rows.append((config.label(), result.test_recon[idx]))
        if config.model != "pca" and result.pca_recon is not None and config.latent_dim not in pca_sizes:
            pca_sizes.add(config.latent_dim)
            rows.append((f"PCA d={config.latent_dim}", result.pca_recon[idx]))
    return rows


def render_reconstructions(ctx: ViewContext) -> ViewOutput:
    idx = examples(ctx.result, int(ctx.options["count"]))
    rows = _rows(ctx, idx)
    if ctx.result.image_shape is None:
        return _points(ctx, rows)
    shape = list(ctx.result.image_shape)
    inputs = rows[0][1]
    data = {"shape": shape, "rows": [
        {"label": label, "images": images_b64(images),
         "titles": [f"{label}: squared error {float(np.mean((im - x) ** 2)):.4f}"
                    for im, x in zip(images, inputs)]}
        for label, images in rows]}
    png = grid_png([images for _, images in rows], tuple(shape))
    alt = "Rows of digits: " + ", ".join(label for label, _ in rows)
    return ViewOutput(live_view("image-grid", data, noscript_img(ctx.png_href, alt)), png=png,
                      needs_live=True)


def _points(ctx: ViewContext, rows) -> ViewOutput:
    """2-D data: inputs as grey dots, each model's outputs as coloured dots."""
    traces = []
    for k, (label, pts) in enumerate(rows):
        colour = "#9a9a9a" if k == 0 else (PCA_COLOUR if label.startswith("PCA") else PALETTE[k % 10])
        traces.append({"type": "scatter", "mode": "markers", "name": label,
                       "x": rounded(pts[:, 0]), "y": rounded(pts[:, 1]),
                       "marker": {"size": 6 if k == 0 else 5, "color": colour,
                                  "opacity": 0.5 if k == 0 else 0.9}})
    figure = {"data": traces, "layout": base_layout(xaxis=axis("x₁"),
                                                     yaxis=axis("x₂", scaleanchor="x"))}
    return ViewOutput(chart_html(figure), needs_plotly=True)
