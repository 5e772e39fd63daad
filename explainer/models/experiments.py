"""`ExperimentConfig`: one experiment (model, data set, training options, the model's own options),
and its validation from a figure's YAML.

The options every model shares (data set, latent size, steps, learning rate, …) are fields; the
options a model declares itself (the VAE's `beta`, an author's `hidden`) live in `options`, checked
against the model's own `Hyper` dataclass (see `protocol.py`, `hyper.py`). Everything a figure
leaves out comes from the model: its measured *plan* (steps, learning rate, schedule; these small
models overfit, so each gets a fixed, early budget) and its option defaults. `resolved()` fills them
in and drops what does not apply, so that two figures that mean the same experiment share one
training run (and one cache entry).

No jax import here: the cache and the figure code read configs without starting jax.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

from .hyper import Option, check_value, did_you_mean
from .table import POINT_DATASETS, Tables, builtin_tables

SCHEDULES = ("cosine", "constant")

FIELDS: dict[str, str] = {
    "model": "which model to train: a built-in one (pca, ae, dae, vae, sparse_ae, conv_ae) or one of "
             "content/models/",
    "dataset": "which data set: digits, shapes, moons, circles, swiss_roll, npz, or one of content/data/ "
               "(default digits)",
    "latent_dim": "size of the code (bottleneck), an integer ≥ 1 (default 2)",
    "steps": "training steps (batches); default: the model's measured plan",
    "batch_size": "examples per training step (default 100)",
    "learning_rate": "peak Adam learning rate; default: the model's plan",
    "schedule": "learning-rate schedule: cosine or constant; default: the model's plan",
    "seed": "random seed for initialisation, batches and noise, an integer ≥ 0 (default 0)",
    "path": "npz only: the .npz file, relative to content/ (arrays x and optional y)",
    "large": "true: train data-parallel over every device (each batch split over the GPUs; batch_size must "
             "divide by their number); default false",
}
COMMON = {
    "latent_dim": Option("int", 2, 1, 1024, help=FIELDS["latent_dim"]),
    "steps": Option("int", None, 1, 1_000_000, help=FIELDS["steps"]),
    "batch_size": Option("int", 100, 1, 100_000, help=FIELDS["batch_size"]),
    "learning_rate": Option("float", None, 0.0, 1.0, help=FIELDS["learning_rate"], low_open=True),
    "schedule": Option("choice", None, choices=SCHEDULES),
    "seed": Option("int", 0, 0, 2**31 - 1, help=FIELDS["seed"]),
    "large": Option("bool", False, help=FIELDS["large"]),
}
TRAINING = ("steps", "batch_size", "learning_rate", "schedule", "seed", "large")


def _freeze(value):
    return tuple(value) if isinstance(value, list) else value


@dataclass(frozen=True, init=False)
class ExperimentConfig:
    model: str
    dataset: str = "digits"
    latent_dim: int = 2
    steps: int | None = None
    batch_size: int = 100
    learning_rate: float | None = None
    schedule: str | None = None
    seed: int = 0
    path: str | None = None
    options: tuple = ()  # sorted (name, value) pairs: the model's own options
    # How to train, not what: the same experiment (same cache entry, same result within float
    # rounding) trained data-parallel over every device (models/sharded.py).
    large: bool = field(default=False, compare=False)
    is_resolved: bool = field(default=False, compare=False, repr=False)
    title: str = field(default="", compare=False, repr=False)  # the model's label, set by resolved()

    def __init__(self, model, dataset="digits", latent_dim=2, steps=None, batch_size=100, learning_rate=None,
                 schedule=None, seed=0, path=None, options=(), is_resolved=False, title="", large=False,
                 **model_options):
        """`ExperimentConfig("vae", latent_dim=2, beta=4)`: unknown keywords are model options."""
        merged = {**dict(options), **model_options}
        values = dict(model=model, dataset=dataset, latent_dim=latent_dim, steps=steps, batch_size=batch_size,
                      learning_rate=learning_rate, schedule=schedule, seed=seed, path=path,
                      options=tuple(sorted((k, _freeze(v)) for k, v in merged.items())), is_resolved=is_resolved,
                      title=title, large=bool(large))
        for k, v in values.items():
            object.__setattr__(self, k, v)

    def opt(self, name: str, default=None):
        """A model option (or a common field) by name."""
        if name in FIELDS:
            return getattr(self, name)
        return dict(self.options).get(name, default)

    def spec(self, tables: Tables | None = None):
        spec = (tables or builtin_tables()).model(self.model)
        if spec is None:
            raise ValueError(f"unknown model {self.model!r}: not built in, and no content/models/{self.model}.py "
                             "in the table given")
        return spec

    def resolved(self, tables: Tables | None = None) -> "ExperimentConfig":
        """Every None filled from the model's plan and defaults; what the model ignores dropped."""
        if self.is_resolved:
            return self
        spec = self.spec(tables)
        if not spec.trains:  # closed form (PCA): no training options, no seed
            out = replace(self, options=(), steps=0, batch_size=0, learning_rate=0.0, schedule="constant",
                          seed=0, path=self.path if self.dataset == "npz" else None, is_resolved=True)
            return replace(out, title=spec.label(out))
        out = replace(self, options=tuple(sorted(spec.resolve(self).items())),
                      path=self.path if self.dataset == "npz" else None)
        plan = spec.plan(out)
        out = replace(out, steps=int(self.steps if self.steps is not None else plan.steps),
                      learning_rate=float(self.learning_rate if self.learning_rate is not None
                                          else plan.learning_rate),
                      schedule=self.schedule or plan.schedule, is_resolved=True)
        return replace(out, title=spec.label(out) + _unlabelled_options(out, spec))

    def label(self, tables: Tables | None = None) -> str:
        """Short human label: "AE d=2", "DAE σ=0.3", "VAE d=2 β=1", "PCA d=16 · moons"."""
        try:
            r = self.resolved(tables)
            text = r.title or r.spec(tables).label(r) + _unlabelled_options(r, r.spec(tables))
        except ValueError:  # an author's model, read back without its table
            r, text = self, f"{self.model} d={self.latent_dim}"
        if r.dataset != "digits":
            text += f" · {r.path.rsplit('/', 1)[-1] if r.dataset == 'npz' and r.path else r.dataset}"
        if r.seed:
            text += f" seed {r.seed}"
        return text

    def identity(self) -> tuple:
        """What makes two configs "the same experiment, retuned" rather than a new one (cache log)."""
        return (self.model, self.dataset, self.path, self.latent_dim, self.seed)

    def to_dict(self) -> dict:
        d = {f.name: getattr(self, f.name) for f in fields(self)
             if f.name not in ("options", "is_resolved", "title", "large")}  # large: not in the cache key
        d.update({k: list(v) if isinstance(v, tuple) else v for k, v in self.options})
        return d

    @classmethod
    def from_dict(cls, d: dict, resolved: bool = True) -> "ExperimentConfig":
        """The inverse of to_dict (stored configs are resolved ones)."""
        return cls(**{k: _freeze(v) for k, v in d.items() if k != "is_resolved"}, is_resolved=resolved)


