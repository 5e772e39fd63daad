"""Peephole fusion on a program being built: chains of elementwise ops that spell a known activation
become that one op. jax.nn.gelu's tanh form (the default activation of the built-in MLPs) traces to
eight ops, each a pass over the tensor in the page; as one `gelu` op it is one pass.

Works on `Builder` before numbering: the replaced chain's ops become unreachable and `build` drops
them (unless something else still reads them, in which case they stay and nothing is lost).
"""

from __future__ import annotations

import numpy as np

OP0 = 1000_000  # Builder's first op id


def _op(b, slot: int, name: str):
    """The op writing `slot` if it is a `name`, else None."""
    if slot < OP0:
        return None
    op = b.ops[slot - OP0][0]
    return op if op["op"] == name else None


def _scalar(b, slot: int, value: float, rtol: float = 1e-6) -> bool:
    if slot >= 0:
        return False
    c = b.consts[-slot - 1]
    return c.size == 1 and bool(np.isclose(float(c.reshape(())), value, rtol=rtol))


def _split(b, op, value: float):
    """For a binary op with one scalar operand equal to `value`: the other operand, else None."""
    x, y = op["in"]
    if _scalar(b, y, value):
        return x
    if _scalar(b, x, value):
        return y
    return None


def _gelu_input(b, slot: int):
    """x if `slot` computes 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) in jax.nn.gelu's order."""
    outer = _op(b, slot, "mul")
    if outer is None:
        return None
    for x, half in (outer["in"], outer["in"][::-1]):
        h = _op(b, half, "mul")
        one_plus = h and _op(b, _split(b, h, 0.5) or 0, "add")
        t = one_plus and _op(b, _split(b, one_plus, 1.0) or 0, "tanh")
        scaled = t and _op(b, t["in"][0], "mul")
        inner = scaled and _op(b, _split(b, scaled, 0.7978845608028654) or 0, "add")
        if not inner or x not in inner["in"]:
            continue
        cubic = _op(b, inner["in"][1] if inner["in"][0] == x else inner["in"][0], "mul")
        cube = cubic and _op(b, _split(b, cubic, 0.044715) or 0, "integer_pow")
        if cube and cube.get("y") == 3 and cube["in"][0] == x:
            return x
    return None


def fuse(b) -> None:
    """Rewrite, in place, every op that ends a gelu chain into one `gelu` op."""
    for i, (op, shape) in enumerate(b.ops):
        if op["op"] == "mul":
            x = _gelu_input(b, OP0 + i)
            if x is not None:
                b.ops[i] = ({"op": "gelu", "in": [x]}, shape)
