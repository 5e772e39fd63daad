"""`interpolate`, `samples` and `denoise`: views that make new images with the model in the page."""

from __future__ import annotations

import numpy as np

from ..images import grid_png
from ..plots import PALETTE, axis, base_layout, chart_html, rounded
from .common import (
    ViewContext,
    ViewOutput,
    examples,
    images_b64,
    live_view,
    model_fn,
    model_payload,
    noscript_img,
    require_images,
    static_view,
)


def render_interpolate(ctx: ViewContext) -> ViewOutput:
    """Walk the straight line between two codes; beside it, the same walk in pixel space.

    A pixel blend of a 1 and a 7 is a ghostly overlay; the decoder's midpoint is (with luck) a digit.
    """
    result, shape = ctx.result, require_images(ctx)
    decode = model_fn(ctx)
    idx = examples(result, 2 * int(ctx.options["pairs"]))
    idx = idx[: len(idx) // 2 * 2].reshape(-1, 2)
    labels = result.test_y
    pairs = [{"a": images_b64(result.test_x[a:a + 1]), "b": images_b64(result.test_x[b:b + 1]),
              "za": rounded(result.test_z[a], 6), "zb": rounded(result.test_z[b], 6),
              "name": f"{labels[a]} → {labels[b]}" if labels is not None else f"{a} → {b}"}
             for a, b in idx]
    a, b = idx[0]
    t = np.linspace(0, 1, 8)[:, None].astype(np.float32)
    decoded = decode((1 - t) * result.test_z[a] + t * result.test_z[b])
    blended = (1 - t) * result.test_x[a] + t * result.test_x[b]
    alt = "Top: decoded images along the line between two codes; bottom: the same two images blended"
    payload = model_payload(ctx)
    if payload is None:
        return static_view(ctx, alt, grid_png([decoded, blended], shape))
    data = {"model": payload, "shape": list(shape), "pairs": pairs}
    return ViewOutput(live_view("interpolate", data, noscript_img(ctx.png_href, alt)),
                      png=grid_png([decoded, blended], shape), needs_live=True)


def render_samples(ctx: ViewContext) -> ViewOutput:
    """Decode z ~ N(0, T²I): the VAE's prior is the one place its decoder was trained to cover."""
    layers = model_fn(ctx)
    d = ctx.result.test_z.shape[1]
    count, temp = int(ctx.options["count"]), float(ctx.options["temperature"])
    eps = np.random.default_rng(0).standard_normal((count, d)).astype(np.float32)
    if ctx.result.image_shape is None:
        return _point_samples(ctx, layers, d)
    shape = require_images(ctx)
    images = layers(temp * eps)
    per_row = 8
    alt = f"{count} images decoded from random codes of the prior"
    rows = [images[i:i + per_row] for i in range(0, count, per_row)]
    payload = model_payload(ctx)
    if payload is None:
        return static_view(ctx, alt, grid_png(rows, shape))
    data = {"model": payload, "shape": list(shape), "latent_dim": d,
            "count": count, "temperature": temp, "per_row": per_row}
    return ViewOutput(live_view("samples", data, noscript_img(ctx.png_href, alt)),
                      png=grid_png(rows, shape), needs_live=True)


def _point_samples(ctx: ViewContext, layers, d: int) -> ViewOutput:
    eps = np.random.default_rng(0).standard_normal((500, d)).astype(np.float32)
    out = layers(float(ctx.options["temperature"]) * eps)
    x = ctx.result.test_x
    traces = [{"type": "scatter", "mode": "markers", "name": "test data", "x": rounded(x[:, 0]),
               "y": rounded(x[:, 1]), "marker": {"size": 4, "color": "#9a9a9a", "opacity": 0.5}},
              {"type": "scatter", "mode": "markers", "name": "samples", "x": rounded(out[:, 0]),
               "y": rounded(out[:, 1]), "marker": {"size": 4, "color": PALETTE[1]}}]
    figure = {"data": traces, "layout": base_layout(xaxis=axis("x₁"), yaxis=axis("x₂", scaleanchor="x"))}
    return ViewOutput(chart_html(figure), needs_plotly=True)


def _noisy(x: np.ndarray, level: float, kind: str, seed: int = 0) -> np.ndarray:
    """The corruption the DAE was trained against (fixed noise, for the static picture)."""
    rng = np.random.default_rng(seed)
    if kind == "mask":
        return x * (rng.random(x.shape) >= level)
    return x + level * rng.standard_normal(x.shape).astype(np.float32)


def render_denoise(ctx: ViewContext) -> ViewOutput:
    """The whole autoencoder runs in the page: noise goes in, the encoder squeezes it through the
    bottleneck, and the decoder can only draw what the bottleneck kept: mostly the digit."""
    result, shape = ctx.result, require_images(ctx)
    encode, decode = model_fn(ctx, "encoder"), model_fn(ctx, "decoder")
    config = ctx.spec.experiments[0]
    noise_type = config.opt("noise_type") if config.opt("noise_type") in ("gaussian", "mask") else "gaussian"
    idx = examples(result, 10)
    level = float(ctx.options["noise"])
    clean = result.test_x[idx[:8]]
    noisy = _noisy(clean, level, noise_type)
    cleaned = decode(encode(noisy))
    alt = "Rows: clean digits, the same with noise, and the denoiser's output"
    png = grid_png([clean, np.clip(noisy, 0, 1), cleaned], shape)
    encoder, decoder = model_payload(ctx, "encoder"), model_payload(ctx, "decoder")
    if encoder is None or decoder is None:
        return static_view(ctx, alt, png)
    data = {"encoder": encoder, "decoder": decoder,
            "shape": list(shape), "digits": images_b64(result.test_x[idx]),
            "names": [str(result.test_y[i]) if result.test_y is not None else str(i) for i in idx],
            "noise": level, "noise_type": noise_type, "trained_noise": float(config.opt("noise", level))}
    return ViewOutput(live_view("denoise", data, noscript_img(ctx.png_href, alt)), png=png, needs_live=True)
