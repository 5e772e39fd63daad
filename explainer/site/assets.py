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
from .plotly_bundle import basic_bundle, bundle_version, npm_prefix


def hashed_name(logical: str, data: bytes) -> str:
    p = PurePosixPath(logical)
    stem = p.name[: -len("".join(p.suffixes))] if p.suffixes else p.name
    return f"assets/{stem}.{digest(data, size=5)}{''.join(p.suffixes)}"


@lru_cache(maxsize=1)
def plotly_js() -> bytes:
    return (files("plotly") / "package_data" / "plotly.min.js").read_bytes()


@process_cache("assets", maxsize=4)
def _collect(math_mode: str, npm_prefix: str) -> tuple[tuple, tuple]:
    from ..posts.highlight import stylesheet
    from ..posts.math import math_assets
    from .layout import theme_static_files

    sources = dict(theme_static_files())
    sources["css/highlight.css"] = stylesheet().encode("utf-8")
    sources["js/plotly.js"] = plotly_js()
    basic = basic_bundle(npm_prefix, bundle_version(sources["js/plotly.js"]))
    if basic is not None:  # pages whose charts fit it load this one (plotly_bundle.py)
        sources["js/plotly-basic.js"] = basic
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
    assets, out = _collect(site.math.mode, str(npm_prefix()))
    return dict(assets), dict(out)


# Loaded only by the pages that need them: a site without charts or live figures does not ship them.
OPTIONAL_ASSETS = ("js/plotly.js", "js/plotly-basic.js", "js/live.js")


def asset_uses(html: str, assets: dict[str, str]) -> list[str]:
    """The optional assets (logical names) that a page's HTML refers to."""
    return [name for name in OPTIONAL_ASSETS if name in assets and assets[name].rsplit("/", 1)[-1] in html]


def unused_assets(outputs, assets: dict[str, str]) -> set[str]:
    """Site paths of optional assets no page uses. Built pages carry a `uses` note (asset_uses); a
    page kept from the last build has it in the manifest (a kept page was built by this version of
    the code, since the code is part of every page's key)."""
    used: set[str] = set()
    for rel in outputs.names():
        if rel.endswith(".html"):
            note = outputs.notes.get(rel) if rel in outputs.files else outputs.manifest.entries.get(rel)
            used.update((note or {}).get("uses", ()))
    return {assets[name] for name in OPTIONAL_ASSETS if name in assets and name not in used}
