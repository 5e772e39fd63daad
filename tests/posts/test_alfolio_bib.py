"""BibTeX that Distill (al-folio's bibliography) accepts and pybtex rejects: fixture pairs.

Each `fixtures/alfolio_bib/NAME.bib` is rendered to `NAME.expected`: per entry its key, authors and
reference HTML, then every diagnostic. None of these is an error: Distill shows such entries, so
the build goes on with a warning. Regenerate with `UPDATE_FIXTURES=1` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from explainer.base.errors import Diagnostics
from explainer.posts.bib_names import display_names, written_names
from explainer.posts.bibliography import load_bibliography
from explainer.posts.bibtex_scan import scan_entries, split_names

FIXTURES = Path(__file__).parent / "fixtures" / "alfolio_bib"
CASES = sorted(p.stem for p in FIXTURES.glob("*.bib"))


def rendered(name: str) -> str:
    diag = Diagnostics()
    refs = load_bibliography(FIXTURES / f"{name}.bib", diag)
    lines = [f"{key}: {' | '.join(ref.authors)}\n  {ref.html}" for key, ref in refs.items()]
    lines += [f"{d.severity} line {d.line}: {d.message}" for d in diag.items]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("name", CASES)
def test_fixture(name):
    expected = FIXTURES / f"{name}.expected"
    got = rendered(name)
    if os.environ.get("UPDATE_FIXTURES"):
        expected.write_text(got, encoding="utf-8")
    assert got == expected.read_text(encoding="utf-8")


def test_no_fixture_is_an_error():
    for name in CASES:
        assert "\nerror" not in rendered(name)


def test_duplicate_key_keeps_the_last_entry_as_distill_does():
    diag = Diagnostics()
    refs = load_bibliography(FIXTURES / "duplicate_keys.bib", diag)
    assert refs["vae"].title == "Auto-Encoding Variational Bayes" and refs["other"].title == "Still read"
    [warning] = diag.warnings
    assert warning.line == 7 and "also on line 1" in warning.message


def test_duplicate_field_keeps_the_last_value():
    diag = Diagnostics()
    ref = load_bibliography(FIXTURES / "duplicate_fields.bib", diag)["dae"]
    assert ref.title.startswith("Extracting") and ref.year == "2010"
    assert [w.line for w in diag.warnings] == [6, 7]


@pytest.mark.parametrize("written, shown", [
    ("Watanabe, T. et al.", ["T. Watanabe", "et al."]),
    ("T. Watanabe et al", ["T. Watanabe", "et al."]),
    ("others", ["et al."]),
    ("von Neumann, John", ["John von Neumann"]),
])
def test_display_names_end_the_list_at_et_al(written, shown):
    from pybtex.database import Person
    assert display_names(Person(written)) == shown


def test_names_pybtex_cannot_split_are_shown_as_written():
    assert written_names(["Ezaki, T., Reis, E., Watanabe, T. et al."]) == ["Ezaki, T., Reis, E., Watanabe, T.",
                                                                           "et al."]


def test_scanner_finds_entries_fields_and_names():
    text = '@string{x = {y}}\n@article{a,\n  author = {A and {B and C}},\n  title = "T {x}",\n}\n@misc(b, note=1)'
    a, b = scan_entries(text)
    assert (a.key, a.line, [f.name for f in a.fields], a.fields[1].line) == ("a", 2, ["author", "title"], 4)
    assert split_names(a.fields[0].raw[1:-1]) == ["A", "{B and C}"] and b.key == "b"
