"""The training cache: a trained experiment is reused until something that could change it changes.

Key = sha256 of (the resolved config, the source text of the model/data/training modules, the data
set's fingerprint, the jax/flax/optax versions). On the CPU training is bit-reproducible across
processes (docs/training-notes.md), so a hit is exactly what retraining would give. Each experiment logs one line:

    cached  AE d=2
    trained DAE σ=0.3 (why: config changed: steps 6000→9000) in 4.1 s on cpu · test MSE 0.0160 (PCA 0.0115)

To tell "config changed" from "code changed" from "new", an index remembers what each key was made
of. A build whose experiments are all cached reads numpy files and json only: it never imports jax.
"""

from __future__ import annotations

import hashlib
import json
import sys
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from . import sources, store
from .experiments import ExperimentConfig
from .freeze import frozen_index, load_frozen, stale_reason
from .table import BUILTIN_DATASETS, tables_for
from .training_error import TrainingError

__all__ = ["load_or_train", "cache_key", "TrainingError"]

LIBRARIES = ("jax", "flax", "optax")


def code_hashes(config, content_dir: Path) -> dict[str, str]:
    """{file: hash} of every source that decides what training this config produces: the trainer's
    own modules and the model's file, found by walking their imports (sources.py); for an author's
    model, its file and the content/ modules it imports."""
    spec = config.spec(tables_for(content_dir))
    if spec.source is None:
        return sources.package_sources(Path(sys.modules[spec.module].__file__))
    return {**sources.package_sources(), **spec.code_hashes()}


def library_versions() -> dict:
    return dict(_library_versions())


@lru_cache(maxsize=1)
def _library_versions() -> tuple:
    """Read once per process: installed versions do not change under a running build."""
    return tuple((name, metadata.version(name)) for name in LIBRARIES)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "none"


def data_fingerprint(config: ExperimentConfig, content_dir: Path, cache_dir: Path) -> str:
    """Hash of the data set's arrays. An npz: its bytes. A built-in set: computed once and
    remembered, keyed by what generates it (data.py's text, scikit-learn and numpy versions)."""
    from .data import DataError

    if config.dataset == "npz":
        path = Path(content_dir) / (config.path or "")
        if not path.is_file():
            raise DataError(f"{path}: data file not found (path is relative to content/)")
        return "npz-" + hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    if config.dataset not in BUILTIN_DATASETS:
        return author_data_hashes(config.dataset, Path(content_dir), Path(cache_dir))
    source = hashlib.sha256((Path(__file__).parent / "data.py").read_bytes()).hexdigest()[:12]
    memo_key = f"{config.dataset}:{source}:{_version('scikit-learn')}:{_version('numpy')}"
    memo_path = Path(cache_dir) / "data-fingerprints.json"
    memo = _read_json(memo_path)
    if memo_key not in memo:
        from .data import load_for

        memo[memo_key] = load_for(config, content_dir).fingerprint()
        store.write_atomic(memo_path, json.dumps(memo, indent=1).encode())
    return memo[memo_key]


def author_data_hashes(name: str, content_dir: Path, cache_dir: Path) -> dict[str, str]:
    """{file: hash} of an author's data set: the file itself, or the loader's sources (and the
    content/ modules they import) plus the files it opened when it last ran (remembered per
    loader version, re-hashed every time)."""
    from .authored_data import file_hash, load_author_dataset, read_author_datasets

    entry = read_author_datasets(content_dir, ())[0].get(name)
    if entry is None:
        from .data import DataError

        raise DataError(f"unknown data set {name!r}: no content/data/{name}.py, .npz, .npy or .csv")
    shown = content_dir.resolve().parent
    if entry.path.suffix != ".py":
        return sources.hashes([entry.path], content_dir, shown)
    code = sources.hashes(sources.closure(entry.path, content_dir), content_dir, shown)
    memo_key = hashlib.sha256(json.dumps(code, sort_keys=True).encode()).hexdigest()[:16]
    memo_path = cache_dir / "data-reads.json"
    memo = _read_json(memo_path)
    if memo_key not in memo:  # this loader version never ran: run it once to learn what it reads
        reads: list = []
        load_author_dataset(content_dir, name, reads)
        memo[memo_key] = sorted({p.relative_to(content_dir.resolve()).as_posix() for p in reads})
        store.write_atomic(memo_path, json.dumps(memo, indent=1).encode())
    read = {f"{content_dir.resolve().name}/{rel}": file_hash(content_dir / rel) if (content_dir / rel).is_file()
            else "missing" for rel in memo[memo_key]}
    return {**code, **read}


def _read_json(path: Path) -> dict:
    try:
        value = json.loads(path.read_text())
        return value if isinstance(value, dict) else {}
    except (OSError, ValueError):
        return {}


def key_parts(config: ExperimentConfig, content_dir: Path, cache_dir: Path) -> dict:
    config = config.resolved(tables_for(content_dir))
    return {"config": config.to_dict(), "code": code_hashes(config, content_dir),
            "data": data_fingerprint(config, content_dir, cache_dir), "versions": library_versions()}


def cache_key(parts: dict) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:24]


def experiment_key(config: ExperimentConfig, content_dir: Path, cache_dir: Path) -> str:
    """The key a config trains under now; cheap and jax-free, so a build can tell that a page's
    figures are still what they were without loading any result."""
    return cache_key(key_parts(config, Path(content_dir), Path(cache_dir)))


