"""A tiny author model and data loader, written into a temporary content folder by the tests."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import write

# A small VAE-like MLP with a prior and a corruption, so that every view applies to it.
TINY_MODEL = '''
"""A tiny model for the tests."""

from dataclasses import dataclass, field
from typing import Literal

import jax
import jax.numpy as jnp
from flax import nnx

from ._layers import Dense


@dataclass(frozen=True)
class Hyper:
    steps: int = 40
    learning_rate: float = 0.01
    width: int = field(default=8, metadata={"min": 2, "max": 64, "help": "hidden width"})
    beta: float = field(default=0.5, metadata={"min": 0, "max": 10})
    act: Literal["tanh", "relu"] = "tanh"


class Tiny(nnx.Module):
    prior = "normal"
    title = "Tiny"

    def __init__(self, hp: Hyper, data, *, rngs: nnx.Rngs):
        self.shape = tuple(data.shape)
        self.beta = hp.beta
        self.enc = Dense(data.size, hp.width, rngs)
        self.to_z = nnx.Linear(hp.width, data.latent_dim, rngs=rngs)
        self.dec = nnx.Linear(data.latent_dim, hp.width, rngs=rngs)
        self.out = nnx.Linear(hp.width, data.size, rngs=rngs)

    def encode(self, x):
        return self.to_z(jnp.tanh(self.enc(x.reshape(x.shape[0], -1))))

    def decode(self, z):
        return jax.nn.sigmoid(self.out(jnp.tanh(self.dec(z)))).reshape(z.shape[0], *self.shape)

    def corrupt(self, x, key):
        return x + 0.2 * jax.random.normal(key, x.shape)

    def loss(self, x, key):
        z = self.encode(self.corrupt(x, key))
        return jnp.mean((self.decode(z) - x) ** 2) + self.beta * 1e-3 * jnp.mean(z**2)
'''

LAYERS = '''
from flax import nnx


def Dense(n_in, n_out, rngs):
    return nnx.Linear(n_in, n_out, rngs=rngs)
'''

# Reads a file next to it, as a loader may: the cache must follow that file too.
LOADER = '''
"""Tiny images: a bright column at a random place."""

from pathlib import Path

import numpy as np


def load():
    scale = float((Path(__file__).parent / "scale.txt").read_text())
    rng = np.random.default_rng(0)
    col = rng.integers(0, 6, 120)
    x = np.zeros((120, 6, 6), np.float32)
    x[np.arange(120), :, col] = scale
    return x, col % 3
'''


def tiny_content(root: Path) -> Path:
    """Writes models/tiny.py (+ its helper), data/columns.py (+ the file it reads); returns root."""
    write(root / "models" / "tiny.py", TINY_MODEL)
    write(root / "models" / "_layers.py", LAYERS)
    write(root / "data" / "columns.py", LOADER)
    write(root / "data" / "scale.txt", "1.0\n")
    return root
