"""Network shapes, the im2col convolution, and export to browser layers."""

import numpy as np
import pytest

jax = pytest.importorskip("jax")
pytestmark = pytest.mark.slow  # every test here compiles and runs JAX models
import jax.numpy as jnp  # noqa: E402

from explainer.models import nets  # noqa: E402
from explainer.models.experiments import ExperimentConfig  # noqa: E402


@pytest.mark.parametrize("model", ["ae", "dae", "sparse_ae", "vae"])
def test_mlp_models_shapes_and_export(model):
    cfg = ExperimentConfig(model, latent_dim=3, hidden=(16, 8)).resolved()
    net = nets.build(cfg, 64, (8, 8), True, seed=0)
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
    net = nets.build(cfg, 64, (8, 8), True, seed=1)
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
    net = nets.build(cfg, 2, None, False, seed=0)
    assert net.export()[1][-1].activation == "linear"


def test_im2col_conv_matches_lax_conv():
    conv = nets.Conv3x3(2, 4, rngs=nets.nnx.Rngs(0))
    x = jax.random.normal(jax.random.PRNGKey(0), (2, 6, 6, 2))
    kernel = conv.kernel[...].reshape(3, 3, 2, 4)  # patch order: (row, col, channel)
    ref = jax.lax.conv_general_dilated(x, kernel, (1, 1), "SAME", dimension_numbers=("NHWC", "HWIO", "NHWC"))
    np.testing.assert_allclose(np.asarray(conv(x)), np.asarray(ref + conv.bias[...]), atol=1e-5)


def test_conv_autoencoder_shapes():
    cfg = ExperimentConfig("conv_ae", latent_dim=4).resolved()
    net = nets.build(cfg, 64, (8, 8), True, seed=0)
    x = jnp.zeros((3, 64))
    assert net.encode(x).shape == (3, 4)
    assert net.reconstruct(x).shape == (3, 64)
    assert net.export() == (None, None)
