"""A generated corpus of realistic posts (math, code, citations, footnotes, tables), shared by the
build and preview-server benchmarks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

BIB = """@article{kingma2014auto,
  title={Auto-Encoding Variational {B}ayes},
  author={Kingma, Diederik P and Welling, Max},
  journal={International Conference on Learning Representations},
  year={2014}
}
@article{hinton2006reducing,
  title={Reducing the Dimensionality of Data with Neural Networks},
  author={Hinton, Geoffrey E and Salakhutdinov, Ruslan R},
  journal={Science},
  volume={313},
  year={2006}
}
@inproceedings{vincent2008extracting,
  title={Extracting and Composing Robust Features with Denoising Autoencoders},
  author={Vincent, Pascal and Larochelle, Hugo and Bengio, Yoshua and Manzagol, Pierre-Antoine},
  booktitle={ICML},
  year={2008}
}
"""


def post_text(i: int) -> str:
    """One post of about 900 words: 10 formulas (unique to the post), 2 code blocks, 3 citations,
    2 footnotes, a table and 6 sections."""
    k = i + 2
    return f"""---
layout: distill
title: "Note {i}: how a {k}-dimensional code forgets"
description: A generated post for benchmarks, number {i}.
date: {(dt.date(2020, 1, 1) + dt.timedelta(days=i)).isoformat()} 10:00:00-0400
authors:
  - name: Ada Bench
    url: https://example.org
    affiliations:
      name: Benchmark Institute
bibliography: bench.bib
tags: autoencoders bench
---

## Setting the scene

An autoencoder with a {k}-dimensional bottleneck <d-cite key="hinton2006reducing"></d-cite> maps
$$\\mathbf{{x}} \\in \\mathbb{{R}}^{{{64 + i}}}$$ to $$\\mathbf{{z}} = f_{{\\theta}}(\\mathbf{{x}}) \\in \\mathbb{{R}}^{{{k}}}$$ and
back. We measure the "reconstruction" error --- the price of forgetting --- per pixel.<d-footnote>Pixels are
scaled to $[0, 1]$, so the error of post {i} is comparable.</d-footnote>

$$
\\mathcal{{L}}_{{{i}}}(\\theta) = \\frac{{1}}{{n}} \\sum_{{j=1}}^{{n}} \\lVert \\mathbf{{x}}_j - g(f(\\mathbf{{x}}_j)) \\rVert_2^2 + {i}\\lambda \\lVert \\theta \\rVert^2
$$

## The variational view

The VAE <d-cite key="kingma2014auto"></d-cite> maximises the evidence lower bound

\\begin{{equation}}
\\label{{eq:elbo-{i}}}
\\log p(\\mathbf{{x}}) \\geq \\mathbb{{E}}_{{q(\\mathbf{{z}}\\mid\\mathbf{{x}})}}\\left[\\log p(\\mathbf{{x}}\\mid\\mathbf{{z}})\\right] - {k}\\,\\mathrm{{KL}}\\left(q(\\mathbf{{z}}\\mid\\mathbf{{x}}) \\,\\|\\, p(\\mathbf{{z}})\\right)
\\end{{equation}}

and Equation \\eqref{{eq:elbo-{i}}} is tight when $q = p(\\mathbf{{z}} \\mid \\mathbf{{x}})$, with $\\sigma^2_{{{i}}} > 0$.

## Denoising

Corrupting inputs <d-cite key="vincent2008extracting"></d-cite> with $\\tilde{{\\mathbf{{x}}}} = \\mathbf{{x}} + \\epsilon$,
$\\epsilon \\sim \\mathcal{{N}}(0, {k}^{{-1}} I)$, gives a model that must *understand* the data[^n{i}].

[^n{i}]: Or at least its {k} most useful directions.

| latent | PCA | AE |
|---|---|---|
| {k} | 0.0{i % 9 + 1}2 | 0.0{i % 7 + 1}1 |

## Training code

```python
def loss_fn(params, x, k={k}):
    z = encode(params, x)          # (batch, {k})
    x_hat = decode(params, z)      # (batch, 64)
    return jnp.mean((x - x_hat) ** 2)
```

{{% highlight javascript %}}
const k = {k};
for (let i = 0; i < k; i++) {{ console.log(i * {i}); }}
{{% endhighlight %}}

## Results

With $k = {k}$ the error falls as $O(k^{{-1/2}})$ and the softmax
$$p_i = \\frac{{e^{{z_i}}}}{{\\sum_j e^{{z_j}}}}$$ stays calibrated. "Smart quotes" -- and dashes -- are typeset.
Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et
dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip
ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu
fugiat nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia.

## Conclusion

A bottleneck of {k} forgets what matters least. See Equation \\eqref{{eq:elbo-{i}}} again.
"""


def write_corpus(content: Path, n: int, math_mode: str = "svg") -> list[Path]:
    (content / "posts").mkdir(parents=True, exist_ok=True)
    (content / "bibliography").mkdir(parents=True, exist_ok=True)
    (content / "bibliography" / "bench.bib").write_text(BIB)
    (content / "site.yml").write_text(f"title: Bench\nurl: https://example.org\nmath:\n  mode: {math_mode}\n")
    paths = []
    for i in range(n):
        d = dt.date(2020, 1, 1) + dt.timedelta(days=i)
        path = content / "posts" / f"{d.isoformat()}-note-{i}.md"
        path.write_text(post_text(i))
        paths.append(path)
    return paths
