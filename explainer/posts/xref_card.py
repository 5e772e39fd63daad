"""The hover card of a cross-reference to a figure or table: its label and caption, as text.

The card repeats the caption, so what must exist once on a page is taken out of the copy: ids,
nested hover cards (a citation inside a caption) and links (a card holds no focusable element the
reader cannot reach). site.js adds the figure's picture
when the card first opens, taken from the figure itself.
"""

from __future__ import annotations

import re

_CARD_OPEN_RE = re.compile(r'<(span|sup)\b[^>]*class="hover-card[" ][^>]*>')
_SPAN_RE = re.compile(r"<(/?)(span|sup)\b[^>]*>")
_ID_ATTR_RE = re.compile(r"""\s(?:id|aria-describedby)\s*=\s*(?:"[^"]*"|'[^']*')""")
_LINK_RE = re.compile(r"</?a\b[^>]*>")
_BLOCK_RE = re.compile(r"</?(?:p|div|figure|figcaption|ul|ol|li)\b[^>]*>")
_LABELS = {"fig": "Figure", "tbl": "Table"}


def drop_hover_cards(html: str) -> str:
    """Remove every `<span class="hover-card">…</span>` with what it holds (spans nest)."""
    while (m := _CARD_OPEN_RE.search(html)) is not None:
        depth, end = 0, len(html)
        for tag in _SPAN_RE.finditer(html, m.start()):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                end = tag.end()
                break
        html = html[:m.start()] + html[end:]
    return html


def card_caption(caption_html: str) -> str:
    text = drop_hover_cards(caption_html)
    for pattern in (_ID_ATTR_RE, _LINK_RE):
        text = pattern.sub("", text)
    return _BLOCK_RE.sub(" ", text).strip()


def card_html(target) -> str:
    caption = card_caption(target.caption)
    label = f"<strong>{_LABELS[target.kind]}&nbsp;{target.number}</strong>"
    body = f"{label}{': ' + caption if caption else ''}"
    return (f'<span class="hover-card xref-card" role="tooltip">'
            f'<span class="hover-card-p xref-card-caption">{body}</span></span>')
