"""A trained model's decoder (or encoder) as a pure JAX function of a parameter pytree.

The cache stores a model's parameters as flat numpy arrays (`TrainResult.params`); the module's
structure is rebuilt from its config without running an initialiser (`nnx.eval_shape`), and the
stored arrays are put back into it inside the function. The returned params are pruned to the
leaves the function reads: the jaxpr exporter then ships exactly those weights.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from .datainfo import DataInfo, nest


@dataclass(frozen=True)
class PartialResult:
    """What pure_fn needs of a TrainResult, before the result exists (train.py)."""

    config: object
    params: dict
    data_shape: tuple
    latent_dim: int
    unit_range: bool


def result_info(result) -> DataInfo:
    if isinstance(result, PartialResult):
        return DataInfo(tuple(result.data_shape), result.latent_dim, result.unit_range)
    shape = tuple(result.data_shape or (result.image_shape or (result.test_x.shape[1],)))
    return DataInfo(shape, int(result.test_z.shape[1]), bool(result.provenance.get("unit_range", True)))


# Abstract modules of this process by (model entry, config without its seed, data shapes): a build,
# even one that computes nothing, traces every initialiser (~60 ms for the MLP autoencoder), and
# training and both page forms of one model each asked for the same one. The entry is kept in the
# value so its id is not reused while the memo holds it; a preview edit makes a new entry.
_ABSTRACT: dict = {}
_ABSTRACT_MAX = 32
_ABSTRACT_LOCK = threading.Lock()


def abstract_module(spec, config, info: DataInfo):
    """The model's module with shapes and no values (`nnx.eval_shape`), built at seed 0."""
    from dataclasses import replace

    from flax import nnx

    code = tuple(sorted(spec.code_hashes().items())) if spec.source is not None else ()  # an edited model
    key = (id(spec), code, replace(config, seed=0), info)
    try:
        hash(key)
    except TypeError:  # an unhashable value in an author's config: build, do not keep
        return nnx.eval_shape(lambda: spec.build(config, info, 0))
    with _ABSTRACT_LOCK:  # the device lanes build from several threads (lanes.py)
        hit = _ABSTRACT.get(key)
        if hit is None:
            while len(_ABSTRACT) >= _ABSTRACT_MAX:
                _ABSTRACT.pop(next(iter(_ABSTRACT)))
            hit = _ABSTRACT[key] = (spec, nnx.eval_shape(lambda: spec.build(config, info, 0)))
    return hit[1]


def pure_fn(spec, result, which: str):
    """(fn, params) with fn(params, v) running spec.decode or spec.encode; see ModelSpec.decode_fn."""
    import jax
    import jax.numpy as jnp
    from flax import nnx

    if not result.params:
        raise ValueError(f"{result.config.label()} has no stored parameters (model `{spec.name}`"
                         f"{' is fitted in closed form' if not spec.trains else ''})")
    info = result_info(result)
    graphdef, state = nnx.split(abstract_module(spec, result.config, info))
    flat_state = dict(nnx.to_flat_state(state))
    by_name = {"/".join(map(str, path)): path for path in flat_state}
    run = spec.decode if which == "decode" else spec.encode

    def fn(params, v):
        filled = dict(flat_state)
        for key, value in _flatten(params).items():
            path = by_name[key]
            filled[path] = filled[path].replace(value)
        module = nnx.merge(graphdef, nnx.from_flat_state(filled))
        return run(module, v)

    full = {k: np.asarray(v, np.float32) for k, v in result.params.items()}
    example = (jnp.zeros((1, info.latent_dim), jnp.float32) if which == "decode"
               else jnp.zeros((1, *info.shape), jnp.float32))
    jaxpr = jax.make_jaxpr(fn)(nest(full), example)
    leaves = jax.tree_util.tree_flatten_with_path(nest(full))[0]
    used = {_key(path) for (path, _), var in zip(leaves, jaxpr.jaxpr.invars) if _is_used(var, jaxpr.jaxpr)}
    return fn, nest({k: v for k, v in full.items() if k in used})


def flat_pure_fn(spec, result, which: str):
    """`pure_fn` in the page's flat convention: (params, v (batch, n_in)) -> (batch, n_out), with
    n = latent_dim or the example's flat size (h·w). What an exporter that sees flat vectors traces."""
    fn, params = pure_fn(spec, result, which)
    info = result_info(result)

    def flat(p, v):
        v = v.reshape(v.shape[0], *info.shape) if which == "encode" else v
        return fn(p, v).reshape(v.shape[0], -1)

    return flat, params


def _key(path) -> str:
    return "/".join(str(getattr(p, "key", p)) for p in path)


def _flatten(tree: dict, prefix: str = "") -> dict:
    out = {}
    for k, v in tree.items():
        name = f"{prefix}{k}"
        out.update(_flatten(v, name + "/") if isinstance(v, dict) else {name: v})
    return out


def _is_used(var, jaxpr) -> bool:
    if any(var is out for out in jaxpr.outvars):
        return True
    return any(any(var is a for a in eqn.invars) for eqn in jaxpr.eqns)
