"""train(config, data) → TrainResult: build the net, run the chunked loop, score it against PCA.

Training runs twice. First on the training split, scoring the validation split after every chunk:
these autoencoders overfit after a few thousand steps (docs/training-notes.md), so the step
with the best validation loss is the stopping step. Then the same run again on training +
validation together, stopped at that step: those parameters are kept. The test split is never used
for a choice; every score is on it. The DAE is also scored on one fixed noisy copy of it, against
PCA denoising and against doing nothing (the noisy input itself).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from importlib import metadata

import numpy as np

from . import data as data_mod
from . import pca as pca_mod
from .protocol import DataInfo
from .result import TrainResult
from .training_error import TrainingError

__all__ = ["train", "train_group", "TrainingError", "library_versions"]


def library_versions() -> dict:
    """jax/flax/optax versions from package metadata: reading them never imports jax."""
    return {name: metadata.version(name) for name in ("jax", "flax", "optax")}


def train(config, data, *, progress=None, device: str | None = None, spec=None) -> TrainResult:
    """Train one experiment. `progress(config, step, steps, train_loss, val_loss, steps_per_s, phase)`
    after every chunk; phase is "selecting" (on the training split) or "refitting" (runner.Progress)."""
    result = train_group([config], data, progress=progress, device=device, spec=spec)[0]
    if isinstance(result, TrainingError):
        raise result
    return result


def _check_group(configs, data, spec):
    from dataclasses import replace

    first = replace(configs[0], seed=0)
    if any(replace(c, seed=0) != first for c in configs):
        raise ValueError("train_group trains configs that differ only in seed")
    if configs[0].opt("loss") == "bce" and not data.in_unit_range:
        raise data_mod.DataError(f"loss bce needs data in [0, 1]; {data.name} is not: use loss: mse")


def data_info(config, data) -> DataInfo:
    return DataInfo(tuple(data.image_shape or (data.dim,)), config.latent_dim, data.in_unit_range)


def train_group(configs, data, *, progress=None, device: str | None = None, spec=None, placement=None) -> list:
    """Train configs that differ only in seed, as one vmapped program when there are several.

    `placement` (models/sharded.py): the device, or the mesh of a data-parallel run; default the
    first device of `device`. Returns, in order, a TrainResult per config or the TrainingError that
    stopped it.
    """
    spec = spec or configs[0].spec()
    configs = [c.resolved() for c in configs]
    if not spec.trains:
        return [spec.fit(c, data) for c in configs]
    _check_group(configs, data, spec)
    from .device import configure, default_device, describe

    jax = configure(device)
    dev = placement.device if placement is not None else default_device(device)
    where = placement.describe() if placement is not None else describe(dev)
    with jax.default_device(dev):
        if spec.source is None:
            return _train_on_device(configs, data, progress, where, spec, placement)
        try:  # an author's model: its exceptions are reported at its own lines
            return _train_on_device(configs, data, progress, where, spec, placement)
        except (TrainingError, data_mod.DataError):
            raise
        except Exception as exc:
            from .author_errors import from_exception

            raise from_exception(exc, spec.content_dir, (str(spec.source), 1),
                                 f"training {configs[0].label()}", configs[0]) from None


def _train_on_device(configs, data, progress, device_name: str, spec, placement=None) -> list:
    """Select the stopping step on validation, refit on train+validation to it, score on test."""
    import jax

    t_start = time.perf_counter()
    info = data_info(configs[0], data)
    graphdef = _abstract_graph(spec, configs, info)
    failed: dict[int, int] = {}
    # Both phases draw batches from one array, the training split first (loop.Program): selection
    # from its first len(x_train) rows, the refit from all of them, through the same compiled program.
    x_rows = np.concatenate([data.x_train, data.x_val])
    from .program_share import PaddedCode

    padded = PaddedCode.of(spec, configs[0], info)
    run = _Runner(graphdef, spec, configs, data, info, failed, progress, x_rows, {}, placement, padded)
    # Phase 1, selection: train on the training split, score the validation split after every
    # chunk and remember the best step. Its curves are the history the figures draw.
    sel = run.phase(len(data.x_train), None)
    best_steps = [int(s) for s in np.atleast_1d(np.asarray(sel.state["best_step"]))]
    best_vals = np.atleast_1d(np.asarray(sel.state["best_val"]))
    # Phase 2, refit: the same run (same init, batches drawn the same way, same schedule) on all
    # 1,500 non-test images, stopped at the chosen step. See REFIT for why.
    fit = sel
    if REFIT and len(failed) < len(configs):
        fit = run.phase(len(x_rows), best_steps)
    refit = fit is not sel
    train_s = sel.train_s + (fit.train_s if refit else 0.0)
    compile_s = sel.compile_s + (fit.compile_s if refit else 0.0)
    out = []
    for i, c in enumerate(configs):
        if i in failed:
            out.append(TrainingError(c, failed[i]))
            continue
        member = (lambda st, i=i: jax.tree.map(lambda a: a[i], st)) if len(configs) > 1 else (lambda st: st)
        best = member(fit.state)["best"]
        best = padded.cut(best) if padded is not None else best  # the real weights (program_share.py)
        history = {k: np.asarray([h if k == "step" else h[i] for h in v], np.float32 if k != "step" else np.int64)
                   for k, v in sel.hist.items()}
        prov = {"device": device_name, "versions": library_versions(), "seed": c.seed, "steps": c.steps,
                "compile_s": round(compile_s, 3), "train_s": round(train_s, 3),
                "steps_per_s": round((sel.steps + fit.steps * refit) * len(configs) / max(train_s, 1e-9), 1),
                "batched_with": len(configs), "n_params": _count(best),
                "refit_on": len(x_rows) * refit, "refit_steps": best_steps[i] * refit,
                "unit_range": bool(data.in_unit_range)}
        selection = {"best_step": best_steps[i], "best_val_loss": float(best_vals[i])}
        out.append(_result(c, spec, info, graphdef, best, selection, history, data, prov))
        prov["wall_s"] = round(time.perf_counter() - t_start, 3)
    return out


def _abstract_graph(spec, configs, info):
    """The model's static half, from a build that computes nothing (`nnx.eval_shape`), so an author's
    shapes are checked before any compile; the parameters are built inside a compiled program
    (loop.compile_start)."""
    from flax import nnx

    from .purefn import abstract_module

    abstract = abstract_module(spec, configs[0], info)
    spec.validate(abstract, configs[0], info)  # an author's shapes, before a long compile
    return nnx.split(abstract)[0]


# Refit on train+validation, stopped at the step chosen on validation alone: standard practice
# when data are scarce. Holding out 200 of 1,500 digits costs the final model 13% of its data
# (the reference models in docs/training-notes.md saw all 1,500); the refit gets them back, and the validation split
# has already done its one job. Same batch size, same plan and schedule, so the chosen step means
# the same number of updates at the same learning rates. It costs a second run up to the chosen
# step, but no second compile (loop.Program); the kept parameters are the moving average
# (loop.EMA_DECAY), which makes a mid-schedule stopping step reproducible across the two runs.
REFIT = True


@dataclass
class _Phase:
    state: dict
    hist: dict
    steps: int
    compile_s: float
    train_s: float


@dataclass
class _Runner:
    """What both phases share: the model's static half, the group, the rows, and where failures go."""

    graphdef: object
    spec: object
    configs: list
    data: object
    info: DataInfo
    failed: dict
    progress: object
    x_rows: np.ndarray  # training split, then validation split
    starts: dict  # member → its compiled initialiser (loop.compile_start), shared by both phases
    placement: object = None  # models/sharded.py: where the state and data live, how batches split
    padded: object = None  # program_share.PaddedCode: the code is trained zero-padded

    def phase(self, n_active: int, targets) -> _Phase:
        """Train every member on the first `n_active` rows in chunks. targets None: keep the
        parameters with the best validation loss; else keep member i's parameters at step targets[i]
        and stop at the last."""
        import jax
        import jax.numpy as jnp
        from flax import nnx

        from .batch_order import BatchOrder
        from .loop import Program, adam, chunk_length, compile_chunk, compile_start, ema_decay
        from .program_share import call_steps

        cfg, configs, pad = self.configs[0], self.configs, self.padded
        where = self.placement
        program = Program(pad.graphdef if pad else self.graphdef, self.spec, pad.config(cfg) if pad else cfg,
                          pad.info if pad else self.info, len(self.x_rows), adam(), ema_decay(cfg),
                          n_min=len(self.data.x_train),
                          batch_sharding=where.batch_sharding if where is not None else None)
        t0 = time.perf_counter()
        for i, c in enumerate(configs):
            if i not in self.starts:
                def build(c=c):
                    params = nnx.split(self.spec.build(c, self.info, c.seed))[1]  # the real model's weights
                    return pad.pad(params) if pad else params

                self.starts[i] = compile_start(program, build, c.seed)
        states = [self.starts[i](n_active, -1 if targets is None else targets[i]) for i in range(len(configs))]
        init_s = time.perf_counter() - t0
        batched = len(configs) > 1
        state = jax.tree.map(lambda *xs: jnp.stack(xs), *states) if batched else states[0]
        x_rows, x_val = jnp.asarray(self.x_rows), jnp.asarray(self.data.x_val)
        if where is not None:  # committed to the device, or replicated over the mesh
            state, x_rows, x_val = where.put((state, x_rows, x_val))
        length = chunk_length(cfg.steps)  # the same chunks in both phases: every target is a chunk end
        total = cfg.steps if targets is None else max(targets)
        # The program's calls: `per_call` steps each, the last of every chunk scoring validation.
        per_call = call_steps(self.spec, length)
        calls = [(s, min(per_call, end - s), s + per_call >= end)
                 for chunk in range(0, total, length) for end in [min(chunk + length, total)]
                 for s in range(chunk, end, per_call)]
        order = BatchOrder(np.asarray(state["key"]), len(self.x_rows), n_active, program.batch)

        def rows(start: int, n: int):
            idx = order.rows(start, n)
            return where.put(idx) if where is not None else idx

        idx = rows(0, calls[0][1])
        compile_s, programs = init_s, {}
        hist: dict[str, list] = {"step": [], "train_loss": [], "val_loss": [], "val_mse": []}
        step, parts, t_train = 0, [], time.perf_counter()
        for k, (start, n, evaluate) in enumerate(calls):
            if len(self.failed) == len(configs):
                break
            if n not in programs:  # a last, shorter call needs its own program
                programs[n], seconds = compile_chunk(program, state, x_rows, x_val, idx, n, batched)
                compile_s += seconds
                if k == 0:
                    t_train = time.perf_counter()
            state, losses, val_loss, val_mse = programs[n](state, start, idx, evaluate)
            if k + 1 < len(calls):  # the next call's rows, drawn while this one runs
                idx = rows(*calls[k + 1][:2])
            parts.append(losses)
            if not evaluate:
                continue
            losses = np.atleast_2d(np.concatenate([np.atleast_2d(np.asarray(x)) for x in parts], axis=-1))
            parts = []  # (models, steps of the chunk)
            _note_failures(losses, step, self.failed, configs)
            step = start + n
            for key, value in (("step", step), ("train_loss", losses.mean(-1)),
                               ("val_loss", np.atleast_1d(np.asarray(val_loss))),
                               ("val_mse", np.atleast_1d(np.asarray(val_mse)))):
                hist[key].append(value)
            if self.progress is not None:
                rate = step * len(configs) / max(time.perf_counter() - t_train, 1e-9)
                self.progress(cfg, step, total, float(np.nanmean(losses)),
                              float(np.nanmean(hist["val_loss"][-1])), rate,
                              "selecting" if targets is None else "refitting")
        return _Phase(state, hist, step, compile_s, time.perf_counter() - t_train)


