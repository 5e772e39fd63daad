"""Where a figure's numbers came from: a record for `data-provenance` and a "how this was made" note.

Readers of an explainer should be able to tell how much to trust a picture: which model, how long it
trained, on what, and how it compares with the PCA baseline at the same latent size.
"""

from __future__ import annotations

import html
import json

from .views.common import number


def record(config, result) -> dict:
    prov = result.provenance or {}
    return {
        "label": config.label(),
        "model": config.model,
        "dataset": config.dataset,
        "latent_dim": config.latent_dim,
        # The steps the shown model trained: the stopping step chosen on the validation split (the
        # final model is refit to it), not the budget it was chosen from.
        "steps": int(result.metrics.get("best_step", prov.get("steps", config.steps) or 0)),
        "step_budget": prov.get("steps", config.steps),
        "seed": prov.get("seed", config.seed),
        "device": prov.get("device"),
        "versions": prov.get("versions", {}),
        "wall_s": prov.get("wall_s"),
        "metrics": {k: float(v) for k, v in result.metrics.items() if _is_number(v)},
        "config": config.to_dict(),
    }


def _is_number(v) -> bool:
    try:
        float(v)
        return not isinstance(v, bool)
    except (TypeError, ValueError):
        return False


def attribute(records: list[dict]) -> str:
    """JSON for a single-quoted HTML attribute (html.escape turns `'` into `&#x27;`)."""
    return html.escape(json.dumps(records, separators=(",", ":"), default=str), quote=True)


def numbers_sentence(records: list[dict]) -> str:
    """The caption's measured numbers, e.g. "AE d=2: test MSE 0.0312 (PCA d=2: 0.0456)."."""
    parts = []
    for r in records:
        m = r["metrics"]
        if "test_mse" not in m:
            continue
        if "denoise_mse" in m:  # a denoiser: its job first, the clean-input error after
            parts.append(_denoise_sentence(r))
            continue
        text = f"{r['label']}: test MSE {number(m['test_mse'])}"
        if "pca_test_mse" in m and r["model"] != "pca":
            text += f" (PCA d={r['latent_dim']}: {number(m['pca_test_mse'])})"
        parts.append(text)
    return html.escape("; ".join(parts) + ".") if parts else ""


def _denoise_sentence(r: dict) -> str:
    """"DAE σ=0.3: denoising MSE 0.0155 ± 0.0003 over 10 noise draws (PCA d=16: 0.0341; the noisy
    input: 0.0901); on clean inputs 0.0088"."""
    m = r["metrics"]
    text = f"{r['label']}: denoising MSE {number(m['denoise_mse'])}"
    if m.get("noise_draws", 1) > 1 and "denoise_mse_sd" in m:
        text += f" ± {float(m['denoise_mse_sd']):.1g} over {int(m['noise_draws'])} noise draws"
    others = []
    if "pca_denoise_mse" in m:
        others.append(f"PCA d={r['latent_dim']}: {number(m['pca_denoise_mse'])}")
    if "noisy_input_mse" in m:
        others.append(f"the noisy input: {number(m['noisy_input_mse'])}")
    text += f" ({'; '.join(others)})" if others else ""
    return text + f"; on clean inputs {number(m['test_mse'])}"


def details_html(records: list[dict]) -> str:
    rows = "".join(_record_rows(r) for r in records)
    return ('<details class="figure-provenance"><summary>How this was made</summary>'
            f'<table class="provenance-table"><tbody>{rows}</tbody></table></details>')


def _record_rows(r: dict) -> str:
    versions = ", ".join(f"{k} {v}" for k, v in sorted((r.get("versions") or {}).items()))
    wall = f"{float(r['wall_s']):.1f} s" if r.get("wall_s") is not None else "—"
    m = r["metrics"]
    mse = number(m["test_mse"]) if "test_mse" in m else "—"
    if "pca_test_mse" in m and r["model"] != "pca":
        mse += f" (PCA at the same size: {number(m['pca_test_mse'])})"
    cells = [("Experiment", r["label"]), ("Data set", r["dataset"]),
             ("Latent size", r["latent_dim"]), ("Training steps", _steps(r)), ("Seed", r["seed"]),
             ("Device", r.get("device") or "—"), ("Training time", wall), ("Test MSE", mse),
             ("Libraries", versions or "—")]
    out = "".join(f"<tr><th scope=\"row\">{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>"
                  for k, v in cells)
    return out + '<tr class="provenance-gap"><td colspan="2"></td></tr>'


def _steps(r: dict) -> str:
    """"900 (the best validation score within a 3,000-step budget)"; PCA trains no steps."""
    if r["model"] == "pca" or not r.get("step_budget"):
        return "— (closed form)" if r["model"] == "pca" else f"{r['steps']:,}"
    if r["steps"] == r["step_budget"]:
        return f"{r['steps']:,} (the whole budget: validation error still fell at the end)"
    return f"{r['steps']:,} (best validation score within a {int(r['step_budget']):,}-step budget)"
