"""Distill's `<d-cite key="a,b">`: a numbered citation with a hover card holding each reference.

Citations are numbered while rendering, in reading order (distill.py calls in here from its inline
rule and from raw HTML blocks). Shapes Jekyll lets through and Distill copes with (no end tag, text
inside, a key whose quote is not closed) are still citations, each with a warning at its line.
"""

from __future__ import annotations

import html
import re

from .lint import warn
from .parsed import page_of

_ATTR_RE = re.compile(r"""([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
# `<d-cite key="a"></d-cite>`, `<d-cite key="a"/>`, text inside (Distill does not show it), or no end
# tag at all (an author's slip that Jekyll lets through): the last two are warned about.
CITE_TAIL = r"(?:/>|>(?P<cite_inner>(?:(?!<d-cite\b).)*?)</d-cite\s*>|>(?P<cite_open>))"
CITE_RE = re.compile(r"<d-cite\b(?P<cite_attrs>[^>]*?)" + CITE_TAIL, re.I | re.S)


def tag_attrs(text: str) -> dict[str, str]:
    """`block language="js"` -> {"block": "", "language": "js"}."""
    return {m.group(1).lower(): next((g for g in m.groups()[1:] if g is not None), "")
            for m in _ATTR_RE.finditer(text)}


_LOOSE_KEY_RE = re.compile(r"""\bkey\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)


def cite_keys(attrs: str) -> list[str]:
    keys = [k.strip() for k in tag_attrs(attrs).get("key", "").split(",")]
    if not any(keys) and (loose := _LOOSE_KEY_RE.search(attrs)):
        keys = loose.group(1).split(",")  # `key="a>` with its quote never closed: warn_cite_shape says so
    return list(dict.fromkeys(k.strip() for k in keys if k.strip()))


def _cite_number(key: str, env: dict) -> int:
    citations = page_of(env).citations
    if key not in citations:
        citations.append(key)
    return citations.index(key) + 1


def _warn_no_bibliography(keys: list[str], env: dict, line: int) -> None:
    stem = page_of(env).path.stem
    warn(env, line, f"<d-cite key=\"{','.join(keys)}\"> but the post has no bibliography; add "
                    f"`bibliography: {stem}.bib` to the front matter, with the file in "
                    f"content/bibliography/ (shown as [?] until then)")


def warn_cite_shape(m: re.Match, env: dict, line: int | None) -> None:
    """A `<d-cite>` without its end tag, or with text inside: still a citation, with a warning."""
    tag = m.group(0)[:m.group(0).find(">") + 1]
    if m.group("cite_attrs").count('"') % 2 or m.group("cite_attrs").count("'") % 2:
        warn(env, line, f"the quote of {tag} is not closed; write {tag[:-1]}\">. The key is read up to "
                        "the `>`; in a browser the rest of the paragraph would become part of it")
    if m.group("cite_open") is not None:
        warn(env, line, f"{tag} has no end tag; write {tag}</d-cite>. It is shown as a citation here; "
                        "in a browser running Distill the rest of the paragraph would vanish into it")
    elif (m.group("cite_inner") or "").strip():
        warn(env, line, f"the text inside {tag}…</d-cite> is not shown (Distill shows only the "
                        "citation's number); put it before the tag")


def render_citation(keys: list[str], env: dict, line: int | None) -> str:
    """`[1, 2]` with links to the reference list and a hover card holding each reference."""
    if not keys:
        warn(env, line, '<d-cite> has no key; write <d-cite key="bibtex-key"></d-cite>')
        return '<span class="citation">[?]</span>'
    references = page_of(env).bibliography
    if references is None:
        _warn_no_bibliography(keys, env, line)
    links, cards = [], []
    for key in keys:
        ref = references.get(key) if references is not None else None
        if ref is None:
            if references is not None:
                warn(env, line, f'citation key "{key}" is not in the bibliography; check its '
                                f"spelling against the .bib file or add an entry for it (shown as [?])")
            links.append("?")
            continue
        number = _cite_number(key, env)
        links.append(f'<a class="cite-link" href="#ref-{html.escape(key)}">{number}</a>')
        cards.append(f'<span class="hover-card-item">{getattr(ref, "card_html", "") or ref.html}</span>')
    card = f'<span class="hover-card" role="tooltip">{"".join(cards)}</span>' if cards else ""
    return f'<span class="citation">[{", ".join(links)}]{card}</span>'
