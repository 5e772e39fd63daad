"""An author's model trained end to end: every view, the cache, and errors at the author's line."""

from __future__ import annotations

import re

import pytest

from explainer.base.errors import ContentError
from tests.conftest import write
from tests.models.author_fixtures import tiny_content

pytest.importorskip("jax")

EXPERIMENT = "{model: tiny, dataset: columns}"
VIEWS = {  # view -> extra YAML; every view applies to the tiny model (it has a prior and corrupts)
    "reconstructions": "", "latent": "", "latent-explorer": "", "traversal": "", "interpolate": "",
    "denoise": "", "samples": "", "training": "", "compare": "",
}


def post(views=VIEWS, experiment=EXPERIMENT) -> str:
    blocks = "\n".join(f"```figure\nid: f-{v}\nview: {v}\nexperiment: {experiment}\ncaption: {v}.\n```\n"
                       for v in views)
    return f"---\ntitle: Mine\ndate: 2026-01-02\n---\nText.\n\n{blocks}"


@pytest.fixture
def site(content):
    tiny_content(content)
    write(content / "posts" / "2026-01-02-mine.md", post())
    return content


def lines_of(build_site, content):
    log = []
    from explainer.pipeline import BuildOptions, build

    def run():
        log.clear()
        opts = BuildOptions(content=content, out=content.parent / "site", cache_dir=content.parent / ".cache",
                            jobs=1)
        build(opts, log=log.append)
        return [line for line in log if line.startswith(("trained", "cached"))]
    return run


@pytest.mark.slow
def test_every_view_renders_trains_once_and_retrains_only_on_an_edit(site, build_site, tmp_path):
    build = lines_of(build_site, site)
    first = build()
    assert len(first) == 1 and first[0].startswith("trained Tiny d=2 · columns (why: new)")
    html = (tmp_path / "site/blog/2026/mine/index.html").read_text()
    for view in VIEWS:
        assert f'id="f-{view}"' in html, view
    for live in ("explorer", "interpolate", "samples", "denoise"):  # its MLP runs in the page
        assert f'data-live="{live}"' in html, live
    assert "live-models" in html
    assert not [line for line in build() if line.startswith("trained")]  # cached (or the page reused)
    write(site / "posts" / "2026-01-03-other.md", "---\ntitle: Other\ndate: 2026-01-03\n---\nNo figures.\n")
    write(site / "models" / "_unused.py", "VALUE = 1\n")
    assert not [line for line in build() if line.startswith("trained")]  # unrelated edits retrain nothing
    model = site / "models" / "tiny.py"
    model.write_text(model.read_text().replace("1e-3 * jnp.mean(z**2)", "2e-3 * jnp.mean(z**2)"))
    again = build()
    assert len(again) == 1 and "(why: content/models/tiny.py changed)" in again[0]
    write(site / "data" / "scale.txt", "0.8\n")
    assert "(why: content/data/scale.txt changed)" in build()[0]


@pytest.mark.slow
def test_a_bug_in_the_model_is_reported_at_its_line_with_the_figure(site, build_site):
    model = site / "models" / "tiny.py"
    text = model.read_text().replace("        z = self.encode(self.corrupt(x, key))",
                                     "        z = self.encode(self.corrupt(x, key)) * undefined_scale")
    model.write_text(text)
    write(site / "posts" / "2026-01-02-mine.md", post(["latent"]))
    with pytest.raises(ContentError) as err:
        build_site(site)
    message = str(err.value)
    line = text.splitlines().index("        z = self.encode(self.corrupt(x, key)) * undefined_scale") + 1
    assert re.search(rf"models/tiny\.py:{line}:1: error: NameError while training Tiny d=2 · columns: "
                     r"name 'undefined_scale' is not defined \(used by figure `f-latent` at .*mine\.md:\d+\)",
                     message), message
    assert "Traceback" not in message


@pytest.mark.slow
def test_a_shape_mismatch_names_both_shapes(site, build_site):
    model = site / "models" / "tiny.py"
    text = model.read_text().replace(".reshape(z.shape[0], *self.shape)", "")
    model.write_text(text)
    write(site / "posts" / "2026-01-02-mine.md", post(["latent"]))
    with pytest.raises(ContentError) as err:
        build_site(site)
    line = text.splitlines().index("    def decode(self, z):") + 1
    assert f"tiny.py:{line}:1: error: Tiny.decode returned shape (2, 36); expected (2, 6, 6)" in str(err.value)


@pytest.mark.slow
def test_nan_names_the_figure_experiment_and_step(site, build_site):
    model = site / "models" / "tiny.py"
    model.write_text(model.read_text().replace("return jnp.mean((self.decode(z) - x) ** 2)",
                                               "return jnp.log(-1.0) + jnp.mean((self.decode(z) - x) ** 2)"))
    write(site / "posts" / "2026-01-02-mine.md", post(["latent"]))
    with pytest.raises(ContentError) as err:
        build_site(site)
    assert re.search(r"mine\.md:\d+:\d+: error: figure `f-latent`: training Tiny d=2 · columns diverged: "
                     r"loss became NaN or infinite at step 1", str(err.value)), str(err.value)


@pytest.mark.slow
@pytest.mark.browser
def test_the_author_models_live_figures_respond_in_chromium(site, build_site, tmp_path, page):
    """The tiny model's decoder runs in the page: moving over the explorer redraws its image, and
    the denoiser's slider changes its output."""
    write(site / "posts" / "2026-01-02-mine.md", post(["latent-explorer", "denoise"]))
    build_site(site)
    page.goto((tmp_path / "site/blog/2026/mine/index.html").as_uri())
    page.wait_for_function("document.querySelectorAll('.live-view[data-live-ready]').length == 2")
    canvas = "#f-latent-explorer .lv-big canvas"
    before = page.evaluate(f"document.querySelector('{canvas}').toDataURL()")
    box = page.locator("#f-latent-explorer .lv-pad").bounding_box()
    page.mouse.move(box["x"] + 8, box["y"] + 8)
    page.wait_for_timeout(50)
    assert page.evaluate(f"document.querySelector('{canvas}').toDataURL()") != before
    out = "#f-denoise .lv-cell:nth-child(3) canvas"
    before = page.evaluate(f"document.querySelector('{out}').toDataURL()")
    page.evaluate("""() => { const s = document.querySelector('#f-denoise input[type=range]');
        s.value = s.max * 0.9; s.dispatchEvent(new Event('input')); }""")
    assert page.evaluate(f"document.querySelector('{out}').toDataURL()") != before
