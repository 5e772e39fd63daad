"""The live explorer of a trained model in Chromium: it follows the pointer and the keys, and what it
draws matches the float JAX model within 0.01 per pixel over the explorer's whole range, corners
included (float16 weights; the int8 format before reached 0.19 there)."""

from __future__ import annotations

import json

import numpy as np
import pytest

jax = pytest.importorskip("jax")

from explainer.figures.draw import render_figure  # noqa: E402
from explainer.figures.live import share_models  # noqa: E402
from explainer.models import data, train  # noqa: E402
from explainer.models.experiments import ExperimentConfig  # noqa: E402
from tests.figures.synthetic import make_spec  # noqa: E402
from tests.figures.test_browser import _open, _page  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.usefixtures("release_compiled_programs")]
BOUND = 0.01
INK, PAPER = 0x11, 0xFF  # the test page's --text and --bg (grey levels)


@pytest.fixture(scope="module")
def trained():
    """A showcase-sized AE (2-64-128-64 decoder, gelu), briefly trained, and its float decoder."""
    config = ExperimentConfig("ae", latent_dim=2, steps=800)
    result = train.train(config, data.digits(), device="cpu")
    decode, params = config.resolved().spec().decode_fn(result)  # the model itself, in JAX
    run = jax.jit(decode)
    return config.resolved(), result, lambda z: np.asarray(run(params, z)).reshape(len(z), -1)


def _explorer_page(tmp_path, config, result):
    spec = make_spec("latent-explorer", [config], fig_id="explorer")
    out = render_figure(spec, {config.resolved(): result}, "blog/2026/post")
    assert not out.warnings, out.warnings
    for rel, png in out.files.items():  # the figure's print image looks for it beside the page
        (tmp_path / "figures").mkdir(exist_ok=True)
        (tmp_path / "figures" / rel.rsplit("/", 1)[-1]).write_bytes(png)
    parts, registry = share_models([out.html])
    return _page(tmp_path, parts[0] + registry)


def _canvas_values(page, selector) -> np.ndarray:
    """The decoded image back from the canvas's pixels: 0 = paper, 1 = ink."""
    grey = page.evaluate(f"""() => {{ const c = document.querySelector({json.dumps(selector)});
        return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data).filter((_, i) => i % 4 == 0); }}""")
    return (PAPER - np.array(grey, np.float64)) / (PAPER - INK)


def test_explorer_responds_and_matches_the_float_model(browser, tmp_path, trained):
    config, result, decode = trained
    page, errors = _open(browser, _explorer_page(tmp_path, config, result))
    page.wait_for_function("document.querySelector('.live-view[data-live-ready]') !== null")
    pad, out = "#explorer .lv-pad", "#explorer .lv-big canvas"
    data_ = page.evaluate("JSON.parse(document.querySelector('#explorer script.live-data').textContent)")
    ex, mean, axes = data_["extent"], np.array(data_["mean"]), np.array(data_["axes"])

    # The page decodes a 21×21 grid over the explorer's range (its corners included) with live.js.
    xs, ys = np.linspace(ex[0], ex[1], 21), np.linspace(ex[2], ex[3], 21)
    codes = np.array([mean + x * axes[0] + y * axes[1] for y in ys for x in xs], np.float32)
    in_page = np.array(page.evaluate("""([payload, codes]) => {
        const m = window.explainer.live.loadModel(payload);
        return codes.map(c => Array.from(m.forward(Float32Array.from(c)))); }""", [data_["model"], codes.tolist()]))
    expected = np.asarray(decode(codes))
    worst = np.abs(in_page - expected).max()
    corners = [0, 20, 420, 440]
    print(f"\nmax |page - JAX| over 441 codes: {worst:.5f}; at the corners: "
          f"{np.abs(in_page[corners] - expected[corners]).max():.5f}")
    assert worst <= BOUND

    # The pointer moves the picture; the keys reach the corners, and the drawn pixels match JAX there.
    before = _canvas_values(page, out)
    box = page.locator(pad).bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.3)
    page.wait_for_timeout(100)
    assert np.abs(_canvas_values(page, out) - before).max() > 0.05
    page.focus(pad)
    for keys, corner in ((("ArrowLeft", "ArrowUp"), (ex[0], ex[3])), (("ArrowRight", "ArrowDown"), (ex[1], ex[2]))):
        for _ in range(12):
            for key in keys:
                page.keyboard.press(f"Shift+{key}")
        page.wait_for_timeout(100)
        z = (mean + corner[0] * axes[0] + corner[1] * axes[1]).astype(np.float32)[None]
        drawn = _canvas_values(page, out)
        # 8-bit colour costs up to 0.5/238 on top of the model's own error.
        assert np.abs(drawn - np.asarray(decode(z))[0]).max() <= BOUND + 0.5 / (PAPER - INK), corner
    assert not errors, errors
