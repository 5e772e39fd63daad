"""The model table and the data-set table: every name a figure's `model:` and `dataset:` may use.

Built-in models are the modules of `models/zoo/` (each defines `MODEL`, a ModelSpec): adding one
is adding a file there. An author's models are `content/models/*.py` and their data sets
`content/data/*` (`authored.py`, `authored_data.py`); they join the table of their content folder
and shadow nothing: a name that is already built in is an error at the author's file.

No jax here: the table is read when a post is parsed.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from .data import BUILTIN_DATASETS, IMAGE_DATASETS, POINT_DATASETS

__all__ = ["BUILTIN_DATASETS", "IMAGE_DATASETS", "POINT_DATASETS", "Tables", "builtin_models", "tables_for"]


@lru_cache(maxsize=1)
def builtin_models() -> dict:
    """name -> ModelSpec for every module in models/zoo (order: pca, then alphabetical)."""
    from . import zoo

    specs = {}
    for info in sorted(pkgutil.iter_modules(zoo.__path__), key=lambda m: (m.name != "pca", m.name)):
        if not info.name.startswith("_"):
            module = f"{zoo.__name__}.{info.name}"
            spec = replace(importlib.import_module(module).MODEL, module=module)
            specs[spec.name] = spec
    return specs


@dataclass(frozen=True)
class Tables:
    """What `model:` and `dataset:` may name in one content folder."""

    models: dict  # name -> ModelSpec
    datasets: dict  # name -> AuthorData or None (built in)
    problems: tuple = ()  # (path, line, message) about the author's files themselves
    content_dir: Path | None = None
    image_sets: frozenset = field(default_factory=frozenset)  # author sets known to hold images

    def model(self, name: str):
        return self.models.get(name)

    def is_points(self, dataset: str) -> bool:
        return dataset in POINT_DATASETS


def builtin_tables() -> Tables:
    return Tables(builtin_models(), dict.fromkeys(BUILTIN_DATASETS))


def tables_for(content_dir: Path | None) -> Tables:
    """Built-ins plus the content folder's own models and data sets (cached per file state)."""
    if content_dir is None:
        return builtin_tables()
    content_dir = Path(content_dir)
    models_dir, data_dir = content_dir / "models", content_dir / "data"
    if not models_dir.is_dir() and not data_dir.is_dir():
        return builtin_tables()
    return _tables(content_dir, _stamp(models_dir), _stamp(data_dir))


def _stamp(folder: Path) -> tuple:
    if not folder.is_dir():
        return ()
    return tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in folder.iterdir()
                        if p.is_file()))


@lru_cache(maxsize=8)
def _tables(content_dir: Path, model_stamp: tuple, data_stamp: tuple) -> Tables:
    from .authored import read_author_models
    from .authored_data import read_author_datasets

    builtin = builtin_models()
    models, problems = read_author_models(content_dir, builtin)
    datasets, data_problems = read_author_datasets(content_dir, BUILTIN_DATASETS)
    return Tables({**builtin, **models}, {**dict.fromkeys(BUILTIN_DATASETS), **datasets},
                  tuple(problems) + tuple(data_problems), content_dir)


def content_dir_of(post_path) -> Path | None:
    """The content folder a post belongs to: the folder above its `posts/` (or `_drafts/`)."""
    if not post_path:
        return None
    for parent in Path(post_path).resolve().parents:
        if parent.name in ("posts", "_drafts", "drafts"):
            return parent.parent
    return None
