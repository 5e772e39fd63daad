"""A model that trained badly is named in a warning, not published in silence."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pytest

from explainer.base.errors import ContentError
from explainer.models.experiments import ExperimentConfig
from explainer.site.training_health import training_problems
from tests.conftest import write


@dataclass
class Result:  # what training_problems reads of a TrainResult
    metrics: dict
    history: dict = field(default_factory=dict)


AE = ExperimentConfig("ae", latent_dim=2)


def test_a_good_run_has_no_problems():
    r = Result({"test_mse": 0.028, "pca_test_mse": 0.054}, {"val_loss": np.array([0.1, 0.05, 0.03])})
    assert training_problems(AE, r) == []


def test_worse_than_pca_is_named_with_both_numbers():
    (msg,) = training_problems(AE, Result({"test_mse": 0.16, "pca_test_mse": 0.054}))
    assert "worse than PCA" in msg and "0.1600 vs 0.0540" in msg and "learning_rate" in msg


def test_matching_pca_within_noise_is_fine():
    assert training_problems(AE, Result({"test_mse": 0.0027, "pca_test_mse": 0.0026})) == []


def test_rising_validation_loss_is_named():
    (msg,) = training_problems(AE, Result({}, {"val_loss": np.array([0.05, 0.2, 0.9])}))
    assert "validation loss rose" in msg


def test_pca_itself_and_the_vae_objective_are_not_compared_to_pca():
    assert training_problems(ExperimentConfig("pca"), Result({"test_mse": 1.0, "pca_test_mse": 0.1})) == []
    vae = ExperimentConfig("vae", latent_dim=2)
    assert training_problems(vae, Result({"test_mse": 0.1, "pca_test_mse": 0.05})) == []


def test_missing_or_nan_metrics_are_not_a_crash():
    assert (
        training_problems(
            AE, Result({"test_mse": float("nan"), "pca_test_mse": None}, {"val_loss": [float("nan")]})
        )
        == []
    )


@pytest.mark.slow
def test_build_warns_and_strict_fails_for_a_diverging_figure(content, build_site, tmp_path):
    write(
        content / "posts" / "2024-01-01-a.md",
        """
        ---
        title: A
        ---
        ```figure
        id: hot
        view: reconstructions
        experiment: {model: ae, latent_dim: 2, hidden: [32], steps: 300, learning_rate: 1.0}
        ```
    """,
    )
    report = build_site(content)
    assert any(
        "figure `hot`: AE" in w and ("worse than PCA" in w or "loss rose" in w) for w in report.warnings
    ), report.warnings
    with pytest.raises(ContentError, match="figure `hot`"):
        build_site(content, strict=True)
