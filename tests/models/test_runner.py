"""Where the experiments that missed the cache train (models/runner.py), without training them."""

from explainer.models import runner
from explainer.models.experiments import ExperimentConfig


def test_a_cuda_plugin_without_a_usable_gpu_still_trains_in_cpu_worker_processes(monkeypatch, tmp_path):
    """Issue 12: with a CUDA build of jax installed but no GPU, the experiments ran one after another
    in one process, because looking for the GPU had started jax here."""
    used = []

    def pool(tasks, workers, data_for, cache_dir, progress):
        nets = [item for task in tasks for item in task]
        used.append(sorted(item[0].label() for item in nets))
        yield from ((item[:4], "trained") for item in nets)

    monkeypatch.setattr(runner, "_gpu_possible", lambda: True)
    monkeypatch.setattr(runner, "cpu_count", lambda: 2)
    monkeypatch.setattr(runner, "_process_pool", pool)
    todo = [(ExperimentConfig("ae", latent_dim=d, hidden=(8,), steps=30).resolved(), f"k{d}", {}, "new")
            for d in (2, 3)]
    lines: list[str] = []
    out = list(runner.run_all(todo, tmp_path, tmp_path, None, log=lines.append))
    assert used == [["AE d=2 hidden=[8]", "AE d=3 hidden=[8]"]] and [o for _, o in out] == ["trained"] * 2
    assert lines[0].endswith("starting JAX") and "in 2 worker processes" in lines[-1]
