"""Distill tags: fixture pairs plus citation numbering, footnote numbering and <d-code> dedent."""

from __future__ import annotations

import pytest

from explainer.posts.distill import dedent_block, tag_attrs
from tests.posts.fixtures.harness import cases, check_case, render


@pytest.mark.parametrize("case", cases("distill"), ids=lambda p: p.stem)
def test_fixture(case):
    check_case(case)


def test_citations_are_numbered_by_first_appearance_and_reused():
    html, page, diag = render('<d-cite key="hinton2006"></d-cite> <d-cite key="kingma2014,hinton2006">'
                             '</d-cite> <d-cite key="kingma2014"></d-cite>\n')
    assert page.citations == ["hinton2006", "kingma2014"]
    assert html.count('href="#ref-hinton2006">1<') == 2 and html.count('href="#ref-kingma2014">2<') == 2
    assert not diag.items


def test_citation_markup_follows_the_site_convention():
    html, _, _ = render('<d-cite key="gregor2015draw,kingma2014"></d-cite>\n')
    assert html == (
        '<p><span class="citation">[<a class="cite-link" href="#ref-gregor2015draw">1</a>, '
        '<a class="cite-link" href="#ref-kingma2014">2</a>]<span class="hover-card" role="tooltip">'
        '<span class="hover-card-item">Gregor et al. <em>DRAW</em>. 2015.</span>'
        '<span class="hover-card-item">Kingma et al. <em>Auto-Encoding Variational Bayes</em>.</span>'
        '</span></span></p>\n')


def test_unknown_key_warns_with_line_and_renders_question_mark():
    html, page, diag = render("a\n\nSee <d-cite key=\"nope\"></d-cite>.\n", body_line=5)
    assert "[?]" in html and page.citations == []
    (warning,) = diag.warnings
    assert warning.line == 7 and '"nope"' in warning.message and ".bib" in warning.message


def test_no_bibliography_warns_per_citation():
    _, page, diag = render('<d-cite key="a"></d-cite> and <d-cite key="b"></d-cite>\n', references=None,
                          path="content/posts/2024-01-01-x.md")
    assert len(diag.warnings) == 2 and page.citations == []
    assert "bibliography: 2024-01-01-x.bib" in diag.warnings[0].message


def test_footnotes_of_both_kinds_number_in_reading_order():
    body = ("One<d-footnote>d1</d-footnote> two[^m] three<d-footnote>d2 with[^m]</d-footnote>.\n\n"
            "[^m]: markdown\n")
    html, page, _ = render(body)
    assert [(f.number, f.html) for f in page.footnotes] == [
        (1, "d1"), (2, "markdown"),
        (3, 'd2 with<sup class="footnote-ref"><a class="footnote-link" href="#fn-2" id="fnref-2-2">2</a>'
            '<span class="hover-card" role="tooltip">markdown</span></sup>')]
    assert html.startswith('<p>One<sup class="footnote-ref"><a class="footnote-link" href="#fn-1" '
                           'id="fnref-1">1</a><span class="hover-card" role="tooltip">d1</span></sup>')


def test_nested_footnote_gets_the_next_number():
    _, page, _ = render("A[^outer].\n\n[^outer]: outer<d-footnote>inner</d-footnote>\n")
    assert [f.number for f in page.footnotes] == [1, 2]
    assert 'href="#fn-2"' in page.footnotes[0].html


def test_tags_in_code_spans_stay_literal():
    html, page, _ = render('`<d-cite key="a"></d-cite>` `<d-footnote>x</d-footnote>` '
                          '`<d-code language="html">let x = 10;</d-code>`\n')
    assert page.footnotes == [] and page.citations == []
    assert '<code>&lt;d-code language=&quot;html&quot;&gt;let x = 10;&lt;/d-code&gt;</code>' in html


def test_dedent_drops_blank_edges_and_common_indent():
    assert dedent_block("\n\n    a\n\n      b\n    c\n  \n") == "a\n\n  b\nc"


def test_d_code_block_keeps_blank_lines_inside():
    html, _, _ = render('<d-code block language="python">\n  x = 1\n\n  y = 2\n</d-code>\n\nAfter.\n')
    assert html.count('class="code-block"') == 1 and "\n\n" in html and html.endswith("<p>After.</p>\n")


def test_tag_attrs():
    assert tag_attrs('block language="js" key=\'a,b\' x=y') == {
        "block": "", "language": "js", "key": "a,b", "x": "y"}
