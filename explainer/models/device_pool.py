"""Train the pending experiments across every visible device, as placement.py plans it.

First each `large: true` experiment, alone, data-parallel over all devices (sharded.py): it needs
every device, so nothing else runs beside it. Then the other groups, concurrently: one host thread
per lane (a device, or one of its slots when its memory fits several groups). That is enough to
keep several devices busy from one process: jax dispatches a compiled program asynchronously and
releases the GIL while it runs, so the threads only take turns for the little Python around each
chunk. Every group runs the same program it would run alone, committed to its device, so the
results are those of training one after another on one device.

Results arrive in the order they finish, as with the CPU's process pool.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import ThreadPoolExecutor

from ..base.errors import ExplainerError
from .placement import Group, assign, estimate, group_by_shape, slots_per_device


def train_on_devices(nets, data_for, device: str | None, progress=None, *, devices=None, mesh_devices=None):
    """Yield ((config, key, parts, why), TrainResult or error) for each runner item of `nets`.

    `devices`: where groups go (default: this process's devices of the training platform);
    `mesh_devices`: what a large experiment shards over (default: every process's, jax.devices())."""
    import jax

    from .device import default_device

    platform = default_device(device).platform
    devices = list(devices or jax.local_devices(backend=platform))
    mesh_devices = list(mesh_devices or jax.devices(platform))
    progress = _Serialized(progress) if progress is not None else None
    groups = group_by_shape(nets)
    datasets = {id(g): data_for(g.items[0][0]) for g in groups}  # loaded here: data_for is not thread-safe
    for group in (g for g in groups if g.large):
        yield from _outcomes(group, _train_large(group, datasets[id(group)], device, progress, mesh_devices))
    small = [g for g in groups if not g.large]
    if small:
        yield from _train_placed(small, datasets, device, progress, devices)


def _train_large(group: Group, data, device, progress, mesh_devices) -> list:
    from .distributed import announce
    from .sharded import data_parallel
    from .train import train_group

    try:
        config = group.items[0][0].resolved()
        mesh = data_parallel(config, len(data.x_train), mesh_devices)
        announce(group.configs)  # other hosts join the same programs (models/distributed.py)
        return train_group(group.configs, data, progress=progress, device=device, spec=group.items[0][4],
                           placement=mesh)
    except ExplainerError as exc:  # a batch that does not split, a diverged run, an author's bug
        return [exc] * len(group.items)


def _train_placed(groups: list[Group], datasets: dict, device, progress, devices):
    """Plan lanes over `devices` and run them concurrently; yield outcomes as groups finish."""
    for g in groups:
        n_params, data_bytes = _sizes(g, datasets[id(g)])
        estimate(g, n_params, data_bytes)
    largest = max(g.need for g in groups)
    lanes = assign(groups, len(devices), [slots_per_device(_free_bytes(d), largest) for d in devices])
    done: queue.Queue = queue.Queue()

    def run_lane(lane):
        from .sharded import OneDevice
        from .train import train_group

        for group in lane.groups:
            try:
                outcomes = train_group(group.configs, datasets[id(group)], progress=progress, device=device,
                                       spec=group.items[0][4], placement=OneDevice(devices[lane.device]))
            except ExplainerError as exc:
                outcomes = [exc] * len(group.items)
            except BaseException as exc:  # a bug of ours: stop the build with it, in the main thread
                done.put((group, exc))
                return
            done.put((group, outcomes))

    with ThreadPoolExecutor(len(lanes), thread_name_prefix="explainer-lane") as pool:
        for lane in lanes:
            pool.submit(run_lane, lane)
        for _ in range(len(groups)):
            group, outcomes = done.get()
            if isinstance(outcomes, BaseException):
                raise outcomes
            yield from _outcomes(group, outcomes)


def _outcomes(group: Group, outcomes: list):
    return zip((item[:4] for item in group.items), outcomes)


def _sizes(group: Group, data) -> tuple[int, int]:
    """(parameters of one member, bytes of its data), without allocating: `nnx.eval_shape`."""
    import jax
    import numpy as np
    from flax import nnx

    from .train import data_info

    config, spec = group.items[0][0].resolved(), group.items[0][4]
    abstract = nnx.eval_shape(lambda: spec.build(config, data_info(config, data), config.seed))
    n_params = sum(int(np.prod(leaf.shape)) for leaf in jax.tree.leaves(nnx.state(abstract, nnx.Param)))
    data_bytes = sum(int(np.asarray(x).nbytes) for x in (data.x_train, data.x_val))
    return n_params, data_bytes


def _free_bytes(dev) -> int | None:
    """Free memory the backend reports (GPUs do, the CPU does not): None when unknown."""
    try:
        stats = dev.memory_stats() or {}
    except Exception:  # a backend without the call
        return None
    limit = stats.get("bytes_limit")
    return None if not limit else int(limit) - int(stats.get("bytes_in_use", 0))


class _Serialized:
    """The progress callback, one caller at a time: lanes report from their own threads."""

    def __init__(self, progress):
        self.progress, self.lock = progress, threading.Lock()

    def __call__(self, *args, **kwargs):
        with self.lock:
            self.progress(*args, **kwargs)
