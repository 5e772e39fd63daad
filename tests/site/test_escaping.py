"""Escaping by context: URLs from data fields pass an allow-list, site.yml keys never become
attribute names, the feed stays valid XML, and TeX macros cannot smuggle `javascript:` links."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from explainer.base.config import load_site_config
from explainer.base.errors import ContentError, Diagnostics
from explainer.base.url_policy import safe_url, unsafe_hrefs_in_tex
from tests.conftest import write


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:x",
        "java\tscript:x",
        "java\nscript:x",
        "\x01javascript:x",
        "data:text/html,<script>",
        "vbscript:x",
        "file:///etc/passwd",
    ],
)
def test_dangerous_schemes_are_refused(url):
    assert safe_url(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a?b#c",
        "http://x",
        "mailto:a@b.c",
        "/blog/",
        "../x.png",
        "#sec",
        "//cdn.example.org/x",
        "page.html",
        "a:b/c?d".replace("a:", "./a:"),
    ],
)
def test_ordinary_urls_pass(url):
    assert safe_url(url) == url


def test_href_in_tex_macros():
    assert unsafe_hrefs_in_tex(r"\href{javascript:alert(1)}{x} \href{https://ok}{y}") == [
        "javascript:alert(1)"
    ]


def _site(tmp_path, text):
    path = write(tmp_path / "site.yml", text)
    diag = Diagnostics()
    return load_site_config(path, diag), diag


def test_site_yml_urls_and_macros_are_checked(tmp_path):
    site, diag = _site(
        tmp_path,
        """
        url: javascript:alert(1)
        authors:
          - name: A
            url: javascript:alert(2)
            affiliations: {name: B, url: "vbscript:x"}
        math:
          mode: client
          macros:
            evil: '\\href{javascript:alert(3)}{click}'
            fine: '\\mathbb{R}'
    """,
    )
    text = "\n".join(str(d) for d in diag.errors)
    assert "site.yml:1:1: error: `url: javascript:alert(1)` should be the site's http(s) origin" in text
    assert text.count("not an http(s), mailto or relative URL") == 3, text
    assert site.url == "" and site.authors[0].url is None and site.authors[0].affiliations[0].url is None
    assert site.math.macros == {"fine": "\\mathbb{R}"}


def test_giscus_keys_never_become_attribute_names(tmp_path):
    site, diag = _site(
        tmp_path,
        """
        giscus:
          repo: me/site
          "x onload": alert(1)
          data-onerror: alert(2)
          light_theme: light
    """,
    )
    assert site.giscus == {"repo": "me/site"}
    assert sum("is not a giscus setting" in d.message for d in diag.warnings) == 2


def test_giscus_values_are_escaped(content, build_site, tmp_path):
    write(
        content / "site.yml",
        """
        title: T
        giscus: {repo: 'me/x" onload="alert(1)', repo_id: R, category: C, category_id: D}
    """,
    )
    write(content / "posts" / "2024-01-01-a.md", "---\ntitle: A\ngiscus_comments: true\n---\nx\n")
    build_site(content)
    page = (tmp_path / "site/blog/2024/a/index.html").read_text()
    assert 'data-repo="me/x&#34; onload=&#34;alert(1)"' in page or "&quot; onload" in page
    assert ' onload="alert' not in page


def test_author_javascript_url_is_an_error_that_names_the_line(content, build_site):
    write(
        content / "posts" / "2024-01-01-a.md",
        """
        ---
        title: A
        authors:
          - name: Eve
            url: "javascript:alert(document.cookie)"
        ---
        x
    """,
    )
    with pytest.raises(ContentError, match=r"2024-01-01-a.md:3:1: error: author/affiliation `url:`"):
        build_site(content)


def test_feed_is_valid_xml_whatever_the_titles_hold(content, build_site, tmp_path):
    write(
        content / "posts" / "2024-01-01-a.md",
        '---\ntitle: "bell\\a vt\\v nul\\0 esc\\e & <b> ]]> \\uFFFE"\ndescription: "\\x01\\x1f"\n'
        'tags: ["a\\x02b"]\n---\nx\n',
    )
    build_site(content)
    root = ET.fromstring((tmp_path / "site/feed.xml").read_bytes())
    title = root.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title").text
    assert title == "bell vt nul esc & <b> ]]> "
    ET.fromstring((tmp_path / "site/sitemap.xml").read_bytes())


def test_bibtex_javascript_url_is_not_linked(content, build_site, tmp_path):
    write(
        content / "bibliography" / "refs.bib",
        "@misc{k, title={T}, author={A}, year={2020}, url={javascript:alert(1)}}\n",
    )
    write(
        content / "posts" / "2024-01-01-a.md",
        '---\ntitle: A\nbibliography: refs.bib\n---\n<d-cite key="k"></d-cite>\n',
    )
    build_site(content)
    assert "javascript:" not in (tmp_path / "site/blog/2024/a/index.html").read_text()
