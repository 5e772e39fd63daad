"""Trained models as page data for live.js: a `Program` (the op list) with its weights, compactly.

Weights ship as float16 (2 bytes each, relative error ≤ 2⁻¹¹), small tensors (biases, scales) as
float32, everything base64 inside the page's JSON (the site must work from file://, so nothing is
fetched): the 2-64-128-64 digits decoder is about 45 KB. float16 keeps the page's pixels within
~1e-3 of float JAX where the int8-per-row format before it was off by up to 0.19 at the explorer's
corners; `encode_checked` measures the error on the codes a figure will show and ships float32
instead if it would ever exceed `TOLERANCE`.

`forward()` runs a model in numpy exactly as live.js does (program_run.py); figures use it for their
static images and the tests to check the browser's numbers.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re

import numpy as np

from ..base.script_json import script_json
from ..models.oplist.program import Program, as_program
from ..models.oplist.program_run import run

MAX_MODEL_BYTES = 50_000  # per exported model, as JSON text in the page
TOLERANCE = 0.004  # max |page − float| on the probe codes before float32 is shipped instead
SMALL = 256  # tensors this small ship as float32: their bytes do not matter


def b64(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array).tobytes()).decode("ascii")


def unb64(text: str, dtype) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype=dtype)


def _const(c: np.ndarray, precision: str) -> dict:
    c = np.asarray(c, np.float32)
    half = precision == "f16" and c.size > SMALL and np.abs(c).max(initial=0) < 60000
    data = c.astype("<f2") if half else c.astype("<f4")
    return {"shape": list(c.shape), "dtype": "f16" if half else "f32", "data": b64(data)}


def encode(model, precision: str = "f16") -> dict:
    """Program (or dense layers) -> JSON-ready payload for live.js."""
    program = as_program(model)
    if not program.runs_in_page:
        raise ValueError(f"the model uses {program.missing}, which live.js cannot run")
    return {"format": "ops/1", "shapes": [list(s) for s in program.shapes],
            "consts": [_const(c, precision) for c in program.consts], "ops": list(program.ops),
            "output": program.output}


def decode(payload: dict) -> Program:
    """The program with the exact weights the browser computes with."""
    consts = [unb64(c["data"], "<f2" if c["dtype"] == "f16" else "<f4").astype(np.float32).reshape(c["shape"])
              for c in payload["consts"]]
    return Program(tuple(tuple(s) for s in payload["shapes"]), tuple(consts), tuple(payload["ops"]),
                   payload["output"])


def page_error(model, payload: dict, probes: np.ndarray) -> float:
    """Max |page − float| over the probe inputs: what shipping `payload` costs in accuracy."""
    probes = np.asarray(probes, np.float32)
    if not len(probes):
        return 0.0
    return float(np.abs(forward(model, probes) - run(decode(payload), probes)).max())


def encode_checked(model, probes: np.ndarray) -> tuple[dict, float]:
    """float16 payload if it stays within TOLERANCE on `probes`, else float32; and its error."""
    payload = encode(model, "f16")
    error = page_error(model, payload, probes)
    if error > TOLERANCE:
        payload = encode(model, "f32")
        error = page_error(model, payload, probes)
    return payload, error


def payload_size(payload: dict) -> int:
    """Bytes the payload adds to the page, as compact JSON."""
    return len(json.dumps(payload, separators=(",", ":")))


def forward(model, x: np.ndarray) -> np.ndarray:
    """x (batch, in) -> (batch, out): the model as the page runs it, in float32."""
    return run(as_program(model), np.asarray(x, np.float32))


def to_uint8(images: np.ndarray) -> np.ndarray:
    """Pixels in [0, 1] -> uint8: a quarter of float32's bytes, invisible at display sizes."""
    return np.clip(np.rint(np.asarray(images, np.float32) * 255), 0, 255).astype(np.uint8)


def json_script(data: dict, cls: str = "live-data") -> str:
    """JSON in a <script> that the page parses without running; `<` escaped so no `</script>` ends it."""
    return f'<script type="application/json" class="{cls}">{script_json(data)}</script>'


_LIVE_DATA_RE = re.compile(r'<script type="application/json" class="live-data">(.*?)</script>', re.DOTALL)
MODEL_KEYS = ("model", "encoder", "decoder")


def share_models(figure_html: list[str]) -> tuple[list[str], str]:
    """Each distinct model once per page: two figures of one experiment (say `interpolate` and
    `samples` of the same VAE) would otherwise each carry its ~45 KB of weights. Model payloads move
    into one `live-models` registry, keyed by a hash of their content; figures keep `{"ref": key}`.
    Returns the rewritten figures and the registry's <script> ('' when the page has no models)."""
    registry: dict[str, dict] = {}

    def move(m):
        data = json.loads(m.group(1))
        for name in MODEL_KEYS:
            payload = data.get(name)
            if isinstance(payload, dict) and "ops" in payload:
                key = "m" + hashlib.blake2b(json.dumps(payload, sort_keys=True).encode(),
                                            digest_size=6).hexdigest()
                registry.setdefault(key, payload)
                data[name] = {"ref": key}
        return json_script(data)

    shared = [_LIVE_DATA_RE.sub(move, html) for html in figure_html]
    return shared, (json_script(registry, cls="live-models") if registry else "")
