"""The landing page's picture per post: its own `thumbnail:`, else its first figure with a PNG."""

from __future__ import annotations

from types import SimpleNamespace

from explainer.site.thumbnails import figure_ids, post_thumbnails

BODY = """Text.

````markdown
```figure
id: shown-as-source
```
````

```figure
id: chart
view: compare
```

~~~ figure
id: 'digits'
view: reconstructions
~~~
"""


def _post(body, extra=None, out="blog/2026/a/index.html"):
    own = (extra or {}).get("thumbnail")
    facts = SimpleNamespace(thumbnail=own.strip() if isinstance(own, str) else "")  # as read.Post.facts
    return SimpleNamespace(body=body, out_path=out, facts=facts, mentions_figure="figure" in body)


def test_figure_ids_in_order_and_fences_of_any_length():
    assert figure_ids(BODY) == ["chart", "digits"]


def test_first_figure_with_a_png_else_none_and_front_matter_wins():
    written = {"blog/2026/a/figures/digits.png", "blog/2026/a/figures/other.png"}
    posts = [_post(BODY), _post("No figures.", out="blog/2026/b/index.html"),
             _post(BODY, {"thumbnail": "/assets/img/cover.jpg"}, out="blog/2026/c/index.html")]
    assert post_thumbnails(posts, written) == {"blog/2026/a/index.html": "blog/2026/a/figures/digits.png",
                                               "blog/2026/c/index.html": "assets/img/cover.jpg"}
