"""Where training runs, set up before jax starts: the device, thread limits, the compilation cache.

jax reads JAX_PLATFORMS and XLA_FLAGS once, when it first initialises, so `configure()` must run
before anything imports jax; it is the one place that does the first import.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def configure(device: str | None = None, cache_dir: Path | None = None, *, single_thread: bool = False,
              share: tuple[int, int] | None = None):
    """Select the device ("cpu" forces the CPU; None: a GPU when jax sees one) and return jax.

    The persistent compilation cache keeps XLA's compiled programs between builds. Its default
    thresholds skip programs that compile in under a second, which on the CPU is almost all of ours,
    so both thresholds are lowered (docs/training-notes.md: warm compile 0.3 s instead of ~1 s per model).
    `share=(k, n)`: this process is worker k of n training side by side; it keeps its own slice of
    the cores (pin_to_share), and one XLA thread when the slice is one core.
    """
    _one_blas_thread()
    if "jax" not in sys.modules:
        if share is not None:
            single_thread = pin_to_share(*share) == 1 or single_thread
        if device == "cpu":
            os.environ["JAX_PLATFORMS"] = "cpu"
        # Several processes may share one GPU: do not let the first grab 75% of its memory.
        os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
        if single_thread:  # one process per core trains faster than one process on two threads
            flags = os.environ.get("XLA_FLAGS", "")
            os.environ["XLA_FLAGS"] = (flags + " --xla_cpu_multi_thread_eigen=false").strip()
    import jax

    if device == "cpu":
        try:  # jax already imported elsewhere: still possible while no backend has started
            jax.config.update("jax_platforms", "cpu")
        except Exception:
            pass
    if cache_dir is not None:
        path = Path(cache_dir) / "xla"
        path.mkdir(parents=True, exist_ok=True)
        jax.config.update("jax_compilation_cache_dir", str(path))
        jax.config.update("jax_persistent_cache_min_compile_time_secs", 0)
        jax.config.update("jax_persistent_cache_min_entry_size_bytes", -1)
    from .launch import launch_env, start

    if launch_env() is not None:  # launched on several hosts: join them before any computation
        start()
    return jax


def pin_to_share(index: int, workers: int) -> int:
    """Keep this process on its slice of the cores it may use: worker `index` of `workers` gets the
    `index`-th of `workers` equal runs of them (one core each with as many workers as cores).
    Returns how many cores it kept.

    XLA:CPU sizes its intra-op thread pool from the process's CPU affinity and splits large loops
    over it; `--xla_cpu_multi_thread_eigen=false` only stops Eigen's matrix threads. Without this,
    two "single-threaded" workers on two cores ran four busy threads (measured: each used 1.8 cores,
    and the default site's cold training cost 71 s of CPU instead of 63). The affinity must be set
    before jax starts: it is read once."""
    try:
        cores = sorted(os.sched_getaffinity(0))
    except AttributeError:  # no affinity on this platform (macOS): XLA's flag alone
        return 1 if workers > 1 else os.cpu_count() or 1
    mine = core_slice(cores, index, workers)
    try:
        os.sched_setaffinity(0, mine)
    except OSError:
        return len(cores)
    return len(mine)


def core_slice(cores: list[int], index: int, workers: int) -> set[int]:
    """Worker `index`'s cores: `workers` contiguous, near-equal runs of `cores`; with more workers
    than cores, one core each, taken in turn."""
    n, workers = len(cores), max(workers, 1)
    if workers > n:
        return {cores[index % n]}
    k = index % workers
    return set(cores[k * n // workers:(k + 1) * n // workers])


def _one_blas_thread() -> None:
    """numpy's BLAS on one thread in a process that trains. Once jax has started, its threads and
    OpenBLAS's spinning workers fight over the cores: measured on 2 cores, an SVD of the 1,500 × 64
    digits took 0.6–1 s instead of 4 ms, and numpy matrix products slowed 10–20× (PCA baselines and
    scoring run in these processes). Our arrays are small; one BLAS thread loses nothing."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # scikit-learn brings it; without it, numpy keeps its default
        return
    threadpool_limits(1, user_api="blas")


def default_device(device: str | None = None):
    """The jax device training uses: the first GPU unless the CPU was asked for."""
    import jax

    if device == "cpu":
        return jax.devices("cpu")[0]
    if device == "gpu":
        try:
            return jax.devices("gpu")[0]
        except RuntimeError:
            from ..base.errors import ExplainerError
            raise ExplainerError("--device gpu, but JAX sees no GPU here; install a CUDA build of "
                                 "jax (`pip install -e '.[cuda]'`) or leave --device out") from None
    return jax.devices()[0]


def describe(dev) -> str:
    """A short name for logs and provenance, e.g. "cpu" or "gpu (NVIDIA H100 80GB HBM3)"."""
    kind = getattr(dev, "device_kind", "") or ""
    return dev.platform if dev.platform == "cpu" or not kind else f"{dev.platform} ({kind})"
