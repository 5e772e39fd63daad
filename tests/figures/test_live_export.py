"""Models as page data: float16 weights round-trip within their rounding, stay small, and keep the
page's output near the float model's; models shared by figures are stored once per page."""

from __future__ import annotations

import json
import re

import numpy as np

from explainer.figures.live import (
    TOLERANCE,
    decode,
    encode,
    encode_checked,
    forward,
    json_script,
    page_error,
    payload_size,
    share_models,
)
from explainer.models.oplist.program import from_dense
from tests.figures.synthetic import mlp


def test_round_trip_within_float16_rounding_and_size():
    decoder = mlp([2, 64, 128, 64], ["relu", "relu", "sigmoid"], np.random.default_rng(0))
    program = from_dense(decoder)
    payload = encode(program)
    back = decode(payload)
    for original, shipped in zip(program.consts, back.consts):
        if original.size > 256:  # weights: float16, relative error ≤ 2^-11
            assert np.all(np.abs(original - shipped) <= np.abs(original) * 2.0 ** -11 + 1e-7)
        else:  # biases: float32, exact
            assert np.array_equal(original, shipped)
    assert payload_size(payload) <= 50_000
    codes = np.random.default_rng(1).standard_normal((50, 2)).astype(np.float32) * 3
    assert page_error(program, payload, codes) < 0.003


def test_float32_is_shipped_when_float16_would_be_too_coarse():
    layers = mlp([2, 300, 4], ["linear", "linear"], np.random.default_rng(0))
    big = from_dense([type(layers[0])(layers[0].w * 300, layers[0].b, "linear"), layers[1]])
    codes = np.full((1, 2), 50.0, np.float32)
    payload, error = encode_checked(big, codes)
    assert error <= TOLERANCE and all(c["dtype"] == "f32" for c in payload["consts"])


def test_dense_layers_and_programs_run_alike():
    layers = mlp([3, 8, 4], ["gelu", "sigmoid"], np.random.default_rng(2))
    x = np.random.default_rng(3).standard_normal((5, 3)).astype(np.float32)
    h = x @ layers[0].w + layers[0].b
    h = 0.5 * h * (1 + np.tanh(0.7978845608028654 * (h + 0.044715 * h ** 3)))
    expected = 1 / (1 + np.exp(-(h @ layers[1].w + layers[1].b)))
    np.testing.assert_allclose(forward(layers, x), expected, atol=1e-6)


def test_script_escaping():
    assert "</script" not in json_script({"x": "</script><b>"})[:-9]


def test_models_shared_by_figures_are_stored_once_per_page():
    payload = encode(mlp([2, 8, 4], ["relu", "sigmoid"], np.random.default_rng(0)))
    other = encode(mlp([2, 8, 4], ["relu", "sigmoid"], np.random.default_rng(1)))
    figures = [f"<figure>{json_script({'model': payload, 'mean': [0, 0]})}</figure>",
               f"<figure>{json_script({'model': payload})}</figure>",
               f"<figure>{json_script({'encoder': other, 'decoder': payload})}</figure>"]
    shared, registry = share_models(figures)
    models = json.loads(re.search(r'class="live-models">(.*)</script>', registry).group(1))
    assert len(models) == 2 and payload in models.values() and other in models.values()
    refs = [json.loads(re.search(r'class="live-data">(.*?)</script>', h).group(1)) for h in shared]
    assert refs[0]["model"] == refs[1]["model"] == refs[2]["decoder"] and refs[0]["mean"] == [0, 0]
    assert models[refs[2]["encoder"]["ref"]] == other
    assert share_models(["<p>no live figure</p>"]) == (["<p>no live figure</p>"], "")
