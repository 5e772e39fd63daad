"""One TrainResult on disk: `<key>.npz` (every array) and `<key>.json` (config, metrics, provenance).

Both are written atomically (temp file + os.replace), the json last: it carries the npz's sha256,
so it doubles as the completeness marker. The json is sealed (sealed_json.py: format version, the
entry's key, a checksum over everything), so an edited metric, a truncated file or an entry copied
over another key is caught, not published. An entry whose json is missing, damaged or of the
wrong shape, or whose npz does not match the recorded hash or would unpack to more than
MAX_ARRAY_BYTES, is corrupt and gets retrained. Reading needs only numpy and never unpickles.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np

from ..base.files import write_atomic
from ..base.sealed_json import DamagedEntry, read_sealed, write_sealed
from .experiments import ExperimentConfig
from .oplist.program import Program
from .result import DenseLayer, TrainResult

FORMAT = 4  # 2: the json half is sealed; 3: also every parameter (param:<path>) and the data shape;
# 4: encoder/decoder are op-list programs (models/oplist/program.py), not dense layers
MAX_ARRAY_BYTES = 1 << 30  # no experiment the validation allows stores more; a bigger npz is a bomb


class CorruptEntry(Exception):
    """A cache entry that cannot be trusted; the caller retrains it."""


def _layers_to_arrays(prefix, layers, arrays) -> list[str] | dict | None:
    """Dense layers as a list of activations, a Program as {"program": its meta}; arrays aside."""
    if layers is None:
        return None
    if isinstance(layers, Program):
        for i, c in enumerate(layers.consts):
            arrays[f"{prefix}_c{i}"] = c
        if layers.fallback is not None:
            arrays[f"{prefix}_fallback"] = np.frombuffer(layers.fallback, np.uint8)
        return {"program": layers.to_meta()}
    for i, layer in enumerate(layers):
        arrays[f"{prefix}_w{i}"], arrays[f"{prefix}_b{i}"] = layer.w, layer.b
    return [layer.activation for layer in layers]


def _layers_from_arrays(prefix, meta, arrays):
    if meta is None:
        return None
    if isinstance(meta, dict):
        program = meta["program"]
        fallback = arrays.get(f"{prefix}_fallback")
        return Program.from_meta(program, [arrays[f"{prefix}_c{i}"] for i in range(program["n_consts"])],
                                 None if fallback is None else fallback.tobytes())
    return tuple(DenseLayer(arrays[f"{prefix}_w{i}"], arrays[f"{prefix}_b{i}"], act)
                 for i, act in enumerate(meta))


def save(stem: Path, result: TrainResult, extra: dict | None = None) -> None:
    import io

    arrays = {"test_x": result.test_x, "test_z": result.test_z, "test_recon": result.test_recon}
    for name in ("test_y", "pca_recon"):
        if getattr(result, name) is not None:
            arrays[name] = getattr(result, name)
    arrays.update({f"history_{k}": np.asarray(v) for k, v in result.history.items()})
    arrays.update({f"param:{k}": np.asarray(v) for k, v in (result.params or {}).items()})
    meta = {"format": FORMAT, "config": result.config.to_dict(), "title": getattr(result.config, "title", ""),
            "encoder": _layers_to_arrays("encoder", result.encoder, arrays),
            "decoder": _layers_to_arrays("decoder", result.decoder, arrays),
            "image_shape": list(result.image_shape) if result.image_shape else None,
            "data_shape": list(result.data_shape) if result.data_shape else None,
            "metrics": result.metrics, "provenance": result.provenance, "history": list(result.history),
            **(extra or {})}
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    blob = buf.getvalue()
    meta["npz_sha256"] = hashlib.sha256(blob).hexdigest()
    write_atomic(stem.with_suffix(".npz"), blob)
    meta = json.loads(json.dumps(meta, default=_json_default))  # numpy scalars -> plain JSON values
    write_sealed(stem.with_suffix(".json"), "trained-model", FORMAT, meta, stem.name)


def _json_default(value):
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"not JSON-serialisable: {type(value).__name__}")


def load(stem: Path) -> TrainResult:
    """The stored result, or CorruptEntry (missing json, bad hash, unreadable arrays)."""
    try:
        meta = read_sealed(stem.with_suffix(".json"), "trained-model", FORMAT, stem.name)
        blob = stem.with_suffix(".npz").read_bytes()
    except (OSError, DamagedEntry) as exc:
        raise CorruptEntry(str(exc)) from exc
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise CorruptEntry("description of the wrong shape")
    if hashlib.sha256(blob).hexdigest() != meta.get("npz_sha256"):
        raise CorruptEntry("arrays do not match the recorded checksum")
    import io

    try:
        _check_unpacked_size(io.BytesIO(blob))
        with np.load(io.BytesIO(blob), allow_pickle=False) as f:
            arrays = {k: f[k] for k in f.files}
        return TrainResult(
            config=replace(ExperimentConfig.from_dict(meta["config"]), title=str(meta.get("title") or "")),
            encoder=_layers_from_arrays("encoder", meta["encoder"], arrays),
            decoder=_layers_from_arrays("decoder", meta["decoder"], arrays),
            image_shape=tuple(meta["image_shape"]) if meta["image_shape"] else None,
            metrics=meta["metrics"], history={k: arrays[f"history_{k}"] for k in meta["history"]},
            test_x=arrays["test_x"], test_y=arrays.get("test_y"), test_z=arrays["test_z"],
            test_recon=arrays["test_recon"], pca_recon=arrays.get("pca_recon"),
            provenance=meta["provenance"],
            params={k[len("param:"):]: v for k, v in arrays.items() if k.startswith("param:")} or None,
            data_shape=tuple(meta["data_shape"]) if meta.get("data_shape") else None)
    except (KeyError, ValueError, TypeError, OSError, AttributeError, zipfile.BadZipFile) as exc:
        raise CorruptEntry(f"{type(exc).__name__}: {exc}") from exc


def _check_unpacked_size(file) -> None:
    """Refuse an npz that would unpack to more than MAX_ARRAY_BYTES, before allocating any of it
    (a few kilobytes of deflated zeros can claim gigabytes)."""
    with zipfile.ZipFile(file) as z:
        total = sum(info.file_size for info in z.infolist())
    if total > MAX_ARRAY_BYTES:
        raise ValueError(f"the arrays would unpack to {total / 2**20:.0f} MiB")
