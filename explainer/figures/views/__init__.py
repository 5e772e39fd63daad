"""One renderer per view name; each takes a `ViewContext` and returns a `ViewOutput`."""

from .charts import render_compare, render_training
from .explore import render_explorer, render_traversal
from .generate import render_denoise, render_interpolate, render_samples
from .latent import render_latent
from .recon import render_reconstructions

RENDERERS = {
    "reconstructions": render_reconstructions,
    "latent": render_latent,
    "latent-explorer": render_explorer,
    "traversal": render_traversal,
    "interpolate": render_interpolate,
    "denoise": render_denoise,
    "samples": render_samples,
    "training": render_training,
    "compare": render_compare,
}
