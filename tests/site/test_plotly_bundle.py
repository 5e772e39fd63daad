"""Which plotly.js a page loads: the basic build when installed, of the same version, and enough."""

from __future__ import annotations

import pytest

from explainer.base.process_caches import reset
from explainer.site.assets import plotly_js
from explainer.site.plotly_bundle import NPM_PREFIX_ENV, bundle_version, chart_trace_types, fits_basic
from tests.conftest import write


def test_trace_types_of_fences_and_live_latent_views():
    body = ('<div class="plotly-chart"><script type="application/json">{"data":[{"x":[1]},{"type":"bar"}],'
            '"layout":{"xaxis":{"type":"log"}}}</script></div>'
            '<div class="live-view"><script type="application/json" class="live-data">'
            '{"plot":{"data":[{"type":"scatter"}]},"shape":[8,8]}</script></div>'
            '<script type="application/json" class="live-data">{"model":{"layers":[]}}</script>')
    assert chart_trace_types(body) == {"scatter", "bar"} and fits_basic(body)
    assert not fits_basic('<script type="application/json">{"data":[{"type":"heatmap","z":[[1]]}]}</script>')
    assert not fits_basic('<script type="application/json">{"data": [oops</script>')


@pytest.fixture
def basic_prefix(tmp_path, monkeypatch):
    """A stand-in for npm's plotly.js-basic-dist-min, of the installed full bundle's version."""
    prefix = tmp_path / "npm"
    version = bundle_version(plotly_js())
    write(prefix / "node_modules" / "plotly.js-basic-dist-min" / "plotly-basic.min.js",
          f"/**\n* plotly.js (basic - minified) v{version}\n*/\nwindow.Plotly = {{}};\n")
    monkeypatch.setenv(NPM_PREFIX_ENV, str(prefix))
    reset("assets")
    yield prefix
    reset("assets")


def _scripts(site):
    return sorted(p.name.split(".")[0] for p in (site / "assets").glob("plotly*.js"))


def test_pages_whose_charts_fit_load_the_basic_build(content, build_site, tmp_path, basic_prefix):
    write(content / "posts" / "2024-01-01-bars.md",
          '---\ntitle: Bars\ndate: 2024-01-01\n---\n```plotly\n{"data": [{"type": "bar", "y": [1, 2]}]}\n```\n')
    build_site(content)
    page = (tmp_path / "site" / "blog" / "2024" / "bars" / "index.html").read_text()
    assert "assets/plotly-basic." in page and _scripts(tmp_path / "site") == ["plotly-basic"]
    write(content / "posts" / "2024-01-02-heat.md",
          '---\ntitle: Heat\ndate: 2024-01-02\n---\n```plotly\n{"data": [{"type": "heatmap", "z": [[1]]}]}\n```\n')
    build_site(content)
    page = (tmp_path / "site" / "blog" / "2024" / "heat" / "index.html").read_text()
    assert "assets/plotly." in page and _scripts(tmp_path / "site") == ["plotly", "plotly-basic"]


def test_a_basic_build_of_another_version_is_not_used(content, build_site, tmp_path, basic_prefix):
    path = basic_prefix / "node_modules" / "plotly.js-basic-dist-min" / "plotly-basic.min.js"
    path.write_text("/**\n* plotly.js (basic - minified) v0.0.1\n*/\n")
    reset("assets")
    write(content / "posts" / "2024-01-01-bars.md",
          '---\ntitle: Bars\ndate: 2024-01-01\n---\n```plotly\n{"data": [{"type": "bar", "y": [1, 2]}]}\n```\n')
    build_site(content)
    assert _scripts(tmp_path / "site") == ["plotly"]
