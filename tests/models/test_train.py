"""Training: the loss falls, the best validation parameters are kept, divergence is reported."""

from dataclasses import replace

import numpy as np
import pytest

pytest.importorskip("jax")
pytestmark = pytest.mark.slow  # every test here compiles and runs JAX models

from explainer.models import data, train  # noqa: E402
from explainer.models.experiments import ExperimentConfig  # noqa: E402
from explainer.models.loop import chunk_length  # noqa: E402
from explainer.models.training_error import TrainingError  # noqa: E402


@pytest.fixture(scope="module")
def digits():
    return data.digits()


def tiny(model="ae", **kw):
    base = dict(latent_dim=2, hidden=(8,), steps=260, learning_rate=3e-3, schedule="constant")
    return ExperimentConfig(model, **{**base, **kw})


@pytest.fixture(scope="module")
def overfit(digits):
    """One small AE at a high learning rate: it learns fast, then overfits."""
    return train.train(tiny(learning_rate=3e-2, steps=300), digits, device="cpu")


def test_training_reduces_the_loss_and_fills_the_result(overfit):
    h = overfit.history
    assert len(h["step"]) == len(h["train_loss"]) == len(h["val_loss"]) == len(h["val_mse"])
    assert h["train_loss"][-1] < 0.7 * h["train_loss"][0]
    m = overfit.metrics
    assert m["test_mse"] < 0.07 and m["pca_test_mse"] == pytest.approx(0.054, abs=0.002)
    assert overfit.test_z.shape == (297, 2) and overfit.test_recon.shape == (297, 64)
    assert overfit.pca_recon.shape == (297, 64) and overfit.image_shape == (8, 8)
    p = overfit.provenance
    assert p["device"] == "cpu" and p["steps"] == 300 and set(p["versions"]) == {"jax", "flax", "optax"}
    assert p["compile_s"] > 0 and p["wall_s"] >= p["train_s"]


def test_best_validation_parameters_are_kept(overfit):
    """The kept parameters are those of the best validation score, not the last ones."""
    h, m = overfit.history, overfit.metrics
    best = int(np.argmin(h["val_loss"]))
    assert m["best_step"] == h["step"][best]
    assert m["best_val_loss"] == pytest.approx(float(h["val_loss"][best]), rel=1e-5)
    assert m["val_mse"] == pytest.approx(float(h["val_mse"][best]), rel=1e-5)
    recon_mse = float(np.mean((overfit.test_recon - overfit.test_x) ** 2))
    assert recon_mse == pytest.approx(m["test_mse"], rel=1e-4)


def test_refit_on_train_and_validation_stops_at_the_chosen_step(overfit):
    """The kept parameters come from a second run on all 1,500 non-test digits, stopped at the
    step the validation split chose; PCA, the baseline, is fitted on the same images."""
    p, m = overfit.provenance, overfit.metrics
    assert p["refit_on"] == 1500 and p["refit_steps"] == m["best_step"] > 0
    assert overfit.config.opt("activation") == "gelu"  # the validated default for small codes


def test_divergence_names_config_and_step(digits):
    """A NaN in the data makes the first step's loss NaN: training stops with a clear error."""
    x = digits.x_train.copy()
    x[:, 0] = np.nan
    with pytest.raises(TrainingError) as err:
        train.train(tiny(steps=40), replace(digits, x_train=x), device="cpu")
    assert err.value.step == 1 and "AE d=2" in str(err.value) and "step 1" in str(err.value)


def test_dae_metrics(digits):
    dae = train.train(tiny("dae", latent_dim=4, steps=40), digits, device="cpu").metrics
    assert dae["noisy_input_mse"] == pytest.approx(0.09, abs=0.005)
    assert {"denoise_mse", "pca_denoise_mse"} <= set(dae)


@pytest.mark.slow
def test_vae_metrics(digits):
    vae = train.train(tiny("vae", steps=100), digits, device="cpu").metrics
    assert vae["elbo"] < 0 and vae["kl"] > 0


@pytest.mark.slow
def test_same_seed_is_bit_identical(digits):
    a = train.train(tiny(steps=40), digits, device="cpu")
    b = train.train(tiny(steps=40), digits, device="cpu")
    np.testing.assert_array_equal(a.test_recon, b.test_recon)


@pytest.mark.slow
def test_vmapped_group_trains_each_seed(digits):
    """On a GPU, seeds train as one vmapped program; the same code runs (slowly) on the CPU."""
    configs = [tiny(steps=60, seed=s) for s in (0, 1)]
    results = train.train_group(configs, digits, device="cpu")
    single = train.train(configs[1], digits, device="cpu")
    assert results[0].provenance["batched_with"] == 2
    assert not np.allclose(results[0].test_z, results[1].test_z)
    np.testing.assert_allclose(results[1].test_recon, single.test_recon, atol=2e-3)


def test_pca_result_has_linear_layers(digits):
    r = train.train(ExperimentConfig("pca", latent_dim=8), digits)
    assert r.metrics["test_mse"] == pytest.approx(0.0245, abs=0.001)
    assert r.encoder[0].w.shape == (64, 8) and r.decoder[0].activation == "linear"


# Targets from the issue (test MSE on the notes' 297 digits); the bench prints the same table.
QUALITY_TARGETS = {("ae", 2): 0.029, ("ae", 8): 0.011, ("ae", 16): 0.0057, ("ae", 32): 0.0025}


@pytest.mark.slow
def test_default_site_models_meet_the_quality_targets():
    """The default configurations, trained as a cold build does (~50 s on 2 cores). They share the
    repository's training cache with the default site's build (tests/browser/test_article.py), so
    the suite trains them once; a cached result is exactly what training would give (the key covers
    code, data, settings and library versions)."""
    from explainer.models.cache import load_or_train
    from tests.conftest import REPO

    configs = [ExperimentConfig("ae", latent_dim=d) for d in (2, 8, 16, 32)]
    configs += [ExperimentConfig("dae", latent_dim=16, noise=0.3), ExperimentConfig("vae", latent_dim=2)]
    results = load_or_train(configs, cache_dir=REPO / ".cache" / "models", content_dir=REPO / "content",
                            device="cpu", log=lambda _: None)
    for config, r in results.items():
        m = r.metrics
        if (config.model, config.latent_dim) in QUALITY_TARGETS:
            assert m["test_mse"] <= QUALITY_TARGETS[config.model, config.latent_dim], config.label()
            assert m["test_mse"] < m["pca_test_mse"]
    dae = results[configs[4].resolved()].metrics
    assert dae["denoise_mse"] < 0.5 * dae["pca_denoise_mse"] and dae["denoise_mse"] <= 0.0165
    assert results[configs[5].resolved()].metrics["elbo"] > -24.0


def test_chunk_length_divides_steps():
    assert chunk_length(3000) == 75 and 12000 % chunk_length(12000) == 0
    assert chunk_length(5) == 1
