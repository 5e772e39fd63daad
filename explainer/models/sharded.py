"""Where one training run's arrays live: on one device, or data-parallel over a mesh of devices.

A `Placement` is what `train.train_group` is handed: it puts the loop's state and the data where
they belong (`put`) and tells the loop how to lay out each step's batch (`batch_sharding`).

- `OneDevice`: everything on one device (a GPU of several, or a simulated CPU device); the loop
  is the same as with no placement at all.
- `BatchMesh`: data parallelism with `jax.sharding`. The devices form a one-axis mesh named
  "batch"; parameters, optimizer state and the (small) data set are replicated on every device,
  and inside the compiled step the gathered batch is constrained to be split along that axis.
  XLA's SPMD partitioner then runs each device's share of the forward and backward pass and
  inserts the all-reduce of the gradient itself: the program stays the one-device program, which
  is why it gives the one-device result within float rounding (the gradient's sum is taken in a
  different order). Random noise keeps its values under sharding because jax's threefry PRNG is
  partitionable (`jax_threefry_partitionable`, on by default in the jax versions this project needs).

The mesh is built from `jax.devices()`: on several hosts started with `jax.distributed` that is
every host's devices, and the same code trains over all of them (models/distributed.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .placement import PlacementError, shard_count

if TYPE_CHECKING:  # no jax import at run time until a placement is used
    from jax import Device
    from jax.sharding import Mesh

AXIS = "batch"


@dataclass(frozen=True)
class OneDevice:
    """Train on this one device."""

    device: Device

    batch_sharding = None
    n_devices = 1

    def put(self, tree):
        import jax

        return jax.device_put(tree, self.device)

    def describe(self) -> str:
        """"gpu 3 (NVIDIA H200)", "cpu 5": which of the devices, for the provenance and the log."""
        import jax

        from .device import describe

        name = describe(self.device)
        platform, _, kind = name.partition(" ")
        host = f" on host {self.device.process_index}" if jax.process_count() > 1 else ""
        return f"{platform} {self.device.id}" + (f" {kind}" if kind else "") + host


@dataclass(frozen=True)
class BatchMesh:
    """Train data-parallel: replicated state, each step's batch split over `mesh`'s one axis."""

    mesh: Mesh  # with the one axis AXIS

    @property
    def device(self):
        """This process's first device of the mesh: where eager work (initialisation) happens."""
        import jax

        return next(d for d in self.mesh.devices.flat if d.process_index == jax.process_index())

    @property
    def n_devices(self) -> int:
        return int(self.mesh.devices.size)

    @property
    def batch_sharding(self):
        from jax.sharding import NamedSharding, PartitionSpec

        return NamedSharding(self.mesh, PartitionSpec(AXIS))

    def put(self, tree):
        """Replicate a pytree of arrays over the mesh (parameters, optimizer state, data)."""
        import jax
        import numpy as np
        from jax.sharding import NamedSharding, PartitionSpec

        if jax.process_count() > 1:  # a global array from host values: every process holds the same
            tree = jax.tree.map(np.asarray, tree)
        return jax.device_put(tree, NamedSharding(self.mesh, PartitionSpec()))

    def describe(self) -> str:
        from .device import describe

        hosts = len({d.process_index for d in self.mesh.devices.flat})
        where = f" on {hosts} hosts" if hosts > 1 else ""
        return f"{describe(self.device)} ×{self.n_devices}{where} (data-parallel)"


def batch_mesh(devices) -> BatchMesh:
    import numpy as np
    from jax.sharding import Mesh

    return BatchMesh(Mesh(np.asarray(list(devices)), (AXIS,)))


def data_parallel(config, n_train: int, devices) -> BatchMesh:
    """The mesh a `large: true` experiment trains on: every device given, when its batch divides
    over them. A batch that does not divide is an error naming the sizes that would: padding the
    batch would change the loss the author wrote, and silently using fewer devices would hide it."""
    batch = min(config.batch_size, n_train)  # what loop.Program trains with
    devices = list(devices)
    shard_count(config, batch, len(devices))  # raises PlacementError
    return batch_mesh(devices)


__all__ = ["AXIS", "BatchMesh", "OneDevice", "PlacementError", "batch_mesh", "data_parallel"]
