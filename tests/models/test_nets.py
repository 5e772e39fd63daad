"""Network shapes, the im2col convolution, and export to browser layers."""

import numpy as np
import pytest

jax = pytest.importorskip("jax")
pytestmark = pytest.mark.slow  # every test here compiles and runs JAX models
import jax.numpy as jnp  # noqa: E402

from explainer.models import nets  # noqa: E402
from explainer.models.experiments import ExperimentConfig  # noqa: E402
from explainer.models.protocol import DataInfo  # noqa: E402


def build(cfg, shape, pixels, seed=0):
    return cfg.spec().build(cfg, DataInfo(shape, cfg.latent_dim, pixels), seed)


@pytest.mark.parametrize("model", ["ae", "dae", "sparse_ae", "vae"])
def test_mlp_models_shapes_and_export(model):
    cfg = ExperimentConfig(model, latent_dim=3, hidden=(16, 8)).resolved()
    net = build(cfg, (8, 8), True, seed=0)
    x = jnp.ones((5, 64)) * 0.5
    z = net.encode(x)
    z = z[0] if isinstance(z, tuple) else z
    assert z.shape == (5, 3)
    recon = net.reconstruct(x)
    assert recon.shape == (5, 64) and float(recon.min()) >= 0 and float(recon.max()) <= 1
    encoder, decoder = net.export()
    assert [layer.w.shape for layer in encoder] == [(64, 16), (16, 8), (8, 3)]
    assert [layer.w.shape for layer in decoder] == [(3, 8), (8, 16), (16, 64)]
    assert decoder[-1].activation == "sigmoid" and encoder[-1].activation == "linear"
    assert all(layer.w.dtype == np.float32 for layer in encoder + decoder)


def test_exported_layers_reproduce_the_model():
    """The browser runs the exported layers; they must compute what the trained net computes."""
    cfg = ExperimentConfig("vae", latent_dim=2, hidden=(16,)).resolved()
    net = build(cfg, (8, 8), True, seed=1)
    x = np.random.default_rng(0).random((4, 64)).astype(np.float32)
    encoder, decoder = net.export()
    acts = {"relu": lambda v: np.maximum(v, 0), "linear": lambda v: v, "sigmoid": lambda v: 1 / (1 + np.exp(-v))}
    h = x
    for layer in encoder:
        h = acts[layer.activation](h @ layer.w + layer.b)
    np.testing.assert_allclose(h, np.asarray(net.encode(x)[0]), atol=1e-5)
    for layer in decoder:
        h = acts[layer.activation](h @ layer.w + layer.b)
    np.testing.assert_allclose(h, np.asarray(net.reconstruct(x)), atol=1e-5)


def test_point_data_decoder_is_linear():
    cfg = ExperimentConfig("ae", dataset="moons", latent_dim=1, hidden=(8,)).resolved()
    net = build(cfg, (2,), False, seed=0)
    assert net.export()[1][-1].activation == "linear"


def test_im2col_conv_matches_lax_conv():
    conv = nets.Conv3x3(2, 4, rngs=nets.nnx.Rngs(0))
    x = jax.random.normal(jax.random.PRNGKey(0), (2, 6, 6, 2))
    kernel = conv.kernel[...].reshape(3, 3, 2, 4)  # patch order: (row, col, channel)
    ref = jax.lax.conv_general_dilated(x, kernel, (1, 1), "SAME", dimension_numbers=("NHWC", "HWIO", "NHWC"))
    np.testing.assert_allclose(np.asarray(conv(x)), np.asarray(ref + conv.bias[...]), atol=1e-5)


def test_conv_autoencoder_shapes():
    cfg = ExperimentConfig("conv_ae", latent_dim=4).resolved()
    net = build(cfg, (8, 8), True, seed=0)
    x = jnp.zeros((3, 64))
    assert net.encode(x).shape == (3, 4)
    assert net.reconstruct(x).shape == (3, 64)
    assert net.export() == (None, None)


@pytest.mark.parametrize("model", ["ae", "dae", "sparse_ae", "vae", "conv_ae"])
def test_protocol_speaks_data_shaped_arrays(model):
    """Every built-in model through the protocol: x (B, h, w) -> z (B, d) -> x (B, h, w), and a
    scalar loss; the decoder as a pure function of its parameters gives the same images."""
    cfg = ExperimentConfig(model, latent_dim=3).resolved()
    spec, info = cfg.spec(), DataInfo((8, 8), 3, True)
    net = spec.build(cfg, info, 0)
    x = jnp.full((5, 8, 8), 0.5)
    z = spec.encode(net, x)
    out = spec.decode(net, z)
    assert z.shape == (5, 3) and out.shape == (5, 8, 8)
    assert spec.loss(net, x, jax.random.PRNGKey(0), cfg, info).shape == ()


@pytest.mark.slow
@pytest.mark.parametrize("model", ["ae", "dae", "sparse_ae", "vae", "conv_ae"])
def test_decode_fn_is_the_model_as_a_pure_function(model):
    """The interface of the jaxpr exporter: decode(params, z) computes what the module's decode does,
    and params hold only the decoder's weights."""
    from flax import nnx

    from explainer.models.protocol import flat_params
    from explainer.models.purefn import PartialResult, pure_fn

    cfg = ExperimentConfig(model, latent_dim=3).resolved()
    spec, info = cfg.spec(), DataInfo((8, 8), 3, True)
    net = spec.build(cfg, info, 0)
    stub = PartialResult(cfg, flat_params(nnx.split(net)[1]), (8, 8), 3, True)
    decode, params = pure_fn(spec, stub, "decode")
    z = jax.random.normal(jax.random.PRNGKey(1), (4, 3))
    np.testing.assert_allclose(np.asarray(decode(params, z)), np.asarray(spec.decode(net, z)), atol=1e-6)
    names = jax.tree_util.tree_flatten_with_path(params)[0]
    assert not any("enc" in jax.tree_util.keystr(path) or "trunk" in jax.tree_util.keystr(path)
                   for path, _ in names)
    jaxpr = jax.make_jaxpr(decode)(params, z)
    assert len(jaxpr.jaxpr.invars) == len(names) + 1
