"""kramdown compatibility: raw HTML blocks, `$$` pairing, escaped MathJax delimiters, Liquid
before Markdown. Fixture pairs in fixtures/kramdown (see fixtures/harness.py)."""

import pytest

from tests.posts.fixtures.harness import cases, check_case


@pytest.mark.parametrize("case", cases("kramdown"), ids=lambda p: p.stem)
def test_fixture(case):
    check_case(case)


def _render_with_front_matter(body: str, page_vars: dict):
    from pathlib import Path

    from explainer.base.config import SiteConfig
    from explainer.base.errors import Diagnostics
    from explainer.posts.markdown import render_markdown
    from explainer.posts.parsed import new_page
    diag = Diagnostics()
    page = new_page(Path("post.md"), 1, SiteConfig(baseurl="", url="https://example.org"), None, diag)
    page.page_vars = page_vars
    return render_markdown(body, page), diag


def test_page_variables_come_from_the_front_matter():
    html, diag = _render_with_front_matter(
        "[files]({{ page.permalink }}/../data.csv) for {{ page.code | append: '!' }} {{ page.nope }}\n",
        {"permalink": "/classes/E91/Lab1", "code": "E91"})
    assert html == '<p><a href="/classes/E91/Lab1/../data.csv">files</a> for E91! </p>\n'
    assert [d.message for d in diag.items] == [
        "`{{ page.nope }}`: the front matter has no `nope`; it renders empty, as in Jekyll"]


def test_page_variables_of_a_post():
    import datetime as dt
    from types import SimpleNamespace

    from explainer.base.config import PostMeta
    from explainer.posts.liquid_vars import page_variables
    meta = PostMeta(title="T", date=dt.datetime(2025, 1, 2), extra={"permalink": "/x/", "term": "Spring",
                                                                   "tags_list": ["a"]})
    values = page_variables(SimpleNamespace(meta=meta, url_path="/x/"))
    assert values["permalink"] == "/x/" and values["term"] == "Spring" and "tags_list" not in values
    assert values["title"] == "T" and values["url"] == "/x/" and values["date"].startswith("2025-01-02")


def test_assign_reads_the_front_matter():
    html, diag = _render_with_front_matter('{% assign t = page.title | upcase %}Title: {{ t }}\n',
                                           {"title": "Hello"})
    assert html == "<p>Title: HELLO</p>\n" and not diag.items


def test_date_filters_on_the_front_matter_date():
    html, diag = _render_with_front_matter(
        'On {{ page.date | date: "%B %d, %Y" }} ({{ page.date | date_to_string }}).\n',
        {"date": "2025-01-02 00:00:00"})
    assert html == "<p>On January 02, 2025 (02 Jan 2025).</p>\n" and not diag.items
