"""A build on several hosts: `jax.distributed`, one process per host, process 0 the build.

Launched on N processes (below), every process starts jax's distributed runtime before jax's first
computation (`device.configure` calls `start`), after which `jax.devices()` lists every host's
devices. Process 0 runs the build as usual. The others run `serve_training`: they build nothing,
write nothing, and wait for process 0 to `announce` each `large: true` experiment; then all
processes run that experiment's programs together, data-parallel over the global mesh
(sharded.py), each from the same data (every process loads the content itself, deterministically).
Only process 0 keeps the result, writes the training cache and the site. At the end of the build it
announces "done" (`finish`) and the others exit with status 0.

How a launch is recognised and started: models/launch.py.

Experiments not marked large train on process 0's devices only (device_pool.py); spreading them
over the other hosts would need their results sent back, which is not done.
"""

from __future__ import annotations

import json

from .launch import active, launch_env, process_index_from_env

__all__ = ["active", "announce", "finish", "launch_env", "process_index_from_env", "serve_training"]

_DONE = "done"


def _broadcast(message: dict | None) -> dict:
    """Process 0's message to every process (the others pass None), as bytes over a collective."""
    import jax
    import numpy as np
    from jax.experimental import multihost_utils

    payload = np.frombuffer(json.dumps(message).encode(), np.uint8) if jax.process_index() == 0 else None
    size = multihost_utils.broadcast_one_to_all(np.int32(0 if payload is None else payload.size))
    if payload is None:
        payload = np.zeros(int(size), np.uint8)
    data = multihost_utils.broadcast_one_to_all(payload)
    return json.loads(np.asarray(data, np.uint8).tobytes().decode())


def announce(configs) -> None:
    """Process 0: tell the other processes which experiment to train with it next (no-op alone)."""
    if active():
        _broadcast({"train": [c.to_dict() | {"large": c.large} for c in configs]})


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


def serve_training(content_dir, cache_dir, device: str | None, log=print) -> int:
    """Processes other than 0: train what process 0 announces, together with it, until "done"."""
    from pathlib import Path

    from ..base.errors import ExplainerError
    from .authored_data import load_any
    from .device import configure
    from .experiments import ExperimentConfig
    from .sharded import data_parallel
    from .table import tables_for
    from .train import train_group

    jax = configure(device, Path(cache_dir) / "models")
    tables = tables_for(Path(content_dir))
    log(f"process {jax.process_index()} of {jax.process_count()}: training with process 0")
    while True:
        message = _broadcast(None)
        if message.get(_DONE):
            jax.distributed.shutdown()
            return 0
        configs = [ExperimentConfig.from_dict(d).resolved(tables) for d in message["train"]]
        data = load_any(configs[0], Path(content_dir))
        try:  # the result is process 0's to keep
            mesh = data_parallel(configs[0], len(data.x_train), jax.devices())
            train_group(configs, data, device=device, spec=configs[0].spec(tables), placement=mesh)
        except ExplainerError:  # process 0 meets the same error and reports it
            pass
