"""The site's static files: theme CSS/JS, code-highlighting CSS, math assets and one plotly.js.

Theme files get content-hashed names (`assets/site.3f2a1b9c04.css`) so browsers can cache them
forever and a changed file is never served stale. plotly.js comes from the installed `plotly`
package: one copy per site, loaded only by pages that have charts.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import PurePosixPath

from ..base.config import SiteConfig
from ..base.hashing import digest
from ..base.process_caches import process_cache


def hashed_name(logical: str, data: bytes) -> str:
    p = PurePosixPath(logical)
    stem = p.name[: -len("".join(p.suffixes))] if p.suffixes else p.name
    return f"assets/{stem}.{digest(data, size=5)}{''.join(p.suffixes)}"


@lru_cache(maxsize=1)
def plotly_js() -> bytes:
    return (files("plotly") / "package_data" / "plotly.min.js").read_bytes()


@process_cache("assets", maxsize=4)
def _collect(math_mode: str) -> tuple[tuple, tuple]:
    from ..posts.highlight import stylesheet
    from ..posts.math import math_assets
    from .layout import theme_static_files

    sources = dict(theme_static_files())
    sources["css/highlight.css"] = stylesheet().encode("utf-8")
    sources["js/plotly.js"] = plotly_js()
    assets, out = {}, {}
    for logical, data in sources.items():
        rel = hashed_name(logical, data)
        assets[logical], out[rel] = rel, (data, rel)  # the name holds the content's hash
    for rel, data in math_assets(math_mode).items():
        # MathJax's files keep their own layout, so their key is a hash of what they hold
        assets[rel], out[rel] = rel, (data, digest(data))
    return tuple(sorted(assets.items())), tuple(sorted(out.items()))


def collect_assets(site: SiteConfig) -> tuple[dict[str, str], dict[str, tuple[bytes, str]]]:
    """-> (logical name -> site-relative path, site-relative path -> (bytes, key of its content))."""
    assets, out = _collect(site.math.mode)
    return dict(assets), dict(out)
