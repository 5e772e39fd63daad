"""The post memo keeps front matter and the facts a build asks of every post, not the text; a post
read back from it reads its text from its file, and only when asked."""

from __future__ import annotations

import dataclasses
import gc

import pytest

from explainer.base.errors import Diagnostics
from explainer.posts import post_memo, read
from tests.conftest import write

POST = """---
title: A post
date: 2024-01-02
tags: [a, b]
authors:
  - name: Ada
    affiliations: {name: Lab}
---
Text with a ```figure``` word <d-cite key="k"></d-cite>.
"""


@pytest.fixture
def memo(tmp_path):
    read._MEMO.clear()
    post_memo.forget_loaded()
    yield tmp_path / post_memo.MEMO_FILE
    read._MEMO.clear()
    post_memo.forget_loaded()


def test_a_stored_post_equals_the_post_and_reads_its_text_only_when_asked(tmp_path, memo, monkeypatch):
    path = write(tmp_path / "posts" / "2024-01-02-a.md", POST)
    original = read.read_post(path, Diagnostics())
    assert original is not None
    post_memo.save_memo(memo, tmp_path / "posts")
    assert b"Text with" not in memo.read_bytes()  # the text stays in the post's file
    read._MEMO.clear()
    post_memo.forget_loaded()
    post_memo.load_memo(memo)
    reads = []
    real = read.read_source
    monkeypatch.setattr(post_memo, "read_source", lambda p: reads.append(p) or real(p))
    stored = read.read_post(path, Diagnostics())
    assert isinstance(stored, post_memo.StoredPost)
    assert (stored.facts, stored.slug, stored.out_path, stored.source_digest, stored.meta_digest,
            stored.mentions_figure, stored.cites) == (original.facts, original.slug, original.out_path,
                                                      original.source_digest, original.meta_digest, True, True)
    assert reads == []  # all of that without reading the file
    assert stored.meta == original.meta and reads == []  # the front matter too, decoded from the memo
    assert (stored.source, stored.body, stored.body_line) == (original.source, original.body, original.body_line)
    assert stored.key_line("tags") == original.key_line("tags") == 4
    assert reads == [path]  # read once, for both
    assert dataclasses.asdict(stored) == dataclasses.asdict(original)


def test_an_edited_post_is_read_again(tmp_path, memo):
    path = write(tmp_path / "posts" / "2024-01-02-a.md", POST)
    read.read_post(path, Diagnostics())
    post_memo.save_memo(memo, tmp_path / "posts")
    read._MEMO.clear()
    post_memo.forget_loaded()
    post_memo.load_memo(memo)
    path.write_text(POST.replace("A post", "Another title") + "More.\n")
    post = read.read_post(path, Diagnostics())
    assert not isinstance(post, post_memo.StoredPost)
    assert post.meta.title == "Another title" and post.body.endswith("More.\n")


def test_a_stored_entry_of_the_wrong_shape_is_ignored(tmp_path, memo, capsys):
    from explainer.base.sealed_json import write_sealed
    row = [str(tmp_path / "x.md"), 1, 2, {"meta": None, "slug": "x"}, []]
    write_sealed(memo, "post-memo", post_memo.MEMO_FORMAT, [row], post_memo._memo_version())
    post_memo.load_memo(memo, print)
    assert "ignored (unexpected content" in capsys.readouterr().out and not read._MEMO


def test_without_text_keeps_everything_but_holds_no_text(tmp_path, memo):
    path = write(tmp_path / "posts" / "2024-01-02-a.md", POST)
    original = read.read_post(path, Diagnostics())
    lean = post_memo.without_text(original)
    assert isinstance(lean, post_memo.StoredPost)
    assert "text_read" not in lean.__dict__ and "source" not in lean.__dict__  # nothing of the text held
    assert dataclasses.asdict(lean) == dataclasses.asdict(original)  # read back from the file on demand
    assert post_memo.without_text(lean) is lean


def test_a_one_shot_build_builds_the_same_site(tmp_path, content, monkeypatch):
    """The CLI's build drops the posts' text after reading them (page workers read it again): the
    site must not change by a byte."""
    from explainer.pipeline import BuildOptions, build

    for n in range(3):
        write(content / "posts" / f"2024-01-0{n + 1}-p{n}.md", POST.replace("A post", f"Post {n}")
              + f"\nParagraph $x_{n}$ and a [link](#nowhere-{n}).\n\n```python\nx = {n}\n```\n")
    sites = []
    for one_shot in (False, True):
        read._MEMO.clear()
        post_memo.forget_loaded()
        out = tmp_path / f"site-{one_shot}"
        try:
            report = build(BuildOptions(content=content, out=out, cache_dir=tmp_path / f"cache-{one_shot}", jobs=1,
                                        one_shot=one_shot), log=lambda line: None)
        finally:
            gc.unfreeze()  # a one-shot build freezes what exists: not this test process's objects
        assert any("nowhere-1" in w for w in report.warnings)  # a warning's line comes from the text
        sites.append({p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert sites[0] == sites[1]
