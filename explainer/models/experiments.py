"""`ExperimentConfig`: the only home of hyperparameters, and its validation from a figure's YAML.

A figure names an experiment (model, data set, latent size, training options); everything it leaves
out comes from a per-model *plan* measured for these models (see shared/notes/ml-training.md):
small autoencoders on 1.3k–3k images overfit after a few thousand steps, so each model gets a fixed,
early step budget with the learning rate and schedule that worked best for it. `resolved()` fills
the plan in, and resets options that do not apply to the model to one canonical value, so that two
figures that mean the same experiment share one training run (and one cache entry).

No jax import here: the cache and the figure code read configs without starting jax.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import asdict, dataclass, fields, replace

MODELS = ("pca", "ae", "dae", "vae", "sparse_ae", "conv_ae")
DATASETS = ("digits", "shapes", "moons", "circles", "swiss_roll", "npz")
IMAGE_DATASETS = ("digits", "shapes", "npz")  # npz may hold points too; that is checked on load
POINT_DATASETS = ("moons", "circles", "swiss_roll")  # 2-D coordinates, not pixels in [0, 1]
ACTIVATIONS = ("relu", "tanh", "gelu")
LOSSES = ("mse", "bce")
NOISE_TYPES = ("gaussian", "mask")
SCHEDULES = ("cosine", "constant")

FIELDS: dict[str, str] = {
    "model": f"which model to train: one of {', '.join(MODELS)}",
    "dataset": f"which data set: one of {', '.join(DATASETS)} (default digits)",
    "latent_dim": "size of the code (bottleneck), an integer ≥ 1 (default 2)",
    "hidden": "encoder hidden widths, a list of integers such as [128, 64]; the decoder mirrors it",
    "activation": f"hidden-layer activation: one of {', '.join(ACTIVATIONS)} (default: gelu for ae/dae/sparse_ae "
                  "with latent_dim ≤ 16, else relu)",
    "loss": "reconstruction loss: mse or bce (default: bce for the VAE on images and on shapes, else mse)",
    "noise": "dae only: Gaussian noise sigma, or masking probability with noise_type: mask (default 0.3)",
    "noise_type": "dae only: gaussian or mask (default gaussian)",
    "beta": "vae only: weight of the KL term, a number ≥ 0 (default 1)",
    "sparsity": "sparse_ae only: weight of the L1 penalty on the code (default 0.001)",
    "steps": "training steps (batches); default: the model's measured plan, 3000–12000",
    "batch_size": "examples per training step (default 100)",
    "learning_rate": "peak Adam learning rate; default: the model's plan",
    "schedule": "learning-rate schedule: cosine or constant; default: the model's plan",
    "seed": "random seed for initialisation, batches and noise, an integer ≥ 0 (default 0)",
    "path": "npz only: the .npz file, relative to content/ (arrays x and optional y)",
}

# Options that only mean something for some models; elsewhere they are an author's mistake.
_ONLY_FOR = {
    "noise": ("dae",), "noise_type": ("dae",), "beta": ("vae",), "sparsity": ("sparse_ae",),
    "hidden": ("ae", "dae", "vae", "sparse_ae"), "activation": ("ae", "dae", "vae", "sparse_ae", "conv_ae"),
    "steps": MODELS[1:], "batch_size": MODELS[1:], "learning_rate": MODELS[1:], "schedule": MODELS[1:],
    "loss": MODELS[1:],
}

_NAMES = {"pca": "PCA", "ae": "AE", "dae": "DAE", "vae": "VAE", "sparse_ae": "Sparse AE",
          "conv_ae": "Conv AE"}


def default_loss_for(model: str, dataset: str) -> str:
    """BCE where the pixels are (nearly) binary or the decoder is Bernoulli, else MSE.

    The shapes are black images with one white blob (~10% of pixels). Under MSE through a sigmoid,
    "everything black" is a deep, flat basin: the conv AE fell into it and stayed (test MSE 0.118,
    i.e. predicting zeros). BCE's gradient on a wrong white pixel does not vanish as the sigmoid
    saturates, so the blob keeps pulling; the same conv AE then reaches 0.0017 (PCA: 0.0143).
    """
    if dataset == "shapes" or (model == "vae" and dataset in IMAGE_DATASETS):
        return "bce"
    return "mse"


def default_activation(model: str, latent_dim: int) -> str:
    """Chosen on the digits validation split (never the test split), per default experiment.

    GELU's smooth gate scored better than ReLU for the MLP AEs with small and medium codes and for
    the DAE (best validation MSE, d=8: 0.0101 vs 0.0109; d=16: 0.0055 vs 0.0058; DAE: 0.0159 vs
    0.0163; d=2: a tie), but worse at d=32 (0.0029 vs 0.0027) and for the VAE (−ELBO 23.62 vs 23.52).
    """
    if model in ("ae", "dae", "sparse_ae") and latent_dim <= 16:
        return "gelu"
    return "relu"


def plan(model: str, latent_dim: int, noise_type: str | None = None,
         dataset: str = "digits") -> tuple[int, float, str]:
    """(steps, peak learning rate, schedule) measured on digits (notes: "PCA baseline vs trained").

    Small codes learn fast and then overfit, so they get a short cosine-decayed run at a high rate;
    d=32 needs a long run at a low constant rate just to match PCA (20k steps: with the 1300-image
    training split, 12k left it at 0.0029 validation MSE; 20k reaches 0.0027). `steps` is an upper
    bound: training keeps the step with the best validation loss, and the final refit on
    train+validation stops there (train.py).
    """
    if model == "pca":
        return 0, 0.0, "constant"
    if model == "vae":
        return 6000, 1e-2, "cosine"
    if model == "dae":  # Gaussian: validation was still improving at 6000 steps (best 0.0159 at
        # the last step); 12000 reached 0.0156 at step 10200. The noise keeps it from overfitting.
        return (12000, 1e-3, "constant") if noise_type == "mask" else (12000, 3e-3, "cosine")
    if model == "conv_ae":  # 16×16 shapes cost 4× the pixels of 8×8 digits per step (~40 steps/s
        # on a 2-core CPU); 600 steps already reconstruct them 8× better than PCA
        return (3000, 3e-3, "constant") if dataset == "digits" else (600, 3e-3, "constant")
    if latent_dim <= 8:
        return 3000, 1e-2, "cosine"
    if latent_dim <= 16:
        return 6000, 3e-3, "cosine"
    return 20000, 1e-3, "constant"


@dataclass(frozen=True)
class ExperimentConfig:
    model: str
    dataset: str = "digits"
    latent_dim: int = 2
    hidden: tuple[int, ...] = (128, 64)
    activation: str | None = None
    loss: str | None = None
    noise: float | None = None
    noise_type: str | None = None
    beta: float = 1.0
    sparsity: float | None = None
    steps: int | None = None
    batch_size: int = 100
    learning_rate: float | None = None
    schedule: str | None = None
    seed: int = 0
    path: str | None = None

    def resolved(self) -> "ExperimentConfig":
        """Every None filled from the plan; options the model ignores set to one canonical value."""
        m = self.model
        noise_type = (self.noise_type or "gaussian") if m == "dae" else "none"
        steps, lr, schedule = plan(m, self.latent_dim, noise_type, self.dataset)
        default_loss = default_loss_for(m, self.dataset)
        out = replace(
            self,
            hidden=tuple(int(h) for h in self.hidden),
            loss=self.loss or default_loss,
            activation=self.activation or default_activation(m, self.latent_dim),
            noise=float(self.noise if self.noise is not None else 0.3) if m == "dae" else 0.0,
            noise_type=noise_type,
            beta=float(self.beta) if m == "vae" else 1.0,
            sparsity=float(self.sparsity if self.sparsity is not None else 1e-3) if m == "sparse_ae" else 0.0,
            steps=int(self.steps if self.steps is not None else steps),
            learning_rate=float(self.learning_rate if self.learning_rate is not None else lr),
            schedule=self.schedule or schedule,
            path=self.path if self.dataset == "npz" else None,
        )
        if m == "pca":  # a deterministic SVD: no training options, no seed
            out = replace(out, hidden=(), activation="linear", loss="mse", steps=0, batch_size=0,
                          learning_rate=0.0, schedule="constant", seed=0)
        elif m == "conv_ae":  # fixed conv architecture (nets.ConvAutoencoder)
            out = replace(out, hidden=())
        return out

    def label(self) -> str:
        """Short human label: "AE d=2", "DAE σ=0.3", "VAE d=2 β=1", "PCA d=16 · moons"."""
        r = self.resolved()
        name = _NAMES.get(r.model, r.model)
        if r.model == "dae":
            text = f"{name} σ={r.noise:g}" if r.noise_type == "gaussian" else f"{name} mask p={r.noise:g}"
            if r.latent_dim != 16:
                text = f"{name} d={r.latent_dim} " + text[len(name) + 1:]
        else:
            text = f"{name} d={r.latent_dim}"
        if r.model == "vae":
            text += f" β={r.beta:g}"
        if r.model == "sparse_ae":
            text += f" λ={r.sparsity:g}"
        if r.dataset != "digits":
            text += f" · {r.path.rsplit('/', 1)[-1] if r.dataset == 'npz' and r.path else r.dataset}"
        if r.seed:
            text += f" seed {r.seed}"
        return text

    def identity(self) -> tuple:
        """What makes two configs "the same experiment, retuned" rather than a new one (cache log)."""
        return (self.model, self.dataset, self.path, self.latent_dim, self.seed)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["hidden"] = list(self.hidden)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "ExperimentConfig":
        known = {f.name for f in fields(cls)}
        d = {k: v for k, v in d.items() if k in known}
        if "hidden" in d:
            d["hidden"] = tuple(d["hidden"])
        return cls(**d)


# ---- validation of a figure's `experiment:` mapping ---------------------------------------------


def _did_you_mean(word: str, choices) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _choice(key, value, choices, errors):
    if not isinstance(value, str) or value not in choices:
        errors.append((key, f"{key} must be one of {', '.join(choices)}, not {value!r}"
                            f"{_did_you_mean(value, choices)}"))
        return None
    return value


def _int(key, value, lo, hi, errors):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        errors.append((key, f"{key} must be a whole number, not {value!r} ({FIELDS[key]})"))
        return None
    if not lo <= value <= hi:
        errors.append((key, f"{key} must be between {lo} and {hi}, not {value}"))
        return None
    return value


def _float(key, value, lo, hi, errors, lo_open=False):
    if isinstance(value, str):  # YAML 1.1 reads `1e-3` (no dot) as a string; accept it
        try:
            value = float(value)
        except ValueError:
            pass
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        errors.append((key, f"{key} must be a number, not {value!r} ({FIELDS[key]})"))
        return None
    if value < lo or value > hi or (lo_open and value == lo):
        low = f"greater than {lo:g}" if lo_open else f"at least {lo:g}"
        errors.append((key, f"{key} must be {low} and at most {hi:g}, not {value:g}"))
        return None
    return float(value)


def _hidden(value, errors):
    if isinstance(value, int) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, (list, tuple)) or len(value) > 6:
        errors.append(("hidden", f"hidden must be a list of up to 6 layer widths such as [128, 64], not {value!r}"))
        return None
    widths = [_int("hidden", v, 1, 4096, errors) for v in value]
    return None if None in widths else tuple(widths)


def _check_value(key, value, errors):
    """One field's type and range; returns the cleaned value or None (error recorded)."""
    if key in ("model",):
        return _choice(key, value, MODELS, errors)
    if key == "dataset":
        return _choice(key, value, DATASETS, errors)
    if key in ("activation", "loss", "noise_type", "schedule"):
        choices = {"activation": ACTIVATIONS, "loss": LOSSES, "noise_type": NOISE_TYPES,
                   "schedule": SCHEDULES}[key]
        return _choice(key, value, choices, errors)
    if key == "hidden":
        return _hidden(value, errors)
    limits = {"latent_dim": (1, 1024), "steps": (1, 1_000_000), "batch_size": (1, 100_000),
              "seed": (0, 2**31 - 1)}
    if key in limits:
        return _int(key, value, *limits[key], errors)
    if key == "noise":
        return _float(key, value, 0.0, 5.0, errors, lo_open=True)
    if key == "beta":
        return _float(key, value, 0.0, 1000.0, errors)
    if key == "sparsity":
        return _float(key, value, 0.0, 100.0, errors)
    if key == "learning_rate":
        return _float(key, value, 0.0, 1.0, errors, lo_open=True)
    if key == "path":
        if (not isinstance(value, str) or not value.endswith(".npz") or value.startswith(("/", "\\"))
                or ".." in value.replace("\\", "/").split("/")):  # content stays in content/
            errors.append((key, "path must be a .npz file relative to content/, such as data/points.npz, "
                                f"not {value!r}"))
            return None
        return value
    raise AssertionError(key)


