"""Checks a ```figure block's YAML against the view catalogue; every problem with its line.

Lines come from the YAML parser's node marks, so a problem inside a flow mapping such as
`experiment: {model: ae, latnt_dim: 2}` still points at the right line of the fence.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field

import yaml

from ..base.config import load_yaml
from ..models.experiments import parse_experiment
from ..models.table import POINT_DATASETS, Tables, content_dir_of, tables_for
from .catalog import DEFAULT_LAYOUT, LAYOUTS, VIEWS, Option, ViewInfo

TOP_KEYS = ("id", "view", "experiment", "experiments", "caption", "layout", "expect", "options")
_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


@dataclass
class FigureYaml:
    """A block that passed validation (possibly with errors reported for some keys)."""

    id: str
    view: str
    experiments: tuple
    caption: str
    layout: str
    expect: dict
    options: dict
    lines: dict = field(default_factory=dict)  # key path tuple -> file line


def did_you_mean(word, choices) -> str:
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" Did you mean `{close[0]}`?" if close else ""


def unknown(kind: str, word, choices) -> str:
    return (f"unknown {kind} `{word}`.{did_you_mean(word, choices)} "
            f"Valid {kind}s: {', '.join(map(str, choices))}")


def node_lines(text: str, first_line: int) -> dict[tuple, int]:
    """Map each key path, e.g. ("experiment", "latent_dim") or ("experiments", 1), to its file line."""
    lines: dict[tuple, int] = {}

    def walk(node, path):
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                sub = path + (str(key_node.value),)
                lines[sub] = first_line + key_node.start_mark.line
                walk(value_node, sub)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                lines[path + (i,)] = first_line + item.start_mark.line
                walk(item, path + (i,))

    try:
        walk(yaml.compose(text, Loader=yaml.SafeLoader), ())
    except yaml.YAMLError:
        pass
    return lines


def line_of(lines: dict, path: tuple, default: int) -> int:
    """The line of `path`, or of its nearest ancestor that has one."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return default


class _Checker:
    """Holds the block's lines and the diagnostics sink while its keys are checked."""

    def __init__(self, lines, first_line, path, diag):
        self.lines, self.first_line, self.path, self.diag = lines, first_line, path, diag
        self.ok = True

    def error(self, key_path: tuple, message: str) -> None:
        self.ok = False
        self.diag.error(self.path, line_of(self.lines, key_path, self.first_line), message)


