"""An author's model: `content/models/<name>.py`, an entry of the model table like the built-ins.

The file holds a frozen dataclass of options (its fields, types and defaults are what a figure may
set, validated like the built-in options) and a Flax NNX module with the model protocol:

    @dataclass(frozen=True)
    class Hyper:
        beta: float = field(default=4.0, metadata={"min": 0, "help": "weight of the KL term"})

    class BetaVAE(nnx.Module):
        prior = "normal"                           # optional: codes trained towards N(0, I)
        def __init__(self, hp: Hyper, data, *, rngs: nnx.Rngs): ...   # data: protocol.DataInfo
        def encode(self, x): ...                   # (B, *data.shape) -> (B, data.latent_dim)
        def decode(self, z): ...                   # (B, latent_dim) -> (B, *data.shape), data units
        def loss(self, x, key): ...                # scalar: what training minimises
        def corrupt(self, x, key): ...             # optional: a denoiser's corruption
        def metrics(self, x): ...                  # optional: {name: scalar} on the test set

Parsing a post reads the file with `ast` only (no import, so no jax); training imports it as a
module of a package rooted at content/models, so it may import its neighbours relatively
(`from .layers import Block`). Hyper fields named like a common option (latent_dim, steps,
learning_rate, batch_size, schedule) set that option's default for this model instead.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .hyper import HyperError, make_option
from .protocol import ModelSpec, Plan

REQUIRED = ("encode", "decode", "loss")
COMMON_DEFAULTS = ("latent_dim", "steps", "learning_rate", "batch_size", "schedule")
AUTHOR_PLAN = Plan(3000, 1e-3, "cosine")  # a safe start for a small model; a figure can override


@dataclass(frozen=True)
class AuthorModel(ModelSpec):
    """An entry read from `content/models/<name>.py` (see the module docstring)."""

    content_dir: Path | None = None
    hyper_class: str = ""
    model_class: str = ""
    common_defaults: dict = field(default_factory=dict)  # Hyper fields that are common options
    lines: dict = field(default_factory=dict)  # method name -> line, for errors
    has_metrics: bool = False

    def resolve(self, config) -> dict:
        return {k: config.opt(k, o.default) for k, o in self.options.items()}

    def plan(self, config) -> Plan:
        d = self.common_defaults
        return Plan(int(d.get("steps", AUTHOR_PLAN.steps)), float(d.get("learning_rate", AUTHOR_PLAN.learning_rate)),
                    str(d.get("schedule", AUTHOR_PLAN.schedule)))

    def label(self, config) -> str:
        changed = [f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}" for k, v in config.options
                   if k in self.options and v != self.options[k].default]
        return " ".join([f"{self.title} d={config.latent_dim}", *changed])

    # ---- train time ---------------------------------------------------------------------------------

    def load_module(self):
        """The author's module, imported (once per file version) as part of a content package."""
        return import_author_file(self.source, self.content_dir / "models", "models")

    def hyper(self, config):
        cls = getattr(self.load_module(), self.hyper_class)
        common = {k: getattr(config, k) for k in COMMON_DEFAULTS if k in self.common_defaults}
        return cls(**dict(config.options), **common)

    def build(self, config, info, seed: int):
        from flax import nnx

        cls = getattr(self.load_module(), self.model_class)
        return cls(self.hyper(config), info, rngs=nnx.Rngs(seed))

    def loss(self, module, x, key, config, info):
        return module.loss(x, key)

    def metrics(self, module, x, config, info) -> dict:
        return dict(module.metrics(x)) if self.has_metrics else {}

    def validate(self, module, config, info) -> None:
        """Trace encode, decode and loss on a batch of 2 (no compute) and compare their shapes with
        the protocol's, so a mismatch names both shapes at the method's line before training."""
        import jax
        import jax.numpy as jnp
        from flax import nnx

        from .author_errors import AuthorCodeError

        graphdef, state = nnx.split(module)
        x = jax.ShapeDtypeStruct((2, *info.shape), jnp.float32)
        z = jax.ShapeDtypeStruct((2, info.latent_dim), jnp.float32)
        key = jax.random.PRNGKey(0)
        checks = (("encode", lambda s, v: self.encode(nnx.merge(graphdef, s), v), x, (2, info.latent_dim),
                   "(batch, latent_dim)"),
                  ("decode", lambda s, v: self.decode(nnx.merge(graphdef, s), v), z, (2, *info.shape),
                   "(batch, *data shape)"),
                  ("loss", lambda s, v: nnx.merge(graphdef, s).loss(v, key), x, (), "a scalar"))
        for name, fn, arg, want, meaning in checks:
            got = jax.eval_shape(fn, state, arg)
            shape = getattr(got, "shape", None)
            if shape != want:
                what = f"shape {tuple(shape)}" if shape is not None else f"a {type(got).__name__}"
                raise AuthorCodeError(str(self.source), self.lines.get(name, 1),
                                      f"{self.model_class}.{name} returned {what}; expected {want}, "
                                      f"i.e. {meaning}, for data of shape {tuple(info.shape)} and "
                                      f"latent_dim {info.latent_dim}", config=config)

    def code_hashes(self) -> dict[str, str]:
        from . import sources

        files = sources.closure(self.source, self.content_dir)
        return {**sources.package_sources(Path(__file__)),  # the code that calls theirs
                **sources.hashes(files, self.content_dir, self.content_dir.parent)}


