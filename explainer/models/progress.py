"""What training says while it runs: which experiments, how far, how fast, how long to go.

A cold build may train for a minute; an author must see from the first second what is happening.
`Progress` follows every experiment that trains, wherever it runs (this process, a GPU, or the CPU
worker processes, whose reports arrive through a queue: runner.py). On a terminal it keeps one
self-rewriting line:

    training 2/7 done · AE d=32 [########............] 8000/20000 3,300/s · DAE σ=0.3 compiling · ~9 s left

Elsewhere (CI logs, the preview server) it writes a plain line through `log` every `every` seconds,
so a log shows progress without a line per chunk.

Training runs a selection phase and then a refit up to the chosen step (train.py): the estimate
counts the rest of the phase plus, during selection, a refit as long as the whole plan (an upper
bound: the refit stops at the validated step).
"""

from __future__ import annotations

import shutil
import sys
import time
from dataclasses import dataclass


@dataclass
class _Run:
    label: str
    plan: int  # the plan's steps (an upper bound of each phase)
    step: int = 0
    steps: int = 0
    rate: float = 0.0
    phase: str = "compiling"
    train_loss: float = float("nan")
    val_loss: float = float("nan")

    def left(self) -> float:
        """Steps still to run (upper bound)."""
        if self.phase == "compiling":
            return 2 * self.plan
        return (self.steps - self.step) + (self.plan if self.phase == "selecting" else 0)


class Progress:
    """Progress of the experiments of one training run; safe to call from one thread."""

    WIDTH = 20

    def __init__(self, stream=None, log=None, every: float = 15.0, clock=time.monotonic):
        self.stream = stream or sys.stderr
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.log, self.every, self.clock = log, every, clock
        self.runs: dict[str, _Run] = {}
        self.waiting: dict[str, int] = {}  # label -> plan steps, not started yet
        self.finished = 0
        self.done: set[str] = set()  # finished labels: a worker and the pool may both say so
        self.total = 0
        self.last_log = clock()

    # ---- events --------------------------------------------------------------------------------------

    def plan(self, configs) -> None:
        """The experiments about to train (before any of them starts)."""
        self.waiting = {c.label(): int(c.steps or 0) for c in configs}
        self.total = len(configs)

    def start(self, label: str, plan: int) -> None:
        self.waiting.pop(label, None)
        self.runs[label] = _Run(label, plan)
        self._show()

    def __call__(self, config, step, steps, train_loss, val_loss, rate, phase: str = "selecting") -> None:
        """After every chunk (train.train's progress callback)."""
        self.report(config.label(), int(config.steps or steps), step, steps, train_loss, val_loss, rate, phase)

    def report(self, label, plan, step, steps, train_loss, val_loss, rate, phase) -> None:
        run = self.runs.get(label) or self.runs.setdefault(label, _Run(label, plan))
        self.waiting.pop(label, None)
        run.step, run.steps, run.rate, run.phase = step, steps, rate, phase
        run.train_loss, run.val_loss = train_loss, val_loss
        self._show()

    def finish(self, label: str) -> None:
        if label in self.done:
            return
        self.done.add(label)
        self.runs.pop(label, None)
        self.waiting.pop(label, None)
        self.finished += 1
        if self.enabled:  # the cache logs a summary line next: clear ours first
            self.stream.write("\r\033[K")
            self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r\033[K")
            self.stream.flush()

    # ---- output --------------------------------------------------------------------------------------

    def _show(self) -> None:
        if self.enabled:
            width = shutil.get_terminal_size((120, 20)).columns - 1
            self.stream.write("\r\033[K" + self.line()[:width])
            self.stream.flush()
        elif self.log is not None and self.clock() - self.last_log >= self.every:
            self.last_log = self.clock()
            self.log(self.line())

    def line(self) -> str:
        if len(self.runs) == 1 and not self.waiting and self.total <= 1:
            run = next(iter(self.runs.values()))
            if run.phase != "compiling":
                return progress_line(run.label, run.plan, run.step, run.steps, run.train_loss, run.val_loss,
                                     run.rate, run.phase)
        parts = [f"training {self.finished}/{self.total or len(self.runs)} done"]
        for run in self.runs.values():
            if run.phase == "compiling":
                parts.append(f"{run.label} compiling")
            else:
                verb = "refitting " if run.phase == "refitting" else ""
                parts.append(f"{verb}{run.label} {_bar(run.step, run.steps)} {run.step}/{run.steps} {run.rate:,.0f}/s")
        left = self.seconds_left()
        if left is not None:
            parts.append(eta(left))
        return " · ".join(parts)

    def seconds_left(self) -> float | None:
        """Steps left over the summed rate of what runs now; None before any rate is known."""
        rate = sum(r.rate for r in self.runs.values() if r.phase != "compiling")
        if rate <= 0:
            return None
        steps = sum(r.left() for r in self.runs.values()) + 2 * sum(self.waiting.values())
        return steps / rate


def _bar(step: int, steps: int) -> str:
    filled = int(Progress.WIDTH * step / max(steps, 1))
    return f"[{'#' * filled}{'.' * (Progress.WIDTH - filled)}]"


def progress_line(label: str, plan: int, step, steps, train_loss, val_loss, rate, phase="selecting") -> str:
    """One experiment's line: what, how far, the losses, steps/s and the time left."""
    left = (steps - step) + (plan if phase == "selecting" else 0)
    what = "training" if phase == "selecting" else "refitting"
    return (f"{what} {label}: {_bar(step, steps)} {step}/{steps}"
            f" · loss {train_loss:.4g} · val {val_loss:.4g} · {rate:,.0f} steps/s · {eta(left / max(rate, 1e-9))}")


def eta(seconds: float) -> str:
    """"~40 s left", "~3 min left", "~1.2 h left"."""
    if seconds < 90:
        return f"~{max(seconds, 1):.0f} s left"
    if seconds < 5400:
        return f"~{seconds / 60:.0f} min left"
    return f"~{seconds / 3600:.1f} h left"


PREFIX = "training "  # every line this module (and runner's plan line) writes starts so


def is_progress(line: str) -> bool:
    """Whether a training log line says how training goes, rather than what an experiment became."""
    return line.startswith(PREFIX)


class QueueProgress:
    """A worker process's progress callback: the same calls, sent to the parent's `Progress`."""

    def __init__(self, queue):
        self.queue = queue

    def start(self, config) -> None:
        self.queue.put(("start", config.label(), int(config.steps or 0)))

    def finish(self, config) -> None:
        self.queue.put(("finish", config.label()))

    def __call__(self, config, step, steps, train_loss, val_loss, rate, phase: str = "selecting") -> None:
        self.queue.put(("report", config.label(), int(config.steps or steps), step, steps, train_loss, val_loss,
                        rate, phase))


def relay(message, progress: Progress) -> None:
    """Apply a QueueProgress message to the parent's Progress."""
    kind, *args = message
    if kind == "start":
        progress.start(*args)
    elif kind == "report":
        progress.report(*args)
    elif kind == "finish":
        progress.finish(*args)
