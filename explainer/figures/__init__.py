"""TrainResult → what the reader sees: figure HTML (Plotly JSON, live models), fallback PNGs, and the
checks that keep a figure's claims true. See `render.py` for the entry point."""

from .expect import check_expectations
from .render import FigureOutput, render_figure

__all__ = ["render_figure", "check_expectations", "FigureOutput"]
