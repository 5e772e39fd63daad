"""A page of ~100 formulas typical of ML posts renders cleanly, with the right equation numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from explainer.base.errors import Diagnostics
from explainer.posts import mathjax_engine as mj
from explainer.posts.math import render_page_math
from explainer.posts.parsed import MathItem

CORPUS = Path(__file__).with_name("math_corpus.txt")


def load_corpus(path: Path) -> list[MathItem]:
    """Formulas start at a line `== inline` or `== display`; each keeps the line it starts on."""
    items, kind, body, start = [], None, [], 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("== "):
            if kind:
                items.append(MathItem("\n".join(body), kind == "display", start))
            kind, body, start = line[3:].strip(), [], number + 1
        elif kind:
            body.append(line)
    items.append(MathItem("\n".join(body), kind == "display", start))
    return items


@pytest.fixture(scope="module")
def page():
    items = load_corpus(CORPUS)
    diag = Diagnostics()
    rendered = render_page_math(items, mode="svg", macros={}, path=CORPUS, diag=diag, cache_dir=None)
    yield items, rendered, diag
    mj.close_engine()


def numbers(html: str) -> list[str]:
    return re.findall(r"<mtext>\(([^)<]*)\)</mtext>", html)


def html_for(items, rendered, needle: str) -> str:
    [html] = [h for item, h in zip(items, rendered.html) if needle in item.tex]
    return html


def test_corpus_renders_without_errors(page):
    items, rendered, diag = page
    assert len(items) >= 80
    assert [str(d) for d in diag.items] == []
    for item, html in zip(items, rendered.html):
        assert "<mjx-container" in html, item.tex
        assert 'data-mml-node="merror"' not in html, item.tex
        assert "???" not in html, item.tex


def test_corpus_numbers_and_references(page):
    items, rendered, _ = page
    assert numbers(html_for(items, rendered, r"\text{see } \eqref{eq:elbo}")) == ["1"]
    assert numbers(html_for(items, rendered, r"\label{eq:grad}")) == ["2", "3"]
    assert numbers(html_for(items, rendered, r"\eqref{eq:grad} \text{ and }")) == ["2", "3"]
    assert numbers(html_for(items, rendered, r"v_t = \beta_2")) == ["4", "5"]
    assert numbers(html_for(items, rendered, r"\tag{Adam}")) == ["Adam"]
    assert numbers(html_for(items, rendered, r"W_{hh}")) == ["6"]
    assert numbers(html_for(items, rendered, r"\begin{multline}")) == ["7"]
    # Forward reference: the \eqref comes before its \label.
    assert numbers(html_for(items, rendered, r"\text{as in } \eqref{eq:later}")) == ["8"]


def test_corpus_features_show_up_in_output(page):
    items, rendered, _ = page
    colored = html_for(items, rendered, r"\color{red}")
    assert 'fill="red"' in colored and 'fill="blue"' in colored
    assert "munder" in html_for(items, rendered, r"\underbrace{\mathbb{E}")
    assert "<mo>:</mo></mpadded><mo>=</mo>" in html_for(items, rendered, r"\coloneqq")  # mathtools' :=
    macro_use = html_for(items, rendered, r"W \in \R")  # \newcommand from an earlier formula
    assert "211D" in macro_use  # ℝ
