"""Exported weights: dequantized within the quantization error, small enough to live in the page."""

from __future__ import annotations

import numpy as np

from explainer.figures.live import (
    dequantize,
    export_layers,
    forward,
    json_script,
    payload_size,
)
from tests.figures.synthetic import mlp


def test_round_trip_within_quantization_error_and_size():
    decoder = mlp([2, 64, 128, 64], ["relu", "relu", "sigmoid"], np.random.default_rng(0))
    payload = export_layers(decoder)
    for original, back in zip(decoder, dequantize(payload)):
        step = np.abs(original.w).max(axis=0) / 127  # per output unit
        assert np.all(np.abs(original.w - back.w) <= step / 2 + 1e-7)
        assert np.array_equal(original.b, back.b) and original.activation == back.activation
    assert payload_size(payload) <= 50_000
    codes = np.random.default_rng(1).standard_normal((50, 2)).astype(np.float32)
    assert np.abs(forward(decoder, codes) - forward(dequantize(payload), codes)).max() < 0.02


def test_zero_rows_and_script_escaping():
    layer = mlp([3, 4], ["linear"], np.random.default_rng(0))[0]
    layer.w[:, 1] = 0
    assert np.all(dequantize(export_layers([layer]))[0].w[:, 1] == 0)
    assert "</script" not in json_script({"x": "</script><b>"})[:-9]


def test_models_shared_by_figures_are_stored_once_per_page():
    import json
    import re

    from explainer.figures.live import json_script, share_models
    payload = export_layers(mlp([2, 8, 4], ["relu", "sigmoid"], np.random.default_rng(0)))
    other = export_layers(mlp([2, 8, 4], ["relu", "sigmoid"], np.random.default_rng(1)))
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
