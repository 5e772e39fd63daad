"""posts/math_links.py: an \\eqref in SVG math becomes one keyboard-reachable HTML link."""

from explainer.posts.math_links import accessible_math_links

ONE = ('<span class="math-inline"><mjx-container class="MathJax" jax="SVG"><svg aria-hidden="true">'
       '<a href="#mjx-eqn%3Aa"><g><use/></g></a></svg><mjx-assistive-mml><math><mrow><mtext>(1)</mtext>'
       '</mrow></math></mjx-assistive-mml></mjx-container></span>')


def test_one_link_wraps_the_formula():
    out = accessible_math_links(ONE)
    assert out.count("<a ") == 1 and '<a class="math-ref" href="#mjx-eqn%3Aa" aria-label="Equation (1)">' in out
    assert '<g class="math-ref-target">' in out and out.endswith("</a></span>")


def test_several_links_leave_the_tab_order():
    two = ONE.replace("</svg>", '<a href="#b"><g/></a></svg>')
    assert accessible_math_links(two).count('tabindex="-1"') == 2


def test_formulas_without_links_are_untouched():
    plain = ONE.replace('<a href="#mjx-eqn%3Aa">', "").replace("</a>", "")
    assert accessible_math_links(plain) == plain