def _unlabelled_options(r: "ExperimentConfig", spec) -> str:
    """" loss=bce", " activation=relu hidden=[32]": the options set away from the model's defaults
    that its own label does not show, so that two different experiments never share a label."""
    defaults = dict(spec.resolve(ExperimentConfig(r.model, r.dataset, r.latent_dim, path=r.path)))
    base = spec.label(replace(r, options=tuple(sorted(defaults.items()))))
    extra = []
    for key, value in r.options:
        if key in defaults and defaults[key] != value:
            alone = replace(r, options=tuple(sorted({**defaults, key: value}.items())))
            if spec.label(alone) == base:
                extra.append(f"{key}={_shown(value)}")
    return "".join(" " + e for e in extra)


def _shown(value) -> str:
    if isinstance(value, tuple):
        return f"[{', '.join(map(str, value))}]"
    return f"{value:g}" if isinstance(value, float) else str(value)


# ---- validation of a figure's `experiment:` mapping ---------------------------------------------


def _check_common(key, value, tables: Tables, errors):
    if key == "model":
        return _name(key, value, list(tables.models), errors)
    if key == "dataset":
        return _name(key, value, list(tables.datasets), errors)
    if key == "path":
        if (not isinstance(value, str) or not value.endswith(".npz") or value.startswith(("/", "\\"))
                or ".." in value.replace("\\", "/").split("/")):  # content stays in content/
            errors.append((key, "path must be a .npz file relative to content/, such as data/points.npz, "
                                f"not {value!r}"))
            return None
        return value
    return check_value(key, value, COMMON[key], errors)


