"""Plotly figure JSON for the chart views, and the chart markup the theme's site.js draws.

Figures are plain dicts (no plotly import at build time). Only what does not depend on the theme is
set here: transparent backgrounds, so site.js (and live.js for the charts it draws) can restyle
fonts and grid lines when the reader switches between light and dark. Trace colours come from one
palette with mid-range lightness that reads on both backgrounds.
"""

from __future__ import annotations

from ..base.script_json import script_json
from ..figure_spec.sizing import reserve_height
from ..figure_spec.static_chart import static_chart_svg

# Tableau 10: distinct hues of similar weight; legible on white and on near-black.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
           "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac")
PCA_COLOUR = "#8c8c8c"


def base_layout(**extra) -> dict:
    layout = {
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "margin": {"l": 56, "r": 16, "t": 16, "b": 48},
        "hovermode": "closest",
        "legend": {"orientation": "h", "y": -0.2},
        "autosize": True,
    }
    layout.update(extra)
    return layout


def axis(title: str, **extra) -> dict:
    return {"title": {"text": title}, "zeroline": False, **extra}


def chart_html(figure: dict, cls: str = "plotly-chart") -> str:
    """The site convention: `<div class="plotly-chart"><script type="application/json">…`.

    `cls="live-plot"` marks a chart that live.js draws itself (it adds hover behaviour).
    """
    return (f'<div class="{cls}"{reserve_height(figure)}>'
            f'<script type="application/json">{script_json(figure)}</script>'
            f'{static_chart_svg(figure) or ""}</div>')


def rounded(values, digits: int = 4) -> list:
    """Fewer digits in the page: charts need 4 significant figures, not 17."""
    return [float(f"{float(v):.{digits}g}") for v in values]
