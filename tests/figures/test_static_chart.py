"""Static SVG twins of Plotly charts (print, no-JS): what they draw and what they decline."""

from __future__ import annotations

import re

from explainer.figure_spec.static_chart import static_chart_svg


def test_lines_on_a_log_axis_with_legend():
    fig = {"data": [{"type": "scatter", "mode": "lines", "name": "train", "x": [0, 10, 20], "y": [1.0, 0.1, 0.02]},
                    {"type": "scatter", "mode": "lines", "name": "val", "x": [0, 10, 20], "y": [1.2, 0.2, 0.05],
                     "line": {"dash": "dot", "color": "#f28e2b"}}],
           "layout": {"xaxis": {"title": {"text": "step"}}, "yaxis": {"type": "log", "title": {"text": "loss"}}}}
    svg = static_chart_svg(fig)
    assert svg.startswith('<svg class="chart-fallback"') and svg.count("<polyline") == 2
    assert ">step<" in svg and ">loss<" in svg and ">train<" in svg and ">val<" in svg
    assert ">0.1<" in svg and ">0.05<" in svg  # decades and their 2x/5x ticks
    assert 'stroke="#f28e2b"' in svg and "stroke-dasharray" in svg


def test_bars_on_categories_start_at_zero():
    svg = static_chart_svg({"data": [{"type": "bar", "x": ["a", "b"], "y": [3, 5]}]})
    heights = [float(h) for h in re.findall(r'<rect x="[^"]+" y="[^"]+" width="[^"]+" height="([^"]+)"', svg)]
    assert len(heights) == 2 and abs(heights[1] / heights[0] - 5 / 3) < 0.01
    assert ">a<" in svg and ">b<" in svg


def test_other_trace_types_get_no_twin():
    assert static_chart_svg({"data": [{"type": "heatmap", "z": [[1]]}]}) is None
    assert static_chart_svg({"data": []}) is None


def test_log_ticks_are_labelled_values():
    from explainer.figures.views.charts import log_ticks
    ticks = log_ticks(0.004, 0.3)
    assert ticks["ticktext"] == [f"{v:g}" for v in ticks["tickvals"]]
    assert all(t in ticks["ticktext"] for t in ("0.01", "0.02", "0.05", "0.1"))


def test_latent_outliers_are_clipped_to_the_edge():
    import numpy as np

    from explainer.figures.views.latent import clip_outliers
    rng = np.random.default_rng(0)
    xy = np.r_[rng.normal(size=(400, 2)), [[80.0, -90.0]]]
    clipped, count, ranges = clip_outliers(xy)
    assert count >= 1 and ranges[0][1] < 10 and ranges[1][0] > -10
    assert clipped[-1, 0] == ranges[0][1] and clipped[-1, 1] == ranges[1][0]