MAX_HIDDEN_WEIGHTS = 8_000_000  # ~100 MB with Adam's state; 6 layers of 4,096 would need GBs


def _name(key, value, names, errors):
    if not isinstance(value, str) or value not in names:
        errors.append((key, f"{key} must be one of {', '.join(names)}, not {value!r}{did_you_mean(value, names)}"))
        return None
    return value


def _elsewhere(key: str, tables: Tables) -> list[str]:
    return [name for name, spec in tables.models.items() if key in spec.options]


def _check_combination(values: dict, spec, tables: Tables, errors) -> None:
    """Rules that involve two fields: data sets a model cannot use, a path without npz."""
    dataset = values.get("dataset", "digits")
    if spec is not None and not spec.trains:
        for key in TRAINING:
            if key in values:
                errors.append((key, f"{key} does not apply to model {spec.name} (it is fitted, not trained); "
                                    "remove it"))
    if spec is not None and spec.needs_images and dataset in POINT_DATASETS:
        errors.append(("dataset", f"{spec.name} needs images, not the 2-D point set {dataset}"))
    if dataset in POINT_DATASETS and values.get("latent_dim", 2) > 2:
        errors.append(("latent_dim", f"{dataset} is 2-D, so latent_dim must be 1 or 2"))
    if dataset == "npz" and "path" not in values:
        errors.append(("path", "dataset npz needs path: the .npz file relative to content/"))
    if dataset != "npz" and "path" in values:
        errors.append(("path", "path is only for dataset: npz; remove it or set dataset: npz"))
    if spec is not None:
        errors.extend(spec.check(values))
    widths = list(values.get("hidden") or ()) + [values.get("latent_dim", 2)]
    if sum(a * b for a, b in zip(widths, widths[1:])) > MAX_HIDDEN_WEIGHTS:  # before any allocation
        errors.append(("hidden", f"the hidden layers hold more than {MAX_HIDDEN_WEIGHTS:,} weights; "
                       "explainer figures train in seconds with a few hundred units per layer"))


def parse_experiment(data: object, tables: Tables | None = None):
    """Validate a YAML mapping into an ExperimentConfig; every problem as (key or None, message)."""
    tables = tables or builtin_tables()
    if not isinstance(data, dict):
        return None, [(None, f"an experiment must be a mapping of options such as {{model: ae, latent_dim: 2}}, "
                             f"not {type(data).__name__}")]
    errors: list = []
    values: dict = {}
    spec = tables.model(data.get("model")) if isinstance(data.get("model"), str) else None
    own = spec.options if spec else {}
    for key, value in data.items():
        if key in FIELDS:
            cleaned = _check_common(key, value, tables, errors)
        elif key in own:
            cleaned = check_value(key, value, own[key], errors)
        else:
            users = _elsewhere(key, tables)
            if spec is not None and users:
                errors.append((str(key), f"{key} does not apply to model {spec.name} (it is for "
                                         f"{', '.join(users)}); remove it"))
            else:
                valid = list(FIELDS) + list(own)
                errors.append((str(key), f"unknown option '{key}'{did_you_mean(key, valid) or '.'} "
                                         f"Valid options{f' for {spec.name}' if spec else ''}: {', '.join(valid)}"))
            continue
        if cleaned is not None:
            values[key] = cleaned
    if "model" not in data:
        errors.append(("model", f"model is required: one of {', '.join(tables.models)}"))
    _check_combination(values, spec, tables, errors)
    if errors:
        return None, errors
    return ExperimentConfig(**values), []
