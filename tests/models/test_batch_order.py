"""The rows each step draws (models/batch_order.py): worked out on the host, equal to the order the
chunk program used to draw itself (a stable argsort of threefry draws, inactive rows last)."""

import numpy as np
import pytest

jax = pytest.importorskip("jax")
jnp = jax.numpy

from explainer.models import batch_order  # noqa: E402
from explainer.models.batch_order import EPOCH_BLOCK, BatchOrder  # noqa: E402


def in_program_rows(key, n_rows, n_active, batch, start, length):
    """The former in-program order, written out with jax: the reference."""
    batch_key = jax.random.fold_in(key, 1)
    per_epoch = n_active // batch
    orders = {}
    out = []
    for step in range(start, start + length):
        epoch, slot = divmod(step, per_epoch)
        if epoch not in orders:
            draws = jax.random.uniform(jax.random.fold_in(batch_key, epoch), (n_rows,))
            orders[epoch] = np.asarray(jnp.argsort(jnp.where(jnp.arange(n_rows) < n_active, draws, 2.0)))
        out.append(orders[epoch][slot * batch:(slot + 1) * batch])
    return np.stack(out)


@pytest.mark.parametrize("n_active", [130, 150])
def test_rows_equal_the_in_program_order(n_active):
    key = jax.random.PRNGKey(7)
    order = BatchOrder(np.asarray(key), 150, n_active, 20)
    for start, length in ((0, 9), (5, 13), (6 * EPOCH_BLOCK - 3, 8)):  # the last crosses a block of epochs
        np.testing.assert_array_equal(order.rows(start, length),
                                      in_program_rows(key, 150, n_active, 20, start, length))


def test_each_epoch_is_a_permutation_of_the_active_rows():
    order = BatchOrder(np.asarray(jax.random.PRNGKey(0)), 150, 130, 10)  # 13 steps per epoch
    rows = order.rows(0, 13 * 3).reshape(3, 130)
    for epoch in rows:
        assert sorted(epoch) == list(range(130))
    assert not np.array_equal(rows[0], rows[1])


def test_a_group_gets_each_members_own_order():
    keys = np.stack([np.asarray(jax.random.PRNGKey(s)) for s in (0, 1, 2)])
    group = BatchOrder(keys, 150, 150, 25).rows(3, 7)
    assert group.shape == (3, 7, 25) and group.dtype == np.int32
    for i, key in enumerate(keys):
        np.testing.assert_array_equal(group[i], BatchOrder(key, 150, 150, 25).rows(3, 7))


def test_the_draws_program_is_shared_by_row_count():
    BatchOrder(np.asarray(jax.random.PRNGKey(0)), 150, 150, 25).rows(0, 2)
    before = dict(batch_order._DRAWS)
    BatchOrder(np.asarray(jax.random.PRNGKey(5)), 150, 120, 30).rows(0, 2)
    assert batch_order._DRAWS == before
