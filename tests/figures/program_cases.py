"""Small JAX functions, one or two per operation the page's runtime supports: the translator's test
cases, and (through make_program_fixtures.py) the fixtures that test live.js without JAX."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from explainer.models.nets import im2col3x3


def _w(*shape, seed=0):
    return jax.random.normal(jax.random.PRNGKey(seed), shape) / np.sqrt(shape[0])


W, B = _w(6, 12), _w(12, seed=1)
K2, KG, K1 = _w(3, 3, 2, 4, seed=2), _w(3, 3, 1, 4, seed=3), _w(3, 2, 3, seed=4)  # HWIO, grouped, WIO
CASES = {  # name: (function of x, input shape with batch 1)
    "dense": (lambda x: x @ W + B, (1, 6)),
    "dense, weights on the left": (lambda x: (W.T @ x.T).T, (1, 6)),
    "dot of two computed values": (lambda x: jnp.einsum("bij,bjk->bik", x, jnp.tanh(x).transpose(0, 2, 1)),
                                   (1, 3, 4)),
    "conv SAME": (lambda x: jax.lax.conv_general_dilated(
        x, K2, (1, 1), "SAME", dimension_numbers=("NHWC", "HWIO", "NHWC")), (1, 5, 5, 2)),
    "conv strided VALID NCHW": (lambda x: jax.lax.conv_general_dilated(
        x, K2.transpose(3, 2, 0, 1), (2, 2), "VALID"), (1, 2, 7, 6)),
    "conv transposed (lhs dilation)": (lambda x: jax.lax.conv_transpose(
        x, K2, (2, 2), "SAME", dimension_numbers=("NHWC", "HWIO", "NHWC")), (1, 3, 3, 2)),
    "conv dilated kernel": (lambda x: jax.lax.conv_general_dilated(
        x, K2, (1, 1), ((2, 1), (0, 2)), rhs_dilation=(2, 1), dimension_numbers=("NHWC", "HWIO", "NHWC")),
        (1, 6, 5, 2)),
    "conv grouped": (lambda x: jax.lax.conv_general_dilated(
        x, KG, (1, 1), "SAME", feature_group_count=2,
        dimension_numbers=("NHWC", "HWIO", "NHWC")), (1, 4, 4, 2)),
    "conv 1-D": (lambda x: jax.lax.conv_general_dilated(x, K1, (1,), "SAME",
                                                        dimension_numbers=("NWC", "WIO", "NWC")), (1, 7, 2)),
    "relu": (jax.nn.relu, (1, 9)), "gelu (tanh)": (jax.nn.gelu, (1, 9)),
    "gelu (erf)": (lambda x: jax.nn.gelu(x, approximate=False), (1, 9)),
    "tanh": (jnp.tanh, (1, 9)), "sigmoid": (jax.nn.sigmoid, (1, 9)), "softplus": (jax.nn.softplus, (1, 9)),
    "elu, leaky relu, silu": (lambda x: jax.nn.elu(x) + jax.nn.leaky_relu(x) + jax.nn.silu(x), (1, 9)),
    "exp, log, sqrt, rsqrt": (lambda x: jnp.exp(x) + jnp.log(x * x + 1) + jnp.sqrt(jnp.abs(x))
                              + jax.lax.rsqrt(x * x + 0.5), (1, 9)),
    "sin, cos, log1p, expm1": (lambda x: jnp.sin(x) * jnp.cos(x) + jnp.log1p(jnp.abs(x)) + jnp.expm1(x),
                               (1, 9)),
    "erf, erfc": (lambda x: jax.scipy.special.erf(x) + jax.scipy.special.erfc(x / 2), (1, 9)),
    "powers": (lambda x: x ** 3 + jnp.square(x) + jnp.abs(x) ** 1.5 + 2.0 ** x, (1, 9)),
    "sub, div, max, min, clip": (lambda x: jnp.clip((x - 0.3) / 1.7, -0.5, 0.5) + jnp.maximum(x, x[:, ::-1])
                                 - jnp.minimum(x, 0.2), (1, 9)),
    "where, comparisons": (lambda x: jnp.where(x > 0.1, x, -x) + (x <= 0) * 2.0 + jnp.where(x == x, 1.0, 0.0),
                           (1, 9)),
    "floor, sign, round": (lambda x: jnp.floor(x * 3) + jnp.sign(x) + jnp.round(x * 4) + jnp.trunc(x * 2.5),
                           (1, 9)),
    "broadcast bias over an image": (lambda x: x + B[:4][None, None, None, :] * jnp.ones((1, 3, 3, 4)),
                                     (1, 3, 3, 4)),
    "broadcast a vector": (lambda x: x[:, :, None] * jnp.arange(5.0)[None, None, :], (1, 4)),
    "reshape, transpose": (lambda x: x.reshape(1, 2, 3, 4).transpose(0, 3, 1, 2).reshape(1, 24) * 2, (1, 24)),
    "upsample by repeat": (lambda x: jnp.repeat(jnp.repeat(x, 2, axis=1), 2, axis=2), (1, 3, 3, 2)),
    "upsample nearest (resize)": (lambda x: jax.image.resize(x, (1, 6, 6, 2), "nearest"), (1, 3, 3, 2)),
    "upsample bilinear (resize)": (lambda x: jax.image.resize(x, (1, 6, 8, 2), "bilinear"), (1, 3, 4, 2)),
    "pad, slice, flip": (lambda x: jnp.pad(x, ((0, 0), (2, 1), (0, 3)))[:, 1:5:2, ::-1], (1, 3, 4)),
    "concatenate, split": (lambda x: jnp.concatenate(jnp.split(x, 3, axis=1)[::-1] + [x * 2], axis=1),
                           (1, 6)),
    "im2col 3×3 (conv_ae)": (im2col3x3, (1, 4, 4, 3)),
    "sum, mean, max, min": (lambda x: jnp.concatenate([x.sum(axis=1), x.mean(axis=2), x.max(axis=2),
                                                       x.mean(axis=(1, 2))[:, None], x.min(axis=1)], axis=1),
                            (1, 4, 4)),
    "average pool": (lambda x: x.reshape(1, 2, 2, 2, 2, 3).mean(axis=(2, 4)), (1, 4, 4, 3)),
    "layer norm": (lambda x: (x - x.mean(-1, keepdims=True)) * jax.lax.rsqrt(x.var(-1, keepdims=True) + 1e-5),
                   (1, 8)),
    "take with constant indices": (lambda x: jnp.take(x, jnp.array([3, 0, 0, 2]), axis=1), (1, 5, 2)),
    "identity": (lambda x: x, (1, 3)),
}


def inputs(shape, n=4, seed=0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((n, *shape[1:])).astype(np.float32)


def expected(fn, x) -> np.ndarray:
    """JAX's output, row by row as the page runs it, flattened per row."""
    return np.asarray(jax.jit(jax.vmap(lambda r: fn(r[None])[0]))(x)).reshape(len(x), -1)


def slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-").replace("--", "-")
