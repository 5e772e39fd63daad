"""Measured numbers and checked claims in prose: fixture pairs for the parse, then evaluation against
stand-in trained results (no training)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from explainer.posts import measure_expr as expr
from explainer.posts.measures import measured_values
from explainer.posts.parsed import fill_placeholders
from tests.posts.fixtures.harness import cases, check_case, render


@pytest.mark.parametrize("case", cases("measures"), ids=lambda p: p.stem)
def test_fixture(case):
    check_case(case)


FIGURES = """```figure
id: recon
view: reconstructions
experiments:
  - {model: ae, latent_dim: 2}
  - {model: ae, latent_dim: 16}
caption: Two sizes.
```

"""


def _results(page, metrics_per_experiment, steps=3000):
    """TrainResult stand-ins: what `measured_values` reads (metrics, provenance, config)."""
    configs = page.figures[0].experiments
    return {c: SimpleNamespace(metrics=m, provenance={"steps": steps, "wall_s": 1.0}, config=c)
            for c, m in zip(configs, metrics_per_experiment)}


def _fill(body, metrics, steps=3000):
    html, page, diag = render(FIGURES + body)
    assert not diag.errors, diag.errors
    problems = []
    values = measured_values(page.measures, page.figures, _results(page, metrics, steps),
                             lambda line, col, message: problems.append((line, col, message)))
    return fill_placeholders(html, "measure", values), problems


GOOD = [{"test_mse": 0.031234, "pca_test_mse": 0.05391}, {"test_mse": 0.00571, "pca_test_mse": 0.01152}]


def test_values_are_formatted_and_explained():
    html, problems = _fill("AE `{measure} recon[1].test_mse`, PCA `{measure:.2f} recon[1].pca_test_mse`, "
                           "`{measure:.0%} 1 - recon[1].test_mse / recon[1].pca_test_mse` less; "
                           "`{measure} recon[2].steps` steps; ratio `{measure:.1f} recon[1].test_mse / "
                           "recon[2].test_mse`; worst `{measure} max(recon[*].test_mse)`; "
                           "negative `{measure} 0 - recon[2].test_mse`.", GOOD)
    assert not problems
    assert '<span class="measured" title="Measured when the site was built: recon[1].test_mse">0.03123</span>' in html
    assert ">0.05</span>" in html and ">42%</span>" in html and ">3,000</span>" in html
    assert ">5.5</span>" in html and ">0.03123</span>; negative" in html and ">\u22120.00571</span>" in html


def test_measures_in_table_cells_and_captions():
    body = "| d | AE |\n|---|---:|\n| 2 | `{measure} recon[1].test_mse` |\n"
    html, problems = _fill(body, GOOD)
    assert '<td style="text-align:right"><span class="measured"' in html and not problems
    html, page, _ = render(FIGURES.replace("caption: Two sizes.", "caption: AE `{measure} recon[2].test_mse`."))
    assert "\x02measure:0\x03" in page.figures[0].caption_html


def test_true_claims_are_silent_and_false_ones_fail_with_their_line():
    body = "Text.\n\nThe AE beats PCA at both sizes. `{claim} recon[*].test_mse < recon[*].pca_test_mse`\n"
    html, problems = _fill(body, GOOD)
    assert not problems and "claim" not in html
    bad = [GOOD[0], {"test_mse": 0.013, "pca_test_mse": 0.0115}]
    _, problems = _fill(body, bad)
    [(line, col, message)] = problems
    assert (line, col) == (12, 33)  # the figure block and a blank line are 9 lines, then "Text."
    assert message.startswith("claim `recon[*].test_mse < recon[*].pca_test_mse` is false on the trained models")
    assert "[0.03123, 0.013] < [0.05391, 0.0115]" in message


def test_chained_and_joined_claims():
    body = "`{claim} recon[2].test_mse < recon[1].test_mse < 0.05 and recon[1].pca_test_mse > 0.05`"
    assert not _fill(body, GOOD)[1]
    _, problems = _fill(body.replace("< 0.05 and", "< 0.02 and"), GOOD)
    assert "0.03123 < 0.02" in problems[0][2]


def test_unknown_metric_suggests_and_lists_what_was_measured():
    html, problems = _fill("`{measure} recon[1].test_mes`", GOOD)
    [(_, _, message)] = problems
    assert "has no metric `test_mes`. Did you mean `test_mse`?" in message
    assert "Measured: latent_dim, pca_test_mse, steps, test_mse" in message


def test_a_list_must_be_reduced():
    _, problems = _fill("`{measure} recon[*].test_mse`", GOOD)
    assert "reduce it with min(…), max(…) or mean(…)" in problems[0][2]


def test_untrained_experiment_shows_an_ellipsis_in_the_preview():
    html, page, _ = render(FIGURES + "`{measure} recon[2].test_mse`")
    results = _results(page, GOOD)
    results.pop(page.figures[0].experiments[1])
    assert measured_values(page.measures, page.figures, results, lambda *a: 1 / 0) == ["\u2026"]


def test_parse_errors_carry_line_and_column():
    _, _, diag = render("Intro.\n\nSee `{measure} recon[1].test_mse` and\n`{measure} recon[1].test_mse ++`\n",
                        body_line=7)
    first, second = diag.errors
    assert (first.line, first.col) == (10, 1) and "unexpected `+`" in first.message
    assert (second.line, second.col) == (9, 5) and "no figure `recon` on this page" in second.message


@pytest.mark.parametrize("text", ["a.b +", "(a.b", "a.b c.d", "1 < ", "min a.b", "a.b $ 2"])
def test_syntax_errors_are_explained(text):
    with pytest.raises(expr.ExprError):
        expr.parse(text, claim=False)


def test_hyphenated_ids_and_spaced_minus():
    tree = expr.parse("ae-latent.test_mse - pca-2[1].test_mse", claim=False)
    assert [r.figure for r in expr.references(tree)] == ["ae-latent", "pca-2"]
    assert expr.evaluate(tree, lambda r: {"ae-latent": 3.0, "pca-2": 1.0}[r.figure]) == 2.0


def test_slices_pick_a_run_of_experiments():
    html, problems = _fill("`{measure} max(recon[1:2].test_mse)` `{claim} recon[1:2].test_mse < 0.04`", GOOD)
    assert ">0.03123</span>" in html and not problems
    _, _, diag = render(FIGURES + "`{measure} max(recon[2:3].test_mse)`")
    assert "[2:3] is out of range" in diag.errors[0].message
