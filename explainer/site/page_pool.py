"""Parsing and laying out pages, in worker processes when there are enough of them, each page
written into the spare tree the moment it is laid out.

A worker writes the pages it builds itself (`output.put_file` into the spare, which the parent has
opened before forking) and sends back only what later stages need: the page's scan (links, ids),
its notes and what it wrote. So no page's HTML crosses a pipe or waits in the parent; a 3000-post
site never sits in memory. The parent registers each written file as results arrive, so a build
that fails later removes them again (`Outputs.abandon`).
"""

from __future__ import annotations

import gc
import os

from .output import Manifest, Outputs, put_file, write_error
from .pages import PageContext, PageJob, PageResult, build_page, store_page

MIN_PAGES_FOR_WORKERS = 16  # below this, starting workers costs more than it saves

_WORKER: dict = {}  # per worker process: set once by the pool initializer


def run_pages(jobs: list[PageJob], ctx: PageContext, n_jobs: int | None, progress,
              outputs: Outputs | None) -> list[PageResult]:
    """Build `jobs`; finished pages are written through `outputs` (None: `explainer check`, which
    writes nothing and keeps only each page's scan). Pages with figures come back pending."""
    workers = n_jobs or os.cpu_count() or 1
    if workers <= 1 or len(jobs) < MIN_PAGES_FOR_WORKERS:
        put = None if outputs is None else outputs.put
        return _counted(((job, _finish(build_page(job, ctx), put, ctx)) for job in jobs), len(jobs),
                        progress, None)
    from concurrent.futures import ProcessPoolExecutor  # here: a one-post rebuild never starts a pool
    from multiprocessing import get_context
    spare = None if outputs is None else outputs.open_stage().dir  # scanned before any worker writes
    manifest = None if outputs is None else outputs.manifest
    # fork: workers start in milliseconds and inherit imported modules (and the manifest, unpickled).
    # The parent has not created a V8 context or imported jax at this point of a build, so there is
    # nothing unsafe to inherit.
    # gc.freeze: the objects the workers inherit are left out of their garbage collections, which
    # would otherwise touch (and so copy) every inherited page: each worker would own a copy.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("fork"),
                                 initializer=_init_worker, initargs=(ctx, manifest, spare)) as pool:
            chunk = max(1, len(jobs) // (workers * 8))
            return _counted(zip(jobs, pool.map(_worker_build, jobs, chunksize=chunk)), len(jobs), progress,
                            outputs)
    except OSError as exc:  # a worker could not write its page (a full disk): said as the parent says it
        if outputs is None:
            raise
        raise write_error(outputs.manifest.out_dir, exc) from None
    finally:
        gc.unfreeze()


def _init_worker(ctx: PageContext, manifest: Manifest | None, spare) -> None:
    _lean_v8(ctx)
    _WORKER.update(ctx=ctx, put=None if manifest is None else _spare_writer(manifest, spare))


def _spare_writer(manifest: Manifest, spare):
    from .atomic_site import write_file

    def put(rel: str, data: bytes, key: str | None):
        return put_file(manifest, rel, data, key, lambda r, d: write_file(spare, r, d))
    return put


def _worker_build(job: PageJob) -> PageResult:
    result = _finish(build_page(job, _WORKER["ctx"]), _WORKER["put"], _WORKER["ctx"])
    result.post = None  # type: ignore[assignment]  # the parent has it: don't send it back
    return result


# MathJax's V8 heap holds ~80 MB, most of it garbage, after a few hundred pages with V8's default
# young generation (up to 16 MB per semi-space); with 2 MB semi-spaces it stays near 30 MB at the
# same speed (measured: 300 pages of 10 formulas, 8.6 s of CPU either way). Collecting on request
# (`low_memory_notification`) kept it lower still but cost 14% more CPU: it throws away compiled code.
V8_FLAGS = ("--single-threaded", "--max-semi-space-size=2")


def _lean_v8(ctx: PageContext) -> None:
    """Have this worker's V8 start with V8_FLAGS, if its pages typeset math at all: V8 starts when the
    math engine makes its first context (a warm math cache never does), through `init_mini_racer`
    with its default flags, which are set here. Where that function looks otherwise (another
    mini-racer version), V8's defaults stand: memory, not correctness, is at stake."""
    if ctx.site.math.mode != "svg":
        return
    try:
        from py_mini_racer import _dll
        defaults = _dll.init_mini_racer.__kwdefaults__
    except (ImportError, AttributeError):
        return
    if isinstance(defaults, dict) and "flags" in defaults:
        defaults["flags"] = V8_FLAGS


def _finish(result: PageResult, put, ctx: PageContext) -> PageResult:
    """A laid-out page is written with `put` (none: only its scan is kept); a pending one waits
    for its figures."""
    if result.html is not None:
        if put is None:
            result.html = None
        else:
            store_page(result, put, ctx.assets)
    return result


def _counted(pairs, total: int, progress, outputs: Outputs | None) -> list[PageResult]:
    out = []
    for job, r in pairs:
        r.post = job.post
        if outputs is not None:  # files a worker wrote: the parent's ledger learns of them now
            for rel, written in r.written.items():
                outputs.record(rel, written)
        out.append(r)
        if progress is not None:
            progress("pages", len(out), total)
    return out
