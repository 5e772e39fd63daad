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
    """x (n, …input without its batch axis) -> (n, …output), every row as the page computes it.

    All n rows go through each op at once: every computed value carries an extra leading axis of n
    rows, constants do not (numpy's broadcasting lines them up with the trailing axes). A program
    that cannot run in the page runs its jax fallback instead."""
    x = np.asarray(x, np.float32)
    if not program.runs_in_page:
        return _run_fallback(program, x)
    n = len(x)
    values: list = [x.reshape((n, *program.input_shape)), *program.consts]
    batched = [True] + [False] * len(program.consts)
    for op in program.ops:
        shape = (n, *program.shapes[len(values)])
        ins = [values[s] for s in op["in"]]
        out = _apply(op, ins, [batched[s] for s in op["in"]], shape)
        out = np.asarray(out, np.float32)  # (an op on constants alone gives one row: repeat it)
        values.append(out.reshape(shape) if out.size == math.prod(shape) else
                      np.broadcast_to(out.reshape(shape[1:]), shape))
        batched.append(True)
    return values[program.output].reshape((n, *program.output_shape[1:]))


def _apply(op: dict, a: list, batched: list, shape):  # one dispatch table, each case a line or two
    """One op on n rows at once; `shape` includes the leading n."""
    name = op["op"]
    if name in UNARY:
        return UNARY[name](a[0].astype(np.float64))
    if name in BINARY:
        return BINARY[name](a[0].astype(np.float64), a[1].astype(np.float64))
    if name == "round":  # lax.round: half to even (jnp.round) or half away from zero
        x = a[0].astype(np.float64)
        return np.rint(x) if op.get("even") else np.sign(x) * np.floor(np.abs(x) + 0.5)
    if name == "integer_pow":
        return a[0].astype(np.float64) ** op["y"]
    if name == "select":
        return np.where(a[0] != 0, a[2], a[1])
    if name == "matmul":
        dims = [(op["b"], op["m"], op["k"]), (-1, op["k"], op["n"])]
        lhs, rhs = (v.astype(np.float64).reshape((shape[0], *d) if rows else d)
                    for v, d, rows in zip(a, dims, batched))
        return lhs @ rhs
    n = shape[0]
    a = [v if b else np.broadcast_to(v, (n, *v.shape)) for v, b in zip(a, batched)]  # rows everywhere
    if name == "conv":
        if batched[1]:  # a kernel computed from the input: row by row
            return np.stack([_conv(a[0][i], a[1][i], op, shape[1:]) for i in range(n)])
        flat = a[0].reshape((-1, *a[0].shape[2:]))  # rows × images -> one batch of images
        return _conv(flat, a[1][0], op, (flat.shape[0], *shape[2:])).reshape(shape)
    return _move(op, a, shape)


def _move(op: dict, a: list, shape):
    """Data movement and reductions on row-stacked values: every axis shifts by one."""
    name, x = op["op"], a[0]
    if name == "reshape":
        return x.reshape(shape)
    if name == "transpose":
        return x.transpose([0] + [p + 1 for p in op["perm"]])
    if name == "broadcast":
        dims = op["dims"]
        inner = [x.shape[1 + dims.index(i)] if i in dims else 1 for i in range(len(shape) - 1)]
        return np.broadcast_to(x.reshape((shape[0], *inner)), shape)
    if name == "slice":
        return x[(slice(None),) + tuple(slice(s, s + k * st, st)
                                        for s, k, st in zip(op["start"], shape[1:], op["stride"]))]
    if name == "pad":
        return _pad(x, [0, *op["lo"]], [0, *op["interior"]], op["value"], shape)
    if name == "concat":
        return np.concatenate(a, axis=op["axis"] + 1)
    if name == "rev":
        return np.flip(x, axis=tuple(d + 1 for d in op["dims"]))
    if name == "take":
        return np.take(x, op["idx"], axis=op["axis"] + 1)
    if name in REDUCE:
        return REDUCE[name](x.astype(np.float64), axis=tuple(d + 1 for d in op["axes"]))
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
