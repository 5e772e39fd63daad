"""The little language of measured numbers: `recon[2].test_mse / recon[2].pca_test_mse`.

    expression := sum ( ("<" | "<=" | ">" | ">=") sum )*  ( "and" ... )*
    sum        := product (("+" | "-") product)*
    product    := unary (("*" | "/") unary)*
    unary      := "-" unary | NUMBER | reference | "(" sum ")" | ("min"|"max"|"mean") "(" sum ")"
    reference  := FIGURE-ID [ "[" (N | N ":" N | "*") "]" ] "." METRIC

A reference names a figure of the page, optionally one of its experiments (1-based, in the order of
its `experiments:` list; `[*]` is every one of them, `[2:4]` the second to the fourth), and a
measured metric. `[*]` and `[a:b]` make a list:
arithmetic works element by element, `min`/`max`/`mean` reduce it, and a comparison holds only when
it holds for every element. A figure id may hold hyphens, so write spaces around a minus sign.

Parsing happens when the post is parsed (syntax errors and unknown figures are reported then);
evaluation happens once the experiments are trained, with `lookup(reference) -> float | list`.
Nothing here executes author code: the tree is built from our tokens and walked by `evaluate`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_TOKEN_RE = re.compile(r"""\s*(?:
    (?P<num>\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)
  | (?P<ref>[A-Za-z_](?:[\w-]*\w)?(?:\[\s*(?:\d+(?:\s*:\s*\d+)?|\*)\s*\])?\.[A-Za-z_]\w*)
  | (?P<word>[A-Za-z_]\w*)
  | (?P<op><=|>=|<|>|[-+*/()])
)""", re.X)
_REF_RE = re.compile(r"(?P<figure>[A-Za-z_](?:[\w-]*\w)?)(?:\[(?P<index>\d+|\*)(?::(?P<last>\d+))?\])?"
                     r"\.(?P<metric>\w+)")
COMPARISONS = ("<", "<=", ">", ">=")
REDUCERS = {"min": min, "max": max, "mean": lambda xs: sum(xs) / len(xs)}


class ExprError(ValueError):
    """A problem with the expression as written; the message says how to fix it."""


@dataclass(frozen=True)
class Ref:
    figure: str
    index: int | None  # 1-based experiment; None: the figure's only experiment; 0: all (`[*]`)
    metric: str
    text: str
    last: int | None = None  # `[2:4]`: experiments 2 to 4 (inclusive), a list like `[*]`

    @classmethod
    def parse(cls, text: str) -> "Ref":
        m = _REF_RE.fullmatch(text.replace(" ", ""))
        assert m is not None
        index, last = m.group("index"), m.group("last")
        return cls(m.group("figure"), None if index is None else 0 if index == "*" else int(index),
                   m.group("metric"), text, None if last is None else int(last))

    @property
    def is_list(self) -> bool:
        return self.index == 0 or self.last is not None

    def positions(self, count: int) -> list[int]:
        """0-based experiment positions this reference reads, for a figure of `count` experiments."""
        if self.index == 0:
            return list(range(count))
        first = (self.index or 1) - 1
        return list(range(first, self.last if self.last is not None else first + 1))


def _tokens(text: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    while pos < len(text.rstrip()):
        m = _TOKEN_RE.match(text, pos)
        if not m or m.end() == pos:
            raise ExprError(f"cannot read `{text[pos:].strip()}`: expected a number, a reference such as "
                            "`figure-id.test_mse` or `figure-id[2].test_mse`, or one of + - * / ( ) < > <= >=")
        kind = m.lastgroup or "op"
        out.append((kind, m.group(kind)))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str):
        self.text, self.toks, self.i = text, _tokens(text), 0

    def peek(self) -> tuple[str, str] | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        tok = self.peek()
        if tok is None or (value is not None and tok[1] != value):
            found = f"`{tok[1]}`" if tok else "the end"
            raise ExprError(f"expected {f'`{value}`' if value else 'more'} in `{self.text}`, found {found}")
        self.i += 1
        return tok

    def claim(self):
        parts = [self.comparison()]
        while self.peek() == ("word", "and"):
            self.take()
            parts.append(self.comparison())
        return ("and", parts) if len(parts) > 1 else parts[0]

    def comparison(self):
        first, rest = self.sum(), []
        while (tok := self.peek()) and tok[1] in COMPARISONS:
            rest.append((self.take()[1], self.sum()))
        return ("cmp", first, rest) if rest else first

    def sum(self):
        node = self.product()
        while (tok := self.peek()) and tok[1] in "+-" and tok[0] == "op":
            node = (self.take()[1], node, self.product())
        return node

    def product(self):
        node = self.unary()
        while (tok := self.peek()) and tok[1] in "*/" and tok[0] == "op":
            node = (self.take()[1], node, self.unary())
        return node

    def unary(self):
        kind, value = self.take()
        if value == "-" and kind == "op":
            return ("neg", self.unary())
        if kind == "num":
            return ("num", float(value))
        if kind == "ref":
            return ("ref", Ref.parse(value))
        if value == "(":
            node = self.sum()
            self.take(")")
            return node
        if kind == "word" and value in REDUCERS:
            self.take("(")
            node = self.sum()
            self.take(")")
            return ("reduce", value, node)
        if kind == "word":
            raise ExprError(f"`{value}` is not a reference: write `figure-id.metric`, e.g. `{value}.test_mse`")
        raise ExprError(f"unexpected `{value}` in `{self.text}`")


def parse(text: str, claim: bool) -> tuple:
    """The expression's tree. A claim must compare; a measured value must not."""
    if not text.strip():
        raise ExprError("empty expression: write a reference such as `figure-id.test_mse`")
    p = _Parser(text)
    tree = p.claim()
    if p.peek() is not None:
        raise ExprError(f"unexpected `{p.peek()[1]}` in `{text}`")
    compares = tree[0] in ("cmp", "and")
    if claim and not compares:
        raise ExprError(f"a claim must compare, e.g. `{text.strip()} < other-figure.test_mse`")
    if not claim and compares:
        raise ExprError("a measured value cannot compare; to check a statement write `{claim} …` instead")
    return tree


