"""Synthetic TrainResults for figure tests: random weights, random codes, no jax."""

from __future__ import annotations

import numpy as np

from explainer.figure_spec.catalog import view_options
from explainer.figure_spec.spec import FigureSpec
from explainer.models.experiments import ExperimentConfig
from explainer.models.result import DenseLayer, TrainResult


def mlp(sizes, acts, rng) -> tuple[DenseLayer, ...]:
    return tuple(DenseLayer((rng.standard_normal((a, b)) / np.sqrt(a)).astype(np.float32),
                            (0.1 * rng.standard_normal(b)).astype(np.float32), act)
                 for (a, b), act in zip(zip(sizes[:-1], sizes[1:]), acts))


def make_result(config: ExperimentConfig, n: int = 300, seed: int = 0) -> TrainResult:
    config = config.resolved()
    rng = np.random.default_rng(seed + config.latent_dim)
    points = config.dataset in ("moons", "circles", "swiss_roll")
    D = 2 if points else 64
    d = config.latent_dim
    dec_act = "linear" if points else "sigmoid"
    encoder = mlp([D, 128, 64, d], ["relu", "relu", "linear"], rng)
    decoder = mlp([d, 64, 128, D], ["relu", "relu", dec_act], rng)
    x = rng.standard_normal((n, D)).astype(np.float32) if points else rng.random((n, D)).astype(np.float32)
    z = rng.standard_normal((n, d)).astype(np.float32)
    steps = np.arange(0, 3000, 50)
    loss = 0.05 * np.exp(-steps / 1000) + 0.02
    return TrainResult(
        config=config, encoder=encoder, decoder=decoder,
        image_shape=None if points else (8, 8),
        metrics={"test_mse": 0.02 + 0.001 * d, "val_mse": 0.021, "pca_test_mse": 0.03 - 0.0005 * d},
        history={"step": steps, "train_loss": loss, "val_loss": loss * 1.1},
        test_x=x, test_y=rng.integers(0, 10, n), test_z=z,
        test_recon=np.clip(x + 0.05 * rng.standard_normal(x.shape), 0, 1).astype(np.float32),
        pca_recon=np.clip(x + 0.1 * rng.standard_normal(x.shape), 0, 1).astype(np.float32),
        provenance={"device": "cpu", "versions": {"jax": "0.10.2"}, "wall_s": 12.5, "steps": config.steps,
                    "seed": config.seed})


def make_spec(view: str, configs, fig_id: str = "fig", expect=None, options=None) -> FigureSpec:
    configs = tuple(c.resolved() for c in configs)
    return FigureSpec(id=fig_id, view=view, experiments=configs, caption="A caption.",
                      layout="l-body", expect=expect or {}, path="post.md", line=7,
                      options=view_options(view, options or {}))


DEFAULT = {
    "reconstructions": [ExperimentConfig("ae", latent_dim=2), ExperimentConfig("ae", latent_dim=8)],
    "latent": [ExperimentConfig("ae", latent_dim=16)],
    "latent-explorer": [ExperimentConfig("ae", latent_dim=2)],
    "traversal": [ExperimentConfig("ae", latent_dim=2)],
    "interpolate": [ExperimentConfig("vae", latent_dim=2)],
    "denoise": [ExperimentConfig("dae", latent_dim=16, noise=0.3)],
    "samples": [ExperimentConfig("vae", latent_dim=2)],
    "training": [ExperimentConfig("ae", latent_dim=2), ExperimentConfig("vae", latent_dim=2)],
    "compare": [ExperimentConfig("ae", latent_dim=d) for d in (2, 8, 16, 32)]
               + [ExperimentConfig("vae", latent_dim=2)],
}


def render_view(view: str, configs=None, options=None, fig_id: str = "fig"):
    from explainer.figures.draw import render_figure
    spec = make_spec(view, configs or DEFAULT[view], fig_id, options=options)
    results = {c: make_result(c) for c in spec.experiments}
    return spec, results, render_figure(spec, results, "blog/2026/post")


class SyntheticTrainer:
    """A `site.trainers.Trainer` that gives every experiment a synthetic result, no JAX; never reused
    by a later build (no training key)."""

    def available(self, users, diag, log):
        return {config: make_result(config) for config in users}

    def remember(self, page, figure_id, output):
        pass

    def stand_in(self, page, spec):
        raise AssertionError("every experiment is available")

    def training_key(self, config):
        return None  # synthetic: never reused by a later build
