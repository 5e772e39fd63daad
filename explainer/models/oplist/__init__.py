"""Trained models as op lists for the page: `jaxpr_export` traces any JAX function into a `Program`
(a flat list of tensor ops, `program.py`), `program_run` is its numpy interpreter, and
explainer/theme/static/js/live.js its JavaScript one. Pure numpy except the tracer (JAX, at training)."""
