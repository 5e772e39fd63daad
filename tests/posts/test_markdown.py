"""Fixture pairs for the parser as a whole, plus targeted tests of headings, footnotes, code,
typography, speed, and the al-folio draft in /work/shared/fixtures."""

from __future__ import annotations

import time

import pytest

from explainer.posts.highlight import highlight, relative_luminance, stylesheet
from explainer.posts.markdown import make_parser
from tests.fixtures.alfolio_drafts import drafts
from tests.posts.fixtures.harness import FIXTURES, cases, check_case, render


@pytest.mark.parametrize("case", cases("markdown"), ids=lambda p: p.stem)
def test_fixture(case):
    check_case(case)


def test_parser_is_built_once():
    assert make_parser() is make_parser()


def test_heading_ids_are_unique_and_recorded_with_lines():
    html, page, _ = render("# A\n\n## Other Typography?\n\ntext\n\n## Other Typography?\n\nx\n",
                          body_line=10)
    assert '<h2 id="other-typography">' in html and 'id="other-typography-1"' in html
    assert [(h.level, h.id, h.line) for h in page.headings] == [
        (1, "a", 10), (2, "other-typography", 12), (2, "other-typography-1", 16)]


def test_footnotes_share_one_sequence_and_no_mdit_list_is_left():
    body = "A[^x] B<d-footnote>two</d-footnote> C[^y] D[^x]\n\n[^x]: one\n[^y]: three\n"
    html, page, _ = render(body)
    assert [(f.number, f.html) for f in page.footnotes] == [(1, "one"), (2, "two"), (3, "three")]
    assert 'id="fnref-1"' in html and 'id="fnref-1-2"' in html
    assert "footnotes-list" not in html and "footnote-item" not in html and "<hr" not in html


def test_raw_html_passes_through():
    html, _, _ = render('<div class="l-body-outset"><canvas id="c"></canvas></div>\n')
    assert html == '<div class="l-body-outset"><canvas id="c"></canvas></div>\n'


def test_unknown_language_is_plain_text_and_linenos_number_lines():
    assert "a &lt; b" in highlight("a < b", "not-a-language")
    numbered = highlight("x = 1\ny = 2\n", "python", linenos=True)
    assert numbered.count('<span class="linenos">') == 2


def _colors(css: str, selector_prefix: str) -> list[str]:
    import re
    # `.w` is whitespace: its colour never shows.
    return [c for line in css.splitlines() if line.lstrip().startswith(selector_prefix)
            and not line.lstrip().startswith(selector_prefix + ".w ")
            for c in re.findall(r"(?<!background-)color: (#[0-9a-fA-F]{3,6})", line)]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.mark.parametrize("prefix, background", [(".highlight", "#f8f8f8"),
                                                ('[data-theme="dark"] .highlight', "#0d1117")])
def test_stylesheet_colours_are_readable_in_both_themes(prefix, background):
    css = stylesheet()
    assert f"{prefix} {{ color:" in css and f"background: {background}" in css
    assert "@media (prefers-color-scheme: dark)" in css
    colors = _colors(css, prefix + " ")
    assert len(colors) > 20
    worst = min(colors, key=lambda c: _contrast(c, background))
    assert _contrast(worst, background) >= 4.5, worst


def test_render_speed_of_the_fixture_posts():
    """The whole site budget is 10 ms a page; parsing must take a small part of it."""
    bodies = [p.read_text() for p in sorted(FIXTURES.glob("*/*.md"))]
    render(bodies[0])
    start = time.perf_counter()
    for body in bodies:
        render(body)
    per_page = (time.perf_counter() - start) / len(bodies)
    assert per_page < 0.02, f"{per_page * 1000:.1f} ms per fixture"


def test_odd_input_renders_and_every_problem_has_a_line():
    odd = ["$", "$$", "\\", "\\[", "\\begin{equation}", "<d-cite", "<d-footnote>", "<d-code block>",
           "{%", "{% highlight", "{{", "[^", "[^1]:", "```plotly", "```plotly\n", "#", "{#}",
           "<d-cite key=\"a\">", "$$\n\n$$", "\\(", "{% details %}", "x\n{% enddetails %}",
           "<d-code block language=\"x\">\nunclosed", "{% include figure.liquid %}", "[^1]: x",
           "<d-footnote></d-footnote>", "$$$$", "\\eqref{", "A[^a]\n\n[^a]: self[^a]",
           "<div>\n<d-footnote>x</d-footnote>\n</div>", "{{ '/x' | relative_url }}"]
    for body in odd + ["\n".join(odd)]:
        html, page, diag = render(body)
        lines = body.count("\n") + 1
        assert isinstance(html, str) and "<script" not in html, body
        assert all(isinstance(d.line, int) and 1 <= d.line <= lines for d in diag.items), (body, diag.items)
        assert all(1 <= m.line <= lines for m in page.math), body


# ---- al-folio drafts (ours, and the real one in ../shared when present) ---------------------------

@pytest.fixture(scope="module", params=drafts(), ids=lambda d: d.name)
def draft(request):
    from explainer.base.errors import Diagnostics
    from explainer.posts.read import read_post
    d = request.param
    post = read_post(d.md.resolve(), Diagnostics())
    return d, render(post.body, references=None, body_line=post.body_line, path=str(d.md))


def test_draft_renders_every_feature(draft):
    d, (html, page, diag) = draft
    assert not diag.errors
    displays = [m for m in page.math if m.display]
    assert len(displays) == d.displays and len(page.math) == d.formulas
    assert any(m.tex == d.display_tex for m in displays)
    if "inline_line" in d.extra:
        tex, line = d.extra["inline_line"]
        assert any(m.tex == tex and not m.display and m.line == line for m in page.math)
    assert "<p>\x02" not in html  # display math is never inside a paragraph
    assert '<span class="citation">[?]</span>' in html
    assert [f.html for f in page.footnotes] == d.footnotes
    assert "{% highlight" not in html and "{% endhighlight" not in html
    assert '<div class="code-block" data-lang="javascript">' in html
    for text, count in d.extra.get("html_counts", {}).items():
        assert html.count(text) == count, text
    if "last_heading" in d.extra:
        assert [h.id for h in page.headings][-1] == d.extra["last_heading"]


def test_draft_traps_are_warned_with_lines(draft):
    d, (_, _, diag) = draft
    by_line = {w.line: w.message for w in diag.warnings}
    for line, words in d.warning_lines.items():
        assert line in by_line, f"no warning at line {line}"
        assert all(word in by_line[line] for word in words), by_line[line]
    assert len(diag.warnings) == len(d.warning_lines)

