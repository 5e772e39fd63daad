"""Cache files that cannot run code or lie: JSON with a kind, a format version, the key it was
stored under, and a checksum, all verified on read.

JSON, never pickle: reading a cache file must not be able to execute anything, whoever wrote it.
The checksum catches truncation, bit rot and hand edits; the key catches an entry copied or
renamed over another one (a "swapped" entry would otherwise be served under the wrong key).
"""

from __future__ import annotations

import hashlib
import json

from .files import write_atomic


class DamagedEntry(Exception):
    """A cache file that cannot be trusted; the message says why, in a few words."""


def _checksum(kind: str, version: int, key: str, body_text: str) -> str:
    h = hashlib.sha256()
    for part in (kind, str(version), key, body_text):
        data = part.encode("utf-8")
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


def _canonical(body) -> str:
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))  # NaN as Python writes it


def _prefix(kind: str, version: int, key: str, checksum: str) -> str:
    envelope = {"kind": kind, "version": version, "key": key, "checksum": checksum}
    return json.dumps(envelope, sort_keys=True)[:-1] + ', "body": '


def seal(kind: str, version: int, body, key: str = "") -> bytes:
    text = _canonical(body)
    # The body goes in as already-serialised text, last, so the checksum covers exactly its bytes
    # and reading can check them without serialising the body again.
    return (_prefix(kind, version, key, _checksum(kind, version, key, text)) + text + "}").encode("utf-8")


def unseal(data: bytes, kind: str, version: int, key: str = ""):
    """The body, or DamagedEntry: not JSON, another kind or version, another key, a bad checksum."""
    try:
        text = data.decode("utf-8")
        envelope = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise DamagedEntry(f"not readable JSON ({type(exc).__name__})") from None
    if not isinstance(envelope, dict) or envelope.get("kind") != kind:
        raise DamagedEntry(f"not a {kind} entry")
    if envelope.get("version") != version:
        raise DamagedEntry(f"format version {envelope.get('version')!r}, this program writes {version}")
    if envelope.get("key") != key:
        raise DamagedEntry("stored under another key (a copied or swapped file)")
    checksum = envelope.get("checksum")
    prefix = _prefix(kind, version, key, str(checksum))
    body_text = text[len(prefix):-1] if text.startswith(prefix) and text.endswith("}") else None
    if body_text is None or checksum != _checksum(kind, version, key, body_text):
        raise DamagedEntry("checksum does not match (edited or damaged)")
    return envelope.get("body")


def write_sealed(path, kind: str, version: int, body, key: str = "") -> None:
    write_atomic(path, seal(kind, version, body, key))


def read_sealed(path, kind: str, version: int, key: str = ""):
    """The body; FileNotFoundError when there is no entry, DamagedEntry when it cannot be trusted."""
    with open(path, "rb") as f:
        data = f.read()
    return unseal(data, kind, version, key)
