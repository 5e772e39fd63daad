"""The theme's templates compiled ahead of time, so a fresh process renders a page without compiling
Jinja templates (a post page's eight cost ~24 ms of CPU; loading their compiled modules ~1 ms).

`theme/compiled/` holds one Python module per template, Jinja's own compiled form of it
(`Environment.compile(..., raw=True, defer_init=True)`, as Jinja's `compile_templates` writes it),
generated from the sources and committed with them: package code like any other, never written at
run time (a cache file that held code would break the rule that caches cannot run code). Each
module records what it was compiled from: the template's SHA-256, Jinja's version and the
environment's options. The loader uses a module only when all three match the template it is asked
for now; otherwise it compiles the template as Jinja always does. So an edited template (the
preview server's theme edits, a developer's) or another Jinja version renders correctly, only
without the head start; `tests/site/test_compiled_templates.py` fails until the modules are made
again (`UPDATE_COMPILED=1 python -m pytest tests/site/test_compiled_templates.py`).
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
from pathlib import Path

import jinja2

COMPILED_DIR = Path(__file__).resolve().parent.parent / "theme" / "compiled"
_HEADER = ("# Generated from theme/templates/{name} by tests/site/test_compiled_templates.py\n"
           "# (UPDATE_COMPILED=1 python -m pytest tests/site/test_compiled_templates.py); do not edit.\n"
           "SOURCE_SHA256 = {sha!r}\nJINJA_VERSION = {version!r}\nENV_OPTIONS = {options!r}\n")


def module_file(name: str) -> Path:
    """`post.html` -> theme/compiled/post_html.py."""
    return COMPILED_DIR / (re.sub(r"\W", "_", name) + ".py")


def env_options(environment: jinja2.Environment, name: str) -> str:
    """What besides the source decides the compiled code of template `name`."""
    e = environment
    autoescape = e.autoescape(name) if callable(e.autoescape) else e.autoescape
    return repr((e.block_start_string, e.block_end_string, e.variable_start_string, e.variable_end_string,
                 e.comment_start_string, e.comment_end_string, e.line_statement_prefix,
                 e.line_comment_prefix, e.trim_blocks, e.lstrip_blocks, e.newline_sequence,
                 e.keep_trailing_newline, e.optimized, bool(autoescape), e.undefined.__name__,
                 sorted(e.extensions)))


def _sha(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def compiled_source(environment: jinja2.Environment, name: str, source: str) -> str:
    """The module text for template `name` (what the test writes and compares)."""
    code = environment.compile(source, name, raw=True, defer_init=True)
    header = _HEADER.format(name=name, sha=_sha(source), version=jinja2.__version__,
                            options=env_options(environment, name))
    return header + code + "\n"


class PrecompiledLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that takes a template's compiled module when it matches the template."""

    def load(self, environment: jinja2.Environment, name: str, globals=None) -> jinja2.Template:
        source, filename, uptodate = self.get_source(environment, name)
        namespace = _matching_module(environment, name, source)
        if namespace is None:
            code = environment.compile(source, name, filename)
            return environment.template_class.from_code(environment, code, globals or {}, uptodate)
        template = environment.template_class.from_module_dict(environment, namespace, globals or {})
        template._uptodate = uptodate  # as a compiled one: the preview server sees an edited file
        return template


def _matching_module(environment: jinja2.Environment, name: str, source: str) -> dict | None:
    path = module_file(name)
    if not path.is_file():
        return None
    # A fresh module object each time (not kept in sys.modules): Jinja stores the environment in
    # the module's namespace, and each Environment needs its own.
    spec = importlib.util.spec_from_file_location(f"explainer_compiled_template_{path.stem}", path)
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)  # defines the render functions; imports from jinja2.runtime
    except Exception:  # noqa: BLE001  (made for another Jinja: what it imports may not exist)
        return None
    namespace = module.__dict__
    if (namespace.get("SOURCE_SHA256") != _sha(source) or namespace.get("JINJA_VERSION") != jinja2.__version__
            or namespace.get("ENV_OPTIONS") != env_options(environment, name)):
        return None
    return namespace
