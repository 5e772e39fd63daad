"""Math rendering: build-time MathJax SVG (numbering, references, errors, cache) and client mode."""

from __future__ import annotations

import re

import pytest

from explainer.base.errors import Diagnostics
from explainer.posts import mathjax_engine as mj
from explainer.posts.math import PageMath, math_assets, math_head, render_page_math
from explainer.posts.parsed import MathItem


@pytest.fixture(scope="module", autouse=True)
def engine():
    """One V8 context for the whole module (start-up is ~0.15 s), closed at the end."""
    yield mj.shared_engine()
    mj.close_engine()


def render(items, macros=None, mode="svg", cache_dir=None, path="post.md"):
    diag = Diagnostics()
    page = render_page_math(items, mode=mode, macros=macros or {}, path=path, diag=diag,
                            cache_dir=cache_dir)
    return page, diag


def eq_numbers(html: str) -> list[str]:
    """Equation numbers and \\eqref texts, read from the assistive MathML."""
    return re.findall(r"<mtext>\(([^)<]*)\)</mtext>", html)


NUMBERED = r"\begin{equation}a = b \label{eq:%s}\end{equation}"


def test_empty_page_has_no_math():
    assert render([])[0] == PageMath([], "")


def test_each_formula_is_one_element_with_page_defs():
    page, diag = render([MathItem(r"\mathbf{x}", False, 3), MathItem(r"\frac{a}{b}", True, 5)])
    assert not diag.items
    inline, display = page.html
    assert inline.startswith('<span class="math-inline"><mjx-container') and inline.endswith("</span>")
    assert display.startswith('<div class="math-display"><mjx-container') and display.endswith("</div>")
    assert inline.count("<span") == inline.count("</span>") == 1
    # Glyphs are shared: formulas only <use> them; the page's one hidden <defs> holds the paths.
    assert "<path" not in inline and 'xlink:href="#MJX-' in inline
    assert page.defs.startswith('<svg class="math-defs" style="display: none"') and page.defs.count("<defs>") == 1
    for ref in re.findall(r'xlink:href="#([^"]+)"', inline + display):
        assert f'id="{ref}"' in page.defs


def test_svg_output_follows_theme_is_accessible_and_static():
    page, _ = render([MathItem(r"\sum_i x_i^2", False, 1), MathItem(r"\int_0^1 f", True, 2)])
    text = "".join(page.html) + page.defs
    assert "<script" not in text and "@font-face" not in text
    assert not re.search(r"\.(woff2?|otf|ttf)\b", text)
    assert 'fill="currentColor"' in text and not re.search(r'fill="(#|rgb|black)', text)
    for html in page.html:  # screen readers get MathML; the SVG itself is hidden from them
        assert "<mjx-assistive-mml" in html and "<math" in html and 'aria-hidden="true"' in html


def test_eqref_resolves_backward_and_forward():
    items = [MathItem(r"\text{see }\eqref{eq:late}", False, 1),
             MathItem(NUMBERED % "first", True, 2),
             MathItem(r"\eqref{eq:first}, \eqref{eq:late}", False, 3),
             MathItem(r"\begin{align} x &= 1 \\ y &= 2 \label{eq:late} \end{align}", True, 4)]
    page, diag = render(items)
    assert not diag.items
    assert eq_numbers(page.html[0]) == ["3"]
    assert eq_numbers(page.html[1]) == ["1"]
    assert eq_numbers(page.html[2]) == ["1", "3"]
    assert eq_numbers(page.html[3]) == ["2", "3"]
    assert 'href="#mjx-eqn%3Aeq%3Alate"' in page.html[0] and 'id="mjx-eqn:eq:late"' in page.html[3]
    assert "???" not in "".join(page.html)


def test_numbering_and_labels_restart_on_each_page():
    first, _ = render([MathItem(NUMBERED % "a", True, 1), MathItem(NUMBERED % "b", True, 2)])
    assert eq_numbers(first.html[1]) == ["2"]
    second, diag = render([MathItem(NUMBERED % "b", True, 1), MathItem(r"\eqref{eq:a}", False, 2)],
                          path="other.md")
    assert eq_numbers(second.html[0]) == ["1"]  # not 3, and eq:b is no duplicate
    assert eq_numbers(second.html[1]) == ["???"]  # eq:a lives on the first page only
    [warning] = diag.items
    assert warning.severity == "warning" and warning.line == 2 and "eq:a" in warning.message


