"""Scoring a trained model on the test split, through the model protocol only.

Every model gets codes and reconstructions of the test set; a model that `corrupts` is also scored
on several noisy copies of it (`NOISE_DRAWS` fixed draws: one draw can be lucky or unlucky, the mean
and its spread are what a post may quote), against PCA denoising and against doing nothing (the
noisy input itself); a model's own `metrics` (the VAE's ELBO, the sparse AE's mean code) join in. One compiled
call rather than dozens of eager ops.
"""

from __future__ import annotations

import numpy as np

from . import data as data_mod
from . import pca as pca_mod

NOISE_KEY = 12345  # an author's own corruption: fixed draws, like data.corrupt_test's seeds
NOISE_DRAWS = 10  # noisy copies of the test set a denoiser is scored on (~1 ms each)


def score(spec, cfg, info, model, data) -> tuple[np.ndarray, np.ndarray, dict]:
    """(test codes (n, d), reconstructions (n, D), extra metrics) for the test split."""
    import jax.numpy as jnp
    from flax import nnx

    from .loop import compile_once

    x = data.x_test
    graphdef, params = nnx.split(model)
    shaped = jnp.asarray(x).reshape(len(x), *info.shape)

    def run(p, xs):
        m = nnx.merge(graphdef, p)
        z = spec.encode(m, xs)
        return z, spec.decode(m, z).reshape(len(x), -1), spec.metrics(m, xs, cfg, info)

    z, recon, extra = compile_once(run, params, shaped)(params, shaped)  # runs once: a quick compile
    metrics = {k: float(v) for k, v in extra.items()}
    if spec.corrupts:
        metrics.update(_denoise(spec, cfg, info, graphdef, params, data))
    return np.asarray(z, np.float32), np.asarray(recon, np.float32), metrics


def noisy_test(spec, cfg, graphdef, params, x, info, draw: int = 0) -> np.ndarray:
    """Fixed noisy copy number `draw` of the test set a denoiser is scored on (flat, like x)."""
    import jax
    from flax import nnx

    kind = spec.corruption(cfg)
    if kind is not None:  # a known corruption: numpy with a fixed seed, so figures can redraw it
        return data_mod.corrupt_test(x, *kind, draw=draw)
    m = nnx.merge(graphdef, params)
    shaped = x.reshape(len(x), *info.shape)
    noisy = spec.corrupt(m, jax.numpy.asarray(shaped), jax.random.PRNGKey(NOISE_KEY + draw))
    return np.asarray(noisy, np.float32).reshape(x.shape)


def _denoise(spec, cfg, info, graphdef, params, data) -> dict:
    from flax import nnx

    from .loop import compile_once

    x = data.x_test

    def run(p, xs):
        m = nnx.merge(graphdef, p)
        return spec.decode(m, spec.encode(m, xs))

    noisy = [noisy_test(spec, cfg, graphdef, params, x, info, draw) for draw in range(NOISE_DRAWS)]
    stacked = np.concatenate(noisy).reshape(NOISE_DRAWS * len(x), *info.shape)
    # Every draw through the net in one call of one program (it runs once: a quick compile).
    cleaned_all = np.asarray(compile_once(run, params, stacked)(params, stacked)).reshape(NOISE_DRAWS, *x.shape)
    baseline = pca_mod.fit(pca_mod.fit_data(data), cfg.latent_dim)
    scores: dict[str, list[float]] = {"denoise_mse": [], "noisy_input_mse": [], "pca_denoise_mse": []}
    for draw, cleaned in enumerate(cleaned_all):
        scores["denoise_mse"].append(pca_mod.mse(cleaned, x))
        scores["noisy_input_mse"].append(pca_mod.mse(noisy[draw], x))
        scores["pca_denoise_mse"].append(pca_mod.mse(baseline.reconstruct(noisy[draw]), x))
    out = {name: float(np.mean(values)) for name, values in scores.items()}
    # Spread over the draws (sample standard deviation), and the draw the figures show.
    out.update({f"{name}_sd": float(np.std(values, ddof=1)) for name, values in scores.items()})
    out["denoise_mse_shown"] = scores["denoise_mse"][0]
    out["noise_draws"] = float(NOISE_DRAWS)
    return out
