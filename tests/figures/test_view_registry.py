"""The figure views are one registry seen from three places, which must agree: the catalogue the
parser validates against (figure_spec/catalog.py), the Python renderers (figures/views), and the
page's live runtime (live.js), whose view functions are named by each figure's `data-live`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from explainer.figure_spec.catalog import VIEWS
from explainer.figures.views import RENDERERS
from explainer.models.experiments import ExperimentConfig
from tests.figures.synthetic import DEFAULT, render_view

# Views that draw differently by the experiment: every variant, so every live kind is seen.
VARIANTS = {"traversal": [DEFAULT["traversal"], [ExperimentConfig("ae", latent_dim=16)]]}

LIVE_JS = Path(__file__).resolve().parents[2] / "explainer" / "theme" / "static" / "js" / "live.js"
_JS_VIEW_RE = re.compile(r"VIEWS(?:\.([\w]+)|\['([\w-]+)'\])\s*=\s*function")


def js_views() -> set[str]:
    return {a or b for a, b in _JS_VIEW_RE.findall(LIVE_JS.read_text(encoding="utf-8"))}


def python_live_kinds() -> dict[str, set[str]]:
    """view name -> the data-live kinds its rendering puts in the page."""
    out = {}
    for view in VIEWS:
        out[view] = set()
        for configs in VARIANTS.get(view, [DEFAULT[view]]):
            _, _, output = render_view(view, configs)
            out[view] |= set(re.findall(r'data-live="([^"]+)"', output.html))
    return out


def test_the_catalogue_and_the_renderers_name_the_same_views():
    assert set(VIEWS) == set(RENDERERS)
    assert set(DEFAULT) == set(VIEWS), "tests/figures/synthetic.py needs an example of every view"


@pytest.fixture(scope="module")
def kinds():
    return python_live_kinds()


def test_every_live_kind_a_view_emits_has_its_javascript(kinds):
    missing = {view: k - js_views() for view, k in kinds.items() if k - js_views()}
    assert missing == {}, f"live.js has no VIEWS entry for {missing}"


def test_live_js_has_no_view_that_no_figure_uses(kinds):
    used = set().union(*kinds.values())
    assert js_views() - used == set()


def test_the_parsing_of_live_js_finds_its_views():
    assert {"explorer", "image-grid", "samples"} <= js_views()