def why_retrain(parts: dict, index: dict, corrupt: bool) -> str:
    """Why an entry is missing, from the index of what earlier keys were made of."""
    if corrupt:
        return "corrupt entry"
    config = ExperimentConfig.from_dict(parts["config"])
    same_config = [e for e in index.values() if e.get("config") == parts["config"]]
    if same_config and all(e.get("code") != parts["code"] for e in same_config):
        return _code_reason(same_config[-1].get("code"), parts["code"])
    if same_config and isinstance(parts["data"], dict) and all(e.get("data") != parts["data"] for e in same_config):
        return _code_reason(same_config[-1].get("data"), parts["data"])
    for reason, field in (("data changed", "data"), ("library versions changed", "versions")):
        if same_config and all(e.get(field) != parts[field] for e in same_config):
            return reason
    if same_config:
        return "code changed"
    related = [e for e in index.values() if tuple(e.get("identity", ())) == _identity(config)]
    if related:
        old = related[-1]["config"]
        changed = [f"{k} {old.get(k)}→{v}" for k, v in parts["config"].items() if old.get(k) != v]
        return "config changed: " + ", ".join(changed[:3]) if changed else "config changed"
    return "new"


def _code_reason(old, new) -> str:
    """"content/models/my_vae.py changed" (the files whose text differs from the last run's)."""
    if not isinstance(old, dict):
        return "code changed"
    changed = sorted(f for f in set(old) | set(new) if old.get(f) != new.get(f))
    if not changed:
        return "code changed"
    words = [f"{f} {'changed' if f in old and f in new else 'added' if f in new else 'removed'}"
             for f in changed[:3]]
    return ", ".join(words) + (f" (+{len(changed) - 3} more)" if len(changed) > 3 else "")


def _identity(config: ExperimentConfig) -> tuple:
    return tuple(json.loads(json.dumps(config.identity())))


def _unique(configs) -> list[ExperimentConfig]:
    """Each experiment once, in first-seen order; marked `large` when any figure marks it (how it
    trains is not part of what it is: experiments.py)."""
    seen: dict = {}
    for c in configs:
        if c not in seen or (c.large and not seen[c].large):
            seen[c] = c  # an existing key keeps its place in the order
    return list(seen.values())


def load_or_train(configs: list[ExperimentConfig], *, cache_dir: Path, content_dir: Path,
                  device: str | None = None, log=print,
                  parallel: bool | None = None) -> dict[ExperimentConfig, "object"]:
    """Every experiment's TrainResult, keyed by its resolved config; trains only what is missing.

    Raises DataError for an unusable data file and TrainingError for a diverged run, after
    storing every experiment that did train. `parallel`: None picks by device (one process per
    core on a multi-core CPU); False trains in this process.
    """
    cache_dir, content_dir = Path(cache_dir), Path(content_dir)
    entries = cache_dir / "experiments"
    index_path = cache_dir / "index.json"
    index = {k: v for k, v in _read_json(index_path).items() if isinstance(v, dict)}  # wrong shape: ignored
    results, todo = {}, []
    tables = tables_for(content_dir)
    for config in _unique(c.resolved(tables) for c in configs):
        parts = key_parts(config, content_dir, cache_dir)
        key = cache_key(parts)
        corrupt = False
        if (entries / f"{key}.json").exists() or (entries / f"{key}.npz").exists():
            try:
                results[config] = store.load(entries / key)
                log(f"cached  {config.label()}")
                continue
            except store.CorruptEntry as exc:
                log(f"{entries / key}: damaged cache entry ({exc}); training again")
                corrupt = True
        frozen = load_frozen(content_dir, parts)  # committed with the content: see freeze.py
        if frozen is not None:
            results[config] = frozen
            log(f"frozen  {config.label()}")
            continue
        todo.append((config, key, parts, why_retrain(parts, index, corrupt)))
    if not todo:
        return results
    from .runner import run_all  # imports jax only when something must train

    failures = []
    for (config, key, parts, why), outcome in run_all(todo, cache_dir, content_dir, device, parallel, log):
        if isinstance(outcome, BaseException):
            failures.append(outcome)
            continue
        store.save(entries / key, outcome)
        index[key] = {**parts, "identity": list(_identity(config))}
        store.write_atomic(index_path, json.dumps(index, indent=1).encode())
        results[config] = outcome
        log(_trained_line(config, why, outcome))
    if failures:
        raise failures[0]
    return {c.resolved(tables): results[c.resolved(tables)] for c in configs}


def stale_experiments(configs, content_dir: Path, cache_dir: Path) -> list[tuple[ExperimentConfig, str]]:
    """(config, why) for each experiment that would train although a result of it is frozen: not
    in the training cache, and its frozen entry is stale."""
    if not frozen_index(content_dir):
        return []
    out = []
    for config in dict.fromkeys(c.resolved() for c in configs):
        parts = key_parts(config, Path(content_dir), Path(cache_dir))
        if (Path(cache_dir) / "experiments" / f"{cache_key(parts)}.json").is_file():
            continue
        reason = stale_reason(content_dir, parts)
        if reason:
            out.append((config, reason))
    return out


def _trained_line(config, why: str, result) -> str:
    p, m = result.provenance, result.metrics
    line = f"trained {config.label()} (why: {why}) in {p.get('wall_s', 0):.1f} s on {p.get('device', '?')}"
    if not config.steps:  # fitted in closed form (PCA)
        return line + f" · test MSE {m['test_mse']:.4f}"
    line += f" · {p.get('steps_per_s', 0):.0f} steps/s · test MSE {m['test_mse']:.4f} (PCA {m['pca_test_mse']:.4f})"
    if "denoise_mse" in m:
        line += f" · denoise {m['denoise_mse']:.4f} (PCA {m['pca_denoise_mse']:.4f})"
    if "elbo" in m:
        line += f" · ELBO {m['elbo']:.2f}"
    return line
