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
    """One model's static half (graph, config, data sizes) and its jitted chunk function."""

    graphdef: object
    spec: object  # the ModelSpec: loss, encode, decode
    cfg: object
    info: object  # DataInfo: the data come flat (N, D); the model sees (B, *info.shape)
    n_train: int
    tx: optax.GradientTransformation
    ema_decay: float = 0.0
    batch_sharding: object = None  # data-parallel: how each step's batch is split (models/sharded.py)

    @property
    def batch(self) -> int:
        return min(self.cfg.batch_size, self.n_train)

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

    def init_state(self, params, key, target_step=None) -> dict:
        """The loop's carry. With `target_step` (a refit), the kept parameters are those at that
        step rather than those with the best validation loss."""
        state = {"params": params, "opt": self.tx.init(params), "ema": params, "best": params,
                 "best_val": jnp.asarray(jnp.inf, jnp.float32), "best_step": jnp.asarray(0, jnp.int32),
                 "key": key}
        if target_step is not None:
            state["target"] = jnp.asarray(target_step, jnp.int32)
        return state

    def batch_indices(self, key, start, length: int):
        """(length, batch) example indices for steps start … start+length−1."""
        per_epoch = self.n_train // self.batch
        n_epochs = length // per_epoch + 2  # enough epochs to cover the chunk from any offset
        epoch0 = start // per_epoch
        keys = jax.vmap(lambda e: jax.random.fold_in(key, e))(epoch0 + jnp.arange(n_epochs))
        perms = jax.vmap(lambda k: jax.random.permutation(k, self.n_train))(keys)
        rows = perms[:, : per_epoch * self.batch].reshape(n_epochs * per_epoch, self.batch)
        return jax.lax.dynamic_slice_in_dim(rows, start - epoch0 * per_epoch, length)

    def run_chunk(self, state, start, x_train, x_val, length: int):
        """Train `length` steps from step `start`; then score validation and keep the best params."""
        batch_key = jax.random.fold_in(state["key"], 1)
        noise_key = jax.random.fold_in(state["key"], 2)
        idx = self.batch_indices(batch_key, start, length)  # (length, B)
        keys = jax.vmap(lambda s: jax.random.fold_in(noise_key, s))(start + jnp.arange(length))

        def step(carry, inputs):
            params, opt, ema = carry
            rows, key, t = inputs
            loss, grads = jax.value_and_grad(self.loss)(params, self.split(x_train[rows]), key)
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
        if "target" in state:  # a refit: keep the step the validation run chose (a static choice)
            better = start + length == state["target"]
        else:
            better = val_loss < state["best_val"]  # NaN compares False: a diverged chunk never wins
        best = jax.tree.map(lambda new, old: jnp.where(better, new, old), ema, state["best"])
        new_state = {**state, "params": params, "opt": opt, "ema": ema, "best": best,
                     "best_val": jnp.where(better, val_loss, state["best_val"]),
                     "best_step": jnp.where(better, start + length, state["best_step"])}
        return new_state, losses, val_loss, val_mse


def compile_chunk(program: Program, state, x_train, x_val, length: int, batched: bool):
    """Ahead-of-time compile one chunk program; returns (callable(state, start), compile seconds)."""
    import time

    def fn(state, start, x_train, x_val):
        return program.run_chunk(state, start, x_train, x_val, length)

    if batched:  # one program trains every model of the group: state and key are stacked on axis 0
        fn = jax.vmap(fn, in_axes=(0, None, None, None))
    t0 = time.perf_counter()
    compiled = jax.jit(fn).lower(state, jnp.asarray(0, jnp.int32), x_train, x_val).compile()
    seconds = time.perf_counter() - t0
    return (lambda s, start: compiled(s, jnp.asarray(start, jnp.int32), x_train, x_val)), seconds
