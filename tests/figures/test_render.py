"""Every view renders from synthetic TrainResults; figure markup, provenance and claims."""

from __future__ import annotations

import html
import json
import re

import pytest

from explainer.base.errors import ContentError
from explainer.figures.expect import check_expectations
from explainer.models.experiments import ExperimentConfig
from tests.figures.synthetic import DEFAULT, make_result, make_spec, render_view

FIGURE_RE = re.compile(r"^<figure id=\"fig\" class=\"l-body explainer-figure\" data-view=\"([\w-]+)\" "
                       r"data-provenance='([^']*)'>")


@pytest.mark.parametrize("view", list(DEFAULT))
def test_view_renders_figure_with_caption_and_provenance(view):
    spec, results, out = render_view(view)
    m = FIGURE_RE.match(out.html)
    assert m and m.group(1) == view
    records = json.loads(html.unescape(m.group(2)))
    assert [r["label"] for r in records] == [c.label() for c in spec.experiments]
    assert records[0]["metrics"]["pca_test_mse"] > 0 and records[0]["device"] == "cpu"
    assert "<figcaption>A caption." in out.html and "test MSE" in out.html
    assert "How this was made" in out.html and out.html.endswith("</figure>")
    assert out.needs_live or out.needs_plotly
    for path, data in out.files.items():
        assert path == "blog/2026/post/figures/fig.png" and data[:4] == b"\x89PNG"
        assert 'src="figures/fig.png"' in out.html
    for block in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', out.html):
        json.loads(block)  # valid JSON, nothing ends the script early


@pytest.mark.parametrize("view", ["reconstructions", "latent", "traversal", "samples", "training", "compare"])
def test_point_data_views(view):
    model = "vae" if view == "samples" else "ae"
    configs = [ExperimentConfig(model, dataset="moons", latent_dim=d) for d in (1, 2)][: 2 if view in
                                                                                           ("training", "compare") else 1]
    _, _, out = render_view(view, configs)
    assert 'class="plotly-chart"' in out.html and out.needs_plotly and not out.files


def test_views_that_need_images_fail_clearly_on_points():
    spec = make_spec("latent-explorer", [ExperimentConfig("ae", dataset="moons")])
    result = make_result(spec.experiments[0])
    from explainer.figures.draw import render_figure
    with pytest.raises(ContentError, match=r"post.md:7:1: .*holds 2-D points"):
        render_figure(spec, {spec.experiments[0]: result}, "p")


def test_latent_codes_above_two_dims_are_projected_and_labelled():
    _, _, out = render_view("latent", [ExperimentConfig("ae", latent_dim=16)])
    assert "top-2 principal-component plane" in out.html and "PC 1 of the codes" in out.html


def test_compare_adds_pca_series_and_missing_metric_is_an_error():
    _, _, out = render_view("compare")
    figure = json.loads(re.search(r'<script type="application/json">(.*?)</script>', out.html).group(1))
    names = [t["name"] for t in figure["data"]]
    assert names == ["AE", "VAE β=1", "PCA"] and figure["data"][0]["x"] == [2, 8, 16, 32]
    with pytest.raises(ContentError, match="not measured"):
        render_view("compare", options={"metric": "fid"})


def test_expectations():
    configs = [ExperimentConfig("ae", latent_dim=2)]
    results = {c.resolved(): make_result(c) for c in configs}  # test 0.022 vs PCA 0.029
    ok = make_spec("latent", configs, expect={"beats_pca": True, "max_test_mse": 0.05,
                                             "val_mse": {"min": 0.01, "max": 0.03}})
    assert check_expectations(ok, results) == []
    bad = make_spec("latent", configs, expect={"beats_pca": False, "max_test_mse": 0.01, "kl": {"max": 1}})
    failures = check_expectations(bad, results)
    assert failures[0] == ("expect beats_pca: false, but AE d=2 test MSE 0.022 "
                           "is below PCA's 0.029")
    assert "test_mse 0.022 is above the maximum 0.01" in failures[1]
    assert "has no metric `kl`; measured:" in failures[2]


def test_live_model_sizes_stay_small():
    _, _, out = render_view("denoise")
    assert not out.warnings and len(out.html) < 120_000
