"""The networks, as Flax NNX modules. Shapes: B = batch, D = input size (64 for 8×8 digits), d = latent.

All autoencoders share one idea: squeeze each input through a code much smaller than itself and ask
for the input back. What differs is what they are asked to do with the code:

- `Autoencoder` (ae, dae, sparse_ae): an MLP encoder D → 128 → 64 → d and its mirror d → 64 → 128 → D.
  The denoising AE is the same net fed corrupted inputs (zoo/dae.py); the sparse AE is the same net
  with an L1 penalty on the code (zoo/sparse_ae.py). On data in [0, 1] the decoder ends
  in a sigmoid, so outputs are valid pixels; on 2-D point clouds it ends linear.
- `VAE`: the encoder outputs a Gaussian over codes (mean and log-variance), a code is *sampled* with
  the reparameterisation trick, and a KL term keeps the codes near a standard normal prior.
- `ConvAutoencoder`: 3×3 convolutions for images. Each conv is im2col + one matmul: XLA on the CPU
  runs `lax.conv`'s weight gradient 23–50× slower inside `lax.scan` than a plain matmul.

Decoders return *logits* (pre-sigmoid) where the output is a pixel, so the BCE loss can use the
numerically stable log-sigmoid form; `reconstruct` applies the sigmoid.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
from flax import nnx

from .result import DenseLayer

ACTIVATIONS = {"relu": jax.nn.relu, "tanh": jnp.tanh, "gelu": jax.nn.gelu, "linear": lambda x: x}


class MLP(nnx.Module):
    """Dense layers sizes[0] → … → sizes[-1]; `activation` between layers, none after the last."""

    def __init__(self, sizes, activation: str, *, rngs: nnx.Rngs):
        self.layers = nnx.List([nnx.Linear(a, b, rngs=rngs) for a, b in zip(sizes[:-1], sizes[1:])])
        self.activation = activation

    def __call__(self, x):  # (B, sizes[0]) -> (B, sizes[-1])
        act = ACTIVATIONS[self.activation]
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = act(x)
        return x

    def dense_layers(self, last_activation: str) -> tuple[DenseLayer, ...]:
        """The layers as float32 numpy (w, b, activation): what the browser's forward pass runs."""
        import numpy as np

        out = []
        for i, layer in enumerate(self.layers):
            act = self.activation if i < len(self.layers) - 1 else last_activation
            out.append(DenseLayer(np.asarray(layer.kernel[...], np.float32),
                                  np.asarray(layer.bias[...], np.float32), act))
        return tuple(out)


class Autoencoder(nnx.Module):
    def __init__(self, dim: int, latent: int, hidden, activation: str, pixels: bool, *, rngs: nnx.Rngs):
        self.encoder = MLP([dim, *hidden, latent], activation, rngs=rngs)  # code is linear
        self.decoder = MLP([latent, *reversed(hidden), dim], activation, rngs=rngs)
        self.pixels = pixels  # True: outputs are logits of pixels in [0, 1]

    def encode(self, x):  # (B, D) -> (B, d)
        return self.encoder(x)

    def decode_logits(self, z):  # (B, d) -> (B, D)
        return self.decoder(z)

    def reconstruct(self, x):  # (B, D) -> (B, D), in data units
        out = self.decode_logits(self.encode(x))
        return jax.nn.sigmoid(out) if self.pixels else out

    def export(self):
        return (self.encoder.dense_layers("linear"),
                self.decoder.dense_layers("sigmoid" if self.pixels else "linear"))


