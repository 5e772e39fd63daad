"""Frozen results (models/freeze.py, `explainer freeze`): a build that misses the training cache takes
the frozen result without importing JAX; a stale one is named, and stops a --strict build."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from explainer.base.errors import ContentError
from explainer.models import cache, freeze
from explainer.models.experiments import ExperimentConfig
from explainer.pipeline import BuildOptions, build
from tests.conftest import REPO, write
from tests.figures.synthetic import make_result

POST = """
---
title: Frozen
---
```figure
id: recon
view: reconstructions
experiment: {model: ae, dataset: digits, latent_dim: 2, steps: 40, hidden: [8]}
caption: From a frozen result.
```
"""
CONFIG = ExperimentConfig("ae", latent_dim=2, steps=40, hidden=(8,)).resolved()


@pytest.fixture
def frozen_site(content, tmp_path):
    write(content / "posts" / "2024-01-01-frozen.md", POST)
    parts = cache.key_parts(CONFIG, content, tmp_path / "keys")
    counts = freeze.freeze(content, [(parts, make_result(CONFIG))], log=lambda line: None)
    assert counts == {"stored": 1, "kept": 0, "removed": 0}
    return content


def opts(content, tmp_path, **kw):
    return BuildOptions(content=content, out=tmp_path / "site", cache_dir=tmp_path / ".cache", jobs=1, **kw)


def test_frozen_entries_are_small_readable_and_not_published(frozen_site, tmp_path):
    index = json.loads((frozen_site / "frozen" / "index.json").read_text())
    [entry] = index.values()
    assert entry["experiment"] == CONFIG.label() and "test_mse" in entry["metrics"]
    build(opts(frozen_site, tmp_path), log=lambda line: None)
    assert not (tmp_path / "site" / "frozen").exists()


def test_a_build_without_training_cache_uses_the_frozen_result_and_never_imports_jax(frozen_site, tmp_path):
    script = ("import sys; from pathlib import Path; from explainer.cli import main; "
              f"rc = main(['build', '-q', '--content', {str(frozen_site)!r}, '--out', {str(tmp_path / 'site')!r}, "
              f"'--cache-dir', {str(tmp_path / 'fresh-cache')!r}, '--strict', '-j', '1']); "
              "print(rc, 'jax' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.stdout.split() == ["0", "False"], out.stderr[-2000:]
    assert (tmp_path / "site/blog/2024/frozen/figures/recon.png").is_file()


def test_a_stale_frozen_result_is_named_and_stops_a_strict_build(frozen_site, tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "code_hashes", lambda *a, **k: {"explainer/models/train.py": "edited"})
    trained = []
    monkeypatch.setattr(cache, "load_or_train", lambda configs, **kw: trained.append(configs) or {})
    with pytest.raises(ContentError, match=r"figure `recon`: the frozen result of .* is stale \(its code changed"):
        build(opts(frozen_site, tmp_path, strict=True), log=lambda line: None)
    assert trained == []  # --strict never trains what the author froze


def test_refreezing_drops_entries_no_figure_uses(frozen_site, tmp_path):
    other = ExperimentConfig("ae", latent_dim=3, steps=40, hidden=(8,)).resolved()
    parts = cache.key_parts(other, frozen_site, tmp_path / "keys")
    counts = freeze.freeze(frozen_site, [(parts, make_result(other))], log=lambda line: None)
    assert counts == {"stored": 1, "kept": 0, "removed": 1}
    assert len(list((frozen_site / "frozen").glob("*.npz"))) == 1


@pytest.mark.slow
def test_explainer_freeze_trains_and_stores_what_the_figures_use(content, tmp_path):
    from explainer.cli import main
    write(content / "posts" / "2024-01-01-frozen.md", POST)
    assert main(["freeze", "--content", str(content), "--cache-dir", str(tmp_path / ".cache"), "-j", "1",
                 "--device", "cpu"]) == 0
    index = json.loads((content / "frozen" / "index.json").read_text())
    assert [e["experiment"] for e in index.values()] == [CONFIG.label()]
