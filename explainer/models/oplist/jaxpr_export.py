"""Any JAX function of one array → a `Program` that live.js runs in the page (see program.py).

`export(fn, params, input_shape)` traces `fn(params, x)` with `jax.make_jaxpr` on one row (batch 1,
as the page decodes one code at a time) and walks the jaxpr: calls (jit, custom_jvp/vjp) are
inlined; every equation whose operands are all known (weights, iota, shapes) is evaluated by JAX
right here, so the page gets the folded result (a resize's interpolation matrix, a transposed
kernel) and not the code that made it; the rest is translated by jaxpr_rules.RULES. Constants that
are uniform along an axis ship that axis once (a broadcast bias is shipped as the bias).

A primitive with no rule does not fail the build: the result is an `unsupported` program that
names it and where the model used it, with the function serialized by `jax.export` so the build
can still draw the figure's static images. Imports jax: called at training time only.
"""

from __future__ import annotations

import os

import numpy as np

from . import jaxpr_rules
from .program import Builder, Program, unsupported
from .program_fuse import fuse

INLINE_PARAMS = ("jaxpr", "call_jaxpr", "fun_jaxpr")
IDENTITY = {"add": 0.0, "sub": 0.0, "mul": 1.0, "div": 1.0}  # x op c == x when c is all this


class Unsupported(Exception):
    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


class Emitter(Builder):
    """A Builder that also knows how to bring constants into ops in their cheapest form."""

    where = ""  # the model's line that called the function being inlined, for errors inside it

    def unsupported(self, eqn, what: str | None = None) -> Unsupported:
        where = _source_line(eqn) or self.where
        return Unsupported(f"`{what or eqn.primitive.name}`" + (f" at {where}" if where else ""))

    def shape(self, v) -> tuple[int, ...]:
        return tuple(v.shape) if jaxpr_rules.is_const(v) else super().shape(v)

    def slot(self, v) -> int:
        return self.const(v) if jaxpr_rules.is_const(v) else v

    def op(self, name, ins, shape, **params):
        return super().op(name, [self.slot(v) for v in ins], shape, **params)

    def operand(self, v, rank: int) -> int:
        """An elementwise operand of `rank` dims: scalars get size-1 axes; a constant keeps one
        entry along each axis where all its entries are equal (broadcasting restores them)."""
        if not jaxpr_rules.is_const(v):
            shape = super().shape(v)
            return v if len(shape) == rank else self.reshape_to(v, (1,) * (rank - len(shape)) + shape)
        c = np.asarray(v, np.float32).reshape((1,) * (rank - np.ndim(v)) + np.shape(v))
        for axis in range(rank):
            first = np.take(c, [0], axis=axis)
            if c.shape[axis] > 1 and np.array_equal(c, np.broadcast_to(first, c.shape)):
                c = first
        return self.const(c)

    def full(self, v, shape) -> int:
        """An operand of select: broadcast exactly like a binary op's."""
        return self.operand(v, len(shape))

    def binary(self, name: str, a, b, shape):
        shape, const = tuple(shape), jaxpr_rules.is_const
        for x, c, ok in ((a, b, True), (b, a, name in ("add", "mul", "max"))):  # (variable, constant)
            if not ok or const(x) or not const(c) or self.shape(x) != shape:
                continue
            if name in IDENTITY and np.all(np.asarray(c) == IDENTITY[name]):
                return x  # x + 0, x · 1: nothing to do
            if name == "max" and not np.asarray(c).any():
                return self.op("relu", [x], shape)
        return self.op(name, [self.operand(a, len(shape)), self.operand(b, len(shape))], shape)

    def transpose(self, v, perm):
        perm = [int(p) for p in perm]
        if perm == sorted(perm):
            return v
        if jaxpr_rules.is_const(v):
            return np.ascontiguousarray(np.transpose(v, perm))
        shape = self.shape(v)
        return self.op("transpose", [v], [shape[p] for p in perm], perm=perm)

    def reshape_to(self, v, shape):
        if jaxpr_rules.is_const(v):
            return np.asarray(v).reshape(shape)
        return v if self.shape(v) == tuple(shape) else self.op("reshape", [v], shape)


