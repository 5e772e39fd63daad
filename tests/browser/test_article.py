"""The default site's article in Chromium: every figure draws and responds to its interaction, with no
console error and no request leaving the site (the `page` fixture fails on either).

Builds content/ as `python build.py` does, with the repository's training cache (.cache/): the first
run on a fresh clone trains the article's models (minutes on a CPU), later runs take seconds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]
REPO = Path(__file__).resolve().parents[2]
ARTICLE = "blog/2026/autoencoders-explained/"
SLIDER_VIEWS = {"interpolate": ".lv-big canvas", "denoise": ".lv-cell:nth-child(3) canvas",
                "samples": "canvas", "traversal": ".lv-big canvas"}


@pytest.fixture(scope="module")
def default_site(tmp_path_factory) -> Path:
    from explainer.pipeline import BuildOptions, build

    out = tmp_path_factory.mktemp("default") / "site"
    report = build(BuildOptions(content=REPO / "content", out=out, cache_dir=REPO / ".cache", strict=True),
                   log=lambda line: None)
    assert not report.warnings
    return out


def _figures(site: Path) -> list[tuple[str, str]]:
    """(id, view) of each model figure of the article, from its HTML."""
    html = (site / ARTICLE / "index.html").read_text(encoding="utf-8")
    return re.findall(r'<figure id="([\w-]+)" class="[^"]*explainer-figure[^"]*" data-view="([\w-]+)"', html)


def _pixels(page, selector: str) -> str:
    return page.evaluate(f"document.querySelector({json.dumps(selector)}).toDataURL()")


def _show(page, fid: str) -> None:
    page.evaluate(f"document.getElementById({json.dumps(fid)}).scrollIntoView({{block: 'center'}})")
    page.wait_for_function(
        f"""() => {{ const f = document.getElementById({json.dumps(fid)});
            return f.querySelector('.live-view[data-live-ready], .lv-chart[data-live-ready]')
                || f.querySelector('.plotly-chart .main-svg'); }}""", timeout=15000)


def _slide(page, fid: str, canvas: str, index: int = 0) -> None:
    sel = f"#{fid} {canvas}"
    before = _pixels(page, sel)
    page.evaluate(f"""() => {{ const s = document.querySelectorAll('#{fid} input[type=range]')[{index}];
        s.value = +s.min + (s.max - s.min) * 0.9; s.dispatchEvent(new Event('input')); }}""")
    assert _pixels(page, sel) != before, f"{fid}: moving its slider changed nothing"


def _hover_canvas(page, fid: str) -> None:
    canvas = page.locator(f"#{fid} .lv-row canvas").nth(1)
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] / 2)
    assert "squared error" in (canvas.get_attribute("title") or ""), f"{fid}: no error shown on hover"


def _hover_chart(page, fid: str) -> None:
    """The pointer over a data point brings up its hover label. Curves drawn as lines only have no
    marker to aim at: the pointer goes to where Plotly draws the curve's 10th point."""
    if page.query_selector(f"#{fid} .scatterlayer .point"):
        box = page.locator(f"#{fid} .scatterlayer .point").nth(1).bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    else:
        x, y = page.evaluate(f"""() => {{
            const div = document.querySelector('#{fid} .js-plotly-plot'), t = div._fullData[0];
            const xa = div._fullLayout.xaxis, ya = div._fullLayout.yaxis, r = div.querySelector('.nsewdrag').getBoundingClientRect();
            return [r.left + xa.l2p(xa.d2l(t.x[10])), r.top + ya.l2p(ya.d2l(t.y[10]))]; }}""")
    page.mouse.move(x, y)
    page.wait_for_selector(f"#{fid} .hoverlayer .hovertext", timeout=3000)


def _move_pad(page, fid: str) -> None:
    out = f"#{fid} .lv-big canvas"
    before = _pixels(page, out)
    box = page.locator(f"#{fid} .lv-pad").bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.2)
    page.wait_for_timeout(50)
    assert _pixels(page, out) != before, f"{fid}: moving over the plane drew nothing new"


def _hover_latent(page, fid: str) -> None:
    side = f"#{fid} .lv-side canvas"
    before = _pixels(page, side)
    point = page.locator(f"#{fid} .scatterlayer .trace").nth(2).locator(".point").nth(1)
    box = point.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(100)
    assert _pixels(page, side) != before, f"{fid}: hovering a point showed no digit"


def test_every_article_figure_draws_and_responds(default_site, page, serve_dir):
    figures = _figures(default_site)
    assert len(figures) >= 10
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(serve_dir(default_site) + ARTICLE)
    # Above the fold: the first figure starts within the first screen.
    top = page.evaluate(f"document.getElementById('{figures[0][0]}').getBoundingClientRect().top")
    assert top < 900 - 200, f"the first figure starts at {top}px: less than 200 px of it on the first screen"
    live = 0
    for fid, view in figures:
        _show(page, fid)
        for canvas in page.query_selector_all(f"#{fid} canvas"):
            assert canvas.evaluate("c => c.width > 0 && c.height > 0"), fid
        if view == "latent-explorer":
            _move_pad(page, fid)
        elif view == "latent":
            _hover_latent(page, fid)
        elif view == "reconstructions":
            _hover_canvas(page, fid)
        elif view in ("compare", "training"):
            _hover_chart(page, fid)
        elif view == "traversal" and page.query_selector(f"#{fid} input[type=range]"):
            _slide(page, fid, SLIDER_VIEWS["traversal"])
        elif view in SLIDER_VIEWS and view != "traversal":
            _slide(page, fid, SLIDER_VIEWS[view])
        live += bool(page.query_selector(f"#{fid} .live-view[data-live-ready]")) and view not in ("latent",)
    assert live >= 6, f"only {live} live figures"
    # The theme toggle redraws every live canvas in the dark theme's colours.
    grid = next(fid for fid, view in figures if view == "traversal" and not page.query_selector(
        f"#{fid} input[type=range]"))
    before = _pixels(page, f"#{grid} canvas")
    page.evaluate("document.documentElement.setAttribute('data-theme', 'dark')")
    page.wait_for_timeout(100)
    assert _pixels(page, f"#{grid} canvas") != before


def test_measured_numbers_are_filled_and_explained(default_site):
    html = (default_site / ARTICLE / "index.html").read_text(encoding="utf-8")
    measured = re.findall(r'<span class="measured" title="Measured when the site was built: ([^"]+)">([^<]+)<', html)
    assert len(measured) >= 30
    assert all(re.fullmatch(r"[\u2212]?[\d,.]+(e[-+]\d+)?%?", value) for _, value in measured), measured
    assert "\x02" not in html and "{measure" not in html and "{claim" not in html
