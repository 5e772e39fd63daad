"""The model protocol: what every view, the trainer and the cache may ask of a model.

A model is an entry of the model table (`table.py`): a `ModelSpec`. Built-in models are one file
each under `models/zoo/`; an author's model is `content/models/<name>.py` (`authored.py`). Both are
the same kind of object, so no code outside a model's own file compares model names.

Parse time (no jax): `options` (validated from a figure's YAML), `resolve` (fill what the figure
left out, so two figures meaning one experiment share a run), `plan` (steps, learning rate,
schedule), `label`, and the capabilities views check: `trains`, `has_prior`, `corrupts`,
`needs_images`.

Train time (jax, imported lazily inside the methods): `build` an NNX module, then `loss`,
`encode`, `decode` (and `corrupt`, `metrics`) on it. Shapes are batch-first and data-shaped: x is
(B, *data_shape) — (B, h, w) for images, (B, D) for points — and z is (B, latent_dim).

After training: `decode_fn(result) -> (decode, params)`, a pure JAX function of a parameter pytree,
for the jaxpr exporter of the in-page runtime (see its docstring); `encode_fn` likewise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .datainfo import DataInfo, flat_params, nest  # noqa: F401  (re-exported: the protocol's shapes)
from .hyper import Option


@dataclass(frozen=True)
class Plan:
    """Training defaults a figure may override: a fixed, early budget (these models overfit)."""

    steps: int
    learning_rate: float
    schedule: str = "cosine"


@dataclass(frozen=True)
class ModelSpec:
    """One entry of the model table. Subclasses (one per file) override what differs."""

    name: str
    title: str  # label prefix, e.g. "VAE"
    summary: str = ""
    options: dict[str, Option] = field(default_factory=dict)
    source: Path | None = None  # the author's file (None: built in)
    module: str = ""  # the module that defines the entry (set by the table): its file is in the cache key
    trains: bool = True  # False: fitted in closed form (PCA), no jax
    has_prior: bool = False  # codes are trained towards N(0, I): the `samples` view decodes draws from it
    corrupts: bool = False  # trained to undo a corruption: the `denoise` view
    needs_images: bool = False  # works on images only (convolutions)

    # ---- parse time: no jax ----------------------------------------------------------------------

    def resolve(self, config) -> dict:
        """The model's options with every default filled in (override for data-dependent ones)."""
        return {k: config.opt(k, o.default) for k, o in self.options.items()}

    def plan(self, config) -> Plan:
        return Plan(3000, 3e-3, "cosine")

    def label(self, config) -> str:
        return f"{self.title} d={config.latent_dim}"

    def check(self, values: dict) -> list[tuple[str, str]]:
        """Problems with a combination of a figure's values, as (key, message)."""
        return []

    def lacks(self, capability: str) -> str:
        """How to say the model lacks a capability a view needs."""
        what = {"has_prior": "prior to sample codes from (set `prior = \"normal\"` on the model class "
                             "when its codes are trained towards a standard normal)",
                "corrupts": "corruption it learned to undo (a `corrupt(self, x, key)` method)",
                "trains": "trained network"}[capability]
        return f"model `{self.name}` has no {what}"

    # ---- train time: jax (imported inside) ---------------------------------------------------------

    def build(self, config, info: DataInfo, seed: int):
        raise NotImplementedError

    def loss(self, module, x, key, config, info: DataInfo):
        return module.loss(x, key)

    def encode(self, module, x):  # (B, *shape) -> (B, d): the deterministic code
        return module.encode(x)

    def decode(self, module, z):  # (B, d) -> (B, *shape), in data units
        return module.decode(z)

    def corrupt(self, module, x, key):
        return module.corrupt(x, key)

    def metrics(self, module, x, config, info: DataInfo) -> dict:
        """Extra test metrics beyond the reconstruction error (jitted by the caller)."""
        return {}

    def corruption(self, config) -> tuple[str, float] | None:
        """(noise type, level) of the fixed noisy test copy the denoising score uses, or None."""
        return None

    def validate(self, module, config, info: DataInfo) -> None:
        """Check a freshly built module keeps the protocol (shapes); raise with what is wrong."""

    def export_dense(self, module, config, info: DataInfo):
        """(encoder, decoder) as DenseLayers for the int8 in-page runtime, or (None, None)."""
        return None, None

    # ---- after training: the interface of the jaxpr exporter ---------------------------------------

    def decode_fn(self, result):
        """`(decode, params)` for a trained result: `decode(params, z) -> x` is pure JAX,
        z (batch, latent_dim) float32 → x (batch, *data_shape) in data units (pixels in [0, 1]
        after the model's own output activation). `params` is a nested dict of float32 numpy
        arrays holding only the leaves the decoder reads, so `jax.make_jaxpr(decode)(params, z)`
        sees exactly the weights to ship. Works for every trained model, built in or an author's."""
        return self._pure_fn(result, "decode")

    def encode_fn(self, result):
        """`(encode, params)`: x (batch, *data_shape) → z (batch, latent_dim), like `decode_fn`."""
        return self._pure_fn(result, "encode")

    def _pure_fn(self, result, which: str):
        from . import purefn

        return purefn.pure_fn(self, result, which)
