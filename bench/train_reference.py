"""The reference `bench/train_speed.py` measures the build's training against: the same models trained
by the plainest JAX program, in the same run.

Per experiment: the same net (`spec.build`, initialised eagerly), the same loss, optimiser and
schedule, the same batch size, and the same amount of work as the build's protocol (train.py): a
run of the plan's steps on the training split, then a run to the build's chosen step on training +
validation. Each run is one `jax.jit` of one `lax.scan` over every step, its batch indices drawn in
numpy beforehand. Nothing else: no validation scoring, no moving average, no chunks, no cache, no
page forms. Like a build on the CPU, experiments train in one spawned process per core, each kept
on its own core.

    python bench/train_reference.py '<json: [[config fields, refit steps], ...]>'   # prints JSON
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _configs(items):
    from explainer.models.experiments import ExperimentConfig
    from explainer.models.table import tables_for

    tables = tables_for(REPO / "content")  # the content's own models (contractive_ae)
    return [(ExperimentConfig(**fields).resolved(tables), refit, tables) for fields, refit in items]


def train_plain(fields: dict, refit_steps: int) -> dict:
    """Train one experiment the plain way; returns timings and its test MSE."""
    from explainer.models.device import configure

    configure("cpu", share=_SHARE[0] if _SHARE else None)
    import jax
    import jax.numpy as jnp
    import numpy as np
    import optax
    from flax import nnx

    from explainer.models.authored_data import load_any
    from explainer.models.loop import optimizer
    from explainer.models.train import data_info

    t0 = time.perf_counter()
    (config, _, tables), = _configs([(fields, refit_steps)])
    spec = config.spec(tables)
    data = load_any(config, REPO / "content")
    info = data_info(config, data)
    tx = optimizer(config)

    def run_once(x_rows, steps: int):
        model = spec.build(config, info, config.seed)
        graphdef, params = nnx.split(model)
        batch = min(config.batch_size, len(x_rows))
        rng = np.random.default_rng(config.seed)
        per_epoch = len(x_rows) // batch
        epochs = -(-steps // per_epoch)
        idx = np.concatenate([rng.permutation(len(x_rows))[: per_epoch * batch] for _ in range(epochs)])
        idx = idx.reshape(-1, batch)[:steps].astype(np.int32)

        def loss(p, xb, key):
            return spec.loss(nnx.merge(graphdef, p), xb.reshape(len(xb), *info.shape), key, config, info)

        @jax.jit
        def fit(params, x, idx):
            def step(carry, inputs):
                params, opt = carry
                rows, key = inputs
                value, grads = jax.value_and_grad(loss)(params, x[rows], key)
                updates, opt = tx.update(grads, opt, params)
                return (optax.apply_updates(params, updates), opt), value

            keys = jax.random.split(jax.random.PRNGKey(config.seed), len(idx))
            (params, _), losses = jax.lax.scan(step, (params, tx.init(params)), (idx, keys))
            return params, losses

        params, losses = fit(params, jnp.asarray(x_rows), jnp.asarray(idx))
        jax.block_until_ready(params)
        return nnx.merge(graphdef, params)

    select_t0 = time.perf_counter()
    run_once(data.x_train, int(config.steps))
    select_s = time.perf_counter() - select_t0
    model = run_once(np.concatenate([data.x_train, data.x_val]), int(refit_steps)) if refit_steps else None
    x = data.x_test
    test_mse = float("nan")
    if model is not None:
        shaped = jnp.asarray(x).reshape(len(x), *info.shape)
        recon = np.asarray(spec.decode(model, spec.encode(model, shaped))).reshape(x.shape)
        test_mse = float(np.mean((recon - x) ** 2))
    return {"label": config.label(), "select_s": select_s, "wall_s": time.perf_counter() - t0,
            "steps": int(config.steps) + int(refit_steps), "test_mse": test_mse}


_SHARE: list = []  # in a worker: (its index, how many workers), as a build's workers (models/runner.py)


def _init(counter, workers: int) -> None:
    with counter.get_lock():
        index, counter.value = counter.value, counter.value + 1
    _SHARE.append((index, workers))


def main() -> None:
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    items = json.loads(sys.argv[1])
    workers = min(len(os.sched_getaffinity(0)), len(items))
    order = sorted(items, key=lambda item: -(item[0].get("steps") or 0))
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init, initargs=(ctx.Value("i", 0), workers)) as pool:
        rows = list(pool.map(train_plain, *zip(*order)))
    print(json.dumps(rows))


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    main()
