"""links.py on rendered HTML: internal links, #anchors, images, alt text."""

from __future__ import annotations

import pytest

from explainer.site.links import SiteIndex, check_page, line_of, resolve, scan_html

PAGE = "blog/2023/a/index.html"


@pytest.mark.parametrize("url, expected", [
    ("#intro", (PAGE, "intro", None)),
    ("../b/", ("blog/2023/b/index.html", "", None)),
    ("../b/#sec", ("blog/2023/b/index.html", "sec", None)),
    ("/blog/2023/b/", ("blog/2023/b/index.html", "", None)),
    ("../../../", ("index.html", "", None)),
    ("/", ("index.html", "", None)),
    ("figures/x.png?v=1", ("blog/2023/a/figures/x.png", "", None)),
    ("/assets/img/a%20b.png", ("assets/img/a b.png", "", None)),
    ("https://example.org/x", (None, "", None)),
    ("mailto:a@b.c", (None, "", None)),
    ("//cdn.example.org/x.js", (None, "", None)),
])
def test_resolve(url, expected):
    assert resolve(PAGE, url) == expected


def test_resolve_refuses_links_that_leave_the_site_or_the_base_path():
    assert "outside the site" in resolve(PAGE, "../../../../x.html")[2]
    assert "base path /sub" in resolve(PAGE, "/blog/2023/b/", baseurl="/sub")[2]
    assert resolve(PAGE, "/sub/blog/2023/b/", baseurl="/sub")[0] == "blog/2023/b/index.html"


def _problems(html: str, tmp_path=None, files=None, ids=None):
    index = SiteIndex(files or {PAGE, "blog/2023/b/index.html", "index.html"},
                      ids if ids is not None else {"blog/2023/b/index.html": {"results"}},
                      content=tmp_path)
    index.ids.setdefault(PAGE, scan_html(html).ids)
    found = []
    check_page(PAGE, html, index, lambda sev, needle, msg: found.append((sev, needle, msg)))
    return found


def test_good_links_pass():
    html = ('<h2 id="intro">I</h2><a href="#intro">x</a><a href="../b/#results">y</a>'
            '<a href="https://example.org">z</a><a href="../../../">home</a><a href="#">top</a>'
            '<img src="data:image/png;base64,AA" alt="a dot">')
    assert _problems(html) == []


def test_broken_links_anchors_and_images_are_reported(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "ok.png").write_bytes(b"png")
    html = ('<h2 id="introduction">I</h2><a href="#intro">x</a><a href="../b/#result">y</a>'
            '<a href="../c/">z</a><img src="/assets/ok.png" alt="fine"><img src="/assets/gone.png" alt="g">'
            '<img src="/assets/ok.png"><img src="https://example.org/x.png" alt="remote">')
    found = _problems(html, tmp_path)
    messages = "\n".join(m for _, _, m in found)
    assert "broken anchor `#intro`" in messages and "did you mean `introduction`" in messages
    assert "broken anchor `#result`: no element with id `result` on /blog/2023/b/" in messages
    assert "`results`" in messages
    assert "broken link to /blog/2023/c/: nothing is published there" in messages
    assert "image `/assets/gone.png` not found" in messages and "content/assets/gone.png" in messages
    assert "no alt text" in messages and "another host" in messages
    severities = {m.split(":")[0]: s for s, _, m in found}
    assert severities["broken anchor `#intro`"] == "warning"  # an error only under --strict
    assert [s for s, _, m in found if "no alt text" in m] == ["warning"]
    assert not any("`/assets/ok.png` not found" in m for m in messages.splitlines())


def test_line_of_finds_what_the_author_wrote():
    source = "---\ntitle: x\n---\n\nSee [the intro](#intro).\n![](img/cat.png)\n"
    assert line_of(source, "#intro", 4) == 5
    assert line_of(source, "/blog/2023/a/img/cat.png", 4) == 6
    assert line_of(source, "#nowhere", 4) == 4


def test_scan_reads_math_for_equation_ids_and_eqref_links_only():
    from explainer.site.link_scan import scan_html
    page = ('<p><mjx-container class="MathJax" jax="SVG"><svg><g id="mjx-eqn:eq:a"><use xlink:href="#G1"/>'
            '</g><a href="#mjx-eqn%3Aeq%3Aa"><rect/></a></svg></mjx-container> and <a href="/x/">x</a></p>'
            '<svg class="math-defs" style="display: none"><defs><path id="MJX-TEX-N-31"/></defs></svg>'
            '<h2 id="after">After</h2>')
    scan = scan_html(page)
    assert scan.ids == {"mjx-eqn:eq:a", "after"}
    assert scan.links == ["#mjx-eqn%3Aeq%3Aa", "/x/"]
