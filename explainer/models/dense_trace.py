"""Read an MLP's dense layers off its traced decoder (or encoder), for models that do not list them.

Built-in MLPs export their layers themselves (`ModelSpec.export_dense`); an author's model need not.
When its `decode` traces (`jax.make_jaxpr`) to a chain of `x @ W + b` and elementwise activations
(relu, tanh, sigmoid, identity), possibly with reshapes at either end, the chain *is* a list of
`DenseLayer`s: the form the figures' numpy fallbacks and the int8 in-page runtime already run. So
an author's MLP gets live figures and warm builds that never start jax. Anything else (a conv, a
skip connection, gelu's expanded formula) gives None, and the caller falls back to jax. The layers
are checked against the model on random inputs before they are trusted.
"""

from __future__ import annotations

import numpy as np

from .result import DenseLayer

ACTIVATIONS = {"tanh": "tanh", "logistic": "sigmoid"}
TOLERANCE = 1e-4


def dense_form(fn, params, example) -> tuple[DenseLayer, ...] | None:
    """The layers `fn(params, x)` applies to flat x, or None when it is not a plain MLP."""
    import jax

    closed = jax.make_jaxpr(fn)(params, example)
    leaves = jax.tree_util.tree_leaves(params)
    arrays = {var: np.asarray(leaf, np.float32) for var, leaf in zip(closed.jaxpr.invars, leaves)}
    data = closed.jaxpr.invars[len(leaves)]
    layers = _walk(closed.jaxpr, arrays, data)
    if not layers or not _matches(fn, params, layers, example):
        return None
    return tuple(layers)


def _walk(jaxpr, arrays: dict, current) -> list[DenseLayer] | None:
    """Follow `current` through the equations; parameters feed W and b. None on anything else."""
    layers: list[list] = []  # [w, b, activation]
    aliases = dict(arrays)  # reshapes of parameters (a bias reshaped to (1, n))
    for eqn in jaxpr.eqns:
        ins = eqn.invars
        name = eqn.primitive.name
        if name == "reshape" and ins[0] in aliases:
            aliases[eqn.outvars[0]] = aliases[ins[0]].reshape(-1)
            continue
        if current not in ins:
            return None  # work off the main path (an unused branch, a skip connection)
        if name == "reshape":
            pass  # flattening the input or shaping the output (the check below catches the rest)
        elif name == "dot_general" and ins[0] is current and ins[1] in aliases \
                and eqn.params["dimension_numbers"] == (((1,), (0,)), ((), ())):
            layers.append([aliases[ins[1]], None, None])
        elif name == "add" and layers and layers[-1][1] is None and layers[-1][2] is None:
            other = ins[1] if ins[0] is current else ins[0]
            if other not in aliases:
                return None
            layers[-1][1] = aliases[other].reshape(-1)
        elif layers and layers[-1][2] is None and _activation(eqn):
            layers[-1][2] = _activation(eqn)
        else:
            return None
        current = eqn.outvars[0]
    if current is not jaxpr.outvars[0]:
        return None
    out = []
    for w, b, act in layers:
        b = np.zeros(w.shape[1], np.float32) if b is None else b
        out.append(DenseLayer(np.ascontiguousarray(w), np.ascontiguousarray(b), act or "linear"))
    return out


def _activation(eqn) -> str | None:
    name = eqn.primitive.name
    if name in ACTIVATIONS:
        return ACTIVATIONS[name]
    if name in ("custom_jvp_call", "pjit", "jit"):  # jax.nn.relu is a custom_jvp of max(x, 0)
        inner = eqn.params.get("call_jaxpr") or eqn.params.get("jaxpr")
        text = str(inner)
        if "max" in text and len(text) < 400:
            return "relu"
    if name == "max" and any(getattr(v, "val", None) == 0.0 for v in eqn.invars):
        return "relu"
    return None


def _matches(fn, params, layers, example) -> bool:
    import jax.numpy as jnp

    rng = np.random.default_rng(0)
    x = rng.standard_normal((16, *example.shape[1:])).astype(np.float32)
    want = np.asarray(fn(params, jnp.asarray(x)), np.float32).reshape(16, -1)
    got = forward_dense(layers, x.reshape(16, -1))
    return got.shape == want.shape and float(np.max(np.abs(got - want))) <= TOLERANCE


_NUMPY = {"relu": lambda v: np.maximum(v, 0), "tanh": np.tanh, "sigmoid": lambda v: 1 / (1 + np.exp(-v)),
          "linear": lambda v: v}


def forward_dense(layers, x: np.ndarray) -> np.ndarray:
    h = np.asarray(x, np.float32)
    for layer in layers:
        h = _NUMPY[layer.activation](h @ layer.w + layer.b).astype(np.float32)
    return h
