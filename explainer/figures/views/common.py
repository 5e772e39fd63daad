"""What every view needs: its inputs (`ViewContext`), its output (`ViewOutput`), and small helpers
for picking examples, projecting codes onto a plane and writing the live-view markup."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np

from ...base.errors import ContentError
from ...models.oplist.program import as_program
from ..live import MAX_MODEL_BYTES, b64, encode_checked, forward, json_script, payload_size, to_uint8


@dataclass
class ViewContext:
    spec: object  # FigureSpec
    results: list  # TrainResult per spec.experiments, in order
    options: dict
    png_href: str  # page-relative URL of the fallback PNG, e.g. "figures/ae-latent.png"
    warnings: list = field(default_factory=list)  # build warnings (not errors), e.g. a heavy model

    @property
    def result(self):
        return self.results[0]


@dataclass
class ViewOutput:
    html: str
    png: bytes | None = None
    needs_plotly: bool = False
    needs_live: bool = False
    warnings: list = field(default_factory=list)


def number(x) -> str:
    return f"{float(x):.3g}" if abs(float(x)) >= 1e-3 else f"{float(x):.2e}"


def fail(ctx: ViewContext, message: str):
    """A figure that cannot be drawn from what was trained: an author's problem, with its line."""
    raise ContentError.at(ctx.spec.path, ctx.spec.line, f"figure `{ctx.spec.id}`: {message}")


def require_images(ctx: ViewContext) -> tuple[int, int]:
    shape = ctx.result.image_shape
    if shape is None:
        fail(ctx, f"view `{ctx.spec.view}` draws images, but `{ctx.spec.experiments[0].dataset}` "
                  "holds 2-D points; use an image data set or another view")
    return tuple(shape)


def model_fn(ctx: ViewContext, which: str = "decoder"):
    """The result's decoder (codes (n, d) → flat outputs (n, D)) or encoder (flat inputs → codes)
    as a numpy function, for the static pictures: the op list the page runs (models/oplist), or,
    when the page cannot run it, the model itself through `ModelSpec.decode_fn` (which starts jax)."""
    program = as_program(getattr(ctx.result, which))
    if program is not None and (program.runs_in_page or program.fallback is not None):
        return lambda v: forward(program, np.asarray(v, np.float32)).reshape(len(v), -1)
    return _traced(ctx, which)


def _traced(ctx: ViewContext, which: str):
    import jax

    from ...models.table import content_dir_of, tables_for

    result = ctx.result
    spec = result.config.spec(tables_for(content_dir_of(ctx.spec.path)))
    fn, params = spec.decode_fn(result) if which == "decoder" else spec.encode_fn(result)
    compiled = jax.jit(fn)
    shape = tuple(result.data_shape or (result.test_x.shape[1],))

    def run(v):
        v = np.asarray(v, np.float32)
        v = v.reshape(len(v), *shape) if which == "encoder" else v
        return np.asarray(compiled(params, v), np.float32).reshape(len(v), -1)
    return run


def model_payload(ctx: ViewContext, which: str = "decoder", probes=None) -> dict | None:
    """The page's copy of the decoder (or encoder), checked on the inputs the figure will show
    (`probes`; by default the test codes or images and the explorer's whole plane, corners included);
    None when the page cannot run it: the view then shows its pre-rendered images (`static_view`),
    and the build says why."""
    where = f"{ctx.spec.path}:{ctx.spec.line}: figure `{ctx.spec.id}`"
    program = as_program(getattr(ctx.result, which))
    if program is None or not program.runs_in_page:
        why = (f"the model uses {program.missing}, which the page's runtime (live.js) lacks" if program
               else f"model `{ctx.spec.experiments[0].model}` has no in-page form")
        ctx.warnings.append(f"{where}: {why}; the figure shows pre-rendered images instead of running live")
        return None
    payload, _ = encode_checked(program, default_probes(ctx, program) if probes is None else probes)
    size = payload_size(payload)
    if size > MAX_MODEL_BYTES:
        ctx.warnings.append(f"{where}: the in-page model is "
                    f"{size / 1000:.0f} KB (> {MAX_MODEL_BYTES / 1000:.0f} KB); smaller `hidden:` "
                    "layers keep the page light")
    return payload


def default_probes(ctx: ViewContext, program) -> np.ndarray:
    """Inputs a figure may feed the model: test codes plus a 9×9 grid over the explorer's plane (for
    a decoder), or test images (for an encoder)."""
    result, width = ctx.result, int(np.prod(program.input_shape[1:]))
    if width != result.test_z.shape[1]:
        return np.asarray(result.test_x[:200], np.float32)
    plane = latent_plane(result.test_z)
    return np.concatenate([result.test_z[:200], plane_grid(plane, plane_extent(plane.xy), 9, 9)])


