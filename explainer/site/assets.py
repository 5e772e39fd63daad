"""The site's static files: theme CSS/JS, code-highlighting CSS, math assets and one plotly.js.

Theme files get content-hashed names (`assets/site.3f2a1b9c04.css`) so browsers can cache them
forever and a changed file is never served stale. plotly.js comes from the installed `plotly`
package: one copy per site, loaded only by pages that have charts.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from importlib.resources import files
from pathlib import Path, PurePosixPath

from ..base.config import SiteConfig
from ..base.errors import ExplainerError
from ..base.hashing import digest
from ..base.process_caches import process_cache
from . import asset_record
from .plotly_bundle import basic_bundle, bundle_version, npm_prefix


def hashed_name(logical: str, data: bytes) -> str:
    p = PurePosixPath(logical)
    stem = p.name[: -len("".join(p.suffixes))] if p.suffixes else p.name
    return f"assets/{stem}.{digest(data, size=5)}{''.join(p.suffixes)}"


@lru_cache(maxsize=1)
def plotly_js() -> bytes:
    return (files("plotly") / "package_data" / "plotly.min.js").read_bytes()


@process_cache("assets", maxsize=4)
def _collect(math_mode: str, npm_prefix: str) -> tuple[tuple, tuple, list]:
    """-> (assets, out, as collect_assets returns them but as sorted pairs; the stamps of their
    inputs, taken before they were made: asset_record.py)."""
    from ..posts.highlight import stylesheet
    from ..posts.math import math_assets
    from .layout import theme_static_files

    inputs = asset_record.stamps(asset_record.input_files(math_mode, npm_prefix))
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
    return tuple(sorted(assets.items())), tuple(sorted(out.items())), inputs


def collect_assets(site: SiteConfig, cache_dir: Path | None = None, save: bool = True, lean: bool = False
                   ) -> tuple[dict[str, str], dict[str, tuple[bytes | Callable[[], bytes], str]]]:
    """-> (logical name -> site-relative path, site-relative path -> (bytes, key of its content)).

    With `cache_dir`, the names come from the asset record (asset_record.py) when nothing they are
    made from has changed, and each file's bytes are then a callable that makes them (called only
    for a file the site does not hold yet); `save` writes the record when it had to be made again.
    `lean` (a one-shot build): the bytes made to name the assets are not kept either, only makers.
    The assets are written after the pages, and the page workers are forked from this process:
    6 MB of plotly.js and theme files held through the page stage were 6 MB in every worker too."""
    mode, prefix = site.math.mode, str(npm_prefix())
    if cache_dir is not None:
        recorded = asset_record.load(cache_dir, mode, prefix)
        if recorded is not None:
            names, keys = recorded
            return names, {rel: (_maker(mode, prefix, rel, key), key) for rel, key in keys.items()}
    assets, out, inputs = _collect(mode, prefix)
    if cache_dir is not None and save:
        asset_record.save(cache_dir, mode, prefix, inputs, dict(assets), {rel: key for rel, (_, key) in out})
    if lean:
        _collect.cache_clear()
        return dict(assets), {rel: (_maker(mode, prefix, rel, key), key) for rel, (_, key) in out}
    return dict(assets), dict(out)


def _maker(mode: str, prefix: str, rel: str, key: str) -> Callable[[], bytes]:
    """The bytes of the recorded asset `rel`, made when a build must write it. What is made must
    be what was recorded: pages name the assets by the record."""
    def make() -> bytes:
        data, made_key = dict(_collect(mode, prefix)[1]).get(rel, (None, None))
        if data is None or made_key != key:
            raise ExplainerError(f"the theme's assets changed while the site was being built ({rel}); "
                                 "build again")
        return data
    return make


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
