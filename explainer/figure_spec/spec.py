"""`FigureSpec`: what one ```figure block asks for, validated. The parser makes them (posts/), the
figures wing draws them (figures/), the site wing puts them into pages (site/): a noun all three
share, so it lives below them."""

from __future__ import annotations

from dataclasses import dataclass, field

from .catalog import DEFAULT_LAYOUT


@dataclass(frozen=True)
class FigureSpec:
    id: str
    view: str
    experiments: tuple  # tuple[ExperimentConfig, ...], resolved
    caption: str  # as written
    layout: str = DEFAULT_LAYOUT
    expect: dict = field(default_factory=dict)
    path: str = ""
    line: int = 0  # file line of the ```figure fence
    options: dict = field(default_factory=dict)  # the view's options, defaults filled in
    caption_html: str = ""  # the caption rendered as inline Markdown (may hold math placeholders)