def plane_extent(xy: np.ndarray) -> list[float]:
    """The box holding the central 98% of codes, padded a little: where decoding means something."""
    from ..plots import rounded

    lo, hi = np.percentile(xy, 1, axis=0), np.percentile(xy, 99, axis=0)
    pad = 0.1 * np.where(hi > lo, hi - lo, 1.0)
    lo, hi = lo - pad, hi + pad
    return rounded([lo[0], hi[0], lo[1], hi[1]])


def plane_grid(plane, extent, steps: int, rows: int) -> np.ndarray:
    """(rows*steps, d) codes on a grid over the extent, corners included; top row is the highest y."""
    xs = np.linspace(extent[0], extent[1], steps)
    ys = np.linspace(extent[3], extent[2], rows) if rows > 1 else np.zeros(1)
    xy = np.array([(x, y) for y in ys for x in xs], np.float32)
    return (plane.mean + xy @ plane.axes).astype(np.float32)


def examples(result, n: int) -> np.ndarray:
    """n test indices, one class after another (0, 1, 2, …) so a row shows every digit."""
    n = min(n, len(result.test_x))
    if result.test_y is None:
        return np.arange(n)
    labels = np.asarray(result.test_y)
    classes = np.unique(labels)
    taken, out = set(), []
    for _ in range(len(labels)):
        if len(out) == n:
            break
        want = classes[len(out) % len(classes)]
        idx = next((i for i in np.flatnonzero(labels == want) if i not in taken), None)
        if idx is None:
            idx = next(i for i in range(len(labels)) if i not in taken)
        taken.add(int(idx))
        out.append(int(idx))
    return np.array(out, int)


@dataclass(frozen=True)
class Plane:
    """Coordinates on a 2-D plane through latent space: z = mean + xy @ axes."""

    xy: np.ndarray  # (n, 2)
    mean: np.ndarray  # (d,)
    axes: np.ndarray  # (2, d)
    titles: tuple[str, str]
    note: str  # "" when the plane is the latent space itself


def latent_plane(z: np.ndarray) -> Plane:
    """d=2: the latent plane itself; d=1: the code against nothing; d>2: the top-2 PCA plane."""
    z = np.asarray(z, np.float32)
    n, d = z.shape
    if d == 1:
        axes = np.array([[1.0], [0.0]], np.float32)
        return Plane(np.c_[z[:, 0], np.zeros(n)], np.zeros(1, np.float32), axes, ("z", ""), "")
    if d == 2:
        return Plane(z, np.zeros(2, np.float32), np.eye(2, dtype=np.float32), ("z₁", "z₂"), "")
    mean = z.mean(axis=0)
    _, s, vt = np.linalg.svd(z - mean, full_matrices=False)
    share = float((s[:2] ** 2).sum() / max((s ** 2).sum(), 1e-12))
    axes = vt[:2].astype(np.float32)
    note = (f"The {d}-D codes are shown on their top-2 principal-component plane "
            f"({share:.0%} of their variance).")
    return Plane((z - mean) @ axes.T, mean, axes, ("PC 1 of the codes", "PC 2 of the codes"), note)


def live_view(kind: str, data: dict, fallback: str = "", extra_attrs: str = "") -> str:
    """`<div class="live-view" data-live=KIND>` with its data; live.js builds the controls in it."""
    return (f'<div class="live-view" data-live="{kind}"{extra_attrs}>{json_script(data)}'
            f'{fallback}</div>')


def static_view(ctx: ViewContext, alt: str, png: bytes) -> "ViewOutput":
    """A live view's pre-rendered picture, shown as the figure itself."""
    img = (f'<img class="figure-fallback" src="{html.escape(ctx.png_href)}" alt="{html.escape(alt)}" '
           f'style="image-rendering:pixelated;max-width:100%">')
    return ViewOutput(img, png=png)


def noscript_img(href: str, alt: str) -> str:
    return (f'<noscript><img class="figure-fallback" src="{html.escape(href)}" '
            f'alt="{html.escape(alt)}" style="image-rendering:pixelated;max-width:100%"></noscript>')


def images_b64(images: np.ndarray) -> str:
    return b64(to_uint8(images))


def shape_of(ctx: ViewContext):
    return list(require_images(ctx))