def _note_failures(losses, start, failed, configs):
    """Record the first non-finite step of each model; a single model stops at once."""
    for i, row in enumerate(losses):
        bad = np.flatnonzero(~np.isfinite(row))
        if len(bad) and i not in failed:
            failed[i] = start + int(bad[0]) + 1
            if len(configs) == 1:
                raise TrainingError(configs[i], failed[i])


def _count(params) -> int:
    import jax

    return int(sum(np.size(x) for x in jax.tree.leaves(params)))


def _result(cfg, spec, info, graphdef, params, selection, history, data, prov) -> TrainResult:
    """Score the kept parameters on the test split and pack everything as numpy."""
    from flax import nnx

    from .protocol import flat_params
    from .score import score

    model = nnx.merge(graphdef, params)
    x = data.x_test
    test_z, test_recon, metrics = score(spec, cfg, info, model, data)
    result_params = flat_params(params)
    encoder, decoder = _page_forms(spec, cfg, info, model, result_params)
    best_step = selection["best_step"]
    at_best = history["val_mse"][history["step"] == best_step]
    pca_recon = pca_mod.fit(pca_mod.fit_data(data), cfg.latent_dim).reconstruct(x)  # fitted on what the net saw
    metrics = {"test_mse": pca_mod.mse(test_recon, x),
               "val_mse": float(at_best[0]) if len(at_best) else float("nan"),
               "best_step": best_step, "best_val_loss": selection["best_val_loss"],
               "pca_test_mse": pca_mod.mse(pca_recon, x),
               "final_train_loss": float(history["train_loss"][-1]), **metrics}
    return TrainResult(cfg, encoder, decoder, data.image_shape, metrics, history, x, data.y_test,
                       test_z, test_recon, pca_recon.astype(np.float32), prov,
                       params=result_params, data_shape=tuple(info.shape))


def _page_forms(spec, cfg, info, model, params):
    """(encoder, decoder) as op lists for the page (models/oplist): each traced from the model's pure
    function in the page's flat convention (`flat_pure_fn`: flat vectors in and out, pure functions of
    `params`), so any model, built in or an author's, runs live; an op the page lacks is named."""
    from .oplist.jaxpr_export import export
    from .purefn import PartialResult, flat_pure_fn

    stub = PartialResult(cfg, params, tuple(info.shape), info.latent_dim, info.unit_range)
    return tuple(export(*flat_pure_fn(spec, stub, which), (1, n))
                 for which, n in (("encode", info.size), ("decode", info.latent_dim)))