def export(fn, params, input_shape) -> Program:
    """Translate `fn(params, x)` (x: `input_shape`, batch first) into a program for the page."""
    import jax

    x_spec = jax.ShapeDtypeStruct(tuple(input_shape), np.float32)
    closed = jax.make_jaxpr(fn)(params, x_spec)
    leaves = jax.tree.leaves(params)
    em = Emitter(input_shape)
    env_in = [*closed.consts, *leaves, 0]
    invars = list(closed.jaxpr.constvars) + list(closed.jaxpr.invars)
    try:
        (out,) = _walk(em, closed.jaxpr, invars, env_in)
    except Unsupported as exc:
        fallback = _fallback(fn, params, input_shape)
        return unsupported(exc.what, input_shape, closed.out_avals[0].shape, fallback)
    fuse(em)
    return em.build(em.slot(out))


def _walk(em: Emitter, jaxpr, invars, values) -> list:
    from jax.extend.core import Literal

    env = dict(zip(invars, values))

    def read(v):
        return np.asarray(v.val) if isinstance(v, Literal) else env[v]

    for eqn in jaxpr.eqns:
        ins = [read(v) for v in eqn.invars]
        sub = _inline_jaxpr(eqn)
        if sub is not None:
            outer, em.where = em.where, _source_line(eqn) or em.where
            outs = _walk(em, sub.jaxpr, list(sub.jaxpr.constvars) + list(sub.jaxpr.invars),
                         [*sub.consts, *ins])
            em.where = outer
        elif all(jaxpr_rules.is_const(v) for v in ins):
            outs = _fold(eqn, ins)
        else:
            rule = jaxpr_rules.RULES.get(eqn.primitive.name)
            if rule is None:
                raise em.unsupported(eqn)
            out = rule(em, eqn, *ins)
            outs = out if isinstance(out, list) else [out]
        env.update(zip(eqn.outvars, outs))
    return [read(v) for v in jaxpr.outvars]


def _inline_jaxpr(eqn):
    """The body of a call-like equation (jit, custom_jvp_call, custom_vjp_call, remat), if any."""
    from jax.extend.core import ClosedJaxpr, Jaxpr

    for name in INLINE_PARAMS:
        sub = eqn.params.get(name)
        if isinstance(sub, ClosedJaxpr):
            return sub
        if isinstance(sub, Jaxpr):
            return ClosedJaxpr(sub, ())
    return None


def _fold(eqn, ins) -> list:
    """Evaluate an equation whose operands are all known, with JAX itself (exact semantics)."""
    out = eqn.primitive.bind(*ins, **eqn.params)
    return list(out) if eqn.primitive.multiple_results else [out]  # JAX arrays: keys stay keys


def _source_line(eqn) -> str:
    """Where the model's code made this equation: `content/models/m.py:12`, relative when it can."""
    try:
        from jax._src import source_info_util

        frame = source_info_util.user_frame(eqn.source_info.traceback)
    except Exception:  # noqa: BLE001 - a private API: a missing line only makes the message shorter
        return ""
    if frame is None:
        return ""
    path = frame.file_name
    try:
        rel = os.path.relpath(path)
        path = rel if not rel.startswith("..") else path
    except ValueError:
        pass
    return f"{path}:{frame.start_line}"


def _fallback(fn, params, input_shape) -> bytes | None:
    """`fn` serialized with a symbolic batch size, so static images need neither the model's
    code nor its class at figure time; None if JAX cannot export it (static images then fail)."""
    import jax
    from jax import export as jax_export

    try:
        (b,) = jax_export.symbolic_shape("b")
        spec = jax.ShapeDtypeStruct((b, *input_shape[1:]), np.float32)
        return bytes(jax_export.export(jax.jit(lambda x: fn(params, x)))(spec).serialize())
    except Exception:  # noqa: BLE001 - e.g. an op without symbolic-shape support; try one row
        try:
            spec = jax.ShapeDtypeStruct(tuple(input_shape), np.float32)
            return bytes(jax_export.export(jax.jit(lambda x: fn(params, x)))(spec).serialize())
        except Exception:  # noqa: BLE001
            return None
