"""BibTeX -> Reference: clean text, safe HTML, errors at the right line, the post's own citation."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explainer.base.config import Author, PostMeta
from explainer.base.errors import Diagnostics
from explainer.posts.bibliography import _load_cached, join_names, load_bibliography
from explainer.posts.latex_text import latex_to_text
from explainer.posts.post_citation import _citation_name, _person, post_citation
from tests.fixtures.alfolio_drafts import drafts

BIB = Path(__file__).parent / "bib"


def load(name_or_path, text: str | None = None, tmp_path: Path | None = None):
    path = Path(name_or_path)
    if text is not None:
        path = tmp_path / name_or_path
        path.write_text(text, encoding="utf-8")
    elif not path.is_absolute():
        path = BIB / name_or_path
    diag = Diagnostics()
    return load_bibliography(path, diag), diag


@pytest.mark.parametrize("tex, text", [
    (r"{DRAW}: A Recurrent Network", "DRAW: A Recurrent Network"),
    (r'J{\"u}rgen', "Jürgen"),
    (r"{\L}ukasz", "Łukasz"),
    (r"Bits \& Pieces", "Bits & Pieces"),
    (r"\textit{Deep} \emph{Nets}", "Deep Nets"),
    (r"{\'e}t\'{e}", "été"),
    (r"Stra{\ss}e", "Straße"),
    (r"Gar\c{c}on", "Garçon"),
    (r"Ma\~nana", "Mañana"),
    (r"K{\o}benhavn", "København"),
    (r"Na\"{\i}ve \'{\i}", "Naïve í"),
    (r"\v{S}koda", "Škoda"),
    (r"pages 1--10 --- done", "pages 1–10 — done"),
    (r"$\alpha$-Divergences", "α-Divergences"),
    (r"$\beta$-VAE in $O(n^2)$ and $\mathcal{O}(n \log n)$", "β-VAE in O(n²) and O(n log n)"),
    (r"$x_1$", "x₁"),
    (r"``Quoted'' D.~E. Knuth", "“Quoted” D. E. Knuth"),
    (r"{\noopsort{b}}Sorted \LaTeX{} 50\%", "Sorted LaTeX 50%"),
    (r"\href{https://x.org}{Linked} text", "Linked text"),
    (r"{\em switched} off", "switched off"),
])
def test_latex_to_text(tex, text):
    assert latex_to_text(tex) == text


@pytest.mark.parametrize("tex", ["a\\", "\\", "{{{", "}}}", "$x", "\\'", "\\url", "\\href{", "^_$^_$"])
def test_latex_to_text_never_raises(tex):
    assert isinstance(latex_to_text(tex), str)


def test_names_and_titles_come_out_clean():
    refs, diag = load("names.bib")
    ref = refs["schmidhuber2015"]
    assert ref.authors == ("Jürgen Schmidhuber", "Łukasz Kaiser", "John von Neumann", "Alan Smith, Jr.")
    assert ref.title == "DRAW: Été & Straße, Garçon, Mañana, København — Deep Nets"
    assert ref.venue == "International Conference on Machine Learning (ICML)"  # @string and `#` expanded
    assert ref.year == "2015" and ref.entry_type == "inproceedings" and ref.url is None
    assert "pp. 1–10" in ref.html and "Vol. 37" in ref.html
    assert "Jürgen Schmidhuber, Łukasz Kaiser, John von Neumann and Alan Smith, Jr." in ref.html
    # the corporate author in braces is one name, not "Organization, World Health"
    assert refs["who2020"].authors == ("World Health Organization",)
    assert refs["who2020"].title == "On α-Divergences and O(n²) Things"
    assert [d.line for d in diag.warnings] == [21]  # the javascript: url


def test_doi_only_entry_links_to_doi_org():
    refs, _ = load("names.bib")
    assert refs["who2020"].url == "https://doi.org/10.1000/xyz-123"
    assert 'href="https://doi.org/10.1000/xyz-123"' in refs["who2020"].html


def test_doi_prefixes_and_arxiv_eprint(tmp_path):
    refs, _ = load("x.bib", "@misc{a, title={A}, doi={https://doi.org/10.5/q}}\n"
                   "@misc{b, title={B}, eprint={1502.04623}, archivePrefix={arXiv}}\n", tmp_path)
    assert refs["a"].url == "https://doi.org/10.5/q"
    assert refs["b"].url == "https://arxiv.org/abs/1502.04623" and refs["b"].venue == "arXiv:1502.04623"


def test_html_escapes_every_text_and_drops_unsafe_urls():
    refs, diag = load("names.bib")
    html = refs["danger"].html
    assert "<tag>" not in html and "&lt;tag&gt; &amp; &quot;quotes&quot;" in html
    assert "javascript" not in html and refs["danger"].url is None
    assert "javascript" in diag.warnings[0].message or "http" in diag.warnings[0].message
    assert 'href="https://example.org/many?a=1&amp;b=2"' in refs["many"].html


def test_long_author_lists_shortened_only_in_cards():
    refs, _ = load("names.bib")
    ref = refs["many"]
    assert "F. Six and G. Seven" in ref.html
    assert "A. One, B. Two, C. Three et al." in ref.card_html and "Seven" not in ref.card_html


def test_join_names():
    assert join_names(()) == "" and join_names(("A",)) == "A"
    assert join_names(("A", "B")) == "A and B" and join_names(("A", "B", "C")) == "A, B and C"
    assert join_names(("A", "et al.")) == "A et al."


def test_bibtex_reserialised_and_parseable(tmp_path):
    refs, _ = load("names.bib")
    bib = refs["schmidhuber2015"].bibtex
    assert bib.startswith("@inproceedings{schmidhuber2015,\n") and bib.endswith("\n}")
    assert "booktitle = {International Conference on Machine Learning (ICML)}" in bib
    again, diag = load("again.bib", bib, tmp_path)
    assert not diag.items and again["schmidhuber2015"].title == refs["schmidhuber2015"].title


def test_malformed_bib_reports_path_and_line():
    refs, diag = load("malformed.bib")
    [error] = diag.errors
    assert error.path.endswith("malformed.bib") and error.line == 9
    assert "comma missing at the end of line 8" in error.message
    assert "good2015" in refs  # entries before the problem still load


def test_unclosed_brace_and_undefined_string(tmp_path):
    _, diag = load("x.bib", "@article{a,\n  title = {Open\n}\n\n@book{b,\n  title = {B},\n}\n", tmp_path)
    assert diag.errors and diag.errors[0].line is not None and "not closed" in diag.errors[0].message
    refs, diag = load("y.bib", "@article{a,\n  title = {A},\n  journal = nature,\n}\n", tmp_path)
    [warning] = diag.warnings  # shown as written (test_alfolio_bib.py), not an error
    assert not diag.errors and refs["a"].venue == "nature"
    assert warning.line == 3 and "nature" in warning.message and "@string" in warning.message


def test_keyless_entry_and_bad_name(tmp_path):
    refs, diag = load("x.bib", "\n@article{title = {No key}, year = {2000}}\n", tmp_path)
    assert not refs and diag.errors[0].line == 2 and "no key" in diag.errors[0].message
    _, diag = load("y.bib", "@article{a,\n  author = {Smith, J., Jr., More, Commas},\n}\n", tmp_path)
    # Distill shows such a name anyway: a warning (see test_alfolio_bib.py), not an error
    assert not diag.errors and diag.warnings[0].line == 2 and "Last, First" in diag.warnings[0].message


def test_duplicate_keys_name_both_lines(tmp_path):
    refs, diag = load("duplicate.bib")  # a warning; Distill's Map keeps the last entry
    [warning] = diag.warnings
    assert not diag.errors
    assert warning.line == 6 and "line 1" in warning.message and "line 6" in warning.message
    assert refs["same"].title == "Second"
    _, diag = load("x.bib", "@misc{a,\n title={A},\n title={B}}\n", tmp_path)
    assert diag.warnings[0].line == 3 and "`title` more than once (lines 2, 3)" in diag.warnings[0].message


def test_missing_file_is_not_an_error_here(tmp_path):
    refs, diag = load(tmp_path / "nope.bib")
    assert refs == {} and not diag.items


def test_cache_reuses_until_file_changes(tmp_path):
    path = tmp_path / "c.bib"
    path.write_text("@misc{a, title={One}}\n", encoding="utf-8")
    first = load_bibliography(path, Diagnostics())
    assert load_bibliography(path, Diagnostics())["a"] is first["a"]
    path.write_text("@misc{a, title={Two!}}\n", encoding="utf-8")
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
    assert load_bibliography(path, Diagnostics())["a"].title == "Two!"


def test_diagnostics_repeat_on_cached_loads():
    for _ in range(2):
        _, diag = load("duplicate.bib")
        assert len(diag.warnings) == 1


def test_two_hundred_entries_parse(tmp_path):
    names = (BIB / "names.bib").read_text(encoding="utf-8").replace("@string", "@comment")
    entry = "@article{k%d,\n  author = {Gregor, Karol and J{\\\"u}rgen Schmidhuber and {\\L}ukasz Kaiser},\n" \
            "  title = {{DRAW}: A Recurrent Neural Network --- $\\alpha$},\n  journal = {arXiv},\n  year = {2015},\n}\n"
    path = tmp_path / "big.bib"
    path.write_text(names.replace("icml #", "") + "".join(entry % i for i in range(200)), encoding="utf-8")
    _load_cached.cache_clear()
    diag = Diagnostics()
    refs = load_bibliography(path, diag)  # speed: bench/worst_cases.py (no timed tests here)
    assert len(refs) >= 200 and not diag.errors
    assert refs["k199"].authors[1] == "Jürgen Schmidhuber"


def _meta(*names):
    return PostMeta(title="Autoencoders Explained", date=dt.datetime(2023, 5, 5, 11, 59),
                    authors=tuple(Author(n) for n in names))


def test_post_citation_one_author():
    cite = post_citation(_meta("Zakaria Patel"), "https://example.org/blog/2023/autoencoders/")
    assert cite["short"] == 'Patel, "Autoencoders Explained", 2023.'
    assert cite["bibtex"] == ("@article{patel2023autoencoders,\n  author = {Patel, Zakaria},\n"
                              "  title = {Autoencoders Explained},\n  year = {2023},\n"
                              "  url = {https://example.org/blog/2023/autoencoders/}\n}")


def test_post_citation_three_authors_and_ascii_key():
    cite = post_citation(_meta("Łukasz Kaiser", "Ada Lovelace", "John von Neumann"), "u")
    assert cite["short"] == 'Kaiser, Lovelace and von Neumann, "Autoencoders Explained", 2023.'
    assert cite["bibtex"].startswith("@article{kaiser2023autoencoders,\n")
    assert "author = {Kaiser, Łukasz and Lovelace, Ada and von Neumann, John}" in cite["bibtex"]
    cite = post_citation(_meta("Jürgen Müller"), "u")
    assert cite["bibtex"].startswith("@article{muller2023autoencoders,")


def test_post_citation_no_authors_and_special_title():
    meta = PostMeta(title="The 50% Rule & $x$", date=dt.datetime(2024, 1, 2))
    cite = post_citation(meta, "")
    assert cite["short"] == '"The 50% Rule & $x$", 2024.'
    assert cite["bibtex"].startswith("@article{202450,\n")  # no author; "The" skipped as Scholar does
    assert "author" not in cite["bibtex"] and "url" not in cite["bibtex"]
    assert r"title = {The 50\% Rule \& \$x\$}" in cite["bibtex"]


def test_post_citation_odd_author_name_does_not_crash():
    cite = post_citation(_meta("Smith, J., Jr., Extra"), "u")
    assert cite["short"].endswith('"Autoencoders Explained", 2023.')


def test_others_in_author_list_becomes_et_al(tmp_path):
    refs, _ = load("x.bib", "@misc{a, author={Doe, Jane and others}, title={T}}\n", tmp_path)
    assert refs["a"].authors == ("Jane Doe", "et al.") and "Jane Doe et al." in refs["a"].html


@pytest.mark.parametrize("draft", drafts(), ids=lambda d: d.name)
def test_draft_bib_loads_clean(draft):
    refs, diag = load(draft.bib)
    ref = refs[draft.cited]
    assert not diag.items and ref.title == draft.bib_title
    for attribute, value in draft.extra.get("bib", {}).items():
        assert getattr(ref, attribute) == value, attribute


def test_post_citation_group_and_one_name_authors_stay_whole():
    cite = post_citation(_meta("The explainer authors"), "u")
    assert "author = {{The explainer authors}}" in cite["bibtex"]
    assert cite["short"].startswith("The explainer authors, ")
    assert cite["bibtex"].startswith("@article{authors")
    cite = post_citation(_meta("Plato", "OpenAI Research Team"), "u")
    assert "author = {{Plato} and {OpenAI Research Team}}" in cite["bibtex"]
    assert cite["short"].startswith("Plato and OpenAI Research Team, ")


_NAME_WORDS = st.text(alphabet=st.sampled_from("AaÉéŁłßÅxZ'.-_’ǅ2"), min_size=1, max_size=6)


@settings(max_examples=60, deadline=None)
@given(st.lists(_NAME_WORDS, min_size=2, max_size=4))
def test_plain_names_split_without_pybtex_as_pybtex_splits_them(words):
    """The fast path of `_citation_name` (no pybtex import) agrees with pybtex wherever it applies."""
    from explainer.posts.post_citation import _bib_escape, is_group_name
    name = " ".join(words)
    if is_group_name(name):
        return
    person = _person(name)
    expected = (" ".join(person.prelast_names + person.last_names) or str(person), _bib_escape(str(person)))
    assert _citation_name(name) == expected


@pytest.mark.parametrize("name", ["Ada Lovelace", "Ada K. Lovelace", "Łukasz Kaiser", "Jean-Pierre Serre",
                                  "D'Arcy Thompson", "John von Neumann", "Ada 2 Lovelace", "ǅemal Bijedić"])
def test_plain_and_other_names_split_as_pybtex_splits_them(name):
    test_plain_names_split_without_pybtex_as_pybtex_splits_them.hypothesis.inner_test(name.split(" "))


def test_a_bibliography_cache_hit_parses_nothing(tmp_path, monkeypatch, capsys):
    from explainer.posts import bibliography
    bib = tmp_path / "refs.bib"
    bib.write_text("@misc{a, author={Lovelace, Ada}, title={Notes}, year=1843}\n@misc{b, title={No key fix}\n")
    cache = tmp_path / "cache"
    diag = Diagnostics()
    refs = load_bibliography(bib, diag, cache)
    assert refs and diag.items and len(list(cache.rglob("*.json"))) == 1
    _load_cached.cache_clear()
    monkeypatch.setattr(bibliography, "_parse_file", lambda *a: pytest.fail("parsed again"))
    again = Diagnostics()
    assert load_bibliography(bib, again, cache) == refs and again.items == diag.items
    _load_cached.cache_clear()
    monkeypatch.undo()
    bib.write_text(bib.read_text().replace("Notes", "Sketches"))  # another file: parsed
    assert load_bibliography(bib, Diagnostics(), cache)["a"].title == "Sketches"
    (entry,) = [p for p in cache.rglob("*.json") if b"Notes" in p.read_bytes()]
    entry.write_bytes(entry.read_bytes().replace(b"Notes", b"Forged"))
    bib.write_text(bib.read_text().replace("Sketches", "Notes"))
    _load_cached.cache_clear()
    assert load_bibliography(bib, Diagnostics(), cache)["a"].title == "Notes"
    assert "damaged bibliography cache entry" in capsys.readouterr().err
    _load_cached.cache_clear()
