"""Table of contents: front-matter entries matched to real headings, or built from h2/h3."""

from __future__ import annotations

import pytest

from explainer.base.config import TocEntry
from explainer.base.errors import Diagnostics
from explainer.posts.parsed import Heading
from explainer.posts.toc import build_toc, slug_id
from tests.fixtures.alfolio_drafts import drafts


def headings(*specs):
    """("## Title", "id") pairs or "## Title" strings -> Heading records on successive lines."""
    out = []
    for line, spec in enumerate(specs, 1):
        text, hid = spec if isinstance(spec, tuple) else (spec, None)
        hashes, _, title = text.partition(" ")
        out.append(Heading(len(hashes), title, hid or slug_id(title), line))
    return out


def flat(items):
    return [(i.id, i.text, flat(i.children)) for i in items]


@pytest.mark.parametrize("text, slug", [
    ("Other Typography?", "other-typography"),
    ("Don't & Do", "dont--do"),
    ("The Standard Autoencoder", "the-standard-autoencoder"),
    ("  Mixed_Case 2.0  ", "mixed_case-20"),
    ("Über α-VAE", "über-α-vae"),
])
def test_slug_id_matches_github(text, slug):
    assert slug_id(text) == slug


def test_entries_match_headings_by_id_or_text():
    hs = headings("## Other Typography?", ("## Don't & Do", "custom-id"), "## Code Blocks", "### Details")
    toc = (TocEntry("Other Typography?"), TocEntry("don't & do"),
           TocEntry("Code Blocks", (TocEntry("Details"),)))
    diag = Diagnostics()
    items = build_toc(toc, hs, "post.md", diag)
    assert flat(items) == [("other-typography", "Other Typography?", []),
                           ("custom-id", "don't & do", []),
                           ("code-blocks", "Code Blocks", [("details", "Details", [])])]
    assert not diag.items


def test_slugged_names_match_even_when_worded_differently():
    hs = headings("## Other Typography?")
    items = build_toc((TocEntry("other typography"),), hs, "post.md", Diagnostics())
    assert flat(items) == [("other-typography", "other typography", [])]


def test_missing_entries_are_warned_and_dropped():
    hs = headings("## Introduction", "## Citations", "## Footnotes")
    toc = (TocEntry("Equations"), TocEntry("Citation"), TocEntry("Footnotes"))
    diag = Diagnostics()
    items = build_toc(toc, hs, "post.md", diag, toc_line=9)
    assert [i.id for i in items] == ["footnotes"]
    first, second = diag.warnings
    assert first.line == 9 and first.path == "post.md" and '"Equations"' in first.message
    assert '"Introduction", "Citations", "Footnotes"' in first.message
    assert 'did you mean "Citations"' in second.message
    assert not diag.errors


def test_subsections_of_a_missing_entry_move_up():
    hs = headings("## Intro", "### Details")
    items = build_toc((TocEntry("Gone", (TocEntry("Details"),)),), hs, "p.md", Diagnostics())
    assert flat(items) == [("details", "Details", [])]


def test_every_link_hits_a_heading():
    hs = headings("## A", "### B", "## C")
    toc = (TocEntry("A", (TocEntry("B"), TocEntry("X"))), TocEntry("Y"), TocEntry("C"))
    ids = {h.id for h in hs}

    def walk(items):
        for i in items:
            yield i.id
            yield from walk(i.children)
    assert set(walk(build_toc(toc, hs, "p.md", Diagnostics()))) <= ids


def test_auto_toc_from_h2_and_h3():
    hs = headings("# N", "### Early", "## One", "### One.a", "### One.b", "#### deep", "## Two", "## ")
    items = build_toc((), hs, "p.md", Diagnostics())
    assert flat(items) == [("early", "Early", []),
                           ("one", "One", [("onea", "One.a", []), ("oneb", "One.b", [])]),
                           ("two", "Two", [])]


def test_no_entry_matching_falls_back_to_headings():
    hs = headings("## Real")
    diag = Diagnostics()
    items = build_toc((TocEntry("Imagined"),), hs, "p.md", diag, toc_line=3)
    assert flat(items) == [("real", "Real", [])]
    assert len(diag.warnings) == 2 and "instead" in diag.warnings[1].message


@pytest.mark.parametrize("draft", drafts(), ids=lambda d: d.name)
def test_draft_toc_keeps_what_exists_and_names_what_does_not(draft):
    from explainer.base.config import parse_post_meta  # noqa: F401  (the real reader, below)
    from explainer.posts.read import read_post
    post = read_post(draft.md.resolve(), Diagnostics())
    hs = headings(*[line for line in post.body.splitlines() if line.startswith("#") and " " in line])
    diag = Diagnostics()
    items = build_toc(post.meta.toc, hs, draft.md, diag, toc_line=post.key_line("toc"))
    assert [i.id for i in items] == draft.toc_ids
    assert [w.message.split('"')[1] for w in diag.warnings] == draft.missing_toc
