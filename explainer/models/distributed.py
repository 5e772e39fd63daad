"""A build on several hosts: `jax.distributed`, one process per host, process 0 the build.

Launched on N processes (below), every process starts jax's distributed runtime before jax's first
computation (`device.configure` calls `start`), after which `jax.devices()` lists every host's
devices. Process 0 runs the build as usual. The others run `serve_training`: they build nothing,
write nothing, and do what process 0 announces, from the same data (every process loads the
content itself, deterministically):

- "train": a `large: true` experiment; all processes run its programs together, data-parallel over
  the global mesh (sharded.py). Process 0 keeps the result.
- "place": the other experiments, in groups (placement.py). Every process makes the same plan over
  every host's devices, trains the lanes on its own devices, and sends what it trained to process
  0 (result_wire.py), one group at a time in the plan's order.
- "done": the build is over (`finish`, whatever its outcome); the others exit with status 0.

Only process 0 writes the training cache and the site. Messages and results travel as bytes over
jax's own collectives (`multihost_utils.broadcast_one_to_all`), so nothing but jax is needed.
How a launch is recognised and started: models/launch.py.
"""

from __future__ import annotations

import json

from .launch import active, launch_env, process_index_from_env

__all__ = ["active", "announce", "finish", "launch_env", "process_index_from_env", "serve_training"]

_DONE = "done"


def _send(payload: bytes | None, source: int) -> bytes:
    """`payload` of process `source` to every process (the others pass None)."""
    import jax
    import numpy as np
    from jax.experimental import multihost_utils

    mine = jax.process_index() == source
    size = multihost_utils.broadcast_one_to_all(np.int32(len(payload) if mine and payload else 0), is_source=mine)
    buf = np.frombuffer(payload, np.uint8) if mine and payload else np.zeros(int(size), np.uint8)
    return np.asarray(multihost_utils.broadcast_one_to_all(buf, is_source=mine), np.uint8).tobytes()


def _broadcast(message: dict | None) -> dict:
    """Process 0's message to every process (the others pass None)."""
    return json.loads(_send(json.dumps(message).encode() if message is not None else None, 0).decode())


def _wire(config) -> dict:
    return config.to_dict() | {"large": config.large}


def announce(configs) -> None:
    """Process 0: tell the other processes which experiment to train with it next (no-op alone)."""
    if active():
        _broadcast({"train": [_wire(c) for c in configs]})


def spread(groups, datasets: dict, device, progress) -> list:
    """Process 0: train `groups` over every host's devices; [(group, outcomes)] in plan order."""
    _broadcast({"place": [{"configs": [_wire(c) for c in g.configs]} for g in groups]})
    return _place_everywhere(groups, datasets, device, progress)


def _place_everywhere(groups, datasets: dict, device, progress) -> list:
    """Every process: the same plan over the global devices (one slot each: another host's free
    memory is not known here), its own lanes trained, then each group's outcomes sent from the
    process that trained it to process 0."""
    import jax

    from .device import default_device
    from .lanes import plan_lanes, run_lanes
    from .result_wire import pack, unpack

    me = jax.process_index()
    devices = _across_hosts(jax.devices(default_device(device).platform))
    lanes = plan_lanes(groups, datasets, devices, slots=[1] * len(devices))
    mine = [lane for lane in lanes if devices[lane.device].process_index == me]
    local = {id(g): outcomes for g, outcomes in run_lanes(mine, datasets, device, progress, devices)}
    out = []
    for lane in lanes:
        owner = devices[lane.device].process_index
        for group in lane.groups:
            data = _send(pack(local[id(group)]) if owner == me else None, owner) if owner != 0 else b""
            if me == 0:
                out.append((group, local[id(group)] if owner == 0 else unpack(data, group.configs)))
    return out


def finish(device: str | None = None) -> None:
    """Process 0, at the end of its build: release the other processes; start the runtime first if
    nothing was trained (they are waiting for it to connect)."""
    if launch_env() is None:
        return
    from .device import configure

    configure(device)  # starts the distributed runtime if no training did
    _broadcast({_DONE: True})
    import jax

    jax.distributed.shutdown()


def _across_hosts(devices) -> list:
    """Each host's first device, then each host's second, …: the plan's first lanes (the longest
    groups) go to different hosts."""
    count: dict[int, int] = {}
    keyed = []
    for d in devices:
        nth = count[d.process_index] = count.get(d.process_index, -1) + 1  # d is its host's nth device
        keyed.append((nth, d.process_index, d))
    return [d for _, _, d in sorted(keyed, key=lambda t: t[:2])]


def serve_training(content_dir, cache_dir, device: str | None, log=print) -> int:
    """Processes other than 0: do what process 0 announces, together with it, until "done"."""
    from pathlib import Path

    from .authored_data import load_any
    from .device import configure
    from .experiments import ExperimentConfig
    from .placement import Group
    from .table import tables_for

    jax = configure(device, Path(cache_dir) / "models")
    content_dir = Path(content_dir)
    tables = tables_for(content_dir)
    log(f"process {jax.process_index()} of {jax.process_count()}: training with process 0")

    def group_of(wired: list) -> Group:
        configs = [ExperimentConfig.from_dict(d).resolved(tables) for d in wired]
        return Group([(c, None, None, None, c.spec(tables)) for c in configs], large=configs[0].large)

    while True:
        message = _broadcast(None)
        if message.get(_DONE):
            jax.distributed.shutdown()
            return 0
        if "train" in message:
            _train_large_here(group_of(message["train"]), load_any, content_dir, device)
        else:
            groups = [group_of(g["configs"]) for g in message["place"]]
            _place_everywhere(groups, {id(g): load_any(g.configs[0], content_dir) for g in groups}, device, None)


def _train_large_here(group, load_any, content_dir, device) -> None:
    import jax

    from ..base.errors import ExplainerError
    from .sharded import data_parallel
    from .train import train_group

    data = load_any(group.configs[0], content_dir)
    try:  # the result is process 0's to keep
        mesh = data_parallel(group.configs[0], len(data.x_train), jax.devices())
        train_group(group.configs, data, device=device, spec=group.items[0][4], placement=mesh)
    except ExplainerError:  # process 0 meets the same error and reports it
        pass
