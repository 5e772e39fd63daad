"""What an al-folio author's distill posts use and what broke on first contact: kramdown IALs,
reference-style links, math and Distill tags in raw HTML, `markdown="1"`, inline `{% raw %}`,
al-folio's video include, and a display formula written inside a sentence."""

from __future__ import annotations

from explainer.base.config import TocEntry
from explainer.base.errors import Diagnostics
from explainer.posts.math import client_html
from explainer.posts.parsed import Heading, MathItem, placeholder
from explainer.posts.toc import build_toc
from tests.posts.fixtures.harness import render

M0, M1 = placeholder("math", 0), placeholder("math", 1)


# ---- reference-style links (markdown-it keeps them in its own env key, apart from our bibliography) ----

def test_reference_links_without_a_bibliography_do_not_crash():
    html, _, diag = render("[a link][Ref] and [1][] and [self].\n\n[ref]: https://a.org\n"
                           "[1]: https://b.org\n[self]: https://c.org\n", references=None)
    assert '<a href="https://a.org">a link</a>' in html and '<a href="https://b.org">1</a>' in html
    assert '<a href="https://c.org">self</a>' in html and not diag.items


def test_reference_links_do_not_leak_into_the_bibliography():
    refs = {}
    html, page, _ = render('[x][kingma] <d-cite key="kingma"></d-cite>\n\n[kingma]: https://a.org\n',
                          references=refs)
    assert '<a href="https://a.org">x</a>' in html and refs == {} and page.bibliography is refs


def test_footnote_in_raw_html_sees_the_pages_link_definitions():
    html, _, _ = render('<div><d-footnote>see [docs][d]</d-footnote></div>\n\n[d]: https://d.org\n')
    assert 'href="https://d.org"' in html


# ---- kramdown IALs ------------------------------------------------------------------------------

def test_block_ial_after_a_table_styles_it_instead_of_adding_a_row():
    html, _, _ = render("| a | b |\n|---|---|\n| 1 | 2 |\n{: .table .table-sm}\n\nnext\n")
    assert html.startswith('<table class="table table-sm">') and "{:" not in html
    assert html.count("<tr>") == 2


def test_block_ial_after_paragraph_heading_and_before_a_block():
    html, page, _ = render("Some text.\n{: .text-muted}\n\n## Appendix\n{:.no_toc}\n\n"
                          "{: #lead .x}\nLead.\n")
    assert '<p class="text-muted">Some text.</p>' in html
    assert '<h2 class="no_toc" id="appendix">' in html and '<p id="lead" class="x">Lead.</p>' in html
    assert "{:" not in html and page.headings[0].id == "appendix"


def test_span_ial_after_image_link_and_code():
    html, _, _ = render('![M](/a.jpg){: .img-fluid .rounded width="50%"} [l](/x){:target="_blank"} '
                        '`c`{:.language-py}\n')
    assert 'alt="M" class="img-fluid rounded" width="50%" />' in html
    assert 'target="_blank"' in html and '<code class="language-py">c</code>' in html
    assert "{:" not in html


def test_kramdown_extensions_are_not_ials_and_mid_text_braces_are_left_alone():
    html, _, _ = render("{::comment}\nx\n{:/comment}\n\ntext {: .x} mid\n")
    assert "comment" not in html and "x" not in html.replace("text {: .x} mid", "")  # kramdown_extensions.py
    assert "text {: .x} mid" in html


# ---- raw HTML: math, comments, markdown="1" ----------------------------------------------------------

def test_math_in_raw_html_is_typeset_inline_or_display():
    html, page, _ = render('<aside class="l-gutter">\n  <p>Note: $$q_\\phi$$ is <em>it</em>.</p>\n'
                          "  <p>$$x^2$$</p>\n</aside>\n")
    assert [(m.tex, m.display, m.line) for m in page.math] == [("q_\\phi", False, 2), ("x^2", True, 3)]
    assert f"Note: {M0} is" in html and f"<p>{M1}</p>" in html and "$$" not in html


