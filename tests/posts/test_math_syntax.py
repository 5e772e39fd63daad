"""Math syntax: fixture pairs plus the edge cases al-folio authors run into."""

from __future__ import annotations

import pytest

from explainer.posts.parsed import MathItem, placeholder
from tests.posts.fixtures.harness import cases, check_case, render


@pytest.mark.parametrize("case", cases("math_syntax"), ids=lambda p: p.stem)
def test_fixture(case):
    check_case(case)


def tex(body: str) -> list[tuple[str, bool]]:
    return [(m.tex, m.display) for m in render(body)[1].math]


def test_prices_are_not_math():
    html, page, _ = render("It costs $5 and $10 today.\n")
    assert page.math == [] and "$5 and $10" in html


def test_pandoc_dollar_rules():
    assert tex("$ x$ and $x $ and $x$2\n") == []
    assert tex("$x$, $y$.\n") == [("x", False), ("y", False)]


def test_escaped_dollar_is_literal():
    html, page, _ = render("A \\$ sign and $a = \\$1$.\n")
    assert "A $ sign" in html and page.math[0].tex == "a = \\$1"


def test_double_dollar_inside_paragraph_is_inline():
    html, page, _ = render("Just like $$ E = mc^2 $$.\n")
    assert page.math == [MathItem("E = mc^2", False, 1, 11)]
    assert html == f"<p>Just like {placeholder('math', 0)}.</p>\n"


def test_double_dollar_paragraph_is_display_and_not_in_a_p():
    html, page, _ = render("Before.\n\n$$\na \\\\\nb\n$$\n\nAfter.\n", body_line=20)
    assert page.math == [MathItem("a \\\\\nb", True, 22, None)]
    assert f"<p>{placeholder('math', 0)}" not in html
    assert html == f"<p>Before.</p>\n{placeholder('math', 0)}\n<p>After.</p>\n"


def test_single_line_display():
    assert tex("$$x = 1$$\n") == [("x = 1", True)]


def test_display_inside_a_paragraph_warns_and_stays_inline():
    html, page, diag = render("Text\n$$\nx\n$$\n")
    assert not page.math[0].display
    assert "blank line" in diag.warnings[0].message and diag.warnings[0].line == 2


def test_markdown_never_touches_math():
    body = "$\\mathbf{x'}$ and $a_i * b_j * c_k$ and $x_1 _y_ **z**$ and $a < b \\& c$ and $[a](b)$\n"
    assert [t for t, _ in tex(body)] == ["\\mathbf{x'}", "a_i * b_j * c_k", "x_1 _y_ **z**",
                                         "a < b \\& c", "[a](b)"]


def test_markdown_never_touches_display_math():
    body = "$$\n- a_i * b_j\n# not a heading\n> x'' & y\n$$\n"
    assert tex(body) == [("- a_i * b_j\n# not a heading\n> x'' & y", True)]


def test_latex_delimiters():
    body = "In \\(a<b\\) text.\n\n\\[\nc\n\\]\n\n\\begin{align*}\nd &= e \\\\\nf\n\\end{align*}\n"
    assert tex(body) == [("a<b", False), ("c", True),
                         ("\\begin{align*}\nd &= e \\\\\nf\n\\end{align*}", True)]


@pytest.mark.parametrize("env_name", ["equation", "equation*", "align", "gather*", "multline",
                                      "flalign", "alignat", "eqnarray"])
def test_ams_environments_are_display(env_name):
    body = f"\\begin{{{env_name}}}\nx\n\\end{{{env_name}}}\n"
    assert tex(body) == [(body.strip(), True)]


def test_environment_may_follow_text_directly():
    html, page, _ = render("The loss is\n\\begin{equation}\nL\n\\end{equation}\nwhere L is small.\n")
    assert page.math[0].display and page.math[0].line == 2
    assert html.count("<p>") == 2


def test_code_is_never_math():
    assert tex("`$x$` and\n\n```\n$$y$$\n```\n\n    $z$\n") == []


def test_math_inside_d_footnote():
    html, page, _ = render("Text<d-footnote>with $x'$ and $$a_i * b_j$$</d-footnote>.\n")
    assert [m.tex for m in page.math] == ["x'", "a_i * b_j"]
    assert placeholder("math", 1) in page.footnotes[0].html


def test_math_lines_follow_the_file():
    _, page, _ = render("a\n\nb $x$\nc $y$\n", body_line=7)
    assert [m.line for m in page.math] == [9, 10]


def test_math_in_a_heading_and_a_table():
    _, page, _ = render("## The $\\beta$-VAE\n\n| a |\n|---|\n| $x_i$ |\n")
    assert [m.tex for m in page.math] == ["\\beta", "x_i"]
    assert page.headings[0].id == "the-beta-vae"


def test_eqref_in_running_text_is_math():
    assert tex("See Equation \\eqref{eq:elbo} and \\ref{fig}.\n") == [("\\eqref{eq:elbo}", False),
                                                                    ("\\ref{fig}", False)]
