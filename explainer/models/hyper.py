"""A model's options: typed fields of a frozen dataclass, checked the way a figure's YAML is checked.

Every model, built-in or an author's, declares its options as a frozen dataclass:

    @dataclass(frozen=True)
    class Hyper:
        beta: float = field(default=4.0, metadata={"min": 0, "max": 100, "help": "KL weight"})
        hidden: tuple[int, ...] = (128, 64)
        prior: Literal["normal", "laplace"] = "normal"

`options_from_fields` turns the fields into `Option`s (kind, default, range, choices, help) from the
annotation *text*, so the same code serves a class that was imported (built-ins) and one read from
source without running it (an author's file, read by `authored.py` without importing jax).
`check_value` validates one YAML value against an Option with the messages the built-in options
have always had (did-you-mean, ranges).
"""

from __future__ import annotations

import ast
import difflib
import math
from dataclasses import MISSING, dataclass, fields

KINDS = ("int", "float", "bool", "str", "choice", "ints")


@dataclass(frozen=True)
class Option:
    """One option: `kind` is int, float, bool, str, choice (one of `choices`) or ints (a list)."""

    kind: str
    default: object = None  # None: the model picks (e.g. a loss that depends on the data set)
    low: float | None = None
    high: float | None = None
    choices: tuple = ()
    help: str = ""
    low_open: bool = False  # `low` itself is not allowed (a learning rate of 0)


class HyperError(ValueError):
    """A field whose annotation or metadata cannot be turned into an Option."""


def did_you_mean(word, choices) -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _literal_choices(text: str) -> tuple | None:
    node = ast.parse(text, mode="eval").body
    if isinstance(node, ast.Subscript) and getattr(node.value, "id", getattr(node.value, "attr", "")) == "Literal":
        items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        return tuple(ast.literal_eval(e) for e in items)
    return None


def kind_of(annotation: str) -> tuple[str, tuple]:
    """(kind, choices) from an annotation's text: int, float, bool, str, Literal[...], tuple[int, ...]."""
    text = annotation.replace(" ", "")
    for none in ("|None", "None|"):
        text = text.replace(none, "")
    if text.startswith("Optional[") and text.endswith("]"):
        text = text[len("Optional["):-1]
    if text in ("int", "float", "bool", "str"):
        return text, ()
    if text in ("tuple[int,...]", "Tuple[int,...]", "list[int]", "List[int]"):
        return "ints", ()
    try:
        choices = _literal_choices(annotation)
    except (SyntaxError, ValueError):
        choices = None
    if choices:
        return "choice", choices
    raise HyperError(f"option type `{annotation}` is not supported; use int, float, bool, str, "
                     "Literal['a', 'b'] or tuple[int, ...]")


def make_option(name: str, annotation: str, default, metadata: dict | None) -> Option:
    kind, choices = kind_of(annotation)
    meta = dict(metadata or {})
    unknown = set(meta) - {"min", "max", "help", "above"}
    if unknown:
        raise HyperError(f"option `{name}`: unknown metadata {', '.join(sorted(unknown))}; "
                         "use min, max, above (an exclusive minimum) and help")
    low = meta.get("above", meta.get("min"))
    if isinstance(default, list):
        default = tuple(default)
    return Option(kind, default, low, meta.get("max"), choices, str(meta.get("help", "")),
                  low_open="above" in meta)


def options_from_fields(cls) -> dict[str, Option]:
    """Options of an imported dataclass (every field needs a default: a figure may omit it)."""
    out = {}
    for f in fields(cls):
        default = f.default if f.default is not MISSING else (
            f.default_factory() if f.default_factory is not MISSING else MISSING)
        if default is MISSING:
            raise HyperError(f"option `{f.name}` needs a default value")
        annotation = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
        out[f.name] = make_option(f.name, annotation, default, dict(f.metadata))
    return out


# ---- checking a figure's value --------------------------------------------------------------------


def check_value(key: str, value, opt: Option, errors: list) -> object:
    """The cleaned value, or None with (key, message) appended to `errors`."""
    if value is None and opt.default is None:
        return None
    checker = {"int": _int, "float": _float, "bool": _bool, "str": _str, "choice": _choice,
               "ints": _ints}[opt.kind]
    return checker(key, value, opt, errors)


def _help(opt: Option) -> str:
    return f" ({opt.help})" if opt.help else ""


def _range(key, value, opt: Option, errors):
    lo, hi = opt.low, opt.high
    if (lo is not None and (value < lo or (opt.low_open and value == lo))) or (hi is not None and value > hi):
        if lo is not None and hi is not None and not opt.low_open and opt.kind == "int":
            errors.append((key, f"{key} must be between {lo:g} and {hi:g}, not {value:g}"))
        else:
            low = "" if lo is None else (f"greater than {lo:g}" if opt.low_open else f"at least {lo:g}")
            high = "" if hi is None else f"at most {hi:g}"
            errors.append((key, f"{key} must be {' and '.join(p for p in (low, high) if p)}, not {value:g}"))
        return None
    return value


def _int(key, value, opt, errors):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        errors.append((key, f"{key} must be a whole number, not {value!r}{_help(opt)}"))
        return None
    return _range(key, value, opt, errors)


def _float(key, value, opt, errors):
    if isinstance(value, str):  # YAML 1.1 reads `1e-3` (no dot) as a string; accept it
        try:
            value = float(value)
        except ValueError:
            pass
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        errors.append((key, f"{key} must be a number, not {value!r}{_help(opt)}"))
        return None
    value = _range(key, float(value), opt, errors)
    return None if value is None else float(value)


def _bool(key, value, opt, errors):
    if not isinstance(value, bool):
        errors.append((key, f"{key} must be true or false, not {value!r}{_help(opt)}"))
        return None
    return value


def _str(key, value, opt, errors):
    if not isinstance(value, str):
        errors.append((key, f"{key} must be text, not {value!r}{_help(opt)}"))
        return None
    return value


def _choice(key, value, opt, errors):
    if value not in opt.choices or isinstance(value, bool):
        names = ", ".join(map(str, opt.choices))
        errors.append((key, f"{key} must be one of {names}, not {value!r}{did_you_mean(value, opt.choices)}"))
        return None
    return value


def _ints(key, value, opt, errors):
    if isinstance(value, int) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, (list, tuple)) or len(value) > 6:
        errors.append((key, f"{key} must be a list of up to 6 whole numbers such as [128, 64], not {value!r}"))
        return None
    bounded = Option("int", None, opt.low if opt.low is not None else 1, opt.high if opt.high is not None else 4096)
    items = [_int(key, v, bounded, errors) for v in value]
    return None if None in items else tuple(items)