MAX_HIDDEN_WEIGHTS = 8_000_000  # ~100 MB with Adam's state; 6 layers of 4,096 would need GBs


def _check_combination(values: dict, errors) -> None:
    """Rules that involve two fields: options for another model, data sets a model cannot use."""
    model, dataset = values.get("model"), values.get("dataset", "digits")
    if model is None:
        return
    for key, models in _ONLY_FOR.items():
        if key in values and model not in models:
            errors.append((key, f"{key} does not apply to model {model} (it is for {', '.join(models)}); remove it"))
    if model == "conv_ae" and dataset in POINT_DATASETS:
        errors.append(("dataset", f"conv_ae needs images ({', '.join(IMAGE_DATASETS)}), not the 2-D point set {dataset}"))
    if dataset in POINT_DATASETS and values.get("loss") == "bce":
        errors.append(("loss", f"bce needs targets in [0, 1]; {dataset} holds raw 2-D coordinates: use mse"))
    if dataset in POINT_DATASETS and values.get("latent_dim", 2) > 2:
        errors.append(("latent_dim", f"{dataset} is 2-D, so latent_dim must be 1 or 2"))
    if dataset == "npz" and "path" not in values:
        errors.append(("path", "dataset npz needs path: the .npz file relative to content/"))
    if dataset != "npz" and "path" in values:
        errors.append(("path", "path is only for dataset: npz; remove it or set dataset: npz"))
    if values.get("noise_type") == "mask" and values.get("noise", 0.3) >= 1:
        errors.append(("noise", "with noise_type: mask, noise is a probability and must be below 1"))
    widths = list(values.get("hidden") or ()) + [values.get("latent_dim", 2)]
    if sum(a * b for a, b in zip(widths, widths[1:])) > MAX_HIDDEN_WEIGHTS:  # before any allocation
        errors.append(("hidden", f"the hidden layers hold more than {MAX_HIDDEN_WEIGHTS:,} weights; "
                       "explainer figures train in seconds with a few hundred units per layer"))


def parse_experiment(data: object) -> tuple[ExperimentConfig | None, list[tuple[str | None, str]]]:
    """Validate a YAML mapping into an ExperimentConfig; every problem as (key or None, message)."""
    if not isinstance(data, dict):
        return None, [(None, f"an experiment must be a mapping of options such as {{model: ae, latent_dim: 2}}, "
                             f"not {type(data).__name__}")]
    errors: list[tuple[str | None, str]] = []
    values: dict = {}
    for key, value in data.items():
        if key not in FIELDS:
            errors.append((str(key), f"unknown option '{key}'{_did_you_mean(key, FIELDS) or '.'} "
                                     f"Valid options: {', '.join(FIELDS)}"))
            continue
        cleaned = _check_value(key, value, errors)
        if cleaned is not None:
            values[key] = cleaned
    if "model" not in data:
        errors.append(("model", f"model is required: one of {', '.join(MODELS)}"))
    _check_combination(values, errors)
    if errors:
        return None, errors
    return ExperimentConfig(**values), []
