"""The ```figure plugin: valid blocks become FigureSpecs; mistakes give `path:line: message`."""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt

from explainer.base.errors import Diagnostics
from explainer.posts.figure_blocks import figure_plugin
from explainer.posts.parsed import ENV_KEY, new_page, placeholder


def parse(body: str, body_line: int = 5):
    md = MarkdownIt("commonmark")
    figure_plugin(md)
    diag = Diagnostics()
    page = new_page(Path("post.md"), body_line, None, None, diag)
    return md.render(body, {ENV_KEY: page}), page, [(d.line, d.message) for d in diag.errors]


GOOD = """Intro.

```figure
id: ae-latent
view: latent-explorer
experiment: {model: ae, dataset: digits, latent_dim: 2}
caption: Move over the *plane*.
layout: l-page
expect: {beats_pca: true}
```
"""


def test_valid_block_becomes_spec_and_placeholder():
    html, page, errors = parse(GOOD)
    assert errors == []
    assert placeholder("figure", 0) in html and "```" not in html
    spec = page.figures[0]
    assert (spec.id, spec.view, spec.layout, spec.line) == ("ae-latent", "latent-explorer", "l-page", 7)
    assert spec.experiments[0].model == "ae" and spec.experiments[0].steps  # resolved
    assert spec.caption_html == "Move over the <em>plane</em>."
    assert spec.expect == {"beats_pca": True}


def test_unknown_keys_and_view_with_did_you_mean_and_lines():
    _, page, errors = parse("```figure\nid: a\nviw: latent\nexperiment: {model: ae, latnt_dim: 2}\n```\n")
    assert page.figures == []
    messages = dict(errors)
    assert "Did you mean `view`?" in messages[7]  # line 7 = body line 3 with offset 4
    assert "did you mean 'latent_dim'" in messages[8]
    _, _, errors = parse("```figure\nid: a\nview: laten\nexperiment: {model: ae}\n```\n")
    assert errors[0][0] == 7 and "Did you mean `latent`?" in errors[0][1] and "traversal" in errors[0][1]


def test_wrong_model_for_view():
    _, _, errors = parse("```figure\nid: d\nview: denoise\nexperiment:\n  model: ae\n  latent_dim: 16\n```\n")
    assert errors[0][0] == 9 and "`model: dae`" in errors[0][1]
    _, _, errors = parse("```figure\nid: s\nview: samples\nexperiment: {model: dae}\n```\n")
    assert "`model: vae`" in errors[0][1]
    _, _, errors = parse("```figure\nid: e\nview: latent-explorer\nexperiment: {model: conv_ae}\n```\n")
    assert errors == []  # every model's decoder is traced for the page; a missing op falls back, with a warning
    _, _, errors = parse("```figure\nid: e\nview: denoise\nexperiment: {model: dae, dataset: moons, latent_dim: 2}\n```\n")
    assert any("2-D points" in m for _, m in errors)


def test_duplicate_ids_and_several_experiments_for_single_view():
    block = "```figure\nid: same\nview: training\nexperiments:\n  - {model: ae}\n  - {model: vae}\n```\n\n"
    _, page, errors = parse(block + block)
    assert len(page.figures) == 1
    assert errors == [(14, "figure id `same` is used twice on this page; give each figure its own `id:`")]
    _, _, errors = parse("```figure\nid: l\nview: latent\nexperiments:\n  - {model: ae}\n  - {model: vae}\n```\n")
    assert "shows one experiment" in errors[0][1]


def test_layout_options_expect_and_yaml_errors():
    _, _, errors = parse("```figure\nid: x\nview: samples\nexperiment: {model: vae}\nlayout: l-pag\n"
                         "options: {count: 500, temprature: 1}\nexpect: {kl: 3}\n```\n")
    by_line = {}
    for line, message in errors:
        by_line.setdefault(line, []).append(message)
    assert "Did you mean `l-page`?" in by_line[9][0]
    assert any("between 4 and 64" in m for m in by_line[10])
    assert any("Did you mean `temperature`?" in m for m in by_line[10])
    assert "`kl: {max: 0.03}`" in by_line[11][0]
    _, _, errors = parse("```figure\nid: [unclosed\n```\n")
    assert errors[0][0] in (6, 7) and "not valid YAML" in errors[0][1]
    _, _, errors = parse("```figure\nview: latent\nexperiment: {model: ae}\n```\n")
    assert "needs an `id:`" in errors[0][1]


def test_other_fences_untouched():
    html, page, errors = parse("```python\nx = 1\n```\n")
    assert page.figures == [] and errors == [] and "x = 1" in html
