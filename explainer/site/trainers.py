"""Where a build gets its trained results: the one interface between the site wing and training.

A plain build trains what is missing in this process and waits (`TrainInBuild`); the preview server
passes its `serve.training.BackgroundTrainer`, which never blocks: it gives what the cache holds and
trains the rest in the background, while those figures show a stand-in.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from ..base.errors import Diagnostics


class Trainer(Protocol):
    def available(self, users: dict, diag: Diagnostics, log) -> dict | None:
        """`users`: experiment config -> the FigureSpecs that draw it. Returns config -> TrainResult
        for every config it can give now (a preview may leave some out), or None when training
        failed (the problems are in `diag`, at the figures that asked)."""

    def remember(self, page: str, figure_id: str, output) -> None:
        """A figure was drawn from real results (a preview keeps it as the last good one)."""

    def stand_in(self, page: str, spec):
        """What to show for a figure whose experiments are not available yet."""

    def training_key(self, config) -> str | None:
        """The key `config` trains under now (same key: same result), or None when unknown; a page
        whose figures' keys are all known and unchanged is reused by later builds."""


class TrainInBuild:
    """Load every experiment from the training cache, training the missing ones here."""

    def __init__(self, cache_dir: Path, content: Path, device: str | None, strict: bool = False,
                 tracebacks: bool = False):
        self.cache_dir, self.content, self.device, self.strict = cache_dir, content, device, strict
        self.tracebacks = tracebacks
        self.results: dict = {}  # what the last `available` gave (`explainer freeze` stores it)

    def available(self, users: dict, diag: Diagnostics, log) -> dict | None:
        from ..models.author_errors import AuthorCodeError
        from ..models.cache import TrainingError, load_or_train, stale_experiments
        from ..models.data import DataError

        stale = stale_experiments(list(users), self.content, self.cache_dir / "models")
        for config, why in stale:  # frozen results the build would silently replace
            for spec in users.get(config, []):
                (diag.error if self.strict else diag.warn)(
                    spec.path, spec.line, f"figure `{spec.id}`: the frozen result of {config.label()} is "
                    f"stale ({why}); it is retrained. Run `explainer freeze` to store the new one")
        if stale and self.strict:
            return None  # --strict: a CI build never trains what the author froze
        try:
            self.results = load_or_train(list(users), cache_dir=self.cache_dir / "models",
                                         content_dir=self.content, device=self.device, log=log)
            return self.results
        except AuthorCodeError as e:  # at the author's line, naming the figures that use it
            report_author_error(e, users, diag, self.tracebacks)
            return None
        except TrainingError as e:
            message, specs = str(e), users.get(getattr(e, "config", None), [])
        except DataError as e:  # an author's data file: blame the figures that name it
            message = str(e)
            specs = [s for c, v in users.items() if (c.path and c.path in message)
                     or f"/{c.dataset}." in message for s in v]
        every = [s for v in users.values() for s in v]
        for spec in {id(s): s for s in specs or every}.values():  # specs hold dicts: not hashable
            diag.error(spec.path, spec.line, f"figure `{spec.id}`: {message}")
        return None

    def remember(self, page: str, figure_id: str, output) -> None:
        pass  # a build draws every figure from real results; there is nothing to fall back on

    def stand_in(self, page: str, spec):
        raise AssertionError("a build trains every experiment before drawing figures")

    def training_key(self, config) -> str | None:
        from ..models.cache import experiment_key
        return experiment_key(config, self.content, self.cache_dir / "models")


def report_author_error(e, users: dict, diag: Diagnostics, tracebacks: bool = False) -> None:
    """`content/models/my_vae.py:LINE: error: …` with the figures that use the model; the author's
    traceback only with `-v` (`tracebacks`)."""
    specs = users.get(e.config, []) if e.config is not None else []
    if not specs:  # a loader: every figure whose experiment names that file's data set
        specs = [s for c, v in users.items() if f"/{c.dataset}." in e.path or f"/{c.model}." in e.path for s in v]
    where = "; ".join(f"figure `{s.id}` at {s.path}:{s.line}" for s in {id(s): s for s in specs}.values())
    message = e.message + (f" (used by {where})" if where else "")
    if tracebacks and e.trace:
        message += "\n" + e.trace.rstrip()
    diag.error(e.path, e.line, message)
