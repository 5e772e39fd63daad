"""A contractive autoencoder: an autoencoder asked to be *insensitive* to its input.

The loss is the reconstruction error plus λ‖∂z/∂x‖², the squared size of the encoder's Jacobian:
how much the code moves when the pixels move. A small Jacobian everywhere would ignore the input;
reconstruction forbids that along the directions the data actually vary. So the code follows the
data's manifold (here: where the blob is) and shrugs off every other direction (here: noise).

This file is all explainer needs: the options a figure may set (`Hyper`), and a Flax NNX module
with encode, decode and loss. `experiment: {model: contractive_ae, contraction: 0.5}`.
"""

from dataclasses import dataclass, field

import jax
import jax.numpy as jnp
from flax import nnx


@dataclass(frozen=True)
class Hyper:
    # Options named like the common ones set this model's defaults for them.
    latent_dim: int = 2
    steps: int = 3000
    learning_rate: float = 1e-2
    # This model's own options: type, default and range are checked in every figure's YAML.
    hidden: int = field(default=64, metadata={"min": 4, "max": 1024, "help": "width of the hidden layers"})
    contraction: float = field(default=0.01, metadata={"min": 0, "max": 10, "help": "λ, weight of ‖∂z/∂x‖²"})


class ContractiveAE(nnx.Module):
    title = "Contractive AE"  # how figures and the build log name it

    def __init__(self, hp: Hyper, data, *, rngs: nnx.Rngs):
        # data.shape: one example, (h, w) for images; data.size: h·w; data.latent_dim: the code size
        self.shape = tuple(data.shape)
        self.contraction = hp.contraction
        self.enc1 = nnx.Linear(data.size, hp.hidden, rngs=rngs)
        self.enc2 = nnx.Linear(hp.hidden, data.latent_dim, rngs=rngs)
        self.dec1 = nnx.Linear(data.latent_dim, hp.hidden, rngs=rngs)
        self.dec2 = nnx.Linear(hp.hidden, data.size, rngs=rngs)

    def encode(self, x):  # (B, h, w) -> (B, d)
        h = jnp.tanh(self.enc1(x.reshape(x.shape[0], -1)))  # (B, hidden)
        return self.enc2(h)

    def decode(self, z):  # (B, d) -> (B, h, w), pixels in [0, 1]
        h = jnp.tanh(self.dec1(z))
        return jax.nn.sigmoid(self.dec2(h)).reshape(z.shape[0], *self.shape)

    def loss(self, x, key):  # x: (B, h, w); key unused (nothing random here)
        reconstruction = jnp.mean((self.decode(self.encode(x)) - x) ** 2)

        def code_of(pixels):  # one example's pixels (h·w,) -> its code (d,)
            return self.encode(pixels[None])[0]

        # ∂z/∂x for every example: (B, d, h·w). jacrev costs one backward pass per code unit (d = 2).
        jacobian = jax.vmap(jax.jacrev(code_of))(x.reshape(x.shape[0], -1))
        return reconstruction + self.contraction * jnp.mean(jnp.sum(jacobian**2, axis=(1, 2)))

    def metrics(self, x):  # reported with the test scores: how contractive did it get?
        jacobian = jax.vmap(jax.jacrev(lambda p: self.encode(p[None])[0]))(x.reshape(x.shape[0], -1))
        return {"jacobian_norm": jnp.mean(jnp.sqrt(jnp.sum(jacobian**2, axis=(1, 2))))}