def test_tex_errors_are_warnings_that_point_at_the_source_and_all_are_listed():
    """al-folio publishes a formula MathJax cannot typeset (in red): so do we, with a warning;
    `--strict` makes it stop the build."""
    items = [MathItem(r"\frac{a}", False, 12, 7), MathItem(r"x^2", False, 13, 1),
             MathItem(r"\undefinedmacro + 1", True, 20, 1)]
    page, diag = render(items, path="content/posts/2024-01-01-x.md")
    assert not diag.errors and [str(d) for d in diag.warnings] == [
        "content/posts/2024-01-01-x.md:12:7: warning: TeX error in `\\frac{a}`: "
        "Missing argument for \\frac (MathJax MissingArgFor)",
        "content/posts/2024-01-01-x.md:20:1: warning: TeX error in `\\undefinedmacro + 1`: "
        "Undefined control sequence \\undefinedmacro (MathJax UndefinedControlSequence)",
    ]
    assert page.html[0] == ('<span class="math-inline math-error" title="TeX error: Missing argument '
                            'for \\frac">\\frac{a}</span>')
    assert "<mjx-container" in page.html[1]
    assert page.html[2].startswith('<span class="math-inline math-error"')


def test_error_markup_escapes_tex():
    page, _ = render([MathItem(r"a < b \bad{<script>}", False, 1)])
    assert "<script>" not in page.html[0] and "&lt;script&gt;" in page.html[0]


def test_engine_raises_tex_errors_with_mathjax_message():
    with pytest.raises(mj.TexError, match=r"EnvMissingEnd: Missing \\end\{aligned\}"):
        mj.shared_engine().tex2svg(r"\begin{aligned} a")


def test_macros_from_config_and_newcommand_do_not_leak_between_pages():
    macros = {"R": r"\mathbb{R}", "norm": r"\left\lVert #1 \right\rVert"}
    page, diag = render([MathItem(r"\newcommand{\E}{\mathbb{E}}\R^n", False, 1),
                         MathItem(r"\E[\norm{x}]", False, 2)], macros=macros)
    assert not diag.items
    assert "211D" in page.html[0] and "2016" in page.html[1]  # ℝ, and ‖ from \lVert
    _, diag = render([MathItem(r"\E", False, 4)])
    assert "Undefined control sequence \\E" in diag.warnings[0].message


def test_bad_macro_is_reported_with_its_name():
    _, diag = render([MathItem("x", False, 1)], macros={"broken": r"\frac{"})
    assert "math macro `\\broken`" in diag.errors[0].message


def test_same_input_gives_identical_bytes():
    items = [MathItem(NUMBERED % "x", True, 1), MathItem(r"\eqref{eq:x} + \alpha", False, 2)]
    once = render(items)[0]
    render([MathItem(r"\beta \gamma \newcommand{\q}{q}", False, 1)])  # another page in between
    assert render(items)[0] == once


def test_cache_hit_starts_no_engine(tmp_path, monkeypatch):
    items = [MathItem(r"\eqref{eq:z}", False, 1), MathItem(NUMBERED % "z", True, 2)]
    cold, _ = render(items, cache_dir=tmp_path, macros={"R": r"\mathbb{R}"})
    mj.close_engine()

    def no_engine():
        raise AssertionError("a cache hit must not start V8")
    monkeypatch.setattr(mj, "MathJaxEngine", no_engine)
    warm, diag = render(items, cache_dir=tmp_path, macros={"R": r"\mathbb{R}"})
    assert warm == cold and not diag.items
    assert not list(tmp_path.rglob(".tmp-*"))  # writes are atomic: no temporary files remain
    with pytest.raises(AssertionError):  # a different page (macros are part of the key) misses
        render(items, cache_dir=tmp_path, macros={"R": r"\mathbf{R}"})


