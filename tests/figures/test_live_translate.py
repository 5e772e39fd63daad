"""The jaxpr translator: for each supported operation, the op list run by the numpy reference
(program_run.py) and by live.js's interpreter (in V8, via mini-racer) matches JAX on random inputs
within 1e-5 in float32, before any quantization."""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")
import jax.numpy as jnp  # noqa: E402
from flax import nnx  # noqa: E402

from explainer.figures.jaxpr_export import export  # noqa: E402
from explainer.figures.live import encode  # noqa: E402
from explainer.figures.program_run import run  # noqa: E402
from tests.figures.live_js import LiveJS  # noqa: E402

TOL = 1e-5


def _w(*shape, seed=0):
    return jax.random.normal(jax.random.PRNGKey(seed), shape) / np.sqrt(shape[0])


W, B = _w(6, 12), _w(12, seed=1)
K2, KG, K1 = _w(3, 3, 2, 4, seed=2), _w(3, 3, 1, 4, seed=3), _w(3, 2, 3, seed=4)  # HWIO, grouped, WIO
CASES = {  # name: (function of x, input shape with batch 1)
    "dense": (lambda x: x @ W + B, (1, 6)),
    "dense, weights on the left": (lambda x: (W.T @ x.T).T, (1, 6)),
    "dot of two computed values": (lambda x: jnp.einsum("bij,bjk->bik", x, jnp.tanh(x).transpose(0, 2, 1)),
                                   (1, 3, 4)),
    "conv SAME": (lambda x: jax.lax.conv_general_dilated(x, K2, (1, 1), "SAME",
                                                         dimension_numbers=("NHWC", "HWIO", "NHWC")), (1, 5, 5, 2)),
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
    "sin, cos, log1p, expm1": (lambda x: jnp.sin(x) * jnp.cos(x) + jnp.log1p(jnp.abs(x)) + jnp.expm1(x), (1, 9)),
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
    "concatenate, split": (lambda x: jnp.concatenate(jnp.split(x, 3, axis=1)[::-1] + [x * 2], axis=1), (1, 6)),
    "im2col 3×3 (conv_ae)": (lambda x: __import__("explainer.models.nets", fromlist=["im2col3x3"]).im2col3x3(x),
                             (1, 4, 4, 3)),
    "sum, mean, max, min": (lambda x: jnp.concatenate([x.sum(axis=1), x.mean(axis=2), x.max(axis=2), x.mean(axis=(1, 2))[:, None],
                                                       x.min(axis=1)], axis=1), (1, 4, 4)),
    "average pool": (lambda x: x.reshape(1, 2, 2, 2, 2, 3).mean(axis=(2, 4)), (1, 4, 4, 3)),
    "layer norm": (lambda x: (x - x.mean(-1, keepdims=True)) * jax.lax.rsqrt(x.var(-1, keepdims=True) + 1e-5),
                   (1, 8)),
    "take with constant indices": (lambda x: jnp.take(x, jnp.array([3, 0, 0, 2]), axis=1), (1, 5, 2)),
    "identity": (lambda x: x, (1, 3)),
}


@pytest.fixture(scope="module")
def js():
    return LiveJS()


def _inputs(shape, n=4, seed=0):
    return np.random.default_rng(seed).standard_normal((n, *shape[1:])).astype(np.float32)


def check(program, fn, shape, js, n=4):
    """numpy reference and live.js, both against JAX, on n random inputs (float32 weights)."""
    x = _inputs(shape, n)
    expected = np.asarray(jax.jit(jax.vmap(lambda r: fn(r[None])[0]))(x)).reshape(n, -1)
    assert program.runs_in_page, program.missing
    np.testing.assert_allclose(run(program, x).reshape(n, -1), expected, atol=TOL, rtol=TOL)
    np.testing.assert_allclose(js.run(encode(program, "f32"), x), expected, atol=TOL, rtol=TOL)


@pytest.mark.parametrize("name", list(CASES))
def test_operation_matches_jax(name, js):
    fn, shape = CASES[name]
    program = export(lambda p, x: fn(x), {}, shape)
    check(program, fn, shape, js)


