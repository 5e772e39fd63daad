"""The picture each post shows on the landing page: the post's own `thumbnail:` (al-folio's front
matter key, a path such as `assets/img/cover.png`), else the fallback PNG the build wrote for the
first of its figures that has one (`blog/2026/slug/figures/<id>.png`), else none.

Figures are found by reading the ```figure fences' `id:` lines from the body, not by parsing it, so
the landing page never waits for a page to be parsed; only PNGs this build wrote or kept count.
"""

from __future__ import annotations

import posixpath
import re

_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})[ \t]*([^`\s]*)")
_ID_RE = re.compile(r"^id:[ \t]*['\"]?([\w.:-]+)")


def figure_ids(body: str) -> list[str]:
    """The ids of a post's ```figure blocks, in the order they appear; a figure fence shown as
    source inside a longer fence is not a figure."""
    ids, open_fence, in_figure = [], "", False
    for line in body.splitlines():
        m = _FENCE_RE.match(line)
        if open_fence:
            if m and m.group(1)[0] == open_fence[0] and len(m.group(1)) >= len(open_fence) and not m.group(2):
                open_fence, in_figure = "", False
            elif in_figure and (idm := _ID_RE.match(line)):
                ids.append(idm.group(1))
                in_figure = False
        elif m:
            open_fence, in_figure = m.group(1), m.group(2) == "figure"
    return ids


def post_thumbnails(posts, outputs) -> dict[str, str]:
    """Post output path -> site-relative path of its picture, for the posts that have one."""
    out = {}
    for post in posts:
        own = post.facts.thumbnail  # the front matter's `thumbnail:`
        if own:
            out[post.out_path] = own.lstrip("/")
            continue
        if not post.mentions_figure:  # most posts: no fence to look for (and their text is not read)
            continue
        folder = posixpath.dirname(post.out_path)
        for fid in figure_ids(post.body):
            rel = f"{folder}/figures/{fid}.png"
            if rel in outputs:
                out[post.out_path] = rel
                break
    return out
