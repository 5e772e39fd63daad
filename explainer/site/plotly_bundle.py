"""Which plotly.js a page loads: the full bundle from the installed `plotly` package, or plotly.js's
own "basic" build (scatter, bar and pie only: 1.2 MB against 4.8 MB, evaluated about four times
faster) when it is installed and the page's charts need nothing else.

No Python package ships the basic build; npm's `plotly.js-basic-dist-min` does. The install puts
it in a cache folder (`.ci/run` does; by hand:
`npm install --prefix ~/.cache/explainer/npm plotly.js-basic-dist-min@<the full bundle's version>`),
and the build uses it only when its version is the full bundle's, so charts look the same on every
page. Without it, every chart page loads the full bundle, as before. Nothing is fetched at build
or read time.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path

NPM_PREFIX_ENV = "EXPLAINER_NPM_PREFIX"
BASIC_TYPES = frozenset({"scatter", "bar", "pie"})
_BASIC_FILE = Path("node_modules") / "plotly.js-basic-dist-min" / "plotly-basic.min.js"
_VERSION_RE = re.compile(rb"plotly\.js(?: \([^)]*\))? v(\d+\.\d+\.\d+)")
_JSON_SCRIPT_RE = re.compile(r'<script type="application/json"[^>]*>(.*?)</script>', re.S)


def npm_prefix() -> Path:
    return Path(os.environ.get(NPM_PREFIX_ENV) or Path.home() / ".cache" / "explainer" / "npm")


def bundle_version(data: bytes) -> str | None:
    m = _VERSION_RE.search(data[:400])
    return m.group(1).decode() if m else None


@lru_cache(maxsize=4)
def basic_bundle(prefix: str, full_version: str | None) -> bytes | None:
    """The basic build under `prefix`, if it is there and of the full bundle's version."""
    try:
        data = (Path(prefix) / _BASIC_FILE).read_bytes()
    except OSError:
        return None
    return data if full_version and bundle_version(data) == full_version else None


def _figures(data) -> list[dict]:
    """Plotly figures in a chart's JSON: a fence's {data, layout}, a live latent view's {plot: …}."""
    if not isinstance(data, dict):
        return []
    if isinstance(data.get("data"), list):
        return [data]
    return _figures(data.get("plot"))


def chart_trace_types(html: str) -> set[str]:
    """Trace types of every chart in a page body ("?" for JSON that cannot be read)."""
    types: set[str] = set()
    for m in _JSON_SCRIPT_RE.finditer(html):
        text = m.group(1)
        if '"data"' not in text:
            continue
        try:
            data = json.loads(text)
        except ValueError:
            types.add("?")
            continue
        for figure in _figures(data):
            types.update(str(t.get("type", "scatter")) if isinstance(t, dict) else "?"
                         for t in figure["data"])
    return types


def fits_basic(html: str) -> bool:
    return chart_trace_types(html) <= BASIC_TYPES
