"""axe-core finds no violations on any page of the default site or of the al-folio drafts (ours, and
../shared's when present), in either theme. axe-core comes from the `axe-playwright-python` package (test extra), which ships axe.min.js;
nothing is fetched. Without it the test is skipped."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.browser.reader_site import build_reader_site
from tests.conftest import write
from tests.fixtures.alfolio_drafts import drafts

pytestmark = pytest.mark.browser


def _axe_js() -> Path:
    module = pytest.importorskip("axe_playwright_python", reason="axe-core comes with axe-playwright-python")
    path = Path(module.__file__).parent / "axe.min.js"
    if not path.is_file():
        pytest.skip("axe-playwright-python ships no axe.min.js")
    return path


def _alfolio_site(tmp: Path, draft) -> Path:
    from explainer.pipeline import BuildOptions, build
    content = tmp / "content"
    (content / "posts").mkdir(parents=True)
    (content / "bibliography").mkdir()
    write(content / "site.yml", "title: Fixture\nurl: https://example.org\n")
    name = draft.md.name if draft.md.stem[:4].isdigit() else f"2024-05-01-{draft.md.name}"
    shutil.copy(draft.md, content / "posts" / name)
    shutil.copy(draft.bib, content / "bibliography")
    build(BuildOptions(content=content, out=tmp / "site", cache_dir=tmp / ".cache", jobs=1), log=lambda line: None)
    return tmp / "site"


def _violations(browser, site: Path, base: str, scheme: str, axe: Path) -> list[str]:
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    found = []
    for rel in sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")):
        page.goto(base + rel, wait_until="load")
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # live figures build themselves
        page.wait_for_timeout(800)
        page.add_script_tag(path=str(axe))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        found += [f"{scheme} {rel}: {v['id']} ({len(v['nodes'])}): {v['nodes'][0]['html'][:120]}"
                  for v in result["violations"]]
    context.close()
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_default_site_has_no_axe_violations(browser, serve_dir, tmp_path, scheme):
    axe = _axe_js()
    site = build_reader_site(tmp_path)
    assert _violations(browser, site, serve_dir(site), scheme, axe) == []


@pytest.mark.parametrize("draft", drafts(), ids=lambda d: d.name)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_alfolio_drafts_have_no_axe_violations(browser, serve_dir, tmp_path, scheme, draft):
    axe = _axe_js()
    site = _alfolio_site(tmp_path, draft)
    assert _violations(browser, site, serve_dir(site), scheme, axe) == []


def test_keyboard_reaches_the_explorer_and_moves_it(browser, serve_dir, tmp_path):
    site = build_reader_site(tmp_path)
    page = browser.new_page()
    page.goto(serve_dir(site) + "blog/2026/autoencoders-explained/")
    pad = page.locator(".lv-pad").first
    pad.scroll_into_view_if_needed()
    pad.focus()
    before = pad.get_attribute("aria-valuetext")
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(100)
    assert pad.get_attribute("aria-valuetext") != before
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.close()


def test_keyboard_steps_through_the_latent_chart(browser, serve_dir, tmp_path):
    site = build_reader_site(tmp_path)
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    page.goto(serve_dir(site) + "blog/2026/autoencoders-explained/")
    page.wait_for_selector(".lv-chart[data-live-ready]", timeout=20000)
    chart = page.locator(".lv-chart").first
    chart.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_selector(".lv-chart .hoverlayer .hovertext", timeout=5000)  # the point's label shows
    page.close()
