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

from ..base.errors import ExplainerError
from .lanes import Serialized, plan_lanes, run_lanes, train_watched
from .launch import active
from .placement import Group, group_by_shape


def train_on_devices(nets, data_for, device: str | None, progress=None, *, devices=None, mesh_devices=None):
    """Yield ((config, key, parts, why), TrainResult or error) for each runner item of `nets`.

    `devices`: where groups go (default: this process's devices of the training platform);
    `mesh_devices`: what a large experiment shards over (default: every process's, jax.devices())."""
    import jax

    from .device import default_device
    from .distributed import spread

    platform = default_device(device).platform
    devices = list(devices or jax.local_devices(backend=platform))
    mesh_devices = list(mesh_devices or jax.devices(platform))
    progress = Serialized(progress) if progress is not None else None
    groups = group_by_shape(nets)
    datasets = {id(g): data_for(g.items[0][0]) for g in groups}  # loaded here: data_for is not thread-safe
    for group in (g for g in groups if g.large):
        yield from _outcomes(group, _train_large(group, datasets[id(group)], device, progress, mesh_devices))
    small = [g for g in groups if not g.large]
    if small and active():  # several hosts: spread over all of them, results sent to process 0
        for group, outcomes in spread(small, datasets, device, progress):
            yield from _outcomes(group, outcomes)
    elif small:
        yield from _train_placed(small, datasets, device, progress, devices)


def _train_large(group: Group, data, device, progress, mesh_devices) -> list:
    from .distributed import announce
    from .sharded import data_parallel

    try:
        mesh = data_parallel(group.items[0][0].resolved(), len(data.x_train), mesh_devices)
    except ExplainerError as exc:  # a batch that does not split over the devices
        return [exc] * len(group.items)
    announce(group.configs)  # other hosts join the same programs (models/distributed.py)
    return train_watched(group, data, device, progress, mesh)


def _train_placed(groups: list[Group], datasets: dict, device, progress, devices):
    """Plan lanes over `devices` and run them concurrently; yield outcomes as groups finish."""
    lanes = plan_lanes(groups, datasets, devices)
    for group, outcomes in run_lanes(lanes, datasets, device, progress, devices):
        yield from _outcomes(group, outcomes)


def _outcomes(group: Group, outcomes: list):
    return zip((item[:4] for item in group.items), outcomes)
