"""Plugin: numbers in prose that are measured, not typed, and claims in words checked at build.

    The autoencoder's test error is `{measure} recon[1].test_mse`, against PCA's
    `{measure} recon[1].pca_test_mse`: `{measure:.0%} 1 - recon[1].test_mse / recon[1].pca_test_mse`
    less. `{claim} recon[*].test_mse < recon[*].pca_test_mse`

A code span that starts with `{measure}` becomes the value of its expression (see `measure_expr`):
a metric of one of the page's figures' experiments, or arithmetic on several. `{measure:.3g}` formats
it with a Python format code (`.2f`, `.1%`, `,.0f`); without one, 4 significant digits (counts such
as `steps` as integers). A code span that starts with `{claim}` renders nothing and fails the build,
with its `path:line`, when its comparison is false on the trained models: put it after the sentence
that says the same thing in words, and the sentence cannot drift from the models.

The form is Quarto's inline code (`` `{python} x` ``), so it reads as "computed" to many authors;
in a Jekyll/al-folio post it is an ordinary code span, which is why no al-folio post triggers it by
accident unless it literally shows that code (write ``` `` `{measure} x` `` ``` to show it). It holds
no `|`, so it sits in Markdown table cells.

At parse time the plugin checks the syntax, the format and that every reference names a figure of
the page (with a did-you-mean) and a valid experiment of it; the HTML holds
`placeholder("measure", i)` and the page's `PageParse.measures` the parsed expressions. Once the
experiments are trained, the figures stage calls `measured_values`, which checks the metric names and
the claims.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline

from . import measure_expr as expr
from .lint import inline_position
from .parsed import page_of, placeholder

_SPAN_RE = re.compile(r"`\{(measure|claim)(?::([^}`\n]*))?\}\s+([^`]*?\S)\s*`(?!`)")
# Numbers from the provenance that a post may quote, besides the result's metrics.
_PROVENANCE = ("steps", "n_params", "train_s", "compile_s", "refit_steps", "steps_per_s")
_COUNTS = frozenset({"steps", "best_step", "n_params", "refit_steps", "latent_dim"})


@dataclass(frozen=True)
class Measure:
    kind: str  # "measure" | "claim"
    text: str  # the expression as written
    tree: tuple
    fmt: str | None  # Python format code, or None for the default
    line: int
    col: int


def measures_plugin(md: MarkdownIt) -> None:
    md.inline.ruler.before("backticks", "measure", _measure_rule)
    md.core.ruler.push("measure_references", _check_references)
    md.add_render_rule("measure", _render)


def _measure_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("`{", state.pos):
        return False
    m = _SPAN_RE.match(state.src, state.pos, state.posMax)
    if not m:
        return False
    if not silent:
        page = page_of(state.env)
        line, col = inline_position(state, state.pos)
        kind, fmt, text = m.group(1), (m.group(2) or "").strip() or None, m.group(3)
        try:
            if kind == "claim" and fmt:
                raise expr.ExprError("a claim shows no number, so it takes no format: write `{claim} …`")
            expr.check_format(fmt)
            tree = expr.parse(text, claim=kind == "claim")
        except expr.ExprError as e:
            page.diag.error(page.path, line, f"{{{kind}}}: {e}", col)
            tree = None
        token = state.push("measure", "", 0)
        token.meta = {"index": len(page.measures), "kind": kind}
        page.measures.append(Measure(kind, text, tree, fmt, line, col) if tree else None)
    state.pos = m.end()
    return True


def _render(self, tokens, idx, options, env) -> str:
    meta = tokens[idx].meta
    return placeholder("measure", meta["index"]) if meta["kind"] == "measure" else ""


def _check_references(state: StateCore) -> None:
    """Every reference names a figure of the page and one of its experiments (once the whole page,
    captions included, is parsed)."""
    if state.inlineMode:
        return
    page = page_of(state.env)
    figures = {f.id: f for f in page.figures}
    for i, m in enumerate(page.measures):
        if m is None:
            continue
        for ref in expr.references(m.tree):
            problem = _reference_problem(ref, figures)
            if problem:
                page.diag.error(page.path, m.line, f"{{{m.kind}}} `{ref.text}`: {problem}", m.col)
                page.measures[i] = None
                break


def did_you_mean(word, choices) -> str:
    """The figure spec's suggestion, imported on this error path only: the validator loads the model
    table (and numpy), which a page without figures never needs."""
    from ..figure_spec.validate import did_you_mean as suggest
    return suggest(word, choices)


def _reference_problem(ref: expr.Ref, figures: dict) -> str | None:
    spec = figures.get(ref.figure)
    if spec is None:
        known = ", ".join(figures) or "none: this page has no ```figure blocks"
        return f"no figure `{ref.figure}` on this page.{did_you_mean(ref.figure, figures)} Figures: {known}"
    n = len(spec.experiments)
    if ref.index is None and n > 1:
        return (f"figure `{ref.figure}` shows {n} experiments: pick one with `{ref.figure}[1]` … "
                f"`{ref.figure}[{n}]` (in the order of its `experiments:`), or all with `{ref.figure}[*]`")
    last = ref.last if ref.last is not None else ref.index
    if ref.index is not None and ref.index != 0 and (last > n or ref.index < 1 or last < ref.index):
        shown = f"[{ref.index}:{ref.last}]" if ref.last is not None else f"[{ref.index}]"
        return (f"figure `{ref.figure}` has {n} experiment{'s' if n > 1 else ''}; {shown} is out of range "
                f"(they are numbered from 1, in the order of its `experiments:`)")
    return None


# ---- after training ----------------------------------------------------------------------------

def metrics_of(result) -> dict[str, float]:
    """The numbers of one trained experiment a post may quote: its metrics, a few provenance
    numbers, and the code size."""
    out = {k: float(v) for k, v in result.metrics.items() if isinstance(v, (int, float))}
    prov = result.provenance or {}
    out.update({k: float(prov[k]) for k in _PROVENANCE if isinstance(prov.get(k), (int, float))})
    out["latent_dim"] = float(result.config.latent_dim)
    return out


class _Pending(Exception):
    """An experiment the value needs is not trained yet."""


def _lookup(figures: dict, results: dict):
    def lookup(ref: expr.Ref):
        spec = figures[ref.figure]
        configs = [spec.experiments[i] for i in ref.positions(len(spec.experiments))]
        values = []
        for config in configs:
            if config not in results:  # preview: still training in the background
                raise _Pending
            numbers = metrics_of(results[config])
            if ref.metric not in numbers:
                raise expr.ExprError(
                    f"{config.label()} (figure `{ref.figure}`) has no metric `{ref.metric}`."
                    f"{did_you_mean(ref.metric, numbers)} Measured: {', '.join(sorted(numbers))}")
            values.append(numbers[ref.metric])
        return values if ref.is_list else values[0]
    return lookup


def measured_values(measures: list, figures: list, results: dict, report) -> list[str]:
    """HTML for each `placeholder("measure", i)`; a false claim or unknown metric is reported with
    `report(line, col, message)`. Measures that already failed at parse time are None."""
    lookup = _lookup({f.id: f for f in figures}, results)
    out = []
    for m in measures:
        if m is None:
            out.append("")
            continue
        try:
            value = expr.evaluate(m.tree, lookup)
        except _Pending:
            out.append("\u2026")
            continue
        except expr.ExprError as e:
            report(m.line, m.col, f"{{{m.kind}}} `{m.text}`: {e}")
            out.append(html.escape(m.text))
            continue
        if m.kind == "claim":
            holds, steps = value
            if not holds:
                shown = "; ".join(f"{expr.show(a)} {op} {expr.show(b)}" for a, op, b, ok in steps if not ok)
                report(m.line, m.col, f"claim `{m.text}` is false on the trained models: {shown}. "
                                      "Change the sentence it checks (and the claim), or the experiment")
            out.append("")
        elif isinstance(value, list):
            report(m.line, m.col, f"{{measure}} `{m.text}` is a list ({expr.show(value)}): "
                                  "reduce it with min(…), max(…) or mean(…), or pick one experiment")
            out.append(html.escape(m.text))
        else:
            integral = any(r.metric in _COUNTS for r in expr.references(m.tree))
            number = expr.format_value(value, m.fmt, integral)
            out.append(f'<span class="measured" title="Measured when the site was built: '
                       f'{html.escape(m.text, quote=True)}">{html.escape(number)}</span>')
    return out
