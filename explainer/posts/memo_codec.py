"""Read posts as JSON, for the on-disk post memo: data only, never code.

The memo used to be a pickle, and unpickling a crafted file runs code. This codec writes the Post
dataclasses as tagged JSON and reads back only the dataclasses its caller allows (read.py: Post
and the config records inside it), by calling them with keyword arguments: a crafted file can at
worst describe a wrong post, and the sealed envelope's checksum (base/sealed_json.py) catches that
unless the file was forged on purpose by someone who could edit the posts themselves anyway.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path


class NotEncodable(Exception):
    """A value the memo cannot hold (a YAML `!!set` in unknown front matter, say): not memoised."""


def encode(value, allowed: dict):
    """`allowed`: class name -> class, the dataclasses this memo may hold."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [encode(v, allowed) for v in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise NotEncodable("a mapping with keys that are not text")
        return {"d": {k: encode(v, allowed) for k, v in value.items()}}
    if isinstance(value, tuple):
        return {"t": [encode(v, allowed) for v in value]}
    if isinstance(value, dt.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"date": value.isoformat()}
    if isinstance(value, Path):
        return {"p": str(value)}
    if dataclasses.is_dataclass(value) and allowed.get(type(value).__name__) is type(value):
        return {"c": type(value).__name__,
                "f": {f.name: encode(getattr(value, f.name), allowed) for f in dataclasses.fields(value)}}
    raise NotEncodable(type(value).__name__)


_PLAIN = frozenset({str, int, float, bool, type(None)})  # JSON's own values, as json.loads makes them


def decode(value, allowed: dict):
    """The inverse of `encode`; ValueError/TypeError/KeyError for anything it did not write.
    (Tested by exact type, commonest first: a 1000-post memo holds ~30,000 values.)"""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is list:
        return [decode(v, allowed) for v in value]
    if kind is not dict or len(value) not in (1, 2):
        raise ValueError("unknown memo value")
    if "c" in value:
        cls = allowed[value["c"]]  # KeyError: a class this codec never writes
        return cls(**{str(k): decode(v, allowed) for k, v in value["f"].items()})
    if "t" in value:
        items = value["t"]
        return tuple([decode(v, allowed) for v in items]) if items else ()
    if "d" in value:
        return {str(k): decode(v, allowed) for k, v in value["d"].items()}
    if "dt" in value:
        return dt.datetime.fromisoformat(value["dt"])
    if "date" in value:
        return dt.date.fromisoformat(value["date"])
    if "p" in value:
        return Path(value["p"])
    raise ValueError("unknown memo value")
