"""Run in a subprocess by test_sharding.py, under XLA_FLAGS=--xla_force_host_platform_device_count=8
(XLA reads its flags once per process: the test's own process may already hold jax with one device).

`python -m tests.models.sharding_probe placement|large` prints one JSON object on its last line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np


def tiny(model="ae", **kw):
    from explainer.models.experiments import ExperimentConfig

    base = dict(latent_dim=2, hidden=(16,), steps=120, learning_rate=3e-3, schedule="constant", batch_size=96)
    return ExperimentConfig(model, **{**base, **kw}).resolved()


def run_items(configs, cache_dir):
    """Through the runner, as a build trains them: (config, outcome) in the order they finish."""
    from explainer.models.runner import run_all

    todo = [(c, f"k{i}", {}, "new") for i, c in enumerate(configs)]
    return [(item[0], outcome) for item, outcome in run_all(todo, cache_dir, Path("content"), "cpu")]


def placement(cache_dir):
    """Seven experiments in five groups (one of three seeds, vmapped) placed over 8 devices and
    trained concurrently, against the same groups trained one after another on the first device."""
    from dataclasses import replace

    from explainer.models import data
    from explainer.models.train import train_group

    configs = [tiny(latent_dim=d) for d in (1, 3)] + [tiny(hidden=(h,)) for h in (8, 24)]
    configs += [tiny(seed=s) for s in (0, 1, 2)]
    placed = run_items(configs, cache_dir)
    digits, alone = data.digits(), {}
    for shape in dict.fromkeys(replace(c, seed=0) for c in configs):  # the groups, one after another
        group = [c for c in configs if replace(c, seed=0) == shape]
        alone.update(zip(group, train_group(group, digits, device="cpu")))
    out: dict = {"devices": {}, "batched": {}, "same": {}}
    for config, result in placed:
        label, other = config.label(), alone[config]
        out["devices"][label] = result.provenance["device"]
        out["batched"][label] = result.provenance["batched_with"]
        out["same"][label] = bool(all(np.array_equal(result.history[k], other.history[k]) for k in result.history)
                                  and result.metrics["test_mse"] == other.metrics["test_mse"])
    return out


def large(cache_dir):
    """One experiment data-parallel over the 8 devices against the same on one device: a VAE, whose
    loss draws noise for every example of the batch (the same draws however the batch is split)."""
    import jax

    from explainer.models import data
    from explainer.models.sharded import data_parallel
    from explainer.models.train import train_group

    config, digits = tiny("vae", large=True), data.digits()
    mesh = data_parallel(config, len(digits.x_train), jax.devices())
    programs, compile_ = [], jax.stages.Lowered.compile

    def keep(self, *args, **kwargs):  # the compiled programs' text, to find the gradient's all-reduce
        compiled = compile_(self, *args, **kwargs)
        programs.append(compiled.as_text())
        return compiled

    jax.stages.Lowered.compile = keep
    try:
        sharded = train_group([config], digits, device="cpu", placement=mesh)[0]
    finally:
        jax.stages.Lowered.compile = compile_
    single = train_group([config], digits, device="cpu")[0]
    through_runner = run_items([config], cache_dir)[0][1]
    flat = lambda r: np.concatenate([np.ravel(v) for _, v in sorted(r.params.items())])
    rel = lambda a, b: float(np.max(np.abs(a - b) / (np.abs(b) + 1e-6)))
    bad = run_items([tiny(large=True, batch_size=100)], cache_dir)[0][1]
    return {"n_devices": len(jax.devices()), "device": sharded.provenance["device"],
            "all_reduces": sum(text.count("all-reduce(") for text in programs),
            "runner_device": through_runner.provenance["device"],
            "loss_rel": rel(sharded.history["train_loss"], single.history["train_loss"]),
            "val_rel": rel(sharded.history["val_loss"], single.history["val_loss"]),
            "params_max_abs": float(np.max(np.abs(flat(sharded) - flat(single)))),
            "params_scale": float(np.max(np.abs(flat(single)))),
            "test_mse": [sharded.metrics["test_mse"], single.metrics["test_mse"]],
            "bad_batch": [type(bad).__name__, str(bad)]}


if __name__ == "__main__":
    print(json.dumps({"placement": placement, "large": large}[sys.argv[1]](Path(sys.argv[2]))))
