"""Frozen results: the trained results a site needs, kept next to its content and committed with it.

`explainer freeze` stores every experiment the site's figures use in `content/frozen/` (the stored
result as the training cache holds it, plus a readable `index.json` naming each entry's experiment
and metrics). A later build that misses the training cache (a CI runner, a deploy, a fresh clone)
takes a frozen result instead of training, and so never imports JAX, as long as the experiment's
inputs are unchanged: its settings, the model and training code, the data. Library versions are
left out of the frozen key on purpose: a deploy machine with another JAX patch release should use
the results the author reviewed, as Quarto's `freeze` does.

When an input did change, the frozen entry is *stale*: the build says so (and retrains), and under
`--strict` it stops instead, so CI never publishes figures the author has not frozen.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from . import store
from .experiments import ExperimentConfig

FROZEN_DIR = "frozen"  # under content/
INDEX = "index.json"


def frozen_key(parts: dict) -> str:
    """The training cache's key without library versions (see the module docstring)."""
    unversioned = {k: v for k, v in parts.items() if k != "versions"}
    return "f" + hashlib.sha256(json.dumps(unversioned, sort_keys=True).encode()).hexdigest()[:24]


def frozen_dir(content_dir: Path) -> Path:
    return Path(content_dir) / FROZEN_DIR


def frozen_index(content_dir: Path) -> dict:
    try:
        value = json.loads((frozen_dir(content_dir) / INDEX).read_text(encoding="utf-8"))
        return value if isinstance(value, dict) else {}
    except (OSError, ValueError):
        return {}


def load_frozen(content_dir: Path, parts: dict):
    """The frozen result for these inputs, or None (none frozen, or damaged: then it trains)."""
    stem = frozen_dir(content_dir) / frozen_key(parts)
    if not stem.with_suffix(".json").is_file():
        return None
    try:
        return store.load(stem)
    except store.CorruptEntry:
        return None


def stale_reason(content_dir: Path, parts: dict) -> str | None:
    """Why a frozen entry of the same experiment no longer applies, or None when there is none or
    the current one is frozen."""
    index = frozen_index(content_dir)
    if not index or frozen_key(parts) in index:
        return None
    for entry in index.values():
        if isinstance(entry, dict) and entry.get("config") == parts["config"]:
            changed = [name for name in ("code", "data") if entry.get(name) != parts.get(name)]
            return f"its {' and '.join(changed) or 'inputs'} changed since it was frozen"
    return None


def freeze(content_dir: Path, frozen: list[tuple[dict, object]], log=print) -> dict:
    """Store each (key parts, TrainResult) in content/frozen/ and drop entries no longer needed.
    Returns counts: {"stored", "kept", "removed"}."""
    root = frozen_dir(content_dir)
    root.mkdir(parents=True, exist_ok=True)
    old, index = frozen_index(content_dir), {}
    stored = kept = 0
    for parts, result in frozen:
        key = frozen_key(parts)
        config = ExperimentConfig.from_dict(parts["config"])
        index[key] = {"experiment": config.label(), "config": parts["config"], "code": parts["code"],
                      "data": parts["data"], "versions": parts.get("versions", {}),
                      "metrics": result.metrics}
        if key in old and (root / f"{key}.json").is_file():
            kept += 1
            continue
        store.save(root / key, result)
        stored += 1
        log(f"frozen  {config.label()} -> {root / key}.npz")
    removed = 0
    for key in set(old) - set(index):
        for suffix in (".json", ".npz"):
            (root / f"{key}{suffix}").unlink(missing_ok=True)
        removed += 1
    store.write_atomic(root / INDEX, (json.dumps(index, indent=1, sort_keys=True) + "\n").encode())
    return {"stored": stored, "kept": kept, "removed": removed}