def test_math_in_raw_html_skips_code_comments_prices_and_escapes():
    html, page, _ = render('<div class="caption">$5 and $10, \\$x\\$, <code>$a$</code>, \\(y\\)'
                          "<!-- $z$ --></div>\n")
    assert [m.tex for m in page.math] == ["y"]
    assert "<code>$a$</code>" in html and "<!-- $z$ -->" in html and "$5 and $10" in html


def test_figure_include_caption_math_and_alt_from_caption():
    html, page, _ = render('{% include figure.liquid path="a.jpg" caption="A <b>map</b> of $$x^2$$." %}\n')
    assert [(m.tex, m.display) for m in page.math] == [("x^2", False)]
    assert f"A <b>map</b> of {M0}." in html and 'alt="A map of $$x^2$$."' in html


def test_distill_and_liquid_tags_in_html_comments_are_ignored():
    html, page, diag = render('<!--\n<d-cite key="nope"></d-cite> {% include figure.liquid path="a.jpg" %}\n'
                             '-->\n<div><d-cite key="kingma2014"></d-cite></div>\n')
    assert not diag.items and page.citations == ["kingma2014"]
    assert '<d-cite key="nope">' in html and '{% include figure.liquid path="a.jpg" %}' in html


def test_markdown_attribute_parses_the_inside_as_markdown():
    html, page, _ = render('<div class="box-note" markdown="1">\n**Takeaway:** tight iff $$q = p$$.\n'
                          '</div>\n\n<div markdown="1">unclosed *x*\n')
    assert html.startswith(f'<div class="box-note">\n<p><strong>Takeaway:</strong> tight iff {M0}.</p>\n</div>')
    assert '<div markdown="1">unclosed *x*' in html


# ---- math blocks and display inside a sentence ---------------------------------------------------

def test_display_dollars_may_hold_blank_lines_when_they_stand_alone():
    html, page, diag = render("$$\n\\begin{aligned}\na &= b \\\\\n\nc &= d\n\\end{aligned}\n$$\n\nAfter.\n")
    assert len(page.math) == 1 and page.math[0].display and "\n\nc &= d" in page.math[0].tex
    assert html == f"{M0}\n<p>After.</p>\n" and not diag.items


def test_display_written_inside_a_paragraph_is_a_block_span():
    inside, alone = MathItem("x", True, 1, 12), MathItem("y", True, 3, None)
    assert client_html([inside, alone], {}) == [
        '<span class="math-display">\\[x\\]</span>', '<div class="math-display">\\[y\\]</div>']


# ---- Liquid ----------------------------------------------------------------------------------------

def test_inline_raw_is_still_markdown_without_liquid():
    html, _, diag = render("A {% raw %}`{{ site.title }}` *em* {% include x %}{% endraw %} B\n")
    assert html == "<p>A <code>{{ site.title }}</code> <em>em</em> {% include x %} B</p>\n"
    assert not diag.items


def test_video_include_renders_a_video_or_a_player():
    html, _, diag = render('{% include video.liquid path="assets/video/a.mp4" class="img-fluid" '
                           'controls=true autoplay=false %}\n\n'
                           '{% include video.liquid path="https://www.youtube.com/embed/x" %}\n')
    assert ('<figure><video src="/base/assets/video/a.mp4" class="img-fluid" controls '
            'preload="metadata"></video></figure>') in html
    assert '<iframe src="https://www.youtube.com/embed/x"' in html and not diag.items


def test_unknown_liquid_tags_still_warn():
    html, _, diag = render("{% youtube abc123 %}\n")
    assert "{% youtube" in html and "youtube" in diag.warnings[0].message


# ---- table of contents -------------------------------------------------------------------------------

def test_toc_name_with_code_marks_shows_the_heading_text():
    headings = [Heading(2, "torch.compile & friends", "torchcompile--friends", 3)]
    items = build_toc((TocEntry("`torch.compile` & friends"),), headings, "p.md", Diagnostics())
    assert [(i.id, i.text) for i in items] == [("torchcompile--friends", "torch.compile & friends")]