# ---- reading the files without importing them ------------------------------------------------------


def read_author_models(content_dir: Path, builtin: dict) -> tuple[dict, list]:
    """(name -> AuthorModel, problems as (name, path, line, message)) for content/models/*.py."""
    models, problems = {}, []
    for path in sorted((content_dir / "models").glob("*.py")):
        name = path.stem
        if name.startswith("_"):
            continue  # helpers the models import
        if name in builtin:
            problems.append((name, str(path), 1, f"`{name}` is a built-in model; rename {path.name}"))
            continue
        try:
            models[name] = _read(path, name, content_dir)
        except AuthorFileError as e:
            problems.append((name, str(path), e.line, e.message))
    return models, problems


class AuthorFileError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


def _read(path: Path, name: str, content_dir: Path) -> AuthorModel:
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except SyntaxError as e:
        raise AuthorFileError(e.lineno or 1, f"syntax error: {e.msg}") from None
    classes = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    hyper = _hyper_class(classes)
    options, common = _options(hyper)
    model = _model_class(classes)
    title = _class_literal(model, "title") or name
    methods = _methods(model, classes)
    return AuthorModel(name, str(title), summary=ast.get_docstring(tree) or "", options=options,
                       source=path.resolve(), content_dir=content_dir.resolve(), hyper_class=hyper.name,
                       model_class=model.name, common_defaults=common, lines=methods,
                       has_prior=_class_literal(model, "prior") == "normal", corrupts="corrupt" in methods,
                       has_metrics="metrics" in methods)


def _is_frozen_dataclass(node: ast.ClassDef) -> bool:
    for dec in node.decorator_list:
        if isinstance(dec, ast.Call) and ast.unparse(dec.func).endswith("dataclass"):
            if any(k.arg == "frozen" and getattr(k.value, "value", False) is True for k in dec.keywords):
                return True
    return False


def _hyper_class(classes) -> ast.ClassDef:
    found = [c for c in classes if _is_frozen_dataclass(c)]
    if len(found) > 1:
        found = [c for c in found if c.name == "Hyper"] or found
    if len(found) != 1:
        line = found[1].lineno if len(found) > 1 else 1
        raise AuthorFileError(line, "declare the model's options as one frozen dataclass, e.g. "
                                    "`@dataclass(frozen=True)\\nclass Hyper:\\n    beta: float = 4.0` "
                                    f"({'several found; name one Hyper' if found else 'none found'})")
    return found[0]


