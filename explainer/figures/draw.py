"""FigureSpec + trained results → the figure's HTML, its fallback PNG, and what the page must load.

    <figure id="ID" class="LAYOUT explainer-figure" data-view="VIEW" data-provenance='[…]'>
      <div class="figure-body">…the view…</div>
      <figcaption>author's caption <span class="figure-numbers">measured numbers</span></figcaption>
      <details class="figure-provenance">…how this was made…</details>
    </figure>
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from ..base.errors import ContentError
from ..figure_spec.catalog import VIEWS
from . import provenance
from .views import RENDERERS
from .views.common import ViewContext


@dataclass(frozen=True)
class FigureOutput:
    html: str
    files: dict  # site-relative path -> bytes (the fallback PNG)
    needs_plotly: bool
    needs_live: bool
    warnings: tuple = field(default_factory=tuple)  # "path:line: message" worth printing


def _results_for(spec, results: dict) -> list:
    missing = [c.label() for c in spec.experiments if c not in results]
    if missing:
        raise ContentError.at(spec.path, spec.line, f"figure `{spec.id}`: no trained result for "
                                                    f"{', '.join(missing)}")
    return [results[c] for c in spec.experiments]


def _png_width(png: bytes) -> int:
    """Width in pixels from the PNG header (IHDR), so the printed image keeps its proportions."""
    return int.from_bytes(png[16:20], "big")


def render_figure(spec, results: dict, page_dir: str) -> FigureOutput:
    """`page_dir`: the page's site-relative folder; the PNG goes to `{page_dir}/figures/{id}.png`."""
    ctx = ViewContext(spec=spec, results=_results_for(spec, results),
                      options={**{k: o.default for k, o in VIEWS[spec.view].options.items()},
                               **(spec.options or {})},
                      png_href=f"figures/{spec.id}.png")
    out = RENDERERS[spec.view](ctx)
    records = [provenance.record(c, r) for c, r in zip(spec.experiments, ctx.results)]
    numbers = provenance.numbers_sentence(records)
    caption = spec.caption_html or html.escape(spec.caption)
    figcaption = (f'<figcaption>{caption}'
                  f'{" " if caption and numbers else ""}'
                  f'<span class="figure-numbers">{numbers}</span></figcaption>')
    # The fallback PNG as a real <img>, hidden on screen: printing shows it instead of the live view
    # (a <noscript> image never prints once JavaScript runs), and cross-reference cards borrow it.
    caption_text = re.sub(r'<span class="float-label">.*?</span>|<[^>]+>', "", spec.caption_html or spec.caption)
    alt = " ".join(html.unescape(caption_text).split()) or f"Figure {spec.id}"
    printed = (f'<img class="figure-print" src="{html.escape(ctx.png_href)}" alt="{html.escape(alt)}" '
               f'width="{_png_width(out.png)}">' if out.png is not None else "")
    page = (f'<figure id="{html.escape(spec.id)}" class="{spec.layout} explainer-figure" '
            f'data-view="{spec.view}" data-provenance=\'{provenance.attribute(records)}\'>'
            f'<div class="figure-body">{out.html}{printed}</div>{figcaption}'
            f'{provenance.details_html(records)}</figure>')
    files = {}
    if out.png is not None:
        files[f"{page_dir.strip('/')}/figures/{spec.id}.png".lstrip("/")] = out.png
    return FigureOutput(page, files, out.needs_plotly, out.needs_live,
                        tuple(ctx.warnings) + tuple(out.warnings))
