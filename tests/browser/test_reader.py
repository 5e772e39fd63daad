"""What a reader sees, in Chromium: cross-reference cards, phones, dark charts at first paint, print.

The site is the default content/ plus a cross-reference post, built with synthetic trained results
(tests/browser/reader_site.py), so these run in seconds.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.browser.reader_site import POSTS, build_reader_site

pytestmark = pytest.mark.browser
XREF = "blog/2026/cross-references/"
DIGITS = "blog/2026/autoencoders-explained/"


@pytest.fixture(scope="module")
def reader_site(tmp_path_factory):
    return build_reader_site(tmp_path_factory.mktemp("reader"))


@pytest.fixture
def base(reader_site, serve_dir):
    return serve_dir(reader_site)


def _new_page(browser, **context):
    ctx = browser.new_context(**context)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.errors = errors
    return page


def test_cross_reference_cards_on_hover_and_keyboard_focus(page, base):
    page.goto(base + XREF)
    fig = page.locator(".xref-fig").first
    assert fig.locator("a").inner_text() == "Figure\u00a01"
    fig.hover()
    card = fig.locator(".hover-card")
    card.wait_for(state="visible")
    assert "A small cat" in card.inner_text()
    assert card.locator(".xref-card-media img").count() == 1  # the figure's picture, borrowed
    # Keyboard: tab to the equation reference; its card holds a copy of the equation, ids removed.
    page.mouse.move(0, 0)
    eq = page.locator(".xref-eq").first
    eq.locator("a").focus()
    eq_card = eq.locator(".hover-card")
    eq_card.wait_for(state="visible")
    assert eq_card.locator("mjx-container, svg").count() >= 1
    assert eq_card.locator("[id]").count() == 0
    assert eq.locator("a").inner_text() == "Eq.\u00a0(1)"
    href = page.locator(".xref-tbl a").first.get_attribute("href")
    assert page.locator(f"[id='{href[1:]}'] figcaption").inner_text().startswith("Table\u00a01:")


@pytest.mark.parametrize("width", [320, 375, 414])
def test_no_page_scrolls_sideways_on_phones(browser, base, width):
    for dpr in (1, 2, 3):
        page = _new_page(browser, viewport={"width": width, "height": 740}, device_scale_factor=dpr,
                         is_mobile=True, has_touch=True)
        for path in ("", *POSTS):
            page.goto(base + path, wait_until="load")
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            page.wait_for_timeout(300)
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, f"{path or 'index'} at {width}px, DPR {dpr}: {scroll_width}px wide"
        pad = page.evaluate("(() => { var p = document.querySelector('.lv-pad'); return p && "
                            "[p.getBoundingClientRect().right, p.closest('figure').getBoundingClientRect().right]; })()")
        assert pad is None or pad[0] <= pad[1] + 0.5
        assert not page.errors, page.errors
        page.context.close()


def test_charts_are_themed_at_first_paint_in_dark_mode(browser, base):
    page = _new_page(browser, color_scheme="dark", viewport={"width": 1100, "height": 900})
    page.goto(base + DIGITS)
    chart = page.locator(".lv-chart").first
    chart.scroll_into_view_if_needed()
    page.wait_for_selector(".lv-chart[data-live-ready] .xtick text", timeout=20000)
    text = page.evaluate("getComputedStyle(document.querySelector('.lv-chart .xtick text')).fill")
    expected = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--text').trim()")
    assert _rgb(text) == _rgb(expected), (text, expected)
    # and a chart drawn by site.js on another page
    page.goto(base + XREF)
    page.locator(".plotly-chart").first.scroll_into_view_if_needed()
    page.wait_for_selector(".plotly-target .xtick text", timeout=20000)
    text = page.evaluate("getComputedStyle(document.querySelector('.plotly-target .xtick text')).fill")
    assert _rgb(text) == _rgb(expected)
    assert not page.errors, page.errors
    page.context.close()


def _rgb(css: str) -> tuple:
    css = css.strip()
    if css.startswith("#"):
        return tuple(int(css[i:i + 2], 16) for i in (1, 3, 5))
    return tuple(int(float(v)) for v in css[css.index("(") + 1:-1].split(",")[:3])


def test_print_shows_every_figure(browser, base, tmp_path):
    page = _new_page(browser, color_scheme="dark")
    for path in POSTS:
        page.goto(base + path, wait_until="load")  # printed straight after load
        shown = page.evaluate("Array.from(document.querySelectorAll('.figure-print, .chart-fallback'))"
                              ".filter(e => e.getBoundingClientRect().height > 0).length")
        assert shown == 0, f"{path}: print-only pictures show on screen"
        page.emulate_media(media="print")
        missing = page.evaluate("""() => Array.from(document.querySelectorAll('figure')).filter(f => {
            var pics = Array.from(f.querySelectorAll('img, svg.chart-fallback')).filter(p =>
              getComputedStyle(p).display !== 'none' && p.getBoundingClientRect().height > 20 &&
              (p.tagName !== 'IMG' || p.naturalWidth > 0));
            return pics.length === 0 && !f.classList.contains('xref-table');
          }).map(f => f.id || f.className)""")
        assert not missing, f"{path}: figures that print nothing: {missing}"
        hidden = page.evaluate("Array.from(document.querySelectorAll('.hover-card, .lv-controls, .theme-toggle'))"
                               ".filter(e => e.getBoundingClientRect().height > 0).length")
        assert hidden == 0
        page.emulate_media(media="screen")
    pdf = tmp_path / "post.pdf"
    page.goto(base + DIGITS, wait_until="load")
    page.pdf(path=str(pdf), format="A4")
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "p")], check=True)
        from PIL import Image, ImageStat
        pages = sorted(tmp_path.glob("p-*.png"))
        assert len(pages) >= 3
        # Every page carries ink (nothing printed as a blank page), and pages with figures are darker.
        ink = [255 - ImageStat.Stat(Image.open(p).convert("L")).mean[0] for p in pages]
        assert all(v > 2 for v in ink[:-1]), ink
    page.context.close()


def test_a_shared_address_restores_a_live_figure(browser, base):
    page = _new_page(browser, viewport={"width": 1100, "height": 900})
    page.goto(base + DIGITS)
    pad = page.locator(".lv-pad").first
    pad.scroll_into_view_if_needed()
    pad.focus()
    for key in ("ArrowRight", "ArrowRight", "ArrowUp", "Shift+ArrowLeft"):
        page.keyboard.press(key)
    slider = page.locator("figure#interpolate input[type=range]")
    slider.fill("0.8")
    page.wait_for_function("location.hash.indexOf('#interpolate/') === 0", timeout=10000)
    address = page.url
    assert "#interpolate/" in address and "t=0.80" in address
    page.locator(".lv-pad").first.focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_function("location.hash.indexOf('#explorer/') === 0", timeout=10000)
    address = page.url
    assert "#explorer/" in address
    wanted = pad.get_attribute("aria-valuetext")
    other = _new_page(browser, viewport={"width": 1100, "height": 900})
    other.goto(address)
    restored = other.locator(".lv-pad").first
    restored.wait_for()
    assert restored.get_attribute("aria-valuetext") == wanted
    other.wait_for_function("Math.abs(document.getElementById('explorer').getBoundingClientRect().top) < innerHeight",
                            timeout=10000)  # scrolled to it
    assert not page.errors and not other.errors, page.errors + other.errors
    page.context.close()
    other.context.close()
