"""How the experiments that missed the cache get trained: which device, in which processes.

- GPU (jax sees one and the CPU was not forced): in this process, across every visible GPU
  (models/device_pool.py); experiments that differ only in seed train together as one vmapped
  program (about 8× more model-steps per second: docs/training-notes.md), `large: true` ones
  data-parallel over all GPUs (models/sharded.py).
- CPU with several experiments: one process per core. These MLPs are compute-bound (~21 MFLOP per
  step), so vmap gains nothing on a CPU, and one XLA process on two threads is slower than two
  processes on one thread each (measured: see bench/train_speed.py). A worker is single-threaded
  unless there are at least twice as many cores as workers.
- CPU with one experiment: in this process, on XLA's thread pool over every core (the cores would
  otherwise idle; `bench/train_speed.py --lone` times it against one thread).
- Otherwise: in this process.
PCA never needs jax and always runs here.
"""

from __future__ import annotations

import contextlib
import os
import sys
from importlib import metadata

from .launch import launch_env
from .pca import train_pca


def _gpu_possible() -> bool:
    """Whether a CUDA/ROCm jax plugin is installed: if not, the GPU question is answered without jax."""
    names = {(d.metadata["Name"] or "").lower() for d in metadata.distributions()}
    return any(n.startswith(("jax-cuda", "jax_cuda", "jax-rocm", "jax_rocm", "jaxlib-cuda")) for n in names)


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


class Progress:
    """One self-rewriting progress line per experiment on a terminal; silent otherwise (the cache
    then logs one summary line per experiment when it finishes).

        training VAE d=2 β=1: [######......] 2400/6000 · loss 25.1 · val 25.9 · 2,900 steps/s · ~2 s left

    Training runs a selection phase and then a refit up to the chosen step (train.py): the estimate
    counts the rest of this phase plus, during selection, a refit as long as the whole plan (an
    upper bound: the refit stops at the validated step)."""

    WIDTH = 20

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()

    def __call__(self, config, step, steps, train_loss, val_loss, rate, phase: str = "selecting"):
        if not self.enabled:
            return
        if step >= steps and phase != "selecting":  # done: clear the line; the cache logs the summary
            self.stream.write("\r\033[K")
        else:
            self.stream.write("\r\033[K  " + progress_line(config, step, steps, train_loss, val_loss, rate, phase))
        self.stream.flush()


def progress_line(config, step, steps, train_loss, val_loss, rate, phase="selecting") -> str:
    filled = int(Progress.WIDTH * step / max(steps, 1))
    left = (steps - step) + (config.steps if phase == "selecting" else 0)
    what = "training" if phase == "selecting" else "refitting"
    return (f"{what} {config.label()}: [{'#' * filled}{'.' * (Progress.WIDTH - filled)}] {step}/{steps}"
            f" · loss {train_loss:.4g} · val {val_loss:.4g} · {rate:,.0f} steps/s · {eta(left / max(rate, 1e-9))}")


def eta(seconds: float) -> str:
    """"~40 s left", "~3 min left", "~1.2 h left"."""
    if seconds < 90:
        return f"~{max(seconds, 1):.0f} s left"
    if seconds < 5400:
        return f"~{seconds / 60:.0f} min left"
    return f"~{seconds / 3600:.1f} h left"


