"""Training workers keep their own cores (device.pin_to_share): XLA sizes its thread pool from them."""

import os
import subprocess
import sys

import pytest

from explainer.models.device import core_slice


@pytest.mark.parametrize("n_cores,workers", [(2, 2), (16, 3), (16, 16), (7, 2), (4, 1), (2, 5)])
def test_worker_slices_cover_the_cores_without_overlap(n_cores, workers):
    cores = [c * 2 + 1 for c in range(n_cores)]  # any numbering: the affinity set need not start at 0
    slices = [core_slice(cores, k, workers) for k in range(workers)]
    if workers <= n_cores:
        assert set().union(*slices) == set(cores)
        assert sum(len(s) for s in slices) == n_cores  # disjoint
        assert max(map(len, slices)) - min(map(len, slices)) <= 1
    else:  # more workers than cores: one core each, every core used
        assert all(len(s) == 1 for s in slices) and set().union(*slices) == set(cores)


def test_two_workers_on_two_cores_get_one_core_each():
    assert [core_slice([0, 1], k, 2) for k in range(2)] == [{0}, {1}]


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity") or len(os.sched_getaffinity(0)) < 2,
                    reason="needs CPU affinity and two cores")
def test_a_worker_process_is_pinned_before_jax_starts():
    # In a child: pinning changes the whole process, and jax must not have started (it reads the
    # affinity once); pinning must not start it.
    code = ("import os, sys\n"
            "from explainer.models.device import pin_to_share\n"
            "n = len(os.sched_getaffinity(0))\n"
            "kept = pin_to_share(1, n)\n"
            "print(kept, len(os.sched_getaffinity(0)), 'jax' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["1", "1", "False"]
