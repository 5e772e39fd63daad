"""The preview in a real browser: an edit shows without reloading by hand, at the same scroll
position; a build error shows as an overlay and clears when the file is fixed."""

from __future__ import annotations

import pytest

from tests.conftest import write

pytestmark = pytest.mark.browser

PARAGRAPHS = "\n\n".join(f"Paragraph {i} of a long post, there to make the page scroll." for i in range(80))
POST = f"---\ntitle: Hello\ndate: 2023-05-05\n---\n## Intro\n\nFirst version of the text.\n\n{PARAGRAPHS}\n"


@pytest.fixture
def preview(content, tmp_path):
    from explainer.pipeline import BuildOptions
    from explainer.serve.server import Preview

    post = write(content / "posts" / "2023-05-05-hello.md", POST)
    opts = BuildOptions(content=content, out=tmp_path / "site", cache_dir=tmp_path / ".cache", jobs=1)
    p = Preview(opts, port=0, log=lambda line: None, interval=0.02)
    p.start()
    yield p, post
    p.stop()


def _connected(page) -> None:
    page.wait_for_selector("html[data-preview=connected]", state="attached", timeout=10_000)


def test_edit_reloads_the_page_in_place_and_errors_overlay_it(preview, page):
    from playwright.sync_api import expect

    p, post = preview
    page.set_viewport_size({"width": 800, "height": 600})
    page.goto(p.url + "blog/2023/hello/")
    expect(page.locator("body")).to_contain_text("First version")
    _connected(page)
    page.evaluate("window.scrollTo(0, 1500)")
    page.wait_for_function("window.scrollY >= 1400")

    with page.expect_navigation(timeout=10_000):
        post.write_text(POST.replace("First version", "Second version"))
    expect(page.locator("body")).to_contain_text("Second version")
    page.wait_for_load_state("load")
    assert abs(page.evaluate("window.scrollY") - 1500) < 50  # kept its place
    _connected(page)

    post.write_text("---\ntitle: [unclosed\n---\nx\n")
    overlay = page.locator("#explainer-error-overlay")
    expect(overlay).to_be_visible(timeout=10_000)
    expect(overlay).to_contain_text("2023-05-05-hello.md:2")
    expect(page.locator("body")).to_contain_text("Second version")  # the last good page stays

    post.write_text(POST.replace("First version", "Second version"))  # fixed: same page as before
    expect(overlay).to_have_count(0, timeout=10_000)  # cleared without a reload

    with page.expect_navigation(timeout=10_000):
        post.write_text(POST.replace("First version", "Third version"))
    expect(page.locator("body")).to_contain_text("Third version")
    _connected(page)
    expect(overlay).to_have_count(0)
    # Closing the event stream on reload aborts its request; that is not a page problem.
    page.problems[:] = [x for x in page.problems if "/__explainer/events" not in x]
