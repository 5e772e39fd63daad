"""markdown-it's own bookkeeping keys in `env`, kept apart from ours while parsing.

markdown-it-py stores link reference definitions (`[text][label]` … `[label]: url`) in
env["references"] and mdit's footnote plugin stores its definitions in env["footnotes"]. Our env
contract (parsed.py) gives both names to other things: the post's bibliography and the list of
`Footnote`s. So around every parse, `mdit_keys` swaps markdown-it's dicts in and ours out, and
back again; a nested parse at render time (a footnote inside raw HTML) sees the same link
definitions as the page.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

MDIT_FOOTNOTES_KEY = "_mdit_footnotes"  # mdit's footnote bookkeeping (env["footnotes"] is ours)
MDIT_REFERENCES_KEY = "_mdit_references"  # link definitions (env["references"] is the .bib)
_SWAPPED = (("footnotes", MDIT_FOOTNOTES_KEY), ("references", MDIT_REFERENCES_KEY))


@contextlib.contextmanager
def mdit_keys(env: dict) -> Iterator[None]:
    """While inside, env["footnotes"] and env["references"] are markdown-it's own dicts."""
    ours = {name: env.get(name) for name, _ in _SWAPPED}
    for name, private in _SWAPPED:
        env[name] = env.get(private) or {}
    try:
        yield
    finally:
        for name, private in _SWAPPED:
            env[private], env[name] = env[name], ours[name]
