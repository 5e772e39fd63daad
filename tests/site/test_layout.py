"""Page rendering without a browser: escaping everywhere, URLs, byline, TOC/footnote/reference markup."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from explainer.base.config import Affiliation, Author, PostMeta, SiteConfig
from explainer.posts.parsed import Footnote, TocItem
from explainer.posts.read import Post
from explainer.site.layout import (
    PostPage,
    Renderer,
    format_date,
    neutralise_style,
    page_relative,
    theme_static_files,
)

NASTY = 'A "quoted" <tag> & more'
ASSETS = {"css/site.css": "assets/site.1234abcd.css", "js/site.js": "assets/site.99887766.js",
          "js/plotly.js": "assets/plotly.aa11bb22.js", "js/live.js": "assets/live.cc33dd44.js",
          "css/highlight.css": "assets/highlight.ee55ff66.css"}


@dataclass(frozen=True)
class FakeReference:
    key: str
    html: str
    title: str = ""
    authors: tuple = ()
    year: str = ""
    venue: str = ""
    url: str | None = None
    bibtex: str = ""


def make_post(title=NASTY, slug="my-post", date=None, **meta) -> Post:
    date = date or dt.datetime(2023, 5, 5, 23, 59, tzinfo=dt.timezone(-dt.timedelta(hours=4)))
    meta.setdefault("description", NASTY)
    meta.setdefault("authors", (Author(NASTY, "https://example.org/?a=1&b=2",
                                       (Affiliation(NASTY, "https://uni.example/"),)),
                                Author("Grace Hopper")))
    meta.setdefault("tags", (NASTY, "ml"))
    pm = PostMeta(title=title, date=date, **meta)
    return Post(path=Path(f"content/posts/{date:%Y-%m-%d}-{slug}.md"), meta=pm, slug=slug,
                body="", body_line=1, source="")


def make_page(post=None, **changes) -> PostPage:
    fields = dict(
        post=post or make_post(),
        body_html='<h2 id="intro">Intro</h2><p>Text<sup class="footnote-ref"><a class="footnote-link" '
                  'href="#fn-1" id="fnref-1">1</a><span class="hover-card" role="tooltip">Note</span></sup></p>'
                  '<h3 id="sub">Sub</h3>',
        toc=[TocItem("intro", NASTY, [TocItem("sub", "Sub")])],
        footnotes=[Footnote(1, "fn-1", "fnref-1", "A <em>note</em>.")],
        references=[FakeReference("gregor2015draw", "K. Gregor. <em>DRAW</em>. 2015."),
                    FakeReference("b", "Second.")],
        citation={"short": NASTY, "bibtex": "@article{x,\n  title={" + NASTY + "}\n}"},
        math_head="<style id=math-css>mjx-container{}</style>",
        math_defs='<svg id="math-defs" style="display:none"></svg>',
        needs_plotly=True,
        needs_live=False,
    )
    fields.update(changes)
    return PostPage(**fields)


SITE = SiteConfig(title=NASTY, description=NASTY, url="https://example.org", baseurl="/blog",
                  authors=(Author("Site Author"),))


@pytest.fixture(scope="module")
def renderer():
    return Renderer(SITE, ASSETS)


@pytest.fixture(scope="module")
def post_html(renderer):
    return renderer.post_page(make_page())


class TagCollector(HTMLParser):
    """Text of every <style> and <script> element, as a browser's tokenizer splits them."""

    def __init__(self):
        super().__init__()
        self.styles, self.scripts, self._in = [], [], None

    def handle_starttag(self, tag, attrs):
        self._in = tag if tag in ("style", "script") else None
        if self._in:
            getattr(self, self._in + "s").append("")

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in:
            bucket = getattr(self, self._in + "s")
            bucket[-1] += data


def unescaped_texts(markup: str, pattern: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(pattern, markup, re.S)]


# ---------- escaping ---------------------------------------------------------------------------
def test_title_escaped_in_title_h1_and_meta(post_html):
    assert NASTY not in post_html  # the raw text never appears unescaped
    title = unescaped_texts(post_html, r"<title>(.*?)</title>")[0]
    assert title.startswith(NASTY)
    assert unescaped_texts(post_html, r"<h1>(.*?)</h1>") == [NASTY]
    for name in ('property="og:title"', 'name="citation_title"', 'property="og:description"',
                 'name="description"', 'name="citation_author"', 'property="article:tag"'):
        values = unescaped_texts(post_html, rf'<meta {name} content="([^"]*)"')
        assert NASTY in values, name


def test_json_ld_is_valid_json_and_cannot_close_its_script(post_html):
    body = re.search(r'<script type="application/ld\+json">(.*?)</script>', post_html, re.S).group(1)
    assert "<" not in body
    data = json.loads(body)
    assert data["headline"] == NASTY
    assert data["author"][0]["url"] == "https://example.org/?a=1&b=2"


