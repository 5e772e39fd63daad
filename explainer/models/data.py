"""Data sets that need no download: installed with scikit-learn, generated from a seed, or the author's .npz.

Every set comes with fixed, seeded train / validation / test splits, so every experiment on a data
set is scored on the same test images and PCA and the networks can be compared number for number.
The validation split picks the best parameters during training (these small models overfit); the
test split is touched only to report.

- digits: scikit-learn's bundled 8×8 handwritten digits (1797 images), pixel values /16 → [0, 1].
  The test split is the one docs/training-notes.md measured on (`default_rng(0).permutation`, last
  297); the other 1500 are split 1300 train / 200 validation. The networks pick their stopping step
  on the validation split, then refit on all 1500 (train.py).
- shapes: 16×16 squares, circles and triangles drawn at a known kind, size and position (the true
  factors are kept, so a latent traversal can be read against them), with anti-aliased edges.
- moons, circles, swiss_roll: 2-D point clouds, raw coordinates (not scaled to [0, 1]). The swiss
  roll is scikit-learn's 3-D roll seen from its axis: its (x, z) coordinates, a 2-D spiral, divided
  by 10; its label is the position along the spiral in 6 bins.
- npz: the author's arrays `x` (n, D) or (n, h, w) and optional integer `y` (n,).

No jax here: the cache computes fingerprints without starting jax.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..base.errors import ExplainerError

BUILTIN_DATASETS = ("digits", "shapes", "moons", "circles", "swiss_roll", "npz")
IMAGE_DATASETS = ("digits", "shapes")
POINT_DATASETS = ("moons", "circles", "swiss_roll")  # 2-D coordinates, not pixels in [0, 1]
SPLIT_SEED = 0  # fixed: every experiment on a data set sees the same splits, whatever its own seed
SHAPE_KINDS = ("square", "circle", "triangle")


class DataError(ExplainerError):
    """An author's data file is missing or malformed; the message names the file and the fix."""


@dataclass(frozen=True)
class Dataset:
    name: str
    x_train: np.ndarray  # (n_train, D) float32
    x_val: np.ndarray  # (n_val, D)
    x_test: np.ndarray  # (n_test, D)
    y_train: np.ndarray | None  # (n_train,) int labels
    y_val: np.ndarray | None
    y_test: np.ndarray | None
    image_shape: tuple[int, int] | None  # (h, w) when each row is an image
    in_unit_range: bool  # True when values lie in [0, 1] (sigmoid output, BCE possible)
    factors_test: dict[str, np.ndarray] = field(default_factory=dict)  # shapes: true kind/size/x/y
    note: str = ""  # e.g. how an npz was rescaled, for the build log

    @property
    def dim(self) -> int:
        return self.x_train.shape[1]

    def fingerprint(self) -> str:
        """Hash of every array (values, shapes, dtypes): the data part of a cache key."""
        h = hashlib.sha256()
        for arr in (self.x_train, self.x_val, self.x_test, self.y_train, self.y_val, self.y_test):
            if arr is None:
                h.update(b"none")
            else:
                h.update(f"{arr.dtype}{arr.shape}".encode())
                h.update(np.ascontiguousarray(arr).tobytes())
        return h.hexdigest()[:16]


def _split(name, x, y, n_val, n_test, *, image_shape=None, unit=True, factors=None, note=""):
    """Seeded permutation, then test = the last n_test, validation = the n_val before them."""
    perm = np.random.default_rng(SPLIT_SEED).permutation(len(x))
    test, rest = perm[len(x) - n_test:], perm[: len(x) - n_test]
    train, val = rest[: len(rest) - n_val], rest[len(rest) - n_val:]
    x = np.asarray(x, np.float32)
    pick = (lambda a, i: None if a is None else a[i])
    return Dataset(name, x[train], x[val], x[test], pick(y, train), pick(y, val), pick(y, test),
                   image_shape, unit, {k: v[test] for k, v in (factors or {}).items()}, note)


def digits() -> Dataset:
    data, target = _digits_file()
    return _split("digits", data / 16.0, target.astype(np.int32), 200, 297, image_shape=(8, 8))


