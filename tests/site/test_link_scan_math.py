"""The link scan cuts typeset math out by substring search: it never tokenises the SVG."""

from __future__ import annotations

from explainer.site.link_scan import scan_html

FORMULA = ('<mjx-container class="MathJax" jax="SVG"><svg><g data-mml-node="mi"><use xlink:href="#MJX-1"/>'
           '</g><img src="never-made-by-mathjax.png"></svg><mjx-assistive-mml><math><mi>x</mi></math>'
           "</mjx-assistive-mml></mjx-container>")
DEFS = '<svg class="math-defs" style="display: none"><defs><path id="MJX-1" d="M0 0"></path></defs></svg>'


def test_math_without_ids_or_links_adds_nothing_and_is_not_tokenised():
    page = f'<p id="p">{FORMULA} and {FORMULA}</p>{DEFS}<img src="cat.png" alt="A cat">'
    scan = scan_html(page)
    # The <img> inside the formula is not seen: the formula was skipped, not parsed.
    assert scan.images == [("cat.png", "A cat")]
    assert scan.ids == {"p"} and scan.links == []


def test_several_formulas_and_defs_in_any_order():
    eq = FORMULA.replace("<svg>", '<svg><g id="mjx-eqn:e"></g><a href="#mjx-eqn%3Ae"></a>')
    page = f'{DEFS}<a href="/a/">a</a>{FORMULA}<h2 id="h">x</h2>{eq}{DEFS}<a href="/b/">b</a>'
    scan = scan_html(page)
    assert scan.ids == {"h", "mjx-eqn:e"}
    assert sorted(scan.links) == ["#mjx-eqn%3Ae", "/a/", "/b/"]  # math links come first


def test_unclosed_formula_is_left_to_the_tag_scan():
    scan = scan_html('<p><mjx-container><a href="/in/">x</a> <a href="/out/">y</a>')
    assert scan.links == ["/in/", "/out/"]
