"""Every author-controlled field outside the post body, filled with markup and `javascript:` URLs,
renders inert in Chromium: no dialog opens on load, on hover or on clicking every link.

(Raw HTML in a post's body is the author's by design, see the README's Security section, so the
body here holds only Markdown.)"""

from __future__ import annotations

import datetime as dt

import pytest

from explainer.base.config import Affiliation, Author, PostMeta, SiteConfig
from explainer.posts.read import Post
from explainer.site.layout import PostPage, Renderer, theme_static_files
from tests.conftest import write

pytestmark = pytest.mark.browser

X = '"><img src=x onerror=alert(1)><script>alert(2)</script>'


def _payload_site(content):
    write(
        content / "site.yml",
        f"""
        title: '{X}'
        description: '{X}'
        footer: '{X}'
        lang: 'en" onmouseover="alert(3)'
        giscus: {{repo: 'a" onload="alert(4)', repo_id: '{X}', category: c, category_id: d,
                 "x onload": "alert(5)"}}
        authors:
          - name: '{X}'
    """,
    )
    write(
        content / "bibliography" / "refs.bib",
        "@misc{k, title={<script>alert(6)</script>}, author={<img src=x onerror=alert(7)>}, year={2020},\n"
        ' url={javascript:alert(8)}, note={"><svg onload=alert(9)>}}\n',
    )
    write(
        content / "posts" / "2024-01-01-a.md",
        f"""
        ---
        title: '{X}'
        description: '{X}'
        tags: ['{X}']
        categories: ['{X}']
        giscus_comments: true
        bibliography: refs.bib
        _styles: '</style><script>alert(10)</script>'
        authors:
          - name: '{X}'
            affiliations: {{name: '{X}'}}
        toc:
          - name: '{X}'
        ---
        ## Section

        Cited <d-cite key="k"></d-cite>, a footnote[^1], [a link](#section).

        [^1]: Footnote {X.replace("<", "&lt;")}

        ```plotly
        {{"data": [{{"x": [1], "y": [2], "name": "</script><script>alert(11)</script>"}}],
         "layout": {{"title": "{X.replace('"', "'")}"}}}}
        ```
    """,
    )


def _no_dialog(page, url):
    """Load the page, hover every link and click every link that does not simply navigate (a
    `javascript:` URL runs on click); returns the page's text. Fails if any dialog opened."""
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    clicked = page.evaluate("""() => {
        let clicked = 0;
        for (const a of document.querySelectorAll('a[href], area[href]')) {
            a.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
            if (!['http:', 'https:', 'mailto:', 'file:'].includes(a.protocol) || a.hash) {
                a.click(); clicked++;
            }
        }
        return clicked;
    }""")
    page.wait_for_timeout(300)
    assert dialogs == []
    assert page.url.split("#")[0] == url.split("#")[0]
    return page.evaluate("document.body.innerText"), clicked


def test_payloads_in_every_field_stay_text(content, build_site, tmp_path, page, serve_dir):
    _payload_site(content)
    build_site(content)
    page.problems.clear()
    root = serve_dir(tmp_path / "site")
    text, clicked = _no_dialog(page, root + "blog/2024/a/")
    assert clicked >= 3  # in-page links (footnote, citation, section) were clicked
    assert "<img src=x onerror=alert(1)>" in text  # shown as the text the author wrote
    _no_dialog(page, root)
    _no_dialog(page, root + "404.html")
    # What is left to report: script errors. Requests cut short by the clicks' navigation, the inert
    # <img src=x> and the third-party giscus script (blocked offline) are expected.
    page.problems[:] = [p for p in page.problems if p.startswith("page error")]


def test_javascript_urls_that_reach_the_templates_are_not_links(tmp_path, page, serve_dir):
    """Config validation refuses them; should one arrive anyway (a plugin, a future field), the
    templates' `safe_url` filter still renders it as a dead `#` link."""
    site = SiteConfig(title="T")
    meta = PostMeta(
        title="T",
        date=dt.datetime(2024, 1, 1),
        authors=(Author("A", "javascript:alert(1)", (Affiliation("B", " JAVASCRIPT:alert(2)"),)),),
    )
    post = Post(tmp_path / "p.md", meta, "p", "", 4, "")
    html = Renderer(site, {}).post_page(PostPage(post, "<p>x</p>", [], [], [], None, "", "", False, False))
    out = tmp_path / "out"
    write(out / post.out_path, html)
    for name, data in theme_static_files().items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    assert "javascript" not in html.lower()
    page.problems.clear()
    _no_dialog(page, serve_dir(out) + post.out_path)
    page.problems.clear()  # the bare page lacks the hashed assets a build would add
