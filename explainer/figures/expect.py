"""Claims a figure makes about its numbers, checked after training; the build fails on a false one.

An author writes them in the block's `expect:` mapping, and each is checked for every experiment of
the figure:

    expect:
      beats_pca: true          # test MSE below PCA's at the same latent size (false: not below)
      max_test_mse: 0.03       # test MSE at most this
      val_mse: {max: 0.04}     # any measured metric, with `min:` and/or `max:` (inclusive)
      kl: {min: 1.0, max: 20}

Prose that says "the autoencoder beats PCA" stays true only while the numbers agree; a retrained
model that stops agreeing fails the build with the measured numbers instead of shipping a wrong
sentence.
"""

from __future__ import annotations


def _fmt(x: float) -> str:
    return f"{x:.4g}"


def _beats_pca(claim: bool, label: str, metrics: dict) -> str | None:
    mse, pca = metrics.get("test_mse"), metrics.get("pca_test_mse")
    if mse is None or pca is None:
        return f"expect beats_pca: {label} has no test_mse/pca_test_mse to compare"
    if claim and not mse < pca:
        return f"expect beats_pca: {label} test MSE {_fmt(mse)} is not below PCA's {_fmt(pca)}"
    if not claim and mse < pca:
        return f"expect beats_pca: false, but {label} test MSE {_fmt(mse)} is below PCA's {_fmt(pca)}"
    return None


def _bound(metric: str, low, high, label: str, metrics: dict) -> str | None:
    if metric not in metrics:
        return (f"expect {metric}: {label} has no metric `{metric}`; measured: "
                f"{', '.join(sorted(metrics))}")
    value = float(metrics[metric])
    if low is not None and value < low:
        return f"expect {metric}: {label} {metric} {_fmt(value)} is below the minimum {_fmt(low)}"
    if high is not None and value > high:
        return f"expect {metric}: {label} {metric} {_fmt(value)} is above the maximum {_fmt(high)}"
    return None


def _claims_for(expect: dict, label: str, metrics: dict):
    for key, claim in expect.items():
        if key == "beats_pca":
            yield _beats_pca(bool(claim), label, metrics)
        elif key == "max_test_mse":
            yield _bound("test_mse", None, float(claim), label, metrics)
        else:
            yield _bound(key, claim.get("min"), claim.get("max"), label, metrics)


def check_expectations(spec, results: dict) -> list[str]:
    """Every failed claim of `spec.expect`, with the measured numbers; the caller adds the figure's
    `path:line` (e.g. "expect beats_pca: AE d=2 test MSE 0.031 is not below PCA's 0.029")."""
    failures = []
    for config in spec.experiments:
        result = results.get(config)
        if result is None:
            continue
        if config.model == "pca" and "beats_pca" in spec.expect:
            continue  # PCA against itself says nothing
        for problem in _claims_for(spec.expect, config.label(), result.metrics):
            if problem:
                failures.append(problem)
    return failures
