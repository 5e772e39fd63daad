"""Figures into pages: a page with figures is reused like any other unchanged page, and drawn again
when what its experiments would train changes. The trainer gives synthetic results (no JAX) that
carry the training keys the real cache would give them."""

from __future__ import annotations

import pytest

from explainer.base.errors import ContentError
from explainer.models import cache
from explainer.pipeline import BuildOptions, build
from tests.conftest import write
from tests.figures.synthetic import SyntheticTrainer

FIGURE_POST = """
---
title: Figures
---
```figure
id: recon
view: reconstructions
experiment: {model: ae, dataset: digits, latent_dim: 2}
caption: Two numbers per image.
```

```figure
id: curves
view: training
experiment: {model: ae, dataset: digits, latent_dim: 2}
caption: Loss per step.
expect: {beats_pca: true}
```
"""


class KeyedSyntheticTrainer(SyntheticTrainer):
    """Synthetic results under the real training keys of their configs; counts its calls."""

    def __init__(self, content, cache_dir):
        self.content, self.cache_dir, self.calls = content, cache_dir, 0

    def available(self, users, diag, log):
        self.calls += 1
        return super().available(users, diag, log)

    def training_key(self, config):
        return cache.experiment_key(config, self.content, self.cache_dir / "models")


@pytest.fixture
def site(content, tmp_path):
    write(content / "posts" / "2024-01-01-figures.md", FIGURE_POST)
    write(content / "posts" / "2024-01-02-other.md", "---\ntitle: Other\n---\nText.\n")
    trainer = KeyedSyntheticTrainer(content, tmp_path / ".cache")
    opts = BuildOptions(content=content, out=tmp_path / "site", cache_dir=tmp_path / ".cache", jobs=1,
                        trainer=trainer)
    return opts, trainer


def run(opts):
    return build(opts, log=lambda line: None)


def test_an_unrelated_edit_does_not_redraw_a_figure_page(site, content):
    opts, trainer = site
    first = run(opts)
    assert first.pages_rendered == 2 and trainer.calls == 1
    png = opts.out / "blog/2024/figures/figures/recon.png"
    assert png.is_file()
    write(content / "posts" / "2024-01-02-other.md", "---\ntitle: Other\n---\nText, edited.\n")
    second = run(opts)
    assert (second.pages_rendered, second.pages_skipped) == (1, 1)
    assert trainer.calls == 1  # nothing asked of the trainer: the figure page was kept as it was
    assert png.is_file()  # its figure files are kept with it


def test_a_changed_training_key_redraws_the_page(site, monkeypatch):
    opts, trainer = site
    run(opts)
    monkeypatch.setattr(cache, "code_hashes", lambda *a, **k: {"explainer/models/train.py": "edited"})
    again = run(opts)
    assert again.pages_rendered == 1 and trainer.calls == 2


def test_a_missing_figure_file_redraws_the_page(site):
    opts, trainer = site
    run(opts)
    (opts.out / "blog/2024/figures/figures/recon.png").unlink()
    again = run(opts)
    assert again.pages_rendered == 1 and (opts.out / "blog/2024/figures/figures/recon.png").is_file()


def test_a_failed_claim_stops_the_build_and_names_the_figure(site, content):
    opts, trainer = site
    write(content / "posts" / "2024-01-01-figures.md",
          FIGURE_POST.replace("expect: {beats_pca: true}", "expect: {test_mse: {max: 0.0001}}"))
    with pytest.raises(ContentError, match="figure `curves`: expect test_mse"):
        run(opts)