def test_cache_key_follows_numbering(tmp_path):
    """Inserting an equation renumbers the next one: the page must not be served from cache."""
    later = MathItem(NUMBERED % "later", True, 5)
    one, _ = render([later], cache_dir=tmp_path)
    two, _ = render([MathItem(NUMBERED % "new", True, 2), later], cache_dir=tmp_path)
    assert eq_numbers(one.html[0]) == ["1"] and eq_numbers(two.html[1]) == ["2"]


def test_cached_pages_replay_their_warnings_and_errors_are_not_cached(tmp_path):
    items = [MathItem(r"\eqref{eq:nowhere}", False, 9), MathItem(r"\frac", False, 10)]
    for _ in range(2):
        _, diag = render(items, cache_dir=tmp_path)
        assert [d.line for d in diag.warnings] == [10, 9]
    _, diag = render([MathItem("x", False, 1)], cache_dir=tmp_path, macros={"broken": r"\frac{"})
    assert diag.errors and len(list(tmp_path.rglob("*.json"))) == 1


def test_corrupt_cache_entry_is_rendered_again(tmp_path):
    items = [MathItem("x+y", False, 1)]
    first, _ = render(items, cache_dir=tmp_path)
    [entry] = tmp_path.rglob("*.json")
    entry.write_text("{not json")
    assert render(items, cache_dir=tmp_path)[0] == first


def test_client_mode_leaves_escaped_tex_for_the_browser(monkeypatch):
    monkeypatch.setattr(mj, "MathJaxEngine", None)  # client mode never needs V8
    mj.close_engine()
    items = [MathItem(r"a < b", False, 1), MathItem(NUMBERED % "c", True, 2)]
    page, diag = render(items, mode="client", macros={"R": r"\mathbb{R}"})
    assert page.defs == "" and not diag.items
    assert page.html[0] == ('<span class="math-inline">\\(\\newcommand{\\R}{\\mathbb{R}}\\)'
                            '\\(a &lt; b\\)</span>')
    assert page.html[1] == '<div class="math-display">\\[' + NUMBERED % "c" + "\\]</div>"
    assert render(items[:1], mode="client")[0].html == ['<span class="math-inline">\\(a &lt; b\\)</span>']


def test_client_assets_and_head():
    assets = math_assets("client")
    script = assets["assets/math/mathjax/tex-svg-full.js"]
    assert script == (mj.es5_dir() / "tex-svg-full.js").read_bytes()
    assert sum(map(len, assets.values())) < 3_000_000  # one component, not the 35 MB package
    head = math_head("client", lambda p: "../../" + p)
    assert '<script defer src="../../assets/math/mathjax/tex-svg-full.js"></script>' in head
    assert '"tags": "ams"' in head and '"processEscapes": true' in head
    assert '["$", "$"]' in head and '["\\\\(", "\\\\)"]' in head
    assert "http" not in head


def test_svg_assets_and_head():
    assets = math_assets("svg")
    assert list(assets) == ["assets/math/mathjax-svg.css"]
    assert math_head("svg", lambda p: p) == '<link rel="stylesheet" href="assets/math/mathjax-svg.css">'


def test_stylesheet_covers_mathjax_rules():
    """Our static CSS stands in for MathJax's generated sheet; a MathJax upgrade that adds rules fails here."""
    ours = math_assets("svg")["assets/math/mathjax-svg.css"].decode()
    interactive = ("mjx-tool", "mjx-tip", "mjx-status", "maction")  # need MathJax's JS; not emitted
    for rule in re.findall(r"([^{}]+)\{", mj.shared_engine().stylesheet()):
        for selector in (s.strip() for s in rule.split(",")):
            if selector and not any(word in selector for word in interactive):
                assert selector in ours, selector



def test_forked_worker_starts_its_own_engine(monkeypatch):
    """A V8 context does not survive fork(): a worker must not reuse (or close) its parent's."""
    parent = mj.shared_engine()
    monkeypatch.setattr(mj.os, "getpid", lambda: -1)
    child = mj.shared_engine()
    assert child is not parent and mj.engine_running()
    mj.close_engine()
    monkeypatch.undo()
    assert not mj.engine_running()
    assert "<svg" in parent.tex2svg("x")  # the parent's context was left alone
    parent.close()
