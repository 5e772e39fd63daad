"""Training in the preview without blocking it.

A preview build never trains: figures whose experiments are in the training cache render as usual;
the others show their last good rendering marked "updating" (or a "training…" box the first time),
and the missing experiments train in one background process using the same `load_or_train` as a
plain build, so a finished run lands in the same cache. Each experiment that finishes triggers a
rebuild, and the page reloads with the real figure. A new edit that changes what is missing stops
the running process and starts one with the newest configs; Ctrl-C stops it too.
"""

from __future__ import annotations

import html
import multiprocessing
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..base.errors import ExplainerError


def train_worker(configs, cache_dir, content_dir, device, conn) -> None:
    """Background process: train `configs` into the cache, reporting each log line to the parent."""
    from ..models.cache import load_or_train

    try:
        load_or_train(list(configs), cache_dir=Path(cache_dir), content_dir=Path(content_dir),
                      device=device, log=lambda line: conn.send(("log", line)))
        conn.send(("done", None, None))
    except KeyboardInterrupt:
        pass
    except BaseException as e:  # a diverged run or unusable data: the preview shows it on the page
        config = getattr(e, "config", None)
        conn.send(("error", str(e), config))
    finally:
        conn.close()


@dataclass
class TrainingJob:
    items: tuple  # ((cache key, config), ...)
    process: multiprocessing.process.BaseProcess
    conn: Connection

    @property
    def keys(self) -> frozenset:
        return frozenset(k for k, _ in self.items)

    def cancel(self) -> None:
        if self.process.is_alive():
            self.process.terminate()  # entries are written atomically: no half-stored result
            self.process.join(5)
            if self.process.is_alive():
                self.process.kill()
                self.process.join()
        self.conn.close()


