"""A linear autoencoder: one matrix in, one matrix out, no activation anywhere (not even a sigmoid on
the output), trained by gradient descent on squared error.

Theory says it can do no better than PCA with the same number of components, and that gradient
descent finds PCA's subspace (Baldi & Hornik, 1989). This model is here to check that on the
digits: its test error should come out at PCA's, not below.

`experiment: {model: linear_ae, latent_dim: 8}`
"""

from dataclasses import dataclass, field

import jax.numpy as jnp
from flax import nnx


@dataclass(frozen=True)
class Hyper:
    # Options named like common ones set this model's defaults for them.
    steps: int = 6000
    learning_rate: float = 3e-3
    # This model's own option, checked in every figure's YAML.
    centre: bool = field(default=True, metadata={"help": "subtract the training mean first, as PCA does"})


class LinearAE(nnx.Module):
    title = "Linear AE"  # how figures and the build log name it

    def __init__(self, hp: Hyper, data, *, rngs: nnx.Rngs):
        # data.shape: one example's shape, data.size: its number of values, data.latent_dim: d
        self.shape = tuple(data.shape)
        self.encoder = nnx.Linear(data.size, data.latent_dim, use_bias=False, rngs=rngs)  # W_e: D -> d
        self.decoder = nnx.Linear(data.latent_dim, data.size, use_bias=False, rngs=rngs)  # W_d: d -> D
        # The data mean, learned like any weight: PCA centres the data, so the model may too.
        self.centre = hp.centre
        self.mean = nnx.Param(jnp.zeros((data.size,)))  # (D,)

    def _centre(self, flat):
        return flat - self.mean[...] if self.centre else flat

    def encode(self, x):  # (B, *shape) -> (B, d)
        return self.encoder(self._centre(x.reshape(x.shape[0], -1)))

    def decode(self, z):  # (B, d) -> (B, *shape): a linear map, nothing else
        out = self.decoder(z) + self.mean[...] if self.centre else self.decoder(z)
        return out.reshape(z.shape[0], *self.shape)

    def loss(self, x, key):  # mean squared error per value; key unused (nothing random here)
        return jnp.mean((self.decode(self.encode(x)) - x) ** 2)
