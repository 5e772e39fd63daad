"""Client math mode in Chromium: `\\require{…}` of shipped extensions works from the site's own
MathJax copy (no request leaves the machine, no file is missing)."""

from __future__ import annotations

import pytest

from explainer.posts.math import client_html, math_assets, math_head
from explainer.posts.parsed import MathItem

pytestmark = pytest.mark.browser


def test_require_in_a_hidden_preamble_works_in_the_browser(page, serve_dir, tmp_path):
    for rel, data in math_assets("client").items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(data)
    items = [MathItem(r"\require{mathtools} \require{physics} \newcommand{\R}{\mathbb{R}}", True, 1),
             MathItem(r"x \coloneqq \R", False, 2), MathItem(r"\qty(\frac{a}{b})", False, 3)]
    parts = client_html(items, {})
    body = f'<div style="display:none">{parts[0]}</div><p>{parts[1]} and {parts[2]}</p>'
    head = math_head("client", lambda rel: rel)
    page_html = f"<!doctype html><html><head>{head}</head><body>{body}</body></html>"
    (tmp_path / "index.html").write_text(page_html)
    page.goto(serve_dir(tmp_path) + "index.html")
    page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise")
    page.evaluate("MathJax.startup.promise")
    # The browser's MathJax shows an undefined macro as red text (noundefined), so read what each
    # formula became: no TeX left over, a double-struck R from the preamble's macro, a fraction
    # inside \qty's ( ).
    mathml = page.eval_on_selector_all(".math-inline mjx-assistive-mml", "els => els.map(e => e.innerHTML)")
    assert len(mathml) == 2 and not any("\\" in m or "merror" in m for m in mathml), mathml
    assert "double-struck" in mathml[0] and "<mfrac>" in mathml[1] and "(" in mathml[1]
