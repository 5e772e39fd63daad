"""The training loop: `lax.scan` over steps inside one `jax.jit`, called once per chunk of steps.

Why this shape (measured: docs/training-notes.md): a Python loop calling a jitted step pays
~0.3–1 ms of dispatch per step, which is as much as the step itself for these tiny models. Scanning
a whole chunk inside one compiled program removes it; chunks (about 40 per run) leave room to
report progress, stop on NaN and keep the parameters with the best validation loss.

The model is split once (`nnx.split`) into a static graph and a parameter pytree; everything below
is a pure function of pytrees. Batches come from a fresh permutation per epoch, derived from
(seed, epoch), so results do not depend on how the steps are chunked; the host works out each
chunk's rows (batch_order.py) and hands them in. Several models of the same shape (seeds) can be
trained as one program with `jax.vmap` — a large win on a GPU, none on a CPU.
"""

from __future__ import annotations

from dataclasses import dataclass

import jax
import jax.numpy as jnp
import optax
from flax import nnx

BATCH_FOLD, NOISE_FOLD, VAL_NOISE_FOLD = 1, 2, 3  # key streams: batches, noise/samples, the fixed validation noise


def optimizer(cfg) -> optax.GradientTransformation:
    """Adam with the plan's rate: what the loop computes (`adam` + `learning_rate`), as one optax
    transformation for code that wants one (bench/train_reference.py)."""
    if cfg.schedule == "cosine":  # decays to 0 at the last step: helps every model but d=32 (docs/training-notes.md)
        lr = optax.cosine_decay_schedule(cfg.learning_rate, decay_steps=cfg.steps)
    else:
        lr = cfg.learning_rate
    return optax.adam(lr)


def adam() -> optax.GradientTransformation:
    """The loop's optimizer less its rate: Adam's scaling with optax.adam's defaults. The rate comes
    from the plan in the carry (`learning_rate`), so runs that differ in rate, schedule or length
    can share one compiled program (program_share.py)."""
    return optax.scale_by_adam()


def plan_values(cfg) -> dict:
    """The plan as values of the carry: peak rate, steps the cosine decays over, and which schedule."""
    return {"lr": jnp.asarray(cfg.learning_rate, jnp.float32),
            "decay_steps": jnp.asarray(float(cfg.steps), jnp.float32),
            "cosine": jnp.asarray(cfg.schedule == "cosine")}


def learning_rate(plan: dict, count):
    """The rate at step `count`: optax.cosine_decay_schedule (alpha 0, exponent 1) or the constant
    rate. Written as XLA compiles optax's form when the steps are a constant (it folds π·(1/steps)
    into one factor), so with jax 0.10 the rates, and the trained weights, are optax's to the bit;
    a compiler that folds otherwise stays within a rounding (test_program_share.py)."""
    c = jnp.minimum(count, plan["decay_steps"])
    cosine = 0.5 * (1 + jnp.cos(c * (jnp.pi * (1.0 / plan["decay_steps"]))))
    return jnp.where(plan["cosine"], plan["lr"] * cosine, plan["lr"])


# The parameters that are scored, kept and exported are an exponential moving average of the
# trained ones (Polyak averaging), over about the last 500 steps. Adam at these learning rates makes
# the raw parameters jitter from step to step, so a checkpoint taken mid-schedule (where validation
# usually picks one: the small codes overfit) is partly luck; the average removes most of that
# noise, and it is what lets a refit stop at the validated step and land where validation said.
EMA_DECAY = 0.998


def ema_decay(cfg) -> float:
    return EMA_DECAY


