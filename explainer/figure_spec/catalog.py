"""The catalogue of figure views: what each one shows, what it needs, and which options it takes.

Both sides read it: the ```figure parser (`posts/figures.py`) validates an author's block against
it, and the renderer (`figures/render.py`) dispatches on it. It is plain data, so parsing a post
never imports numpy-heavy view code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LAYOUTS = ("l-body", "l-body-outset", "l-page", "l-page-outset", "l-screen", "l-screen-inset",
           "l-gutter", "aside")
DEFAULT_LAYOUT = "l-body"


@dataclass(frozen=True)
class Option:
    """One view option: `kind` is "int", "float", "bool", "str" or "choice"."""

    kind: str
    default: object
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    help: str = ""


@dataclass(frozen=True)
class ViewInfo:
    name: str
    summary: str
    needs: str = ""  # a capability of the model (a ModelSpec flag): "has_prior", "corrupts"
    model_hint: str = ""  # how to fix a wrong model, e.g. "a model trained to undo noise (`model: dae`)"
    needs_decoder: bool = False  # runs the decoder in the page (an MLP decoder)
    needs_encoder: bool = False  # runs the encoder in the page too
    needs_images: bool = False  # makes no sense for 2-D point data sets
    multi: bool = False  # accepts `experiments:` with several entries
    options: dict[str, Option] = field(default_factory=dict)


VIEWS: dict[str, ViewInfo] = {v.name: v for v in (
    ViewInfo("reconstructions", "test inputs, the model's outputs and PCA's at the same size",
             multi=True, options={"count": Option("int", 10, 1, 24, help="how many test examples")}),
    ViewInfo("latent", "the test set in latent space, coloured by class; hover shows the digit",
             options={"points": Option("int", 600, 50, 2000, help="how many test points")}),
    ViewInfo("latent-explorer", "move over the latent plane; the decoder draws that point at once",
             needs_decoder=True, needs_images=True),
    ViewInfo("traversal", "decoded images over a grid of the latent plane, or a slider per dimension",
             needs_decoder=True, options={
                 "mode": Option("choice", "auto", choices=("auto", "grid", "sliders")),
                 "steps": Option("int", 9, 3, 15, help="grid cells per side"),
                 "range": Option("float", 2.0, 0.5, 5.0, help="half-width in standard deviations")}),
    ViewInfo("interpolate", "slide between the codes of two test images, against pixel blending",
             needs_decoder=True, needs_images=True,
             options={"pairs": Option("int", 4, 1, 8, help="pairs of test images to choose from")}),
    ViewInfo("denoise", "pick a digit and a noise level; the denoiser cleans it as you drag",
             needs="corrupts", model_hint="a model trained to undo noise, such as `model: dae`",
             needs_decoder=True, needs_encoder=True, needs_images=True,
             options={"noise": Option("float", 0.3, 0.0, 1.0, help="initial noise level")}),
    ViewInfo("samples", "images decoded from the VAE's prior, with a temperature slider",
             needs="has_prior", model_hint="a model with a prior to sample from, such as `model: vae`",
             needs_decoder=True, options={
                 "count": Option("int", 32, 4, 64, help="how many samples"),
                 "temperature": Option("float", 1.0, 0.0, 3.0, help="initial prior scale")}),
    ViewInfo("training", "training and validation loss against step", multi=True,
             options={"log": Option("bool", True, help="logarithmic loss axis")}),
    ViewInfo("compare", "one metric across experiments, e.g. test MSE against latent size",
             multi=True, options={
                 "metric": Option("str", "test_mse", help="a key of the results' metrics"),
                 "x": Option("str", "latent_dim", help="the option along the x axis: latent_dim, steps, "
                             "learning_rate or one the models declare (noise, beta, an author's own)")}),
)}


def view_options(view: str, given: dict | None) -> dict:
    """The view's options with defaults filled in (values assumed already validated)."""
    info = VIEWS[view]
    out = {k: o.default for k, o in info.options.items()}
    out.update(given or {})
    return out
