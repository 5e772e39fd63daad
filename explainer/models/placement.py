"""Which pending experiment trains on which device: a plan, made before anything runs.

With several accelerators visible, every experiment that missed the cache is placed before any
trains:

1. Grouped by shape: experiments that differ only in seed become one group, trained as one vmapped
   program (as on one GPU). An experiment marked `large: true` is a group of its own: it trains
   data-parallel over every device (sharded.py), before the others.
2. Costed: parameters × steps × batch × members, the work of the group's training steps.
3. Given lanes: a device holds as many groups at once as its free memory allows for the largest
   group (`slots_per_device`; at most MAX_SLOTS), one when the backend reports no memory (the
   CPU). Each lane is one host thread that trains its groups one after another.
4. Assigned longest first to the least loaded lane (LPT scheduling: the last lane to finish is
   never the one that took a long group last).

No jax here: the plan is plain data, tested without compiling anything; models/device_pool.py
runs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..base.errors import ExplainerError
from .training_error import TrainingError

MAX_SLOTS = 4  # concurrent groups per device: more only queue behind each other on the device
DEFAULT_FREE = None  # bytes free on a device whose backend reports no memory stats: one slot


class PlacementError(TrainingError):
    """An experiment that cannot be placed as asked (a batch that does not split over the devices).

    A TrainingError, so the build reports it at the lines of the figures that use the experiment."""

    def __init__(self, config, message: str):
        self.config, self.step, self.message = config, 0, message
        ExplainerError.__init__(self, message)

    def __reduce__(self):  # picklable across worker processes, like TrainingError
        return (PlacementError, (self.config, self.message))


def shard_count(config, batch: int, n_devices: int) -> int:
    """The number of shards a `large: true` batch splits into: every device; else PlacementError."""
    if batch % n_devices == 0:
        return n_devices
    lower, upper = batch // n_devices * n_devices, (batch // n_devices + 1) * n_devices
    sizes = " or ".join(str(b) for b in (lower, upper) if b > 0)
    raise PlacementError(config, f"{config.label()} has `large: true`, which splits each batch of {batch} "
                                 f"examples over the {n_devices} devices here, and {batch} does not divide by "
                                 f"{n_devices}: set batch_size to a multiple of {n_devices} ({sizes}), or "
                                 "remove `large: true`")


@dataclass
class Group:
    """Experiments trained as one program: `items` are the runner's (config, key, parts, why, spec)."""

    items: list
    large: bool = False
    cost: float = 0.0
    need: int = 0  # bytes of device memory the group's program holds (an estimate)

    @property
    def configs(self) -> list:
        return [item[0] for item in self.items]


@dataclass
class Lane:
    """One host thread on one device: trains its groups one after another."""

    device: int  # index into the device list
    slot: int
    groups: list = field(default_factory=list)
    load: float = 0.0


def group_by_shape(nets) -> list[Group]:
    """Seed-only siblings together (in first-seen order); each `large: true` experiment alone."""
    groups: dict = {}
    out: list[Group] = []
    for item in nets:
        config = item[0]
        if getattr(config, "large", False):
            out.append(Group([item], large=True))
            continue
        shape = replace(config, seed=0)
        if shape not in groups:
            groups[shape] = Group([])
            out.append(groups[shape])
        groups[shape].items.append(item)
    return out


def estimate(group: Group, n_params: int, data_bytes: int) -> Group:
    """Fill in the group's cost and memory need from its parameter count and data size.

    Memory: float32 parameters, their Adam moments, the moving average, the kept best and the
    gradient (6 copies) per member, the data set once, and the batch's activations, bounded by
    the parameter count again; doubled as a margin for XLA's temporaries."""
    config = group.items[0][0]
    members = len(group.items)
    steps, batch = max(int(config.steps or 1), 1), max(int(config.batch_size or 1), 1)
    group.cost = float(n_params) * steps * batch * members
    group.need = 2 * (4 * members * 7 * int(n_params) + int(data_bytes))
    return group


def slots_per_device(free_bytes: int | None, largest_need: int) -> int:
    """Groups one device holds at once: what its free memory fits, 1 when unknown, MAX_SLOTS at most."""
    if not free_bytes or largest_need <= 0:
        return 1
    return max(1, min(MAX_SLOTS, int(free_bytes // largest_need)))


def assign(groups: list[Group], n_devices: int, slots: list[int]) -> list[Lane]:
    """Longest group first onto the lane with the least work so far (ties: the lower device)."""
    lanes = [Lane(d, s) for s in range(max(slots)) for d in range(n_devices) if s < slots[d]]
    for group in sorted(groups, key=lambda g: -g.cost):  # stable: equal costs keep their order
        lane = min(lanes, key=lambda lane: (lane.load, lane.slot, lane.device))
        lane.groups.append(group)
        lane.load += group.cost
    return [lane for lane in lanes if lane.groups]
