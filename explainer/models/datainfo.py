"""What a model is told about its data, and its parameters as flat arrays (what the cache stores).

Kept apart from `protocol.py` so that the pure-function helpers (`purefn.py`) and the protocol can
both use them without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class DataInfo:
    """What a model is told about its data when it is built."""

    shape: tuple[int, ...]  # one example: (h, w) for images, (D,) for points
    latent_dim: int
    unit_range: bool  # every value in [0, 1]: pixels (a sigmoid output; BCE is possible)

    @property
    def size(self) -> int:  # D, the flat length of one example
        return int(np.prod(self.shape))

    @property
    def image_shape(self) -> tuple[int, int] | None:
        return tuple(self.shape) if len(self.shape) == 2 else None



def flat_params(state) -> dict[str, np.ndarray]:
    """An NNX state as {"encoder/layers/0/kernel": float32 array}: what the cache stores."""
    from flax import nnx

    flat = nnx.to_flat_state(state)
    return {"/".join(map(str, path)): np.asarray(var.get_value() if hasattr(var, "get_value") else var[...],
                                                 np.float32)
            for path, var in flat}


def nest(flat: dict[str, np.ndarray]) -> dict:
    """{"a/b/0": x} -> {"a": {"b": {"0": x}}} (NNX accepts digit strings for list indices)."""
    out: dict = {}
    for key, value in flat.items():
        node = out
        *parents, leaf = key.split("/")
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = value
    return out