def _digits_file() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 8×8 digits, read from the file its `load_digits` reads, without importing
    scikit-learn: that import (scipy with it) took 1.2–1.5 s of every cold build's critical path,
    for a 1,797-row CSV. Falls back to `load_digits` if a scikit-learn release moves the file; the
    arrays are the same either way (tests/models/test_data.py)."""
    import gzip
    from importlib.util import find_spec

    spec = find_spec("sklearn")  # finds the package without running its __init__
    for root in (spec.submodule_search_locations or []) if spec else []:
        path = Path(root) / "datasets" / "data" / "digits.csv.gz"
        if path.is_file():
            with gzip.open(path, "rt") as f:
                table = np.loadtxt(f, delimiter=",")
            return table[:, :-1], table[:, -1].astype(int)
    from sklearn.datasets import load_digits

    d = load_digits()
    return d.data, d.target


def render_shapes(kind, size, cx, cy, side: int = 16, supersample: int = 3) -> np.ndarray:
    """Draw one shape per row of the factor arrays; returns (n, side, side) coverage in [0, 1].

    Each pixel is the fraction of `supersample²` sub-pixel points inside the shape, which gives
    soft edges, so sizes and positions vary smoothly instead of in whole-pixel jumps.
    """
    sub = (np.arange(side * supersample) + 0.5) / supersample  # sub-pixel centres, pixel units
    ys, xs = np.meshgrid(sub, sub, indexing="ij")  # (S, S)
    dx = xs[None] - cx[:, None, None]  # (n, S, S)
    dy = ys[None] - cy[:, None, None]
    s = size[:, None, None]
    k = kind[:, None, None]
    square = (np.abs(dx) <= s) & (np.abs(dy) <= s)
    circle = dx**2 + dy**2 <= s**2
    triangle = (dy <= s) & (np.abs(dx) <= (dy + s) / 2)  # apex up, base 2s wide
    inside = np.where(k == 0, square, np.where(k == 1, circle, triangle))
    n = len(kind)
    cover = inside.reshape(n, side, supersample, side, supersample).mean(axis=(2, 4))
    return cover.astype(np.float32)


def shapes(n: int = 3000, side: int = 16) -> Dataset:
    rng = np.random.default_rng(SPLIT_SEED + 1)
    kind = rng.integers(0, len(SHAPE_KINDS), n)
    size = rng.uniform(2.0, 4.5, n)  # half-extent in pixels
    cx = rng.uniform(size, side - size)  # keep the whole shape inside the image
    cy = rng.uniform(size, side - size)
    images = render_shapes(kind, size, cx, cy, side)
    factors = {"kind": kind.astype(np.int32), "size": size.astype(np.float32),
               "x": cx.astype(np.float32), "y": cy.astype(np.float32)}
    return _split("shapes", images.reshape(n, -1), kind.astype(np.int32), n // 10, n // 10,
                  image_shape=(side, side), factors=factors)


def points(name: str, n: int = 2000) -> Dataset:
    from sklearn import datasets as skd

    if name == "moons":
        x, y = skd.make_moons(n, noise=0.08, random_state=SPLIT_SEED)
    elif name == "circles":
        x, y = skd.make_circles(n, noise=0.05, factor=0.5, random_state=SPLIT_SEED)
    elif name == "swiss_roll":
        x3, t = skd.make_swiss_roll(n, noise=0.3, random_state=SPLIT_SEED)
        x = x3[:, [0, 2]] / 10.0  # the roll's cross-section: a 2-D spiral
        y = np.digitize(t, np.quantile(t, np.linspace(0, 1, 7)[1:-1]))  # 6 bins along the spiral
    else:
        raise ValueError(name)
    return _split(name, x, y.astype(np.int32), n // 10, n // 10, unit=False)


def npz(path: Path) -> Dataset:
    """Load and validate an author's .npz; errors name the file and say how to fix it."""
    if not path.is_file():
        raise DataError(f"{path}: data file not found (path is relative to content/)")
    try:
        _check_npz_size(path)
        with np.load(path, allow_pickle=False) as f:
            arrays = {k: f[k] for k in f.files}
    except DataError:
        raise
    except Exception as exc:  # a truncated file or not an npz at all
        raise DataError(f"{path}: cannot read as .npz ({exc}); save it with numpy.savez(path, x=..., y=...)") from exc
    if "x" not in arrays:
        raise DataError(f"{path}: no array named 'x' (found: {', '.join(arrays) or 'none'}); "
                        "save it with numpy.savez(path, x=data, y=labels)")
    return from_arrays("npz", arrays["x"], arrays.get("y"), path)


