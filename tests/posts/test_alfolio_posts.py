"""Where al-folio posts are published: Jekyll's file names and front-matter `permalink:`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from explainer.base.errors import Diagnostics
from explainer.posts.permalink import resolve_permalink
from explainer.posts.read import read_post
from tests.conftest import write

DATE = dt.datetime(2021, 5, 7, 9, 3, 4)


@pytest.mark.parametrize("name, url", [
    ("2021-5-5-score.md", "/blog/2021/score/"),
    ("2021-05-5-score.md", "/blog/2021/score/"),
    ("2021-12-31-score.md", "/blog/2021/score/"),
])
def test_one_digit_month_or_day_in_the_file_name(tmp_path, name, url):
    diag = Diagnostics()
    post = read_post(write(tmp_path / name, "---\ntitle: T\n---\nx\n"), diag)
    assert post.url_path == url and post.meta.date.day in (5, 31) and not diag.items


@pytest.mark.parametrize("template, url", [
    ("/track1/", "/track1/"),
    ("/track1", "/track1/"),  # published as a folder (see permalink.py)
    ("notes//a/./b/", "/notes/a/b/"),
    ("/notes/page.html", "/notes/page.html"),
    ("/:year/:month/:day/:title/", "/2021/05/07/score/"),
    ("/:categories/:i_month-:i_day/:slug:output_ext", "/ml/theory/5-7/score.html"),
    ("/blog/:short_year/:short_month/:hour:minute:second/", "/blog/21/MAY/090304/"),
])
def test_permalink_templates(template, url):
    assert resolve_permalink(template, DATE, "score", ("ML", "theory")) == (url, None)


@pytest.mark.parametrize("template, problem", [
    ("/:nonsense/", ":nonsense"),
    ("/", "index.html"),
    ("/feed.xml", "feed.xml"),
])
def test_permalink_problems(template, problem):
    url, message = resolve_permalink(template, DATE, "score")
    assert url is None and problem in message


def test_front_matter_permalink_is_where_the_post_is_built(content, build_site, tmp_path):
    write(content / "posts" / "2021-5-5-score.md", "---\ntitle: Score\npermalink: /track1/\n---\nText.\n")
    write(content / "posts" / "2021-5-6-other.md", "---\ntitle: Other\n---\n[score](/track1/)\n")
    build_site(content)
    site = tmp_path / "site"
    assert (site / "track1/index.html").is_file() and (site / "blog/2021/other/index.html").is_file()
    assert 'href="../../../track1/"' in (site / "blog/2021/other/index.html").read_text()
    assert "/track1/" in (site / "sitemap.xml").read_text()


def test_bad_permalink_is_an_error_at_its_line(tmp_path):
    diag = Diagnostics()
    post = read_post(write(tmp_path / "2021-01-01-a.md", "---\ntitle: T\npermalink: /:bogus/\n---\nx\n"), diag)
    assert post is None and diag.errors[0].line == 3 and ":bogus" in diag.errors[0].message


def test_two_posts_at_one_permalink_is_an_error(content, build_site):
    from explainer.base.errors import ContentError
    write(content / "posts" / "2021-01-01-a.md", "---\ntitle: A\npermalink: /same/\n---\nx\n")
    write(content / "posts" / "2021-01-02-b.md", "---\ntitle: B\npermalink: /same/\n---\nx\n")
    with pytest.raises(ContentError, match="both publish at /same/"):
        build_site(content)


def test_permalink_of_a_post_in_a_sub_folder(tmp_path):
    diag = Diagnostics()
    post = read_post(write(Path(tmp_path) / "sub" / "2021-01-01-a.md", "---\ntitle: T\n---\nx\n"), diag)
    assert post.out_path == "blog/2021/a/index.html"


HAND_WRITTEN = """---
title: Own contents
---
<d-contents>
  <nav class="l-text figcaption">
  <h3>Contents</h3>
    <div><a href="#first-part">First part</a></div>
    <ul><li><a href="#a-detail">A detail</a></li></ul>
  </nav>
</d-contents>

## First part

Text.

### A detail

More.
"""


def test_hand_written_d_contents_gets_no_second_automatic_toc(content, build_site, tmp_path):
    write(content / "posts" / "2021-01-01-own.md", HAND_WRITTEN)
    report = build_site(content)
    page = (tmp_path / "site/blog/2021/own/index.html").read_text()
    assert page.count("<d-contents>") == 1 and 'class="toc' not in page
    assert not [w for w in report.warnings if "own.md" in w]  # its links lead to the headings


def test_toc_front_matter_still_renders_beside_a_hand_written_one(content, build_site, tmp_path):
    write(content / "posts" / "2021-01-01-own.md",
          HAND_WRITTEN.replace("title: Own contents", "title: Own\ntoc:\n  - name: First part"))
    build_site(content)
    page = (tmp_path / "site/blog/2021/own/index.html").read_text()
    assert 'class="toc' in page and page.count("<d-contents>") == 1


def test_front_matter_slug_names_the_url_as_in_jekyll(tmp_path):
    diag = Diagnostics()
    post = read_post(write(tmp_path / "2021-05-05-long-file-name.md", "---\ntitle: T\nslug: Short One\n---\nx\n"),
                     diag)
    assert post.url_path == "/blog/2021/short-one/" and not diag.items


def test_new_post_sees_a_clash_with_a_one_digit_file_name(content):
    from explainer.commands.new_post import PostExists, new_post
    write(content / "posts" / "2021-5-5-score.md", "---\ntitle: Score\n---\nx\n")
    with pytest.raises(PostExists, match="2021-5-5-score.md already publishes at /blog/2021/score/"):
        new_post(content, "Score", dt.date(2021, 6, 1))