def _load(text: str, first_line: int, path: str, diag):
    try:
        data = load_yaml(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = first_line + (mark.line if mark else 0)
        diag.error(path, line, f"the figure block is not valid YAML ({getattr(e, 'problem', e)}); "
                               "write one `key: value` per line")
        return None
    if not isinstance(data, dict):
        diag.error(path, first_line, "a ```figure block holds YAML keys such as `id:`, `view:` and "
                                     "`experiment:`")
        return None
    return data


def check_figure_yaml(text: str, first_line: int, path: str, diag, tables: Tables | None = None) -> FigureYaml | None:
    """`first_line`: file line of the block's first YAML line. None when anything is wrong.
    `tables`: the models and data sets the figure may name (default: the built-in ones and those of
    the content folder the post at `path` belongs to)."""
    data = _load(text, first_line, path, diag)
    if data is None:
        return None
    c = _Checker(node_lines(text, first_line), first_line, path, diag)
    c.tables = tables or tables_for(content_dir_of(path))
    _report_author_problems(text, c.tables, path, first_line - 1, diag)
    for key in data:
        if key not in TOP_KEYS:
            c.error((str(key),), unknown("figure key", key, TOP_KEYS))
    fig_id = _check_id(data.get("id"), c)
    view = _check_view(data.get("view"), c)
    layout = _check_layout(data.get("layout", DEFAULT_LAYOUT), c)
    caption = data.get("caption", "")
    if not isinstance(caption, (str, int, float)):
        c.error(("caption",), "`caption:` should be text; quote it if it holds `: ` or starts with a symbol")
        caption = ""
    info = VIEWS.get(view) if view else None
    experiments = _check_experiments(data, info, c)
    options = _check_options(data.get("options"), info, c) if info else {}
    if info and info.name == "compare" and experiments and "x" in options:
        _check_compare_axis(options["x"], experiments, c)
    expect = _check_expect(data.get("expect"), c)
    if not c.ok:
        return None
    return FigureYaml(fig_id, view, experiments, str(caption).strip(), layout, expect, options, c.lines)


def _report_author_problems(text: str, tables, path: str, fence_line: int, diag) -> None:
    """A broken content/models or content/data file, at its own line, when this figure names it."""
    for name, file, line, message in tables.problems:
        if re.search(rf"\b{re.escape(name)}\b", text):
            diag.error(file, line, f"{message} (named by the figure at {path}:{fence_line})")


def _check_id(value, c: _Checker) -> str:
    if value is None:
        c.error(("id",), "the figure needs an `id:` (letters, digits, `-`), e.g. `id: ae-latent`")
        return ""
    if not isinstance(value, str) or not _ID_RE.match(value):
        c.error(("id",), f"figure id `{value}` should start with a letter and hold only letters, "
                         "digits, `-` and `_`, e.g. `ae-latent`")
        return ""
    return value


def _check_view(value, c: _Checker) -> str:
    if value is None:
        c.error(("view",), f"the figure needs a `view:`; one of {', '.join(VIEWS)}")
        return ""
    if value not in VIEWS:
        c.error(("view",), unknown("view", value, list(VIEWS)))
        return ""
    return value


def _check_layout(value, c: _Checker) -> str:
    if value not in LAYOUTS:
        c.error(("layout",), unknown("layout", value, LAYOUTS))
        return DEFAULT_LAYOUT
    return value


def _check_experiments(data: dict, info: ViewInfo | None, c: _Checker) -> tuple:
    if ("experiment" in data) == ("experiments" in data):
        c.error(("experiment",) if "experiment" in data else (),
                "give the figure exactly one of `experiment:` (a mapping) or `experiments:` (a list)")
        return ()
    if "experiment" in data:
        raw, paths = [data["experiment"]], [("experiment",)]
    else:
        raw = data["experiments"]
        if not isinstance(raw, list) or not raw:
            c.error(("experiments",), "`experiments:` should be a list of mappings, e.g. "
                                      "`- {model: ae, latent_dim: 2}`")
            return ()
        paths = [("experiments", i) for i in range(len(raw))]
        if info and not info.multi and len(raw) > 1:
            c.error(("experiments",), f"view `{info.name}` shows one experiment; use `experiment:` "
                                      f"(views that compare several: "
                                      f"{', '.join(v.name for v in VIEWS.values() if v.multi)})")
    configs = []
    for item, path in zip(raw, paths):
        config, errors = parse_experiment(item, c.tables)
        for key, message in errors:
            c.error(path + ((key,) if key else ()), message)
        if config is not None:
            config = config.resolved(c.tables)
            if info:
                _check_model_for_view(config, info, path, c)
            configs.append(config)
    return tuple(configs)


def _check_model_for_view(config, info: ViewInfo, path: tuple, c: _Checker) -> None:
    spec = config.spec(c.tables)
    if info.needs and not getattr(spec, info.needs):
        c.error(path + ("model",), f"view `{info.name}` needs {info.model_hint}; {spec.lacks(info.needs)}")
    if (info.needs_decoder or info.needs_encoder) and not spec.trains and info.needs:
        c.error(path + ("model",), f"view `{info.name}` needs a trained network; `{config.model}` is fitted")
    if info.needs_images and config.dataset in POINT_DATASETS:
        c.error(path + ("dataset",), f"view `{info.name}` draws images, and `{config.dataset}` is "
                                     f"a set of 2-D points; use an image data set (digits, shapes, "
                                     f"yours in content/data/) or another view")


def _check_compare_axis(x: str, experiments, c: _Checker) -> None:
    """`compare`'s x axis must be a number every experiment has: a common option or the models' own."""
    from ..models.experiments import FIELDS

    numeric = ("latent_dim", "steps", "batch_size", "learning_rate", "seed")
    for config in experiments:
        value = config.opt(x) if (x in numeric or x not in FIELDS) else None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            own = [k for k, v in config.options if isinstance(v, (int, float)) and not isinstance(v, bool)]
            c.error(("options", "x"), f"option `x: {x}` is not a number of {config.label(c.tables)}; "
                                      f"use one of {', '.join([*numeric, *own])}{did_you_mean(x, [*numeric, *own])}")
            return


def _check_options(value, info: ViewInfo, c: _Checker) -> dict:
    from .catalog import view_options
    if value is None:
        return view_options(info.name, {})
    if not isinstance(value, dict):
        c.error(("options",), "`options:` should be a mapping, e.g. `options: {count: 8}`")
        return {}
    cleaned = {}
    for key, given in value.items():
        if key not in info.options:
            valid = list(info.options) or ["(none)"]
            c.error(("options", str(key)), f"view `{info.name}` has no option `{key}`."
                    f"{did_you_mean(key, info.options)} Its options: {', '.join(valid)}")
            continue
        message = _option_problem(info.options[key], given)
        if message:
            c.error(("options", str(key)), f"option `{key}` {message}")
        else:
            cleaned[key] = float(given) if info.options[key].kind == "float" else given
    return view_options(info.name, cleaned)


def _option_problem(opt: Option, value) -> str | None:
    if opt.kind == "bool":
        return None if isinstance(value, bool) else f"should be true or false, not {value!r}"
    if opt.kind in ("str", "choice"):
        if not isinstance(value, str):
            return f"should be text, not {value!r}"
        if opt.kind == "choice" and value not in opt.choices:
            return (f"should be one of {', '.join(opt.choices)}, not `{value}`."
                    f"{did_you_mean(value, opt.choices)}")
        return None
    numeric = (int,) if opt.kind == "int" else (int, float)
    if isinstance(value, bool) or not isinstance(value, numeric) or not math.isfinite(value):
        return f"should be {'a whole number' if opt.kind == 'int' else 'a number'}, not {value!r}"
    if not opt.low <= value <= opt.high:
        return f"should be between {opt.low:g} and {opt.high:g}, not {value:g}"
    return None


def _check_expect(value, c: _Checker) -> dict:
    """Claims the build verifies after training (see `figures/expect.py` for their meaning)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        c.error(("expect",), "`expect:` should be a mapping, e.g. `expect: {beats_pca: true}`")
        return {}
    for key, claim in value.items():
        where = ("expect", str(key))
        if key == "beats_pca":
            if not isinstance(claim, bool):
                c.error(where, f"`beats_pca` should be true or false, not {claim!r}")
        elif key == "max_test_mse":
            if isinstance(claim, bool) or not isinstance(claim, (int, float)):
                c.error(where, f"`max_test_mse` should be a number, not {claim!r}")
        elif not isinstance(claim, dict) or not claim or set(claim) - {"min", "max"} or any(
                isinstance(v, bool) or not isinstance(v, (int, float)) for v in claim.values()):
            c.error(where, f"`expect: {{{key}: …}}` should be a bound on a metric, e.g. "
                           f"`{key}: {{max: 0.03}}` or `{{min: 0.1, max: 0.2}}`; the named claims "
                           "are `beats_pca` and `max_test_mse`")
    return dict(value)
