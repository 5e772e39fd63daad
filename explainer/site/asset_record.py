"""A record of the site's assets: their names and content keys, and the stamps of what they are made
from, so that a build whose asset inputs have not changed learns the names from a few `stat` calls.

Making the assets costs a fresh process ~0.1 s: importing Pygments (highlight.css), Jinja (the theme's
files are listed by the layout module) and MathJax's engine (the math stylesheet), and reading and
hashing 5 MB of plotly.js. A one-post rebuild needs none of that unless an asset changed.

What the record is checked against, on every build:
- the key: our code and theme by content (the code fingerprint every page key holds), the math
  mode and the npm prefix (plotly_bundle.py);
- stamps (size, mtime in ns) of the installed files the assets come from: every file under the
  theme's static folder, Pygments' version, styles and HTML formatter, plotly.js, the basic bundle
  under the npm prefix (or its absence), and MathJax's client script (client mode). Installing,
  upgrading or editing any of them rewrites the file and moves its stamp. Packages are located
  with `find_spec`, which does not import them, so another environment's packages are other files.

The bytes are never stored here: an asset that must be written (a new or deleted site, a changed
file) is made then, by the caller, and the names it gets must be the recorded ones
(`assets.collect_assets`). The record is sealed JSON (base/sealed_json.py); a damaged one is made again.
"""

from __future__ import annotations

import os
from importlib.util import find_spec
from pathlib import Path

from ..base.hashing import digest, tree_fingerprint
from ..base.sealed_json import DamagedEntry, read_sealed, write_sealed

RECORD_FILE = "assets.json"  # in the cache folder
FORMAT = 1
PACKAGE_DIR = Path(__file__).resolve().parent.parent
STATIC_DIR = PACKAGE_DIR / "theme" / "static"
CODE_SUFFIXES = (".py", ".html", ".xml", ".css", ".js")  # as pipeline._build_fingerprint hashes
# The files of installed packages that an asset is made from (paths inside the package).
PYGMENTS_FILES = ("__init__.py", "style.py", "token.py", "formatter.py", "formatters/html.py")
PLOTLY_JS = "package_data/plotly.min.js"
BASIC_BUNDLE = "node_modules/plotly.js-basic-dist-min/plotly-basic.min.js"  # as plotly_bundle._BASIC_FILE
MATHJAX_CLIENT = "static/mathjax/es5/tex-svg-full.js"  # as math.CLIENT_SCRIPT, under es5_dir()


def record_key(math_mode: str, npm_prefix: str) -> str:
    code = tree_fingerprint(str(PACKAGE_DIR), CODE_SUFFIXES)
    return digest(FORMAT, code, math_mode, npm_prefix)


def _package_dir(name: str) -> Path | None:
    spec = find_spec(name)
    locations = spec.submodule_search_locations if spec is not None else None
    return Path(locations[0]) if locations else None


def input_files(math_mode: str, npm_prefix: str) -> list[str]:
    """Every file the assets are made from (some may not exist: the basic bundle is optional)."""
    files = [str(p) for p in sorted(STATIC_DIR.rglob("*"))]  # folders too: a new file moves nothing else
    pygments = _package_dir("pygments")
    if pygments is not None:
        files += [str(pygments / f) for f in PYGMENTS_FILES]
        files += sorted(str(p) for p in (pygments / "styles").glob("*.py"))
    plotly = _package_dir("plotly")
    if plotly is not None:
        files.append(str(plotly / PLOTLY_JS))
    files.append(str(Path(npm_prefix) / BASIC_BUNDLE))
    mathjax = _package_dir("mathjax") if math_mode == "client" else None
    if mathjax is not None:
        files.append(str(mathjax / MATHJAX_CLIENT))
    return files


def stamps(files: list[str]) -> list[list]:
    out: list[list] = []
    for f in files:
        try:
            st = os.stat(f)
            out.append([f, st.st_size, st.st_mtime_ns])
        except OSError:
            out.append([f, None, None])  # absent: its appearing later changes the stamp
    return out


def load(cache_dir: Path, math_mode: str, npm_prefix: str) -> tuple[dict, dict] | None:
    """(logical name -> site path, site path -> content key) as recorded, when every input is as it
    was then; else None."""
    try:
        body = read_sealed(cache_dir / RECORD_FILE, "assets", FORMAT, record_key(math_mode, npm_prefix))
        recorded = body["inputs"]
        if stamps([entry[0] for entry in recorded]) != recorded:
            return None
        if [entry[0] for entry in recorded] != input_files(math_mode, npm_prefix):
            return None  # a file added to the theme, a package found elsewhere
        assets, keys = dict(body["assets"]), dict(body["keys"])
    except (FileNotFoundError, DamagedEntry):
        return None
    except (OSError, KeyError, TypeError, ValueError, IndexError):
        return None  # not the shape this code writes: made again
    if not all(isinstance(v, str) for v in [*assets, *assets.values(), *keys, *keys.values()]):
        return None
    return assets, keys


def save(cache_dir: Path, math_mode: str, npm_prefix: str, inputs: list[list], assets: dict,
         keys: dict) -> None:
    """`inputs`: the stamps taken *before* the assets were made, so a file changed while they were
    being made leaves a record that no longer matches."""
    body = {"inputs": inputs, "assets": sorted(assets.items()), "keys": sorted(keys.items())}
    try:
        write_sealed(cache_dir / RECORD_FILE, "assets", FORMAT, body, record_key(math_mode, npm_prefix))
    except OSError:
        pass  # a read-only cache: the next build makes the assets again, as before
