"""Writes tests/figures/fixtures/programs/<case>.json: each translator case's op list (float32
weights), random inputs and JAX's outputs, so the fast tests check live.js and the numpy reference
without importing JAX. Rerun after changing the translator: `python -m tests.figures.make_program_fixtures`
(the slow translator test fails while they are stale)."""

from __future__ import annotations

import json
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures" / "programs"


def fixture(name: str) -> dict:
    from explainer.figures.live import encode
    from explainer.models.oplist.jaxpr_export import export
    from tests.figures.program_cases import CASES, expected, inputs

    fn, shape = CASES[name]
    x = inputs(shape)
    return {"case": name, "payload": encode(export(lambda p, v: fn(v), {}, shape), "f32"),
            "inputs": x.reshape(len(x), -1).tolist(), "expected": expected(fn, x).tolist()}


def main():
    from tests.figures.program_cases import CASES, slug

    FIXTURES.mkdir(parents=True, exist_ok=True)
    for name in CASES:
        (FIXTURES / f"{slug(name)}.json").write_text(json.dumps(fixture(name), separators=(",", ":")) + "\n")
    print(f"{len(CASES)} fixtures in {FIXTURES}")


if __name__ == "__main__":
    main()