def test_folding_and_no_ops():
    """Constants are folded (a transposed weight ships transposed, not as a transpose op), identities
    vanish, and a bias broadcast over an image ships as the bias (one value per channel)."""
    b = jnp.arange(4.0)
    prog = export(lambda p, x: (x * 1.0 + 0.0) @ W.T.T + jnp.broadcast_to(B, (1, 12)), {}, (1, 6))
    assert [op["op"] for op in prog.ops] == ["matmul", "add"]
    prog = export(lambda p, x: x + jnp.ones((1, 3, 3, 1)) * b, {}, (1, 3, 3, 4))
    assert [c.shape for c in prog.consts] == [(1, 1, 1, 4)]
    prog = export(lambda p, x: jnp.maximum(x, 0.0).astype(jnp.float32), {}, (1, 3))
    assert [op["op"] for op in prog.ops] == ["relu"]


def test_unsupported_op_falls_back_to_jax_with_its_name_and_line():
    def decode(p, z):
        return jnp.sort(z @ p["w"], axis=-1)  # sort: not in the page's runtime

    params = {"w": _w(2, 5)}
    prog = export(decode, params, (1, 2))
    assert not prog.runs_in_page and "`sort`" in prog.missing
    assert "test_live_translate.py:" in prog.missing  # the line of the model code that used it
    z = _inputs((1, 2), 6)
    np.testing.assert_allclose(run(prog, z), np.asarray(decode(params, z)), atol=TOL)  # static images
    with pytest.raises(ValueError, match="sort"):
        encode(prog)


def test_program_survives_the_cache_format(tmp_path):
    from explainer.figures.program import Program

    fn, shape = CASES["conv transposed (lhs dilation)"]
    prog = export(lambda p, x: fn(x), {}, shape)
    back = Program.from_meta(prog.to_meta(), prog.consts)
    x = _inputs(shape)
    np.testing.assert_array_equal(run(back, x), run(prog, x))


class AuthorBetaVAE(nnx.Module):
    """What an author might write: a conv decoder with transposed convs, a LayerNorm and GELU."""

    def __init__(self, latent: int, *, rngs):
        self.fc = nnx.Linear(latent, 4 * 4 * 8, rngs=rngs)
        self.norm = nnx.LayerNorm(4 * 4 * 8, rngs=rngs)
        self.up1 = nnx.ConvTranspose(8, 8, (3, 3), strides=(2, 2), padding="SAME", rngs=rngs)
        self.up2 = nnx.Conv(8, 1, (3, 3), padding="SAME", rngs=rngs)

    def decode(self, z):  # (B, d) -> (B, 64)
        h = jax.nn.gelu(self.norm(self.fc(z))).reshape(-1, 4, 4, 8)
        h = jax.nn.relu(self.up1(h))  # (B, 8, 8, 8)
        return jax.nn.sigmoid(self.up2(h)).reshape(z.shape[0], 64)


class AuthorContractiveAE(nnx.Module):
    """A contractive AE's decoder is an MLP; its encoder ends in tanh."""

    def __init__(self, *, rngs):
        self.enc = nnx.Linear(64, 3, rngs=rngs)
        self.dec1, self.dec2 = nnx.Linear(3, 32, rngs=rngs), nnx.Linear(32, 64, rngs=rngs)

    def encode(self, x):
        return jnp.tanh(self.enc(x))

    def decode(self, z):
        return jax.nn.sigmoid(self.dec2(jax.nn.softplus(self.dec1(z))))


def _nonzero(state):  # fresh biases are zero; real trained ones are not
    return jax.tree.map(lambda a: a + 0.05 * jax.random.normal(jax.random.PRNGKey(a.size), a.shape), state)


@pytest.mark.parametrize("which", ["beta_vae", "contractive"])
def test_author_models_match_jax(which, js):
    model = AuthorBetaVAE(3, rngs=nnx.Rngs(0)) if which == "beta_vae" else AuthorContractiveAE(rngs=nnx.Rngs(0))
    graphdef, state = nnx.split(model)
    state = _nonzero(state)

    def decode(p, z):
        return nnx.merge(graphdef, p).decode(z)

    prog = export(decode, state, (1, 3))
    check(prog, lambda z: decode(state, z), (1, 3), js)
    if which == "contractive":
        enc = export(lambda p, x: nnx.merge(graphdef, p).encode(x), state, (1, 64))
        check(enc, lambda x: nnx.merge(graphdef, state).encode(x), (1, 64), js)
