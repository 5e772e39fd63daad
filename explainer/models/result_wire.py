"""A group's outcomes as bytes and back, to send a result trained on another host to process 0.

The bytes are the training cache's own files (store.py: a sealed JSON and an `.npz`, checked when
read back), framed: an 8-byte length, a JSON header listing each outcome's file sizes or error,
then the files. No pickle: what arrives is data, verified like a cache entry.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from ..base.errors import ExplainerError
from . import store
from .training_error import TrainingError


class RemoteTrainingError(TrainingError):
    """An experiment that failed on another host: its message, reported at its figures."""

    def __init__(self, config, message: str):
        self.config, self.step, self.message = config, 0, message
        ExplainerError.__init__(self, message)

    def __reduce__(self):
        return (RemoteTrainingError, (self.config, self.message))


def pack(outcomes: list) -> bytes:
    header: list[dict] = []
    blobs: list[bytes] = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, outcome in enumerate(outcomes):
            if isinstance(outcome, BaseException):
                header.append({"error": str(outcome)})
                continue
            stem = Path(tmp) / f"r{i}"
            store.save(stem, outcome)
            files = [stem.with_suffix(".json").read_bytes(), stem.with_suffix(".npz").read_bytes()]
            header.append({"sizes": [len(f) for f in files]})
            blobs.extend(files)
    head = json.dumps(header).encode()
    return len(head).to_bytes(8, "little") + head + b"".join(blobs)


def unpack(data: bytes, configs: list) -> list:
    """The outcomes `pack` sent, in order: TrainResults (verified as the cache verifies its entries)
    or RemoteTrainingErrors naming the same experiments."""
    n = int.from_bytes(data[:8], "little")
    header, at = json.loads(data[8:8 + n]), 8 + n
    out: list = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, (entry, config) in enumerate(zip(header, configs)):
            if "error" in entry:
                out.append(RemoteTrainingError(config, entry["error"]))
                continue
            stem = Path(tmp) / f"r{i}"
            for suffix, size in zip((".json", ".npz"), entry["sizes"]):
                stem.with_suffix(suffix).write_bytes(data[at:at + size])
                at += size
            out.append(store.load(stem))
    return out