def chunk_length(steps: int, evaluations: int = 40) -> int:
    """Steps per jit call: a divisor of `steps` near steps/evaluations, so one program serves all."""
    ideal = max(1, steps // evaluations)
    for length in range(ideal, max(1, ideal // 2) - 1, -1):
        if steps % length == 0:
            return length
    return ideal


@dataclass(frozen=True)
class Program:
    """One model's static half (graph, config, data sizes) and its jitted chunk function.

    Both phases of training (train.py: select on validation, refit on train + validation) run the
    same compiled program: the rows come as one array, training split first, and the number of rows
    a phase draws batches from (`state["n"]`) and its stopping rule (`state["target"]`) are values in
    the carry, not constants of the program. The refit used to compile a second program because its
    data had another shape: half of every model's chunk-compile time (docs/training-notes.md).
    """

    graphdef: object
    spec: object  # the ModelSpec: loss, encode, decode
    cfg: object
    info: object  # DataInfo: the data come flat (N, D); the model sees (B, *info.shape)
    n_rows: int  # rows of the array batches are drawn from (training split first)
    tx: optax.GradientTransformation
    ema_decay: float = 0.0
    n_min: int = 0  # the fewest rows a phase draws from (the training split): caps the batch
    batch_sharding: object = None  # data-parallel: how each step's batch is split (models/sharded.py)

    @property
    def batch(self) -> int:
        return min(self.cfg.batch_size, self.n_min or self.n_rows)

    def split(self, batch):
        """The batch laid out over the mesh's devices when training data-parallel; XLA partitions
        the step from it and all-reduces the gradient (models/sharded.py)."""
        if self.batch_sharding is None:
            return batch
        return jax.lax.with_sharding_constraint(batch, self.batch_sharding)

    def shaped(self, x):  # (B, D) -> (B, *shape)
        return x.reshape(x.shape[0], *self.info.shape)

    def loss(self, params, x, key):
        module = nnx.merge(self.graphdef, params)
        return self.spec.loss(module, self.shaped(x), key, self.cfg, self.info)

    def val_metrics(self, params, x_val, key):
        model = nnx.merge(self.graphdef, params)
        val_loss = self.spec.loss(model, self.shaped(x_val), key, self.cfg, self.info)
        recon = self.spec.decode(model, self.spec.encode(model, self.shaped(x_val)))
        return val_loss, jnp.mean((recon.reshape(x_val.shape) - x_val) ** 2)

    def init_state(self, params, key, n_active: int, target_step: int = -1) -> dict:
        """The loop's carry: batches come from the first `n_active` rows (kept for the record: the
        host draws them). With `target_step` ≥ 0 (a refit) the kept parameters are those at that
        step, else those with the best validation loss."""
        return {"params": params, "opt": self.tx.init(params), "ema": params, "best": params,
                "best_val": jnp.asarray(jnp.inf, jnp.float32), "best_step": jnp.asarray(0, jnp.int32),
                "key": key, "n": jnp.asarray(n_active, jnp.int32),
                "target": jnp.asarray(target_step, jnp.int32), "plan": plan_values(self.cfg)}

    def run_chunk(self, state, start, x_rows, x_val, idx, evaluate, length: int):
        """Train `length` steps from step `start` on the rows `idx` (length, B) picks for them
        (batch_order.BatchOrder); then score validation and, if this call ends an evaluation
        (`evaluate`: a shared program's run takes several calls per evaluation, program_share.py),
        keep the best params."""
        noise_key = jax.random.fold_in(state["key"], NOISE_FOLD)
        keys = jax.vmap(lambda s: jax.random.fold_in(noise_key, s))(start + jnp.arange(length))

        def step(carry, inputs):
            params, opt, ema = carry
            rows, key, t = inputs
            loss, grads = jax.value_and_grad(self.loss)(params, self.split(x_rows[rows]), key)
            updates, opt = self.tx.update(grads, opt, params)
            step_size = -1 * learning_rate(state["plan"], t)  # optax.scale_by_learning_rate's sign
            updates = jax.tree.map(lambda g: jnp.array(step_size, dtype=g.dtype) * g, updates)
            params = optax.apply_updates(params, updates)
            # Warm-up form of the decay: early on the average forgets its random initialisation.
            decay = jnp.minimum(self.ema_decay, (1.0 + t) / (10.0 + t))
            ema = jax.tree.map(lambda e, p: e + (1.0 - decay) * (p - e), ema, params)
            return (params, opt, ema), loss

        steps = start + jnp.arange(length)
        carry = (state["params"], state["opt"], state["ema"])
        (params, opt, ema), losses = jax.lax.scan(step, carry, (idx, keys, steps.astype(jnp.float32)))
        val_loss, val_mse = self.val_metrics(ema, x_val, jax.random.fold_in(state["key"], VAL_NOISE_FOLD))
        # A refit keeps the step the validation run chose; selection keeps the best validation loss
        # (NaN compares False: a diverged chunk never wins).
        better = evaluate & jnp.where(state["target"] >= 0, start + length == state["target"],
                                      val_loss < state["best_val"])
        best = jax.tree.map(lambda new, old: jnp.where(better, new, old), ema, state["best"])
        new_state = {**state, "params": params, "opt": opt, "ema": ema, "best": best,
                     "best_val": jnp.where(better, val_loss, state["best_val"]),
                     "best_step": jnp.where(better, start + length, state["best_step"])}
        return new_state, losses, val_loss, val_mse


# Programs that run once (initialisers, test scoring, the epochs' draws) are compiled without XLA's
# backend optimisations and without its fusion emitters: on the CPU that compiles an MLP's
# initialiser in 0.29 s instead of 1.0 s (0.45 s with the emitters). The numbers differ from an
# optimised compile by float rounding at most (9e-8 on the AE's weights); the emitters change
# nothing (the same initial weights to the bit).
ONCE = {"xla_backend_optimization_level": 0, "xla_cpu_use_fusion_emitters": False}


def compile_once(fn, *args):
    """AOT-compile `fn` for a program that runs once or a few times; returns the compiled callable."""
    lowered = jax.jit(fn).lower(*args)
    try:
        return lowered.compile(compiler_options=ONCE)
    except Exception:  # a backend that rejects the option: its default compile
        return lowered.compile()


def compile_start(program: Program, build, seed: int):
    """The compiled initialiser of one member: `start(n_active, target)` → its first carry, with the
    parameters built by `build()` inside the program (eager initialisation, op by op, cost 1.6–1.8 s
    per model: docs/training-notes.md). Both phases start from it, so they start from the same weights."""
    def fn(n_active, target):
        return program.init_state(build(), jax.random.PRNGKey(seed), n_active, target)

    compiled = compile_once(fn, jnp.asarray(0, jnp.int32), jnp.asarray(0, jnp.int32))
    return lambda n_active, target: compiled(jnp.asarray(n_active, jnp.int32), jnp.asarray(target, jnp.int32))


# Compiled chunk programs of this process, by everything that shapes them but the values in the
# carry (seed; for built-in models the plan): experiments of the same shape (seeds, AE d=2/8/16 with
# their codes padded, one figure's run asked for again by the preview) reuse the program
# (program_share.py).
# An author's model is keyed by its code too: the preview server must not reuse a program of an
# edited loss. A few dozen at most (a long preview session would otherwise keep every one).
_COMPILED: dict = {}
_COMPILED_MAX = 32


def _program_ident(program: Program, state, x_rows, x_val, idx, length: int, batched: bool):
    from .program_share import shared_config

    code = tuple(sorted(program.spec.code_hashes().items())) if program.spec.source is not None else ()
    cfg = shared_config(program.spec, program.cfg)  # the seed, and for built-in models the plan, are carry values
    ident = (program.graphdef, program.spec.name, code, cfg, program.info,
             program.n_rows, program.n_min, program.ema_decay, length, batched,
             tuple((a.shape, str(a.dtype)) for a in jax.tree.leaves(state)), x_rows.shape, x_val.shape, idx.shape,
             # a compiled program runs on the devices it was compiled for (models/sharded.py)
             program.batch_sharding, getattr(x_rows, "sharding", None))
    try:
        hash(ident)
    except TypeError:  # something unhashable in an author's config: compile, do not keep
        return None
    return ident


def compile_chunk(program: Program, state, x_rows, x_val, idx, length: int, batched: bool):
    """Ahead-of-time compile one chunk program (or reuse this process's); returns
    (callable(state, start, rows, evaluate=True), compile seconds). `idx`: rows of a chunk
    (batch_order.BatchOrder), placed as the calls will place theirs."""
    import time

    ident = _program_ident(program, state, x_rows, x_val, idx, length, batched)
    compiled = _COMPILED.get(ident) if ident is not None else None
    seconds = 0.0
    if compiled is None:
        def fn(state, start, x_rows, x_val, idx, evaluate):
            return program.run_chunk(state, start, x_rows, x_val, idx, evaluate, length)

        if batched:  # one program trains every model of the group: state, key and rows stacked on axis 0
            fn = jax.vmap(fn, in_axes=(0, None, None, None, 0, None))
        t0 = time.perf_counter()
        compiled = jax.jit(fn).lower(state, jnp.asarray(0, jnp.int32), x_rows, x_val, idx, jnp.asarray(True)).compile()
        seconds = time.perf_counter() - t0
        if ident is not None:
            while len(_COMPILED) >= _COMPILED_MAX:
                _COMPILED.pop(next(iter(_COMPILED)), None)  # None: another lane's thread took it first
            _COMPILED[ident] = compiled
    def run(s, start: int, idx, evaluate: bool = True):
        return compiled(s, jnp.asarray(start, jnp.int32), x_rows, x_val, idx, jnp.asarray(evaluate))

    return run, seconds