def test_author_and_affiliation_links_escaped(post_html):
    assert 'href="https://example.org/?a=1&amp;b=2"' in post_html
    assert unescaped_texts(post_html, r'<a class="affiliation" href="https://uni.example/">(.*?)</a>') == [NASTY]


def test_citation_block_escaped(post_html):
    assert "title={A &#34;quoted&#34; &lt;tag&gt; &amp; more}" in post_html
    assert unescaped_texts(post_html, r'<pre class="citation-short">(.*?)</pre>') == [NASTY]


def test_index_escapes_titles_and_descriptions(renderer):
    page = renderer.index_page([make_post()])
    assert NASTY not in page
    assert NASTY in unescaped_texts(page, r'<a href="blog/2023/my-post/">(.*?)</a>')
    assert NASTY in unescaped_texts(page, r'<p class="post-item-description">(.*?)</p>')


def test_feed_parses_and_keeps_text(renderer):
    posts = [make_post(), make_post(title="Older", slug="older", date=dt.datetime(2022, 1, 2))]
    root = ET.fromstring(renderer.feed_xml(posts).encode())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert root.find("a:title", ns).text == NASTY
    entries = root.findall("a:entry", ns)
    assert [e.find("a:title", ns).text for e in entries] == [NASTY, "Older"]  # newest first
    assert entries[0].find("a:link", ns).get("href") == "https://example.org/blog/blog/2023/my-post/"
    assert entries[0].find("a:summary", ns).text == NASTY
    assert entries[0].find("a:published", ns).text == "2023-05-05T23:59:00-04:00"
    assert entries[1].find("a:updated", ns).text == "2022-01-02T00:00:00Z"
    assert NASTY in [c.get("term") for c in entries[0].findall("a:category", ns)]


def test_sitemap_parses(renderer):
    root = ET.fromstring(renderer.sitemap_xml([make_post()]).encode())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [u.find("s:loc", ns).text for u in root.findall("s:url", ns)]
    assert locs == ["https://example.org/blog/", "https://example.org/blog/blog/2023/my-post/"]
    assert root.findall("s:url/s:lastmod", ns)[1].text == "2023-05-05"


def test_author_styles_cannot_close_style_element(renderer):
    css = ".x { color: red } </STYLE><script>alert(1)</script>"
    page = renderer.post_page(make_page(make_post(styles=css)))
    parsed = TagCollector()
    parsed.feed(page)
    # An HTML parser sees one style element holding all of the author's CSS, and no injected script.
    assert any(".x { color: red }" in text and "alert(1)" in text for text in parsed.styles)
    assert not any("alert" in text for text in parsed.scripts)
    assert neutralise_style("a{} </style >") == "a{} <\\/style >"


# ---------- URLs ---------------------------------------------------------------------------------
@pytest.mark.parametrize("page, target, expected", [
    ("blog/2023/a/index.html", "assets/site.css", "../../../assets/site.css"),
    ("blog/2023/a/index.html", "blog/2023/b/", "../b/"),
    ("blog/2023/a/index.html", "/blog/2023/a/", "./"),
    ("blog/2023/a/index.html", "blog/2023/a/#intro", "./#intro"),
    ("blog/2023/a/index.html", "", "../../../"),
    ("blog/2023/a/index.html", "feed.xml?x=1", "../../../feed.xml?x=1"),
    ("index.html", "", "./"),
    ("index.html", "/", "./"),
    ("index.html", "blog/2023/a/", "blog/2023/a/"),
    ("index.html", "assets/a.css", "assets/a.css"),
    ("blog/2023/a/index.html", "https://example.org/x", "https://example.org/x"),
    ("blog/2023/a/index.html", "//cdn.example/x.js", "//cdn.example/x.js"),
    ("blog/2023/a/index.html", "#ref-a", "#ref-a"),
    ("blog/2023/a/index.html", "mailto:a@b.c", "mailto:a@b.c"),
])
def test_page_relative(page, target, expected):
    assert page_relative(page, target) == expected


def test_post_page_assets_are_page_relative(post_html):
    assert 'href="../../../assets/site.1234abcd.css"' in post_html
    assert 'src="../../../assets/site.99887766.js"' in post_html
    assert '<meta name="explainer-plotly" content="../../../assets/plotly.aa11bb22.js">' in post_html
    assert "live.cc33dd44.js" not in post_html  # needs_live is False
    assert 'href="../../../feed.xml"' in post_html and 'type="application/atom+xml"' in post_html
    assert '<link rel="canonical" href="https://example.org/blog/blog/2023/my-post/">' in post_html
    assert "https://" not in re.sub(r'(content|href)="https://[^"]*"|"https://schema.org"|"url": "[^"]*"',
                                    "", post_html)  # nothing fetches from elsewhere


