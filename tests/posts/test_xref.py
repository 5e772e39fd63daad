"""Cross-references and numbered figures/tables: fixture pairs, plus the rules that decide what fires."""

from __future__ import annotations

import pytest

from tests.posts.fixtures.harness import cases, check_case, render


@pytest.mark.parametrize("case", cases("xref"), ids=lambda p: p.stem)
def test_fixture(case):
    check_case(case)


def test_unknown_ids_are_errors_with_line_and_suggestion():
    _, _, diag = render("![Cat](c.png){#fig:photo}\n\nSee\n@fig:phot here.\n", body_line=5)
    [error] = diag.errors
    assert (error.line, error.col) == (8, 1)
    assert "unknown cross-reference `@fig:phot`; did you mean `@fig:photo`?" in error.message


def test_wrong_kind_names_the_right_prefix():
    _, _, diag = render("![Cat](c.png){#fig:photo}\n\n@tbl:photo\n")
    assert "write `@fig:photo`" in diag.errors[0].message


def test_forward_reference_and_figure_block_caption():
    body = ("See @fig:recon.\n\n```figure\nid: recon\nview: reconstructions\n"
            "experiment: {model: ae, latent_dim: 2}\ncaption: Digits; compare @fig:recon.\n```\n")
    html, page, diag = render(body)
    assert not diag.items
    assert 'href="#recon">Figure&nbsp;1</a>' in html
    caption = page.figures[0].caption_html
    assert caption.startswith('<span class="float-label">Figure&nbsp;1:</span> Digits')
    assert 'href="#recon"' in caption and "\x02" not in caption


def test_pages_without_references_render_as_before():
    body = "Text with an address a@b.org.\n\n<figure><img src=a.png alt=''></figure>\n"
    html, _, diag = render(body)
    assert "xref" not in html and "float-label" not in html and not diag.items
