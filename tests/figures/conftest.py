"""Fixtures of the figure tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def release_compiled_programs():
    """For modules that compile dozens of small JAX programs: later tests in the session need not
    carry them (the fuzz test bounds the session's peak memory)."""
    yield
    import jax  # here, not at the top: the fast loop collects this file without importing jax
    jax.clear_caches()
