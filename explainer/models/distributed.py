"""A build on several hosts: `jax.distributed`, one process per host, process 0 the build.

Launched on N processes (below), every process starts jax's distributed runtime before jax's first
computation (`device.configure` calls `start`), after which `jax.devices()` lists every host's
devices. Process 0 runs the build as usual. The others run `serve_training`: they build nothing,
write nothing, and wait for process 0 to `announce` each `large: true` experiment; then all
processes run that experiment's programs together, data-parallel over the global mesh
(sharded.py), each from the same data (every process loads the content itself, deterministically).
Only process 0 keeps the result, writes the training cache and the site. At the end of the build it
announces "done" (`finish`) and the others exit with status 0.

How a launch is recognised (`launch_env`):
- explicit: JAX_COORDINATOR_ADDRESS (host:port of process 0), JAX_NUM_PROCESSES and JAX_PROCESS_ID;
- SLURM (`srun`) or Open MPI (`mpirun`) with more than one task: jax reads the rest itself.

Experiments not marked large train on process 0's devices only (device_pool.py); spreading them
over the other hosts would need their results sent back, which is not done.
"""

from __future__ import annotations

import json
import os

_DONE = "done"


def launch_env() -> dict | None:
    """jax.distributed.initialize's arguments when this build was launched on several processes."""
    env = os.environ
    if env.get("JAX_COORDINATOR_ADDRESS") and env.get("JAX_NUM_PROCESSES"):
        count, index = int(env["JAX_NUM_PROCESSES"]), int(env.get("JAX_PROCESS_ID", "-1"))
        if count <= 1:
            return None
        if not 0 <= index < count:
            from ..base.errors import ExplainerError
            raise ExplainerError(f"JAX_NUM_PROCESSES={count} needs JAX_PROCESS_ID set to 0 … {count - 1} "
                                 "on each process (0 on the one that builds the site)")
        return {"coordinator_address": env["JAX_COORDINATOR_ADDRESS"], "num_processes": count,
                "process_id": index}
    if "SLURM_JOB_ID" in env and int(env.get("SLURM_NTASKS", "1")) > 1:
        return {}  # jax's own SLURM detection fills in the coordinator, count and index
    if int(env.get("OMPI_COMM_WORLD_SIZE", "1")) > 1:
        return {}  # likewise for Open MPI
    return None


def process_index_from_env() -> int:
    """This process's index, read before jax starts (the CLI decides build or helper from it)."""
    env = os.environ
    for name in ("JAX_PROCESS_ID", "SLURM_PROCID", "OMPI_COMM_WORLD_RANK"):
        if env.get(name, "").isdigit():
            return int(env[name])
    return 0


def start() -> bool:
    """Start jax's distributed runtime once, if this build was launched that way. Must run before
    jax computes anything (device.configure calls it). True when several processes take part."""
    import jax

    args = launch_env()
    if args is None:
        return False
    if not _started():
        jax.distributed.initialize(**args)
    return jax.process_count() > 1


def _started() -> bool:
    from jax._src import distributed as state  # the runtime's own record: initialize() raises when called twice

    return state.global_state.client is not None


def active() -> bool:
    """Whether this process is one of several (started by `start`). Imports nothing new."""
    import sys

    if "jax" not in sys.modules or launch_env() is None:
        return False
    import jax

    return _started() and jax.process_count() > 1


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
