"""In-page models of the default site (and the conv AE): size, accuracy and speed of what ships.

    python bench/live_models.py            # uses .cache/ (trains what is missing)
    python bench/live_models.py --conv     # also the conv AE, now live too (trains it once)

Per model: ops in its program, parameters, payload bytes (compact JSON, as in the page), the
largest |page − float model| over a 21×21 grid of the explorer's plane (corners included) and the
test codes (decoders) or test images (encoders), and µs per forward pass in V8 (mini-racer: the same
engine as Chromium, without a page). Targets: ≤ 50 KB per model, ≤ 0.01 per pixel, well under 1 ms.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from explainer.figures.live import encode, page_error, payload_size  # noqa: E402
from explainer.figures.views.common import latent_plane, plane_extent, plane_grid  # noqa: E402
from explainer.models.cache import load_or_train  # noqa: E402
from explainer.models.experiments import ExperimentConfig  # noqa: E402
from explainer.models.oplist.program import as_program  # noqa: E402
from tests.figures.live_js import LiveJS  # noqa: E402

SHOWCASE = [ExperimentConfig("ae", latent_dim=2), ExperimentConfig("vae", latent_dim=2),
            ExperimentConfig("dae", latent_dim=16, noise=0.3)]


def probes(result, program) -> np.ndarray:
    if int(np.prod(program.input_shape[1:])) != result.test_z.shape[1]:
        return result.test_x.astype(np.float32)
    plane = latent_plane(result.test_z)
    return np.concatenate([result.test_z, plane_grid(plane, plane_extent(plane.xy), 21, 21)])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--conv", action="store_true")
    configs = SHOWCASE + ([ExperimentConfig("conv_ae", latent_dim=2)] if parser.parse_args().conv else [])
    results = load_or_train(configs, cache_dir=REPO / ".cache", content_dir=REPO / "content",
                            log=lambda _: None)
    js = LiveJS()
    print(f"{'model':22} {'ops':>4} {'params':>7} {'bytes':>7} {'max err':>8} {'µs/pass':>8}")
    for config in configs:
        result = results[config.resolved()]
        for half in ("encoder", "decoder"):
            program = as_program(getattr(result, half))
            payload = encode(program)
            error = page_error(program, payload, probes(result, program))
            us = js.benchmark(payload, 3000) * 1000
            print(f"{config.label() + ' ' + half:22} {len(program.ops):>4} {program.n_params():>7} "
                  f"{payload_size(payload):>7} {error:>8.5f} {us:>8.1f}")


if __name__ == "__main__":
    main()
