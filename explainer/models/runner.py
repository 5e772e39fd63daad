"""How the experiments that missed the cache get trained: which device, in which processes.

- GPU (jax sees one and the CPU was not forced): in this process, across every visible GPU
  (models/device_pool.py); experiments that differ only in seed train together as one vmapped
  program (about 8× more model-steps per second: docs/training-notes.md), `large: true` ones
  data-parallel over all GPUs (models/sharded.py).
- CPU with several experiments: one process per core. These MLPs are compute-bound (~21 MFLOP per
  step), so vmap gains nothing on a CPU, and one XLA process on two threads is slower than two
  processes on one core each. Each worker keeps its own slice of the cores (device.pin_to_share):
  XLA's flag alone left every worker's thread pool on every core (four busy threads on two cores;
  the default site's cold training 71 s of CPU instead of 63).
- CPU with one experiment: in this process, on XLA's thread pool over every core. `bench/train_speed.py
  --lone` times it against the same run kept on one core: on the 2-core development machine a
  1.2M-parameter MLP trains at 169–171 steps/s against 93 (1.8×).
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
from .progress import Progress, QueueProgress, relay


def _gpu_possible() -> bool:
    """Whether a CUDA/ROCm jax plugin is installed: if not, the GPU question is answered without jax."""
    names = {(d.metadata["Name"] or "").lower() for d in metadata.distributions()}
    return any(n.startswith(("jax-cuda", "jax_cuda", "jax-rocm", "jax_rocm", "jaxlib-cuda")) for n in names)


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def run_all(todo, cache_dir, content_dir, device: str | None, parallel: bool | None = None, log=None):
    """Yield ((config, key, parts, why), TrainResult or TrainingError) for each item of `todo`.
    `log` gets a line saying what trains where at once, then progress lines (progress.py)."""
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
    progress = Progress(log=log)
    progress.plan([item[0] for item in nets])
    labels = ", ".join(item[0].label() for item in nets)
    probed = False  # jax was started here only to look for a GPU
    try:
        if device == "gpu" or (device != "cpu" and _gpu_possible()):
            _say(log, f"training {len(nets)} experiment{'s' * (len(nets) > 1)} ({labels}): starting JAX")
            from .device import configure, default_device

            configure(device, cache_dir)
            if default_device(device).platform != "cpu":  # --device gpu with no GPU: a clear error
                _say(log, f"training on {_device_count(device)}")
                yield from _on_devices(nets, data_for, device, progress)
                return
            probed = True  # a CUDA plugin but no usable GPU: the CPU workers still apply (they are spawned)
        if os.environ.get(PLACEMENT_ENV) == "devices" or launch_env() is not None:  # the GPU's path on CPUs
            from .device import configure

            configure(device, cache_dir)
            _say(log, f"training {labels} on {_device_count(device)}")
            yield from _on_devices(nets, data_for, device, progress)
            return
        if parallel is not False and len(nets) >= 2 and cpu_count() >= 2 and (probed or "jax" not in sys.modules):
            tasks = _tasks(nets, min(cpu_count(), len(nets)))
            workers = min(cpu_count(), len(tasks))  # a family trained by one worker: no idle worker to start
            _say(log, f"training {len(nets)} experiments on the CPU in {workers} worker process"
                      f"{'es' * (workers > 1)}: {labels}")
            yield from _process_pool(tasks, workers, data_for, cache_dir, progress)
        else:  # a lone experiment gets XLA's intra-op thread pool over every core
            _say(log, f"training {labels} on the CPU")
            yield from _in_process(nets, data_for, cache_dir, "cpu", progress, single_thread=len(nets) > 1)
    finally:
        progress.close()


def _say(log, line: str) -> None:
    if log is not None:
        log(line)


def _in_process(nets, data_for, cache_dir, device, progress, single_thread: bool = True):
    from ..base.errors import ExplainerError
    from .device import configure
    from .train import train

    configure(device, cache_dir, single_thread=single_thread)
    for item in nets:
        progress.start(item[0].label(), int(item[0].steps or 0))
        try:
            outcome = train(item[0], data_for(item[0]), progress=progress, device=device, spec=item[4])
        except ExplainerError as exc:  # diverged, or an author's bug: the others still train
            outcome = exc
        progress.finish(item[0].label())
        yield item[:4], outcome


# EXPLAINER_PLACEMENT=devices: place experiments over the devices jax sees even on the CPU (its
# devices simulated with XLA_FLAGS=--xla_force_host_platform_device_count=N). The GPU's path, run
# where there is no GPU: the tests and bench/sharding.py use it; a CPU build keeps its process pool,
# unless it was launched on several processes (models/distributed.py), which train together.
PLACEMENT_ENV = "EXPLAINER_PLACEMENT"


def _device_count(device) -> str:
    """"8 devices (gpu)", "cpu": what training is about to use, for the log."""
    import jax

    from .device import default_device

    dev = default_device(device)
    n = len(jax.devices(dev.platform))
    return f"{n} devices ({dev.platform})" if n > 1 else str(dev)


def _on_devices(nets, data_for, device, progress):
    """Every device busy (models/device_pool.py): groups of seeds vmapped, groups placed over the
    devices and trained concurrently, `large: true` experiments data-parallel over all of them."""
    from .device_pool import train_on_devices

    yield from train_on_devices(nets, data_for, device, progress)


_WORKER_PROGRESS: list = []  # in a worker process: its QueueProgress


def _pool_init(cache_dir, workers: int, queue=None, counter=None):
    from .device import configure

    index = 0
    if counter is not None:  # the k-th worker to start takes the k-th slice of the cores
        with counter.get_lock():
            index, counter.value = counter.value, counter.value + 1
    configure("cpu", cache_dir, share=(index, workers))  # before this worker's first jax import
    if queue is not None:
        _WORKER_PROGRESS.append(QueueProgress(queue))


def _pool_train_task(task):
    """One task of the pool: experiments that can share a compiled program, trained in turn."""
    return [_pool_train(config, data, spec) for config, data, spec in task]


def _pool_train(config, data, spec):
    from ..base.errors import ExplainerError
    from .train import train

    progress = _WORKER_PROGRESS[0] if _WORKER_PROGRESS else None
    if progress is not None:
        progress.start(config)
    try:
        return train(config, data, device="cpu", spec=spec, progress=progress)
    except ExplainerError as exc:
        return exc
    finally:  # now, not when the rest of its task is done
        if progress is not None:
            progress.finish(config)


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


def _process_pool(tasks, workers: int, data_for, cache_dir, progress):
    """`workers` processes (spawned: a forked jax is unsafe) take the tasks (`_tasks`) in order;
    results arrive as tasks finish, and the workers' progress through a queue."""
    import multiprocessing
    import queue as queues
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    ctx = multiprocessing.get_context("spawn")
    # Each worker keeps its own slice of the cores (device.pin_to_share): two workers on two cores
    # one core each; three on sixteen, five or six each, so a lone long run still uses its slice.
    reports = ctx.Queue()
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_pool_init,
                             initargs=(cache_dir, workers, reports, ctx.Value("i", 0))) as pool:
        with _main_module_hidden():
            futures = {pool.submit(_pool_train_task, [(item[0], data_for(item[0]), item[4]) for item in task]): task
                       for task in tasks}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
            while True:  # the workers' progress since the last look
                try:
                    relay(reports.get_nowait(), progress)
                except queues.Empty:
                    break
            for future in done:
                for item, outcome in zip(futures[future], future.result()):
                    progress.finish(item[0].label())
                    yield item[:4], outcome


def _tasks(nets, workers: int) -> list[list]:
    """The pool's tasks, longest first. Experiments that can share a compiled program
    (program_share.family: AE d=2, 8 and 16, or seeds of one experiment) go to one worker together,
    which compiles the program once, unless together they would be more than a worker's share of
    the steps; then they are split. Longest first, so the last worker to finish is not the one that
    started a long run last."""
    from .program_share import family

    families: dict = {}
    for item in nets:
        key = family(item[0], item[4])
        try:
            hash(key)
        except TypeError:  # an unhashable value in an author's options: a family of its own
            key = id(item)
        families.setdefault(key, []).append(item)
    share = sum(item[0].steps for item in nets) / workers
    tasks = []
    for items in families.values():
        task: list = []
        for item in sorted(items, key=lambda item: -item[0].steps):
            if task and sum(i[0].steps for i in task) + item[0].steps > share:
                tasks.append(task)
                task = []
            task.append(item)
        tasks.append(task)
    return sorted(tasks, key=lambda task: -sum(item[0].steps for item in task))
