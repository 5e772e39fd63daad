"""`\\require{…}` in formulas: shipped MathJax extensions switch on, unknown ones are one error."""

from __future__ import annotations

import pytest

from explainer.base.errors import Diagnostics
from explainer.posts import mathjax_engine as mj
from explainer.posts.math import render_page_math
from explainer.posts.parsed import MathItem
from explainer.posts.tex_require import drop_unknown, shipped_extensions

PREAMBLE = r"\require{%s} \newcommand{\R}{\mathbb{R}} \newcommand{\norm}[1]{\lVert #1 \rVert}"


@pytest.fixture(scope="module", autouse=True)
def engine():
    yield mj.shared_engine()
    mj.close_engine()


def render(items, mode="svg"):
    diag = Diagnostics()
    page = render_page_math(items, mode=mode, macros={}, path="post.md", diag=diag, cache_dir=None)
    return page, diag


def test_shipped_extensions_are_read_from_the_installed_mathjax():
    names = shipped_extensions()
    assert {"mathtools", "physics", "braket", "cancel", "textmacros"} <= set(names)
    assert not {"autoload", "all-packages", "setoptions"} & set(names)  # MathJax refuses these


def test_hidden_preamble_with_require_defines_macros_for_later_formulas():
    page, diag = render([MathItem(PREAMBLE % "mathtools", True, 3, 1),
                         MathItem(r"x \coloneqq \norm{\R^n}", False, 7, 5)])
    assert not diag.items
    assert "<mjx-container" in page.html[1] and "211D" in page.html[1]  # ℝ


def test_unknown_extension_is_one_warning_and_the_preamble_still_counts():
    page, diag = render([MathItem(PREAMBLE % "mathtoolz", True, 3, 1),
                         MathItem(r"\R", False, 7, 1), MathItem(r"\norm{x}", False, 8, 1)])
    assert len(diag.warnings) == 1, [str(d) for d in diag.warnings]
    error = diag.warnings[0]
    assert error.line == 3 and "`\\require{mathtoolz}`" in error.message
    assert "did you mean `mathtools`?" in error.message
    assert all("<mjx-container" in html for html in page.html[1:])


def test_an_extension_switched_on_by_one_page_is_off_on_the_next():
    _, diag = render([MathItem(r"\require{physics} \qty(\frac{a}{b})", False, 1)])
    assert not diag.items
    _, diag = render([MathItem(r"\qty(\frac{a}{b})", False, 1)])
    assert "Undefined control sequence \\qty" in diag.warnings[0].message


def test_extension_with_preprocessors_needs_no_second_attempt_by_the_author():
    # textcomp's first \require makes MathJax ask for the formula to start over.
    page, diag = render([MathItem(r"\require{textcomp} x", False, 1)])
    assert not diag.items and "<mjx-container" in page.html[0]


def test_client_mode_reports_unknown_and_drops_it_from_the_page():
    page, diag = render([MathItem(PREAMBLE % "nosuch", True, 2, 1)], mode="client")
    assert len(diag.warnings) == 1 and "nosuch" in diag.warnings[0].message
    assert "\\require" not in page.html[0] and "\\newcommand{\\R}" in page.html[0]


def test_drop_unknown_keeps_known_requires():
    tex, unknown = drop_unknown(r"\require{cancel}\require{bogus} x")
    assert tex == r"\require{cancel} x" and unknown == ["bogus"]
