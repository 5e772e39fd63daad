"""al-folio's `toc:` as al-folio renders it: entries link to `#` + Jekyll's slugify of the name, and
an item without `name:` still shows its subsections. Heading ids are kramdown's (GFM parser)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from explainer.base.config import parse_toc
from explainer.base.errors import Diagnostics
from explainer.posts.toc import build_toc, jekyll_slugify, slug_id

from .fixtures.harness import render


def toc_of(front_matter: str, body: str):
    """-> (the TOC as indented `id text` lines, diagnostics)."""
    diag = Diagnostics()
    entries = parse_toc(yaml.safe_load(front_matter)["toc"], diag, Path("post.md"), 3)
    _, page, _ = render(body)
    items = build_toc(entries, page.headings, Path("post.md"), diag, toc_line=3)

    def lines(items, depth=0):
        for item in items:
            yield "  " * depth + f"{item.id} {item.text}"
            yield from lines(item.children, depth + 1)
    return list(lines(items)), diag


@pytest.mark.parametrize("text, kramdown_id", [
    ("Case 1-1: Deterministic Minimization", "case-1-1-deterministic-minimization"),
    ("Don't & Do", "dont--do"),
    ("Step 2 -- the loss", "step-2--the-loss"),  # kramdown reads `--` as an en dash, then drops it
    ("Über straße", "über-straße"),
    ("snake_case names", "snake_case-names"),
    ("Two\tcolumns", "two-columns"),
    ("Why? (and how)", "why-and-how"),
])
def test_heading_ids_are_kramdown_gfm_ids(text, kramdown_id):
    assert slug_id(text) == kramdown_id
    _, page, _ = render(f"## {text}\n")
    assert page.headings[0].id == kramdown_id


@pytest.mark.parametrize("name, slug", [
    ("Case 1-1 - Deterministic Minimization", "case-1-1-deterministic-minimization"),
    ("Don't & Do", "don-t-do"),
    ("  Trailing?! ", "trailing"),
    ("snake_case", "snake-case"),
    ("Über", "über"),
])
def test_jekyll_slugify_default_mode(name, slug):
    assert jekyll_slugify(name) == slug


def test_entry_matches_heading_by_the_link_al_folio_builds():
    fm = "toc:\n  - name: Case 1-1 - Deterministic Minimization\n"
    toc, diag = toc_of(fm, "## Case 1-1: Deterministic Minimization\n\nText.\n")
    assert toc == ["case-1-1-deterministic-minimization Case 1-1 - Deterministic Minimization"]
    assert not diag.items


def test_entry_still_matches_by_kramdown_id_and_by_text():
    fm = "toc:\n  - name: Don't & Do\n  - name: the loss\n"
    toc, diag = toc_of(fm, "## Don't & Do\n\n## The Loss\n")
    assert toc == ["dont--do Don't & Do", "the-loss the loss"] and not diag.items


def test_item_without_name_shows_its_subsections_under_the_entry_before():
    # the common mis-indent: `subsections:` written as an item of its own
    fm = ("toc:\n  - name: Methods\n  - subsections:\n      - name: Data\n      - name: Model\n"
          "  - name: Results\n")
    toc, diag = toc_of(fm, "## Methods\n\n### Data\n\n### Model\n\n## Results\n")
    assert toc == ["methods Methods", "  data Data", "  model Model", "results Results"]
    [warning] = diag.items
    assert warning.severity == "warning" and warning.line == 3 and "no `name:`" in warning.message


def test_nameless_first_item_keeps_its_subsections_at_the_top():
    toc, diag = toc_of("toc:\n  - subsections:\n      - name: Data\n", "## Data\n")
    assert toc == ["data Data"] and [d.severity for d in diag.items] == ["warning"]


def test_item_without_name_or_subsections_is_a_warning_not_an_error():
    toc, diag = toc_of("toc:\n  - title: Oops\n  - name: Data\n", "## Data\n")
    assert toc == ["data Data"] and not diag.errors and "left out" in diag.warnings[0].message


def test_entry_finds_a_heading_that_starts_with_an_emoji():
    # kramdown's id is `-overview`, so al-folio's `#overview` link is dead; here the entry still leads there
    toc, diag = toc_of("toc:\n  - name: Overview\n", "## 🧭 Overview\n\nText.\n")
    assert toc == ["-overview Overview"] and not diag.items


def test_entries_reach_headings_written_as_html_with_an_id():
    diag = Diagnostics()
    body = '<h2 id="introduction"> 1. Introduction </h2>\n\n<h3 id="q-a"> Questions </h3>\n\n## Idea\n'
    entries = parse_toc(yaml.safe_load("toc:\n  - name: Introduction\n    subsections:\n"
                                       "      - name: Q&A\n  - name: Idea\n")["toc"], diag, Path("p.md"), 3)
    html, page, _ = render(body)
    items = build_toc(entries, page.headings, Path("p.md"), diag, 3, body_html=html)
    assert [(i.id, i.text, [c.id for c in i.children]) for i in items] == [
        ("introduction", "Introduction", ["q-a"]), ("idea", "Idea", [])]
    assert not diag.items


def test_item_with_an_empty_name_is_left_out_with_a_warning():
    toc, diag = toc_of("toc:\n  - name: Data\n  - name:\n", "## Data\n")
    assert toc == ["data Data"] and "empty `name:`" in diag.warnings[0].message and not diag.errors