class VAE(nnx.Module):
    """q(z|x) = N(mean(x), exp(logvar(x))); p(x|z) Bernoulli (pixels) or Gaussian (points)."""

    def __init__(self, dim: int, latent: int, hidden, activation: str, pixels: bool, *, rngs: nnx.Rngs):
        self.trunk = MLP([dim, *hidden], activation, rngs=rngs)  # shared body of both heads
        feat = hidden[-1] if hidden else dim  # hidden=() gives a linear Gaussian encoder
        self.mean = nnx.Linear(feat, latent, rngs=rngs)
        self.logvar = nnx.Linear(feat, latent, rngs=rngs)
        self.decoder = MLP([latent, *reversed(hidden), dim], activation, rngs=rngs)
        self.activation = activation
        self.pixels = pixels

    def encode(self, x):  # (B, D) -> mean (B, d), logvar (B, d)
        h = self.trunk(x)  # (B, hidden[-1])
        if len(self.trunk.layers):
            h = ACTIVATIONS[self.activation](h)
        return self.mean(h), self.logvar(h)

    def sample(self, mean, logvar, key):  # reparameterisation: z = μ + σ·ε keeps z differentiable in μ, σ
        eps = jax.random.normal(key, mean.shape)  # (B, d)
        return mean + jnp.exp(0.5 * logvar) * eps

    def decode_logits(self, z):  # (B, d) -> (B, D)
        return self.decoder(z)

    def reconstruct(self, x):  # decode the mean code: the "typical" reconstruction
        out = self.decode_logits(self.encode(x)[0])
        return jax.nn.sigmoid(out) if self.pixels else out

    def export(self):
        trunk = self.trunk.dense_layers(self.activation)
        import numpy as np

        mean = DenseLayer(np.asarray(self.mean.kernel[...], np.float32),
                          np.asarray(self.mean.bias[...], np.float32), "linear")
        return trunk + (mean,), self.decoder.dense_layers("sigmoid" if self.pixels else "linear")


def im2col3x3(x):  # (B, H, W, C) -> (B, H, W, 9·C): each pixel's 3×3 neighbourhood, zero-padded
    h, w = x.shape[1], x.shape[2]
    p = jnp.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    return jnp.concatenate([p[:, i:i + h, j:j + w, :] for i in range(3) for j in range(3)], axis=-1)


class Conv3x3(nnx.Module):
    """A 'same' 3×3 convolution as one matmul over im2col patches (fast inside scan on the CPU)."""

    def __init__(self, cin: int, cout: int, *, rngs: nnx.Rngs):
        init = nnx.initializers.lecun_normal()
        self.kernel = nnx.Param(init(rngs.params(), (9 * cin, cout)))  # (9·cin, cout)
        self.bias = nnx.Param(jnp.zeros((cout,)))

    def __call__(self, x):  # (B, H, W, cin) -> (B, H, W, cout)
        return im2col3x3(x) @ self.kernel[...] + self.bias[...]


class ConvAutoencoder(nnx.Module):
    """conv3×3(16) → 2×2 average pool → conv3×3(32) → dense d; mirrored with nearest upsampling."""

    def __init__(self, image_shape, latent: int, activation: str, *, rngs: nnx.Rngs):
        h, w = image_shape
        self.image_shape = (h, w)
        flat = (h // 2) * (w // 2) * 32
        self.conv1 = Conv3x3(1, 16, rngs=rngs)
        self.conv2 = Conv3x3(16, 32, rngs=rngs)
        self.to_code = nnx.Linear(flat, latent, rngs=rngs)
        self.from_code = nnx.Linear(latent, flat, rngs=rngs)
        self.deconv1 = Conv3x3(32, 16, rngs=rngs)
        self.deconv2 = Conv3x3(16, 1, rngs=rngs)
        self.activation = activation
        self.pixels = True

    def encode(self, x):  # (B, h·w) -> (B, d)
        act = ACTIVATIONS[self.activation]
        h, w = self.image_shape
        x = x.reshape(-1, h, w, 1)
        x = act(self.conv1(x))  # (B, h, w, 16)
        x = x.reshape(-1, h // 2, 2, w // 2, 2, 16).mean(axis=(2, 4))  # (B, h/2, w/2, 16)
        x = act(self.conv2(x))  # (B, h/2, w/2, 32)
        return self.to_code(x.reshape(x.shape[0], -1))

    def decode_logits(self, z):  # (B, d) -> (B, h·w)
        act = ACTIVATIONS[self.activation]
        h, w = self.image_shape
        x = act(self.from_code(z)).reshape(-1, h // 2, w // 2, 32)
        x = act(self.deconv1(x))  # (B, h/2, w/2, 16)
        x = jnp.repeat(jnp.repeat(x, 2, axis=1), 2, axis=2)  # nearest upsampling: (B, h, w, 16)
        return self.deconv2(x).reshape(x.shape[0], h * w)

    def reconstruct(self, x):
        return jax.nn.sigmoid(self.decode_logits(self.encode(x)))

    def export(self):
        return None, None  # no MLP form for the browser
