"""Training that went badly is named, not published in silence.

Divergence to NaN already stops a build (models/train.py). Two quieter failures do not: a model
that ends clearly worse than PCA with the same code size (a learning rate of 1.0 publishes figures
3× worse than the linear baseline), and a run whose validation loss ended higher than it started.
Each is a warning naming the figure (an error under --strict).
"""

from __future__ import annotations

import math

WORSE_THAN_PCA = 1.10  # at d=32 a good AE only matches PCA (notes: 0.0025 vs 0.0026); 10% is no noise
RECONSTRUCTING = ("ae", "dae", "sparse_ae", "conv_ae")  # the VAE's objective trades MSE for its prior


def training_problems(config, result) -> list[str]:
    """What went wrong with one trained experiment, as sentences for a warning; [] when fine."""
    if config.model == "pca":
        return []
    problems = []
    m = result.metrics or {}
    mse, pca = _number(m.get("test_mse")), _number(m.get("pca_test_mse"))
    if config.model in RECONSTRUCTING and mse is not None and pca is not None and 0 < pca * WORSE_THAN_PCA < mse:
        problems.append(f"{config.label()} ends worse than PCA with the same code size (test MSE "
                        f"{mse:.4f} vs {pca:.4f}); lower `learning_rate` or train longer (`steps`)")
    val = [float(v) for v in (result.history or {}).get("val_loss", []) if _finite(v)]
    if len(val) >= 2 and val[-1] > val[0]:
        problems.append(f"{config.label()}'s validation loss rose during training ({val[0]:.4g} → "
                        f"{val[-1]:.4g}); lower `learning_rate`")
    return problems


def _number(value) -> float | None:
    """A finite float, or None for anything else (missing, NaN, not a number)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _finite(value) -> bool:
    return _number(value) is not None
