"""Training progress: what a log shows while several experiments train at once (models/progress.py)."""

import io

from explainer.models.experiments import ExperimentConfig
from explainer.models.progress import Progress, QueueProgress, relay


class _Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class _Queue(list):
    put = list.append


def test_a_log_gets_a_line_per_interval_naming_every_running_experiment():
    lines, clock = [], _Clock()
    progress = Progress(stream=io.StringIO(), log=lines.append, every=10.0, clock=clock)
    a, b, c = (ExperimentConfig("ae", latent_dim=d).resolved() for d in (2, 8, 32))
    progress.plan([a, b, c])
    progress.start(a.label(), a.steps)
    progress(a, 600, 3000, 0.05, 0.06, 1000.0)
    assert lines == []  # not before the interval
    clock.now = 11.0
    progress.start(b.label(), b.steps)
    assert len(lines) == 1
    assert lines[0].startswith("training 0/3 done · AE d=2 [####................] 600/3000 1,000/s · AE d=8 compiling")
    # left: 2400 + a refit of 3000 for d=2; 2 × 3000 for d=8 and 2 × 20000 for d=32, at 1,000 steps/s
    assert lines[0].endswith("~51 s left")  # 5,400 + 6,000 + 40,000 steps
    progress.finish(a.label())
    clock.now = 30.0
    progress(b, 3000, 3000, 0.01, 0.01, 2000.0)
    assert "training 1/3 done · AE d=8" in lines[-1]


def test_worker_reports_cross_a_queue_unchanged():
    lines, clock = [], _Clock()
    progress = Progress(stream=io.StringIO(), log=lines.append, every=0.0, clock=clock)
    config = ExperimentConfig("vae").resolved()
    queue = _Queue()
    worker = QueueProgress(queue)
    worker.start(config)
    worker(config, 1500, 6000, 25.1, 26.0, 100.0)
    for message in queue:
        relay(message, progress)
    # a lone experiment reads as the single-experiment line
    assert lines[-1].startswith("training VAE d=2 β=1: [#####...............] 1500/6000 · loss 25.1")
    assert lines[-1].endswith("~2 min left")


def test_a_worker_says_when_each_experiment_ends_and_the_pool_saying_it_again_counts_once():
    progress = Progress(log=lambda line: None)
    configs = [ExperimentConfig("ae", latent_dim=d).resolved() for d in (2, 8)]
    progress.plan(configs)
    queue = _Queue()
    worker = QueueProgress(queue)
    for config in configs:
        worker.start(config)
    worker.finish(configs[0])
    for message in queue:
        relay(message, progress)
    assert progress.finished == 1 and list(progress.runs) == ["AE d=8"]
    for config in configs:  # the pool, when the task with both is done
        progress.finish(config.label())
    assert progress.finished == 2 and not progress.runs


def test_a_terminal_gets_one_rewritten_line_and_it_is_cleared_at_the_end():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    stream = Tty()
    progress = Progress(stream=stream)
    config = ExperimentConfig("ae", latent_dim=2).resolved()
    progress.plan([config])
    progress.start(config.label(), config.steps)
    progress(config, 300, 3000, 0.1, 0.1, 500.0)
    progress.finish(config.label())
    out = stream.getvalue()
    assert out.count("\r\033[K") == 3 and "AE d=2" in out and out.endswith("\r\033[K")


def test_progress_lines_are_told_apart_from_outcomes():
    from explainer.models.progress import is_progress

    assert is_progress("training 3 experiments on the CPU in 2 worker processes: AE d=2, AE d=8, AE d=16")
    assert is_progress(Progress(stream=io.StringIO()).line())
    assert not is_progress("trained AE d=2 (why: new) in 4.2 s on cpu") and not is_progress("cached  AE d=2")
