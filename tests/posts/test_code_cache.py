"""The code cache: a snippet highlighted once is read back without Pygments, and only while its
text, language, kind and the highlighting code are unchanged."""

from __future__ import annotations

import pytest

from explainer.posts import code_cache, highlight


@pytest.fixture
def cache(tmp_path):
    highlight.highlight.cache_clear()  # the in-process layer in front of the disk
    with code_cache.using(tmp_path / "code"):
        yield tmp_path / "code"
    highlight.highlight.cache_clear()


def _no_pygments(monkeypatch):
    def fail(code, lang):
        raise AssertionError("highlighted again")
    monkeypatch.setattr(highlight, "_spans", fail)


def test_a_hit_needs_no_pygments_and_gives_the_same_markup(cache, monkeypatch):
    block = highlight.highlight("x = 1\n", "python", linenos=True)
    inline = highlight.highlight_inline("f(x)", "python")
    assert len(list(cache.rglob("*.json"))) == 2
    highlight.highlight.cache_clear()
    _no_pygments(monkeypatch)
    assert highlight.highlight("x = 1\n", "python", linenos=True) == block
    assert highlight.highlight("x = 1\n", "python") == block.replace('<span class="linenos">1</span>', "")
    assert highlight.highlight_inline("f(x)", "python") == inline


@pytest.mark.parametrize("change", ["text", "language", "kind", "highlighting code"])
def test_anything_that_changes_the_markup_misses(cache, monkeypatch, change):
    highlight.highlight("x = 1\n", "python")
    highlight.highlight.cache_clear()
    calls = []
    real = highlight._spans
    monkeypatch.setattr(highlight, "_spans", lambda code, lang: calls.append(1) or real(code, lang))
    if change == "text":
        highlight.highlight("x = 2\n", "python")
    elif change == "language":
        highlight.highlight("x = 1\n", "ruby")
    elif change == "kind":
        highlight.highlight_inline("x = 1\n", "python")
    else:  # our highlight.py or Pygments' version (their files' bytes are in the key)
        monkeypatch.setattr(code_cache, "_code_version", lambda: "another version")
        highlight.highlight("x = 1\n", "python")
    assert calls == [1]


def test_a_damaged_entry_is_highlighted_again_and_rewritten(cache, capsys):
    good = highlight.highlight("x = 1\n", "python")
    (entry,) = cache.rglob("*.json")
    entry.write_bytes(entry.read_bytes().replace(b"x", b"y"))
    highlight.highlight.cache_clear()
    assert highlight.highlight("x = 1\n", "python") == good
    assert "damaged code cache entry" in capsys.readouterr().err
    highlight.highlight.cache_clear()
    highlight.highlight("x = 1\n", "python")
    assert capsys.readouterr().err == ""  # rewritten, valid


def test_outside_a_page_render_nothing_is_cached(tmp_path):
    highlight.highlight.cache_clear()
    highlight.highlight("y = 3\n", "python")
    assert not list(tmp_path.rglob("*.json"))