def test_plotly_meta_only_when_needed(renderer):
    page = renderer.post_page(make_page(needs_plotly=False, needs_live=True))
    assert "explainer-plotly" not in page
    assert 'src="../../../assets/live.cc33dd44.js"' in page


def test_not_found_page_uses_base_absolute_links(renderer):
    page = renderer.not_found_page()
    assert 'href="/blog/assets/site.1234abcd.css"' in page
    assert 'class="home-link" href="/blog/"' in page


# ---------- byline, dates, scholar tags -----------------------------------------------------------
def test_distill_date_keeps_own_calendar_day():
    late = dt.datetime(2023, 5, 5, 23, 59, tzinfo=dt.timezone(-dt.timedelta(hours=4)))
    assert format_date(late) == "May 5, 2023"  # in UTC this would already be May 6
    assert format_date(dt.datetime(2021, 12, 31)) == "December 31, 2021"


def test_byline_and_scholar_tags(post_html):
    assert '<time datetime="2023-05-05T23:59:00-04:00">May 5, 2023</time>' in post_html
    assert '<meta name="citation_publication_date" content="2023/05/05">' in post_html
    assert '<meta name="citation_online_date" content="2023/05/05">' in post_html
    assert '<span class="name">Grace Hopper</span>' in post_html
    assert '<meta property="article:published_time" content="2023-05-05T23:59:00-04:00">' in post_html
    assert post_html.count('name="citation_author"') == 2


def test_post_without_authors_falls_back_to_site_authors(renderer):
    page = renderer.post_page(make_page(make_post(authors=())))
    assert '<span class="name">Site Author</span>' in page
    assert "no-affiliations" in page


# ---------- TOC, footnotes, references, giscus ---------------------------------------------------
def test_toc_markup(post_html):
    toc = re.search(r'<nav class="toc.*?</nav>', post_html, re.S).group(0)
    assert '<a href="#intro">A &#34;quoted&#34; &lt;tag&gt; &amp; more</a>' in toc
    assert re.search(r'<ol>\s*<li><a href="#sub">Sub</a>', toc)  # nested list for the child


def test_no_toc_box_without_items(renderer):
    assert '<nav class="toc' not in renderer.post_page(make_page(toc=[]))


def test_footnotes_and_references_ids(post_html):
    assert '<li id="fn-1" value="1">A <em>note</em>. <a class="footnote-backref" href="#fnref-1"' in post_html
    assert '<li id="ref-gregor2015draw">K. Gregor. <em>DRAW</em>. 2015.</li>' in post_html
    assert post_html.index('id="ref-gregor2015draw"') < post_html.index('id="ref-b"')  # citation order
    assert '<div class="code-block" data-lang="bibtex"><pre class="highlight"><code>' in post_html


def test_empty_appendix_is_omitted(renderer):
    page = renderer.post_page(make_page(footnotes=[], references=[], citation=None))
    assert "d-appendix" not in page


def test_math_head_and_defs_placed(post_html):
    head, body = post_html.split("</head>")
    assert "<style id=math-css>" in head
    assert body.rstrip().endswith('<svg id="math-defs" style="display:none"></svg>\n</body>\n</html>')


def test_giscus_needs_site_config_and_post_opt_in():
    giscus = {"repo": "me/blog", "repo_id": "R_1", "category": 'Q&A "x"', "category_id": "C_1",
              "reactions_enabled": True}
    site = SiteConfig(title="t", giscus=giscus)
    on = Renderer(site, ASSETS).post_page(make_page(make_post(giscus_comments=True)))
    assert 'data-repo="me/blog"' in on and 'data-category="Q&amp;A &#34;x&#34;"' in on
    assert 'data-reactions-enabled="1"' in on and 'data-repo-id="R_1"' in on
    off = Renderer(site, ASSETS).post_page(make_page(make_post(giscus_comments=False)))
    assert "giscus.app" not in off
    unconfigured = Renderer(SiteConfig(), ASSETS).post_page(make_page(make_post(giscus_comments=True)))
    assert "giscus.app" not in unconfigured


def test_theme_toggle_and_inline_theme_script(post_html):
    head = post_html.split("</head>")[0]
    assert head.index("localStorage") < head.index('rel="stylesheet"')  # theme set before CSS paints
    assert re.search(r'<button class="theme-toggle" type="button" aria-label="[^"]+" aria-pressed="false"', post_html)


def test_theme_static_files_lists_css_and_js():
    files = theme_static_files()
    assert "css/site.css" in files and "js/site.js" in files
    assert b"explainer:theme" in files["js/site.js"]
    assert b"@media print" in files["css/site.css"]
