"""Parse time of inputs that used to take quadratic time, at two sizes each (linear: the time
doubles with the size; quadratic: it quadruples).

    python bench/worst_cases.py [--n 10000]

Cases: a task list, identical headings, unclosed {% highlight %} / {% details %} / {% comment %},
a `toc:` whose n entries match none of n headings, unclosed <details>, <div markdown="1"> and
{::nomarkdown} tags, a <div> holding unclosed {% highlight %} tags,
`\\begin{equation}` lines inside an open `$$`, and n Liquid variables assigned and used.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CASES = {
    "task list": lambda n: ("".join(f"- [ ] item {i}\n" for i in range(n)), ""),
    "identical headings": lambda n: ("## Same\n\ntext\n\n" * n, ""),
    "unclosed highlight": lambda n: ("{% highlight python %}\n" * n, ""),
    "unclosed details": lambda n: ("{% details x %}\n" * n, ""),
    "unclosed comment": lambda n: ("{% comment %}\n" * n, ""),
    "unclosed <details>": lambda n: ("<details>\n\n" * n, ""),
    "unclosed nomarkdown": lambda n: ("{::nomarkdown}\n" * n, ""),
    "unclosed markdown=1": lambda n: ('<div markdown="1">\n\n' * n, ""),
    "<div> of unclosed highlights": lambda n: ("<div>\n" + "{% highlight x %}\n" * n + "</div>\n", ""),
    "\\begin inside open $$": lambda n: ("$$ a\n" + "\\begin{equation}x\\end{equation}\n" * n, ""),
    "assign and use": lambda n: ("".join(f"{{% assign v{i} = 'x' %}}{{{{ v{i} }}}}\n" for i in range(n)), ""),
    "toc n x n unmatched": lambda n: (
        "".join(f"## H{i}\n\n" for i in range(n)),
        "toc:\n" + "".join(f"  - name: T{i}\n" for i in range(n)),
    ),
}


def page_seconds(body: str, front: str) -> float:
    from explainer.base.config import SiteConfig
    from explainer.base.errors import Diagnostics
    from explainer.posts.read import read_post
    from explainer.site.pages import PageContext, PageJob, build_page

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "2024-01-01-a.md"
        path.write_text("---\ntitle: A\n" + front + "---\n" + body)
        post = read_post(path, Diagnostics())
        ctx = PageContext(site=SiteConfig(), assets={}, cache_dir=Path(tmp) / ".cache", extra_head="")
        t = time.perf_counter()
        build_page(PageJob(post=post, key="k", bib_path=None), ctx)
        return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10000)
    n = ap.parse_args().n
    for name, make in CASES.items():
        half, full = page_seconds(*make(n // 2)), page_seconds(*make(n))
        print(
            f"{name:22s} n={n // 2:6d}: {half:6.2f} s   n={n:6d}: {full:6.2f} s   ratio {full / half:4.1f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
