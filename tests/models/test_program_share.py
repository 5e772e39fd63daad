"""Experiments sharing one compiled program (models/program_share.py): the plan as carry values, the
code zero-padded, several calls per evaluation, and the pool sending a family to one worker."""

from dataclasses import replace

import numpy as np
import pytest

from explainer.models import program_share
from explainer.models.experiments import ExperimentConfig


def spec_of(model: str):
    return ExperimentConfig(model).spec()


def test_only_models_exact_under_padding_pad_their_code():
    assert program_share.code_width(spec_of("ae"), 2) == 16
    assert program_share.code_width(spec_of("dae"), 17) == 32
    assert program_share.code_width(spec_of("ae"), 32) == 32
    for model in ("vae", "sparse_ae", "conv_ae"):  # a sampled or penalised code would see the padding
        assert program_share.code_width(spec_of(model), 2) == 2
    author = replace(spec_of("ae"), source=__import__("pathlib").Path("m.py"))
    assert program_share.code_width(author, 2) == 2 and not program_share.plan_in_carry(author)


def test_the_default_autoencoders_form_one_family_and_d32_another():
    ae = spec_of("ae")
    fam = {d: program_share.family(ExperimentConfig("ae", latent_dim=d).resolved(), ae) for d in (2, 8, 16, 32)}
    assert fam[2] == fam[8] == fam[16] != fam[32]  # d=32 trains with ReLU (zoo/_mlp.py)
    seeds = [program_share.family(ExperimentConfig("vae", seed=s).resolved(), spec_of("vae")) for s in (0, 1)]
    assert seeds[0] == seeds[1]


def test_pool_tasks_keep_a_family_together_unless_it_outweighs_a_worker():
    from explainer.models.runner import _tasks

    def item(model, d, steps=None):
        config = ExperimentConfig(model, latent_dim=d, steps=steps).resolved()
        return (config, None, None, "new", config.spec())

    nets = [item("ae", 32), item("dae", 16), item("ae", 16), item("vae", 2), item("ae", 2), item("ae", 8)]
    tasks = _tasks(nets, 2)
    labels = [[i[0].label() for i in task] for task in tasks]
    assert ["AE d=16", "AE d=2", "AE d=8"] in labels and labels[0] == ["AE d=32"]
    assert sorted(sum(labels, [])) == sorted(i[0].label() for i in nets)
    # Eight long runs of one family on two workers: split, about half the steps each.
    sweep = [item("ae", d, steps=3000) for d in (1, 2, 3, 4, 5, 6, 7, 8)]
    assert [len(task) for task in _tasks(sweep, 2)] == [4, 4]


jax = pytest.importorskip("jax")


def test_the_rate_from_the_carry_is_optaxs_schedule():
    import jax.numpy as jnp
    import optax

    from explainer.models.loop import learning_rate, plan_values

    for steps, lr, schedule in ((3000, 1e-2, "cosine"), (6000, 3e-3, "cosine"), (600, 1e-2, "cosine"),
                                (1234, 3e-3, "cosine"), (20000, 1e-3, "constant")):
        config = ExperimentConfig("ae", steps=steps, learning_rate=lr, schedule=schedule).resolved()
        ref = optax.cosine_decay_schedule(lr, steps) if schedule == "cosine" else (lambda c, lr=lr: jnp.float32(lr))
        counts = jnp.arange(steps + 3)
        want = np.asarray(jax.jit(jax.vmap(ref))(counts), np.float32)
        steps_f = counts.astype(jnp.float32)
        got = np.asarray(jax.jit(lambda p, t: jax.vmap(lambda c: learning_rate(p, c))(t))(plan_values(config), steps_f))
        np.testing.assert_allclose(got, want, rtol=1.2e-7, atol=0)  # within one rounding (today: equal)


@pytest.fixture(scope="module")
def digits():
    from explainer.models import data

    return data.digits()


def tiny(d, **kw):
    return ExperimentConfig("ae", latent_dim=d, **{"hidden": (16,), "steps": 150, **kw})


@pytest.mark.slow
def test_a_padded_code_trains_the_same_model(digits, monkeypatch):
    """AE d=2 trained 16 wide and cut back equals AE d=2 trained 2 wide: the padding stays zero."""
    from explainer.models import train

    padded = train.train(tiny(2), digits, device="cpu")
    monkeypatch.setattr(program_share, "code_width", lambda spec, d: d)
    monkeypatch.setattr(program_share, "BASE_STEPS", 150)
    plain = train.train(tiny(2), digits, device="cpu")
    assert padded.test_z.shape == plain.test_z.shape == (297, 2)
    np.testing.assert_allclose(padded.test_recon, plain.test_recon, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(padded.history["train_loss"], plain.history["train_loss"], rtol=1e-5)
    assert padded.metrics["best_step"] == plain.metrics["best_step"]
    assert padded.provenance["n_params"] == plain.provenance["n_params"]
    assert {k: np.shape(v) for k, v in padded.params.items()} == {k: np.shape(v) for k, v in plain.params.items()}


@pytest.mark.slow
def test_runs_of_one_family_reuse_one_compiled_program(digits):
    """d=2 and d=8 with different rates, schedules and lengths: the second compiles no chunk program,
    and its result is what it would be alone."""
    from explainer.models import loop, train

    loop._COMPILED.clear()
    train.train(tiny(8, steps=150, learning_rate=1e-2), digits, device="cpu")
    programs = dict(loop._COMPILED)
    second = train.train(tiny(2, steps=300, learning_rate=3e-3, schedule="constant"), digits, device="cpu")
    assert loop._COMPILED == programs  # no new chunk program
    loop._COMPILED.clear()
    alone = train.train(tiny(2, steps=300, learning_rate=3e-3, schedule="constant"), digits, device="cpu")
    np.testing.assert_array_equal(second.test_recon, alone.test_recon)
    np.testing.assert_array_equal(second.history["val_loss"], alone.history["val_loss"])
