"""Which experiments can train through one compiled program, and how they are made to (no jax here).

A chunk program's compile is most of what a short run costs beyond its steps (1.1–1.9 s for the
MLP autoencoders on one core, docs/training-notes.md), so experiments that differ only in what the
program can take as values share one program in a process (loop.compile_chunk):

- the seed, the learning rate, its schedule and the step budget are values in the loop's carry
  (loop.Program), for the built-in models; an author's loss may read them, so theirs stay constants;
- the code width: a model whose code enters only through dense layers (the plain and denoising
  MLP autoencoders) trains with its code zero-padded to a multiple of CODE_BLOCK. The padded units
  stay exactly zero: their encoder weights and decoder weights start at zero, the decoder weights
  get zero gradient (their inputs are zero), the encoder weights get zero gradient (their outputs
  reach the loss only through those zero weights), and Adam moves a weight with zero gradient by
  exactly zero. So AE d=2, d=8 and d=16 train in one program, and the trained weights are the
  real ones cut back out (`PaddedCode`). A penalty on the code (sparse_ae's mean |z|) or a sampled code
  (the VAE) would see the padding, so those models keep their own width;
- the evaluation stride: a run scores validation every `chunk_length(steps)` steps (40 times); the
  program runs BASE_STEPS steps a call and is told which calls end an evaluation, so runs with
  3,000 and 6,000 steps (chunks of 75 and 150) share a program of 25-step calls.

The runner also uses `family` to send experiments that can share a program to the worker process
that compiled it (runner.py).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from math import gcd

from .datainfo import DataInfo

CODE_BLOCK = 16  # code widths padded up to a multiple of this: d = 2, 8, 16 share a 16-wide program
BASE_STEPS = 25  # steps per call of a shared program: divides every default chunk (75, 150, 300, 500)


def pads_code(spec) -> bool:
    """Whether the model trains exactly the same with its code zero-padded (see the module docstring)."""
    return spec.source is None and bool(getattr(spec, "exact_under_code_padding", False))


def code_width(spec, latent_dim: int) -> int:
    """The code width the model trains with: `latent_dim`, or padded up to a multiple of CODE_BLOCK."""
    if not pads_code(spec):
        return latent_dim
    return -(-latent_dim // CODE_BLOCK) * CODE_BLOCK


def call_steps(spec, chunk: int) -> int:
    """Steps per program call for a run evaluated every `chunk` steps."""
    return gcd(chunk, BASE_STEPS) if pads_code(spec) else chunk


def plan_in_carry(spec) -> bool:
    """Whether the learning rate, schedule and step budget may be values rather than constants: a
    built-in model's loss never reads them; an author's might (a warm-up over `config.steps`)."""
    return spec.source is None


def shared_config(spec, config):
    """The config less what a shared program takes as values: the seed, the code width (padded), and
    for built-in models the plan. Equal for experiments that can train through one program."""
    shared = replace(config, seed=0, latent_dim=code_width(spec, config.latent_dim))
    if plan_in_carry(spec):
        shared = replace(shared, steps=0, learning_rate=0.0, schedule="")
    return shared


def family(config, spec) -> tuple:
    """Experiments with equal families can share a compiled program (a scheduling hint: what really
    decides is loop.compile_chunk's key)."""
    return (spec.name, str(spec.source or ""), shared_config(spec, config))


@dataclass(frozen=True)
class PaddedCode:
    """A model trained with its code zero-padded (program_share.py): the module, data shapes and
    config the program sees, and how the real weights go in (`pad`) and come back out (`cut`)."""

    graphdef: object
    padded: object  # the padded module's abstract state: the shapes `pad` fills to
    real: object  # the real module's abstract state: the shapes `cut` cuts back to
    info: DataInfo
    width: int

    @classmethod
    def of(cls, spec, config, info: DataInfo) -> "PaddedCode | None":
        from flax import nnx

        from .purefn import abstract_module

        width = code_width(spec, info.latent_dim)
        if width == info.latent_dim:
            return None
        wide = replace(info, latent_dim=width)
        graphdef, padded = nnx.split(abstract_module(spec, replace(config, latent_dim=width), wide))
        return cls(graphdef, padded, nnx.split(abstract_module(spec, config, info))[1], wide, width)

    def config(self, config):
        return replace(config, latent_dim=self.width)

    def pad(self, params):
        import jax.numpy as jnp

        return _leafwise(lambda p, t: jnp.pad(p, [(0, b - a) for a, b in zip(p.shape, t.shape)]), params, self.padded)

    def cut(self, params):
        return _leafwise(lambda p, r: p[tuple(slice(0, n) for n in r.shape)], params, self.real)


def _leafwise(fn, tree, shapes):
    """fn(leaf, shape's leaf) over two parameter trees of one module's paths (an nnx State and its
    abstract twin, or the same as plain dicts: the leaves come in the same path order)."""
    import jax

    leaves, treedef = jax.tree.flatten(tree)
    targets = jax.tree.leaves(shapes)
    assert len(leaves) == len(targets), "padded and real modules differ in parameters"
    return jax.tree.unflatten(treedef, [fn(a, b) for a, b in zip(leaves, targets)])
