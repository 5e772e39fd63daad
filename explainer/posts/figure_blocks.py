"""Markdown plugin: ```figure blocks → validated `FigureSpec` records.

An author writes a fenced block whose body is YAML:

    ```figure
    id: ae-latent
    view: latent-explorer
    experiment: {model: ae, dataset: digits, latent_dim: 2}
    caption: Move over the plane: the decoder draws the digit at that point.
    layout: l-page
    expect: {beats_pca: true}
    ```

(`experiments:` takes a list, for the views that compare several.) Everything is checked here, at
parse time, so a typo fails the build in a second instead of after a minute of training. Problems go
to the page's `diag` with the line of the offending YAML key. A valid block becomes a `FigureSpec` in
the page's `figures` and the HTML holds `placeholder("figure", i)`: figures are drawn once every
experiment is trained (`explainer.figures.draw.render_figure`).

The caption is rendered inline here, with the page's `env`, so citations, footnotes and math in a
caption work like anywhere else: its HTML may hold math placeholders, so a page must fill figure
placeholders before math placeholders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..figure_spec.spec import FigureSpec
from .parsed import page_of, placeholder

if TYPE_CHECKING:
    from ..figure_spec.validate import FigureYaml


def figure_plugin(md) -> None:
    """Turn ```figure fences into `figure_block` tokens, validated into the page's `figures`.

    A core rule (after block parsing) rather than a fence render rule, so this plugin composes with
    whatever other plugin renders ordinary fences.
    """
    md.core.ruler.after("block", "explainer_figures", _collect_figures)
    md.add_render_rule("figure_block", _render_figure_block)


def _is_figure_fence(token) -> bool:
    return token.type == "fence" and token.info.strip().split(None, 1)[:1] == ["figure"]


def _collect_figures(state) -> None:
    env = state.env
    figures = page_of(env).figures
    for token in state.tokens:
        if not _is_figure_fence(token):
            continue
        token.type = "figure_block"
        fence_line = (token.map[0] if token.map else 0) + 1 + page_of(env).line_offset
        spec = parse_figure_block(token.content, env, fence_line,
                                  seen_ids={f.id for f in figures},
                                  render_inline=lambda text: state.md.renderInline(text, env))
        if spec is not None:
            token.meta = dict(token.meta or {}, figure_index=len(figures))
            figures.append(spec)


def parse_figure_block(text: str, env: dict, fence_line: int, seen_ids=frozenset(),
                       render_inline=None) -> FigureSpec | None:
    """Validate one block's YAML; report problems to the page's `diag` and return None on any error."""
    # Imported here: validation reads the model table (and numpy with it), which a post without
    # figures never needs; a one-post rebuild in a fresh process is 0.1 s faster for it.
    from ..figure_spec.validate import check_figure_yaml
    page = page_of(env)
    path, diag = str(page.path), page.diag
    errors_before = len(diag.errors)
    checked: FigureYaml | None = check_figure_yaml(text, fence_line + 1, path, diag)
    if checked is None:
        return None
    if checked.id in seen_ids:
        diag.error(path, checked.lines.get(("id",), fence_line),
                   f"figure id `{checked.id}` is used twice on this page; give each figure its own `id:`")
    if len(diag.errors) > errors_before:
        return None
    caption_html = render_inline(checked.caption) if render_inline and checked.caption else ""
    return FigureSpec(id=checked.id, view=checked.view, experiments=checked.experiments,
                      caption=checked.caption, layout=checked.layout, expect=checked.expect,
                      path=path, line=fence_line, options=checked.options,
                      caption_html=caption_html)


def _render_figure_block(self, tokens, idx, options, env) -> str:
    index = (tokens[idx].meta or {}).get("figure_index")
    if index is None:  # invalid block: the build fails on its diagnostic, so render nothing
        return ""
    return placeholder("figure", index) + "\n"


def figure_specs(env: dict) -> list[FigureSpec]:
    return list(page_of(env).figures)


__all__ = ["FigureSpec", "figure_plugin", "parse_figure_block", "figure_specs"]
