"""The training loop: `lax.scan` over steps inside one `jax.jit`, called once per chunk of steps.

Why this shape (measured: docs/training-notes.md): a Python loop calling a jitted step pays
~0.3–1 ms of dispatch per step, which is as much as the step itself for these tiny models. Scanning
a whole chunk inside one compiled program removes it; chunks (about 40 per run) leave room to
report progress, stop on NaN and keep the parameters with the best validation loss.

The model is split once (`nnx.split`) into a static graph and a parameter pytree; everything below
is a pure function of pytrees. Batches come from a fresh permutation per epoch, derived from
(seed, epoch), so results do not depend on how the steps are chunked. Several models of the same
shape (seeds) can be trained as one program with `jax.vmap` — a large win on a GPU, none on a CPU.
"""

from __future__ import annotations

from dataclasses import dataclass

import jax
import jax.numpy as jnp
import optax
from flax import nnx

VAL_NOISE_FOLD = 3  # key streams: 1 batches, 2 noise/samples, 3 the fixed validation noise


def optimizer(cfg) -> optax.GradientTransformation:
    if cfg.schedule == "cosine":  # decays to 0 at the last step: helps every model but d=32 (docs/training-notes.md)
        lr = optax.cosine_decay_schedule(cfg.learning_rate, decay_steps=cfg.steps)
    else:
        lr = cfg.learning_rate
    return optax.adam(lr)


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
    n_min: int = 0  # the fewest rows a phase draws from (the training split): bounds epochs per chunk
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
        """The loop's carry: batches come from the first `n_active` rows. With `target_step` ≥ 0
        (a refit) the kept parameters are those at that step, else those with the best validation loss."""
        return {"params": params, "opt": self.tx.init(params), "ema": params, "best": params,
                "best_val": jnp.asarray(jnp.inf, jnp.float32), "best_step": jnp.asarray(0, jnp.int32),
                "key": key, "n": jnp.asarray(n_active, jnp.int32),
                "target": jnp.asarray(target_step, jnp.int32)}

    def batch_indices(self, key, n, start, length: int):
        """(length, batch) row indices for steps start … start+length−1, drawn from rows [0, n).

        Each epoch is a fresh permutation of the n rows, derived from (seed, epoch), so results do not
        depend on how the steps are chunked. n is a traced value: the permutation sorts uniform draws
        with the rows past n pushed to the end, and a step's batch is a slice of its epoch's order."""
        per_epoch = n // self.batch
        n_epochs = length // max(1, self.n_min // self.batch) + 2  # covers a chunk from any offset
        epoch0 = start // per_epoch
        live = jnp.arange(self.n_rows) < n

        def order(epoch):
            draws = jax.random.uniform(jax.random.fold_in(key, epoch), (self.n_rows,))
            return jnp.argsort(jnp.where(live, draws, 2.0))

        perms = jax.vmap(order)(epoch0 + jnp.arange(n_epochs))  # (n_epochs, n_rows)
        steps = start + jnp.arange(length)

        def rows(step):
            epoch, slot = step // per_epoch - epoch0, step % per_epoch
            return jax.lax.dynamic_slice_in_dim(perms[epoch], slot * self.batch, self.batch)

        return jax.vmap(rows)(steps)

    def run_chunk(self, state, start, x_rows, x_val, length: int):
        """Train `length` steps from step `start`; then score validation and keep the best params."""
        batch_key = jax.random.fold_in(state["key"], 1)
        noise_key = jax.random.fold_in(state["key"], 2)
        idx = self.batch_indices(batch_key, state["n"], start, length)  # (length, B)
        keys = jax.vmap(lambda s: jax.random.fold_in(noise_key, s))(start + jnp.arange(length))

        def step(carry, inputs):
            params, opt, ema = carry
            rows, key, t = inputs
            loss, grads = jax.value_and_grad(self.loss)(params, self.split(x_rows[rows]), key)
            updates, opt = self.tx.update(grads, opt, params)
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
        better = jnp.where(state["target"] >= 0, start + length == state["target"], val_loss < state["best_val"])
        best = jax.tree.map(lambda new, old: jnp.where(better, new, old), ema, state["best"])
        new_state = {**state, "params": params, "opt": opt, "ema": ema, "best": best,
                     "best_val": jnp.where(better, val_loss, state["best_val"]),
                     "best_step": jnp.where(better, start + length, state["best_step"])}
        return new_state, losses, val_loss, val_mse


# Programs that run once (initialisers, test scoring) are compiled without XLA's backend
# optimisations: on the CPU that compiles an MLP's initialiser in 0.38 s instead of 0.87 s, and
# the numbers differ by float rounding at most (measured 9e-8 on the AE's weights).
ONCE = {"xla_backend_optimization_level": 0}


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


# Compiled chunk programs of this process, by everything that shapes them but the seed: experiments
# of the same shape (seeds, or one figure's run asked for again by the preview) reuse the program.
# An author's model is keyed by its code too: the preview server must not reuse a program of an
# edited loss. A few dozen at most (a long preview session would otherwise keep every one).
_COMPILED: dict = {}
_COMPILED_MAX = 32


def _program_ident(program: Program, state, x_rows, x_val, length: int, batched: bool):
    from dataclasses import replace

    code = tuple(sorted(program.spec.code_hashes().items())) if program.spec.source is not None else ()
    ident = (program.graphdef, program.spec.name, code, replace(program.cfg, seed=0), program.info,
             program.n_rows, program.n_min, program.ema_decay, length, batched,
             tuple((a.shape, str(a.dtype)) for a in jax.tree.leaves(state)), x_rows.shape, x_val.shape,
             # a compiled program runs on the devices it was compiled for (models/sharded.py)
             program.batch_sharding, getattr(x_rows, "sharding", None))
    try:
        hash(ident)
    except TypeError:  # something unhashable in an author's config: compile, do not keep
        return None
    return ident


def compile_chunk(program: Program, state, x_rows, x_val, length: int, batched: bool):
    """Ahead-of-time compile one chunk program (or reuse this process's); returns
    (callable(state, start), compile seconds)."""
    import time

    ident = _program_ident(program, state, x_rows, x_val, length, batched)
    compiled = _COMPILED.get(ident) if ident is not None else None
    seconds = 0.0
    if compiled is None:
        def fn(state, start, x_rows, x_val):
            return program.run_chunk(state, start, x_rows, x_val, length)

        if batched:  # one program trains every model of the group: state and key are stacked on axis 0
            fn = jax.vmap(fn, in_axes=(0, None, None, None))
        t0 = time.perf_counter()
        compiled = jax.jit(fn).lower(state, jnp.asarray(0, jnp.int32), x_rows, x_val).compile()
        seconds = time.perf_counter() - t0
        if ident is not None:
            while len(_COMPILED) >= _COMPILED_MAX:
                _COMPILED.pop(next(iter(_COMPILED)), None)  # None: another lane's thread took it first
            _COMPILED[ident] = compiled
    return (lambda s, start: compiled(s, jnp.asarray(start, jnp.int32), x_rows, x_val)), seconds
