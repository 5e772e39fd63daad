"""The numpy twin of live.js's interpreter: runs a `Program` op by op in float32.

Figures use it for their static images (so the picture without JavaScript is the one the page
draws), and the tests use it as the reference both for the translator (against JAX) and for live.js
(against this). Each op here is written to mean exactly what its JS version computes.
"""

from __future__ import annotations

import math

import numpy as np

from .program import Program

_erf = np.vectorize(math.erf, otypes=[np.float64])

UNARY = {
    "neg": np.negative, "exp": np.exp, "log": np.log, "tanh": np.tanh, "abs": np.abs, "sqrt": np.sqrt,
    "logistic": lambda x: 1 / (1 + np.exp(-x)), "relu": lambda x: np.maximum(x, 0),
    "rsqrt": lambda x: 1 / np.sqrt(x), "sin": np.sin, "cos": np.cos, "log1p": np.log1p,
    "expm1": np.expm1, "floor": np.floor, "ceil": np.ceil, "sign": np.sign, "trunc": np.trunc,
    "square": np.square, "erf": _erf, "erfc": lambda x: 1 - _erf(x),
    "gelu": lambda x: 0.5 * x * (1 + np.tanh(0.7978845608028654 * (x + 0.044715 * x ** 3))),
}
BINARY = {
    "add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.divide, "max": np.maximum,
    "min": np.minimum, "pow": np.power, "atan2": np.arctan2,
    "gt": np.greater, "ge": np.greater_equal, "lt": np.less, "le": np.less_equal, "eq": np.equal,
    "ne": np.not_equal,
}
REDUCE = {"reduce_sum": np.sum, "reduce_max": np.max, "reduce_min": np.min}


def run(program: Program, x: np.ndarray) -> np.ndarray:
    """x (n, …input without its batch axis) -> (n, …output): one program run per row, as the page
    runs it. A program that cannot run in the page runs its jax fallback instead."""
    x = np.asarray(x, np.float32)
    if not program.runs_in_page:
        return _run_fallback(program, x)
    rows = [run_one(program, row.reshape(program.input_shape)) for row in x]
    return np.stack(rows).reshape((len(x),) + program.output_shape[1:]) if rows else \
        np.zeros((0,) + program.output_shape[1:], np.float32)


def run_one(program: Program, x: np.ndarray) -> np.ndarray:
    values: list = [np.asarray(x, np.float32).reshape(program.input_shape), *program.consts]
    for op in program.ops:
        slot = len(values)
        out = _apply(op, [values[s] for s in op["in"]], program.shapes[slot])
        values.append(np.asarray(out, np.float32).reshape(program.shapes[slot]))
    return values[program.output]


def _apply(op: dict, a: list, shape):  # one dispatch table, each case a line or two
    name = op["op"]
    if name in UNARY:
        return UNARY[name](a[0].astype(np.float64))
    if name in BINARY:
        return BINARY[name](a[0].astype(np.float64), a[1].astype(np.float64))
    if name == "reshape":
        return a[0]
    if name == "round":  # lax.round: half to even (jnp.round) or half away from zero
        x = a[0].astype(np.float64)
        return np.rint(x) if op.get("even") else np.sign(x) * np.floor(np.abs(x) + 0.5)
    if name == "integer_pow":
        return a[0].astype(np.float64) ** op["y"]
    if name == "matmul":
        lhs = a[0].astype(np.float64).reshape(op["b"], op["m"], op["k"])
        rhs = a[1].astype(np.float64).reshape(-1, op["k"], op["n"])
        return lhs @ rhs
    if name == "conv":
        return _conv(a[0], a[1], op, shape)
    if name == "transpose":
        return a[0].transpose(op["perm"])
    if name == "broadcast":
        expanded = a[0].reshape([a[0].shape[op["dims"].index(i)] if i in op["dims"] else 1
                                 for i in range(len(shape))])
        return np.broadcast_to(expanded, shape)
    if name == "slice":
        return a[0][tuple(slice(s, s + n * st, st) for s, n, st in zip(op["start"], shape, op["stride"]))]
    if name == "pad":
        return _pad(a[0], op["lo"], op["interior"], op["value"], shape)
    if name == "concat":
        return np.concatenate(a, axis=op["axis"])
    if name == "rev":
        return np.flip(a[0], axis=tuple(op["dims"]))
    if name == "take":
        return np.take(a[0], op["idx"], axis=op["axis"])
    if name in REDUCE:
        return REDUCE[name](a[0].astype(np.float64), axis=tuple(op["axes"]))
    if name == "select":
        return np.where(a[0] != 0, a[2], a[1])
    raise ValueError(f"unknown op {name!r}")


def _pad(x, lo, interior, value, shape):
    """lax.pad: `interior` values between elements, then `lo` before (negative: crop) to `shape`."""
    out = np.full(shape, value, np.float32)
    src, dst = [], []
    for n_in, n_out, first, it in zip(x.shape, shape, lo, interior):
        pos = first + np.arange(n_in) * (it + 1)  # where each input element lands
        ok = (pos >= 0) & (pos < n_out)
        src.append(np.flatnonzero(ok))
        dst.append(pos[ok])
    out[np.ix_(*dst)] = x[np.ix_(*src)]
    return out


def _conv(x, w, op, shape):
    """Direct convolution, NHWC ⊛ HWIO, with strides, padding, dilations and groups."""
    x = x.astype(np.float64)
    w = w.astype(np.float64)
    n, h, wd, c = x.shape
    kh, kw, cg, o = w.shape
    (dh, dw), (rh, rw) = op["lhs_dil"], op["rhs_dil"]
    # lhs dilation (a transposed conv) spreads the input out; padding is applied after it.
    xd = np.zeros((n, (h - 1) * dh + 1, (wd - 1) * dw + 1, c))
    xd[:, ::dh, ::dw] = x
    (pt, pb), (pl, pr) = op["pad"]
    xp = _pad(xd, [0, pt, pl, 0], [0, 0, 0, 0], 0.0,
              (n, xd.shape[1] + pt + pb, xd.shape[2] + pl + pr, c)).astype(np.float64)
    sh, sw = op["strides"]
    _, oh, ow, _ = shape
    out = np.zeros(shape)
    groups, og = op["groups"], o // op["groups"]
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, i * rh: i * rh + (oh - 1) * sh + 1: sh, j * rw: j * rw + (ow - 1) * sw + 1: sw]
            for g in range(groups):
                outs, ins = slice(g * og, (g + 1) * og), slice(g * cg, (g + 1) * cg)
                out[..., outs] += patch[..., ins] @ w[i, j, :, outs]
    return out


def _run_fallback(program: Program, x: np.ndarray) -> np.ndarray:
    if program.fallback is None:
        raise ValueError(f"the model uses {program.missing}, and no fallback was stored")
    from jax import export  # only here: a build whose models all run in the page never imports jax

    fn = export.deserialize(bytearray(program.fallback))
    out = np.asarray(fn.call(x.reshape((len(x),) + program.input_shape[1:])), np.float32)
    return out.reshape((len(x),) + program.output_shape[1:])
