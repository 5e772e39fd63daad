"""The theme in a real browser: a small site built straight through Renderer, served and from disk.

Set EXPLAINER_SCREENSHOTS=/some/dir to keep screenshots of the post (light, dark, 375 px wide).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.resources
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from explainer.base.config import Affiliation, Author, PostMeta, SiteConfig
from explainer.posts.parsed import Footnote, TocItem
from explainer.posts.read import Post
from explainer.site.layout import PostPage, Renderer, theme_static_files

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class FakeReference:
    key: str
    html: str


def highlight_css() -> str:
    try:
        from explainer.posts.highlight import stylesheet
        return stylesheet()
    except ImportError:  # the highlighting module is another stage's; any Pygments CSS will do here
        light = HtmlFormatter(style="default").get_style_defs(".highlight")
        dark = HtmlFormatter(style="monokai").get_style_defs('[data-theme="dark"] .highlight')
        return light + "\n" + dark


def write_hashed(out: Path, name: str, data: bytes) -> str:
    stem, ext = Path(name).stem, Path(name).suffix
    rel = f"assets/{stem}.{hashlib.sha256(data).hexdigest()[:8]}{ext}"
    (out / rel).parent.mkdir(parents=True, exist_ok=True)
    (out / rel).write_bytes(data)
    return rel


CITE = ('<span class="citation">[<a class="cite-link" href="#ref-gregor2015draw">1</a>, '
        '<a class="cite-link" href="#ref-kingma2014">2</a>]<span class="hover-card" role="tooltip">'
        '<span class="hover-card-item">K. Gregor et al. <em>DRAW: A Recurrent Neural Network For Image '
        'Generation</em>. ICML 2015.</span><span class="hover-card-item">D. Kingma, M. Welling. '
        '<em>Auto-Encoding Variational Bayes</em>. ICLR 2014.</span></span></span>')
FOOTNOTE = ('<sup class="footnote-ref"><a class="footnote-link" href="#fn-1" id="fnref-1">1</a>'
            '<span class="hover-card" role="tooltip">This will become a hoverable footnote, with '
            '<code>code</code> inside.</span></sup>')
CHART = {"data": [{"type": "scatter", "mode": "lines", "x": [0, 1, 2, 3], "y": [3, 1, 2, 0.5], "name": "loss"}],
         "layout": {"title": {"text": "Training loss"}, "xaxis": {"title": {"text": "epoch"}}}}
PARA = ("An autoencoder learns to reconstruct its input through a bottleneck, so the code it learns must "
        "keep what matters most about each example and drop the rest. ")


def article_html() -> str:
    code = highlight("def mse(x, x_hat):\n    return ((x - x_hat) ** 2).mean()  # (batch,) -> scalar\n",
                     PythonLexer(), HtmlFormatter(nowrap=True))
    wide_svg = '<svg width="1400" height="40" viewBox="0 0 1400 40"><rect width="1400" height="40" fill="currentColor"/></svg>'
    chart = json.dumps(CHART).replace("</", "<\\/")
    parts = [
        '<h2 id="introduction">Introduction</h2>',
        f"<p>{PARA} Some prior work{CITE} made this popular.{FOOTNOTE}</p>",
        f'<aside><p>An aside in the gutter. {PARA}</p></aside>',
        f"<p>{PARA * 3}</p>",
        f'<div class="math-display">{wide_svg}</div>',
        f'<div class="code-block" data-lang="python"><pre class="highlight"><code>{code}</code></pre></div>',
        '<table><tr><th>' + "</th><th>".join(f"column {i}" for i in range(12)) + "</th></tr></table>",
        '<h2 id="the-loss">The loss</h2>',
        *[f"<p>{PARA * 4}</p>" for _ in range(6)],
        '<h3 id="a-plot">A plot</h3>',
        f'<figure class="explainer-figure l-page"><div class="plotly-chart"><script type="application/json">'
        f'{chart}</script></div><figcaption>Figure 1. Loss over training.</figcaption></figure>',
        *[f"<p>{PARA * 4}</p>" for _ in range(4)],
        '<p><a href="../../../">Back to all posts</a></p>',
    ]
    return "\n".join(parts)


def build_site(out: Path) -> dict:
    files = dict(theme_static_files())
    files["css/highlight.css"] = highlight_css().encode()
    files["js/plotly.js"] = (importlib.resources.files("plotly") / "package_data/plotly.min.js").read_bytes()
    assets = {name: write_hashed(out, name, data) for name, data in files.items()}
    site = SiteConfig(title="Explainer Test Site", url="https://example.org", authors=(Author("Site Author"),))
    meta = PostMeta(title="Autoencoders Explained", date=dt.datetime(2023, 5, 5, 11, 59),
                    description="Exploring generative models, one bottleneck at a time.",
                    authors=(Author("Zakaria Patel", "https://example.org/zp", (Affiliation("University of Toronto"),)),),
                    tags=("autoencoders", "ml"))
    post = Post(path=Path("content/posts/2023-05-05-autoencoders.md"), meta=meta, slug="autoencoders",
                body="", body_line=1, source="")
    page = PostPage(
        post=post, body_html=article_html(),
        toc=[TocItem("introduction", "Introduction"),
             TocItem("the-loss", "The loss", [TocItem("a-plot", "A plot")])],
        footnotes=[Footnote(1, "fn-1", "fnref-1", "This will become a hoverable footnote.")],
        references=[FakeReference("gregor2015draw", "K. Gregor et al. DRAW. ICML 2015. "
                                  '<a href="https://arxiv.org/abs/1502.04623">arXiv</a>'),
                    FakeReference("kingma2014", "D. Kingma, M. Welling. Auto-Encoding Variational Bayes.")],
        citation={"short": "Patel, \"Autoencoders Explained\", 2023.",
                  "bibtex": "@article{patel2023autoencoders,\n  author = {Patel, Zakaria},\n"
                            "  title = {Autoencoders Explained},\n  year = {2023}\n}"},
        math_head="", math_defs="", needs_plotly=True, needs_live=False)
    renderer = Renderer(site, assets)
    for rel, text in ((post.out_path, renderer.post_page(page)), ("index.html", renderer.index_page([post])),
                      ("404.html", renderer.not_found_page())):
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text, encoding="utf-8")
    return {"root": out, "post": post.out_path, "post_dir": post.url_path.strip("/") + "/"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("site"))


@pytest.fixture
def post_url(site, serve_dir):
    return serve_dir(site["root"]) + site["post_dir"]


def screenshot(page, name: str) -> None:
    folder = os.environ.get("EXPLAINER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def test_post_loads_cleanly_with_the_theme(page, post_url):
    page.goto(post_url)
    page.wait_for_load_state("load")
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "18px"
    assert page.evaluate("window.explainer.theme()") == "light"
    assert page.locator(".code-block .copy-button").count() == 2  # article code and BibTeX
    screenshot(page, "post-light.png")


def test_hover_cards_show_on_hover(page, post_url):
    page.goto(post_url)
    for host in (".citation", ".footnote-ref"):
        card = page.locator(f"{host} .hover-card").first
        assert not card.is_visible()
        page.locator(f"{host} a").first.hover()
        card.wait_for(state="visible")
        box = card.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= page.viewport_size["width"]
        page.mouse.move(1, 1)
        card.wait_for(state="hidden")


def test_escape_dismisses_keyboard_focused_card(page, post_url):
    page.goto(post_url)
    page.locator(".citation .cite-link").first.focus()
    card = page.locator(".citation .hover-card")
    card.wait_for(state="visible")
    page.keyboard.press("Escape")
    card.wait_for(state="hidden")


def test_toc_link_scrolls_to_heading(page, post_url):
    page.goto(post_url)
    page.locator('.toc a[href="#a-plot"]').click()
    page.wait_for_function("Math.abs(document.getElementById('a-plot').getBoundingClientRect().top) < 60")
    assert page.evaluate("location.hash") == "#a-plot"


def test_theme_toggle_switches_and_is_remembered(page, post_url):
    page.goto(post_url)
    page.evaluate("window.__events = []; document.addEventListener('explainer:theme', e => __events.push(e.detail.theme))")
    toggle = page.locator(".theme-toggle")
    toggle.click()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert toggle.get_attribute("aria-pressed") == "true"
    assert page.evaluate("window.__events") == ["dark"]
    light_bg = "rgb(255, 255, 255)"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != light_bg
    page.reload()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert page.evaluate("window.explainer.theme()") == "dark"
    page.locator(".plotly-chart").scroll_into_view_if_needed()
    page.locator(".plotly-chart svg.main-svg").first.wait_for()
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "post-dark.png")
    title_fill = "getComputedStyle(document.querySelector('.plotly-chart .gtitle')).fill"
    dark_fill = page.evaluate(title_fill)
    toggle.click()
    assert page.evaluate("document.documentElement.dataset.theme") == "light"
    page.wait_for_function(f"{title_fill} !== {json.dumps(dark_fill)}")  # charts follow the theme
    assert page.evaluate(title_fill) == "rgb(29, 31, 35)"


def test_system_dark_preference_is_followed(browser, post_url):
    context = browser.new_context(color_scheme="dark")
    try:
        pg = context.new_page()
        pg.goto(post_url)
        assert pg.evaluate("document.documentElement.dataset.theme") == "dark"
    finally:
        context.close()


def test_phone_width_has_no_sideways_scroll(page, post_url):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(post_url)
    page.wait_for_load_state("load")
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    # wide formulas, code and tables scroll inside their own boxes
    assert page.evaluate("document.querySelector('.math-display').scrollWidth > innerWidth")
    screenshot(page, "post-375.png")


def test_phone_tap_opens_card_on_screen_and_outside_tap_closes_it(browser, post_url):
    context = browser.new_context(viewport={"width": 375, "height": 700}, has_touch=True, is_mobile=True)
    try:
        pg = context.new_page()
        pg.goto(post_url)
        marker = pg.locator(".footnote-ref .footnote-link")
        marker.tap()
        card = pg.locator(".footnote-ref .hover-card")
        card.wait_for(state="visible")
        assert pg.evaluate("location.hash") == ""  # the first tap opens the card instead of jumping
        box = card.bounding_box()
        assert 0 <= box["x"] and box["x"] + box["width"] <= 375
        assert 0 <= box["y"] and box["y"] + box["height"] <= 700
        pg.locator("h2").first.tap()
        card.wait_for(state="hidden")
    finally:
        context.close()


def test_plotly_chart_draws_lazily(page, post_url):
    page.goto(post_url)
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.Plotly") == "undefined"  # far below the fold: not loaded yet
    page.locator(".plotly-chart").scroll_into_view_if_needed()
    page.locator(".plotly-chart svg.main-svg").first.wait_for()
    font = page.evaluate("getComputedStyle(document.querySelector('.plotly-chart .gtitle')).fill")
    assert font == "rgb(29, 31, 35)"  # the theme's --text colour
    assert page.evaluate("document.querySelectorAll('script[src*=\"plotly\"]').length") == 1


def test_site_works_from_disk(page, site):
    index = (site["root"] / "index.html").as_uri()
    page.goto(index)
    link = page.locator(".post-item-title a")
    assert link.get_attribute("href").endswith("/index.html")  # rewritten for file://
    link.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("autoencoders/index.html")
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "18px"
    page.locator(".plotly-chart").scroll_into_view_if_needed()
    page.locator(".plotly-chart svg.main-svg").first.wait_for()
    assert page.locator('a:text("Back to all posts")').get_attribute("href") == "../../../index.html"


def test_not_found_page_renders(page, site, serve_dir):
    base = serve_dir(site["root"])
    page.goto(base + "404.html")
    assert page.locator("h1").inner_text() == "Page not found"
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "18px"
