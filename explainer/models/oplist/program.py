"""`Program`: a traced model as a flat list of tensor operations, the form live.js interprets.

A program has numbered *slots*: slot 0 is the input, the next `len(consts)` slots hold constants
(weights, folded at export time), and op i writes slot `1 + len(consts) + i`. Each op is a small
JSON-ready dict, `{"op": name, "in": [slots], ...params}`; every slot's shape is in `shapes`, so an
op reads its operands' shapes from there. The op set (what both interpreters implement):

    reshape                                    same data, new shape (free: an alias)
    matmul      b m k n                        in0 as (b, m, k) @ in1 as (b or 1, k, n)
    conv        strides pad lhs_dil rhs_dil groups
                                               in0 (N, H, W, C) ⊛ in1 (KH, KW, C/groups, O)
    transpose   perm       broadcast  dims     slice  start stride    pad  lo interior value
    concat      axis       rev        dims     take   axis idx        reduce_sum|max|min  axes
    add sub mul div max min pow atan2          numpy broadcasting between operands of equal rank
    gt ge lt le eq ne                          1.0 where true, else 0.0
    select                                     in0 ≠ 0 ? in2 : in1 (lax.select_n)
    neg exp log tanh logistic relu gelu abs sqrt rsqrt sin cos erf erfc log1p expm1 floor ceil
    round sign trunc square integer_pow(y)     elementwise (gelu: jax.nn.gelu's tanh form, fused)

`missing` names an operation live.js lacks ("erf_inv at content/models/m.py:12"); such a program has
no ops, and `fallback` (a serialized jax.export of the function) lets the build still draw the
figure's static images. Plain numpy: reading a program from the cache never imports jax.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np

FORMAT = "ops/1"


@dataclass(frozen=True)
class Program:
    shapes: tuple[tuple[int, ...], ...]  # the shape of every slot
    consts: tuple[np.ndarray, ...]  # float32, in slots 1 … len(consts)
    ops: tuple[dict, ...]
    output: int  # the slot holding the result
    missing: str | None = None  # an op live.js cannot run: the program is for static images only
    fallback: bytes | None = field(default=None, repr=False)  # serialized jax.export, when missing

    @property
    def input_shape(self) -> tuple[int, ...]:
        return self.shapes[0]

    @property
    def output_shape(self) -> tuple[int, ...]:
        return self.shapes[self.output]

    @property
    def runs_in_page(self) -> bool:
        return self.missing is None

    def n_params(self) -> int:
        return int(sum(c.size for c in self.consts))

    def with_consts(self, consts) -> Program:
        return Program(self.shapes, tuple(consts), self.ops, self.output, self.missing, self.fallback)

    def to_meta(self) -> dict:
        """Everything but the arrays, JSON-ready (the cache stores consts in its npz)."""
        return {"format": FORMAT, "shapes": [list(s) for s in self.shapes], "ops": list(self.ops),
                "output": self.output, "n_consts": len(self.consts), "missing": self.missing}

    @staticmethod
    def from_meta(meta: dict, consts, fallback: bytes | None = None) -> Program:
        if meta.get("format") != FORMAT:
            raise ValueError(f"program format {meta.get('format')!r}, expected {FORMAT!r}")
        return Program(tuple(tuple(s) for s in meta["shapes"]),
                       tuple(np.asarray(c, np.float32) for c in consts),
                       tuple(meta["ops"]), int(meta["output"]), meta.get("missing"), fallback)


def unsupported(missing: str, input_shape, output_shape, fallback: bytes | None) -> Program:
    """A program live.js cannot run: static images come from `fallback` (jax) instead."""
    return Program((tuple(input_shape), tuple(output_shape)), (), (), 1, missing, fallback)


class Builder:
    """Appends slots and ops; used by the jaxpr translator and by `from_dense` below."""

    def __init__(self, input_shape):
        self.shapes = [tuple(int(n) for n in input_shape)]
        self.consts: list[np.ndarray] = []
        self.ops: list[tuple[dict, tuple]] = []
        self._const_ids: dict[tuple, int] = {}

    def const(self, value) -> int:
        """A constant slot (identical constants share one)."""
        value = np.ascontiguousarray(value, np.float32)
        key = (value.shape, value.tobytes())
        if key not in self._const_ids:
            self.consts.append(value)
            self._const_ids[key] = -len(self.consts)  # negative until `build` numbers the slots
        return self._const_ids[key]

    def op(self, name: str, ins, shape, **params) -> int:
        self.ops.append(({"op": name, "in": list(ins), **params}, tuple(int(n) for n in shape)))
        return 1000_000 + len(self.ops) - 1  # op outputs: renumbered by `build`

    def shape(self, slot: int) -> tuple[int, ...]:
        if slot == 0:
            return self.shapes[0]
        if slot < 0:
            return self.consts[-slot - 1].shape
        return self.ops[slot - 1000_000][1]

    def build(self, output: int) -> Program:
        """Number the slots, keeping only the constants and ops the output depends on."""
        live, stack = set(), [output]
        while stack:
            s = stack.pop()
            if s not in live:
                live.add(s)
                if s >= 1000_000:
                    stack.extend(self.ops[s - 1000_000][0]["in"])
        consts = [k for k in range(len(self.consts)) if -(k + 1) in live]
        ops = [i for i in range(len(self.ops)) if 1000_000 + i in live]
        number = {0: 0}
        number.update({-(k + 1): 1 + j for j, k in enumerate(consts)})
        number.update({1000_000 + i: 1 + len(consts) + j for j, i in enumerate(ops)})
        out_ops = tuple({**self.ops[i][0], "in": [number[s] for s in self.ops[i][0]["in"]]} for i in ops)
        shapes = ([self.shapes[0]] + [self.consts[k].shape for k in consts]
                  + [self.ops[i][1] for i in ops])
        if output == 0:  # the identity: one free reshape so the output has a slot of its own
            return Program((self.shapes[0], self.shapes[0]), (), ({"op": "reshape", "in": [0]},), 1)
        return Program(tuple(shapes), tuple(self.consts[k] for k in consts), out_ops, number[output])


def from_dense(layers, input_rows: int = 1) -> Program:
    """Dense layers `y = act(x @ w + b)` (PCA, or anything still shaped that way) as a program."""
    first = np.asarray(layers[0].w)
    b = Builder((input_rows, first.shape[0]))
    x = 0
    for layer in layers:
        w = np.asarray(layer.w, np.float32)
        rows = b.shape(x)[0]
        y = b.op("matmul", [x, b.const(w)], (rows, w.shape[1]), b=1, m=rows, k=w.shape[0], n=w.shape[1])
        x = b.op("add", [y, b.const(np.asarray(layer.b, np.float32)[None])], (rows, w.shape[1]))
        act = {"linear": None, "sigmoid": "logistic"}.get(layer.activation, layer.activation)
        if act:
            x = b.op(act, [x], b.shape(x))
    return b.build(x)


def as_program(model) -> Program | None:
    """A Program as is; a tuple of dense layers converted; None stays None."""
    if model is None or isinstance(model, Program):
        return model
    return from_dense(tuple(model))


def describe(program: Program) -> str:
    """One line per op, for debugging and the docs: `s7 = matmul(s0, s1) (1, 64)`."""
    lines = []
    for i, op in enumerate(program.ops):
        slot = 1 + len(program.consts) + i
        params = {k: v for k, v in op.items() if k not in ("op", "in")}
        args = ", ".join(f"s{s}" for s in op["in"])
        lines.append(f"s{slot} = {op['op']}({args}) {program.shapes[slot]}"
                     + (f" {json.dumps(params)}" if params else ""))
    return "\n".join(lines)
