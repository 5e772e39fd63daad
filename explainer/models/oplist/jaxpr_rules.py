"""Translation rules: one jaxpr primitive → ops of the page's runtime (see program.py for the op set).

Each rule gets the `Emitter` and the equation's operands, each either a numpy constant (folded at
export time) or a slot number, and returns the output (a slot, or a constant when it could fold).
Rules canonicalise so the runtime stays small: dot_general becomes transposes + one batched matmul,
conv_general_dilated becomes NHWC ⊛ HWIO, lax.round picks its rounding method, and identities
(adding zero, multiplying by one, a transpose that keeps the order) disappear.
"""

from __future__ import annotations

import math

import numpy as np

UNARY = {"neg", "exp", "log", "tanh", "logistic", "abs", "sqrt", "rsqrt", "sin", "cos", "erf", "erfc",
         "log1p", "expm1", "floor", "ceil", "sign", "square"}
BINARY = {"add", "sub", "mul", "div", "max", "min", "pow", "atan2", "gt", "ge", "lt", "le", "eq", "ne"}
ALIASES = {"copy", "copy_p", "reduce_precision", "optimization_barrier"}
REDUCE = {"reduce_sum", "reduce_max", "reduce_min"}


def is_const(v) -> bool:
    """Slots are ints; everything else is a value known at export time (numpy or a JAX array)."""
    return not isinstance(v, int)


def out_shape(eqn, i: int = 0) -> tuple[int, ...]:
    return tuple(int(n) for n in eqn.outvars[i].aval.shape)


def unary(em, eqn, x):
    name = eqn.primitive.name
    return em.op(name, [x], out_shape(eqn))


def integer_pow(em, eqn, x):
    y = int(eqn.params["y"])
    if y == 1:
        return x
    return em.op("square" if y == 2 else "integer_pow", [x], out_shape(eqn), **({} if y == 2 else {"y": y}))


def round_(em, eqn, x):
    even = int(eqn.params.get("rounding_method", 0)) == 1  # TO_NEAREST_EVEN (jnp.round)
    return em.op("round", [x], out_shape(eqn), even=even)


def exp2(em, eqn, x):
    shape = out_shape(eqn)
    return em.op("exp", [em.binary("mul", x, np.float32(math.log(2)), shape)], shape)


def binary(em, eqn, a, b):
    return em.binary(eqn.primitive.name, a, b, out_shape(eqn))


def clamp(em, eqn, lo, x, hi):
    shape = out_shape(eqn)
    return em.binary("min", em.binary("max", x, lo, shape), hi, shape)


def select_n(em, eqn, pred, *cases):
    if len(cases) != 2:
        raise em.unsupported(eqn, f"select_n with {len(cases)} cases")
    shape = out_shape(eqn)
    return em.op("select", [em.full(pred, shape), em.full(cases[0], shape), em.full(cases[1], shape)], shape)


def convert_element_type(em, eqn, x):
    new = np.dtype(eqn.params["new_dtype"])
    old = np.dtype(eqn.invars[0].aval.dtype)
    if new.kind == "f" or new == old or (new.kind in "iu" and old.kind == "b"):
        return x  # the runtime holds every value as float32; bools are 0.0 / 1.0
    if new.kind == "b":
        return em.binary("ne", x, np.float32(0), out_shape(eqn))
    return em.op("trunc", [x], out_shape(eqn))  # float -> int truncates toward zero


def reshape(em, eqn, x, *rest):
    shape = out_shape(eqn)
    return x if em.shape(x) == shape else em.op("reshape", [x], shape)


def transpose(em, eqn, x):
    perm = [int(p) for p in eqn.params["permutation"]]
    return em.transpose(x, perm)


def broadcast_in_dim(em, eqn, x, *dyn):
    shape, dims = out_shape(eqn), [int(d) for d in eqn.params["broadcast_dimensions"]]
    src = em.shape(x)
    if math.prod(src) == math.prod(shape):  # only size-1 axes appear: the same data
        return reshape(em, eqn, x)
    return em.op("broadcast", [x], shape, dims=dims)


def slice_(em, eqn, x):
    start = [int(s) for s in eqn.params["start_indices"]]
    strides = [int(s) for s in (eqn.params["strides"] or [1] * len(start))]
    if em.shape(x) == out_shape(eqn):
        return x
    return em.op("slice", [x], out_shape(eqn), start=start, stride=strides)


def pad(em, eqn, x, value):
    if not is_const(value):
        raise em.unsupported(eqn, "pad with a computed padding value")
    config = eqn.params["padding_config"]
    lo = [int(c[0]) for c in config]
    interior = [int(c[2]) for c in config]
    if not any(lo) and not any(interior) and em.shape(x) == out_shape(eqn):
        return x
    return em.op("pad", [x], out_shape(eqn), lo=lo, interior=interior, value=float(value))


def concatenate(em, eqn, *xs):
    return em.op("concat", [em.slot(x) for x in xs], out_shape(eqn), axis=int(eqn.params["dimension"]))


def split(em, eqn, x):
    axis, start, outs = int(eqn.params["axis"]), 0, []
    rank = len(em.shape(x))
    for i, size in enumerate(eqn.params["sizes"]):
        begin = [0] * rank
        begin[axis] = start
        outs.append(em.op("slice", [x], out_shape(eqn, i), start=begin, stride=[1] * rank))
        start += int(size)
    return outs


def squeeze(em, eqn, x):
    return reshape(em, eqn, x)