def from_arrays(name: str, x, y, path: Path) -> Dataset:
    """An author's arrays as a Dataset with the fixed splits; errors name `path` and the fix.

    x: (n, D) points or vectors, or (n, height, width) images; values outside [0, 1] are min-max
    scaled into it (the note says so). y: optional integer labels (n,).
    """
    x = np.asarray(x)
    if x.dtype.kind not in "biuf" or x.ndim not in (2, 3):
        raise DataError(f"{path}: x must be numbers shaped (n, D) or (n, height, width) images, "
                        f"got {x.dtype} {x.shape}")
    if 0 in x.shape[1:]:
        raise DataError(f"{path}: x has shape {x.shape}: each example needs at least one value")
    if len(x) < 20:
        raise DataError(f"{path}: x has {len(x)} examples; need at least 20 for train/validation/test splits")
    x = x.astype(np.float64)
    if not np.isfinite(x).all():
        raise DataError(f"{path}: x contains NaN or infinite values; remove or fill them")
    if y is not None:
        y = np.asarray(y)
        if y.shape != (len(x),) or y.dtype.kind not in "biu":
            raise DataError(f"{path}: y must be integer labels shaped ({len(x)},), got {y.dtype} {y.shape}")
        y = y.astype(np.int32)
    image_shape = tuple(x.shape[1:]) if x.ndim == 3 else None
    x, note = _unit_range(x, path)
    n_hold = max(1, len(x) // 10)
    return _split(name, x.reshape(len(x), -1), y, n_hold, n_hold, image_shape=image_shape, note=note)


MAX_NPZ_BYTES = 1 << 30  # unpacked; a few kilobytes of deflated zeros can claim gigabytes


def _check_npz_size(path: Path) -> None:
    """Refuse an npz whose arrays would unpack to more than MAX_NPZ_BYTES, before unpacking any."""
    import zipfile
    with zipfile.ZipFile(path) as z:
        total = sum(info.file_size for info in z.infolist())
    if total > MAX_NPZ_BYTES:
        raise DataError(f"{path}: its arrays would unpack to {total / 2**20:,.0f} MiB; the limit is "
                        f"{MAX_NPZ_BYTES >> 20:,} MiB (explainer figures train on small data)")


def _unit_range(x: np.ndarray, path: Path) -> tuple[np.ndarray, str]:
    lo, hi = float(x.min()), float(x.max())
    if lo >= 0.0 and hi <= 1.0:
        return x, ""
    if hi == lo:
        raise DataError(f"{path}: every value of x is {lo:g}; there is nothing to learn")
    return (x - lo) / (hi - lo), f"{path.name}: x min-max scaled from [{lo:g}, {hi:g}] to [0, 1]"


def load(name: str, *, path: str | None = None, content_dir: Path | None = None) -> Dataset:
    """The data set an ExperimentConfig names (`dataset`, and `path` for npz)."""
    if name == "digits":
        return digits()
    if name == "shapes":
        return shapes()
    if name in ("moons", "circles", "swiss_roll"):
        return points(name)
    if name == "npz":
        if not path:
            raise DataError("dataset npz needs path: the .npz file relative to content/")
        return npz(Path(content_dir or ".") / path)
    raise DataError(f"unknown data set {name!r}")


def load_for(config, content_dir: Path | None = None) -> Dataset:
    """A built-in data set (or an npz by path); `authored_data.load_any` adds content/data/."""
    return load(config.dataset, path=config.path, content_dir=content_dir)


NOISE_TEST_SEED = 12345  # one fixed corruption of the test set, shared by every DAE and PCA


def corrupt_test(x: np.ndarray, noise_type: str, noise: float, draw: int = 0) -> np.ndarray:
    """The noisy test inputs a DAE is scored on (numpy, fixed seeds: figures can redraw them); draw 0
    is the one the figures show, draws 1, 2, … the others the score averages over."""
    rng = np.random.default_rng(NOISE_TEST_SEED + draw)
    if noise_type == "gaussian":  # unclipped, as in training
        return (x + noise * rng.standard_normal(x.shape)).astype(np.float32)
    if noise_type == "mask":  # each pixel dropped to 0 with probability `noise`
        return (x * (rng.random(x.shape) >= noise)).astype(np.float32)
    return x
