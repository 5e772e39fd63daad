"""Whether this build was launched on several processes, and joining them (`jax.distributed`).

Recognised launches (`launch_env`):
- explicit: JAX_COORDINATOR_ADDRESS (host:port of process 0), JAX_NUM_PROCESSES and JAX_PROCESS_ID;
- SLURM (`srun`) or Open MPI (`mpirun`) with more than one task: jax reads the rest itself.
EXPLAINER_DISTRIBUTED=0 turns the detection off (a build run by one task of a larger job).

`device.configure` calls `start` right after jax's first import, before any computation, as
`jax.distributed.initialize` requires. What the processes then do together: models/distributed.py.
"""

from __future__ import annotations

import os
import sys


def launch_env() -> dict | None:
    """jax.distributed.initialize's arguments when this build was launched on several processes."""
    env = os.environ
    if env.get("EXPLAINER_DISTRIBUTED") == "0":  # inside a job that has several tasks for other uses
        return None
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
    if "SLURM_JOB_ID" in env and int(env.get("SLURM_STEP_NUM_TASKS", "1")) > 1:
        # a step started by srun with several tasks (a batch script's own step has one): jax's
        # SLURM detection fills in the coordinator, count and index
        return {}
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
    import jax

    return jax.distributed.is_initialized()  # initialize() raises when called twice


def active() -> bool:
    """Whether this process is one of several (started by `start`). Imports nothing new."""
    if "jax" not in sys.modules or launch_env() is None:
        return False
    import jax

    return _started() and jax.process_count() > 1
