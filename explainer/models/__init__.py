"""Pure JAX/Flax models and their training: no HTML, no file layout.

Importing this package must not import jax: a build whose experiments are all cached never does.
Only `nets.py` and `train.py` (and what they import lazily) touch jax.
"""
