"""An author's data sets: `content/data/<name>.py` (a loader) or `<name>.npz`, `.npy`, `.csv`.

A loader is a module with a function `load()` that returns the examples, as Observable Framework's
data loaders do: an array `x`, a tuple `(x, y)` or a mapping `{"x": x, "y": y}`; x is (n, D) points or
vectors, or (n, height, width) images, y optional integer labels (n,). It may read files next to it
(`Path(__file__).parent / "faces.npz"`) and import its neighbours relatively; it never downloads.
A file holds the arrays itself: `.npz` with `x` (and `y`), `.npy` with x, `.csv` with one example per
row (a column headed `y` or `label` holds the labels).

The data part of the cache key is the loader's source (and the content/ modules it imports) plus
every file it opened the last time it ran, re-hashed now: edit the loader or a file it reads and the
experiments on it retrain; edit anything else and nothing does.
"""

from __future__ import annotations

import builtins
import contextlib
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .data import DataError, from_arrays

FILE_KINDS = (".npz", ".npy", ".csv")


@dataclass(frozen=True)
class AuthorData:
    name: str
    path: Path  # the loader or the file


def read_author_datasets(content_dir: Path, builtin: tuple) -> tuple[dict, list]:
    """(name -> AuthorData, problems as (name, path, line, message)) for content/data/*."""
    folder = content_dir / "data"
    if not folder.is_dir():
        return {}, []
    found, problems = {}, []
    loaders = {p.stem for p in folder.glob("*.py") if not p.stem.startswith("_")}
    for path in sorted(folder.iterdir()):
        stem = path.stem
        if stem.startswith(("_", ".")) or path.suffix not in (".py", *FILE_KINDS):
            continue
        if path.suffix != ".py" and stem in loaders:
            continue  # a file its loader reads
        if stem in builtin:
            problems.append((stem, str(path), 1, f"`{stem}` is a built-in data set; rename {path.name}"))
        elif stem in found:
            problems.append((stem, str(path), 1, f"two data files are called `{stem}`: "
                                                 f"{found[stem].path.name} and {path.name}; rename one"))
        else:
            found[stem] = AuthorData(stem, path.resolve())
    return found, problems


def load_any(config, content_dir: Path | None):
    """The data set a config names: built in, an npz by path, or the author's in content/data/."""
    from .data import BUILTIN_DATASETS, load_for

    if config.dataset in BUILTIN_DATASETS or content_dir is None:
        return load_for(config, content_dir)
    return load_author_dataset(Path(content_dir), config.dataset)


def load_author_dataset(content_dir: Path, name: str, reads: list | None = None):
    """The Dataset of `name`; `reads` (if given) collects the files a loader opened."""
    entry = read_author_datasets(content_dir, ())[0].get(name)
    if entry is None:
        raise DataError(f"unknown data set {name!r}: no content/data/{name}.py, .npz, .npy or .csv")
    path = entry.path
    if path.suffix == ".py":
        x, y = _run_loader(path, content_dir, reads if reads is not None else [])
    else:
        x, y = _read_file(path)
    return from_arrays(name, x, y, path)


def _read_file(path: Path):
    try:
        if path.suffix == ".npz":
            with np.load(path, allow_pickle=False) as f:
                if "x" not in f.files:
                    raise DataError(f"{path}: no array named 'x' (found: {', '.join(f.files) or 'none'}); "
                                    "save it with numpy.savez(path, x=data, y=labels)")
                return f["x"], (f["y"] if "y" in f.files else None)
        if path.suffix == ".npy":
            return np.load(path, allow_pickle=False), None
        return _read_csv(path)
    except (OSError, ValueError) as exc:
        raise DataError(f"{path}: cannot read ({exc})") from exc


def _read_csv(path: Path):
    first = path.read_text().splitlines()[0] if path.stat().st_size else ""
    header = [c.strip().strip('"') for c in first.split(",")]
    has_header = any(not _is_number(c) for c in header)
    table = np.loadtxt(path, delimiter=",", skiprows=1 if has_header else 0, ndmin=2)
    label = next((i for i, c in enumerate(header) if has_header and c.lower() in ("y", "label")), None)
    if label is None:
        return table, None
    x = np.delete(table, label, axis=1)
    y = table[:, label]
    if not np.all(y == np.round(y)):
        raise DataError(f"{path}: the `{header[label]}` column must hold whole-number labels")
    return x, y.astype(np.int64)


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def _run_loader(path: Path, content_dir: Path, reads: list):
    from .author_errors import from_exception
    from .authored import import_author_file

    try:
        with track_reads(content_dir, reads):
            module = import_author_file(path, path.parent, "data")
            if not callable(getattr(module, "load", None)):
                raise DataError(f"{path}:1: a data loader defines a function `load()` returning x, (x, y) "
                                "or {'x': x, 'y': y}")
            out = module.load()
    except DataError:
        raise
    except Exception as exc:  # the author's bug: report it at their line
        raise from_exception(exc, content_dir, (str(path), 1), f"running the data loader {path.name}") from None
    if isinstance(out, dict):
        if "x" not in out:
            raise DataError(f"{path}: load() returned a mapping without 'x' (keys: {', '.join(map(str, out))})")
        return out["x"], out.get("y")
    if isinstance(out, tuple) and len(out) == 2:
        return out
    return out, None


@contextlib.contextmanager
def track_reads(root: Path, reads: list):
    """Record every file under `root` opened while inside (builtins.open and io.open, which numpy,
    pathlib and Pillow use)."""
    root = Path(root).resolve()
    original = builtins.open

    def tracking_open(file, *args, **kwargs):
        if isinstance(file, (str, Path)):
            with contextlib.suppress(ValueError, OSError):
                Path(file).resolve().relative_to(root)
                reads.append(Path(file).resolve())
        return original(file, *args, **kwargs)

    builtins.open = io.open = tracking_open
    try:
        yield reads
    finally:
        builtins.open = io.open = original


def file_hash(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]
