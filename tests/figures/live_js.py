"""live.js's interpreter outside a browser: its DOM-free part evaluated in V8 through mini-racer."""

from __future__ import annotations

from pathlib import Path

import numpy as np

LIVE_JS = Path(__file__).resolve().parents[2] / "explainer/theme/static/js/live.js"
RUN_ALL = """function runAll(payload, inputs) {
  var m = explainerRuntime.load(payload);
  return inputs.map(function (x) { return Array.from(m.forward(Float32Array.from(x))); });
}"""


class LiveJS:
    def __init__(self):
        from py_mini_racer import MiniRacer

        self.ctx = MiniRacer()
        self.ctx.eval(LIVE_JS.read_text(encoding="utf-8"))  # no `document`: only the runtime loads
        self.ctx.eval(RUN_ALL)

    def run(self, payload: dict, x: np.ndarray) -> np.ndarray:
        """x (n, …) -> (n, outputs) as the page computes it (flat outputs per row)."""
        x = np.asarray(x, np.float32).reshape(len(x), -1)
        return np.array(self.ctx.call("runAll", payload, x.tolist()), np.float32)

    def benchmark(self, payload: dict, n: int) -> float:
        return float(self.ctx.call("explainerRuntime.benchmark", payload, n))

    def close(self):
        self.ctx.close()
