"""Decoder (and encoder) weights as compact page data for the in-browser forward pass (`live.js`).

A dense layer `y = act(x @ w + b)` is shipped as int8 weights with one float32 scale per output unit:
row j of w.T is stored as round(w.T[j] / s_j) with s_j = max|w.T[j]| / 127, so every weight is off by
at most s_j / 2. Per-row (per-output) scales keep a unit with small weights from being flattened by a
neighbour with large ones, and they cost 4 bytes per unit. Biases stay float32. Everything is base64
inside the page's JSON (the site must work from file://, so nothing is fetched): the 2-64-128-64
digits decoder is about 23 KB.

`forward()` is the numpy twin of the JS forward pass; figures use it for their static fallbacks and
the tests use it to check the browser's numbers.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re

import numpy as np

from ..base.script_json import script_json
from ..models.result import DenseLayer

MAX_MODEL_BYTES = 50_000  # per exported model, as JSON text in the page
ACTIVATIONS = ("relu", "sigmoid", "tanh", "gelu", "linear")


def b64(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")


def unb64(text: str, dtype) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype=dtype)


def quantize_rows(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """w (in, out) -> (q (out, in) int8, scale (out,) float32) with w.T ≈ q * scale[:, None]."""
    rows = np.asarray(w, np.float32).T  # (out, in): one row per output unit
    scale = np.abs(rows).max(axis=1) / 127.0
    scale = np.where(scale > 0, scale, 1.0).astype(np.float32)  # an all-zero row: any scale works
    q = np.clip(np.rint(rows / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale


def export_layers(layers) -> dict:
    """DenseLayers -> JSON-ready dict for live.js."""
    out = []
    for layer in layers:
        if layer.activation not in ACTIVATIONS:
            raise ValueError(f"activation {layer.activation!r} has no JS version; one of {ACTIVATIONS}")
        q, scale = quantize_rows(layer.w)
        out.append({"in": int(layer.w.shape[0]), "out": int(layer.w.shape[1]),
                    "act": layer.activation, "w": b64(q), "scale": b64(scale),
                    "b": b64(np.asarray(layer.b, np.float32))})
    return {"format": "int8-rows", "layers": out}


def dequantize(payload: dict) -> tuple[DenseLayer, ...]:
    """The exact weights the browser computes with."""
    layers = []
    for L in payload["layers"]:
        q = unb64(L["w"], np.int8).reshape(L["out"], L["in"]).astype(np.float32)
        scale = unb64(L["scale"], np.float32)
        w = (q * scale[:, None]).T  # back to (in, out)
        layers.append(DenseLayer(np.ascontiguousarray(w), unb64(L["b"], np.float32).copy(), L["act"]))
    return tuple(layers)


def payload_size(payload: dict) -> int:
    """Bytes the payload adds to the page, as compact JSON."""
    return len(json.dumps(payload, separators=(",", ":")))


def _activate(x: np.ndarray, name: str) -> np.ndarray:
    if name == "relu":
        return np.maximum(x, 0)
    if name == "sigmoid":
        return 1 / (1 + np.exp(-x))
    if name == "tanh":
        return np.tanh(x)
    if name == "gelu":  # the tanh approximation, as jax.nn.gelu computes by default
        return 0.5 * x * (1 + np.tanh(0.7978845608028654 * (x + 0.044715 * x ** 3)))
    return x


def forward(layers, x: np.ndarray) -> np.ndarray:
    """x (batch, in) -> (batch, out) through the dense layers, in float32."""
    h = np.asarray(x, np.float32)
    for layer in layers:
        h = _activate(h @ layer.w + layer.b, layer.activation).astype(np.float32)
    return h


def to_uint8(images: np.ndarray) -> np.ndarray:
    """Pixels in [0, 1] -> uint8: a quarter of float32's bytes, invisible at display sizes."""
    return np.clip(np.rint(np.asarray(images, np.float32) * 255), 0, 255).astype(np.uint8)


def json_script(data: dict, cls: str = "live-data") -> str:
    """JSON in a <script> that the page parses without running; `<` escaped so no `</script>` ends it."""
    return f'<script type="application/json" class="{cls}">{script_json(data)}</script>'


_LIVE_DATA_RE = re.compile(r'<script type="application/json" class="live-data">(.*?)</script>', re.S)
MODEL_KEYS = ("model", "encoder", "decoder")


def share_models(figure_html: list[str]) -> tuple[list[str], str]:
    """Each distinct model once per page: two figures of one experiment (say `interpolate` and
    `samples` of the same VAE) would otherwise each carry its ~25 KB of weights. Model payloads move
    into one `live-models` registry, keyed by a hash of their content; figures keep `{"ref": key}`.
    Returns the rewritten figures and the registry's <script> ('' when the page has no models)."""
    registry: dict[str, dict] = {}

    def move(m):
        data = json.loads(m.group(1))
        for name in MODEL_KEYS:
            payload = data.get(name)
            if isinstance(payload, dict) and "layers" in payload:
                key = "m" + hashlib.blake2b(json.dumps(payload, sort_keys=True).encode(),
                                            digest_size=6).hexdigest()
                registry.setdefault(key, payload)
                data[name] = {"ref": key}
        return json_script(data)

    shared = [_LIVE_DATA_RE.sub(move, html) for html in figure_html]
    return shared, (json_script(registry, cls="live-models") if registry else "")
