"""How much room a chart takes before it is drawn: used by the parser (```plotly fences) and by the
figures (charts from trained models) alike."""

from __future__ import annotations


def reserve_height(figure: dict) -> str:
    """A style attribute that keeps the chart's space before plotly.js draws it (no layout jump,
    and no gap under a chart shorter than the stylesheet's default)."""
    height = (figure.get("layout") or {}).get("height")
    if isinstance(height, (int, float)) and not isinstance(height, bool) and 50 <= height <= 3000:
        return f' style="min-height:{int(height)}px"'
    return ""