def run_all(todo, cache_dir, content_dir, device: str | None, parallel: bool | None = None):
    """Yield ((config, key, parts, why), TrainResult or TrainingError) for each item of `todo`."""
    from .authored_data import load_any
    from .table import tables_for

    datasets: dict = {}
    tables = tables_for(content_dir)

    def data_for(config):
        ident = (config.dataset, config.path)
        if ident not in datasets:
            datasets[ident] = load_any(config, content_dir)
        return datasets[ident]

    nets = []
    for item in todo:
        spec = item[0].spec(tables)
        if not spec.trains:
            yield item, train_pca(item[0], data_for(item[0]), {"versions": {"numpy": metadata.version("numpy")}})
        else:
            nets.append((*item, spec))
    if not nets:
        return
    if device == "gpu" or (device != "cpu" and _gpu_possible()):
        from .device import configure, default_device

        configure(device, cache_dir)
        if default_device(device).platform != "cpu":  # --device gpu with no GPU: a clear error
            yield from _on_devices(nets, data_for, device)
            return
    if os.environ.get(PLACEMENT_ENV) == "devices" or launch_env() is not None:  # the GPU's path on CPU devices
        from .device import configure

        configure(device, cache_dir)
        yield from _on_devices(nets, data_for, device)
        return
    if parallel is not False and len(nets) >= 2 and cpu_count() >= 2 and "jax" not in sys.modules:
        yield from _process_pool(nets, data_for, cache_dir)
    else:  # a lone experiment gets XLA's intra-op thread pool over every core; several share one
        yield from _in_process(nets, data_for, cache_dir, "cpu", single_thread=len(nets) > 1)


def _in_process(nets, data_for, cache_dir, device, single_thread: bool = True):
    from ..base.errors import ExplainerError
    from .device import configure
    from .train import train

    configure(device, cache_dir, single_thread=single_thread)
    progress = Progress()
    for item in nets:
        try:
            yield item[:4], train(item[0], data_for(item[0]), progress=progress, device=device, spec=item[4])
        except ExplainerError as exc:  # diverged, or an author's bug: the others still train
            yield item[:4], exc


# EXPLAINER_PLACEMENT=devices: place experiments over the devices jax sees even on the CPU (its
# devices simulated with XLA_FLAGS=--xla_force_host_platform_device_count=N). The GPU's path, run
# where there is no GPU: the tests and bench/sharding.py use it; a CPU build keeps its process pool,
# unless it was launched on several processes (models/distributed.py), which train together.
PLACEMENT_ENV = "EXPLAINER_PLACEMENT"


def _on_devices(nets, data_for, device):
    """Every device busy (models/device_pool.py): groups of seeds vmapped, groups placed over the
    devices and trained concurrently, `large: true` experiments data-parallel over all of them."""
    from .device_pool import train_on_devices

    yield from train_on_devices(nets, data_for, device, Progress())


def _pool_init(cache_dir, single_thread: bool = True):
    from .device import configure

    configure("cpu", cache_dir, single_thread=single_thread)  # before this worker's first jax import


def _pool_train(config, data, spec):
    from ..base.errors import ExplainerError
    from .train import train

    try:
        return train(config, data, device="cpu", spec=spec)
    except ExplainerError as exc:
        return exc


@contextlib.contextmanager
def _main_module_hidden():
    """Spawned workers re-run the parent's __main__ script unless it has an `if __name__ ==
    "__main__"` guard; a build.py without one would recurse. The workers need nothing from
    __main__ (their code lives in this module), so hide it while they start."""
    main = sys.modules.get("__main__")
    saved = {k: getattr(main, k) for k in ("__file__", "__spec__") if hasattr(main, k)}
    try:
        if "__file__" in saved:
            del main.__file__
        main.__spec__ = None  # spawn reads it unconditionally
        yield
    finally:
        for k, v in saved.items():
            setattr(main, k, v)


def _process_pool(nets, data_for, cache_dir):
    """One worker per core (spawned: a forked jax is unsafe); results arrive as they finish."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    workers = min(cpu_count(), len(nets))
    ctx = multiprocessing.get_context("spawn")
    # Longest first, so the last worker to finish is not the one that started a 12k-step run last.
    nets = sorted(nets, key=lambda item: -item[0].steps)
    # Fewer experiments than half the cores: each worker keeps XLA's thread pool, so the idle cores
    # help (XLA has no flag for "n threads", only one or all; two workers on two cores: one each).
    single = workers * 2 > cpu_count()
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_pool_init, initargs=(cache_dir, single)) as pool:
        with _main_module_hidden():
            futures = {pool.submit(_pool_train, item[0], data_for(item[0]), item[4]): item for item in nets}
        for future in as_completed(futures):
            yield futures[future][:4], future.result()
