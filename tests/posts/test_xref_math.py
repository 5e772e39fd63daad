"""Equation numbers counted by xref_math agree with MathJax's own (its labels after a page)."""

from __future__ import annotations

import json

import pytest

from explainer.posts.parsed import MathItem
from explainer.posts.xref_math import ams_labels

PAGE = [
    r"\begin{equation} a \label{one} \end{equation}",
    r"x^2 \label{ignored-no-number}",
    r"\begin{align} a &= b \label{two} \\ c &= d \nonumber \\ e &= f \label{three} \\ \end{align}",
    r"\begin{equation*} a \tag{A} \label{tagged} \end{equation*}",
    r"\begin{equation} \begin{split} a &= b \\ &= c \end{split} \label{split} \end{equation}",
    r"\begin{gather} a \\ b \label{gather2} \\ c \notag \end{gather}",
    r"\begin{align*} a \\ b \end{align*}",
    r"\begin{multline} a \\ b \label{multline} \end{multline}",
    r"\begin{align} \begin{aligned} a \\ b \end{aligned} \label{outer} \\ c \label{after} \end{align}",
]


def test_counting_without_mathjax():
    labels = ams_labels([MathItem(t, True, 1) for t in PAGE])
    assert labels == {"one": "1", "two": "2", "three": "3", "tagged": "A", "split": "4", "gather2": "6",
                      "multline": "7", "outer": "8", "after": "9"}


@pytest.mark.slow
def test_counting_matches_mathjax():
    mj = pytest.importorskip("explainer.posts.mathjax_engine")
    engine = mj.shared_engine()
    engine.begin_page({})
    for tex in PAGE:
        engine.render(tex, True)
    theirs = {k: v["tag"] for k, v in json.loads(engine.labels()).items() if v["tag"] != "???"}
    ours = ams_labels([MathItem(t, True, 1) for t in PAGE])
    assert ours == {k: v.strip("()") for k, v in theirs.items()}
