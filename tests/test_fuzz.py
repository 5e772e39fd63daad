"""Fuzzing the build (CI size; `python bench/fuzz.py` runs thousands): random content folders over
front matter, Markdown, math, figures, Plotly JSON, BibTeX and site.yml end as exit 0 or
`path:line:col:` errors, never a traceback or a hang, within time and memory bounds."""

from __future__ import annotations

import random
import resource

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st

from tests.fuzz_inputs import random_content, run_one  # noqa: E402

MEMORY_LIMIT_MB = 1500  # a billion-laughs post once took the build past 2.5 GB
HEADROOM_MB = 500  # what the fuzzed builds may add to the peak earlier tests of this process set


@pytest.fixture(scope="module")
def peak_before_mb():
    """This process's peak before the fuzzed builds: the full suite runs JAX and sharding tests
    in the same process first, and a lifetime peak cannot be reset."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.slow
@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.randoms(use_true_random=False))
def test_random_content_never_crashes(tmp_path_factory, peak_before_mb, rng: random.Random):
    root = tmp_path_factory.mktemp("fuzz")
    files = random_content(rng)
    result = run_one(files, root / "run", time_limit_s=20)
    assert result["outcome"] in ("ok", "errors"), f"{result['outcome']}: {files!r}\n{result['detail']}"
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert peak_mb < max(MEMORY_LIMIT_MB, peak_before_mb + HEADROOM_MB)
