"""Lanes: host threads that each train their groups on one device, concurrently (placement.py
plans them, device_pool.py and distributed.py run them).

jax dispatches a compiled program asynchronously and releases the GIL while it runs, so one
process keeps several devices busy; the threads take turns only for the Python around each chunk.
"""

from __future__ import annotations

import queue
import threading
from concurrent.futures import ThreadPoolExecutor

from ..base.errors import ExplainerError
from .placement import Group, assign, estimate, slots_per_device


def plan_lanes(groups: list[Group], datasets: dict, devices, slots: list[int] | None = None) -> list:
    """Cost every group and assign the groups to lanes (placement.py). `slots`: groups per device
    at once; default from each device's free memory."""
    for g in groups:
        n_params, data_bytes = _sizes(g, datasets[id(g)])
        estimate(g, n_params, data_bytes)
    largest = max(g.need for g in groups)
    if slots is None:
        slots = [slots_per_device(_free_bytes(d), largest) for d in devices]
    return assign(groups, len(devices), slots)


def run_lanes(lanes: list, datasets: dict, device, progress, devices):
    """Train each lane's groups on its device, lanes concurrently; yield (group, outcomes) as each
    group finishes."""
    done: queue.Queue = queue.Queue()

    def run_lane(lane):
        from .sharded import OneDevice

        for group in lane.groups:
            try:
                outcomes = train_watched(group, datasets[id(group)], device, progress,
                                         OneDevice(devices[lane.device]))
            except BaseException as exc:  # a bug of ours: stop the build with it, in the main thread
                done.put((group, exc))
                return
            done.put((group, outcomes))

    if not lanes:
        return
    with ThreadPoolExecutor(len(lanes), thread_name_prefix="explainer-lane") as pool:
        for lane in lanes:
            pool.submit(run_lane, lane)
        for _ in range(sum(len(lane.groups) for lane in lanes)):
            group, outcomes = done.get()
            if isinstance(outcomes, BaseException):
                raise outcomes
            yield group, outcomes


def _sizes(group: Group, data) -> tuple[int, int]:
    """(parameters of one member, bytes of its data), without allocating: `nnx.eval_shape`."""
    import jax
    import numpy as np
    from flax import nnx

    from .purefn import abstract_module
    from .train import data_info

    config, spec = group.items[0][0].resolved(), group.items[0][4]
    data_bytes = sum(int(np.asarray(x).nbytes) for x in (data.x_train, data.x_val))
    try:
        abstract = abstract_module(spec, config, data_info(config, data))
    except Exception:  # an author's model that fails to build: train_group reports it at its line
        return 0, data_bytes
    n_params = sum(int(np.prod(leaf.shape)) for leaf in jax.tree.leaves(nnx.state(abstract, nnx.Param)))
    return n_params, data_bytes


def _free_bytes(dev) -> int | None:
    """Free memory the backend reports (GPUs do, the CPU does not): None when unknown."""
    try:
        stats = dev.memory_stats() or {}
    except Exception:  # a backend without the call
        return None
    limit = stats.get("bytes_limit")
    return None if not limit else int(limit) - int(stats.get("bytes_in_use", 0))


class Serialized:
    """The progress display, one caller at a time: lanes report from their own threads
    (progress.Progress is written for one)."""

    def __init__(self, progress):
        self.progress, self.lock = progress, threading.Lock()

    def __call__(self, *args, **kwargs):
        with self.lock:
            self.progress(*args, **kwargs)

    def start(self, label: str, plan: int) -> None:
        with self.lock:
            self.progress.start(label, plan)

    def finish(self, label: str) -> None:
        with self.lock:
            self.progress.finish(label)


def train_watched(group: Group, data, device, progress, placement) -> list:
    """train_group on `placement`, its members shown as started and finished; an ExplainerError
    (a diverged run, an author's bug, a batch that does not split) is every member's outcome."""
    from .train import train_group

    labels = [(c.label(), int(c.steps or 0)) for c in group.configs]
    if progress is not None:
        for label, steps in labels:
            progress.start(label, steps)
    try:
        return train_group(group.configs, data, progress=progress, device=device, spec=group.items[0][4],
                           placement=placement)
    except ExplainerError as exc:
        return [exc] * len(group.items)
    finally:
        if progress is not None:
            for label, _ in labels:
                progress.finish(label)
