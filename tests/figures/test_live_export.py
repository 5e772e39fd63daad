"""Exported weights: dequantized within the quantization error, small enough to live in the page."""

from __future__ import annotations

import numpy as np

from explainer.figures.live import dequantize, export_layers, forward, json_script, payload_size

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
