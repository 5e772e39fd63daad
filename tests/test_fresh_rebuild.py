"""A one-post rebuild in a fresh process loads only what that page needs: with its code, citations
and math unchanged, neither Pygments, pybtex, latexcodec nor MathJax's V8 (the caches have them),
and plotly.js is never read. The page still comes out whole."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO, write

POST = """---
title: Notes
date: 2024-03-01
authors:
  - name: Ada King Lovelace
bibliography: refs.bib
---
Prose <d-cite key="k1"></d-cite> and $$e^{i\\pi} + 1 = 0$$.

```python
def f(x):
    return x + 1
```

{% highlight javascript %}
const k = 2;
{% endhighlight %}
"""

HEAVY = ("pygments", "pybtex", "latexcodec", "py_mini_racer", "plotly", "jax")


@pytest.mark.slow  # two builds in fresh processes, the first starting V8
def test_a_prose_edit_rebuilds_in_a_fresh_process_without_the_heavy_imports(content, tmp_path):
    (content / "site.yml").write_text("title: T\nmath:\n  mode: svg\n")
    write(content / "bibliography" / "refs.bib", "@article{k1, title={A Title}, author={Doe, Jane}, year={2020}}\n")
    post = write(content / "posts" / "2024-03-01-notes.md", POST)
    script = ("import json, sys; sys.path.insert(0, sys.argv[1]); from explainer.cli import main; "
              "rc = main(sys.argv[2:]); print(json.dumps([rc, sorted({m.split('.')[0] for m in sys.modules})]))")
    args = [sys.executable, "-c", script, str(REPO), "build", "--content", str(content),
            "--out", str(tmp_path / "site"), "--cache-dir", str(tmp_path / ".cache"), "-q"]
    rc, first = json.loads(subprocess.run(args, capture_output=True, text=True, check=True).stdout)
    assert rc == 0 and {"pygments", "pybtex", "py_mini_racer"} <= set(first)  # all made the first time
    page = tmp_path / "site" / "blog" / "2024" / "notes" / "index.html"
    before = page.read_text()
    post.write_text(POST.replace("Prose", "Edited prose"))
    rc, second = json.loads(subprocess.run(args, capture_output=True, text=True, check=True).stdout)
    assert rc == 0 and not set(second) & set(HEAVY), set(second) & set(HEAVY)
    after = page.read_text()
    assert "Edited prose" in after
    assert after.replace("Edited prose", "Prose") == before  # the same page otherwise, from the caches
