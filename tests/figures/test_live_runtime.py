"""live.js's interpreter and its numpy twin on the translator's fixtures (no JAX needed): for every
supported operation, both reproduce JAX's float32 outputs within 1e-5 and agree with each other."""

from __future__ import annotations

import json

import numpy as np
import pytest

from explainer.figures.live import decode, encode
from explainer.models.oplist.program import from_dense
from explainer.models.oplist.program_run import run
from tests.figures.live_js import LiveJS
from tests.figures.make_program_fixtures import FIXTURES
from tests.figures.synthetic import mlp

TOL = 1e-5
CASES = sorted(FIXTURES.glob("*.json"))


@pytest.fixture(scope="module")
def js():
    runtime = LiveJS()
    yield runtime
    runtime.close()


def test_there_is_a_fixture_per_operation_family():
    assert len(CASES) >= 35


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_fixture_matches_jax_in_numpy_and_js(path, js):
    case = json.loads(path.read_text())
    program, x = decode(case["payload"]), np.array(case["inputs"], np.float32)
    want = np.array(case["expected"], np.float32)
    x = x.reshape((len(x), *program.input_shape[1:]))
    together = run(program, x).reshape(len(x), -1)  # all rows through each op at once
    np.testing.assert_allclose(together, want, atol=TOL, rtol=TOL)
    alone = np.concatenate([run(program, x[i:i + 1]).reshape(1, -1) for i in range(len(x))])
    np.testing.assert_allclose(together, alone, atol=1e-6, rtol=1e-6)
    np.testing.assert_allclose(js.run(case["payload"], x), want, atol=TOL, rtol=TOL)


def test_float16_payload_runs_the_same_in_numpy_and_js(js):
    """What ships: float16 weights; the page and the static images compute the same numbers."""
    payload = encode(mlp([2, 64, 128, 64], ["relu", "gelu", "sigmoid"], np.random.default_rng(0)))
    assert {c["dtype"] for c in payload["consts"]} == {"f16", "f32"}
    z = np.random.default_rng(1).standard_normal((20, 2)).astype(np.float32) * 3
    np.testing.assert_allclose(js.run(payload, z), run(decode(payload), z), atol=1e-6)


def test_decode_is_fast(js):
    """Time per decode of the 2-64-128-64 decoder in V8 (printed; the browser test measures Chromium)."""
    payload = encode(from_dense(mlp([2, 64, 128, 64], ["relu", "relu", "sigmoid"], np.random.default_rng(0))))
    ms = js.benchmark(payload, 2000)
    print(f"\nlive.js decode (2-64-128-64) in mini-racer: {ms * 1000:.1f} µs")
    assert ms < 5.0  # generous: a shared, loaded CI machine; the target is well under 1 ms
