"""The build stage between parsing and layout: train (or load) every experiment the pages' figures
name, once each, then put the rendered figures into their pages.

In the preview server (`opts.trainer` set, see serve_training.py) nothing trains here: experiments
already in the cache render as usual, the rest train in a background process while their figures
show the last good rendering marked "updating".
"""

from __future__ import annotations

import posixpath

from ..base.errors import Diagnostics
from ..base.hashing import digest
from .pages import PageContext, PageResult, finish_page


def render_figures(pending: list[PageResult], ctx: PageContext, opts, diag: Diagnostics,
                   files: dict, log) -> list[str]:
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

    trainer = getattr(opts, "trainer", None)
    if trainer is not None:
        results = trainer.available(users, diag, log_line)
    else:
        results = _load_or_train(users, opts, diag, log_line)
        if results is None:
            return lines
    _fill_pages(pending, results, ctx, diag, files, trainer)
    return lines


def _load_or_train(users: dict, opts, diag: Diagnostics, log_line) -> dict | None:
    from ..models.cache import TrainingError, load_or_train
    from ..models.data import DataError

    try:
        return load_or_train(list(users), cache_dir=opts.cache_dir / "models",
                             content_dir=opts.content, device=opts.device, log=log_line)
    except TrainingError as e:
        message, specs = str(e), users.get(getattr(e, "config", None), [])
    except DataError as e:  # an author's .npz file: blame the figures that name it
        message = str(e)
        specs = [s for c, v in users.items() if c.path and c.path in message for s in v]
    every = [s for v in users.values() for s in v]
    for spec in {id(s): s for s in specs or every}.values():  # specs hold dicts: not hashable
        diag.error(spec.path, spec.line, f"figure `{spec.id}`: {message}")
    return None


def _fill_pages(pending: list[PageResult], results: dict, ctx: PageContext, diag: Diagnostics,
                files: dict, trainer) -> None:
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
                if trainer is not None:
                    trainer.remember(r.post.out_path, spec.id, out)
                keys += [str(results[c].provenance.get("cache_key", "")) for c in spec.experiments]
            else:  # preview only: its experiment is training in the background
                out = trainer.stand_in(r.post.out_path, spec)
                keys.append("training")
            html.append(out.html)
            live |= out.needs_live
            plotly |= out.needs_plotly
            for rel, data in out.files.items():
                files[rel] = (data, None)
        html, registry = share_models(html)
        if registry:  # any place in the body will do: live.js runs after the page is parsed
            html[-1] += registry
        r.html = finish_page(r.post, r.pending, html, ctx, needs_live=live, needs_plotly=plotly)
        # Never equal to a plain page key: a page with figures is rebuilt on every build, since its
        # figures may have been retrained even when the post's text did not change.
        r.key = "fig:" + digest(r.key, *keys)
