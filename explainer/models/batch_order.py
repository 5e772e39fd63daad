"""Which rows each training step draws, worked out on the host before the chunk program runs.

Every epoch is a fresh permutation of the phase's rows (the training split, or training +
validation for the refit), derived from (seed, epoch) alone, so a result does not depend on how
the steps are chunked. Step s takes the s-th batch of its epoch's order.

The permutation is the stable argsort of uniform draws, one per row, with the rows past the
phase's `n_active` pushed to the end. The draws still come from jax's threefry (one small program
per row count and group size, shared by every model of the process); only the sort moved here.
XLA:CPU's sort is slow (an argsort of 1,500 keys: 0.26 ms, numpy's: a few µs) and sorting inside
the chunk program cost the default site about 2 s of CPU per build, plus 0.45 s of compile per
model (docs/training-notes.md). numpy's stable argsort orders equal draws by row as
`jnp.argsort` does, so the batches, and the trained weights, are the ones the in-program sort gave.
"""

from __future__ import annotations

import numpy as np

EPOCH_BLOCK = 64  # epochs of draws per call into jax: one program per shape, whatever the run's length
_LAST = 2.0  # above every uniform draw in [0, 1): rows outside the phase sort to the end

_DRAWS: dict = {}  # (n_rows, members) -> compiled draws program of this process


def _draws_program(n_rows: int, members: int | None):
    """keys (2,) or (M, 2), first epoch → uniform draws (EPOCH_BLOCK, n_rows) or (M, EPOCH_BLOCK, n_rows)."""
    ident = (n_rows, members)
    if ident not in _DRAWS:
        import jax
        import jax.numpy as jnp

        from .loop import BATCH_FOLD, compile_once

        def draws(key, epoch0):
            batch_key = jax.random.fold_in(key, BATCH_FOLD)
            epochs = epoch0 + jnp.arange(EPOCH_BLOCK)
            return jax.vmap(lambda e: jax.random.uniform(jax.random.fold_in(batch_key, e), (n_rows,)))(epochs)

        if members is not None:
            draws = jax.vmap(draws, in_axes=(0, None))
        key = jnp.zeros((2,) if members is None else (members, 2), jnp.uint32)
        # Integer work and an exact conversion to floats: compiled the quick way, same values.
        _DRAWS[ident] = compile_once(draws, key, jnp.asarray(0, jnp.int32))
    return _DRAWS[ident]


class BatchOrder:
    """The rows of every step of one phase, for one model or a vmapped group of seeds.

    `keys`: the members' PRNG keys as the loop's carry holds them, (2,) or (M, 2) uint32;
    `n_active`: the phase draws from rows [0, n_active) of `n_rows`; `batch`: rows per step."""

    def __init__(self, keys, n_rows: int, n_active: int, batch: int):
        self.keys = np.asarray(keys, np.uint32)
        self.members = None if self.keys.ndim == 1 else int(self.keys.shape[0])
        self.n_rows, self.n_active, self.batch = n_rows, n_active, batch
        self.per_epoch = n_active // batch
        self._block0: int | None = None  # first epoch of the block held in _perms
        self._perms: np.ndarray | None = None  # (.., EPOCH_BLOCK, n_rows) int32

    def _block(self, block0: int) -> np.ndarray:
        if self._block0 != block0:
            import jax.numpy as jnp

            run = _draws_program(self.n_rows, self.members)
            draws = np.array(run(jnp.asarray(self.keys), jnp.asarray(block0, jnp.int32)))
            draws[..., self.n_active:] = _LAST
            self._perms = np.argsort(draws, axis=-1, kind="stable").astype(np.int32)
            self._block0 = block0
        assert self._perms is not None
        return self._perms

    def rows(self, start: int, length: int) -> np.ndarray:
        """Row indices (length, batch), or (M, length, batch) for a group, of steps start … start+length−1."""
        steps = np.arange(start, start + length)
        epochs, slots = steps // self.per_epoch, steps % self.per_epoch
        columns = slots[:, None] * self.batch + np.arange(self.batch)[None, :]  # (length, batch)
        out = np.empty(((self.members,) if self.members else ()) + (length, self.batch), np.int32)
        for block0 in np.unique(epochs // EPOCH_BLOCK * EPOCH_BLOCK):
            here = (epochs >= block0) & (epochs < block0 + EPOCH_BLOCK)
            perms = self._block(int(block0))
            out[..., here, :] = perms[..., epochs[here, None] - block0, columns[here]]
        return out
