"""Formulas typeset once per process (math_memo) and a page in one call into V8: the memo changes
how often MathJax runs, never what a page shows."""

from __future__ import annotations

import re

import pytest

from explainer.base.errors import Diagnostics
from explainer.posts import math_memo
from explainer.posts import mathjax_engine as mj
from explainer.posts.math import render_page_math
from explainer.posts.parsed import MathItem


class NoMemo(math_memo.FormulaMemo):
    """Holds nothing: an engine with it typesets every formula, as before the memo."""

    def get(self, key):
        return None


@pytest.fixture(scope="module", autouse=True)
def engines():
    """The shared engine (with its memo) and a reference engine that typesets everything."""
    mj.close_engine()
    reference = mj.MathJaxEngine()
    reference.memo = NoMemo()
    yield mj.shared_engine(), reference
    reference.close()
    mj.close_engine()


def render(texs, macros=None):
    diag = Diagnostics()
    items = [MathItem(t, t.startswith("\\begin"), i + 1) for i, t in enumerate(texs)]
    page = render_page_math(items, mode="svg", macros=macros or {}, path="p.md", diag=diag, cache_dir=None)
    return page, [d.message for d in diag.items]


@pytest.fixture
def reference_render(engines, monkeypatch):
    """The same page typeset by the reference engine."""
    def render_there(texs, macros=None):
        with monkeypatch.context() as m:
            m.setattr(mj, "shared_engine", lambda: engines[1])
            return render(texs, macros)
    return render_there


def test_a_recurring_formula_is_typeset_twice_then_reused_with_identical_markup(reference_render):
    page = [r"\alpha + [0, 1]", r"\begin{equation}a\label{x}\end{equation}", r"\eqref{x}"]
    first = render(page)
    hits = mj.shared_engine().memo.hits
    for _ in range(3):
        assert render(page) == first
    assert mj.shared_engine().memo.hits == hits + 2  # 2nd page stores it, the 3rd and 4th reuse it
    assert reference_render(page) == first


def test_a_fresh_engine_makes_the_same_page():
    page = [r"\int_0^1 f", r"\alpha^2 + [0, 1]", r"\begin{equation}a\label{y}\end{equation}"]
    for _ in range(3):
        warm = render(page)
    mj.close_engine()  # a new engine: empty memo, empty glyph table, glyphs met in another order
    assert render(page) == warm


def test_numbered_and_referring_formulas_are_never_reused():
    eq = r"\begin{equation}e\label{a}\end{equation}"
    for _ in range(3):
        render([eq, r"\eqref{a}"])
    page, problems = render([r"\begin{equation}f\label{b}\end{equation}", eq, r"\eqref{a}"])
    assert not problems
    assert re.findall(r"<mtext>\((\d)\)</mtext>", page.html[1] + page.html[2]) == ["2", "2"]


@pytest.mark.parametrize("define", [r"\renewcommand{\alpha}{Z}", r"\def\alpha{Z}",
                                    r"\DeclareMathOperator{\alpha}{Z}", r"\let\alpha=Z"])
def test_after_a_definition_the_page_is_typeset_formula_by_formula(define, reference_render):
    for _ in range(3):
        render([r"\alpha"])  # now in the memo
    page, _ = render([define, r"\alpha"])
    assert "1D6FC" not in page.html[1] and ">Z</m" in page.html[1]  # Z, not α
    assert render([r"\alpha"])[0].html[0] == reference_render([r"\alpha"])[0].html[0]  # nothing leaked


def test_macros_are_part_of_the_key(reference_render):
    for _ in range(3):
        render([r"\R"], macros={"R": r"\mathbb{R}"})
    bold = render([r"\R"], macros={"R": r"\mathbf{R}"})
    assert bold == reference_render([r"\R"], macros={"R": r"\mathbf{R}"})


def test_lasting_commands_do_not_reach_the_next_page(reference_render):
    page, problems = render([r"\DeclareMathOperator{\tr}{tr}\tr A"])
    assert not problems
    _, problems = render([r"\tr A"])
    assert problems and "Undefined control sequence \\tr" in problems[0]
    render([r"\definecolor{mine}{RGB}{10,200,30}\color{mine}{q}"])
    assert render([r"\color{mine}{q}"]) == reference_render([r"\color{mine}{q}"])


def test_page_defs_hold_exactly_the_glyphs_its_formulas_use(reference_render):
    for texs in ([r"\alpha^2", r"\int_0^1 f"], [r"\alpha^2", r"\sum_i x_i"], [r"\alpha^2"]):
        page, _ = render(texs)
        used = set(re.findall(r'xlink:href="#([^"]+)"', "".join(page.html)))
        assert set(re.findall(r'<path id="([^"]+)"', page.defs)) == used
        assert page == reference_render(texs)[0]  # same glyphs, same order as typesetting all


class _Fake:
    def __init__(self, pure=True):
        self.pure = pure


def test_memo_keeps_what_recurs_and_stays_bounded(monkeypatch):
    monkeypatch.setattr(math_memo, "MAX_ENTRIES", 2)
    memo = math_memo.FormulaMemo()
    memo.offer(("a",), _Fake())
    assert ("a",) not in memo  # seen once: not kept
    memo.offer(("a",), _Fake())
    assert memo.get(("a",)) is not None
    memo.offer(("b",), _Fake(pure=False))
    memo.offer(("b",), _Fake(pure=False))
    assert ("b",) not in memo  # never what depends on the page
    for key in ("c", "c", "d", "d"):
        memo.offer((key,), _Fake())
    assert len(memo) == 2 and ("a",) not in memo  # least recently used goes first


def test_a_full_memo_still_serves_the_page_it_was_asked_for(monkeypatch, reference_render):
    monkeypatch.setattr(math_memo, "MAX_ENTRIES", 1)
    monkeypatch.setattr(mj.shared_engine(), "memo", math_memo.FormulaMemo())
    for _ in range(2):
        render([r"\beta", r"\gamma"])  # \gamma's entry pushes \beta's out while the page is read
    page = [r"\gamma", r"\delta", r"\epsilon", r"\gamma"]
    for _ in range(3):
        assert render(page) == reference_render(page)
