"""ExperimentConfig: plans, canonical resolution, labels and YAML validation."""

from explainer.models.experiments import FIELDS, ExperimentConfig, parse_experiment


def errors_for(data):
    config, errors = parse_experiment(data)
    assert config is None
    return dict(errors)


def test_resolved_fills_the_plan_and_is_idempotent():
    r = ExperimentConfig("ae", latent_dim=16).resolved()
    assert (r.steps, r.learning_rate, r.schedule, r.opt("loss")) == (6000, 3e-3, "cosine", "mse")
    assert r.resolved() == r
    assert ExperimentConfig("vae").resolved().opt("loss") == "bce"
    assert ExperimentConfig("vae", dataset="moons").resolved().opt("loss") == "mse"
    dae = ExperimentConfig("dae", latent_dim=16, noise_type="mask").resolved()
    assert (dae.opt("noise"), dae.steps, dae.schedule) == (0.3, 12000, "constant")


def test_spelled_out_defaults_and_ignored_options_share_one_run():
    assert ExperimentConfig("ae").resolved() == ExperimentConfig("ae", steps=3000, learning_rate=0.01).resolved()
    # beta means nothing to a plain AE, seed nothing to PCA: they must not split the cache
    assert ExperimentConfig("ae", beta=4.0).resolved() == ExperimentConfig("ae").resolved()
    assert ExperimentConfig("pca", seed=3).resolved() == ExperimentConfig("pca").resolved()
    assert ExperimentConfig("ae", seed=1).resolved() != ExperimentConfig("ae").resolved()


def test_labels():
    assert ExperimentConfig("ae").label() == "AE d=2"
    assert ExperimentConfig("dae", latent_dim=16, noise=0.3).label() == "DAE σ=0.3"
    assert ExperimentConfig("vae").label() == "VAE d=2 β=1"
    assert ExperimentConfig("pca", latent_dim=1, dataset="moons").label() == "PCA d=1 · moons"


def test_to_dict_round_trips():
    c = ExperimentConfig("sparse_ae", latent_dim=16, hidden=(32,)).resolved()
    assert ExperimentConfig.from_dict(c.to_dict()) == c
    assert isinstance(c.to_dict()["hidden"], list) and c.to_dict()["sparsity"] == 0.001


def test_parse_valid_mapping():
    config, errors = parse_experiment({"model": "dae", "latent_dim": 16, "noise": 0.5, "learning_rate": "1e-3"})
    assert errors == []
    assert config == ExperimentConfig("dae", latent_dim=16, noise=0.5, learning_rate=1e-3)


def test_unknown_key_suggests_the_right_one():
    errors = errors_for({"model": "ae", "laten_dim": 2})
    assert "did you mean 'latent_dim'" in errors["laten_dim"]
    assert "Valid options" in errors["laten_dim"]


def test_bad_choice_lists_choices_and_suggests():
    msg = errors_for({"model": "vea"})["model"]
    assert "did you mean 'vae'" in msg and "conv_ae" in msg


def test_wrong_type_and_out_of_range():
    errors = errors_for({"model": "ae", "steps": "many", "latent_dim": 0, "learning_rate": 5})
    assert "whole number" in errors["steps"]
    assert "between 1 and" in errors["latent_dim"]
    assert "at most 1" in errors["learning_rate"]


def test_missing_model_and_non_mapping():
    assert "model is required" in errors_for({"latent_dim": 2})["model"]
    _, errors = parse_experiment(["ae"])
    assert errors[0][0] is None and "mapping" in errors[0][1]


def test_option_for_another_model_and_impossible_combinations():
    errors = errors_for({"model": "ae", "beta": 2})
    assert "does not apply to model ae" in errors["beta"]
    assert "2-D" in errors_for({"model": "ae", "dataset": "moons", "latent_dim": 3})["latent_dim"]
    assert "needs path" in errors_for({"model": "ae", "dataset": "npz"})["path"]
    assert "images" in errors_for({"model": "conv_ae", "dataset": "circles"})["dataset"]


def test_every_field_has_help():
    from dataclasses import fields

    assert {f.name for f in fields(ExperimentConfig)} - {"options", "is_resolved", "title"} == set(FIELDS)
