"""live.js in Chromium: the forward pass matches numpy, every view draws and responds, no console errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from explainer.figures.live import decode, encode, forward, share_models
from explainer.models.experiments import ExperimentConfig
from tests.figures.synthetic import DEFAULT, mlp, render_view

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
LIVE_JS = ROOT / "explainer/theme/static/js/live.js"

# A stand-in for the theme's site.js: loadPlotly() and drawing `.plotly-chart` charts.
SITE_STANDIN = """<script>
window.explainer = {loadPlotly: function () {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  return new Promise(function (ok, fail) { var s = document.createElement('script'); s.src = 'plotly.min.js';
    s.onload = function () { ok(window.Plotly); }; s.onerror = fail; document.head.appendChild(s); });
}};
document.addEventListener('DOMContentLoaded', function () {
  document.querySelectorAll('.plotly-chart').forEach(function (div) {
    var fig = JSON.parse(div.querySelector('script').textContent);
    window.explainer.loadPlotly().then(function (P) { return P.newPlot(div, fig.data, fig.layout); })
      .then(function () { div.setAttribute('data-drawn', ''); });
  });
});
</script>"""
STYLE = ("<style>:root{--text:#111;--bg:#fff;--muted:#666;--accent:#4e79a7;--border:#ccc;--card-bg:#fafafa}"
         "[data-theme=dark]{--text:#eee;--bg:#121212}.figure-print{display:none}</style>")  # print-only, as site.css


def _page(tmp: Path, body: str) -> str:
    plotly_js = Path(__import__("plotly").__file__).parent / "package_data/plotly.min.js"
    if not (tmp / "plotly.min.js").exists():
        shutil.copy(plotly_js, tmp / "plotly.min.js")
        shutil.copy(LIVE_JS, tmp / "live.js")
    (tmp / "index.html").write_text(f"<!doctype html><html data-theme='light'><head><meta charset='utf-8'>"
                                    f"{STYLE}{SITE_STANDIN}</head><body>{body}"
                                    f"<script src='live.js'></script></body></html>", encoding="utf-8")
    return (tmp / "index.html").as_uri()


def _open(browser, url):
    page = browser.new_page(viewport={"width": 1000, "height": 800})
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    return page, errors


def test_forward_pass_matches_numpy_and_is_fast(browser, tmp_path):
    decoder = mlp([2, 64, 128, 64], ["relu", "relu", "sigmoid"], np.random.default_rng(3))
    payload = encode(decoder)
    codes = np.random.default_rng(4).standard_normal((100, 2)).astype(np.float32) * 2
    page, errors = _open(browser, _page(tmp_path, ""))
    js = page.evaluate("""([payload, codes]) => {
        const m = window.explainer.live.loadModel(payload);
        return codes.map(c => Array.from(m.forward(Float32Array.from(c))));
    }""", [payload, codes.tolist()])
    expected = forward(decode(payload), codes)
    assert np.abs(np.array(js) - expected).max() < 1e-4
    ms = page.evaluate("p => window.explainer.live.benchmark(p, 20000)", payload)
    print(f"\nJS decode (2-64-128-64): {ms * 1000:.1f} µs per decode")
    assert ms < 1.0
    assert not errors


def _all_views_html(tmp_path: Path) -> str:
    outs = [render_view(view, fig_id=view)[2] for view in DEFAULT]
    outs.append(render_view("traversal", [ExperimentConfig("ae", latent_dim=16)], fig_id="sliders")[2])
    outs.append(render_view("latent", [ExperimentConfig("ae", dataset="moons", latent_dim=2)], fig_id="points")[2])
    (tmp_path / "figures").mkdir(exist_ok=True)
    for out in outs:
        for rel, data in out.files.items():  # where the figure's <img> (print, no-JS) looks for it
            (tmp_path / "figures" / Path(rel).name).write_bytes(data)
    parts = [out.html for out in outs]
    parts, registry = share_models(parts)  # as the build does: models by reference, once a page
    return "\n".join(parts) + registry


def _pixels(page, selector):
    return page.evaluate(f"document.querySelector({json.dumps(selector)}).toDataURL()")


def test_every_view_draws_and_responds(browser, tmp_path):
    page, errors = _open(browser, _page(tmp_path, _all_views_html(tmp_path)))
    page.wait_for_function("document.querySelectorAll('.live-view[data-live-ready]').length == 8")
    # static charts (site.js stand-in) and the live latent chart all drew
    page.evaluate("document.querySelector('#latent').scrollIntoView()")
    page.wait_for_function("document.querySelector('#latent .lv-chart[data-live-ready]') !== null")
    page.wait_for_function("document.querySelectorAll('.plotly-chart[data-drawn]').length == 3")
    for canvas in page.query_selector_all(".live-view canvas"):
        assert canvas.evaluate("c => c.width > 0 && c.height > 0")

    before = _pixels(page, "#latent .lv-side canvas")  # hover a point: its digit appears
    point = page.locator("#latent .scatterlayer .trace").nth(3).locator(".point").nth(2)
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(100)
    assert _pixels(page, "#latent .lv-side canvas") != before

    pad, out = "#latent-explorer .lv-pad", "#latent-explorer .lv-big canvas"
    before = _pixels(page, out)
    box = page.locator(pad).bounding_box()
    page.mouse.move(box["x"] + 10, box["y"] + 10)
    page.wait_for_timeout(50)
    moved = _pixels(page, out)
    assert moved != before
    page.focus(pad)
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    page.wait_for_timeout(50)
    assert _pixels(page, out) != moved

    for fig, canvas in (("interpolate", ".lv-big canvas"), ("denoise", ".lv-cell:nth-child(3) canvas"),
                        ("samples", "canvas"), ("sliders", ".lv-big canvas")):
        sel = f"#{fig} {canvas}"
        before = _pixels(page, sel)
        page.evaluate(f"""() => {{ const s = document.querySelector('#{fig} input[type=range]');
            s.value = s.max * 0.9; s.dispatchEvent(new Event('input')); }}""")
        assert _pixels(page, sel) != before, fig

    before = _pixels(page, "#reconstructions canvas")
    page.evaluate("document.documentElement.setAttribute('data-theme', 'dark')")
    page.wait_for_timeout(50)
    assert _pixels(page, "#reconstructions canvas") != before  # redrawn in the dark theme's ink
    assert not errors, errors