def references(tree) -> list[Ref]:
    """Every reference in the tree, in reading order."""
    if isinstance(tree, Ref):
        return [tree]
    if isinstance(tree, (tuple, list)):
        return [r for part in tree for r in references(part)]
    return []


# ---- evaluation --------------------------------------------------------------------------------

def _lift(op, a, b):
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            raise ExprError(f"lists of different lengths ({len(a)} and {len(b)}) cannot be combined")
        return [op(x, y) for x, y in zip(a, b)]
    if isinstance(a, list):
        return [op(x, b) for x in a]
    if isinstance(b, list):
        return [op(a, y) for y in b]
    return op(a, b)


def _div(a: float, b: float) -> float:
    if b == 0:
        raise ExprError("division by zero")
    return a / b


_ARITH = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b, "/": _div}
_CMP = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}


def evaluate(tree, lookup):
    """A float, a list of floats (`[*]`), or for a claim (holds, [(left, op, right), ...] per step)."""
    kind = tree[0]
    if kind == "num":
        return tree[1]
    if kind == "ref":
        return lookup(tree[1])
    if kind == "neg":
        return _lift(lambda a, _: -a, evaluate(tree[1], lookup), 0.0)
    if kind in _ARITH:
        return _lift(_ARITH[kind], evaluate(tree[1], lookup), evaluate(tree[2], lookup))
    if kind == "reduce":
        value = evaluate(tree[2], lookup)
        return REDUCERS[tree[1]](value if isinstance(value, list) else [value])
    if kind == "and":
        holds, steps = True, []
        for part in tree[1]:
            ok, more = evaluate(part, lookup)
            holds, steps = holds and ok, steps + more
        return holds, steps
    if kind == "cmp":
        left, holds, steps = evaluate(tree[1], lookup), True, []
        for op, node in tree[2]:
            right = evaluate(node, lookup)
            results = _lift(_CMP[op], left, right)
            ok = all(results) if isinstance(results, list) else results
            holds = holds and ok
            steps.append((left, op, right, ok))
            left = right
        return holds, steps
    raise AssertionError(kind)


# ---- formatting --------------------------------------------------------------------------------

def check_format(spec: str | None) -> None:
    if spec:
        try:
            format(1.5, spec)
        except ValueError as e:
            raise ExprError(f"bad number format `{spec}` ({e}); use Python's format codes, such as "
                            "`.3g` (3 significant digits), `.2f` (2 decimals), `.0%` (a percentage), `,.0f`") from None


def format_value(value: float, spec: str | None, integral: bool = False) -> str:
    """4 significant digits by default; counts (steps) as integers with thousands separators; a
    typographic minus sign."""
    if math.isnan(value) or math.isinf(value):
        text = str(value)
    elif spec:
        text = format(value, spec)
    elif integral and value == int(value):
        text = f"{int(value):,}"
    else:
        text = f"{value:.4g}"
    return "\u2212" + text[1:] if text.startswith("-") else text


def show(value) -> str:
    """A value in a diagnostic: 4 significant digits, lists in brackets."""
    if isinstance(value, list):
        return "[" + ", ".join(f"{v:.4g}" for v in value) + "]"
    return f"{value:.4g}"
