"""The build stage between parsing and layout: train (or load) every experiment the pages' figures
name, once each, then put the rendered figures into their pages.

In the preview server (`opts.trainer`, see trainers.py and serve/training.py) nothing trains here: experiments
already in the cache render as usual, the rest train in a background process while their figures
show the last good rendering marked "updating".
"""

from __future__ import annotations

import posixpath

from ..base.errors import Diagnostics
from ..base.hashing import digest
from .output import Outputs
from .pages import PageContext, PageResult, finish_page
from .trainers import TrainInBuild


def render_figures(pending: list[PageResult], ctx: PageContext, opts, diag: Diagnostics,
                   outputs: Outputs, log) -> list[str]:
    """Fill in the figures of `pending` pages (setting their html and key); returns the training log."""
    users: dict = {}  # resolved config -> figure specs that use it
    for r in pending:
        for spec in r.pending.figures:
            for config in spec.experiments:
                users.setdefault(config, []).append(spec)
    lines: list[str] = []

    def log_line(line: str) -> None:
        lines.append(line)
        log(line)

    trainer = opts.trainer or TrainInBuild(opts.cache_dir, opts.content, opts.device)
    results = trainer.available(users, diag, log_line)
    if results is None:
        return lines
    _fill_pages(pending, results, ctx, diag, outputs, trainer)
    return lines


def _fill_pages(pending: list[PageResult], results: dict, ctx: PageContext, diag: Diagnostics,
                outputs: Outputs, trainer) -> None:
    from ..figures.draw import render_figure
    from ..figures.expect import check_expectations
    from ..figures.live import share_models

    for r in pending:
        page_dir = posixpath.dirname(r.post.out_path)
        html, live, plotly, keys = [], False, False, []
        for spec in r.pending.figures:
            if all(c in results for c in spec.experiments):
                for message in check_expectations(spec, results):
                    diag.error(spec.path, spec.line, f"figure `{spec.id}`: {message}")
                out = render_figure(spec, results, page_dir)
                for message in out.warnings:
                    diag.warn(spec.path, spec.line, f"figure `{spec.id}`: {message}")
                trainer.remember(r.post.out_path, spec.id, out)
                keys += [str(results[c].provenance.get("cache_key", "")) for c in spec.experiments]
            else:  # preview only: its experiment is training in the background
                out = trainer.stand_in(r.post.out_path, spec)
                keys.append("training")
            html.append(out.html)
            live |= out.needs_live
            plotly |= out.needs_plotly
            for rel, data in out.files.items():
                outputs.add(rel, data)
        html, registry = share_models(html)
        if registry:  # any place in the body will do: live.js runs after the page is parsed
            html[-1] += registry
        r.html = finish_page(r.post, r.pending, html, ctx, needs_live=live, needs_plotly=plotly)
        # Never equal to a plain page key: a page with figures is rebuilt on every build, since its
        # figures may have been retrained even when the post's text did not change.
        r.key = "fig:" + digest(r.key, *keys)
