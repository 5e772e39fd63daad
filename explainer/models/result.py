"""`TrainResult`: everything a figure needs from one trained experiment, as plain numpy.

This is the contract between `models/` (which produces and caches it) and `figures/` (which draws it
and ships its decoder into the page). It holds no jax arrays, so reading it from the cache never
imports jax.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .oplist.program import Program


@dataclass(frozen=True)
class DenseLayer:
    """y = activation(x @ w + b); w is (in, out)."""

    w: np.ndarray  # (in, out) float32
    b: np.ndarray  # (out,) float32
    activation: str  # "relu" | "sigmoid" | "tanh" | "gelu" | "linear"


@dataclass(frozen=True)
class TrainResult:
    config: "object"  # the resolved ExperimentConfig
    # Forward passes the browser can run: input to latent (for a VAE: to the latent mean) and latent
    # to output. Networks: op-list Programs traced from the model (models/oplist/jaxpr_export.py);
    # pca: one linear DenseLayer each way (figures turn those into Programs too).
    encoder: "tuple[DenseLayer, ...] | Program | None"
    decoder: "tuple[DenseLayer, ...] | Program | None"
    image_shape: tuple[int, int] | None  # (h, w) for image data sets, None for 2-D point sets
    metrics: dict  # floats: test_mse, val_mse, best_step, pca_test_mse (same latent size), ...
    history: dict  # np arrays of equal length: step, train_loss, val_loss (and val_mse)
    test_x: np.ndarray  # (n_test, D) clean test inputs in [0, 1] (or raw coordinates for 2-D sets)
    test_y: np.ndarray | None  # (n_test,) int labels, or None
    test_z: np.ndarray  # (n_test, latent_dim) codes of the test set (VAE: means)
    test_recon: np.ndarray  # (n_test, D) model outputs for test_x
    pca_recon: np.ndarray | None  # (n_test, D) PCA reconstructions at the same latent size
    provenance: dict = field(default_factory=dict)  # device, versions, seed, steps, wall_s, ...
    # Every trained parameter, flat: {"decoder/layers/0/kernel": array}. With the config and
    # data_shape it rebuilds the model (`ModelSpec.decode_fn`). None for PCA.
    params: dict | None = None
    data_shape: tuple[int, ...] | None = None  # one example: (h, w) or (D,)
