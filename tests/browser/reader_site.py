"""A built site for the reader-side browser tests: the default content/ (every view) plus a post
with cross-references, built in seconds with synthetic trained results (no JAX)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.conftest import REPO, write

XREF_POST = r"""---
layout: distill
title: Cross-references
date: 2026-01-05
description: Numbered figures and references to them.
---
## Setup {#sec:setup}

The picture in @fig:cat and the chart in [@fig:chart] come before @eq:loss and @tbl:sizes;
@sec:setup is this section.

![A small cat, drawn as a grid of squares](cat.png){#fig:cat}

\begin{equation}
L = \lVert x - \hat{x} \rVert^2 \label{loss}
\end{equation}

| d | MSE |
|---|-----|
| 2 | 0.03 |

Table: Test error by code size {#tbl:sizes}

{#fig:chart caption="Loss by step"}
```plotly
{"data": [{"type": "scatter", "mode": "lines", "x": [1, 2, 3], "y": [3, 2, 1.5]}]}
```
"""


class _ReaderTrainer:
    """Synthetic results (tests/figures/synthetic.py) that also carry every metric a figure asks for."""

    def available(self, users, diag, log):
        import dataclasses

        from tests.figures.synthetic import make_result
        out = {}
        for config, specs in users.items():
            result = make_result(config)
            wanted = {s.options.get("metric") for s in specs if (s.options or {}).get("metric")}
            out[config] = dataclasses.replace(result, metrics={**{m: 0.05 for m in wanted}, **result.metrics})
        return out

    def remember(self, page, figure_id, output):
        pass

    def stand_in(self, page, spec):
        raise AssertionError("every experiment is available")


def build_reader_site(tmp: Path) -> Path:
    from explainer.pipeline import BuildOptions, build

    content = tmp / "content"
    shutil.copytree(REPO / "content", content)
    for post in (content / "posts").glob("*.md"):  # synthetic results make no claims and measure little
        text = re.sub(r"(?m)^expect:.*\n", "", post.read_text(encoding="utf-8"))
        text = re.sub(r"`\{claim\}[^`]*`", "", text)
        post.write_text(re.sub(r"`\{measure[^`]*`", "0.0123", text), encoding="utf-8")
    write(content / "posts" / "2026-01-05-cross-references.md", XREF_POST)
    from PIL import Image
    (content / "blog" / "2026" / "cross-references").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (64, 48), "#888").save(content / "blog" / "2026" / "cross-references" / "cat.png")
    out = tmp / "site"
    build(BuildOptions(content=content, out=out, cache_dir=tmp / ".cache", jobs=1, trainer=_ReaderTrainer()),
          log=lambda line: None)
    return out


POSTS = tuple(sorted({"blog/2026/cross-references/"} | {f"blog/{p.name[:4]}/{p.stem[11:]}/"
                                                    for p in (REPO / "content" / "posts").glob("*.md")}))
