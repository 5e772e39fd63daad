"""The build stage between parsing and layout: train (or load) every experiment the pages' figures
name, once each, then put the rendered figures into their pages.

In the preview server (`opts.trainer`, see trainers.py and serve/training.py) nothing trains here: experiments
already in the cache render as usual, the rest train in a background process while their figures
show the last good rendering marked "updating".
"""

from __future__ import annotations

import dataclasses
import posixpath
from html import escape

from ..base.errors import ContentError, Diagnostics
from ..models.progress import is_progress
from ..posts.parsed import fill_placeholders
from .output import Outputs
from .pages import PageContext, PageResult, PendingPage, finish_page
from .trainers import TrainInBuild
from .training_health import training_problems


def render_figures(pending: list[PageResult], ctx: PageContext, opts, diag: Diagnostics,
                   outputs: Outputs, log, done=None) -> list[str]:
    """Fill in the figures of `pending` pages (setting their html and key); returns the training log.
    `done(result)`, when given, is called with each page as soon as it is finished."""
    users: dict = {}  # resolved config -> figure specs that use it
    for r in pending:
        assert r.pending is not None
        for spec in r.pending.figures:
            for config in spec.experiments:
                users.setdefault(config, []).append(spec)
    lines: list[str] = []

    def log_line(line: str) -> None:
        if not is_progress(line):  # the report lists what each experiment became, not how it went
            lines.append(line)
        log(line)

    trainer = opts.trainer or TrainInBuild(opts.cache_dir, opts.content, opts.device, opts.strict,
                                                opts.tracebacks)
    results = trainer.available(users, diag, log_line)
    if results is None:
        return lines
    _fill_pages(pending, results, ctx, diag, outputs, trainer, done)
    return lines


def _fill_pages(pending: list[PageResult], results: dict, ctx: PageContext, diag: Diagnostics,
                outputs: Outputs, trainer, done=None) -> None:
    from ..figures.draw import FigureOutput, render_figure
    from ..figures.expect import check_expectations
    from ..figures.live import share_models

    for r in pending:
        page_dir = posixpath.dirname(r.post.out_path)
        html, live, plotly, drawn, files, standing_in = [], False, False, {}, [], False
        own = Diagnostics()  # the page's figure problems: replayed when a later build keeps the page
        assert r.pending is not None
        page = _fill_measures(r.pending, results, own, r.post.path)
        for spec in page.figures:
            if all(c in results for c in spec.experiments):
                for message in check_expectations(spec, results):
                    own.error(spec.path, spec.line, f"figure `{spec.id}`: {message}")
                for config in spec.experiments:  # training that went badly is named (training_health.py)
                    for message in training_problems(config, results[config]):
                        own.warn(spec.path, spec.line, f"figure `{spec.id}`: {message}")
                try:
                    out = render_figure(spec, results, page_dir)
                except ContentError as e:  # collected like any other problem: the build lists them all
                    own.extend(e.diagnostics)
                    out = FigureOutput(f'<figure id="{escape(spec.id)}"></figure>', {}, False, False)
                for message in out.warnings:
                    own.warn(spec.path, spec.line, f"figure `{spec.id}`: {message}")
                trainer.remember(r.post.out_path, spec.id, out)
                drawn.update({c: _training_key(trainer, c) for c in spec.experiments})
            else:  # preview only: its experiment is training in the background
                out = trainer.stand_in(r.post.out_path, spec)
                standing_in = True
            html.append(out.html)
            live |= out.needs_live
            plotly |= out.needs_plotly
            for rel, data in out.files.items():
                outputs.add(rel, data)
                files.append(rel)
        html, registry = share_models(html)
        if registry:  # any place in the body will do: live.js runs after the page is parsed
            html[-1] += registry
        if standing_in or None in drawn.values():  # never reuse a stand-in, or figures of unknown origin
            r.key = "unreusable:" + r.key
        else:  # reusable while the post and its experiments' training keys stay the same
            outputs.note(r.post.out_path, figure_files=files,
                         experiments=[[c.to_dict(), key] for c, key in drawn.items()])
        r.html = finish_page(r.post, page, html, ctx, needs_live=live, needs_plotly=plotly, key=r.key)
        diag.extend(own)
        r.diagnostics = [*r.diagnostics, *own.items]
        if done is not None:
            done(r)


def _training_key(trainer, config) -> str | None:
    try:
        return trainer.training_key(config)
    except Exception:  # e.g. a data file that went missing: the page is simply not reused
        return None


def _fill_measures(page: PendingPage, results: dict, diag: Diagnostics, path) -> PendingPage:
    """The page with its measured numbers (posts/measures.py) in the body, footnotes and captions;
    a false claim or unknown metric is an error at its line. `page` itself keeps its placeholders
    (the preview server fills it again when training finishes)."""
    if not page.measures:
        return page
    from ..posts.measures import measured_values

    values = measured_values(page.measures, page.figures, results,
                             lambda line, col, message: diag.error(path, line, message, col))

    def fill(text: str) -> str:
        return fill_placeholders(text, "measure", values)
    return dataclasses.replace(
        page, body_html=fill(page.body_html),
        footnotes=[dataclasses.replace(f, html=fill(f.html)) for f in page.footnotes],
        figures=[dataclasses.replace(s, caption_html=fill(s.caption_html)) for s in page.figures])