@dataclass
class BackgroundTrainer:
    cache_dir: Path  # the models cache, as `load_or_train` gets it
    content_dir: Path
    device: str | None = None
    log: Callable[[str], None] = print
    worker: Callable[..., None] = train_worker  # replaceable in tests
    # config -> (key, TrainResult | None); default: the real training cache
    lookup: Callable[[Any, Path, Path], tuple[str, Any]] | None = None
    last_good: dict = field(default_factory=dict)  # (page, figure id) -> FigureOutput
    failed: dict = field(default_factory=dict)  # cache key -> message
    job: TrainingJob | None = None
    _exiting: list = field(default_factory=list)  # finished workers not yet reaped

    # -- during a build ---------------------------------------------------------------------------
    def available(self, users: dict, diag, log) -> dict:
        """Results of the experiments already trained; schedules the others. `users`: config ->
        the figure specs that use it (for error lines)."""
        results, missing = {}, {}
        for config, specs in users.items():
            try:
                key, result = (self.lookup or cache_lookup)(config, self.cache_dir, self.content_dir)
            except ExplainerError as e:
                _report(diag, specs, str(e))
                continue
            if key in self.failed:
                _report(diag, specs, self.failed[key])
            elif result is not None:
                results[config] = result
                log(f"cached  {config.label()}")
            else:
                missing[key] = config
        self.schedule(missing)
        return results

    def schedule(self, missing: dict) -> None:
        """Make the background job train exactly `missing` (key -> config), restarting it if it is
        training something else (an experiment edited again mid-training)."""
        wanted = frozenset(missing)
        if self.job is not None and self._still_useful(wanted):
            return
        if self.job is not None:
            self.job.cancel()
            self.job = None
            if wanted:
                self.log("training restarted with the newest experiment settings")
        if wanted:
            self.job = self._start(missing)
            labels = ", ".join(c.label() for c in missing.values())
            self.log(f"training {labels} in the background; the page shows the last good figure meanwhile")

    def _still_useful(self, wanted: frozenset) -> bool:
        assert self.job is not None
        extra = self.job.keys - wanted  # what the job trains that no page is waiting for
        return wanted <= self.job.keys and all(self._is_cached(k) for k in extra)

    def _is_cached(self, key: str) -> bool:
        return (Path(self.cache_dir) / "experiments" / f"{key}.json").exists()

    def _start(self, missing: dict) -> TrainingJob:
        # spawn, not fork: the preview process runs threads and may hold a V8 context
        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe(duplex=False)
        configs = tuple(missing.values())
        process = ctx.Process(target=self.worker, name="explainer-training", daemon=True,
                              args=(configs, str(self.cache_dir), str(self.content_dir), self.device, child))
        process.start()
        child.close()
        return TrainingJob(tuple(missing.items()), process, parent)

    # -- between builds ---------------------------------------------------------------------------
    def collect(self) -> bool:
        """Read what the background job said; True when a rebuild would now show something new."""
        self._reap()
        job = self.job
        if job is None:
            return False
        rebuild, ended = self._drain(job)
        if ended or not job.process.is_alive():
            rebuild |= self._drain(job)[0]  # what it said just before it exited
            job.conn.close()
            self._exiting.append(job.process)  # jax's teardown takes a while: don't wait for it
            self.job, rebuild = None, True
        return rebuild

    def _reap(self) -> None:
        for process in list(self._exiting):
            process.join(0)
            if not process.is_alive():
                self._exiting.remove(process)

    def _drain(self, job: TrainingJob) -> tuple[bool, bool]:
        """-> (something new was trained or failed, the worker closed its end)."""
        rebuild = False
        try:
            while job.conn.poll():
                kind, text, *rest = job.conn.recv()
                if kind == "log":
                    self.log(text)
                    rebuild |= text.startswith("trained")
                elif kind == "error":
                    self._record_failure(job, text, rest[0] if rest else None)
                    rebuild = True
        except (EOFError, OSError):
            return rebuild, True
        return rebuild, False

    def _record_failure(self, job: TrainingJob, message: str, config) -> None:
        """Remember the failure per cache key, so the same settings are not retried in a loop; the
        figures that use them show the message until their settings change."""
        self.log(f"training failed: {message}")
        keys = [k for k, c in job.items if config is not None and _same(c, config)] or list(job.keys)
        for key in keys:
            self.failed[key] = message

    def stop(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.job = None
        for process in self._exiting:
            process.join(5)
            if process.is_alive():
                process.kill()
        self._exiting.clear()

    # -- figures that wait for training -----------------------------------------------------------
    def training_key(self, config) -> str | None:
        from ..models.cache import experiment_key
        return experiment_key(config, self.content_dir, self.cache_dir)

    def remember(self, page: str, figure_id: str, output) -> None:
        self.last_good[(page, figure_id)] = output

    def stand_in(self, page: str, spec):
        """The last good rendering of this figure, marked as updating; or a "training…" box."""
        from ..figures.draw import FigureOutput

        old = self.last_good.get((page, spec.id))
        if old is not None:
            return FigureOutput(mark_updating(old.html), dict(old.files), old.needs_plotly, old.needs_live)
        return FigureOutput(training_box(spec), {}, False, False)


def _same(a, b) -> bool:
    try:
        return a is not None and a.resolved() == b.resolved()
    except AttributeError:
        return a == b


def _report(diag, specs, message: str) -> None:
    for spec in specs:
        diag.error(spec.path, spec.line, f"figure `{spec.id}`: {message}")


def cache_lookup(config, cache_dir: Path, content_dir: Path):
    """(cache key, stored TrainResult or None) from the real training cache; never trains."""
    from ..models import store
    from ..models.cache import cache_key, key_parts

    resolved = config.resolved()
    key = cache_key(key_parts(resolved, Path(content_dir), Path(cache_dir)))
    stem = Path(cache_dir) / "experiments" / key
    if not stem.with_suffix(".json").exists():
        return key, None
    try:
        return key, store.load(stem)
    except store.CorruptEntry:
        return key, None


_STATUS_STYLE = ("display:inline-block;margin:0 0 .5em;padding:.2em .6em;border-radius:4px;"
                 "background:#fff3cd;color:#664d03;font:14px/1.4 system-ui,sans-serif")


def mark_updating(figure_html: str) -> str:
    """Add an "updating" badge and class to a rendered `<figure …>`."""
    badge = (f'<p class="figure-status" role="status" style="{_STATUS_STYLE}">'
             "Updating: the new model is training in the background…</p>")
    m = re.match(r"\s*<figure\b[^>]*>", figure_html)
    if not m:
        return f'<div class="figure-updating">{badge}{figure_html}</div>'
    tag = re.sub(r'class="', 'class="figure-updating ', m.group(0), count=1)
    return tag + badge + figure_html[m.end():]


def training_box(spec) -> str:
    caption = spec.caption_html or html.escape(spec.caption)
    return (f'<figure id="{html.escape(spec.id)}" class="{spec.layout} explainer-figure figure-training">'
            '<div class="figure-body figure-placeholder" role="status" style="min-height:12em;display:flex;'
            'align-items:center;justify-content:center;border:2px dashed var(--border,#ccc);'
            'border-radius:8px;color:var(--muted,#666);font:16px system-ui,sans-serif">'
            "training…</div>"
            f"<figcaption>{caption}</figcaption></figure>")
