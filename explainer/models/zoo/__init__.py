"""The built-in models, one file each; each module defines `MODEL`, its entry of the model table.

Adding a model is adding a file here (the table finds it). Files starting with `_` hold what
several models share. Top-level code stays free of jax: parsing a post reads this table.
"""