def _methods(cls: ast.ClassDef, classes) -> dict[str, int]:
    """Methods of `cls` and of its bases defined in the same file."""
    by_name = {c.name: c for c in classes}
    out: dict[str, int] = {}
    for base in cls.bases:
        if isinstance(base, ast.Name) and base.id in by_name and base.id != cls.name:
            out.update(_methods(by_name[base.id], classes))
    out.update({n.name: n.lineno for n in cls.body if isinstance(n, ast.FunctionDef)})
    return out


def _model_class(classes) -> ast.ClassDef:
    found = [c for c in classes if all(m in _methods(c, classes) for m in REQUIRED)]
    found = [c for c in found if not any(c.name in {getattr(b, "id", "") for b in o.bases} for o in found)]
    if len(found) != 1:
        raise AuthorFileError(found[1].lineno if found else 1,
                              "define one model class (a flax.nnx.Module) with methods encode(self, x), "
                              f"decode(self, z) and loss(self, x, key) ({'several' if found else 'none'} found)")
    return found[0]


def _class_literal(cls: ast.ClassDef, name: str):
    for node in cls.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == name for t in node.targets):
            try:
                return ast.literal_eval(node.value)
            except ValueError:
                return None
    return None


def _options(cls: ast.ClassDef) -> tuple[dict, dict]:
    """Options from the dataclass's annotated fields; fields named like common options → defaults."""
    options, common = {}, {}
    for node in cls.body:
        if not isinstance(node, ast.AnnAssign) or not isinstance(node.target, ast.Name):
            continue
        name = node.target.id
        default, metadata = _default(node, name)
        if name in COMMON_DEFAULTS:
            common[name] = default
            continue
        try:
            options[name] = make_option(name, ast.unparse(node.annotation), default, metadata)
        except HyperError as e:
            raise AuthorFileError(node.lineno, str(e)) from None
    return options, common


def _default(node: ast.AnnAssign, name: str):
    value = node.value
    if value is None:
        raise AuthorFileError(node.lineno, f"option `{name}` needs a default value (a figure may leave it out)")
    try:
        if isinstance(value, ast.Call) and ast.unparse(value.func).split(".")[-1] == "field":
            kw = {k.arg: k.value for k in value.keywords}
            if "default" not in kw:
                raise AuthorFileError(node.lineno, f"option `{name}`: give field(...) a `default=`")
            meta = ast.literal_eval(kw["metadata"]) if "metadata" in kw else {}
            return ast.literal_eval(kw["default"]), meta
        return ast.literal_eval(value), {}
    except ValueError:
        raise AuthorFileError(node.lineno, f"option `{name}`: the default must be a plain value "
                                           "(a number, text, true/false or a tuple of numbers)") from None


# ---- importing ---------------------------------------------------------------------------------------


def import_author_file(path: Path, folder: Path, kind: str):
    """Import `path` as `<package>.<stem>` where the package is `folder` (so relative imports of
    its neighbours work). A changed file (or neighbour) is imported afresh."""
    package = f"_explainer_content_{hashlib.sha1(str(folder.resolve()).encode()).hexdigest()[:8]}_{kind}"
    if package not in sys.modules:
        spec = importlib.util.spec_from_file_location(package, folder / "__init__.py",
                                                      submodule_search_locations=[str(folder)])
        module = importlib.util.module_from_spec(spec)
        sys.modules[package] = module  # an empty package: content/models needs no __init__.py
    name = f"{package}.{path.stem}"
    stamp = _stamp(folder)
    loaded = sys.modules.get(name)
    if loaded is not None and getattr(loaded, "__explainer_stamp__", None) == stamp:
        return loaded
    for key in [k for k in sys.modules if k.startswith(package + ".")]:
        del sys.modules[key]  # the folder changed: its modules import afresh
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    module.__explainer_stamp__ = stamp
    return module


def _stamp(folder: Path) -> tuple:
    return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*.py")))
