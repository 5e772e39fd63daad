"""Dead local links and missing images: warnings, marked on the page; errors under --strict (MkDocs)."""

from __future__ import annotations

import pytest

from explainer.base.errors import ContentError
from explainer.commands.check import run_check
from explainer.pipeline import BuildOptions
from explainer.site.link_marks import mark, unmark
from tests.conftest import write

# al-folio's sample posts link into the theme's GitHub repository with a relative path, which on a
# site of its own leads nowhere.
SAMPLE = """---
title: A sample post
---
Licensed as the [theme itself](../blob/master/LICENSE).

![a cat](/assets/img/cat.png)
"""
PAGE = "blog/2021/sample/index.html"


def test_dead_link_and_missing_image_warn_and_the_site_is_written(content, build_site, tmp_path):
    write(content / "posts" / "2021-01-01-sample.md", SAMPLE)
    report = build_site(content)
    warnings = "\n".join(report.warnings)
    assert "2021-01-01-sample.md:4:1: warning: broken link to /blog/2021/blob/master/LICENSE" in warnings
    assert "2021-01-01-sample.md:6:1: warning: image `/assets/img/cat.png` not found" in warnings
    page = (tmp_path / "site" / PAGE).read_text()
    assert ('<a data-broken class="broken-link" title="broken link to /blog/2021/blob/master/LICENSE: '
            'nothing is published there" href="../blob/master/LICENSE">') in page
    assert '<img data-broken class="broken-link" title="image `/assets/img/cat.png` not found' in page


def test_strict_makes_them_errors_and_writes_nothing(content, build_site, tmp_path):
    write(content / "posts" / "2021-01-01-sample.md", SAMPLE)
    with pytest.raises(ContentError) as exc:
        build_site(content, strict=True)
    assert "4:1: error: broken link to /blog/2021/blob/master/LICENSE" in str(exc.value)
    assert "6:1: error: image `/assets/img/cat.png` not found" in str(exc.value)
    assert not (tmp_path / "site").exists()


def test_marks_follow_the_files_on_an_unchanged_page(content, build_site, tmp_path):
    write(content / "posts" / "2021-01-01-sample.md", SAMPLE.replace("Licensed", "Not linked. Licensed")
          .replace("[theme itself](../blob/master/LICENSE)", "theme"))
    build_site(content)
    page = tmp_path / "site" / PAGE
    assert page.read_text().count("broken-link") == 1
    write(content / "assets" / "img" / "cat.png", "png")
    report = build_site(content)
    assert report.pages_skipped >= 1 and "broken-link" not in page.read_text()  # not rebuilt, unmarked
    (content / "assets" / "img" / "cat.png").unlink()
    build_site(content)
    assert page.read_text().count('data-broken class="broken-link"') == 1


def test_check_reports_the_same_warnings(content):
    write(content / "posts" / "2021-01-01-sample.md", SAMPLE)
    result = run_check(BuildOptions(content=content))
    messages = [f"{d.severity}: {d.message}" for d in result.diagnostics]
    assert any(m.startswith("warning: broken link to /blog/2021/blob/master/LICENSE") for m in messages)
    assert any(m.startswith("warning: image `/assets/img/cat.png` not found") for m in messages)
    assert result.errors == 0 and result.failed(strict=True) and not result.failed()


def test_mark_and_unmark_give_back_the_page():
    page = ('<p><a href="/x/" class="btn" title="Go">x</a> <a href="/ok/">ok</a>'
            "<img src='/i.png' alt='i'> <a href=\"/x/\">again</a></p>")
    marked = mark(page, {"/x/": 'nothing "there"', "/i.png": "missing"})
    assert marked.count('data-broken class="broken-link"') == 3
    assert 'title="nothing &quot;there&quot;" href="/x/" class="btn" title="Go"' in marked
    assert unmark(marked) == page and mark(marked, {}) == page


def test_marks_leave_scripts_and_comments_alone():
    page = '<script>var s = \'<a href="/x/">\';</script><!-- <a href="/x/"> --><a href="/x/">x</a>'
    marked = mark(page, {"/x/": "dead"})
    assert marked.count("broken-link") == 1 and marked.endswith('title="dead" href="/x/">x</a>')
    assert unmark(marked) == page