def rev(em, eqn, x):
    return em.op("rev", [x], out_shape(eqn), dims=[int(d) for d in eqn.params["dimensions"]])


def reduce(em, eqn, x):
    axes = [int(a) for a in eqn.params["axes"]]
    return em.op(eqn.primitive.name, [x], out_shape(eqn), axes=axes) if axes else x


def dot_general(em, eqn, a, b):
    """dot_general → transposes to (batch, free, contract) and (batch, contract, free), one matmul."""
    (lc, rc), (lb, rb) = eqn.params["dimension_numbers"]
    sa, sb = em.shape(a), em.shape(b)
    lfree = [i for i in range(len(sa)) if i not in lc and i not in lb]
    rfree = [i for i in range(len(sb)) if i not in rc and i not in rb]
    a = em.transpose(a, [*lb, *lfree, *lc])
    b = em.transpose(b, [*rb, *rc, *rfree])
    return em.op("matmul", [em.slot(a), em.slot(b)], out_shape(eqn), b=_size(sa, lb), m=_size(sa, lfree),
                 k=_size(sa, lc), n=_size(sb, rfree))


def _size(shape, axes) -> int:
    return int(math.prod(shape[i] for i in axes))


def conv_general_dilated(em, eqn, x, w):
    p = eqn.params
    dn = p["dimension_numbers"]
    lhs_spec, rhs_spec, out_spec = dn.lhs_spec, dn.rhs_spec, dn.out_spec
    spatial = len(lhs_spec) - 2
    if spatial not in (1, 2) or p["batch_group_count"] != 1:
        raise em.unsupported(eqn, f"conv_general_dilated with {spatial} spatial dims or batch groups")
    x = em.transpose(x, [lhs_spec[0], *lhs_spec[2:], lhs_spec[1]])  # NHWC
    w = em.transpose(w, [*rhs_spec[2:], rhs_spec[1], rhs_spec[0]])  # HWIO
    strides, pads = list(p["window_strides"]), [list(q) for q in p["padding"]]
    lhs_dil, rhs_dil = list(p["lhs_dilation"]), list(p["rhs_dilation"])
    if spatial == 1:  # a 1-D conv is a 2-D one over an image of height 1
        n, width, c = em.shape(x)
        x = em.reshape_to(x, (n, 1, width, c))
        w = em.reshape_to(w, (1, *em.shape(w)))
        strides, pads, lhs_dil, rhs_dil = [1, *strides], [[0, 0], *pads], [1, *lhs_dil], [1, *rhs_dil]
    final = out_shape(eqn)
    nhwc = [final[out_spec[0]], *[final[d] for d in out_spec[2:]], final[out_spec[1]]]
    if spatial == 1:
        nhwc = [nhwc[0], 1, *nhwc[1:]]
    y = em.op("conv", [em.slot(x), em.slot(w)], nhwc, strides=strides, pad=pads, lhs_dil=lhs_dil,
              rhs_dil=rhs_dil, groups=int(p["feature_group_count"]))
    if spatial == 1:
        y = em.reshape_to(y, (nhwc[0], nhwc[2], nhwc[3]))
    order = [out_spec[0], *out_spec[2:], out_spec[1]]  # which final axis each NHWC axis becomes
    perm = [order.index(i) for i in range(len(order))]
    return em.transpose(y, perm)


def gather(em, eqn, x, idx):
    """Only the form `jnp.take(x, const, axis)` (nearest-neighbour resizing emits it)."""
    dn, sizes = eqn.params["dimension_numbers"], eqn.params["slice_sizes"]
    shape = em.shape(x)
    ok = (is_const(idx) and len(dn.start_index_map) == 1 and tuple(dn.collapsed_slice_dims) == tuple(
        dn.start_index_map) and not dn.operand_batching_dims and idx.ndim == 2 and idx.shape[1] == 1)
    axis = dn.start_index_map[0] if ok else None
    ok = ok and all(s == (1 if i == axis else n) for i, (s, n) in enumerate(zip(sizes, shape)))
    if not ok:
        raise em.unsupported(eqn, "gather (only take-along-one-axis with constant indices runs in the page)")
    final = out_shape(eqn)
    batch_pos = next(i for i in range(len(final)) if i not in dn.offset_dims)
    taken = [*shape[:axis], idx.shape[0], *shape[axis + 1:]]
    index = np.clip(np.asarray(idx)[:, 0].astype(np.int64), 0, shape[axis] - 1)  # PROMISE_IN_BOUNDS / CLIP
    y = em.op("take", [x], taken, axis=int(axis), idx=[int(i) for i in index])
    order = [i for i in range(len(taken)) if i != axis]
    order.insert(batch_pos, axis)
    return em.transpose(y, order)


RULES = {
    **{name: unary for name in UNARY}, **{name: binary for name in BINARY},
    "integer_pow": integer_pow, "round": round_, "exp2": exp2, "clamp": clamp, "select_n": select_n,
    "convert_element_type": convert_element_type, "reshape": reshape, "squeeze": squeeze,
    "expand_dims": reshape, "transpose": transpose, "broadcast_in_dim": broadcast_in_dim,
    "slice": slice_, "pad": pad, "concatenate": concatenate, "split": split, "rev": rev,
    **{name: reduce for name in REDUCE}, "dot_general": dot_general,
    "conv_general_dilated": conv_general_dilated, "gather": gather,
    **{name: (lambda em, eqn, x, *rest: x) for name in ALIASES},
}
