"""PCA: the linear baseline every autoencoder is measured against. Plain numpy, no jax.

PCA is the best *linear* autoencoder: encode z = (x − mean) · Vᵀ with V the top-d right singular
vectors of the centred training data, decode x̂ = z · V + mean. An MLP autoencoder earns its place
only where it beats this at the same code size d. Fitted on the same images as the networks' final
fit: the training and validation splits together (PCA has nothing to tune, so it needs no
held-out validation; the networks use it to pick their stopping step, then refit on both).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .result import DenseLayer, TrainResult


@dataclass(frozen=True)
class PCA:
    mean: np.ndarray  # (D,)
    components: np.ndarray  # (d, D), orthonormal rows
    explained_variance: np.ndarray  # (d,)

    def encode(self, x):  # (n, D) -> (n, d)
        return (x - self.mean) @ self.components.T

    def decode(self, z):  # (n, d) -> (n, D)
        return z @ self.components + self.mean

    def reconstruct(self, x):
        return self.decode(self.encode(x))


def fit(x: np.ndarray, d: int) -> PCA:
    x = np.asarray(x, np.float64)
    d = min(d, *x.shape)
    mean = x.mean(axis=0)
    _, s, vt = np.linalg.svd(x - mean, full_matrices=False)
    # Fix each component's sign (largest entry positive) so plots do not flip between numpy builds.
    signs = np.sign(vt[np.arange(len(vt)), np.abs(vt).argmax(axis=1)])
    vt = vt * signs[:, None]
    return PCA(mean, vt[:d], (s[:d] ** 2) / (len(x) - 1))


def fit_data(ds) -> np.ndarray:
    """Every non-test image: what the baseline, and the networks' final refit, learn from."""
    return np.concatenate([ds.x_train, ds.x_val])


def mse(a, b) -> float:
    return float(np.mean((np.asarray(a, np.float64) - np.asarray(b, np.float64)) ** 2))


def as_layers(p: PCA) -> tuple[tuple[DenseLayer, ...], tuple[DenseLayer, ...]]:
    """PCA as one linear layer each way, the same form the browser runs for the MLPs."""
    enc = DenseLayer(p.components.T.astype(np.float32), (-p.mean @ p.components.T).astype(np.float32), "linear")
    dec = DenseLayer(p.components.astype(np.float32), p.mean.astype(np.float32), "linear")
    return (enc,), (dec,)


def train_pca(config, ds, provenance: dict | None = None) -> TrainResult:
    """A TrainResult for model: pca, shaped like the networks' so figures treat them alike."""
    t0 = time.perf_counter()
    p = fit(fit_data(ds), config.latent_dim)
    test_recon = p.reconstruct(ds.x_test)
    # A held-out validation score needs a fit that has not seen the validation split.
    val_mse = mse(fit(ds.x_train, config.latent_dim).reconstruct(ds.x_val), ds.x_val)
    test_mse = mse(test_recon, ds.x_test)
    encoder, decoder = as_layers(p)
    total_variance = np.var(fit_data(ds), axis=0, ddof=1).sum()
    metrics = {"test_mse": test_mse, "val_mse": val_mse, "best_step": 0, "pca_test_mse": test_mse,
               "explained_variance_ratio": float(p.explained_variance.sum() / total_variance)}
    empty = np.zeros(0, np.float32)
    history = {"step": empty, "train_loss": empty, "val_loss": empty, "val_mse": empty}
    prov = {"device": "cpu (numpy)", "seed": 0, "steps": 0, "wall_s": time.perf_counter() - t0, "compile_s": 0.0,
            **(provenance or {})}
    return TrainResult(config, encoder, decoder, ds.image_shape, metrics, history,
                       ds.x_test, ds.y_test, p.encode(ds.x_test).astype(np.float32),
                       test_recon.astype(np.float32), test_recon.astype(np.float32), prov)
