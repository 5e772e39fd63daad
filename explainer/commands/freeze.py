"""`explainer freeze`: store the trained results the site's figures use in content/frozen/, so a CI or
deploy build with the same inputs never trains and never imports JAX (see models/freeze.py)."""

from __future__ import annotations

import dataclasses

from ..base.errors import ContentError
from ..pipeline import BuildOptions, build


def run_freeze(opts: BuildOptions, log=print) -> dict:
    """Parse every post (as `check` does), train what is missing, store every figure's experiment.
    Returns counts: {"experiments", "stored", "kept", "removed"}."""
    from ..models.cache import key_parts, load_or_train
    from ..models.freeze import freeze

    report = build(dataclasses.replace(opts, check_only=True), log=log)
    errors = [d for d in report.diagnostics if d.severity == "error"]
    if errors:
        raise ContentError(errors)
    configs = report.figure_experiments
    results = load_or_train(configs, cache_dir=opts.cache_dir / "models", content_dir=opts.content,
                            device=opts.device, log=log) if configs else {}
    entries = [(key_parts(c, opts.content, opts.cache_dir / "models"), r) for c, r in results.items()]
    counts = freeze(opts.content, entries, log=log)
    return {"experiments": len(entries), **counts}
