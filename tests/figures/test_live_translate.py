"""The jaxpr translator: for each supported operation and every built-in decoder, the op list run by
the numpy reference (program_run.py) and by live.js's interpreter (in V8, via mini-racer) matches
JAX on random inputs within 1e-5 in float32, before any quantization. Marked slow: it compiles
dozens of small JAX programs (test_live_runtime.py checks the same on stored fixtures, fast)."""

from __future__ import annotations

import numpy as np
import pytest

jax = pytest.importorskip("jax")
import jax.numpy as jnp  # noqa: E402
from flax import nnx  # noqa: E402

from explainer.figures.live import encode  # noqa: E402
from explainer.models.oplist.jaxpr_export import export  # noqa: E402
from explainer.models.oplist.program_run import run  # noqa: E402
from tests.figures.live_js import LiveJS  # noqa: E402
from tests.figures.program_cases import CASES, B, W, _w, expected, inputs  # noqa: E402

TOL = 1e-5
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("release_compiled_programs")]


@pytest.fixture(scope="module")
def js():
    runtime = LiveJS()
    yield runtime
    runtime.close()


def check(program, fn, shape, js, n=4):
    """numpy reference and live.js, both against JAX, on n random inputs (float32 weights)."""
    x = inputs(shape, n)
    want = expected(fn, x)
    assert program.runs_in_page, program.missing
    np.testing.assert_allclose(run(program, x).reshape(n, -1), want, atol=TOL, rtol=TOL)
    np.testing.assert_allclose(js.run(encode(program, "f32"), x), want, atol=TOL, rtol=TOL)


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
    prog = export(lambda p, x: jax.nn.gelu(x @ W), {}, (1, 6))  # eight elementwise ops, fused into one
    assert [op["op"] for op in prog.ops] == ["matmul", "gelu"] and len(prog.consts) == 1


def test_unsupported_op_falls_back_to_jax_with_its_name_and_line():
    def decode(p, z):
        return jnp.sort(z @ p["w"], axis=-1)  # sort: not in the page's runtime

    params = {"w": _w(2, 5)}
    prog = export(decode, params, (1, 2))
    assert not prog.runs_in_page and "`sort`" in prog.missing
    assert "test_live_translate.py:" in prog.missing  # the line of the model code that used it
    z = inputs((1, 2), 6)
    np.testing.assert_allclose(run(prog, z), np.asarray(decode(params, z)), atol=TOL)  # static images
    with pytest.raises(ValueError, match="sort"):
        encode(prog)


def test_program_survives_the_cache_format(tmp_path):
    from explainer.models.oplist.program import Program

    fn, shape = CASES["conv transposed (lhs dilation)"]
    prog = export(lambda p, x: fn(x), {}, shape)
    back = Program.from_meta(prog.to_meta(), prog.consts)
    x = inputs(shape)
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
    rng = np.random.default_rng(0)
    return jax.tree.map(lambda a: a + 0.05 * rng.standard_normal(a.shape).astype(np.float32), state)


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


def test_fixtures_are_what_the_translator_makes_now():
    import json

    from tests.figures.make_program_fixtures import FIXTURES
    from tests.figures.program_cases import slug

    for name, (fn, shape) in CASES.items():
        stored = json.loads((FIXTURES / f"{slug(name)}.json").read_text())["payload"]
        fresh = encode(export(lambda p, x, fn=fn: fn(x), {}, shape), "f32")
        assert stored == json.loads(json.dumps(fresh)), f"{name}: rerun python -m tests.figures.make_program_fixtures"


@pytest.mark.parametrize("model", ["ae", "dae", "sparse_ae", "vae", "conv_ae"])
def test_builtin_models_match_jax(model, js):
    """Each built-in model's encoder and decoder, traced exactly as training traces them
    (train._page_forms), against the model's own encode/decode."""
    from explainer.models import train
    from explainer.models.datainfo import DataInfo
    from explainer.models.experiments import ExperimentConfig
    from explainer.models.protocol import flat_params

    cfg = ExperimentConfig(model, latent_dim=2).resolved()
    spec, info = cfg.spec(), DataInfo((8, 8), 2, True)
    net = spec.build(cfg, info, 0)
    graphdef, state = nnx.split(net)
    net = nnx.merge(graphdef, _nonzero(state))
    encoder, decoder = train._page_forms(spec, cfg, info, net, flat_params(nnx.split(net)[1]))
    check(decoder, lambda z: spec.decode(net, z).reshape(len(z), -1), (1, 2), js)
    check(encoder, lambda x: spec.encode(net, x.reshape(len(x), 8, 8)), (1, 64), js)


def test_pca_matches_numpy(js):
    from explainer.models import pca
    from explainer.models.oplist.program import from_dense

    x = np.random.default_rng(0).random((100, 64)).astype(np.float32)
    p = pca.fit(x, 3)
    enc, dec = (from_dense(layers) for layers in pca.as_layers(p))
    z = p.encode(x[:5]).astype(np.float32)
    np.testing.assert_allclose(run(dec, z), p.decode(z), atol=TOL)
    np.testing.assert_allclose(js.run(encode(dec, "f32"), z), p.decode(z), atol=TOL)
    np.testing.assert_allclose(run(enc, x[:5]), z, atol=TOL)


def test_figure_with_an_unsupported_op_shows_static_images_and_warns():
    """The build goes on: the explorer becomes its pre-rendered grid, and the warning names the
    missing operation, the model's line that used it, and the figure."""
    from dataclasses import replace

    from explainer.figures.draw import render_figure
    from explainer.models.experiments import ExperimentConfig
    from tests.figures.synthetic import make_result, make_spec

    params = {"w": _w(2, 64)}
    prog = export(lambda p, z: jax.nn.sigmoid(jnp.cumsum(z @ p["w"], axis=-1)), params, (1, 2))
    assert not prog.runs_in_page
    config = ExperimentConfig("ae", latent_dim=2)
    spec = make_spec("latent-explorer", [config], fig_id="odd")
    out = render_figure(spec, {config.resolved(): replace(make_result(config), decoder=prog)}, "blog/p")
    assert "live-data" not in out.html
    assert '<img class="figure-fallback" src="figures/odd.png"' in out.html
    assert out.files["blog/p/figures/odd.png"][:4] == b"\x89PNG"
    (warning,) = out.warnings
    assert warning.startswith("post.md:7: figure `odd`: the model uses `cumsum` at ") and "lacks" in warning
