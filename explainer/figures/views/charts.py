"""`training` (loss curves) and `compare` (one metric across experiments): static Plotly charts."""

from __future__ import annotations

import math
import re

import numpy as np

from ..plots import PALETTE, PCA_COLOUR, axis, base_layout, chart_html, rounded
from .common import ViewContext, ViewOutput, fail

_MAX_POINTS = 200  # per curve: a chart needs no more, and the page stays light


def log_ticks(lo: float, hi: float) -> dict:
    """Labelled ticks at 1, 2 and 5 times each power of ten in [lo, hi] (only the powers when the
    range spans more than three decades): Plotly's own log ticks label minor ticks "2", "5", which
    read as values."""
    first, last = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    steps = (1,) if last - first > 3 else (1, 2, 5)
    vals = [m * 10.0 ** e for e in range(first, last + 1) for m in steps]
    vals = [v for v in vals if lo / 1.5 <= v <= hi * 1.5]
    return {"tickvals": vals, "ticktext": [f"{v:g}" for v in vals]}


def _thin(values: np.ndarray, keep: np.ndarray) -> list:
    return rounded(np.asarray(values, float)[keep])


def render_training(ctx: ViewContext) -> ViewOutput:
    traces = []
    for k, (config, result) in enumerate(zip(ctx.spec.experiments, ctx.results)):
        history = result.history or {}
        steps = np.asarray(history.get("step", []))
        if not config.steps or len(steps) == 0:
            continue  # PCA is solved, not trained: no curve
        keep = np.unique(np.linspace(0, len(steps) - 1, min(len(steps), _MAX_POINTS)).astype(int))
        colour = PALETTE[k % len(PALETTE)]
        for key, dash, suffix in (("train_loss", "solid", "training"), ("val_loss", "dot", "validation")):
            if key in history and len(history[key]) == len(steps):
                traces.append({"type": "scatter", "mode": "lines", "name": f"{config.label()} {suffix}",
                               "x": steps[keep].astype(int).tolist(), "y": _thin(history[key], keep),
                               "line": {"color": colour, "dash": dash, "width": 2}})
    if not traces:
        fail(ctx, "`training` needs at least one trained model with a loss history (PCA has none)")
    log = bool(ctx.options.get("log", True))
    ys = [v for t in traces for v in t["y"] if v and v > 0]
    ticks = log_ticks(min(ys), max(ys)) if log and ys else {}
    layout = base_layout(xaxis=axis("training step"),
                         yaxis=axis("loss", type="log" if log else "linear", **ticks))
    return ViewOutput(chart_html({"data": traces, "layout": layout}), needs_plotly=True)


_X_IN_LABEL = {"latent_dim": r"\s*d=\d+", "noise": r"\s*(σ|p)=[\d.e+-]+", "beta": r"\s*β=[\d.e+-]+",
               "sparsity": r"\s*λ=[\d.e+-]+"}
_X_TITLE = {"latent_dim": "latent size d", "noise": "noise level", "beta": "β", "steps": "training steps",
            "sparsity": "sparsity weight λ"}


def _series_name(config, x: str) -> str:
    pattern = _X_IN_LABEL.get(x, rf"\s*{re.escape(x)}=[^\s·]+")  # an author's option: "name=value"
    return re.sub(pattern, "", config.label()).strip() or config.model


def _series(ctx: ViewContext, metric: str, x: str) -> dict[str, list[tuple[float, float]]]:
    series: dict[str, list[tuple[float, float]]] = {}
    pca: dict[float, float] = {}
    for config, result in zip(ctx.spec.experiments, ctx.results):
        if metric not in result.metrics:
            fail(ctx, f"`compare` option metric: `{metric}` was not measured for {config.label()}; "
                      f"measured: {', '.join(sorted(result.metrics))}")
        xv = float(config.opt(x) or 0)
        series.setdefault(_series_name(config, x), []).append((xv, float(result.metrics[metric])))
        if metric == "test_mse" and x == "latent_dim" and "pca_test_mse" in result.metrics:
            pca[xv] = float(result.metrics["pca_test_mse"])
    if pca and not any(c.model == "pca" for c in ctx.spec.experiments):  # PCA drawn once, either way
        series["PCA"] = sorted(pca.items())
    return series


def render_compare(ctx: ViewContext) -> ViewOutput:
    metric, x = ctx.options["metric"], ctx.options["x"]
    traces = []
    for k, (name, points) in enumerate(_series(ctx, metric, x).items()):
        points = sorted(points)
        colour = PCA_COLOUR if name.startswith("PCA") else PALETTE[k % len(PALETTE)]
        traces.append({"type": "scatter", "mode": "lines+markers", "name": name,
                       "x": [p[0] for p in points], "y": rounded([p[1] for p in points]),
                       "line": {"color": colour, "width": 2, "dash": "dash" if name == "PCA" else "solid"},
                       "marker": {"size": 8, "color": colour},
                       "hovertemplate": f"{name}<br>{x} %{{x}}: {metric} %{{y:.4g}}<extra></extra>"})
    xs = [p for t in traces for p in t["x"]]
    log_x = x == "latent_dim" and len(set(xs)) > 2 and min(xs) > 0
    ticks = {"type": "log", "tickvals": sorted(set(xs))} if log_x else {}
    layout = base_layout(xaxis=axis(_X_TITLE.get(x, x), **ticks),
                         yaxis=axis(metric.replace("_", " ")))
    return ViewOutput(chart_html({"data": traces, "layout": layout}), needs_plotly=True)
